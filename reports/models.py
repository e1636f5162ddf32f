"""Records of the reports app. Report files themselves are core jobs (:class:`portal.models.Job`, kind
``reports.<kind>``): status, progress, the stored PDF and its scope come from there."""

from django.db import models
from django.db.models import Q

from portal.choices import Role
from portal.scope import ScopedQuerySet, org_q, org_right

#: The right over a district node to record its ledger baseline (its bureau or the city):
#: ``OrgUnit.objects.for_user(user, RECORD_BASELINE)``, ``portal.scope.allows``.
RECORD_BASELINE = org_right("reports.baseline", {Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL})


class LedgerBaseline(models.Model):
    """How many ledgers and reports (台账、报表) a district's communities kept before the clean-up of policy
    三(三): the base the catalogue is measured against."""

    district = models.OneToOneField(
        "portal.OrgUnit", on_delete=models.PROTECT, related_name="ledger_baseline", verbose_name="区"
    )
    count = models.PositiveIntegerField("清理前台账、报表数")
    as_of = models.DateField("基数时点")
    source = models.CharField("来源说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "台账清理基数"
        verbose_name_plural = "台账清理基数"
        ordering = ["district__code"]

    def __str__(self) -> str:
        return f"{self.district.name}：{self.count}"

    def audit_org(self):
        return self.district

    @classmethod
    def scope_q(cls, user, action: str) -> Q:
        """Baselines are public figures; the district bureau (or the city) records its own."""
        if action == "view":
            return Q()
        return org_q(user, "district", roles={Role.CITY_ADMIN, Role.DISTRICT_OFFICIAL})
