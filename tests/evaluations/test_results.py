"""Stars, rankings, rectification, the whitelist register, reports and scale data."""

import io
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.choices import RectificationStatus
from evaluations.models import AppraisalEntry, Assessment, Rectification
from evaluations.schemas import AppraisalEntrySchema, FollowUpSchema, RectificationPlanSchema
from portal.errors import ConflictError, DomainError, PermissionDeniedError


def plan(text, deadline=None):
    return RectificationPlanSchema.parse({"plan": text, "deadline": str(deadline) if deadline else ""})


def follow(text, close=False):
    return FollowUpSchema.parse({"text": text, "close": close})


RULES = [
    SimpleNamespace(stars=s, min_total=t, min_dimension_pct=p)
    for s, t, p in [(5, 450, 80), (4, 400, 70), (3, 350, 60), (2, 300, 50), (1, 250, 40)]
]
DIM_MAX = {1: Decimal(100), 2: Decimal(100), 3: Decimal(100), 4: Decimal(100), 5: Decimal(100)}


def stars(*dims):
    scores = {str(i + 1): Decimal(str(v)) for i, v in enumerate(dims)}
    return services.compute_stars(
        total=sum(scores.values()), dimension_scores=scores, dimension_max=DIM_MAX, rules=RULES
    )


def test_star_thresholds_like_shaoxing():
    assert stars(95, 95, 90, 90, 90) == 5  # 460, every dimension ≥ 80
    assert stars(100, 100, 100, 100, 79) == 4  # 479 but one dimension below 80
    assert stars(90, 90, 80, 70, 75) == 4  # 405
    assert stars(70, 70, 70, 70, 70) == 3  # 350
    assert stars(60, 60, 60, 60, 61) == 2  # 301
    assert stars(50, 50, 50, 50, 50) == 1  # 250
    assert stars(50, 50, 50, 50, 49.9) == 0  # 249.9: rectification
    assert stars(100, 100, 100, 100, 0) == 0  # 400 total, but a dimension at 0 % misses even one star


def test_ranks_with_ties():
    rows = [
        SimpleNamespace(total_score=Decimal(v), district_id=d, street_id=s)
        for v, d, s in [(450, 1, 10), (450, 1, 11), (400, 1, 10), (480, 2, 20)]
    ]
    services.assign_ranks(rows)
    assert [r.rank_city for r in rows] == [2, 2, 4, 1]
    assert [r.rank_district for r in rows] == [1, 1, 3, 1]
    assert [r.rank_street for r in rows] == [1, 1, 2, 1]


@pytest.fixture
def rect(eval_demo):
    return Rectification.objects.select_related("community").get(assessment__cycle__year=2025)


def test_rectification_plan_deadline_and_follow_up(rect, users):
    # a community outside the caller's street does not exist for them
    from portal.errors import NotFoundError

    with pytest.raises(NotFoundError):
        services.rectification_plan_save(
            actor=users["street_staff"], rectification_id=rect.pk, data=plan("x" * 20)
        )
    with pytest.raises(DomainError, match="至少写 10 个字"):
        plan(" 整改 ")
    with pytest.raises(DomainError, match="整改期限格式应为 YYYY-MM-DD"):
        RectificationPlanSchema.parse({"plan": "x" * 20, "deadline": "明年"})
    new_deadline = timezone.localdate() + timedelta(days=60)
    r = services.rectification_plan_save(
        actor=users["hexi_official"],
        rectification_id=rect.pk,
        data=plan("一、召开居民代表会议；二、诉求三日内答复；三、合并台账。", new_deadline),
    )
    assert r.deadline == new_deadline and r.status == RectificationStatus.IN_PROGRESS
    with pytest.raises(DomainError, match="请填写跟踪记录"):
        follow(" ")
    r = services.rectification_follow_up(
        actor=users["hexi_official"],
        rectification_id=rect.pk,
        data=follow("现场验收：整改到位，同意销号。", close=True),
    )
    assert r.status == RectificationStatus.DONE and r.closed_at
    with pytest.raises(ConflictError):
        services.rectification_follow_up(
            actor=users["hexi_official"], rectification_id=rect.pk, data=follow("再记一笔")
        )


def test_community_cannot_move_its_own_deadline(eval_demo, users):
    from evaluations import services as s
    from evaluations.models import Cycle

    cycle = Cycle.objects.get(year=2025)
    a = Assessment.objects.get(cycle=cycle, community__code="120103001001")
    r = Rectification.objects.create(assessment=a, community=a.community, deadline=timezone.localdate())
    with pytest.raises(PermissionDeniedError, match="区民政局"):
        s.rectification_plan_save(
            actor=users["community_staff"],
            rectification_id=r.pk,
            data=plan("整改方案：问题、措施、责任人。", timezone.localdate() + timedelta(days=365)),
        )
    r = s.rectification_plan_save(
        actor=users["community_staff"], rectification_id=r.pk, data=plan("整改方案：问题、措施、责任人。")
    )
    assert r.status == RectificationStatus.IN_PROGRESS
    with pytest.raises(PermissionDeniedError):
        s.rectification_follow_up(
            actor=users["community_staff"], rectification_id=r.pk, data=follow("自己验收", close=True)
        )


def test_rectification_page_saves_plan(rect, page_client):
    r = page_client("hexi_official").post(
        f"/evaluations/rectification/{rect.pk}/",
        {"form": "plan", "plan": "一、规范居民会议；二、诉求限时答复；三、台账按目录清单合并。"},
    )
    assert r.status_code == 302
    rect.refresh_from_db()
    assert "规范居民会议" in rect.plan


# ——— whitelist register ———


def test_whitelist_ships_ten_entries_with_authorities(eval_demo):
    entries = list(AppraisalEntry.objects.all())
    assert len(entries) == 10
    assert {"文明社区", "平安社区", "美丽社区", "卫生社区"} <= {e.name for e in entries}
    assert all(e.authority and e.authority_level for e in entries)
    assert all(
        e.needs_review for e in entries if e.name not in {"文明社区", "平安社区", "美丽社区", "卫生社区"}
    )


def test_whitelist_service_refuses_bad_entries(eval_demo, users):
    kw = dict(name="无烟社区", kind="creation", authority="区卫健委", authority_level="district")
    with pytest.raises(DomainError) as exc:
        AppraisalEntrySchema.parse(kw)
    assert exc.value.message == "只有中央、国家有关部委和市委、市政府部署的项目可以列入白名单。"
    with pytest.raises(DomainError) as exc:
        AppraisalEntrySchema.parse({**kw, "authority_level": "city_government", "keywords": "一票否决"})
    assert exc.value.fields == {"name": "白名单项目不得设置“一票否决”。"}
    with pytest.raises(DomainError) as exc:
        AppraisalEntrySchema.parse({**kw, "authority_level": "city_government", "authority": " "})
    assert exc.value.message == "请填写部署机关。"
    with pytest.raises(PermissionDeniedError):
        services.appraisal_entry_save(
            actor=users["hexi_official"],
            data=AppraisalEntrySchema.parse({**kw, "authority_level": "city_government"}),
        )
    assert not AppraisalEntry.objects.filter(name__startswith="无烟社区").exists()


def test_whitelist_edit_through_the_page(eval_demo, page_client):
    entry = AppraisalEntry.objects.get(name="文明社区")
    r = page_client("city_admin").post(
        f"/evaluations/whitelist/{entry.pk}/edit/",
        {
            "name": "文明社区",
            "kind": "creation",
            "authority": "天津市精神文明建设委员会",
            "authority_level": "city_party",
            "document_no": "",
            "keywords": "文明小区",
            "active": "on",
        },
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.authority == "天津市精神文明建设委员会"
    r = page_client("city_admin").post(
        "/evaluations/whitelist/new/",
        {"name": "楼道美化评比", "kind": "appraisal", "authority": "某区城管委", "authority_level": "nope"},
    )
    assert r.status_code == 200 and not AppraisalEntry.objects.filter(name="楼道美化评比").exists()
    r = page_client("city_admin").post(
        "/evaluations/whitelist/new/",
        {
            "name": "楼道美化评比",
            "kind": "appraisal",
            "authority": "市城管委",
            "authority_level": "city_government",
            "keywords": "不达标一票否决",
        },
    )
    assert r.status_code == 200 and "白名单项目不得设置“一票否决”。" in r.content.decode()
    assert not AppraisalEntry.objects.filter(name="楼道美化评比").exists()


# ——— reports ———


def test_sheet_and_summary_pdfs_through_jobs(
    eval_demo, users, page_client, django_capture_on_commit_callbacks
):
    from portal.models import Job
    from portal.pdf import pdf_text

    a = Assessment.objects.get(cycle__year=2025, community__code="120103003001")
    with django_capture_on_commit_callbacks(execute=True):
        r = page_client("hexi_official").post(f"/evaluations/assessments/{a.pk}/pdf/")
    assert r.status_code == 302 and "/jobs/" in r["Location"]
    job = Job.objects.get(kind="evaluations.sheet")
    assert job.status == "done", job.error
    text = pdf_text(job.file.read())
    assert "桃园村社区" in text and "评星定级测评表" in text and "无星" in text

    with django_capture_on_commit_callbacks(execute=True):
        page_client("hexi_official").post(
            "/evaluations/reports/summary/", {"district": "120103", "year": 2025}
        )
    job = Job.objects.get(kind="evaluations.summary")
    assert job.status == "done", job.error
    text = pdf_text(job.file.read())
    assert "河西区2025年度社区评星定级结果汇总" in text.replace("\n", "") and "治理整顿" in text
    assert page_client("hexi_official").get(f"/jobs/{job.pk}/").status_code == 200


def test_summary_of_an_unpublished_year_is_refused(eval_demo, users):
    with pytest.raises(DomainError, match="尚未发布"):
        services.evaluation_report_request(
            actor=users["hexi_official"], kind="summary", district_code="120103", year=2026
        )


def test_a_summary_of_a_malformed_year_is_refused_on_the_page(eval_demo, page_client):
    from portal.models import Job

    for year, message in (("二〇二五", "年度无效。"), ("", "请选择年度。"), ("1999", "年度无效。")):
        r = page_client("hexi_official").post(
            "/evaluations/reports/summary/", {"district": "120103", "year": year}, follow=True
        )
        assert message in r.content.decode()
    assert not Job.objects.filter(kind="evaluations.summary").exists()
    page = page_client("hexi_official").get("/evaluations/").content.decode()
    assert '<option value="2025">2025年</option>' in page


# ——— scale ———


def test_scale_generates_published_results_for_every_community(demo, users):
    from evaluations.scale import generate
    from portal.models import OrgUnit

    out = io.StringIO()
    n = generate(stdout=out)
    communities = OrgUnit.objects.filter(level="community").count()
    assert n == communities
    assert Assessment.objects.filter(stage="published", cycle__year=2025).count() == communities
    assert Assessment.objects.filter(rank_city=1).exists()
    assert generate(stdout=out) == 0  # idempotent
    assert "published ratings" in out.getvalue()


def test_dashboard_panel_and_nav(eval_demo, page_client):
    body = page_client("community_staff").get("/dashboard/").content.decode()
    assert "评星定级" in body and "新华南路社区" in body and "社区自评" in body
    public = page_client().get("/").content.decode()
    assert "评星定级结果" in public and "/evaluations/results/" in public
