from django.apps import AppConfig


def _staff_panel(request) -> dict:
    from certificates.selectors import community_dashboard_figures

    return community_dashboard_figures(user=request.user)


def _resident_panel(request) -> dict:
    from certificates.selectors import applications_for_resident

    return {"applications": list(applications_for_resident(user=request.user)[:5])}


def _certificate_page(pk: int):
    from django.urls import reverse

    from certificates.models import Certificate

    code = Certificate.objects.filter(pk=pk).values_list("verify_code", flat=True).first()
    return reverse("certificates:verify", args=[code]) if code else None


def _certificate_lookup(text: str):
    from django.urls import reverse

    from certificates.personal import verify_code_well_formed

    code = "".join(text.split()).replace("-", "").upper()
    return reverse("certificates:verify", args=[code]) if verify_code_well_formed(code) else None


def _missing_pdfs(cutoff):
    """Reconciliation: issued certificates still without their PDF (the render was lost or killed)."""
    from certificates.models import Certificate
    from certificates.services import RENDER_TASK

    ids = Certificate.objects.filter(pdf_sha256="", issued_at__lte=cutoff).values_list("pk", flat=True)
    return [(RENDER_TASK, [pk]) for pk in ids.order_by("pk")[:500]]


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "社区证明"

    def ready(self) -> None:
        from certificates.models import (
            APPLY_ONLINE,
            KEEP_CATALOGUE,
            REVIEW_APPLICATIONS,
            BarredCertificate,
            Certificate,
            CertificateApplication,
            CertificateType,
        )
        from certificates.selectors import GENERATION
        from portal.caching import bump_on_change
        from portal.choices import Role
        from portal.dashboard import register_panel
        from portal.jobs import register_reconciler
        from portal.navigation import register_nav
        from portal.verify import register_verification

        register_reconciler("certificates.pdf", _missing_pdfs)
        # The certificates' cached figures, lists and listings go when an application, a certificate, a type or a
        # barred kind changes.
        bump_on_change(GENERATION, CertificateApplication, Certificate, CertificateType, BarredCertificate)

        register_verification(
            letter="C", label="社区证明", target=_certificate_page, lookup=_certificate_lookup
        )
        register_nav("社区证明", "certificates:catalogue", group="certificates", public=True, order=40)
        register_nav(
            "我的证明", "certificates:my_applications", group="certificates", right=APPLY_ONLINE, order=41
        )
        register_nav(
            "证明审核", "certificates:queue", group="certificates", right=REVIEW_APPLICATIONS, order=42
        )
        register_nav(
            "证明目录维护", "certificates:manage", group="certificates", right=KEEP_CATALOGUE, order=43
        )
        register_panel(
            "certificates_review",
            "社区证明审核",
            "certificates/_panel_staff.html",
            roles={Role.COMMUNITY_STAFF},
            context=_staff_panel,
            order=30,
            todo=("waiting", "certificates:queue", "证明申请待审核"),
        )
        register_panel(
            "certificates_resident",
            "我的证明申请",
            "certificates/_panel_resident.html",
            roles={Role.RESIDENT},
            context=_resident_panel,
            order=30,
        )
