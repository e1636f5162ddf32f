"""On a phone: a resident applies with uploads and pledge, the community approves, the resident downloads the
PDF, its QR address shows the certificate valid, and revoked after revocation."""

import re

from certificates.personal import id_check_char
from tests.certificates.conftest import jpeg_bytes, pdf_bytes, png_bytes

ID_NUMBER = "12010319900315402" + id_check_char("12010319900315402")


def relogin(pg, login, username):
    pg.context.clear_cookies()
    login(pg, username)


def test_certificate_journey_on_a_phone(phone_page, login, shot, tmp_path):
    pg = phone_page
    front, back, hukou = tmp_path / "front.jpg", tmp_path / "back.png", tmp_path / "hukou.pdf"
    front.write_bytes(jpeg_bytes((400, 250)))
    back.write_bytes(png_bytes((400, 250)))
    hukou.write_bytes(pdf_bytes())

    login(pg, "resident")
    pg.goto("/certificates/")
    shot(pg, "certificates-catalogue-phone")
    pg.goto("/certificates/apply/?type=residence")
    pg.fill("input[name=id_number]", ID_NUMBER)
    pg.fill("textarea[name=reason]", "在本社区居住五年，孩子上学需要居住证明。")
    pg.fill("input[name=purpose]", "办理子女小学入学")
    pg.set_input_files("input[name=id_front]", str(front))
    pg.set_input_files("input[name=id_back]", str(back))
    pg.set_input_files("input[name=household_register]", str(hukou))
    pg.check("input[name=pledge]")
    shot(pg, "certificates-apply-phone")
    pg.click("form[data-testid=apply-form] .btn-block")
    pg.wait_for_load_state()
    assert re.search(r"/certificates/applications/\d+/$", pg.url), pg.content()[:2000]
    detail_url = pg.url
    assert pg.get_by_test_id("status").inner_text() == "待审核"
    assert ID_NUMBER not in pg.content() and "120103********" in pg.content()
    shot(pg, "certificates-submitted-phone")

    relogin(pg, login, "community_staff")
    pg.goto("/certificates/queue/")
    assert "待审核" in pg.content()
    pg.goto(detail_url)
    pg.check("input[name=decision][value=approve]")
    pg.fill("textarea[name=comment]", "材料齐全，情况属实。")
    shot(pg, "certificates-review-phone")
    pg.click("[data-testid=review] button[type=submit]")
    pg.wait_for_load_state()
    assert pg.get_by_test_id("status").inner_text() == "已出具"
    number = pg.get_by_test_id("certificate-no").inner_text()
    assert re.fullmatch(r"120103001001-\d{4}-\d{4}", number)

    relogin(pg, login, "resident")
    pg.goto(detail_url)
    shot(pg, "certificates-issued-phone")
    with pg.expect_download() as info:
        pg.get_by_test_id("pdf-download").click()
    pdf_path = tmp_path / "certificate.pdf"
    info.value.save_as(pdf_path)
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF-")
    from portal.pdf import pdf_text

    text = "".join(pdf_text(data).split())
    assert number in text and "居住证明" in text
    qr_url = re.search(r"(http://\S+/certificates/verify/[A-Z0-9]+/)", pdf_text(data).replace("\n", ""))
    assert qr_url, "the PDF prints its verification address"
    verify_url = qr_url.group(1)

    pg.context.clear_cookies()  # whoever scans the QR code is not logged in
    pg.goto(verify_url)
    result = pg.get_by_test_id("verify-result").inner_text()
    assert "有效" in result and number in result and "王*明" in result
    shot(pg, "certificates-verify-valid-phone")

    login(pg, "community_staff")
    pg.goto(detail_url)
    pg.on("dialog", lambda d: d.accept())
    pg.fill("textarea[name=reason]", "申请人已迁出本社区")
    pg.click("form[action$='/revoke/'] button[type=submit]")
    pg.wait_for_load_state()
    assert pg.get_by_test_id("status").inner_text() == "已撤销"

    pg.context.clear_cookies()
    pg.goto(verify_url)
    result = pg.get_by_test_id("verify-result").inner_text()
    assert "已撤销" in result and "有效" not in result.replace("有效期", "")
    shot(pg, "certificates-verify-revoked-phone")
