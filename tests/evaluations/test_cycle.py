"""The cycle: self-assessment → street → district → city → published, with score history, scope and to-dos."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.choices import CycleStatus, RectificationStatus, Stage
from evaluations.models import Assessment, Rectification, ScoreChange, StageEvent
from evaluations.schemas import CycleStartSchema, EvidenceSchema
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.models import AuditEntry, Notification
from tests.evaluations.conftest import fill_all, scores, step, walk

pytestmark = [pytest.mark.policy("三（四）-1")]


def test_cycle_start_creates_one_assessment_per_community_and_todos(cycle, users):
    assert cycle.assessments.count() == 13
    a = cycle.assessments.get(community__code="120103001001")
    assert a.street.code == "120103001000" and a.district.code == "120103"
    assert a.scores.count() == 18
    todo = Notification.objects.get(user=users["community_staff"], kind="evaluation_self")
    assert todo.is_todo and todo.deadline is not None and f"/evaluations/assessments/{a.pk}/" == todo.url


def test_cycle_cannot_start_twice_or_from_a_draft(cycle, users, published_scheme):
    today = timezone.localdate()

    def deadlines(*days):
        names = ("self_deadline", "street_deadline", "district_deadline", "city_deadline")
        return CycleStartSchema.parse(
            {n: str(today + timedelta(d)) for n, d in zip(names, days, strict=True)}
        )

    with pytest.raises(ConflictError):
        services.cycle_start(
            actor=users["city_admin"], scheme_id=published_scheme.pk, data=deadlines(0, 1, 2, 3)
        )
    with pytest.raises(DomainError) as exc:
        deadlines(0, 0, 0, 0)
    assert exc.value.message == "各环节截止日期应依次排列：社区自评 < 街道审核 < 区级复核 < 市级确认。"
    with pytest.raises(DomainError) as exc:
        CycleStartSchema.parse({"self_deadline": "2026/10/01"})
    assert exc.value.fields["self_deadline"] == "社区自评截止格式应为 YYYY-MM-DD。"
    assert exc.value.fields["city_deadline"] == "请填写市级确认截止。"


def test_full_path_with_history_and_audit(assessment, users):
    a = walk(assessment, users, to="confirmed")
    assert a.stage == Stage.CONFIRMED
    assert list(StageEvent.objects.filter(assessment=a).values_list("action", flat=True)) == [
        "submit",
        "street_approve",
        "district_approve",
        "city_confirm",
    ]
    actions = set(
        AuditEntry.objects.filter(object_id=str(a.pk), object_type="evaluations.Assessment").values_list(
            "action", flat=True
        )
    )
    assert {"evaluation.submit", "evaluation.city_confirm", "evaluation.score_change"} <= actions
    # each stage's to-do is closed when the stage is done; the street got its to-do on submission
    assert not Notification.objects.filter(
        source_id=str(a.pk), source_type="evaluations.Assessment", is_todo=True, done_at__isnull=True
    ).exists()
    assert Notification.objects.filter(user=users["street_staff"], kind="evaluation_review").exists()
    assert Notification.objects.filter(user=users["hexi_official"], kind="evaluation_review").exists()


def test_street_adjusts_a_score_only_with_a_reason(assessment, users):
    a = walk(assessment, users, to="street")
    s = (
        a.scores.select_related("indicator")
        .order_by("indicator__dimension__order", "indicator__order")
        .first()
    )
    before = s.value
    with pytest.raises(DomainError, match="理由"):
        services.assessment_scores_update(
            actor=users["street_staff"], assessment_id=a.pk, data=scores(a, {s.indicator_id: "20"})
        )
    s.refresh_from_db()
    assert s.value == before
    a = services.assessment_scores_update(
        actor=users["street_staff"],
        assessment_id=a.pk,
        data=scores(a, {s.indicator_id: "20"}, {s.indicator_id: "换届材料不全"}),
    )
    change = ScoreChange.objects.filter(assessment=a, stage=Stage.STREET).get()
    assert (change.before, change.after, change.reason) == (before, Decimal("20.0"), "换届材料不全")
    assert change.actor == users["street_staff"] and change.actor_name == "吴秀兰"
    s.refresh_from_db()
    assert s.value == Decimal("20.0") and s.self_value == before  # the self-assessment stays visible
    assert a.total_score == sum(x.value for x in a.scores.all())
    entry = AuditEntry.objects.filter(action="evaluation.score_change", detail="换届材料不全").get()
    assert entry.before["score"] == str(before) and entry.after["score"] == "20.0"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31", "“社区党组织建设”的得分应在 0 到 30.0 分之间。"),
        ("-1", "“社区党组织建设”的得分应在 0 到 30.0 分之间。"),
        ("abc", "“社区党组织建设”的得分应为数字。"),
        ("1.25", "“社区党组织建设”的得分最多保留一位小数。"),
    ],
)
def test_bad_scores_change_nothing(assessment, page_client, value, message):
    """The page names the indicator whose score is wrong, and saves none of the scores posted with it."""
    s = assessment.scores.select_related("indicator").get(indicator__name="社区党组织建设")
    other = assessment.scores.exclude(pk=s.pk).first()
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/scores/",
        {f"score_{s.indicator_id}": value, f"score_{other.indicator_id}": "5", "summary": "自评说明"},
        follow=True,
    )
    assert "得分未保存：" + message in r.content.decode()
    assert not ScoreChange.objects.exists()
    other.refresh_from_db()
    assessment.refresh_from_db()
    assert other.value is None and assessment.self_summary == ""


def test_a_score_of_another_scheme_is_refused_and_nothing_is_saved(assessment, page_client):
    other = assessment.scores.first()
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/scores/",
        {f"score_{other.indicator_id}": "5", "score_999999": "1"},
        follow=True,
    )
    assert "得分未保存：指标不属于本年度方案。" in r.content.decode()
    other.refresh_from_db()
    assert other.value is None


def test_the_page_saves_scores_and_the_summary(assessment, page_client):
    s = assessment.scores.select_related("indicator").get(indicator__name="社区党组织建设")
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/scores/",
        {f"score_{s.indicator_id}": " 28.5 ", "summary": " 按期换届 "},
        follow=True,
    )
    assert "得分已保存" in r.content.decode()
    s.refresh_from_db()
    assessment.refresh_from_db()
    assert s.value == s.self_value == Decimal("28.5") and assessment.self_summary == "按期换届"


def test_submission_needs_every_score(assessment, users):
    with pytest.raises(DomainError, match="未打分"):
        services.assessment_transition(
            actor=users["community_staff"], assessment_id=assessment.pk, data=step("submit")
        )


def test_roles_and_stages_are_enforced(assessment, users):
    fill_all(assessment, users["community_staff"])
    # the street cannot act before the community submits
    with pytest.raises(ConflictError):
        services.assessment_transition(
            actor=users["street_staff"], assessment_id=assessment.pk, data=step("street_approve")
        )
    # the district cannot submit for the community
    with pytest.raises(PermissionDeniedError):
        services.assessment_transition(
            actor=users["hexi_official"], assessment_id=assessment.pk, data=step("submit")
        )
    # the street cannot change the self-assessment
    with pytest.raises(PermissionDeniedError):
        services.assessment_scores_update(
            actor=users["street_staff"], assessment_id=assessment.pk, data=scores(assessment, {})
        )
    # unknown actions
    with pytest.raises(DomainError, match="无效的操作"):
        step("publish")


def test_who_may_act_is_read_through_the_scope_mechanism(assessment, users):
    """The workflow's actions and the stage editor's ``score`` are actions of Assessment.objects.for_user: the
    page, the services and the permission tests read the same rights."""

    def may(username, action):
        return Assessment.objects.for_user(users[username], action).filter(pk=assessment.pk).exists()

    assert may("community_staff", "score") and not may("street_staff", "score")
    assert may("community_staff", "submit") and not may("hexi_official", "submit")
    assert may("street_staff", "street_approve") and not may("community_staff", "street_approve")
    assert not may("community_staff2", "submit")  # another community
    with pytest.raises(PermissionDeniedError, match="您不是该环节的办理人"):
        services.assessment_transition(
            actor=users["hexi_official"], assessment_id=assessment.pk, data=step("submit")
        )
    walk(assessment, users, to="street")
    assert may("street_staff", "score") and not may("community_staff", "score")


def test_the_page_offers_exactly_the_actions_the_services_allow(assessment, users):
    """The assessment page's buttons come from the transition table read through the same rights as the
    services: the community sees only 提交自评 at its stage, the street nothing; then the other way round."""
    from evaluations import selectors

    def offered(username):
        page = selectors.assessment_detail(user=users[username], pk=assessment.pk)
        return {x["action"] for x in page["actions"]}, page["can_edit"]

    fill_all(assessment, users["community_staff"])
    assert offered("community_staff") == ({"submit"}, True)
    assert offered("street_staff") == (set(), False)
    walk(assessment, users, to="street", ratio=0.9)
    assert offered("street_staff") == ({"street_approve", "street_return"}, True)
    assert offered("community_staff") == (set(), False)
    assert offered("hexi_official") == (set(), False)


@pytest.mark.parametrize(
    "username", ["nankai_official", "community_staff2", "resident", "hexi_health", "city_approver"]
)
def test_out_of_scope_users_do_not_see_the_assessment(assessment, users, username):
    with pytest.raises(NotFoundError):
        services.assessment_scores_update(
            actor=users[username], assessment_id=assessment.pk, data=scores(assessment, {})
        )
    with pytest.raises(NotFoundError):
        services.assessment_transition(
            actor=users[username], assessment_id=assessment.pk, data=step("submit")
        )


def test_scope_of_the_list(cycle, users):
    def codes(username):
        return set(
            Assessment.objects.for_user(users[username], "view").values_list("community__code", flat=True)
        )

    assert codes("community_staff") == {"120103001001"}
    assert codes("street_staff") == {"120103001001", "120103001002", "120103001003"}
    assert len(codes("hexi_official")) == 11 and all(c.startswith("120103") for c in codes("hexi_official"))
    assert len(codes("city_admin")) == 13
    assert (
        codes("resident") == set()
        and codes("hexi_health") == set()
        and codes("nankai_official") == {"120104001001", "120104001002"}
    )


def test_returns_need_a_reason_and_go_back(assessment, users, page_client):
    a = walk(assessment, users, to="street")
    with pytest.raises(DomainError, match="退回须说明理由"):
        step("street_return", " ")
    page = page_client("street_staff").post(
        f"/evaluations/assessments/{a.pk}/transition/", {"action": "street_return"}, follow=True
    )
    assert "退回须说明理由。" in page.content.decode()
    a.refresh_from_db()
    assert a.stage == Stage.STREET
    a = services.assessment_transition(
        actor=users["street_staff"],
        assessment_id=a.pk,
        data=step("street_return", "佐证材料不全，请补充居民会议记录"),
    )
    assert a.stage == Stage.SELF
    todo = Notification.objects.filter(
        user=users["community_staff"], kind="evaluation_self", done_at__isnull=True
    ).get()
    assert "佐证材料不全" in todo.body


def test_figures_come_from_the_other_apps(assessment, users, monkeypatch):
    import admission.selectors
    import certificates.selectors

    monkeypatch.setattr(
        admission.selectors, "admission_stats_for_community", lambda *, community, year: {"admitted_tasks": 4}
    )
    monkeypatch.setattr(
        certificates.selectors,
        "certificate_stats_for_community",
        lambda *, community, year: {"issued": 37, "on_time": 36},
    )
    a = services.assessment_refresh_figures(actor=users["community_staff"], assessment_id=assessment.pk)
    assert a.figures["admission"] == {"admitted_tasks": 4}
    assert a.figures["certificates"] == {"issued": 37, "on_time": 36}


def test_publish_needs_every_assessment_confirmed(cycle, users):
    with pytest.raises(ConflictError, match="13 个社区未完成"):
        services.cycle_publish(actor=users["city_admin"], cycle_id=cycle.pk)
    assert cycle.assessments.filter(stage=Stage.PUBLISHED).count() == 0


def _confirm_all(cycle, users):
    """Every community through to confirmation (the superuser stands in for the other communities' staff)."""
    ratios = {"120103001001": 0.96, "120103001002": 0.85, "120103001003": 0.45}
    admin = users["admin"]
    stand_in = {"community_staff": admin, "street_staff": admin, "hexi_official": admin, "city_admin": admin}
    for a in cycle.assessments.select_related("community"):
        walk(
            a,
            users if a.community.code == "120103001001" else stand_in,
            ratio=ratios.get(a.community.code, 0.75),
        )


def test_publish_computes_stars_ranks_awards_and_rectification(cycle, users):
    _confirm_all(cycle, users)
    services.cycle_publish(actor=users["city_admin"], cycle_id=cycle.pk)
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.PUBLISHED
    by = {a.community.code: a for a in cycle.assessments.select_related("community")}
    assert by["120103001001"].stars == 5 and by["120103001001"].award and by["120103001001"].rank_city == 1
    assert by["120103001002"].stars == 4
    assert by["120103001003"].stars == 0 and not by["120103001003"].award
    assert by["120103001003"].rank_street == 3
    rect = Rectification.objects.get(assessment=by["120103001003"])
    assert rect.status == RectificationStatus.OPEN and rect.deadline > timezone.localdate()
    assert Notification.objects.filter(kind="evaluation_rectify", source_id=str(rect.pk)).exists()
    with pytest.raises(ConflictError):
        services.cycle_publish(actor=users["city_admin"], cycle_id=cycle.pk)


def test_only_the_city_publishes(cycle, users):
    with pytest.raises(PermissionDeniedError):
        services.cycle_publish(actor=users["hexi_official"], cycle_id=cycle.pk)


def test_reminders_near_the_deadline(cycle, users):
    today = cycle.self_deadline - timedelta(days=2)
    sent = services.cycle_send_reminders(today=today)
    assert sent == 2  # the two demo communities that have staff accounts
    assert Notification.objects.filter(user=users["community_staff"], kind="evaluation_reminder").count() == 1
    # once a day only
    assert services.cycle_send_reminders(today=today) == 0
    # nothing before the window opens
    Notification.objects.filter(kind="evaluation_reminder").delete()
    assert services.cycle_send_reminders(today=cycle.self_deadline - timedelta(days=9)) == 0


def test_evidence_files_and_links(assessment, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ind = assessment.scores.first().indicator_id

    def evidence(**data):
        return EvidenceSchema.parse(data)

    with pytest.raises(DomainError, match="不能只改扩展名"):
        services.assessment_evidence_add(
            actor=users["community_staff"],
            assessment_id=assessment.pk,
            data=evidence(title="脚本"),
            upload=SimpleUploadedFile("x.exe", b"MZ"),
        )
    for link in ("javascript:alert(1)", "//evil.example/x"):
        with pytest.raises(DomainError) as exc:
            evidence(title="外链", link=link)
        assert exc.value.fields == {"link": "链接应为平台内地址（以 / 开头）或 http(s) 地址。"}
    with pytest.raises(DomainError, match="请填写材料名称"):
        evidence(title=" ", link="/appeals/12/")
    with pytest.raises(DomainError, match="上传文件或填写"):
        services.assessment_evidence_add(
            actor=users["community_staff"], assessment_id=assessment.pk, data=evidence(title="空")
        )
    e = services.assessment_evidence_add(
        actor=users["community_staff"],
        assessment_id=assessment.pk,
        data=evidence(title="已办结的居民诉求", indicator_id=str(ind), link="/appeals/12/"),
    )
    assert e.link == "/appeals/12/" and e.indicator_id == ind
    with pytest.raises(PermissionDeniedError):
        services.assessment_evidence_add(
            actor=users["street_staff"],
            assessment_id=assessment.pk,
            data=evidence(title="街道补充", link="/x/"),
        )
    assert assessment.evidence.count() == 1


def test_the_page_adds_evidence_for_an_indicator(assessment, page_client):
    ind = assessment.scores.select_related("indicator").first().indicator
    page = page_client("community_staff").get(f"/evaluations/assessments/{assessment.pk}/").content.decode()
    assert f'<option value="{ind.pk}">{ind.name}</option>' in page
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/evidence/",
        {"indicator_id": ind.pk, "title": " 居民会议记录 ", "link": "/appeals/12/"},
        follow=True,
    )
    assert "佐证材料已添加" in r.content.decode()
    e = assessment.evidence.get()
    assert (e.indicator_id, e.title, e.link) == (ind.pk, "居民会议记录", "/appeals/12/")
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/evidence/",
        {"title": "外链", "link": "javascript:x"},
        follow=True,
    )
    assert "材料未保存：链接应为平台内地址（以 / 开头）或 http(s) 地址。" in r.content.decode()
    assert assessment.evidence.count() == 1


def test_the_dashboard_panel_follows_the_assessment_at_once(assessment, users, page_client):
    """The panel is cached until the cycle's data changes: a submission shows on the next load."""
    client = page_client("community_staff")
    before = client.get("/dashboard/").content.decode()
    assert "社区自评 1" in before and "街道审核 1" not in before
    assert "社区自评 1" in client.get("/dashboard/").content.decode()  # the same answer from the cache
    walk(assessment, users, to="street")
    after = client.get("/dashboard/").content.decode()
    assert "街道审核 1" in after and "社区自评 1" not in after


def test_the_scheme_page_starts_a_cycle_only_with_ordered_deadlines(published_scheme, page_client):
    from evaluations.models import Cycle

    url = f"/evaluations/schemes/{published_scheme.pk}/"
    today = timezone.localdate()
    names = ("self_deadline", "street_deadline", "district_deadline", "city_deadline")
    r = page_client("city_admin").post(url, {n: str(today + timedelta(10)) for n in names})
    assert r.status_code == 200 and "各环节截止日期应依次排列" in r.content.decode()
    assert not Cycle.objects.filter(scheme=published_scheme).exists()
    r = page_client("city_admin").post(
        url, {n: str(today + timedelta(10 * (i + 1))) for i, n in enumerate(names)}
    )
    assert r.status_code == 302
    assert Cycle.objects.get(scheme=published_scheme).city_deadline == today + timedelta(40)


def test_the_dashboard_panel_follows_a_role_granted_a_moment_ago(assessment, users, page_client):
    """The cached panel is kept per scope: a worker given one more community sees its assessment at once."""
    from portal.models import User
    from tests.factories import CommunityFactory, RoleAssignmentFactory

    worker = User.objects.create_user(username="new_worker", password="x-Pass-1234567")
    RoleAssignmentFactory(user=worker, role="community_staff", org=CommunityFactory())
    client = page_client("new_worker")
    assert "社区自评 1" not in client.get("/dashboard/").content.decode()
    RoleAssignmentFactory(user=worker, role="community_staff", org=users["community_staff"].roles.get().org)
    assert "社区自评 1" in client.get("/dashboard/").content.decode()
