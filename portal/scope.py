"""Scope in one place: who may see and do what.

Every scoped model gets its queryset from :class:`ScopedQuerySet` and defines a classmethod
``scope_q(user, action) -> Q`` built from the org tree with :func:`org_q`. ``Model.objects.for_user(user,
action)`` combines that geographic scope with explicit per-object grants from django-guardian (a resident's
own application, a reviewer assigned to one request). Views, API endpoints and selectors never filter by
hand: they start from ``for_user``, and anything outside it answers 404 (see :func:`get_scoped_or_404`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import F, Q, lookups
from django.http import Http404

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Grant:
    """One role held by a user at one org node (and, for department staff, in one department)."""

    role: str
    org_id: int
    org_code: str
    org_path: str
    org_level: str
    org_name: str
    department_id: int | None = None
    department_name: str = ""


#: The generation of the org tree's names and paths that cached roles carry (``portal.caching``): bumped when
#: an org unit or a department changes (``PortalConfig.ready``).
PRINCIPALS = "principals"
#: The shape of the cached value: change it with the shape, so a new release never reads an old one's values.
_PRINCIPAL_FORMAT = 1


def _principal(user) -> tuple[list[Grant], dict[tuple[int, str], set[str]], bool]:
    """The user's roles, explicit per-object grants and whether a confirmed TOTP device guards the account: read
    from the database once per change (one cache read per request otherwise), kept on the user object for the
    rest of the request.

    Keyed by the account's ``access_stamp``, which every change of its roles, grants or devices increments in the
    database (:func:`stamp_access`, inside the change's transaction) and which is read with the account on
    every request — so a revoked right is never served from the cache, even if the cache missed the change —
    and by the moment the account was created, so a database loaded again under the same cache never hands
    one account's roles to another."""
    cached_value = getattr(user, "_jianfu_principal", None)
    if cached_value is not None:
        return cached_value
    from portal.caching import cached

    joined = getattr(user, "date_joined", None)
    parts = f"v{_PRINCIPAL_FORMAT}:{user.pk}:{getattr(user, 'access_stamp', '')}:{joined.isoformat() if joined else ''}"
    value = cached(
        PRINCIPALS, parts, lambda: (_load_grants(user), _load_object_perms(user), _load_totp(user))
    )
    user._jianfu_principal = value
    return value


def stamp_access(user_ids: Iterable[int]) -> None:
    """Mark the roles or per-object grants of these accounts as changed (their cached roles are not read
    again). Called by the signals of role assignments, guardian grants and groups (``PortalConfig.ready``)
    and by bulk loaders, which send none."""
    from portal.models import User

    ids = sorted({i for i in user_ids if i is not None})
    if ids:
        User.objects.filter(pk__in=ids).update(access_stamp=F("access_stamp") + 1)


def _load_grants(user) -> list[Grant]:
    from portal.models import RoleAssignment

    return [
        Grant(
            role=ra.role,
            org_id=ra.org_id,
            org_code=ra.org.code,
            org_path=ra.org.path,
            org_level=ra.org.level,
            org_name=ra.org.name,
            department_id=ra.department_id,
            department_name=ra.department.name if ra.department_id else "",
        )
        for ra in RoleAssignment.objects.filter(user=user).select_related("org", "department").order_by("id")
    ]


def connect_access_stamps() -> None:
    """Increment ``access_stamp`` of the accounts whose roles, per-object grants or TOTP devices change (from
    ``PortalConfig.ready``): a role assignment, a guardian grant or a TOTP device saved or deleted, a group's
    grants, a user's groups."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from portal.models import RoleAssignment, User

    def own(sender, instance, **kwargs):
        stamp_access([instance.user_id])

    def of_group(sender, instance, **kwargs):
        stamp_access(User.objects.filter(groups=instance.group_id).values_list("pk", flat=True))

    def membership(sender, instance, action, reverse, pk_set, **kwargs):
        if isinstance(instance, User):  # a user's groups changed
            if action.startswith("post_"):
                stamp_access([instance.pk])
        elif action in ("post_add", "post_remove"):  # a group's members changed
            stamp_access(pk_set or ())
        elif action == "pre_clear":  # a group is about to lose all its members
            stamp_access(User.objects.filter(groups=instance).values_list("pk", flat=True))

    for model, receiver in (
        (RoleAssignment, own),
        (UserObjectPermission, own),
        (TOTPDevice, own),  # "has a confirmed device" is cached with the roles: two-factor login reads it
        (GroupObjectPermission, of_group),
    ):
        label = model._meta.label
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"access_stamp:{label}:save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"access_stamp:{label}:delete")
    m2m_changed.connect(
        membership, sender=User.groups.through, weak=False, dispatch_uid="access_stamp:groups"
    )


def _load_totp(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_confirmed_totp(user) -> bool:
    """Whether a confirmed TOTP device guards the account (two-factor login; cached with the roles: a device
    saved or deleted increments the account's ``access_stamp``)."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return _principal(user)[2]


def user_grants(user) -> list[Grant]:
    """The user's roles (cached until roles change, and on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return _principal(user)[0]


def forget_grants(user) -> None:
    """Drop the roles kept on the user object after they changed, and read its ``access_stamp`` again (the
    change's signal incremented it in the database)."""
    if hasattr(user, "_jianfu_principal"):
        del user._jianfu_principal
    if getattr(user, "pk", None) is not None and hasattr(user, "access_stamp"):
        from portal.models import User

        stamp = User.objects.filter(pk=user.pk).values_list("access_stamp", flat=True).first()
        if stamp is not None:
            user.access_stamp = stamp


def has_role(user, *roles: str) -> bool:
    if getattr(user, "is_superuser", False) and not roles:
        return True
    wanted = set(roles)
    return any(g.role in wanted for g in user_grants(user))


def grants_for(user, roles: Iterable[str] | None = None) -> list[Grant]:
    wanted = set(roles) if roles is not None else None
    return [g for g in user_grants(user) if wanted is None or g.role in wanted]


def is_city_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, "city_admin")


def org_q(
    user,
    field: str = "org",
    *,
    roles: Iterable[str] | None = None,
    path_field: str | None = None,
    district_field: str | None = None,
) -> Q:
    """Rows whose org lies at or below a node where ``user`` holds one of ``roles``.

    ``field`` names the foreign key to :class:`OrgUnit` (``""`` for the org tree itself, ``"community"``,
    ``"request__community"`` …); ``path_field`` names a denormalised path column instead.
    ``district_field`` names the row's own indexed district column (``"district_code"`` of a
    :class:`DistrictKeyed` model, filled from that same ``field``): a grant at or below a district then
    becomes ``district_code = …`` (plus the path prefix below the district), so the planner reads only that
    district's rows instead of matching the joined org's path over the whole table.
    Superusers see everything.
    """
    if getattr(user, "is_superuser", False):
        return Q()
    grants = grants_for(user, roles)
    if not grants:
        return NOTHING
    if path_field is None:
        path_field = f"{field}__path" if field else "path"
    q = NOTHING
    for path in _outermost_paths(g.org_path for g in grants):
        codes = _codes(path)
        below = Q(**{f"{path_field}__startswith": path})
        if district_field and len(codes) >= 2:
            in_district = Q(**{district_field: codes[1]})
            # The district's own rows all carry its code: no need to look at the org's path at all.
            q |= in_district if len(codes) == 2 else in_district & below
        else:
            q |= below
    return q


class _InArray(lookups.In):
    """``x IN (subquery)`` that PostgreSQL runs as ``x = ANY(ARRAY(subquery))``: the subquery runs once and the
    outer table is probed by its index for those rows only, where a semi join may walk the outer table whole."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def in_subquery(field: str, queryset: models.QuerySet) -> Q:
    """Rows whose ``field`` is among the values of ``queryset`` (one column), probed by index (see
    :class:`_InArray`). For a set bounded by one district (a district's accounts from its role assignments);
    a city-wide set is better left to the planner as ``field__in``."""
    return Q(_InArray(F(field), queryset.query))


def within_districts(user, roles: Iterable[str] | None = None) -> bool:
    """Whether every grant of ``user`` among ``roles`` lies at or below a district (none at city level)."""
    grants = grants_for(user, roles)
    return bool(grants) and all(len(_codes(g.org_path)) >= 2 for g in grants)


def _outermost_paths(paths: Iterable[str]) -> list[str]:
    kept: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return kept


def _codes(path: str) -> list[str]:
    return [c for c in (path or "").split("/") if c]


def district_of(path: str) -> str:
    """The district code of an org ``path`` (``city/district/…/``): its second code; the city's own code for
    the city itself, "" for no org. Rows of :class:`DistrictKeyed` tables store it in ``district_code``."""
    codes = _codes(path)
    return codes[1] if len(codes) > 1 else (codes[0] if codes else "")


def covers(user, org, *, roles: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds one of ``roles`` at ``org`` or above it."""
    if getattr(user, "is_superuser", False):
        return True
    return any(org.path.startswith(g.org_path) for g in grants_for(user, roles))


def _guardian_index(user) -> dict[tuple[int, str], set[str]]:
    """All explicit per-object grants of ``user`` (own and through groups), cached with the roles."""
    return _principal(user)[1]


def _load_object_perms(user) -> dict[tuple[int, str], set[str]]:
    from guardian.models import GroupObjectPermission, UserObjectPermission

    index: dict[tuple[int, str], set[str]] = {}
    # Own grants and those through groups in one query (UNION ALL).
    own = UserObjectPermission.objects.filter(user=user).values_list(
        "content_type_id", "permission__codename", "object_pk"
    )
    via_groups = GroupObjectPermission.objects.filter(group__user=user).values_list(
        "content_type_id", "permission__codename", "object_pk"
    )
    for ct_id, codename, object_pk in own.union(via_groups, all=True):
        index.setdefault((ct_id, codename), set()).add(object_pk)
    return index


def _guardian_pks(user, model: type[models.Model], codename: str) -> list:
    ct = ContentType.objects.get_for_model(model)
    to_python = model._meta.pk.to_python
    return [to_python(pk) for pk in _guardian_index(user).get((ct.id, codename), ())]


def holds_object_grants(user) -> bool:
    """Whether ``user`` holds some per-object grant — an object assigned to them (``portal.services.assignments``),
    or to a colleague they act for: the predicate of the pages listing those objects (指派给我的). Read from the
    user's cached grants, without a query."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(_guardian_index(user).values())


def forget_object_perms(user) -> None:
    """Drop the per-object grants kept on the user object after assigning or removing one."""
    forget_grants(user)


def _model_codenames(model: type[models.Model]) -> set[str]:
    name = model._meta.model_name
    codenames = {f"{a}_{name}" for a in model._meta.default_permissions}
    codenames |= {c for c, _ in model._meta.permissions}
    return codenames


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows what each user may see and do (NetBox's ``restrict`` idea)."""

    def for_user(self, user, action: str = "view") -> ScopedQuerySet:
        if getattr(user, "is_superuser", False):
            return self.all()
        q = self.model.scope_q(user, action)
        if getattr(user, "is_authenticated", False):
            codename = f"{action}_{self.model._meta.model_name}"
            if codename in _model_codenames(self.model):
                granted = _guardian_pks(user, self.model, codename)
                if granted:
                    q = q | Q(pk__in=granted)
        return self.filter(q)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if issubclass(self.model, DistrictKeyed):
            self.model.fill_district_codes(objs)
        return super().bulk_create(objs, *args, **kwargs)


# --- rights over an org node itself ---------------------------------------------

#: The rights over an org node itself — a page about one node rather than one row: edit the lists of a district,
#: record a community's plaques, read a node's burden figures. Each is an action of ``OrgUnit.scope_q``: held by
#: its roles at the node or above it. Reading the tree (``"view"``) is public and not listed here; ``"change"``
#: (moving and recoding nodes) belongs to the core. Apps declare theirs with :func:`org_right`.
ORG_RIGHTS: dict[str, frozenset[str]] = {"change": frozenset({"city_admin", "district_official"})}


def org_right(action: str, roles: Iterable[str]) -> str:
    """Declare the right ``action`` over org nodes, held by ``roles`` at a node or above it, and return
    ``action``: ``OrgUnit.objects.for_user(user, action)`` and the guard read it like any other right (a list page
    through :func:`require_page_right`).
    Declaring the same action twice with other roles is an error (one right, one meaning)."""
    wanted = frozenset(str(r) for r in roles)
    if ORG_RIGHTS.setdefault(action, wanted) != wanted:
        raise ValueError(f"org right {action!r} is already declared with other roles")
    return action


def org_right_q(user, action: str) -> Q:
    """The org nodes on which ``user`` holds the right ``action`` (``OrgUnit.scope_q``); an action nobody
    declared is an error rather than a right nobody holds by accident."""
    if action == "view":
        return Q()
    try:
        roles = ORG_RIGHTS[action]
    except KeyError:
        raise ValueError(f"no org right {action!r} is declared (portal.scope.org_right)") from None
    return org_q(user, "", roles=roles)


def holds_right(user, right: str) -> bool:
    """Whether ``user`` holds the org right ``right`` at some node: the right to open a page listing what the
    right reaches (a bureau's complaints, a department's orders), even while it reaches nothing yet. The same
    answer as ``OrgUnit.objects.for_user(user, right).exists()`` — a role held at a node covers the node
    itself — read from the user's roles, without a query."""
    if getattr(user, "is_superuser", False):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    try:
        roles = ORG_RIGHTS[right]
    except KeyError:
        raise ValueError(f"no org right {right!r} is declared (portal.scope.org_right)") from None
    return any(g.role in roles for g in user_grants(user))


def require_page_right(user, right: str, *, what: str, refusal: str = "") -> None:
    """The guard of a page that lists what an org right reaches: 404 unless ``user`` holds ``right`` somewhere
    (:func:`holds_right`), the refusal audited as ``what`` — the page does not exist for anyone else. A page
    that tells the others why they are turned away names its ``refusal`` (in Chinese): a 403 with that text."""
    if holds_right(user, right):
        return
    from portal.audit import audit_denied

    audit_denied(detail=what, actor=user)
    if refusal:
        raise PermissionDenied(refusal)
    raise Http404


def scope_key(user, model: type[models.Model], action: str = "view") -> str:
    """A text naming the scope ``model.objects.for_user(user, action)`` gives ``user``: the user, whether a
    superuser, their roles (role, org, path, department) and their per-object grants on ``model``.

    It stands for the compiled SQL of that filter as a cache key (``portal.caching.CachedListing(key=…)``),
    without building or compiling anything: every ``scope_q`` reads only these (the user's id, their grants
    through :func:`grants_for`/:func:`org_q`) — a ``scope_q`` reading anything else in Python must not be
    cached by this key. A change of roles or grants gives another key."""
    if not getattr(user, "is_authenticated", False):
        return f"{model._meta.label}|{action}|anonymous"
    grants = ";".join(f"{g.role}@{g.org_id}:{g.org_path}:{g.department_id or ''}" for g in user_grants(user))
    codename = f"{action}_{model._meta.model_name}"
    granted = (
        ",".join(sorted(str(pk) for pk in _guardian_pks(user, model, codename)))
        if codename in _model_codenames(model)
        else ""
    )
    superuser = "su" if getattr(user, "is_superuser", False) else ""
    return f"{model._meta.label}|{action}|u{user.pk}{superuser}|{grants}|{granted}"


# --- the district key of the large scoped tables --------------------------------


class DistrictKeyed(models.Model):
    """Abstract base of the large scoped tables: each row carries ``district_code``, the code of the district
    its org lies in (:func:`district_of`), indexed and leading the composite indexes the scoped listings use.

    ``org_q(…, district_field="district_code")`` turns a grant at or below a district into an equality on it,
    so one district's official reads one district's rows; it is also the Citus distribution column
    (docs/scale.md). The column follows ``district_org_field`` (a foreign key to :class:`OrgUnit`), or
    ``district_path_field`` (a denormalised path that is never rewritten, the audit log's ``org_path``). It is
    filled on ``save()`` and ``bulk_create()``, backfilled by each table's migration
    (:func:`backfill_district_codes`), and rewritten for every row below an org unit that moves to another
    district, in the move's transaction (:func:`move_district_codes`, called by ``OrgUnit.save``).
    """

    district_code = models.CharField("所属区代码", max_length=16, blank=True, default="", editable=False)

    district_org_field: ClassVar[str] = "org"
    district_path_field: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Fill ``district_code`` when the row is new or its org changed. Otherwise the column is left out of
        the ``UPDATE``: it belongs to the org tree, and an instance loaded before a concurrent move must not
        write its old district back."""
        source = self._district_source_value()
        update_fields = kwargs.get("update_fields")
        if self._state.adding or not self.district_code or source != getattr(self, "_district_source", None):
            type(self).fill_district_codes([self])
            if update_fields is not None and "district_code" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "district_code"]
        elif update_fields is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "district_code"
            ]
        elif update_fields is not None:
            kwargs["update_fields"] = [f for f in update_fields if f != "district_code"]
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._district_source = obj._district_source_value()
        return obj

    def _district_source_value(self):
        name = self.district_path_field or self._meta.get_field(self.district_org_field).attname
        return self.__dict__.get(name)

    @classmethod
    def fill_district_codes(cls, objs: Sequence[DistrictKeyed]) -> None:
        """Set ``district_code`` on ``objs`` from their org (one query for the orgs not already loaded)."""
        if cls.district_path_field:
            for obj in objs:
                obj.district_code = district_of(getattr(obj, cls.district_path_field))
                obj._district_source = obj._district_source_value()
            return
        from portal.models import OrgUnit

        field = cls._meta.get_field(cls.district_org_field)
        paths: dict[int, str] = {}
        missing = set()
        for obj in objs:
            org_id = getattr(obj, field.attname)
            if org_id is None:
                continue
            org = field.get_cached_value(obj, default=None)
            if org is not None and org.pk == org_id and org.path:
                paths[org_id] = org.path
            else:
                missing.add(org_id)
        if missing - paths.keys():
            paths.update(OrgUnit.objects.filter(pk__in=missing - paths.keys()).values_list("pk", "path"))
        for obj in objs:
            obj.district_code = district_of(paths.get(getattr(obj, field.attname), ""))
            obj._district_source = obj._district_source_value()


def district_keyed_models() -> list[type[DistrictKeyed]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, DistrictKeyed) and not m._meta.proxy]


def move_district_codes(node) -> int:
    """After ``node`` moved or was recoded (its subtree's paths already rewritten): every row of every
    district-keyed table whose org lies at or below it takes the district of its new place. Called by
    ``OrgUnit.save`` inside the move's transaction. Rows keyed by a denormalised path (the audit log) keep
    the district they were written in, like their path. Returns the number of rows rewritten."""
    codes = _codes(node.path)
    new = district_of(node.path)
    changed = 0
    for model in district_keyed_models():
        if model.district_path_field:
            continue
        fk = model.district_org_field
        # At or below a district, the whole subtree shares the new district; the city's own rows only.
        rows = (
            model._base_manager.filter(**{f"{fk}__path__startswith": node.path})
            if len(codes) >= 2
            else model._base_manager.filter(**{fk: node})
        )
        changed += rows.exclude(district_code=new).update(district_code=new)
    return changed


def backfill_district_codes(apps, label: str, *, org_field: str | None = None, path_field: str | None = None):
    """Fill ``district_code`` of every row of ``label`` in a data migration (historical models): one
    ``UPDATE`` per district (and one for rows of the city itself), portable to SQLite."""
    model = apps.get_model(label)
    OrgUnit = apps.get_model("portal", "OrgUnit")
    lookup = f"{org_field}__path" if org_field else path_field
    roots: set[str] = set()
    districts: set[str] = set()
    for path in OrgUnit.objects.values_list("path", flat=True):
        codes = _codes(path)
        if codes:
            roots.add(codes[0] + "/")
        if len(codes) >= 2:
            districts.add(f"{codes[0]}/{codes[1]}/")
    for prefix in sorted(districts):
        model._base_manager.filter(**{f"{lookup}__startswith": prefix}).update(
            district_code=district_of(prefix)
        )
    for root in sorted(roots):
        model._base_manager.filter(**{lookup: root}).update(district_code=district_of(root))


def get_scoped_or_404(
    queryset_or_model, user, action: str = "view", *, cached_as: tuple[str, str] | None = None, **lookup
):
    """Fetch one object inside the user's scope, or 404.

    An object that exists but lies outside the scope answers 404 as well (it "does not exist" for this
    user), and that refused access is written to the audit log.

    ``cached_as=(generation, label)`` keeps the object found (with what the queryset prefetched) in the cache
    until that generation of ``portal.caching`` changes — it must be bumped by every change to what the
    queryset loads; ``label`` names the queryset's shape. The key holds the user's :func:`scope_key`, so a
    cached object is only ever served within the scope it was found in; a miss asks the database as usual.
    """
    qs = (
        queryset_or_model
        if isinstance(queryset_or_model, models.QuerySet)
        else queryset_or_model.objects.all()
    )
    if cached_as is not None:
        from portal.caching import cached

        name, label = cached_as
        parts = f"guard|{label}|{scope_key(user, qs.model, action)}|{sorted(lookup.items())!r}"
        found = cached(name, parts, lambda: _scoped_or_none(qs, user, action, lookup))
        if found is not None:
            return found
    try:
        return qs.for_user(user, action).get(**lookup)
    except qs.model.DoesNotExist:
        outside = qs.model._default_manager.filter(**lookup).first()
        if outside is not None:
            from portal.audit import audit_denied

            audit_denied(obj=outside, action=action, actor=user)
        raise Http404("未找到该对象，或您无权访问。")
    except (ValueError, TypeError, DjangoValidationError):
        raise Http404("未找到该对象。")


def _scoped_or_none(qs, user, action: str, lookup: dict):
    try:
        return qs.for_user(user, action).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError, DjangoValidationError):
        return None


# --- the one guard, per-object grants ------------------------------------------


def require_right(target, actor, pk, action: str, noun: str, *, denied: str = "") -> None:
    """The service-side guard: ``actor`` may take ``action`` on the object ``pk`` of ``target`` (a model or
    a queryset), read through ``for_user`` like every other right.

    An object the actor may see but not act on answers 403 (``denied``, or “您无权对{noun}执行此操作。”);
    one the actor cannot see at all answers 404 (“未找到{noun}，或您无权访问。”), so nothing outside the
    scope is revealed. Refusals of an existing object are audited.
    """
    from portal.errors import NotFoundError, PermissionDeniedError

    qs = target if isinstance(target, models.QuerySet) else target._default_manager.all()
    try:
        if actor is not None and qs.for_user(actor, action).filter(pk=pk).exists():
            return
    except (ValueError, TypeError, DjangoValidationError):
        raise NotFoundError(f"未找到{noun}。")
    outside = qs.model._default_manager.filter(pk=pk).first()
    if outside is not None:
        from portal.audit import audit_denied

        audit_denied(obj=outside, action=action, actor=actor)
    if actor is not None and action != "view" and qs.for_user(actor, "view").filter(pk=pk).exists():
        raise PermissionDeniedError(denied or f"您无权对{noun}执行此操作。")
    raise NotFoundError(f"未找到{noun}，或您无权访问。")


def allows(user, action: str, obj: models.Model) -> bool:
    """Whether ``user`` may take ``action`` on ``obj`` — ``for_user(user, action)`` asked about one object, for
    the buttons and links a page offers (the service decides again when the action is taken)."""
    if user is None or obj is None or obj.pk is None:
        return False
    model = type(obj)
    if (
        model._meta.label == "portal.OrgUnit"
        and action in ORG_RIGHTS
        and getattr(user, "is_authenticated", False)
    ):
        # A right over a node (``org_right_q``): the same answer read from the user's roles, without a query.
        if covers(user, obj, roles=ORG_RIGHTS[action]):
            return True
        codename = f"{action}_{model._meta.model_name}"
        return codename in _model_codenames(model) and obj.pk in set(_guardian_pks(user, model, codename))
    return model._default_manager.for_user(user, action).filter(pk=obj.pk).exists()


def allowed(user, actions: Iterable[str], obj: models.Model, *, cached_as: str | None = None) -> set[str]:
    """Which of ``actions`` ``user`` may take on ``obj``: :func:`allows` for several actions at once, in one query
    (one ``EXISTS`` over ``for_user`` per action) — for a page offering the actions its workflow's table allows
    from the object's state (``WORKFLOW.available(obj, may=lambda u, o, t: t.action in rights)``).

    ``cached_as`` names a generation of ``portal.caching`` bumped by every change of ``obj`` (and of whatever
    its ``scope_q`` reads of other rows): the answer is then kept under it, keyed by the object and the user's
    :func:`scope_key` for each action, so it is only ever reused within the same scope."""
    wanted = list(dict.fromkeys(str(a) for a in actions))
    if user is None or obj is None or obj.pk is None or not wanted:
        return set()
    if cached_as is not None:
        from portal.caching import cached

        model = type(obj)
        scopes = "|".join(scope_key(user, model, action) for action in wanted)
        return set(
            cached(cached_as, f"allowed|{obj.pk}|{scopes}", lambda: sorted(_allowed(user, wanted, obj)))
        )
    return _allowed(user, wanted, obj)


def _allowed(user, wanted: list[str], obj: models.Model) -> set[str]:
    from django.db.models import Exists

    manager = type(obj)._default_manager
    flags = {
        f"may_{i}": Exists(manager.for_user(user, action).filter(pk=obj.pk))
        for i, action in enumerate(wanted)
    }
    row = manager.filter(pk=obj.pk).annotate(**flags).values_list(*flags).first()
    return {action for action, may in zip(wanted, row or (), strict=False) if may}


def guard(target, user, action: str = "view", *, cached_as: tuple[str, str] | None = None, **lookup):
    """The one guard of views and API handlers: the object ``lookup`` finds inside ``user``'s scope for
    ``action`` (``target`` is a model or a queryset), or 404 — refused accesses are audited.

    Same as :func:`get_scoped_or_404`; views and the API both use this name.
    """
    return get_scoped_or_404(target, user, action, cached_as=cached_as, **lookup)


def recheck(
    obj: models.Model, actor, action: str = "view", *, noun: str = "该记录", message: str = ""
) -> None:
    """The NetBox-style re-check after a write: re-read the saved ``obj`` through ``for_user(actor, action)``
    inside the same transaction. When the write moved it out of the actor's scope (another district's
    community, another department) a :class:`~portal.errors.PermissionDeniedError` (403, Chinese) ends the
    transaction, so nothing of the write is kept. Jobs and anonymous callers (no ``actor``) are not re-checked.
    """
    from django.db import transaction

    from portal.errors import PermissionDeniedError

    if actor is None or not getattr(actor, "is_authenticated", False):
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("recheck() belongs inside the transaction of the write it checks")
    if type(obj)._default_manager.for_user(actor, action).filter(pk=obj.pk).exists():
        return
    from portal.audit import audit_denied

    audit_denied(obj=obj, action=action, actor=actor, detail="保存后超出权限范围，已撤销")
    raise PermissionDeniedError(message or f"保存后的{noun}超出您的权限范围，未作任何更改。")


def grant_object(user, action: str, obj: models.Model) -> None:
    """Give ``user`` the right ``action`` on this one object (django-guardian) — for what the org tree cannot
    express: the reviewer assigned to one request, a delegate for a colleague on leave. Called by services
    only; ``for_user`` reads it."""
    from guardian.shortcuts import assign_perm

    assign_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", user, obj)
    forget_object_perms(user)


def revoke_object(user, action: str, obj: models.Model) -> None:
    """Take back a right given with :func:`grant_object`."""
    from guardian.shortcuts import remove_perm

    remove_perm(f"{obj._meta.app_label}.{action}_{obj._meta.model_name}", user, obj)
    forget_object_perms(user)
