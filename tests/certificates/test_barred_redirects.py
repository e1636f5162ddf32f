"""A redirect to the responsible agency is counted for the community it came from, when that is known."""

import pytest

from certificates.models import BarredRedirect
from tests.certificates.conftest import form_data

pytestmark = [pytest.mark.policy("三（五）-3")]

BARRED = "/api/v1/certificate-types/barred"


def communities() -> list[str | None]:
    return [r.community.code if r.community else None for r in BarredRedirect.objects.order_by("id")]


def test_the_redirect_records_the_residents_or_the_pages_community(catalogue, api, page_client):
    api().get(BARRED, {"q": "开无犯罪记录证明"})  # nobody logged in, no community page: unknown
    api("resident").get(BARRED, {"q": "开无犯罪记录证明"})  # the resident's registered community
    api().get(BARRED, {"q": "亲属关系证明", "community": "120103002001"})  # asked from a community page
    api().get(BARRED, {"q": "亲属关系证明", "community": "120103"})  # not a community: unknown
    page = page_client().get("/certificates/barred/", {"q": "无犯罪记录证明", "community": "120103001002"})
    assert '<input type="hidden" name="community" value="120103001002">' in page.content.decode()
    r = api("resident").post_multipart(
        "/api/v1/certificate-applications", form_data(type="无犯罪记录证明", community="120103002001")
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "barred_certificate"
    assert communities() == [None, "120103001001", "120103002001", None, "120103001002", "120103002001"]
