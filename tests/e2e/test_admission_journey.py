"""Browser journeys of admission: a district department's request from filing to the community's list, and a
city department's request through the city bureau and the city approver."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from tests.e2e.conftest import SHOTS

TITLE = "社区居民健康素养问卷入户协助"


def _switch(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def _open_request(page, title):
    page.goto("/admission/inbox/")
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()


def test_district_request_from_filing_to_the_community_list(page, login, shot):
    start = timezone.localdate() + timedelta(days=90)
    login(page, "hexi_health")
    page.goto("/admission/new/")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", "协助社区卫生服务中心开展居民健康素养问卷，发放并回收问卷。")
    page.check("input[name=target_orgs][value='120103001001']")
    page.fill("input[name=start_date]", start.isoformat())
    page.fill("input[name=end_date]", (start + timedelta(days=365)).isoformat())
    page.fill("input[name=workload_hours_per_month]", "4")
    page.fill("input[name=funding_amount]", "2000")
    page.fill("input[name=funding_source]", "区级财政专项资金")
    page.fill("textarea[name=working_conditions]", "提供移动终端和业务系统账号，组织一次培训。")
    shot(page, "admission-01-form")
    page.get_by_test_id("save-draft").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "草稿"
    page.get_by_test_id("submit-request").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "征求意见中"
    request_url = page.url

    for username in ("street_staff", "community_staff"):
        _switch(page, login, username)
        _open_request(page, TITLE)
        page.check("input[name=opinion][value=agree]")
        page.fill("textarea[name=comment]", "同意，经费和条件已明确。")
        if username == "community_staff":
            shot(page, "admission-02-community-opinion")
        page.get_by_test_id("send-opinion").click()
        page.wait_for_load_state()
        assert "意见已提交" in page.content()
    assert page.get_by_test_id("status").inner_text() == "合法性合理性审查"

    _switch(page, login, "hexi_official")
    _open_request(page, TITLE)
    assert "同意 2" in page.get_by_test_id("tally").inner_text()
    page.check("input[name=legality][value=pass]")
    page.check("input[name=reasonableness][value=pass]")
    page.fill("textarea[name=comment]", "依据充分，经费和工作条件已落实。")
    page.get_by_test_id("send-review").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "待审批"

    _switch(page, login, "hexi_approver")
    _open_request(page, TITLE)
    page.check("input[name=decision][value=approve]")
    page.get_by_test_id("send-decision").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已准入"
    admission_no = page.get_by_test_id("admission-no").inner_text()
    assert re.fullmatch(r"津河西准〔\d{4}〕\d+号", admission_no)
    assert page.url == request_url
    page.reload()
    shot(page, "admission-03-approved")
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("创建草稿", "提交申请", "反馈意见", "征求意见结束", "审查通过", "批准准入"):
        assert step in timeline

    # The approval notice: PDF with a QR code to the public verification page.
    notice = page.request.get(page.get_by_test_id("notice-link").get_attribute("href"))
    assert notice.status == 200 and notice.body().startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SHOTS / "admission-notice.pdf"
    pdf_path.write_bytes(notice.body())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf_path),
            str(SHOTS / "admission-notice"),
        ],
        check=False,
    )
    from portal.pdf import pdf_text

    text = pdf_text(notice.body())
    assert admission_no in text
    verify_url = re.search(
        r"(https?://[^\s/]+/verify/A[0-9A-Z]+-[0-9A-Z]{6}/)", text.replace("\n", "")
    ).group(1)
    page.context.clear_cookies()
    page.goto(verify_url)
    assert page.get_by_test_id("verify-status").inner_text() == "有效"
    assert TITLE in page.content()
    shot(page, "admission-04-verify")
    _check_qr_decodes_to(pdf_path, verify_url)

    # The community now sees the task as admitted; elsewhere it is not admitted.
    r = page.request.get("/api/v1/communities/120103001001/checklist")
    assert r.status == 200
    items = [i for i in r.json()["items"] if i["list_type"] == "admitted"]
    assert any(i["admission_no"] == admission_no for i in items)
    check = page.request.post(
        "/api/v1/task-check",
        data={"community": "120103001001", "title": TITLE, "admission_no": admission_no},
    )
    assert check.json()["verdict"] == "admitted"
    other = page.request.post(
        "/api/v1/task-check",
        data={"community": "120103002001", "title": TITLE, "admission_no": admission_no},
    )
    assert other.json()["verdict"] == "not_admitted"


def _check_qr_decodes_to(pdf_path: Path, url: str) -> None:
    """The QR code on the notice decodes (zbarimg; a missing decoder fails) to a verification address."""
    from tests.support.pdfcheck import qr_on_pdf

    found = qr_on_pdf(pdf_path.read_bytes(), pdf_path.parent, pdf_path.stem + "-qr")
    assert found, "no QR code could be read on the notice"
    assert (1, url) in found, found


def test_city_request_goes_through_city_bureau_and_city_approver(page, login, shot):
    from admission import services
    from portal.models import User
    from tests.admission.conftest import request_input

    city_stats = User.objects.get(username="city_stats")
    req = services.task_request_create(
        actor=city_stats,
        data=request_input(
            title="住户收支调查样本户联络协助",
            target_orgs=["120103001001"],
            description="协助联络住户收支调查样本户，不承担调查登记工作。",
        ),
    )
    services.task_request_submit(actor=city_stats, request_id=req.pk)
    for username, code in (("street_staff", "120103001000"), ("community_staff", "120103001001")):
        services.task_request_opinion(
            actor=User.objects.get(username=username), request_id=req.pk, opinion="agree", org_code=code
        )

    login(page, "hexi_official")  # a district bureau does not review a city department's request
    assert page.goto(f"/admission/{req.pk}/").status == 404
    _switch(page, login, "city_admin")
    page.goto(f"/admission/{req.pk}/")
    page.check("input[name=legality][value=pass]")
    page.check("input[name=reasonableness][value=pass]")
    page.get_by_test_id("send-review").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "待审批"
    assert page.get_by_test_id("decision-form").count() == 0  # the reviewer does not decide

    _switch(page, login, "hexi_approver")
    assert page.goto(f"/admission/{req.pk}/").status == 404
    r = page.request.post(f"/admission/{req.pk}/decision/", form={"decision": "approve"})
    assert r.status in (403, 404)

    _switch(page, login, "city_approver")
    page.goto(f"/admission/{req.pk}/")
    page.check("input[name=decision][value=approve]")
    page.get_by_test_id("send-decision").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已准入"
    assert page.get_by_test_id("admission-no").inner_text().startswith("津准〔")
    shot(page, "admission-05-city-approved")


def test_community_sees_requests_awaiting_its_opinion_on_a_phone(phone_page, login, shot):
    login(phone_page, "community_staff")
    phone_page.goto("/admission/inbox/")
    assert "居民慢性病用药需求摸底" in phone_page.content()
    shot(phone_page, "admission-06-community-inbox-phone")
