"""The staff menu: a handful of groups in one row, every entry reachable by the people who see it."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from portal import navigation
from portal.selectors.navigation import navigation_for

USERS = [
    None,
    "resident",
    "community_staff",
    "street_staff",  # the demo complaint's assigned verifier: 指派给我的
    "hexi_official",
    "hexi_health",
    "hexi_justice",  # the demo request's named legal reviewer: 指派给我的
    "city_admin",
]


def menu(html: str) -> str:
    return html.split('data-testid="nav"', 1)[1].split("</nav>", 1)[0]


def top_level(html: str) -> list[str]:
    """What the bar shows before anything is opened: plain links and group names."""
    nav = re.sub(r'<ul class="nav-sub">.*?</ul>', "", menu(html), flags=re.S)
    return re.findall(r"<(?:a|summary)\b[^>]*>([^<]+)<", nav)


def test_an_entry_names_a_known_group():
    with pytest.raises(ValueError, match="navigation group"):
        navigation.register_nav("某页面", "portal:home", group="misc")


def test_the_city_officials_twenty_pages_fit_in_eight_groups(demo_full, users):
    with translation.override("zh-hans"):
        groups = navigation_for(users["city_admin"])
    assert [g["key"] for g in groups] == [
        "work",
        "lists",
        "certificates",
        "evaluations",
        "supervision",
        "reports",
        "system",
    ]
    labels = [i["label"] for g in groups for i in g["items"]]
    assert len(labels) >= 20 and len(set(labels)) == len(labels)
    by_group = {g["label"]: [i["label"] for i in g["items"]] for g in groups}
    assert by_group["报表"] == ["减负成效", "减负成效公示"]
    assert "证明目录维护" in by_group["证明"] and "审计日志" in by_group["系统"]


def test_the_bar_shows_groups_and_one_page_groups_as_plain_links(demo_full, page_client):
    official = page_client("city_admin").get("/dashboard/").content.decode()
    assert top_level(official) == ["首页", "工作台", "清单与准入", "证明", "评价", "监督", "报表", "系统"]
    public = page_client().get("/").content.decode()
    bar = top_level(public)
    assert "减负成效公示" in bar and "报表" not in bar  # the only public page of its group: a link
    assert "系统" not in bar and "工作台" not in bar  # nothing of those groups is public
    assert 'data-testid="nav-group-lists"' in public and "<summary>清单与准入</summary>" in public


def test_the_current_page_and_its_group_are_marked(demo_full, page_client):
    html = page_client("hexi_official").get("/lists/manage/").content.decode()
    nav = menu(html)
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == ["/lists/manage/"]
    assert (
        'class="nav-group is-current"><details class="nav-menu" data-nav-menu data-testid="nav-group-lists"'
        in nav
    )


@pytest.mark.parametrize("username", USERS)
def test_every_menu_entry_opens_for_whoever_sees_it(demo_full, page_client, username):
    client = page_client(username) if username else page_client()
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="([^"]+)"', menu(html))
    assert len(links) >= 8
    for url in links:
        r = client.get(url, follow=True)  # a section may send on to the user's own unit
        assert r.status_code == 200, (username, url, r.status_code)


def test_the_menu_has_no_inline_script_or_style(demo_full, page_client):
    html = page_client("city_admin").get("/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    assert re.search(r'<noscript><link rel="stylesheet" href="[^"]*/css/nojs[^"]*\.css"></noscript>', html)


def test_an_entry_takes_its_roles_or_its_right_not_both():
    with pytest.raises(ValueError, match="not both"):
        navigation.register_nav(
            "某页面", "portal:x", group="work", roles={"city_admin"}, right="portal.audit"
        )
    with pytest.raises(ValueError, match="no org right"):
        navigation.register_nav("某页面", "portal:y", group="work", right="no.such.right")


GUARDED = {  # menu entry → the org right that guards its page
    "admission:list": "admission.requests",
    "certificates:my_applications": "certificates.apply",
    "certificates:queue": "certificates.review",
    "certificates:manage": "certificates.catalogue",
    "supervision:list": "supervision.criticisms",
    "supervision:department": "supervision.department",
    "taskcheck:refusals": "taskcheck.refusals",
    "checklists:manage": "checklists.edit",
    "checklists:plaques_home": "checklists.plaques",
    "evaluations:index": "evaluations.work",
    "portal:org_import": "portal.org_import",
    "portal:audit_list": "portal.audit",
}


def test_the_menu_shows_a_guarded_page_exactly_to_those_holding_its_right(users):
    """An entry declared with ``right=`` reads its roles from the page's guard: menu and guard never disagree."""
    from django.urls import reverse

    from portal.scope import holds_right

    for name, user in users.items():
        if user.is_superuser:
            continue
        shown = {i["url"] for g in navigation_for(user, "/") for i in g["items"]}
        for url_name, right in GUARDED.items():
            assert (reverse(url_name) in shown) == holds_right(user, right), (name, url_name)


def test_a_menu_follows_a_role_granted_a_moment_ago_and_each_page_marks_its_own_entry(users):
    from django.urls import reverse

    from portal.models import User
    from tests.factories import RoleAssignmentFactory

    queue = reverse("certificates:queue")
    resident = users["resident"]
    assert queue not in {i["url"] for g in navigation_for(resident, "/") for i in g["items"]}

    community = users["community_staff"].roles.get().org
    RoleAssignmentFactory(user=resident, role="community_staff", org=community)
    resident = User.objects.get(pk=resident.pk)
    on_queue = navigation_for(resident, queue)
    assert [i["url"] for g in on_queue for i in g["items"] if i["current"]] == [queue]
    assert [g["key"] for g in on_queue if g["current"]] == ["certificates"]
    at_home = navigation_for(resident, "/")  # the same menu, another page: nothing marked
    assert queue in {i["url"] for g in at_home for i in g["items"]}
    assert not any(i["current"] for g in at_home for i in g["items"]) and not any(
        g["current"] for g in at_home
    )


def test_each_page_of_one_user_marks_its_own_entry_in_the_menu(demo_full, page_client):
    client = page_client("hexi_official")
    for path in ("/lists/manage/", "/admission/", "/lists/manage/", "/"):
        nav = menu(client.get(path).content.decode())
        assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [path], path


ASSIGNED = "/accounts/assigned/"


def test_assigned_staff_find_their_objects_under_assigned_to_me(demo_full, page_client):
    """The named legal reviewer and the assigned verifier hold no role naming them: their menu shows 指派给我的
    (a predicate of portal.scope, their per-object grants), and it leads to the request / the complaint."""
    from supervision.models import Complaint

    lawyer = page_client("hexi_justice")
    html = lawyer.get("/").content.decode()
    assert f'<a href="{ASSIGNED}">指派给我的</a>' in menu(html)
    page = lawyer.get(ASSIGNED).content.decode()
    assert page.count('data-testid="assigned-row"') == 1 and "社区心理健康服务站点信息登记" in page
    link = re.search(r'<a href="(/admission/\d+/)">', page)
    assert link and lawyer.get(link.group(1)).status_code == 200

    verifier = page_client("street_staff")
    assert f'<a href="{ASSIGNED}">指派给我的</a>' in menu(verifier.get("/").content.decode())
    page = verifier.get(ASSIGNED).content.decode()
    complaint = Complaint.objects.get(category="extra_ledgers", status="investigating")
    assert complaint.get_absolute_url() in page and "请到社区现场核实" in page
    assert verifier.get(complaint.get_absolute_url()).status_code == 200


def test_the_entry_is_for_those_with_an_assignment_and_goes_when_it_ends(demo_full, page_client, users):
    from admission.models import TaskRequest
    from portal.models import User
    from portal.models.assignments import Assignment
    from portal.services import assignments

    for username in ("hexi_official", "community_staff", "hexi_health", "resident"):
        assert ASSIGNED not in menu(page_client(username).get("/").content.decode()), username
    req = TaskRequest.objects.get(title__contains="社区心理健康服务站点信息登记")
    live = Assignment.objects.get(object_id=req.pk, assignee=users["hexi_justice"], ended_at__isnull=True)
    assignments.unassign(actor=users["hexi_official"], assignment=live, obj=req, reason="另行安排")
    lawyer = User.objects.get(username="hexi_justice")
    assert ASSIGNED not in {i["url"] for g in navigation_for(lawyer, "/") for i in g["items"]}
    page = page_client("hexi_justice").get(ASSIGNED).content.decode()  # still opens: nothing of theirs listed
    assert "目前没有指派给您的事项" in page


def test_a_predicate_entry_takes_no_roles():
    with pytest.raises(ValueError, match="predicate alone"):
        navigation.register_nav("某页面", "portal:z", group="work", roles={"*"}, when=lambda user: True)
