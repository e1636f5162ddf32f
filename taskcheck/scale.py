"""Tianjin-scale refusals for the burden figures (reports): a year of them spread over every community and
month (bulk inserts; the admission and evaluation scale data come from their apps)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portal.choices import OrgLevel
from portal.models import OrgUnit

SCALE_MARK = "规模拒"
PER_COMMUNITY = 3
BATCH = 2000
DEPARTMENTS = ["区城管委", "区卫健委", "区应急局", "区市场监管局", "区生态环境局", "区住建委"]
TITLES = ["上报辖区违建台账", "入户排查群租房", "代收城市管理罚款", "组织企业招商推介", "开展环境整治验收"]


def generate(*, stdout) -> None:
    from taskcheck.choices import Verdict
    from taskcheck.models import Refusal

    if Refusal.objects.filter(notice_no__startswith=SCALE_MARK).exists():
        stdout.write("taskcheck: 规模数据已存在，跳过。\n")
        return
    communities = list(
        OrgUnit.objects.filter(level=OrgLevel.COMMUNITY).order_by("code").values_list("pk", flat=True)
    )
    today = timezone.localdate()
    months = [
        ((today.year * 12 + today.month - 1 - i) // 12, (today.year * 12 + today.month - 1 - i) % 12 + 1)
        for i in range(12)
    ]
    rows = []
    n = 0
    for i, pk in enumerate(communities):
        for j in range(PER_COMMUNITY):
            y, m = months[(i + j * 5) % 12]
            n += 1
            rows.append(
                Refusal(
                    community_id=pk,
                    notice_no=f"{SCALE_MARK}{y}{m:02d}-{n}",
                    title=TITLES[(i + j) % len(TITLES)],
                    department=DEPARTMENTS[(i * 7 + j) % len(DEPARTMENTS)],
                    verdict=Verdict.PROHIBITED if (i + j) % 3 == 0 else Verdict.NOT_ADMITTED,
                    reason="不在清单内且未经准入（规模数据）。",
                    clause="津民发〔2019〕35号 三（二）",
                    created_by_name="规模数据",
                )
            )
    with transaction.atomic():
        Refusal.objects.bulk_create(rows, batch_size=BATCH)
        for (
            y,
            m,
        ) in months:  # auto_now_add stamped them all today: spread them over the year, one update a month
            when = timezone.make_aware(datetime(y, m, 15, 10, 0))
            Refusal.objects.filter(notice_no__startswith=f"{SCALE_MARK}{y}{m:02d}-").update(created_at=when)
    stdout.write(f"taskcheck: {len(rows)} 条拒绝承接登记（12个月）。\n")
