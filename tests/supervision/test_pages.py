"""Pages: filing (also one click from a refusal or a check), the anonymous throttle on the form, the
department's dashboard and admission requests showing open rectification, the public statistics, and the
star-rating evidence fed from complaints and appeals."""

import csv
import io

import pytest

from supervision import schemas as sv
from supervision import services
from supervision.models import Complaint

pytestmark = pytest.mark.django_db

FORM = {
    "category": "extra_plaques",
    "department_text": "某街道办事处",
    "community": "120103001001",
    "description": "街道要求社区在门口加挂“综治中心”牌子，不在挂牌标准中。",
}


def test_anonymous_form_filing_shows_the_code_and_tells_the_bureau(page_client):
    from portal.models import Notification

    client = page_client()
    r = client.post("/supervision/file/", FORM, follow=True)
    assert r.status_code == 200
    c = Complaint.objects.get()
    assert c.tracking_code in r.content.decode()
    assert c.handling_org.code == "120103" and c.department is None and c.department_text == "某街道办事处"
    assert Notification.objects.filter(kind="complaint_new", user__username="hexi_official").exists()
    track = client.get(f"/supervision/track/{c.tracking_code}/")
    assert "已提交，待受理" in track.content.decode()


def test_form_errors_are_shown_in_chinese_and_nothing_is_stored(page_client):
    r = page_client().post("/supervision/file/", {**FORM, "description": "", "community": "12"})
    assert r.status_code == 400
    body = r.content.decode()
    assert "请填写投诉内容" in body and "未找到该社区代码" in body
    assert Complaint.objects.count() == 0


def test_form_throttle_keeps_the_accepted_ones(page_client):
    client = page_client()
    for _ in range(10):
        assert client.post("/supervision/file/", FORM).status_code == 302
    r = client.post("/supervision/file/", FORM)
    assert r.status_code == 429 and "频繁" in r.content.decode()
    assert Complaint.objects.count() == 10


def test_one_click_from_a_refusal_prefills_and_links_the_notice(users, page_client):
    from taskcheck import services as taskcheck_services

    data = taskcheck_services.check_input(
        community="120103001001",
        title="社区每月报送慢病随访台账",
        description="另建慢病随访台账，每月报送纸质版。",
        department="河西区卫生健康委员会",
        admission_no="",
    )
    refusal = taskcheck_services.refusal_record(actor=users["community_staff"], data=data)
    staff = page_client("community_staff")
    detail = staff.get(f"/check/refusals/{refusal.pk}/").content.decode()
    assert f"/supervision/file/?refusal={refusal.pk}" in detail
    form = staff.get(f"/supervision/file/?refusal={refusal.pk}").content.decode()
    assert refusal.notice_no in form and "社区每月报送慢病随访台账" in form
    r = staff.post(
        f"/supervision/file/?refusal={refusal.pk}",
        {
            "category": refusal.complaint_category,
            "department": users["hexi_health"].roles.first().department_id,
            "community": "120103001001",
            "task_title": refusal.title,
            "description": "区卫健委坚持要求社区另建慢病随访台账。",
            "refusal_id": refusal.pk,
        },
    )
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert c.refusal_id == refusal.pk and c.department.code == "12010302"
    handling = page_client("hexi_official").get(f"/supervision/complaints/{c.pk}/").content.decode()
    assert refusal.notice_no in handling and f"/check/refusals/{refusal.pk}/notice.pdf" in handling
    # Another community's staff cannot attach this refusal.
    other = page_client("community_staff2").get(f"/supervision/file/?refusal={refusal.pk}").content.decode()
    assert refusal.notice_no not in other


def test_check_page_offers_a_prefilled_complaint(page_client):
    r = page_client("community_staff").get(
        "/check/",
        {"community": "120103001001", "title": "社区负责辖区违建拆除", "department": "河西区城市管理委员会"},
    )
    body = r.content.decode()
    assert 'data-testid="file-from-check"' in body
    link = body.split('data-testid="file-from-check"')[0].rsplit('href="', 1)[1].split('"')[0]
    form = page_client("community_staff").get(link.replace("&amp;", "&")).content.decode()
    assert "社区负责辖区违建拆除" in form


def test_open_rectification_shows_on_the_department_dashboard_and_its_admission_requests(
    users, substantiated, page_client
):
    from datetime import date

    from admission import services as admission_services
    from admission.schemas import TaskRequestSchema

    substantiated()
    dept = page_client("hexi_health")
    assert 'data-testid="sv-open-rectifications"' in dept.get("/dashboard/").content.decode()
    req = admission_services.task_request_create(
        actor=users["hexi_health"],
        data=TaskRequestSchema.parse(
            {
                "title": "健康宣传",
                "description": "社区协助健康宣传。",
                "target_orgs": ["120103001001"],
                "start_date": date(2027, 6, 1),
                "end_date": date(2027, 12, 31),
                "workload_hours_per_month": "2",
                "funding_amount": "1000",
                "funding_source": "区财政",
            }
        ),
    )
    page = dept.get(f"/admission/{req.pk}/").content.decode()
    assert 'data-testid="open-rectifications"' in page
    assert (
        'data-testid="sv-open-rectifications"'
        not in page_client("city_stats").get("/dashboard/").content.decode()
    )


def test_public_statistics_page_has_server_rendered_charts_and_no_personal_data(users, substantiated, client):
    substantiated()
    body = client.get("/supervision/").content.decode()
    assert body.count("<svg") >= 4
    assert "河西区" in body and "张桂英" not in body and "13800000001" not in body


def test_substantiated_complaints_and_appeals_feed_the_star_rating_figures(users, substantiated, org):
    from django.utils import timezone

    from evaluations.services import collect_figures

    substantiated()
    a = services.appeal_submit(
        actor=users["resident"], data=sv.AppealSchema.parse({"category": "safety", "text": "楼道灯不亮。"})
    )
    services.appeal_answer(
        actor=users["community_staff"], appeal_id=a.pk, data=sv.AnswerSchema.parse({"answer": "已更换。"})
    )
    figures = collect_figures(community=org("120103001001"), year=timezone.localdate().year)
    assert figures["complaints"] == {"complaints": 1, "substantiated": 1}
    assert figures["appeals"]["appeals"] == 1 and figures["appeals"]["appeals_answered"] == 1


def test_reports_selector_counts_by_org_and_month(users, substantiated, file_complaint):
    from datetime import timedelta

    from django.utils import timezone

    from supervision.selectors import complaint_counts_by_org_month

    substantiated()
    file_complaint(target_department="12000002")
    today = timezone.localdate()
    rows = complaint_counts_by_org_month(date_from=today - timedelta(days=1), date_to=today)
    by_org = {r["org"]: r for r in rows}
    assert by_org["120103"]["total"] == 1 and by_org["120103"]["substantiated"] == 1
    assert by_org["120000"]["total"] == 1 and by_org["120000"]["open"] == 1
    assert by_org["120103"]["month"] == today.strftime("%Y-%m")


def test_the_pages_offer_what_the_transition_tables_allow(users, substantiated, page_client):
    """The answer and rating forms of an appeal and the bureau's verification form of a rectification appear
    exactly when the workflow table allows that step (and the viewer may take it)."""
    from supervision.models import Rectification

    a = services.appeal_submit(
        actor=users["resident"],
        data=sv.AppealSchema.parse({"category": "environment", "text": "楼道灯坏了。"}),
    )
    page = f"/supervision/appeals/{a.pk}/"
    assert 'data-testid="answer-form"' in page_client("community_staff").get(page).content.decode()
    resident_view = page_client("resident").get(page).content.decode()
    assert 'data-testid="answer-form"' not in resident_view and 'data-testid="rate-form"' not in resident_view
    services.appeal_answer(
        actor=users["community_staff"], appeal_id=a.pk, data=sv.AnswerSchema.parse({"answer": "已更换。"})
    )
    assert 'data-testid="rate-form"' in page_client("resident").get(page).content.decode()
    assert 'data-testid="answer-form"' not in page_client("community_staff").get(page).content.decode()

    c = substantiated()
    r = Rectification.objects.get(complaint=c)
    detail = f"/supervision/complaints/{c.pk}/"
    assert 'data-testid="verify"' not in page_client("hexi_official").get(detail).content.decode()
    services.rectification_report(
        actor=users["hexi_health"],
        rectification_id=r.pk,
        data=sv.RectificationReportSchema.parse({"report": "已撤回该任务。"}),
    )
    assert 'data-testid="verify"' in page_client("hexi_official").get(detail).content.decode()


def test_lists_and_public_statistics_show_a_new_complaint_and_appeal_at_once(
    client, users, file_complaint, django_assert_max_num_queries
):
    """The counts and pages are cached (portal.caching "supervision"): a change shows on the next request."""
    from supervision.models import Appeal

    file_complaint()
    client.force_login(users["hexi_official"])
    before = client.get("/supervision/complaints/?status=").context["page"].paginator.count
    public_before = client.get("/supervision/").context["stats"]["total"]["total"]
    file_complaint(description="街道要求社区每月报送十二张统计报表，没有准入编号。")
    assert client.get("/supervision/complaints/?status=").context["page"].paginator.count == before + 1
    assert client.get("/supervision/").context["stats"]["total"]["total"] == public_before + 1
    with django_assert_max_num_queries(12):
        client.get("/supervision/complaints/?status=")

    client.force_login(users["resident"])
    seen = client.get("/supervision/appeals/").context["page"].paginator.count
    Appeal.objects.create(
        community=users["resident"].roles.first().org,
        resident=users["resident"],
        category="environment",
        text="楼道灯坏了。",
        due_date="2026-12-31",
    )
    page = client.get("/supervision/appeals/").context["page"]
    assert page.paginator.count == seen + 1 and page.object_list[0].text == "楼道灯坏了。"
    assert client.get("/api/v1/appeals").json()["count"] == seen + 1


def test_each_page_offers_exactly_the_steps_the_table_allows_that_user(users, file_complaint, page_client):
    """The bureau's buttons, the department's statement and report, the criticism's edit and approval: each page
    offers the steps the table allows from the current state that the viewer holds as a right — the same right
    the service asks, so a button is never offered that the service refuses, nor hidden when it would pass."""
    from supervision import selectors
    from supervision.models import Criticism, Rectification

    c = file_complaint()

    def steps(username):
        return selectors.complaint_actions(user=users[username], complaint=c)

    assert steps("hexi_official") == steps("city_admin") == {"accept", "decline", "merge"}
    for outsider in ("nankai_official", "hexi_approver", "hexi_health", "community_staff"):
        assert steps(outsider) == set(), outsider
    official = page_client("hexi_official")
    detail = official.get(f"/supervision/complaints/{c.pk}/").content.decode()
    assert 'data-testid="accept"' in detail and 'data-testid="verdict"' not in detail

    services.complaint_accept(actor=users["hexi_official"], complaint_id=c.pk)
    c.refresh_from_db()
    assert steps("hexi_official") == {"merge", "note", "request_statement", "substantiate", "unsubstantiate"}
    assert steps("hexi_health") == set()  # not asked yet
    services.complaint_request_statement(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.StatementRequestSchema.parse({"summary": "请说明。"}),
    )
    c.refresh_from_db()
    assert steps("hexi_health") == {"statement"} and steps("city_stats") == set()
    detail = official.get(f"/supervision/complaints/{c.pk}/").content.decode()
    assert 'data-testid="accept"' not in detail and 'data-testid="verdict"' in detail

    services.complaint_verdict(
        actor=users["hexi_official"],
        complaint_id=c.pk,
        data=sv.VerdictSchema.parse({"substantiated": "yes", "reason": "属实。", "requirements": "撤回。"}),
    )
    c.refresh_from_db()
    assert steps("hexi_official") == {"note", "rectification_return", "close"}
    assert steps("hexi_approver") == {"criticism_publish"} and steps("hexi_health") == {
        "rectification_report"
    }

    cr = Criticism.objects.get(complaint=c)
    page = f"/supervision/criticisms/{cr.pk}/"
    mine = official.get(page).content.decode()
    assert 'data-testid="submit-criticism"' in mine and 'data-testid="decide-form"' not in mine
    approver = page_client("hexi_approver")
    assert 'data-testid="decide-form"' not in approver.get(page).content.decode()
    services.criticism_submit(actor=users["hexi_official"], criticism_id=cr.pk)
    assert 'data-testid="decide-form"' in approver.get(page).content.decode()
    mine = official.get(page).content.decode()
    assert 'data-testid="submit-criticism"' not in mine and 'name="form" value="edit"' not in mine

    r = Rectification.objects.get(complaint=c)
    page = f"/supervision/rectifications/{r.pk}/"
    department = page_client("hexi_health")
    assert 'data-testid="send-report"' in department.get(page).content.decode()
    assert 'data-testid="send-report"' not in official.get(page).content.decode()
    assert official.post(page, {"report": "代部门报告。"}).status_code == 404  # not the bureau's step
    services.rectification_report(
        actor=users["hexi_health"],
        rectification_id=r.pk,
        data=sv.RectificationReportSchema.parse({"report": "已撤回。"}),
    )
    assert 'data-testid="send-report"' not in department.get(page).content.decode()


def test_the_department_page_and_the_criticism_list_follow_a_new_verdict_at_once(
    users, substantiated, page_client
):
    """Both are rendered once and cached until a complaint, a rectification or a criticism changes
    (portal.caching "supervision"), keyed by the viewer's scope: a verdict shows on the next request."""
    from django.urls import reverse

    from supervision.models import Criticism, Rectification

    department, bureau = page_client("hexi_health"), page_client("hexi_official")
    assert "没有整改通知" in department.get("/supervision/department/").content.decode()  # cached now
    bureau.get("/supervision/criticisms/")
    complaint = substantiated()
    rect = Rectification.objects.get(complaint=complaint)
    page = department.get("/supervision/department/").content.decode()
    assert reverse("supervision:rectification", args=[rect.pk]) in page and "没有整改通知" not in page
    criticism = Criticism.objects.get(complaint=complaint)
    assert (
        reverse("supervision:criticism", args=[criticism.pk])
        in bureau.get("/supervision/criticisms/").content.decode()
    )
    # Another department's staff see their own page, not this one's orders.
    assert (
        reverse("supervision:rectification", args=[rect.pk])
        not in page_client("city_stats").get("/supervision/department/").content.decode()
    )


def test_the_complaint_export_writes_text_a_spreadsheet_would_run_as_literal_text(page_client):
    """A complainant's free text (the department they name) can start with "=": the bureau's CSV keeps it as text."""
    page_client().post(
        "/supervision/file/", {**FORM, "department_text": '=HYPERLINK("http://x.example","点我")'}
    )
    resp = page_client("hexi_official").get("/supervision/complaints/export.csv")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8-sig"))))
    assert rows[0] == ["提交时间", "类别", "被投诉部门", "社区", "状态", "查证结论"]
    assert [r[2] for r in rows[1:]] == ['\'=HYPERLINK("http://x.example","点我")']
    assert rows[1][1] == "违规要求挂牌" and rows[1][3] == Complaint.objects.get().community.name


def test_the_list_pages_open_for_the_roles_that_hold_their_right(users, page_client):
    """Who opens supervision's list pages, user by user: the bureau its complaint list and export (its
    approvers are sent to their criticisms), the bureau and its approvers the criticisms, residents and the
    staff from community to district the appeals, residents the new-appeal form, department staff their
    page; anyone else meets a 404. The system administrator holds every right, as everywhere."""
    from portal.scope import has_role
    from supervision.choices import HANDLERS

    approvers = ("district_approver", "city_approver")
    appeal_readers = ("resident", "community_staff", "street_staff", *HANDLERS)

    def expected(user, url):
        if user.is_superuser:
            return 200  # holds every right of the scope mechanism (for_user gives it everything)
        if url in ("/supervision/complaints/", "/supervision/complaints/export.csv"):
            if has_role(user, *HANDLERS):
                return 200
            return 302 if url.endswith("complaints/") and has_role(user, *approvers) else 404
        if url == "/supervision/criticisms/":
            return 200 if has_role(user, *HANDLERS, *approvers) else 404
        if url == "/supervision/appeals/":
            return 200 if has_role(user, *appeal_readers) else 404
        if url == "/supervision/appeals/new/":
            return 200 if has_role(user, "resident") else 404
        return 200 if has_role(user, "department_staff") else 404

    urls = [
        "/supervision/complaints/",
        "/supervision/complaints/export.csv",
        "/supervision/criticisms/",
        "/supervision/appeals/",
        "/supervision/appeals/new/",
        "/supervision/department/",
    ]
    seen = {}
    for name, user in users.items():
        client = page_client(name)
        for url in urls:
            got = client.get(url).status_code
            assert got == expected(user, url), (name, url, got)
            seen.setdefault(url, set()).add(got)
    assert all(200 in codes and 404 in codes for codes in seen.values()), seen
    assert 302 in seen["/supervision/complaints/"]
    appeals = page_client("resident").get("/supervision/appeals/").content.decode()
    assert 'data-testid="new-appeal"' in appeals
    assert (
        'data-testid="new-appeal"'
        not in page_client("community_staff").get("/supervision/appeals/").content.decode()
    )


def test_the_public_page_shows_a_criticism_the_moment_it_is_published(users, substantiated, client):
    """The public page's figures, notices and charts are rendered once until a case changes."""
    from supervision import schemas as sv
    from supervision import services
    from supervision.models import Criticism

    c = substantiated()
    cr = Criticism.objects.get(complaint=c)
    services.criticism_submit(actor=users["hexi_official"], criticism_id=cr.pk)
    before = client.get("/supervision/").content.decode()
    assert "暂无通报。" in before
    services.criticism_decide(
        actor=users["hexi_approver"],
        criticism_id=cr.pk,
        data=sv.CriticismDecisionSchema.parse({"decision": "approve"}),
    )
    cr.refresh_from_db()
    after = client.get("/supervision/").content.decode()
    assert (
        f'<a href="/supervision/notices/{cr.public_code}/">{cr.title}</a>' in after
        and "暂无通报。" not in after
    )
