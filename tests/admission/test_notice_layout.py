"""The approval notice (准入通知书) as printed: one A4 page with the QR next to the seal, a short code."""

from portal import verify
from portal.pdf import pdf_text
from tests.support import pdfcheck


def test_approval_notice_is_one_page_with_a_decodable_short_qr(flow, settings):
    from admission.pdf import notice_pdf_bytes

    settings.JIANFU_PUBLIC_BASE_URL = "https://jianfu.tj.gov.cn"
    req = flow.approved(
        description="每季度协助核对辖区老年人健康随访信息，核对结果由区卫生健康委汇总；社区只核对本辖区名单，"
        "不承担随访、体检和录入工作，所需名单和终端由区卫生健康委提供。"
    )
    data = notice_pdf_bytes(req)
    pdfcheck.to_png(data, pdfcheck.SHOTS, "admission-notice-page", dpi=60)  # to look at
    assert pdfcheck.page_count(data) == 1
    code = verify.short_code("A", req.pk)
    url = f"https://jianfu.tj.gov.cn/verify/{code}/"
    text = "".join(pdf_text(data).split())
    assert req.admission_no in text and code in text and url in text and "%" not in text
    found = pdfcheck.qr_on_pdf(data, pdfcheck.SHOTS, "admission-notice")
    assert found == [(1, url)]
