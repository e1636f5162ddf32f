"""Forms of the certificates pages. They collect input; every rule is checked by the services."""

from django import forms

from certificates.schemas import (
    ApplicationSchema,
    BarredSchema,
    CertificateTypeSchema,
    ReviewSchema,
    RevokeSchema,
    SupplementSchema,
)
from certificates.selectors import certificate_types_public


class ApplicationForm(ApplicationSchema):
    """The resident's application page: ``ApplicationSchema`` with the catalogue's types and the resident's
    street as choices (files are read from ``request.FILES`` by the view)."""

    def __init__(self, *args, communities: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        types = certificate_types_public()
        self.fields["type"].widget = forms.Select(
            choices=[("", "请选择"), *((t.code, t.name) for t in types)]
        )
        # A code checked by the service; the page offers the resident's own street, not the city.
        self.fields["community"].widget = forms.Select(choices=[("", "请选择"), *(communities or [])])
        self.fields["pledge"].label_suffix = ""


ReviewForm = ReviewSchema
SupplementForm = SupplementSchema
RevokeForm = RevokeSchema
CertificateTypeForm = CertificateTypeSchema
BarredForm = BarredSchema
