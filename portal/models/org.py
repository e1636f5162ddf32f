"""The org tree: city → district → street → community, with departments and approval bodies."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from portal.choices import ApprovalBodyKind, CommunityKind, DepartmentKind, OrgLevel, Role
from portal.scope import ScopedQuerySet, move_district_codes, org_right

#: The right to import the org tree from a spreadsheet (an org right, ``portal.scope.require_page_right``): the
#: city admin.
IMPORT_ORGS = org_right("portal.org_import", {Role.CITY_ADMIN})


class OrgUnitQuerySet(ScopedQuerySet):
    def within(self, node: "OrgUnit") -> "OrgUnitQuerySet":
        """The node and everything below it (a role held at ``node`` covers these)."""
        return self.filter(path__startswith=node.path)

    def communities(self) -> "OrgUnitQuerySet":
        return self.filter(level=OrgLevel.COMMUNITY)


class OrgUnit(models.Model):
    """A node of the administrative tree, identified by its GB/T 2260-style code.

    ``path`` is the chain of codes from the city down to this node (``120000/120103/…/``): a role
    held at a node covers every node whose path starts with it, in one indexed query.
    """

    code = models.CharField("代码", max_length=16, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=16, choices=OrgLevel.choices, db_index=True)
    kind = models.CharField(
        "类型", max_length=16, choices=CommunityKind.choices, blank=True, help_text="社区层级：社区或村"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "组织单元"
        verbose_name_plural = "组织单元"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"]), models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Store the node and keep the materialised paths of the whole subtree true.

        When a node moves (new parent) or is recoded, every descendant's path — and the ``district_code`` of
        every row below it in the district-keyed tables — is rewritten in the same transaction, with the rows
        locked: scope is a prefix match on ``path``, so a stale path below a
        moved street would silently put its communities under the old district. A move under the node
        itself or one of its descendants (a cycle) is refused.
        """
        from portal.errors import DomainError

        if self.pk is None:
            self.path = (self.parent.path if self.parent_id else "") + f"{self.code}/"
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            old_path = (
                OrgUnit.objects.select_for_update().filter(pk=self.pk).values_list("path", flat=True).first()
            )
            parent_path = ""
            if self.parent_id:
                parent_path = (
                    OrgUnit.objects.select_for_update().values_list("path", flat=True).get(pk=self.parent_id)
                )
                if self.parent_id == self.pk or (old_path and parent_path.startswith(old_path)):
                    raise DomainError("不能把单元移到它自己或它的下级之下。", code="org_cycle")
            self.path = parent_path + f"{self.code}/"
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                below = (
                    OrgUnit.objects.select_for_update().filter(path__startswith=old_path).exclude(pk=self.pk)
                )
                list(below.values_list("pk", flat=True))  # lock the subtree before rewriting it
                below.update(
                    path=Concat(
                        Value(self.path),
                        Substr("path", len(old_path) + 1),
                        output_field=models.CharField(),
                    )
                )
                # Rows of the district-keyed tables below the node follow it to its new district.
                move_district_codes(self)

    def clean(self):
        """A node hangs under a node of the level above, never under itself or its own descendants."""
        from portal.choices import PARENT_LEVEL

        super().clean()
        if self.parent_id is None:
            if self.level and self.level != OrgLevel.CITY:
                raise ValidationError({"parent": "只有市级单元可以没有上级。"})
            return
        wanted = PARENT_LEVEL.get(self.level)
        if wanted and self.parent.level != wanted:
            raise ValidationError(
                {"parent": f"{self.get_level_display()}的上级必须是{OrgLevel(wanted).label}。"}
            )
        if self.pk and self._would_cycle(self.parent):
            raise ValidationError({"parent": "不能把单元移到它自己或它的下级之下。"})

    def _would_cycle(self, parent: "OrgUnit | None") -> bool:
        if parent is None or self.pk is None:
            return False
        if parent.pk == self.pk:
            return True
        stored = OrgUnit.objects.filter(pk=self.pk).values_list("path", flat=True).first()
        parent_path = OrgUnit.objects.filter(pk=parent.pk).values_list("path", flat=True).first() or ""
        return stored is not None and stored != "" and parent_path.startswith(stored)

    @property
    def full_name(self) -> str:
        """The name with its ancestors below the city, e.g. ``河西区大营门街道…社区`` (cached until an org
        changes: ``portal.caching`` generation "orgs")."""
        if self.pk is None:
            return self._full_name()
        from portal.caching import cached

        return cached("orgs", f"full_name:{self.pk}:{self.path}:{self.name}", self._full_name)

    def _full_name(self) -> str:
        return "".join(a.name for a in self.ancestors(include_self=True) if a.level != OrgLevel.CITY)

    def ancestors(self, include_self: bool = False) -> list["OrgUnit"]:
        """The nodes on this node's path, the city first — read once per process until an org changes
        (``portal.caching.local_cached``, generation ``orgs``): breadcrumbs and full names on every page."""
        from portal.caching import local_cached

        codes = [c for c in self.path.split("/") if c]
        if not include_self:
            codes = codes[:-1]

        def read() -> tuple["OrgUnit", ...]:
            nodes = {o.code: o for o in OrgUnit.objects.filter(code__in=codes)}
            return tuple(nodes[c] for c in codes if c in nodes)

        return list(local_cached("orgs", "ancestors:" + "/".join(codes), read))

    def ancestor_at(self, level: str) -> "OrgUnit | None":
        for node in self.ancestors(include_self=True):
            if node.level == level:
                return node
        return None

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        # The org tree itself is public information: anyone may read it. Every other action is a right over
        # the node declared in portal.scope.ORG_RIGHTS ("change": move and recode, through the admin and
        # portal.services.orgs; the apps' own, e.g. editing a district's lists).
        from portal.scope import org_right_q

        return org_right_q(user, action)


class Department(models.Model):
    """A government department at city or district level (市统计局, 河西区卫健委 …)."""

    code = models.CharField("部门代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    org = models.ForeignKey(
        OrgUnit, verbose_name="所属层级", on_delete=models.PROTECT, related_name="departments"
    )
    kind = models.CharField(
        "类型", max_length=16, choices=DepartmentKind.choices, default=DepartmentKind.LINE
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["org__code", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.org.level

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return Q()


class ApprovalBody(models.Model):
    """An approval body for task admission: 市委/市政府 at city level, 区委/区政府 at district level."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=20, help_text="用于编号，如“津”“津河西”")
    org = models.ForeignKey(
        OrgUnit, verbose_name="所属层级", on_delete=models.PROTECT, related_name="approval_bodies"
    )
    kind = models.CharField("类型", max_length=16, choices=ApprovalBodyKind.choices)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审批机关"
        verbose_name_plural = "审批机关"
        ordering = ["org__code", "kind"]
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="one_body_per_kind_and_org")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        return Q()
