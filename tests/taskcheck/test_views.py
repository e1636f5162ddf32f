"""The check page, refusing in one click, the refusal register and public verification."""

from __future__ import annotations

import pytest

from portal.pdf import pdf_text
from taskcheck.models import Refusal
from tests.support.permissions import Access, check_matrix
from tests.taskcheck.conftest import HOME, NEIGHBOUR

TASK = {"community": HOME, "title": "请各社区完成本季度招商引资任务", "department": "河西区商务局"}


@pytest.fixture
def lists(demo, reference_lists):
    return reference_lists


def test_anyone_checks_a_task_and_sees_the_verdict_and_legal_basis(page_client, lists):
    r = page_client().get("/check/", {"community": HOME, "title": "协助开展人口普查入户登记"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-verdict="on_list"' in html and "verdict-ok" in html
    assert "《全国人口普查条例》第三条第四款" in html
    assert "拒绝承接并生成告知书" not in html
    assert 'style="' not in html and "<script>" not in html


def test_prohibited_task_is_shown_in_red_with_a_login_hint_for_visitors(page_client, lists):
    html = page_client().get("/check/", TASK).content.decode()
    assert 'data-verdict="prohibited"' in html and "verdict-bad" in html
    assert "招商引资" in html and "社区工作人员登录" in html


def test_community_staff_get_their_community_preselected(page_client, lists):
    html = page_client("community_staff").get("/check/").content.decode()
    assert f'<option value="{HOME}" selected>' in html
    assert "已按您所在社区预选：新华南路社区" in html


def test_empty_title_shows_a_chinese_error_and_changes_nothing(page_client, lists):
    r = page_client("community_staff").get("/check/", {"community": HOME, "title": " "})
    assert r.status_code == 200 and "请填写任务名称。" in r.content.decode()
    r = page_client("community_staff").post("/check/refuse/", {"community": HOME, "title": ""})
    assert "请填写任务名称。" in r.content.decode()
    assert not Refusal.objects.exists()


def test_unknown_community_is_a_clear_message(page_client, lists):
    html = page_client().get("/check/", {"community": "120103999999", "title": "调解纠纷"}).content.decode()
    assert "未找到该社区" in html


def test_one_click_refusal_gives_the_notice_and_a_prepared_complaint(page_client, lists):
    client = page_client("community_staff")
    html = client.get("/check/", TASK).content.decode()
    assert "拒绝承接并生成告知书" in html
    r = client.post("/check/refuse/", TASK)
    assert r.status_code == 302
    refusal = Refusal.objects.get()
    assert r["Location"] == f"/check/refusals/{refusal.pk}/"
    detail = client.get(r["Location"]).content.decode()
    assert (
        refusal.notice_no in detail
        and "unapproved_task" in detail
        and "河西区商务局要求新华南路社区" in detail
    )
    pdf = client.get(f"/check/refusals/{refusal.pk}/notice.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert (
        "拒绝承接告知书" in text
        and "津民发〔2019〕35号" in text
        and "新华南路社区" in text
        and "招商引资" in text
    )
    verify = client.get(f"/check/verify/{refusal.verify_code}/").content.decode()
    assert "真实有效" in verify and refusal.notice_no in verify


def test_on_list_task_cannot_be_refused_from_the_page(page_client, lists):
    r = page_client("community_staff").post(
        "/check/refuse/", {"community": HOME, "title": "调解居民邻里纠纷"}
    )
    assert r.status_code == 400 and "不能登记拒绝" in r.content.decode()
    assert not Refusal.objects.exists()


@pytest.fixture
def refusal(lists, users):
    from taskcheck.services import check_input, refusal_record

    def make():
        return refusal_record(actor=users["community_staff"], data=check_input(**TASK))

    return make


def test_check_page_matrix(lists):
    check_matrix(
        Access(url="/check/"), allowed=["community_staff", "resident", "hexi_official"], anonymous="ok"
    )


def test_refuse_matrix(lists):
    check_matrix(
        Access(url="/check/refuse/", method="post", data=TASK, ok_status=(302,), denied_status=(403,)),
        allowed=["community_staff"],
        denied=["community_staff2", "street_staff", "resident", "hexi_health"],
        anonymous="login",
    )


def test_refusal_register_matrix(lists, refusal):
    refusal()
    check_matrix(
        Access(url="/check/refusals/"),
        allowed=["community_staff", "community_staff2", "street_staff", "hexi_official", "city_admin"],
        denied=["resident", "hexi_health", "city_stats"],
        anonymous="login",
    )


def test_refusal_register_lists_only_what_is_in_scope(page_client, lists, refusal):
    r = refusal()
    assert r.notice_no in page_client("street_staff").get("/check/refusals/").content.decode()
    assert r.notice_no not in page_client("community_staff2").get("/check/refusals/").content.decode()
    assert r.notice_no not in page_client("nankai_official").get("/check/refusals/").content.decode()


@pytest.mark.parametrize("suffix", ["", "notice.pdf"])
def test_refusal_detail_and_notice_matrix(lists, refusal, suffix):
    pk = refusal().pk
    check_matrix(
        Access(url=f"/check/refusals/{pk}/{suffix}"),
        allowed=["community_staff", "street_staff", "hexi_official", "city_admin"],
        denied=["community_staff2", "nankai_official", "resident", "hexi_health"],
        anonymous="login",
    )


def test_verification_is_public_and_unknown_codes_are_404(page_client, lists, refusal):
    r = refusal()
    check_matrix(Access(url=f"/check/verify/{r.verify_code}/"), allowed=["resident"], anonymous="ok")
    assert page_client().get("/check/verify/not-a-code/").status_code == 404


def test_the_menu_offers_the_check_to_everyone(page_client, lists):
    html = page_client().get("/").content.decode()
    assert 'href="/check/">任务核查' in html
    assert "拒绝承接登记" in page_client("community_staff").get("/").content.decode()
    assert "拒绝承接登记" not in page_client("resident").get("/").content.decode()


def test_neighbour_staff_see_their_own_community_first(page_client, lists):
    html = page_client("community_staff2").get("/check/").content.decode()
    assert f'<option value="{NEIGHBOUR}" selected>' in html


def test_a_second_refusal_of_the_same_task_within_a_day_asks_first(page_client, lists):
    client = page_client("community_staff")
    first = client.post("/check/refuse/", TASK)
    assert first.status_code == 302
    earlier = Refusal.objects.get()
    html = client.get("/check/", TASK).content.decode()
    assert 'data-testid="duplicate-warning"' in html and earlier.notice_no in html
    asked = client.post("/check/refuse/", TASK)
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'data-testid="duplicate-refusal"' in page and f"/check/refusals/{earlier.pk}/" in page
    assert Refusal.objects.count() == 1  # nothing recorded without the answer
    confirmed = client.post("/check/refuse/", {**TASK, "confirm_duplicate": "1"})
    assert confirmed.status_code == 302 and Refusal.objects.count() == 2
    other_task = client.post("/check/refuse/", {**TASK, "title": "请各社区完成本月招商引资任务"})
    assert other_task.status_code == 302 and Refusal.objects.count() == 3


def test_the_refusal_register_opens_for_the_users_the_role_rule_let_in(users, page_client, lists):
    """Who opens the refusal register, user by user, now that it asks the org right taskcheck.refusals: exactly
    whom the old role rule let in — the superuser and the staff of a community, street, district or the city —
    anyone else meets a 404."""
    from portal.scope import has_role

    seen = set()
    for name, user in users.items():
        got = page_client(name).get("/check/refusals/").status_code
        allowed = user.is_superuser or has_role(
            user, "community_staff", "street_staff", "district_official", "city_admin"
        )
        assert got == (200 if allowed else 404), (name, got)
        seen.add(got)
    assert seen == {200, 404}, seen
