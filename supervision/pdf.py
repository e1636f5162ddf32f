"""The circulated criticism (通报批评) as a sealed PDF with a QR code to its public notice page. It names the
department and the violation, never the complainant."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from portal.choices import OrgLevel
from portal.pdf import render_pdf
from supervision.choices import CriticismStatus
from supervision.models import Criticism


def bureau_name(org) -> str:
    """The civil-affairs bureau of a district or the city (the issuer of criticisms)."""
    return "天津市民政局" if org.level == OrgLevel.CITY else f"{org.name}民政局"


def notice_path(criticism: Criticism) -> str:
    return reverse("supervision:notice", args=[criticism.public_code])


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "supervision" / "criticisms"


def criticism_pdf_bytes(cr: Criticism) -> bytes:
    issuer = bureau_name(cr.org)
    return render_pdf(
        template="supervision/pdf/criticism.html",
        context={"cr": cr, "issuer": issuer, "paragraphs": [p for p in cr.body.splitlines() if p.strip()]},
        title=f"{cr.title} {cr.number}",
        qr_url=notice_path(cr),
        qr_caption="扫码查看通报原文",
        seal_org_name=issuer,
    )


def criticism_render_and_store(*, criticism_id: int) -> bool:
    """Render and store the PDF once; a repeated delivery does nothing."""
    cr = (
        Criticism.objects.select_related("org")
        .filter(pk=criticism_id, status=CriticismStatus.PUBLISHED)
        .first()
    )
    if cr is None or cr.pdf_file:
        return False
    data = criticism_pdf_bytes(cr)
    relative = f"{cr.pk}-{cr.public_code[:8]}.pdf"
    path = _root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    Criticism.objects.filter(pk=cr.pk, pdf_file="").update(
        pdf_file=relative, pdf_sha256=hashlib.sha256(data).hexdigest()
    )
    return True


def criticism_pdf_path(cr: Criticism) -> Path | None:
    if not cr.pdf_file:
        return None
    path = (_root() / cr.pdf_file).resolve()
    if _root().resolve() not in path.parents or not path.exists():
        return None
    return path
