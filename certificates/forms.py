"""Forms of the certificates pages. They collect input; every rule is checked by the services."""

from typing import cast

from django import forms

from certificates.choices import PLEDGE_TEXT
from certificates.models import CertificateType
from certificates.schemas import (
    BarredSchema,
    CertificateTypeSchema,
    ReviewSchema,
    RevokeSchema,
    SupplementSchema,
)


class ApplicationForm(forms.Form):
    """The resident's application (files are read from ``request.FILES`` by the view)."""

    type = forms.ChoiceField(label="证明类型")
    # A code checked by the service; the page offers the resident's own street (``communities``), not the city.
    community = forms.CharField(label="出具证明的社区", widget=forms.Select)
    applicant_name = forms.CharField(label="真实姓名", max_length=30)
    id_number = forms.CharField(
        label="公民身份号码",
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    reason = forms.CharField(label="申请事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.CharField(
        label="证明用途", max_length=200, help_text="例如：办理子女入学、向法院申请缓交诉讼费"
    )
    pledge = forms.BooleanField(label=PLEDGE_TEXT, required=False)

    def __init__(self, *args, communities: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = [("", "请选择")] + [
            (t.code, t.name) for t in CertificateType.objects.filter(active=True).order_by("order", "id")
        ]
        self.fields["community"].widget = forms.Select(choices=[("", "请选择"), *(communities or [])])
        self.fields["pledge"].label_suffix = ""
        for name in ("type", "community", "applicant_name", "id_number", "reason", "purpose"):
            self.fields[name].required = False  # the service names what is missing, in one place


ReviewForm = ReviewSchema
SupplementForm = SupplementSchema
RevokeForm = RevokeSchema
CertificateTypeForm = CertificateTypeSchema
BarredForm = BarredSchema
