"""Tianjin-scale data for benchmarks: 16 districts, ~300 streets, 5,600 communities and their staff.

Generated rows never collide with the demo data of :mod:`portal.demo`: generated streets are numbered from
100 within each district (``120103100000``), the demo uses 001–004. Everything generated is recognisable by
its code (``SCALE_CODE_RE``) and by its staff usernames (``s_<street code>``, ``c_<community code>``), so
``reset()`` removes exactly the generated rows and never a demo account.

Rows are written with ``bulk_create`` in batches; ``OrgUnit.path`` is computed here because ``save()`` is
bypassed. Every generated account shares ONE precomputed password hash (Argon2 per user would take minutes).
After the core data each app's ``<app>.scale.generate(stdout=…)`` runs, if the app has one.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from portal.choices import CommunityKind, OrgLevel, Role
from portal.demo import CITY, DEMO_PASSWORD, DISTRICTS
from portal.models import OrgUnit, RoleAssignment, User
from portal.scope import stamp_access

STREET_START = 100  # generated street numbers within a district: 100, 101, … (the demo uses 001–004)
VILLAGE_START = 200  # statistical codes number villages from 200 within a street, communities from 001
MAX_COMMUNITIES_PER_STREET = 199
BATCH = 1000
DEFAULT_STREETS = 300
DEFAULT_COMMUNITIES = 5600
VILLAGE_SHARE = 0.05

#: 12-digit codes of generated streets and communities: district (6) + street 100–999 (3) + community (3).
SCALE_CODE_RE = re.compile(r"^12\d{4}[1-9]\d{2}\d{3}$")
STREET_PREFIX = "s_"
COMMUNITY_PREFIX = "c_"

_WORDS = (
    "新华 长江 黄河 泰山 华山 光明 和平 胜利 友谊 团结 建设 解放 人民 朝阳 向阳 东风 红旗 幸福 安康 富民 "
    "金钟 银河 翠湖 柳林 梅江 海河 天塔 水上 文化 体育 丰年 景福 龙泉 凤翔 锦绣 春华 秋实 宜居 嘉陵 "
    "昆仑 珠江 松江 滨湖 尖山 陈塘 柳园 芦庄 杨柳 王庄 李港 大沽 小站 葛沽 北塘 汉沽 杨村 宝平"
).split()
_STREET_SUFFIX = ("街道", "街道", "街道", "镇")
_COMMUNITY_SUFFIX = ("里社区", "园社区", "苑社区", "路社区", "花园社区", "新村社区")
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
)
_GIVEN = "桂英秀兰淑芬玉兰春梅建国志强海燕丽娟立新明华红梅小明文静国庆晓东丽华建华德胜秀珍宏伟凤英"


@dataclass(frozen=True)
class PlannedOrg:
    code: str
    name: str
    parent_code: str
    kind: str = ""


@dataclass
class Plan:
    streets: list[PlannedOrg] = field(default_factory=list)
    communities: list[PlannedOrg] = field(default_factory=list)


def _word(i: int) -> str:
    return _WORDS[i % len(_WORDS)]


def _person_name(i: int) -> str:
    return _SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)] + _GIVEN[(i * 13 + 1) % len(_GIVEN)]


def build_plan(*, streets: int = DEFAULT_STREETS, communities: int = DEFAULT_COMMUNITIES) -> Plan:
    """The codes and names to generate (deterministic: the same sizes give the same plan)."""
    if streets < 1 or communities < 0:
        raise ValueError("streets must be ≥ 1 and communities ≥ 0")
    if streets > len(DISTRICTS) * (1000 - STREET_START):
        raise ValueError("too many streets for the code space")
    per_street, extra = divmod(communities, streets)
    if per_street + (1 if extra else 0) > MAX_COMMUNITIES_PER_STREET:
        raise ValueError(f"at most {MAX_COMMUNITIES_PER_STREET} communities per street")
    plan = Plan()
    next_street = {code: STREET_START for code, _ in DISTRICTS}
    village_every = round(1 / VILLAGE_SHARE)
    serial = 0
    for s in range(streets):
        district_code, _ = DISTRICTS[s % len(DISTRICTS)]
        number = next_street[district_code]
        next_street[district_code] += 1
        street_code = f"{district_code}{number:03d}000"
        street_name = _word(s) + _word(s // len(_WORDS) + 7) + _STREET_SUFFIX[s % len(_STREET_SUFFIX)]
        plan.streets.append(PlannedOrg(street_code, street_name, district_code))
        n_comm = per_street + (1 if s < extra else 0)
        n_community = n_village = 0
        for _ in range(n_comm):
            serial += 1
            if serial % village_every == 0:
                n_village += 1
                code = f"{street_code[:9]}{VILLAGE_START + n_village:03d}"
                name = _word(serial) + _word(serial // 3) + "村"
                kind = CommunityKind.VILLAGE
            else:
                n_community += 1
                code = f"{street_code[:9]}{n_community:03d}"
                name = (
                    _word(serial)
                    + _word(serial // 5 + 3)
                    + _COMMUNITY_SUFFIX[serial % len(_COMMUNITY_SUFFIX)]
                )
                kind = CommunityKind.COMMUNITY
            plan.communities.append(PlannedOrg(code, name, street_code, kind))
    return plan


def scale_orgs():
    """Every generated street and community (recognised by its code, never a demo node)."""
    return OrgUnit.objects.filter(
        level__in=[OrgLevel.STREET, OrgLevel.COMMUNITY], code__regex=SCALE_CODE_RE.pattern
    )


def scale_users():
    """Every generated staff account (``s_<code>`` / ``c_<code>`` with a generated code)."""
    pattern = rf"^({STREET_PREFIX}|{COMMUNITY_PREFIX}){SCALE_CODE_RE.pattern[1:]}"
    return User.objects.filter(username__regex=pattern)


class _Steps:
    """Prints each step with its duration."""

    def __init__(self, stdout):
        self.stdout = stdout or sys.stdout
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}

    def run(self, label: str, fn: Callable[[], object]):
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        self.timings[label] = elapsed
        suffix = f" — {result}" if isinstance(result, str) and result else ""
        self.stdout.write(f"  {label:<34} {elapsed:7.2f} s{suffix}\n")
        return result

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def _app_modules(name: str) -> Iterable[tuple[str, object]]:
    """``<app>.<name>`` of every installed app but the core, in app order (missing modules skipped)."""
    for config in apps.get_app_configs():
        if config.name == "portal" or "." in config.name:
            continue
        try:
            module = importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.{name}":
                continue
            raise
        yield config.name, module


def ensure_districts() -> dict[str, OrgUnit]:
    """The city and the 16 real districts (created like ``portal.demo`` does, without demo accounts)."""
    city, _ = OrgUnit.objects.get_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": OrgLevel.CITY, "parent": None}
    )
    nodes = {}
    for code, name in DISTRICTS:
        nodes[code], _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "level": OrgLevel.DISTRICT, "parent": city}
        )
    return nodes


def _create_orgs(planned: list[PlannedOrg], level: str, parents: dict[str, OrgUnit]) -> dict[str, OrgUnit]:
    existing = {o.code: o for o in OrgUnit.objects.filter(code__in=[p.code for p in planned])}
    new = []
    for p in planned:
        if p.code in existing:
            continue
        parent = parents[p.parent_code]
        new.append(
            OrgUnit(
                code=p.code,
                name=p.name,
                level=level,
                kind=p.kind,
                parent_id=parent.pk,
                path=f"{parent.path}{p.code}/",
            )
        )
    OrgUnit.objects.bulk_create(new, batch_size=BATCH)
    # Re-read so every node (old and new) carries its primary key and path.
    return {o.code: o for o in OrgUnit.objects.filter(code__in=[p.code for p in planned])}


def _create_staff(orgs: dict[str, OrgUnit], prefix: str, role: str, password_hash: str) -> int:
    usernames = {f"{prefix}{code}": code for code in orgs}
    existing = set(User.objects.filter(username__in=list(usernames)).values_list("username", flat=True))
    new_users = [
        User(
            username=username,
            password=password_hash,
            real_name=_person_name(int(code[-6:])),
            email=f"{username}@scale.jianfu.local",
        )
        for username, code in usernames.items()
        if username not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=BATCH)
    ids = dict(User.objects.filter(username__in=list(usernames)).values_list("username", "id"))
    grants = [
        RoleAssignment(user_id=ids[u], role=role, org_id=orgs[code].pk) for u, code in usernames.items()
    ]
    RoleAssignment.objects.bulk_create(grants, batch_size=BATCH, ignore_conflicts=True)
    stamp_access(
        ids.values()
    )  # a bulk insert sends no signal: the accounts' cached roles (portal.scope) go now
    return len(new_users)


def reset(*, stdout=None) -> dict[str, int]:
    """Remove every generated row (apps' scale data first, through ``<app>.scale.reset`` when they have one)."""
    out = stdout or sys.stdout
    for name, module in reversed(list(_app_modules("scale"))):
        app_reset = getattr(module, "reset", None)
        if app_reset is not None:
            t0 = time.perf_counter()
            app_reset(stdout=out)
            out.write(f"  reset {name + '.scale':<28} {time.perf_counter() - t0:7.2f} s\n")
    with transaction.atomic():
        orgs = scale_orgs()
        users = scale_users()
        roles, _ = RoleAssignment.objects.filter(org__in=orgs).delete()
        n_users, _ = users.delete()
        n_comm, _ = orgs.filter(level=OrgLevel.COMMUNITY).delete()
        n_street, _ = orgs.filter(level=OrgLevel.STREET).delete()
    return {"roles": roles, "users": n_users, "communities": n_comm, "streets": n_street}


def generate(
    *,
    streets: int = DEFAULT_STREETS,
    communities: int = DEFAULT_COMMUNITIES,
    reset_first: bool = False,
    password: str | None = DEMO_PASSWORD,
    with_apps: bool = True,
    stdout=None,
) -> dict[str, float]:
    """Generate (or top up) the scale data; returns the timings of each step in seconds."""
    out = stdout or sys.stdout
    steps = _Steps(out)
    plan = steps.run("plan", lambda: build_plan(streets=streets, communities=communities))
    if reset_first:
        steps.run(
            "reset previous scale data",
            lambda: "removed " + ", ".join(f"{v} {k}" for k, v in reset(stdout=out).items()),
        )
    # One hash for every generated account: hashing is the slow part of creating users.
    hashed: list[str] = []

    def _hash() -> str:
        hashed.append(make_password(password) if password else make_password(None))
        return "one hash shared by every generated account"

    steps.run("password hash (once)", _hash)
    password_hash = hashed[0]

    with transaction.atomic():
        districts = steps.run("city and 16 districts", ensure_districts)
        street_nodes = steps.run("streets", lambda: _create_orgs(plan.streets, OrgLevel.STREET, districts))
        community_nodes = steps.run(
            "communities", lambda: _create_orgs(plan.communities, OrgLevel.COMMUNITY, street_nodes)
        )
        steps.run(
            "street staff + roles",
            lambda: f"{_create_staff(street_nodes, STREET_PREFIX, Role.STREET_STAFF, password_hash)} new",
        )
        steps.run(
            "community staff + roles",
            lambda: (
                f"{_create_staff(community_nodes, COMMUNITY_PREFIX, Role.COMMUNITY_STAFF, password_hash)} new"
            ),
        )
    if with_apps:
        for name, module in _app_modules("scale"):
            app_generate = getattr(module, "generate", None)
            if app_generate is None:
                continue
            steps.run(f"{name}.scale.generate", functools.partial(app_generate, stdout=out))
    steps.timings["total"] = steps.total
    return steps.timings


def counts() -> dict[str, int]:
    orgs = scale_orgs()
    return {
        "streets": orgs.filter(level=OrgLevel.STREET).count(),
        "communities": orgs.filter(level=OrgLevel.COMMUNITY).count(),
        "villages": orgs.filter(level=OrgLevel.COMMUNITY, kind=CommunityKind.VILLAGE).count(),
        "staff": scale_users().count(),
    }


# --- does every scoped listing read one district's rows? (docs/scale.md, "Checked by simulation") --------


@dataclass
class ScopeRead:
    """One scoped model's ``for_user(official, "view")`` under EXPLAIN ANALYZE with sequential scans off."""

    label: str
    total: int  # rows in the table
    visible: int  # rows the official may see
    district_rows: int  # rows of the official's district (``district_code``; ``visible`` for other tables)
    read: int  # rows the scans of the model's table read (returned + filtered out + rechecked) × loops

    @property
    def within_district(self) -> bool:
        return self.read <= self.district_rows


def rows_read(plan: dict, table: str) -> int:
    """Rows every scan of ``table`` in an EXPLAIN (ANALYZE, FORMAT JSON) plan read, over all its loops."""
    rows = 0
    if plan.get("Relation Name") == table:
        per_loop = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
        per_loop += plan.get("Rows Removed by Index Recheck", 0)
        rows += per_loop * plan.get("Actual Loops", 1)
    return rows + sum(rows_read(child, table) for child in plan.get("Plans", []))


def scope_reads(user, district_code: str, *, min_rows: int = 0) -> list[ScopeRead]:
    """EXPLAIN every scoped model's ``for_user(user, "view")`` (PostgreSQL, inside a transaction: sequential
    scans are disabled with ``SET LOCAL`` so the planner shows its best index plan). Models with fewer than
    ``min_rows`` rows and models the user sees whole (public for viewing) are left out."""
    import json

    from django.db import connection

    from portal.scope import DistrictKeyed

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        found = []
        for model in apps.get_models():
            if model._meta.proxy or not (
                hasattr(model, "scope_q") and hasattr(model._default_manager, "for_user")
            ):
                continue
            total = model._base_manager.count()
            if total == 0 or total < min_rows:
                continue
            queryset = model._default_manager.for_user(user, "view")
            visible = queryset.count()
            if visible == total:
                continue  # not restricted for viewing
            district_rows = (
                model._base_manager.filter(district_code=district_code).count()
                if issubclass(model, DistrictKeyed)
                else visible
            )
            explained = queryset.explain(format="json", analyze=True)
            read = 0  # an empty scope: Django answers without asking the database, nothing is read
            if explained:
                plan = json.loads(explained)
                plan = plan[0]["Plan"] if isinstance(plan, list) else plan["Plan"]
                read = rows_read(plan, model._meta.db_table)
            found.append(ScopeRead(model._meta.label, total, visible, district_rows, read))
        transaction.set_rollback(True)
    return found
