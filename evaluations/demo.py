"""Demo data: the appraisal whitelist, the 2024 and 2025 schemes with published results for the demo
communities (different stars, one without a star on the rectification list), and the 2026 cycle in progress
(新华南路社区 still self-assessing, the others confirmed)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from evaluations.choices import CycleStatus, EvidenceSource, RectificationStatus, Stage
from evaluations.models import (
    Assessment,
    Cycle,
    Indicator,
    Rectification,
    RectificationNote,
    Scheme,
    Score,
    StageEvent,
)
from evaluations.schemas import CycleStartInput, SchemeInput, SchemeSchema
from evaluations.whitelist import seed_whitelist

S = EvidenceSource
DIMENSIONS = [
    (
        "党建引领",
        100,
        [
            (
                "社区党组织建设",
                30,
                "党组织按期换届，“三会一课”、主题党日落实，组织生活规范。",
                "换届材料、会议记录",
                S.NONE,
            ),
            (
                "党员教育管理",
                25,
                "党员学习教育、在职党员到社区报到并参加活动。",
                "学习记录、报到名册",
                S.NONE,
            ),
            (
                "党建引领基层治理",
                25,
                "落实“战区制、主官上、权下放”，社区党组织统筹辖区资源。",
                "工作台账目录、议事记录",
                S.NONE,
            ),
            ("区域化党建共建", 20, "与驻区单位签订共建协议，共建项目落地。", "共建协议、项目清单", S.NONE),
        ],
    ),
    (
        "依法自治",
        100,
        [
            (
                "居民会议和居民代表会议",
                25,
                "依法召开居民会议，讨论决定涉及全体居民利益的重要事项。",
                "会议记录、决议",
                S.NONE,
            ),
            (
                "居务公开和民主监督",
                25,
                "居务公开及时、完整，居务监督委员会正常履职。",
                "公开栏照片、监督记录",
                S.NONE,
            ),
            ("居民公约和自治章程", 20, "制定或修订居民公约，居民知晓并遵守。", "居民公约文本", S.NONE),
            ("社区协商", 30, "围绕居民关心的事开展协商，协商结果落实。", "协商记录、落实情况", S.NONE),
        ],
    ),
    (
        "为民服务",
        100,
        [
            (
                "居民诉求回应",
                30,
                "居民诉求按时答复，办结率和满意度。",
                "平台诉求办理数据（自动获取）",
                S.APPEALS,
            ),
            (
                "证明出具规范",
                20,
                "只出具法律法规规定的证明，按时办结。",
                "平台证明办理数据（自动获取）",
                S.CERTIFICATES,
            ),
            ("志愿互助服务", 25, "志愿服务队伍和活动，邻里互助。", "活动记录", S.NONE),
            (
                "网格化服务和日常巡查",
                25,
                "网格员日常巡查，问题及时发现、上报、协调解决。",
                "巡查记录",
                S.NONE,
            ),
        ],
    ),
    (
        "依法协助",
        100,
        [
            ("清单内协助事项", 40, "依法协助政府工作事项清单内事项完成情况。", "协助工作记录", S.NONE),
            (
                "经准入事项承接",
                30,
                "经批准的准入事项按要求协助完成，费随事转落实。",
                "平台准入数据（自动获取）",
                S.ADMITTED_TASKS,
            ),
            (
                "依法拒绝未准入事项",
                30,
                "对未经准入的工作事项依法拒绝并登记。",
                "平台任务核查数据（自动获取）",
                S.REFUSALS,
            ),
        ],
    ),
    (
        "减负增效与平安和谐",
        100,
        [
            (
                "台账精简和挂牌规范",
                30,
                "台账目录清单外不另设台账，只悬挂规定的三块牌子和警务室标识。",
                "台账目录、场所照片；平台减负投诉查证数据（自动获取）",
                S.COMPLAINTS,
            ),
            ("社区安全和矛盾化解", 40, "矛盾纠纷排查化解，安全隐患整改。", "调解记录", S.NONE),
            ("居民满意度", 30, "居民对社区工作的满意度测评。", "满意度测评结果", S.NONE),
        ],
    ),
]
STAR_RULES = [(5, 450, 80), (4, 400, 70), (3, 350, 60), (2, 300, 50), (1, 250, 40)]

# Target totals (of 500) per community and year; the stars follow from the thresholds.
TARGETS = {
    2024: {
        "120103001001": 452,
        "120103001002": 405,
        "120103001003": 352,
        "120103002001": 436,
        "120103002002": 242,
        "120103002003": 398,
        "120103003001": 228,
        "120103003002": 361,
        "120103003003": 301,
        "120103004001": 418,
        "120103004002": 344,
        "120104001001": 411,
        "120104001002": 268,
    },
    2025: {
        "120103001001": 468,
        "120103001002": 425,
        "120103001003": 372,
        "120103002001": 455,
        "120103002002": 318,
        "120103002003": 410,
        "120103003001": 236,
        "120103003002": 385,
        "120103003003": 262,
        "120103004001": 441,
        "120103004002": 356,
        "120104001001": 430,
        "120104001002": 290,
    },
    2026: {
        "120103001002": 431,
        "120103001003": 388,
        "120103002001": 462,
        "120103002002": 346,
        "120103002003": 415,
        "120103003001": 305,
        "120103003002": 392,
        "120103003003": 241,
        "120103004001": 447,
        "120103004002": 367,
        "120104001001": 436,
        "120104001002": 312,
    },
}
SELF_ASSESSING = "120103001001"


def scheme_data(*, year: int = 2024, title: str = "") -> dict:
    """The demo scheme as a page or the API would send it (JSON): five dimensions, eighteen indicators."""
    return {
        "year": year,
        "title": title or f"{year}年度天津市社区评星定级方案",
        "total_points": 500,
        "dimensions": [
            {
                "name": n,
                "max_points": m,
                "indicators": [
                    {
                        "name": i,
                        "max_points": p,
                        "guidance": g,
                        "evidence_expected": e,
                        "evidence_source": str(src),
                    }
                    for i, p, g, e, src in inds
                ],
            }
            for n, m, inds in DIMENSIONS
        ],
        "star_rules": [{"stars": s, "min_total": t, "min_dimension_pct": p} for s, t, p in STAR_RULES],
    }


def scheme_input(*, year: int = 2024, title: str = "") -> SchemeInput:
    """The demo scheme, checked by the scheme's schema like any input."""
    return SchemeSchema.parse(scheme_data(year=year, title=title))


def _aware(d: date):
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


def _fill_scores(assessments: list[Assessment], indicators: list[Indicator], targets: dict[str, int]) -> None:
    """Scores near each community's target ratio, varying a little by dimension (deterministic)."""
    from evaluations.services import _recompute

    rows = []
    for a in assessments:
        ratio = Decimal(targets[a.community.code]) / 500
        for i in indicators:
            wobble = Decimal((i.dimension.order % 3) - 1) * Decimal("0.02")
            r = min(Decimal(1), max(Decimal(0), ratio + wobble))
            v = (i.max_points * r).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            rows.append(
                Score(assessment=a, indicator=i, value=v, self_value=min(i.max_points, v + Decimal(1)))
            )
    Score.objects.bulk_create(rows)
    by_a: dict[int, list] = {}
    for s in rows:
        by_a.setdefault(s.assessment_id, []).append(s)
    for a in assessments:
        _recompute(a, by_a[a.pk], a.cycle.scheme)
    Assessment.objects.bulk_update(assessments, ["dimension_scores", "total_score", "stars"])


def _published_year(year: int, scheme: Scheme, communities: list, actor) -> Cycle:
    from evaluations.services import assign_ranks

    cycle = Cycle.objects.create(
        scheme=scheme,
        year=year,
        status=CycleStatus.PUBLISHED,
        self_deadline=date(year, 10, 31),
        street_deadline=date(year, 11, 20),
        district_deadline=date(year, 12, 5),
        city_deadline=date(year, 12, 20),
        started_by=actor,
    )
    Cycle.objects.filter(pk=cycle.pk).update(published_at=_aware(date(year, 12, 28)))
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                cycle=cycle,
                community=c,
                street_id=c.parent_id,
                district_id=c.parent.parent_id,
                stage=Stage.PUBLISHED,
                submitted_at=_aware(date(year, 10, 28)),
                confirmed_at=_aware(date(year, 12, 18)),
            )
            for c in communities
            if c.code in TARGETS[year]
        ]
    )
    assessments = list(Assessment.objects.filter(cycle=cycle).select_related("community", "cycle__scheme"))
    indicators = list(Indicator.objects.filter(dimension__scheme=scheme).select_related("dimension"))
    _fill_scores(assessments, indicators, TARGETS[year])
    for a in assessments:
        a.award = a.stars == 5
    assign_ranks(assessments)
    Assessment.objects.bulk_update(assessments, ["award", "rank_city", "rank_district", "rank_street"])
    for a in assessments:
        if a.stars == 0:
            done = year < 2025
            r = Rectification.objects.create(
                assessment=a,
                community=a.community,
                deadline=date(year + 1, 3, 31),
                status=RectificationStatus.DONE if done else RectificationStatus.IN_PROGRESS,
                plan="一、问题：居民会议召开不规范，诉求答复不及时，台账多头重复。\n二、措施：按季度召开居民代表会议；"
                "诉求三日内答复；按台账目录清单清理合并台账。\n三、责任人：社区党组织书记。\n四、时限：次年3月底前完成。",
                closed_at=_aware(date(year + 1, 3, 25)) if done else None,
            )
            RectificationNote.objects.create(
                rectification=r,
                text="街道约谈社区书记，整改方案已审定，每月跟踪一次。",
                actor=None,
                actor_name="街道督导组",
            )
            if done:
                RectificationNote.objects.create(
                    rectification=r,
                    text="区民政局现场验收：整改措施已落实，同意销号。",
                    actor=None,
                    actor_name="河西区民政局",
                )
    return cycle


def load_demo() -> None:
    from evaluations import services
    from portal.models import OrgUnit, User

    seed_whitelist()
    if Scheme.objects.filter(year__in=[2024, 2025, 2026]).exists():
        return
    actor = User.objects.filter(username="city_admin").first()
    s2024 = services.scheme_save(actor=actor, data=scheme_input(year=2024))
    services.scheme_publish(actor=actor, scheme_id=s2024.pk)
    s2025 = services.scheme_copy(actor=actor, scheme_id=s2024.pk)
    services.scheme_publish(actor=actor, scheme_id=s2025.pk)
    s2026 = services.scheme_copy(actor=actor, scheme_id=s2025.pk)
    services.scheme_publish(actor=actor, scheme_id=s2026.pk)

    communities = list(OrgUnit.objects.filter(level="community").select_related("parent").order_by("code"))
    _published_year(2024, s2024, communities, actor)
    _published_year(2025, s2025, communities, actor)

    today = timezone.localdate()
    cycle = services.cycle_start(
        actor=actor,
        scheme_id=s2026.pk,
        data=CycleStartInput(
            self_deadline=today + timedelta(days=14),
            street_deadline=today + timedelta(days=28),
            district_deadline=today + timedelta(days=42),
            city_deadline=today + timedelta(days=56),
        ),
    )
    others = list(
        Assessment.objects.filter(cycle=cycle)
        .exclude(community__code=SELF_ASSESSING)
        .select_related("community", "cycle__scheme")
    )
    Score.objects.filter(assessment__in=others).delete()
    indicators = list(Indicator.objects.filter(dimension__scheme=s2026).select_related("dimension"))
    _fill_scores(others, indicators, TARGETS[2026])
    now = timezone.now()
    for a in others:
        a.stage = Stage.CONFIRMED
        a.submitted_at = a.confirmed_at = now
    Assessment.objects.bulk_update(others, ["stage", "submitted_at", "confirmed_at"])
    events = []
    for a in others:
        for action, frm, to, who in (
            ("submit", Stage.SELF, Stage.STREET, "社区"),
            ("street_approve", Stage.STREET, Stage.DISTRICT, "街道"),
            ("district_approve", Stage.DISTRICT, Stage.CITY, "区民政局"),
            ("city_confirm", Stage.CITY, Stage.CONFIRMED, "市民政局"),
        ):
            events.append(
                StageEvent(assessment=a, action=action, from_stage=frm, to_stage=to, actor_name=who)
            )
    StageEvent.objects.bulk_create(events)
    from portal.models import Notification

    Notification.objects.filter(
        source_type="evaluations.Assessment", source_id__in=[str(a.pk) for a in others], done_at__isnull=True
    ).update(done_at=now)
