"""Forms of the checklists pages. They only shape input; the rules live in ``services``."""

from django import forms

from checklists.choices import CATEGORIES_BY_LIST, LegalLevel, ListType, PlaqueKind, Requirement

CATEGORY_CHOICES = [
    (ListType(lt).label, [(c.value, c.label) for c in cats]) for lt, cats in CATEGORIES_BY_LIST.items()
]


class ItemForm(forms.Form):
    list_type = forms.ChoiceField(label="清单", choices=ListType.choices)
    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES)
    title = forms.CharField(label="事项名称", max_length=200)
    content = forms.CharField(label="事项内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    department = forms.CharField(
        label="协助部门",
        required=False,
        max_length=200,
        help_text="依法协助事项必填，如“区统计局、街道办事处”。",
    )
    keywords = forms.CharField(
        label="常见说法（关键词）",
        required=False,
        max_length=1200,
        help_text="用逗号或顿号分隔，供任务核查识别，如“人口普查、入户登记”。",
    )


class BasisForm(forms.Form):
    law = forms.CharField(label="法律法规名称", required=False, max_length=200)
    article = forms.CharField(label="条款", required=False, max_length=100)
    level = forms.ChoiceField(label="效力层级", required=False, choices=[("", "—")] + LegalLevel.choices)


BasisFormSet = forms.formset_factory(BasisForm, extra=0, max_num=8, absolute_max=8)


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label="生效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空为今天；不能早于今天。",
    )
    note = forms.CharField(label="修订说明", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class LedgerForm(forms.Form):
    name = forms.CharField(label="台账名称", max_length=200)
    legal_basis = forms.CharField(label="依据", max_length=300)
    merged_from = forms.CharField(label="合并的原台账", required=False, max_length=400)
    retention = forms.CharField(label="保存期限", max_length=40, help_text="如“3年”“长期”。")
    department = forms.CharField(label="主管部门", required=False, max_length=100)
    keywords = forms.CharField(label="关键词", required=False, max_length=600)


class OrganisationForm(forms.Form):
    name = forms.CharField(label="组织机构名称", max_length=200)
    requirement = forms.ChoiceField(label="要求", choices=Requirement.choices)
    mandate = forms.CharField(label="职责与要求", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="依据", max_length=300)
    keywords = forms.CharField(label="关键词", required=False, max_length=600)


class PlaqueForm(forms.Form):
    kind = forms.ChoiceField(label="牌子类型", choices=PlaqueKind.choices)
    text = forms.CharField(label="牌子全称", max_length=200)
    requested_by = forms.CharField(label="要求悬挂的单位", required=False, max_length=200)
