"""Every URL the API returns can be fetched with the API's own credentials, in the same scope (issue 13.7)."""

URL = "/api/v1/certificate-applications"


def test_pdf_url_is_fetchable_with_the_bearer_token(issue, api, page_client):
    app = issue()
    body = api("resident").get(f"{URL}/{app.pk}").json()
    pdf_url = body["pdf_url"]
    assert pdf_url
    # The resident's own token gets the PDF itself, not a login page.
    res = api("resident").get(pdf_url)
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    assert b"".join(res.streaming_content).startswith(b"%PDF")
    # So does the community's staff with their token, and a browser session too.
    assert api("community_staff").get(pdf_url).status_code == 200
    assert page_client("resident").get(pdf_url).status_code == 200
    # Outside the scope, or without credentials, it is not there.
    assert api("resident2").get(pdf_url).status_code == 404
    assert api("community_staff2").get(pdf_url).status_code == 404
    assert api().get(pdf_url).status_code == 401


def test_every_link_in_an_application_answer_works_with_the_token(issue, api):
    app = issue()
    client = api("resident")
    body = client.get(f"{URL}/{app.pk}").json()
    for field in ("pdf_url", "verify_url"):
        res = client.get(body[field])
        assert res.status_code == 200, (field, body[field], res.status_code)
        assert "/accounts/login/" not in res.get("Location", "")
