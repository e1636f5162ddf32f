"""Short verification codes and the one public page to type them (certificates, admissions, refusals)."""

import pytest

from portal import verify


def test_short_codes_round_trip_and_are_short_and_typeable(db):
    for pk in (1, 31, 32, 999, 123456):
        code = verify.short_code("R", pk)
        assert len(code) <= 12 and code == code.upper()
        assert not set(code) & set("IO01") or code.index("-") < 0
        assert verify.parse_short_code(code) == ("R", pk)
        assert verify.parse_short_code(code.lower().replace("-", " ")) == ("R", pk)


def test_tampered_or_unknown_codes_do_not_parse(db):
    code = verify.short_code("R", 7)
    body, mac = code.split("-")
    other = "A" if mac[0] != "A" else "B"
    assert verify.parse_short_code(f"{body}-{other}{mac[1:]}") is None
    assert verify.parse_short_code(verify.short_code("R", 8).split("-")[0] + "-" + mac) is None
    assert verify.parse_short_code("") is None and verify.parse_short_code("%E6%B4%A5") is None


def test_the_verify_page_opens_without_a_code_also_under_certificates(page_client):
    for url in ("/verify/", "/certificates/verify/"):
        r = page_client().get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert 'name="code"' in html and "核验码" in html
        for label in ("社区证明", "准入通知书", "拒绝承接告知书"):
            assert label in html


def test_an_unknown_code_says_so_next_to_the_field(page_client):
    r = page_client().get("/verify/", {"code": "R7-ZZZZZZ"})
    assert r.status_code == 404
    html = r.content.decode()
    assert 'data-testid="verify-error"' in html and 'aria-invalid="true"' in html
    assert 'value="R7-ZZZZZZ"' in html  # what was typed stays


@pytest.fixture
def refusal(demo_full, users):
    from taskcheck.services import check_input, refusal_record

    return refusal_record(
        actor=users["community_staff"],
        data=check_input(
            community="120103001001", title="请各社区完成本季度招商引资任务", department="河西区商务局"
        ),
    )


def test_a_refusal_short_code_leads_to_its_verification(page_client, refusal):
    code = verify.short_code("R", refusal.pk)
    r = page_client().get(f"/verify/{code}/")
    assert r.status_code == 302 and r["Location"] == f"/check/verify/{refusal.verify_code}/"
    r = page_client().get("/verify/", {"code": code.lower()})
    assert r.status_code == 302 and r["Location"] == f"/check/verify/{refusal.verify_code}/"
    page = page_client().get(r["Location"])
    assert page.status_code == 200 and refusal.notice_no in page.content.decode()


def test_an_admission_number_or_code_leads_to_the_admission(page_client, demo_full):
    from admission.models import TaskRequest

    req = TaskRequest.objects.filter(admission_no__isnull=False).first()
    assert req is not None, "the demo has an approved admission"
    for typed in (req.admission_no, verify.short_code("A", req.pk)):
        r = page_client().get("/verify/", {"code": typed})
        assert r.status_code == 302, typed
        assert page_client().get(r["Location"]).status_code == 200


def test_a_certificate_long_code_is_accepted_too(page_client, demo_full):
    from certificates.models import Certificate

    cert = Certificate.objects.first()
    assert cert is not None, "the demo has an issued certificate"
    r = page_client().get("/verify/", {"code": cert.verify_code.lower()})
    assert r.status_code == 302 and r["Location"] == f"/certificates/verify/{cert.verify_code}/"
    r = page_client().get(f"/verify/{verify.short_code('C', cert.pk)}/")
    assert r["Location"] == f"/certificates/verify/{cert.verify_code}/"
