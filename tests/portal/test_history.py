"""History that nothing escapes: admin edits, service writes and bulk operations leave who/when/before/after."""

from portal.history import bulk_update, changes, role_changes
from portal.models import CalendarDay, OrgUnit, RoleAssignment
from tests.support.forms import form_fields


def test_an_admin_edit_of_a_users_role_shows_in_the_history_with_before_and_after(users, page_client):
    staff = users["community_staff"]
    ra = RoleAssignment.objects.get(user=staff)
    assert ra.role == "community_staff"
    client = page_client("admin")
    url = f"/admin/portal/user/{staff.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_fields(page.content.decode(), "user_form")
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(ra.pk))[: -len("-id")]
    data[f"{prefix}-role"] = "street_staff"
    data[f"{prefix}-org"] = str(ra.org.parent_id)  # the street above the community
    r = client.post(url, data)
    assert r.status_code == 302, (
        r.context["adminform"].form.errors,
        [f.errors for f in r.context["inline_admin_formsets"][0].formset],
        r.context["inline_admin_formsets"][0].formset.non_form_errors(),
    )
    ra.refresh_from_db()
    assert ra.role == "street_staff"

    last = ra.change_history.first()
    assert last.history_type == "~" and last.history_user == users["admin"]
    delta = {c.field: (c.old, c.new) for c in last.diff_against(last.prev_record).changes}
    assert delta["role"] == ("community_staff", "street_staff")

    rows = role_changes(staff)
    assert rows[0]["user"] == "admin" and rows[0]["type"] == "修改"
    assert rows[0]["before"].startswith("社区工作人员") and rows[0]["after"].startswith("街道工作人员")
    shown = client.get(url).content.decode()
    assert "角色变更记录" in shown and "社区工作人员" in shown and "→" in shown


def test_admin_edits_of_the_org_tree_and_calendar_leave_history(users, page_client):
    client = page_client("admin")
    community = OrgUnit.objects.get(code="120103001001")
    url = f"/admin/portal/orgunit/{community.pk}/change/"
    data = form_fields(client.get(url).content.decode(), "orgunit_form")
    data["name"] = "新华南路社区（更名）"
    assert client.post(url, data).status_code == 302
    entry = changes(OrgUnit.objects.get(pk=community.pk))[0]
    assert entry["user"] == users["admin"] and entry["type"] == "修改"
    assert {"field": "name", "before": "新华南路社区", "after": "新华南路社区（更名）"} in entry["changes"]

    r = client.post(
        "/admin/portal/calendarday/add/", {"date": "2026-03-09", "name": "防汛", "is_workday": ""}
    )
    assert r.status_code == 302
    day = CalendarDay.objects.get(name="防汛")
    assert day.change_history.get().history_user == users["admin"]
    assert client.get(f"/admin/portal/calendarday/{day.pk}/history/").status_code == 200


def test_bulk_updates_through_the_core_leave_history(users):
    roles = list(RoleAssignment.objects.filter(user=users["community_staff"]))
    for ra in roles:
        ra.role = "street_staff"
    bulk_update(RoleAssignment, roles, ["role"])
    assert all(ra.change_history.first().role == "street_staff" for ra in roles)


def test_passwords_are_never_copied_into_history(users):
    staff = users["community_staff"]
    staff.set_password("another-long-password")
    staff.save()
    assert not hasattr(staff.change_history.first(), "password")
