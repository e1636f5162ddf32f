"""The public verification page: type the code printed on a certificate, approval notice or refusal notice."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import verify
from portal.api.kit import throttle


def _throttle(request) -> None:
    throttle(
        request, scope="verify_lookup", limit=settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE, window_seconds=60
    )


def verify_lookup(request):
    """``/verify/`` (and ``/certificates/verify/``): a form; with ``?code=`` it sends the reader on."""
    code = (request.GET.get("code") or "").strip()[:64]
    error = ""
    status = 200
    if code:
        _throttle(request)
        url = verify.resolve(code)
        if url:
            return redirect(url)
        error = _(
            "未找到与该核验码对应的文件。请核对纸质文件上的核验码（字母不区分大小写，不含字母 I、O 和数字 0、1）。"
        )
        status = 404
    return render(
        request,
        "portal/verify.html",
        {"code": code, "error": error, "kinds": verify.kinds()},
        status=status,
    )


def verify_short(request, code: str):
    """``/verify/<code>/``: the address printed on a document and held by its QR code."""
    _throttle(request)
    url = verify.resolve(code)
    if url:
        return redirect(url)
    return render(
        request,
        "portal/verify.html",
        {
            "code": code[:64],
            "error": _("未找到与该核验码对应的文件：核验码不存在或有误。"),
            "kinds": verify.kinds(),
        },
        status=404,
    )
