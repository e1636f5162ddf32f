"""Forms of the admission pages. They only shape input; the services decide."""

from __future__ import annotations

from django import forms

from admission.choices import ATTACHMENT_MAX_BYTES, Decision, Opinion, ReviewResult
from portal.choices import OrgLevel
from portal.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TaskRequestForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=200)
    description = forms.CharField(
        label="事项内容", widget=forms.Textarea, help_text="要求社区做什么、怎么做、交付什么"
    )
    legal_basis = forms.CharField(
        label="依据（如有）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="法律、法规、规章或文件，写明条款",
    )
    target_orgs = forms.MultipleChoiceField(
        label="实施范围",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="可选全区、若干街道或若干社区",
    )
    extra_codes = forms.CharField(
        label="其他范围代码", required=False, help_text="可直接填写街道或社区代码，用逗号或空格分隔"
    )
    start_date = forms.DateField(label="开始日期", widget=DATE, help_text="须在提交后至少 30 个工作日")
    end_date = forms.DateField(label="结束日期", widget=DATE)
    workload_hours_per_month = forms.DecimalField(
        label="工作量（小时/社区/月）", min_value=0, max_digits=7, decimal_places=1
    )
    funding_amount = forms.DecimalField(
        label="经费（元/社区）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    funding_total = forms.DecimalField(
        label="经费总额（元）",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="不填则按社区数计算",
    )
    funding_source = forms.CharField(label="经费来源", required=False, max_length=200)
    working_conditions = forms.CharField(
        label="为社区提供的工作条件",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="设备、系统账号、培训、人员支持等（费随事转）",
    )
    purchase_service = forms.BooleanField(label="采取政府购买服务方式", required=False)
    service_provider = forms.CharField(label="服务承接方（社会组织）", required=False, max_length=200)
    service_budget = forms.DecimalField(
        label="购买服务预算（元）", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    attachment = forms.FileField(label="附件（PDF 或图片，10 MB 以内）", required=False)

    def __init__(self, *args, requester_org: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        if requester_org.level == OrgLevel.CITY:
            nodes = OrgUnit.objects.filter(level=OrgLevel.DISTRICT).order_by("code")
            choices = [(o.code, o.name) for o in nodes]
        else:
            nodes = OrgUnit.objects.filter(path__startswith=requester_org.path).order_by("path")[:3000]
            indent = {OrgLevel.DISTRICT: "", OrgLevel.STREET: "　", OrgLevel.COMMUNITY: "　　"}
            choices = [
                (
                    o.code,
                    f"{indent.get(o.level, '')}{'全区：' if o.level == OrgLevel.DISTRICT else ''}{o.name}",
                )
                for o in nodes
            ]
        self.fields["target_orgs"].choices = choices

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f and f.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError("附件不能超过 10 MB。")
        return f

    def service_data(self) -> dict:
        cd = dict(self.cleaned_data)
        codes = list(cd.pop("target_orgs") or [])
        codes += [c for c in (cd.pop("extra_codes") or "").replace("，", ",").replace(",", " ").split() if c]
        cd.pop("attachment", None)
        cd["target_orgs"] = codes
        return cd


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
