"""Template context for the base layout: the user's roles, open to-dos and the navigation."""

from portal.selectors.navigation import navigation_for

#: Pages translated into English as a whole (proper names aside); every other page says it is Chinese only.
#: The lists, negative list, task check, catalogue and results pages are still to be translated.
ENGLISH_PATHS = ("/", "/accounts/login/")
ENGLISH_PREFIXES = ("/verify/", "/certificates/verify/")


def page_in_english(path: str) -> bool:
    return path in ENGLISH_PATHS or path.startswith(ENGLISH_PREFIXES)


def portal(request):
    from portal.views.prefs import elder_mode

    elder = elder_mode(request)
    english_page = page_in_english(getattr(request, "path", "/"))
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav": navigation_for(None),
            "todo_count": 0,
            "elder_mode": elder,
            "english_page": english_page,
        }
    from portal.models import Notification

    return {
        "nav": navigation_for(user),
        "todo_count": Notification.objects.for_user(user).open_todos().count(),
        "elder_mode": elder,
        "english_page": english_page,
    }
