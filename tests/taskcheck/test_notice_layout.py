"""The refusal notice as printed: one A4 page, the QR code on the page with the seal, a short typeable
verification address, and a Chinese file name."""

from urllib.parse import unquote

import pytest

from portal import verify
from portal.pdf import pdf_text
from tests.support import pdfcheck
from tests.taskcheck.test_views import TASK


@pytest.fixture
def refusal(demo, reference_lists, users):
    from taskcheck.services import check_input, refusal_record

    def make(**extra):
        return refusal_record(actor=users["community_staff"], data=check_input(**{**TASK, **extra}))

    return make


def test_refusal_notice_is_one_page_with_a_decodable_short_qr(refusal, settings):
    from taskcheck.pdf import refusal_notice_pdf

    settings.JIANFU_PUBLIC_BASE_URL = "https://jianfu.tj.gov.cn"
    r = refusal(
        description="要求社区网格员每周上门走访辖区企业，统计招商引资意向并填报台账，每月报送街道汇总。",
        admission_no="",
    )
    data = refusal_notice_pdf(refusal=r)
    pdfcheck.to_png(data, pdfcheck.SHOTS, "refusal-notice-page", dpi=60)  # to look at
    assert pdfcheck.page_count(data) == 1
    code = verify.short_code("R", r.pk)
    url = f"https://jianfu.tj.gov.cn/verify/{code}/"
    text = "".join(pdf_text(data).split())
    assert code in text and url in text and "%" not in text
    assert "特此告知" in text and "居民委员会" in text
    found = pdfcheck.qr_on_pdf(data, pdfcheck.SHOTS, "refusal-notice")
    assert found == [(1, url)]


def test_the_notice_downloads_under_a_chinese_name(page_client, refusal):
    r = refusal()
    response = page_client("community_staff").get(f"/check/refusals/{r.pk}/notice.pdf")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    name = unquote(disposition.split("filename*=utf-8''", 1)[1])
    assert name == f"拒绝承接告知书-{r.notice_no}.pdf"
