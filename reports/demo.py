"""Demo data of the reports: the ledger baselines of the demo districts (the count before the clean-up)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from portal.models import OrgUnit

#: Ledgers and reports a district's communities kept before the 2019 clean-up, per demo district.
BASELINES = {"120103": 46, "120104": 52}


def load_demo() -> None:
    from reports.models import LedgerBaseline

    districts = OrgUnit.objects.filter(code__in=BASELINES).annotate(n=Count("ledger_entries"))
    for d in districts:
        LedgerBaseline.objects.update_or_create(
            district=d,
            defaults={
                "count": BASELINES[d.code],
                "as_of": date(2019, 6, 30),
                "source": "2019年社区台账、报表清理前摸底统计（演示数据）",
            },
        )
