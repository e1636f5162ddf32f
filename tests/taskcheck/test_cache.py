"""The check form's district and community choices are cached until an org changes."""

from portal.models import OrgUnit
from taskcheck import selectors


def test_a_new_community_shows_in_the_check_form_at_once(demo, client):
    before = selectors.community_choices(district_code="120103")
    street = OrgUnit.objects.get(code="120103001000")
    OrgUnit.objects.create(code="120103001097", name="新设社区", level="community", parent=street)
    after = selectors.community_choices(district_code="120103")
    names = {name for _, rows in after for _, name in rows}
    assert "新设社区" in names and len(names) == len({n for _, rows in before for _, n in rows}) + 1
    page = client.get("/check/?district=120103").content.decode()
    assert "新设社区" in page
