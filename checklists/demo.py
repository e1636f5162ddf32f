"""Demo data of the checklists app: the shipped city base lists, 河西区's additions and registers."""

from __future__ import annotations

from checklists import services
from checklists.data import DEMO_DISTRICT_ITEMS, DEMO_LEDGERS, DEMO_PLAQUES
from checklists.models import LedgerEntry, PlaqueRecord
from checklists.schemas import LedgerSchema, PlaqueSchema
from portal.models import OrgUnit, User


def load_demo() -> None:
    city = OrgUnit.objects.get(code="120000")
    city_admin = User.objects.filter(username="city_admin").first()
    services.base_lists_seed(city=city, actor=city_admin)
    services.registers_seed(city=city)
    hexi_official = User.objects.filter(username="hexi_official").first()
    for code, rows in DEMO_DISTRICT_ITEMS.items():
        district = OrgUnit.objects.filter(code=code).first()
        if district is not None:
            services.district_items_seed(district=district, rows=rows, actor=hexi_official)
    for code, ledgers in DEMO_LEDGERS.items():
        district = OrgUnit.objects.filter(code=code).first()
        if district is None or LedgerEntry.objects.filter(district=district).exists():
            continue
        for row in ledgers:
            services.ledger_save(actor=hexi_official, district=district, data=LedgerSchema.parse(row))
    for code, plaques in DEMO_PLAQUES.items():
        community = OrgUnit.objects.filter(code=code).first()
        if community is None or PlaqueRecord.objects.filter(community=community).exists():
            continue
        for kind, text in plaques:
            plaque = {
                "kind": kind,
                "text": text,
                "requested_by": "河西区市场监管局" if kind == "other" else "",
            }
            services.plaque_add(actor=hexi_official, community=community, data=PlaqueSchema.parse(plaque))
