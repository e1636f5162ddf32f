"""Template context for the base layout: the user's roles, open to-dos and the navigation."""

import re

from portal.selectors.navigation import navigation_html

#: Pages translated into English as a whole (proper names aside, marked ``lang="zh-CN"``, see
#: ``portal/templatetags/jianfu_i18n.py``); every other page says it is Chinese only. The public pages are
#: translated except the complaint pages, registration and the burden-reduction figures (reports/public); staff pages
#: are Chinese only.
ENGLISH_PAGES = re.compile(
    r"^/(?:"
    r"|accounts/login/|verify/.*|certificates/verify/.*|check/verify/.*"
    r"|lists/|lists/negative/|lists/(?:district|community)/[^/]+/|lists/district/[^/]+/registers/"
    r"|check/|check/policy/|certificates/|certificates/barred/|evaluations/results/"
    r")$"
)


def page_in_english(path: str) -> bool:
    return bool(ENGLISH_PAGES.match(path))


def portal(request):
    from portal.views.prefs import elder_mode

    elder = elder_mode(request)
    english_page = page_in_english(getattr(request, "path", "/"))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_html": navigation_html(None, getattr(request, "path", "")),
            "todo_count": 0,
            "elder_mode": elder,
            "english_page": english_page,
        }
    from portal.selectors.notifications import open_todo_count

    return {
        "nav_html": navigation_html(user, request.path),
        "todo_count": (
            request.jianfu_todo_count
            if hasattr(request, "jianfu_todo_count")  # the page counted them already (the dashboard)
            else open_todo_count(user=user)
        ),
        "elder_mode": elder,
        "english_page": english_page,
    }
