"""Display preferences a visitor can switch without an account: the elder-friendly mode (适老化)."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

ELDER_COOKIE = "jianfu_elder"


def elder_mode(request) -> bool:
    return request.COOKIES.get(ELDER_COOKIE) == "1"


@require_POST
def elder_toggle(request):
    """Switch 适老化 on or off and remember it for a year (a cookie, so it works before logging in)."""
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    response = redirect(nxt)
    if request.POST.get("elder") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response
