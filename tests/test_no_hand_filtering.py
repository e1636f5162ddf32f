"""Views and API handlers never filter by hand: every read starts from ``for_user(user, action)`` — in a
selector, or in the guard (``guard`` / ``get_scoped_or_404``) — or from a selector that says it is public.

The test reads the source of every view and API module and fails on any ``Model.objects`` (or
``_default_manager`` / ``_base_manager``) that is neither narrowed by ``for_user`` nor handed to the guard as
it is, unless the allow-list below names it with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["admission", "certificates", "checklists", "evaluations", "reports", "supervision", "taskcheck"]
MANAGERS = {"objects", "_default_manager", "_base_manager"}
GUARDS = {"guard", "get_scoped_or_404", "require_right"}
#: Methods that only shape a queryset handed to the guard (which applies ``for_user`` itself).
SHAPING = {"select_related", "prefetch_related", "only", "defer"}

#: (module, model): why it may be read without ``for_user``. Keep it short: public data, or no user yet.
ALLOWED = {
    ("portal/api/kit.py", "ApiToken"): "authentication: the bearer token is looked up before there is a user",
}


def view_modules() -> list[Path]:
    files = []
    for app in APPS:
        for name in ("views.py", "api.py"):
            if (ROOT / app / name).exists():
                files.append(ROOT / app / name)
        for folder in ("views", "api"):
            files += sorted((ROOT / app / folder).glob("*.py")) if (ROOT / app / folder).is_dir() else []
    files += sorted((ROOT / "portal" / "views").glob("*.py")) + sorted((ROOT / "portal" / "api").glob("*.py"))
    return files


def _chain(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> tuple[list[str], ast.AST]:
    """The methods called on a manager access, in order, and the outermost expression of the chain."""
    methods: list[str] = []
    top = node
    while True:
        parent = parents.get(top)
        if isinstance(parent, ast.Attribute) and parent.value is top:
            methods.append(parent.attr)
            top = parent
        elif isinstance(parent, ast.Call) and parent.func is top:
            top = parent
        elif isinstance(parent, ast.Subscript) and parent.value is top:
            top = parent
        else:
            return methods, top


def _callee(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def hand_filtering(path: Path) -> list[tuple[int, str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = ast.unparse(node.value)
        methods, top = _chain(node, parents)
        if "for_user" in methods:
            continue
        parent = parents.get(top)
        handed_to_guard = (
            isinstance(parent, ast.Call)
            and _callee(parent) in GUARDS
            and parent.args[:1] == [top]
            and set(methods) <= SHAPING
        )
        if handed_to_guard:
            continue
        found.append((node.lineno, model, ast.unparse(top)))
    return sorted(found)


def test_the_scan_covers_every_view_and_api_module():
    names = {p.relative_to(ROOT).as_posix() for p in view_modules()}
    assert {
        "checklists/views.py",
        "evaluations/api.py",
        "portal/api/core.py",
        "portal/views/pages.py",
    } <= names
    assert len(names) >= 18


def test_the_scan_finds_hand_filtering(tmp_path):
    """The detector itself: hand filtering is found, reads through for_user or the guard are not."""
    sample = tmp_path / "views.py"
    sample.write_text(
        "def v(request, org, pk):\n"
        "    a = LedgerEntry.objects.filter(district=org)\n"
        "    b = ListVersion.objects.select_related('org').get(pk=pk)\n"
        "    c = Cycle._default_manager.order_by('-year')[:1]\n"
        "    d = guard(Criticism.objects.filter(status='x'), request.user, pk=pk)\n"
        "    e = Appeal.objects.for_user(request.user, 'view').filter(pk=pk)\n"
        "    f = guard(Appeal.objects.select_related('community'), request.user, 'view', pk=pk)\n"
        "    g = get_scoped_or_404(Refusal, request.user, pk=pk)\n",
        encoding="utf-8",
    )
    assert [(line, model) for line, model, _ in hand_filtering(sample)] == [
        (2, "LedgerEntry"),
        (3, "ListVersion"),
        (4, "Cycle"),
        (5, "Criticism"),
    ]


def test_views_and_api_handlers_do_not_filter_by_hand():
    offenders = []
    used = set()
    for path in view_modules():
        module = path.relative_to(ROOT).as_posix()
        for line, model, expr in hand_filtering(path):
            if (module, model) in ALLOWED:
                used.add((module, model))
                continue
            offenders.append(f"{module}:{line}: {expr}")
    assert not offenders, (
        "Views and API handlers read through a selector starting from for_user(user, action), the guard, or a "
        "public selector — not by hand:\n" + "\n".join(offenders)
    )
    assert used == set(ALLOWED), f"allow-list entries nothing needs any more: {set(ALLOWED) - used}"


#: The hand role checks a view or API handler may not make: who opens a page is an org right
#: (``portal.scope.require_page_right`` / ``holds_right``), whose roles decide it a selector reads.
ROLE_CHECKS = {"has_role", "grants_for", "is_city_admin"}


def role_checks(path: Path) -> list[tuple[int, str]]:
    """Where ``path`` calls (or imports, to call under another name) one of :data:`ROLE_CHECKS`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node) in ROLE_CHECKS:
            found.append((node.lineno, _callee(node)))
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, a.name) for a in node.names if a.name in ROLE_CHECKS]
    return sorted(found)


def test_the_scan_finds_role_checks(tmp_path):
    """The detector itself: a role check called or imported is found, a template flag of that name and the
    page-right guard are not."""
    sample = tmp_path / "views.py"
    sample.write_text(
        "from portal.scope import has_role as hr, holds_right\n"
        "def v(request):\n"
        "    a = scope.grants_for(request.user, ROLES)\n"
        "    b = is_city_admin(request.user)\n"
        "    c = {'is_city_admin': holds_right(request.user, MANAGE)}\n"
        "    d = require_page_right(request.user, RIGHT, what='x')\n",
        encoding="utf-8",
    )
    assert role_checks(sample) == [(1, "has_role"), (3, "grants_for"), (4, "is_city_admin")]


def test_views_and_api_handlers_make_no_role_checks_by_hand():
    offenders = [
        f"{path.relative_to(ROOT).as_posix()}:{line}: {name}"
        for path in view_modules()
        for line, name in role_checks(path)
    ]
    assert not offenders, (
        "Views and API handlers ask an org right (portal.scope.require_page_right / holds_right) or a selector "
        "— not has_role, grants_for or is_city_admin by hand:\n" + "\n".join(offenders)
    )
