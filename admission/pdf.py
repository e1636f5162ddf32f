"""The approval notice (准入通知书) PDF with a QR code to the public verification page."""

from __future__ import annotations

from django.core.files.base import ContentFile

from admission.models import TaskRequest
from portal.pdf import render_pdf
from portal.verify import short_code, short_path


def notice_pdf_bytes(req: TaskRequest) -> bytes:
    from admission.selectors import admission_lookup

    info = admission_lookup(admission_no=req.admission_no or "")
    return render_pdf(
        template="admission/pdf/notice.html",
        context={"req": req, "info": info, "community_count": len(info["scope"]) if info else 0},
        title=f"社区工作事项准入通知书 {req.admission_no}",
        qr_url=short_path("A", req.pk),
        qr_caption="扫码核验准入编号",
        verify_code=short_code("A", req.pk),
        seal_org_name=req.approval_body.name if req.approval_body else None,
    )


def notice_render_and_store(*, request_id: int) -> bool:
    """Render and store the notice once; a repeated delivery does nothing."""
    req = (
        TaskRequest.objects.select_related("department", "approval_body", "requester_org")
        .filter(pk=request_id, admission_no__isnull=False)
        .first()
    )
    if req is None or req.notice_pdf:
        return False
    data = notice_pdf_bytes(req)
    req.notice_pdf.save(f"notice-{req.pk}.pdf", ContentFile(data), save=False)
    TaskRequest.objects.filter(pk=req.pk, notice_pdf="").update(notice_pdf=req.notice_pdf.name)
    return True
