"""Which endpoints ``make bench`` drives: the core ones plus every app's ``<app>/bench.py`` ``ENDPOINTS``.

``ENDPOINTS = [dict(name="...", method="GET"|"POST", path="/...", user=None|"<demo username>", json={...})]``.
A ``user`` gets a bearer token for ``/api/`` paths and a logged-in session (with CSRF) for pages.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from types import ModuleType

APPS = ("checklists", "taskcheck", "admission", "certificates", "evaluations", "supervision", "reports")
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
SLUG_RE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    app: str = "portal"
    user: str | None = None
    json: object = None
    slug: str = ""

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


@dataclass
class Discovery:
    endpoints: list[Endpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    modules: dict[str, ModuleType] = field(default_factory=dict)


CORE_ENDPOINTS = [
    dict(name="orgs_districts", method="GET", path="/api/v1/orgs?level=district"),
    dict(
        name="orgs_street_communities", method="GET", path="/api/v1/orgs?level=community&parent=120103001000"
    ),
    dict(name="orgs_all_communities_p1", method="GET", path="/api/v1/orgs?level=community&page_size=200"),
    dict(name="home", method="GET", path="/"),
    dict(name="dashboard_community_staff", method="GET", path="/dashboard/", user="community_staff"),
    dict(name="api_me_community_staff", method="GET", path="/api/v1/me", user="community_staff"),
]


def validate(entry: object) -> str | None:
    """Why an ``ENDPOINTS`` entry cannot be used, or None when it is fine."""
    if not isinstance(entry, dict):
        return "entry is not a dict"
    name, method, path = entry.get("name"), entry.get("method", "GET"), entry.get("path")
    if not isinstance(name, str) or not name.strip():
        return "missing name"
    if not isinstance(method, str) or method.upper() not in METHODS:
        return f"{name}: method must be one of {sorted(METHODS)}"
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        return f"{name}: path must start with a single /"
    user = entry.get("user")
    if user is not None and not isinstance(user, str):
        return f"{name}: user must be a username or None"
    body = entry.get("json")
    if body is not None and not isinstance(body, dict | list):
        return f"{name}: json must be a dict or a list"
    unknown = set(entry) - {"name", "method", "path", "user", "json"}
    if unknown:
        return f"{name}: unknown keys {sorted(unknown)}"
    return None


def display_name(app: str, name: str) -> str:
    """``<app>:<name>`` (core endpoints and names that already start with the app keep their name)."""
    name = name.strip()
    if app == "portal" or name.lower().startswith(app):
        return name
    return f"{app}:{name}"


def endpoints_from(app: str, entries, taken: set[str], problems: list[str]) -> list[Endpoint]:
    found = []
    if not isinstance(entries, list | tuple):
        problems.append(f"{app}.bench.ENDPOINTS is not a list")
        return found
    for entry in entries:
        why = validate(entry)
        if why:
            problems.append(f"{app}.bench: {why}")
            continue
        base = SLUG_RE.sub("_", f"{app}.{entry['name']}")[:100]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        found.append(
            Endpoint(
                name=display_name(app, entry["name"]),
                method=entry.get("method", "GET").upper(),
                path=entry["path"],
                app=app,
                user=entry.get("user"),
                json=entry.get("json"),
                slug=slug,
            )
        )
    return found


def import_bench_modules(apps=APPS) -> tuple[dict[str, ModuleType], list[str]]:
    """``<app>.bench`` of each app that has one (an app without one is skipped; a broken one is reported)."""
    modules, problems = {}, []
    for app in apps:
        try:
            modules[app] = importlib.import_module(f"{app}.bench")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{app}.bench", app):
                continue
            problems.append(f"{app}.bench could not be imported: {exc!r}")
        except Exception as exc:  # an app's bench module must not stop the others
            problems.append(f"{app}.bench could not be imported: {exc!r}")
    return modules, problems


def discover(modules: dict[str, ModuleType] | None = None, *, include_core: bool = True) -> Discovery:
    """The core endpoints and those of the given ``{app: module}`` (default: import every app's bench.py)."""
    result = Discovery()
    if modules is None:
        modules, result.problems = import_bench_modules()
    result.modules = dict(modules)
    taken: set[str] = set()
    if include_core:
        result.endpoints.extend(endpoints_from("portal", CORE_ENDPOINTS, taken, result.problems))
    for app, module in modules.items():
        entries = getattr(module, "ENDPOINTS", None)
        if entries is None:
            continue
        result.endpoints.extend(endpoints_from(app, entries, taken, result.problems))
    return result
