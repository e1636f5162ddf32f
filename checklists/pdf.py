"""The PDF of a district's or a community's current lists (rendered by the portal's one renderer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from portal.pdf import render_pdf


def page_path(org) -> str:
    """The public page of an org's lists (what the QR code leads to)."""
    if org.level == "community":
        return reverse("checklists:community", args=[org.code])
    return reverse("checklists:district", args=[org.code])


def render_checklist_pdf(*, org, items) -> bytes:
    from checklists.selectors import group_items, lists_summary

    title = f"{org.full_name}居委会工作事项清单"
    return render_pdf(
        template="checklists/pdf/checklist.html",
        context={
            "org": org,
            "groups": group_items(items),
            "summary": lists_summary(items),
            "generated": timezone.localtime(),
            "running_header": title,
        },
        title=title,
        qr_url=page_path(org),
        qr_caption="扫码查看本社区现行工作事项清单"
        if org.level == "community"
        else "扫码查看本区现行工作事项清单",
    )
