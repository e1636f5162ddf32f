"""Which menu entries a user sees."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from portal import navigation
from portal.scope import user_grants


def navigation_for(user) -> list[dict]:
    roles = {g.role for g in user_grants(user)} if user is not None else set()
    is_super = bool(user is not None and user.is_superuser)
    items = []
    for e in navigation.entries():
        if e.public:
            visible = True
        elif user is None:
            visible = False
        elif "*" in e.roles or not e.roles:
            visible = True
        else:
            visible = is_super or bool(roles & e.roles)
        if not visible:
            continue
        try:
            items.append({"label": gettext(e.label), "url": reverse(e.url_name)})  # labels are msgids
        except NoReverseMatch:
            continue
    return items
