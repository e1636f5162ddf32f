"""The refusal notice (拒绝承接告知书), rendered by the portal's one PDF renderer."""

from __future__ import annotations

from django.utils import timezone

from portal.pdf import render_pdf
from portal.verify import short_code, short_path
from taskcheck.choices import VERDICT_HEADLINE
from taskcheck.models import Refusal


def seal_name(community) -> str:
    name = community.name
    return name if name.endswith(("居民委员会", "村民委员会")) else f"{name}居民委员会"


def refusal_notice_pdf(*, refusal: Refusal) -> bytes:
    """A4, citing 津民发〔2019〕35号 and the reason, with the community's seal and a QR code to the public check."""
    community = refusal.community
    return render_pdf(
        template="taskcheck/pdf/refusal_notice.html",
        context={
            "refusal": refusal,
            "community_name": community.full_name if hasattr(community, "full_name") else community.name,
            "seal_name": seal_name(community),
            "headline": VERDICT_HEADLINE.get(refusal.verdict, ""),
            "date": timezone.localtime(refusal.created_at).date(),
            "running_header": f"拒绝承接告知书 · {refusal.notice_no}",
        },
        title="拒绝承接告知书",
        qr_url=short_path("R", refusal.pk),
        qr_caption="扫码核验本告知书",
        verify_code=short_code("R", refusal.pk),
        seal_org_name=seal_name(community),
    )


def notice_filename(refusal: Refusal) -> str:
    return f"拒绝承接告知书-{refusal.notice_no}.pdf"
