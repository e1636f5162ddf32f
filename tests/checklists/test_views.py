"""Editing pages: bad input shows a Chinese error and changes nothing; a publish shows its diff."""

from checklists.models import ListItem, ListVersion, PlaqueRecord
from tests.checklists.test_permissions import _item_post


def test_item_without_legal_basis_is_refused_with_a_message(lists, page_client):
    client = page_client("hexi_official")
    data = _item_post("协助开展敬老活动")
    data.update({"bases-0-law": "", "bases-0-article": "", "bases-0-level": ""})
    before = (ListVersion.objects.count(), ListItem.objects.count())
    r = client.post("/lists/manage/lists/120103/items/new/", data)
    assert r.status_code == 200
    assert "至少要有一条法律依据" in r.content.decode()
    assert (ListVersion.objects.count(), ListItem.objects.count()) == before


def test_edit_publish_and_read_the_diff(lists, page_client, client):
    editor = page_client("hexi_official")
    form = editor.get("/lists/manage/lists/120103/items/120103-B-1/").content.decode()
    assert "防范和处置非法集资条例" in form and "第十七条" in form
    data = _item_post("协助做好非法集资风险宣传、线索报告")
    data.update(
        {
            "category": "public_security",
            "department": "河西区金融工作局",
            "bases-0-law": "防范和处置非法集资条例",
            "bases-0-article": "第十七条",
            "bases-0-level": "admin_regulation",
        }
    )
    assert editor.post("/lists/manage/lists/120103/items/120103-B-1/", data).status_code == 302
    page = editor.get("/lists/manage/lists/120103/").content.decode()
    assert "待发布的变更" in page and "协助做好非法集资风险宣传、线索报告" in page
    r = editor.post("/lists/manage/lists/120103/publish/", {"note": "调整表述", "effective_from": ""})
    assert r.status_code == 302 and r["Location"] == "/lists/history/120103/2/"
    html = client.get("/lists/history/120103/2/").content.decode()
    assert (
        "调整表述" in html and "修改" in html and "协助做好非法集资风险宣传和线索报告" in html
    )  # old title shown
    assert (
        "协助做好非法集资风险宣传、线索报告" in client.get("/lists/community/120103001001/").content.decode()
    )


def test_publish_without_note_changes_nothing(lists, page_client):
    editor = page_client("hexi_official")
    editor.post("/lists/manage/lists/120103/items/120103-B-2/delete/")
    r = editor.post("/lists/manage/lists/120103/publish/", {"note": "", "effective_from": ""}, follow=True)
    assert "请填写修订说明" in r.content.decode()
    assert not ListVersion.objects.filter(org__code="120103", number=2).exists()


def test_plaque_form_flags_an_extra_plaque(lists, page_client):
    staff = page_client("community_staff")
    r = staff.post(
        "/lists/manage/plaques/120103001001/",
        {"kind": "other", "text": "平安社区示范点", "requested_by": "某部门"},
        follow=True,
    )
    html = r.content.decode()
    assert "不合规" in html and "平安社区示范点" in html
    r = staff.post("/lists/manage/plaques/120103001001/", {"kind": "bogus", "text": "x"})
    assert r.status_code == 200 and PlaqueRecord.objects.filter(text="x").count() == 0
    assert staff.get("/lists/manage/plaques/").status_code == 302  # straight to the own community


def test_the_plaque_home_opens_for_the_users_the_role_rule_let_in(users, page_client):
    """Who opens the plaque home, user by user, now that it asks the org right checklists.plaques: exactly whom
    the old role rule let in — the superuser and whoever holds a plaque role; one who holds a single one at a
    community goes straight to that community's page; anyone else meets a 404."""
    from checklists.models import PLAQUE_ROLES
    from portal.scope import grants_for

    seen = set()
    for name, user in users.items():
        response = page_client(name).get("/lists/manage/plaques/")
        grants = grants_for(user, PLAQUE_ROLES)
        if len(grants) == 1 and grants[0].org_level == "community":
            assert response.status_code == 302, (name, response.status_code)
            assert response["Location"] == f"/lists/manage/plaques/{grants[0].org_code}/", name
        elif grants or user.is_superuser:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code == 404, (name, response.status_code)
        seen.add(response.status_code)
    assert seen == {200, 302, 404}, seen


def test_the_city_admin_finds_the_plaque_register_in_the_menu_and_records_for_a_community_they_pick(
    lists, page_client
):
    """The city admin holds checklists.plaques over every community: the menu offers the page, the page lists
    the communities to pick from, and the picked community's register takes a plaque."""
    admin = page_client("city_admin")
    dashboard = admin.get("/dashboard/").content.decode()
    assert '<a href="/lists/manage/plaques/">挂牌登记</a>' in dashboard.split('data-testid="nav"', 1)[1]
    home = admin.get("/lists/manage/plaques/")
    assert home.status_code == 200
    assert 'href="/lists/manage/plaques/120103001002/">浦口道社区</a>' in home.content.decode()
    page = admin.get("/lists/manage/plaques/120103001002/")
    assert page.status_code == 200
    r = admin.post(
        "/lists/manage/plaques/120103001002/",
        {"kind": "other", "text": "文明城区创建点", "requested_by": "市文明办"},
        follow=True,
    )
    assert "已登记。" in r.content.decode() and "文明城区创建点" in r.content.decode()
    record = PlaqueRecord.objects.get(text="文明城区创建点")
    assert record.community.code == "120103001002" and record.recorded_by.username == "city_admin"
