"""Forms of the admission pages. They only shape input; the services decide."""

from __future__ import annotations

from django import forms

from admission.choices import ATTACHMENT_MAX_BYTES, Decision, Opinion, ReviewResult
from admission.schemas import TaskRequestSchema
from portal.choices import OrgLevel
from portal.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskRequestForm(TaskRequestSchema):
    """The request page: the schema's fields, the targets as checkboxes of the requester's area, a box for
    further codes and an attachment (uploaded after the draft is saved)."""

    extra_codes = forms.CharField(
        label="其他范围代码", required=False, help_text="可直接填写街道或社区代码，用逗号或空格分隔"
    )
    attachment = forms.FileField(label="附件（PDF 或图片，10 MB 以内）", required=False)
    field_order = [*TaskRequestSchema.base_fields][:4] + ["extra_codes"]

    def __init__(self, data=None, *args, requester_org: OrgUnit, **kwargs):
        if data is not None and data.get("extra_codes"):
            # codes typed into the box are targets like the ticked ones (the schema checks them all)
            data = data.copy()
            data.setlist("target_orgs", data.getlist("target_orgs") + [data["extra_codes"]])
        super().__init__(data, *args, **kwargs)
        if requester_org.level == OrgLevel.CITY:
            nodes = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code")
            choices = [(o.code, o.name) for o in nodes]
        else:
            nodes = OrgUnit.objects.filter(path__startswith=requester_org.path).order_by("path")[:3000]
            indent: dict[str, str] = {
                OrgLevel.DISTRICT: "",
                OrgLevel.STREET: "　",
                OrgLevel.COMMUNITY: "　　",
            }
            choices = [
                (
                    o.code,
                    f"{indent.get(o.level, '')}{'全区：' if o.level == OrgLevel.DISTRICT else ''}{o.name}",
                )
                for o in nodes
            ]
        self.fields["target_orgs"].widget = forms.CheckboxSelectMultiple(choices=choices)

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f and f.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError("附件不能超过 10 MB。")
        return f


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label="意见", choices=Opinion.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不同意时必须说明理由",
    )
    org = forms.CharField(required=False, widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    legality = forms.ChoiceField(label="合法性", choices=ReviewResult.choices, widget=forms.RadioSelect)
    reasonableness = forms.ChoiceField(label="合理性", choices=ReviewResult.choices, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="未通过时",
        required=False,
        widget=forms.RadioSelect,
        choices=[("return", "退回部门修改"), ("reject", "不予准入")],
    )
    comment = forms.CharField(label="审查意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="决定", choices=Decision.choices, widget=forms.RadioSelect)
    valid_until = forms.DateField(label="有效期至（不填则至事项结束日期）", required=False, widget=DATE)
    comment = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    comment = forms.CharField(label="撤回说明", required=False)


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False)
    department = forms.CharField(label="部门", required=False)
    overdue = forms.BooleanField(label="仅看逾期", required=False)
    q = forms.CharField(label="名称或编号", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from admission.choices import Status

        self.fields["status"].choices = [("", "全部")] + list(Status.choices)
