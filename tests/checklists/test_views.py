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


def _more_communities(n: int):
    """A new street of 南开区 (学府街道) with ``n`` communities: a district with more than a page of them."""
    from portal.models import OrgUnit

    street = OrgUnit.objects.create(
        code="120104099000", name="学府街道", level="street", parent=OrgUnit.objects.get(code="120104")
    )
    for i in range(1, n + 1):
        OrgUnit.objects.create(
            code=f"120104099{i:03d}", name=f"学府{i}社区", level="community", parent=street
        )


def _found(html: str) -> str:
    return html.split('data-testid="plaque-communities"', 1)[1].split("</ul>", 1)[0]


def test_the_city_admin_finds_a_community_of_another_district_by_name(lists, page_client):
    """At city scale the list cannot be read through: the city admin narrows it by district and street, or finds
    the community by name — 南开区's 长虹园社区 as well as 河西区's — and opens its register."""
    admin = page_client("city_admin")
    found = _found(admin.get("/lists/manage/plaques/", {"q": "长虹园"}).content.decode())
    assert 'href="/lists/manage/plaques/120104001001/">长虹园社区</a>' in found and "长虹街道" in found
    assert "浦口道社区" not in found
    assert admin.get("/lists/manage/plaques/120104001001/").status_code == 200

    html = admin.get("/lists/manage/plaques/", {"district": "120104"}).content.decode()
    assert "长虹园社区" in _found(html) and "咸阳路社区" in _found(html) and "浦口道社区" not in _found(html)
    assert '<option value="120104001000">长虹街道</option>' in html  # the district's streets to pick from
    found = _found(
        admin.get("/lists/manage/plaques/", {"district": "120103", "street": "120103001000"}).content.decode()
    )
    assert "浦口道社区" in found and "长虹园社区" not in found


def test_the_plaque_home_is_paginated_and_stays_in_the_users_scope(lists, page_client):
    _more_communities(60)
    admin = page_client("city_admin")
    where = {"district": "120104", "street": "120104099000"}
    first = admin.get("/lists/manage/plaques/", where).content.decode()
    assert _found(first).count("<li>") == 50 and "第 1 / 2 页，共 60 条" in first
    second = admin.get("/lists/manage/plaques/", {**where, "page": 2}).content.decode()
    assert _found(second).count("<li>") == 10
    assert "street=120104099000&amp;page=1" in second  # the filter is kept from page to page

    official = page_client("hexi_official")  # 河西区: not 南开区's communities, by name, district or street
    html = official.get("/lists/manage/plaques/", {"q": "长虹园"}).content.decode()
    assert "长虹园社区" not in html and "没有找到符合条件的社区" in html
    html = official.get("/lists/manage/plaques/", {"district": "120104"}).content.decode()
    assert "所选区（县）不在您的挂牌登记范围内。" in html and "长虹园社区" not in html
    html = official.get("/lists/manage/plaques/", {"street": "120104001000"}).content.decode()
    assert "所选街道（乡镇）不在您的挂牌登记范围内。" in html and "长虹园社区" not in html
    html = official.get("/lists/manage/plaques/", {"q": "社" * 51}).content.decode()
    assert "搜索内容不能超过 50 个字。" in html
    own = official.get("/lists/manage/plaques/").content.decode()
    assert "浦口道社区" in own and 'name="district"' not in own and 'name="street"' in own
