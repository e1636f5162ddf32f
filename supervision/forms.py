"""Forms of supervision pages. They only collect input; every rule is checked once, in the services."""

from __future__ import annotations

from django import forms

from portal.models import Department
from supervision.choices import AppealCategory, Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ComplaintForm(forms.Form):
    category = forms.ChoiceField(label="投诉类别", choices=Category.choices)
    department = forms.ModelChoiceField(
        label="被投诉部门",
        queryset=Department.objects.select_related("org").order_by("org__code", "name"),
        required=False,
        empty_label="（请选择；不在列表中请在下方填写）",
    )
    department_text = forms.CharField(label="被投诉部门（列表中没有时填写）", max_length=100, required=False)
    community = forms.CharField(
        label="涉及社区代码", max_length=16, required=False, help_text="12 位社区代码，社区工作人员已自动填写"
    )
    task_title = forms.CharField(label="涉及的事项", max_length=200, required=False)
    happened_on = forms.DateField(
        label="发生日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Required-ness and lengths are checked once, by the service (the API shares the same rules).
    description = forms.CharField(
        label="发生了什么",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="谁、何时、要求社区做什么、如何要求的",
    )
    evidence = MultipleFileField(
        label="证据材料", required=False, help_text="JPG、PNG 图片或 PDF，可多选，最多 10 个"
    )
    anonymous = forms.BooleanField(label="匿名投诉（不留姓名和联系方式）", required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    contact = forms.CharField(
        label="联系方式", max_length=100, required=False, help_text="仅办理机关可见，被投诉部门永远看不到"
    )
    refusal = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf"


class TrackForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=40)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class NoteForm(forms.Form):
    comment = forms.CharField(label="调查记录", widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(label="调查材料", required=False)


class StatementRequestForm(forms.Form):
    summary = forms.CharField(
        label="送被投诉部门的事项摘要",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="部门只看到这段摘要，看不到投诉原文、证据和投诉人。请勿写入可识别投诉人的信息。",
    )
    workdays = forms.IntegerField(label="说明期限（工作日）", min_value=1, max_value=30, initial=5)


class VerdictForm(forms.Form):
    substantiated = forms.TypedChoiceField(
        label="查证结论",
        choices=[("yes", "属实"), ("no", "不属实")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="结论及理由", widget=forms.Textarea(attrs={"rows": 3}))
    requirements = forms.CharField(
        label="整改要求（属实时必填）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    workdays = forms.IntegerField(label="整改期限（工作日）", min_value=1, max_value=60, initial=15)


class MergeForm(forms.Form):
    into = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label="并案说明", required=False, max_length=500)


class StatementForm(forms.Form):
    text = forms.CharField(label="书面说明", widget=forms.Textarea(attrs={"rows": 6}))


class CriticismForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="通报内容", widget=forms.Textarea(attrs={"rows": 8}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批", choices=[("approve", "批准发布"), ("return", "退回修改")], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label="意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReportForm(forms.Form):
    report = forms.CharField(
        label="整改情况",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="写明已采取的措施，如撤回事项、摘除牌子、取消台账。",
    )


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label="核验",
        choices=[("accept", "核验通过，办结"), ("return", "未通过，退回继续整改")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="核验意见（退回时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label="评分", choices=[(i, f"{i} 分") for i in range(5, 0, -1)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label="评价意见", required=False, max_length=1000)


class AppealForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=AppealCategory.choices)
    text = forms.CharField(label="诉求或建议", widget=forms.Textarea(attrs={"rows": 5}))
    location = forms.CharField(label="位置（可选）", max_length=200, required=False)
    photos = MultipleFileField(label="照片（可选）", required=False, help_text="JPG、PNG，最多 6 张")


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 4}))
