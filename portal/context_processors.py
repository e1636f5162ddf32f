"""Template context for the base layout: the user's roles, open to-dos and the navigation."""

from portal.selectors.navigation import navigation_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": navigation_for(None), "todo_count": 0}
    from portal.models import Notification

    return {
        "nav": navigation_for(user),
        "todo_count": Notification.objects.for_user(user).open_todos().count(),
    }
