"""Which menu entries a user sees, grouped as the menu shows them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from portal import navigation
from portal.scope import user_grants

#: The address of each menu entry, reversed once per process (per URL configuration and script prefix): the
#: menu is on every page, and reversing its twenty-odd names on each request was a good part of a small page.
_URLS: dict[tuple, str | None] = {}


def _url(name: str) -> str | None:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
    if key not in _URLS:
        try:
            _URLS[key] = reverse(name)
        except NoReverseMatch:
            _URLS[key] = None
    return _URLS[key]


def _visible(
    entry: navigation.NavEntry, user, roles: frozenset[str], is_super: bool, passes: frozenset[str]
) -> bool:
    if entry.public:
        return True
    if user is None:
        return False
    if entry.when is not None:
        return entry.url_name in passes
    if "*" in entry.roles or not entry.roles:
        return True
    return is_super or bool(roles & entry.roles)


#: The menus built so far, without their current entry: a menu depends only on the roles held (and the language,
#: the URL configuration and the entries registered), and building it — gettext of every label — was a good part
#: of every page. Bounded by the role sets and languages in use; cleared if it ever grows past this.
_MENUS: dict[tuple, list[dict]] = {}
MENUS_KEPT = 512


def _menu_for(user, path: str) -> tuple[tuple, list[dict], dict | None]:
    """The key of ``user``'s menu, the menu (shared, nothing marked) and its entry for ``path`` (or None)."""
    roles = frozenset(g.role for g in user_grants(user)) if user is not None else frozenset()
    is_super = bool(user is not None and user.is_superuser)
    # the entries shown by a predicate (``register_nav(when=…)``) that holds for this user: part of the key
    passes = (
        frozenset(e.url_name for e in navigation.entries() if e.when is not None and e.when(user))
        if user is not None
        else frozenset()
    )
    key = (
        user is None,
        roles,
        is_super,
        passes,
        get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        len(navigation.entries()),
    )
    groups = _MENUS.get(key)
    if groups is None:
        if len(_MENUS) >= MENUS_KEPT:
            _MENUS.clear()
        groups = _MENUS[key] = _menu(user, roles, is_super, passes)
    matches = [
        i for g in groups for i in g["items"] if path and i["url"] != "/" and path.startswith(i["url"])
    ]
    return key, groups, max(matches, key=lambda i: len(i["url"])) if matches else None


def navigation_for(user, path: str = "") -> list[dict]:
    """The groups of the menu ``user`` sees (``None``: nobody logged in), each with its visible entries:
    ``{"key", "label", "items": [{"label", "url", "current"}], "current", "single"}``. Groups without a
    visible entry are left out; ``single`` marks a group with one entry, shown as that entry's link.
    ``current`` marks the entry whose address is the longest prefix of ``path`` (and its group).

    Labels go through ``gettext`` here, so an entry registered with a plain Chinese string is shown in
    English when the catalogue (locale/en) has it.
    """
    _key, groups, current = _menu_for(user, path)
    out = []
    for g in groups:
        items = [{**i, "current": i is current} for i in g["items"]]
        out.append({**g, "items": items, "current": any(i["current"] for i in items)})
    return out


#: The menus as the base layout shows them (``portal/_nav.html``), by menu and current entry.
_MENU_HTML: dict[tuple, str] = {}


def navigation_html(user, path: str = "") -> str:
    """The entries of :func:`navigation_for` as the base layout shows them (``portal/_nav.html``), rendered
    once per menu and current entry: the menu's loop was the largest part of the layout of every page."""
    key, _groups, current = _menu_for(user, path)
    key = (*key, current["url"] if current is not None else None)
    html = _MENU_HTML.get(key)
    if html is None:
        if len(_MENU_HTML) >= MENUS_KEPT * 4:
            _MENU_HTML.clear()
        html = _MENU_HTML[key] = render_to_string("portal/_nav.html", {"nav": navigation_for(user, path)})
    return mark_safe(html)


def _menu(user, roles: frozenset[str], is_super: bool, passes: frozenset[str]) -> list[dict]:
    """The groups and entries ``user`` sees, none of them current (shared: copied before marking one)."""
    groups: dict[str, dict] = {}
    for e in navigation.entries():
        if not _visible(e, user, roles, is_super, passes):
            continue
        url = _url(e.url_name)
        if url is None:
            continue
        group = groups.setdefault(
            e.group, {"key": e.group, "label": gettext(str(navigation.GROUPS[e.group].label)), "items": []}
        )
        group["items"].append({"label": gettext(str(e.label)), "url": url, "current": False})
    for g in groups.values():
        g["current"] = False
        g["single"] = len(g["items"]) == 1
    return list(groups.values())
