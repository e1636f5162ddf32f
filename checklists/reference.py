"""Reference data of the checklists app: the city base lists (version 1) and the city-wide organisation
register. Existing versions and register entries are never touched (see ``portal.services.reference``)."""

from __future__ import annotations

from checklists import services
from checklists.choices import STANDARD_PLAQUES
from checklists.data import NEGATIVE_ITEMS
from checklists.models import ListVersion, OrganisationEntry
from portal.models import OrgUnit
from portal.services.reference import SeedResult


def seed() -> list[SeedResult]:
    city = OrgUnit.objects.filter(level="city").order_by("code").first()
    version = services.base_lists_seed(city=city)
    had_register = OrganisationEntry.objects.filter(org=city).exists()
    services.registers_seed(city=city)
    return [
        SeedResult("市级基础清单版本", 1 if version else 0, ListVersion.objects.filter(org=city).count()),
        SeedResult(
            "组织机构登记",
            0 if had_register else OrganisationEntry.objects.filter(org=city).count(),
            OrganisationEntry.objects.filter(org=city).count(),
        ),
        # Shipped in the code (read straight from it, nothing to store): listed so the operator sees them.
        SeedResult("负面清单事项（随程序发布）", 0, len(NEGATIVE_ITEMS)),
        SeedResult("标准牌子（随程序发布）", 0, len(STANDARD_PLAQUES)),
    ]
