"""Scope in one place: org_q over the tree, for_user with guardian grants, 404 outside scope, the matrix helper."""

import pytest
from django.http import Http404
from guardian.shortcuts import assign_perm

from portal.choices import Role
from portal.models import AuditEntry, Job, OrgUnit, RoleAssignment, User
from portal.scope import covers, forget_object_perms, get_scoped_or_404, org_q
from tests.support.permissions import Access, check_matrix


def test_a_role_covers_its_node_and_everything_below(users, org):
    street = users["street_staff"]
    assert covers(street, org("120103001001"))
    assert covers(street, org("120103001000"))
    assert not covers(street, org("120103002001"))
    assert not covers(street, org("120103"))
    assert covers(users["city_admin"], org("120104001002"))


def test_org_q_selects_the_subtree(users):
    codes = set(
        OrgUnit.objects.filter(org_q(users["street_staff"], "", roles={"street_staff"})).values_list(
            "code", flat=True
        )
    )
    assert codes == {"120103001000", "120103001001", "120103001002", "120103001003"}
    assert not OrgUnit.objects.filter(org_q(users["resident"], "", roles={"street_staff"})).exists()


def test_for_user_combines_scope_with_explicit_guardian_grants(users):
    job = Job.objects.create(kind="x", title="某区报表", requested_by=users["hexi_official"])
    other = users["hexi_health"]
    assert not Job.objects.for_user(other).filter(pk=job.pk).exists()
    assign_perm("view_job", other, job)
    forget_object_perms(other)  # grants are cached per request
    assert Job.objects.for_user(other).filter(pk=job.pk).exists()


def test_grants_through_a_group_count_as_well(users, django_assert_num_queries):
    from django.contrib.auth.models import Group

    from portal.scope import _guardian_index

    mine = Job.objects.create(kind="x", title="我的报表", requested_by=users["hexi_official"])
    shared = Job.objects.create(kind="x", title="共享报表", requested_by=users["hexi_official"])
    other = users["hexi_health"]
    group = Group.objects.create(name="报表审阅组")
    other.groups.add(group)
    assign_perm("view_job", other, mine)
    assign_perm("view_job", group, shared)
    forget_object_perms(other)
    with django_assert_num_queries(3):  # roles, own and group grants in one query, the TOTP device
        _guardian_index(other)
    assert set(Job.objects.for_user(other).filter(pk__in=[mine.pk, shared.pk])) == {mine, shared}
    again = User.objects.get(pk=other.pk)  # the next request: a new user object
    with django_assert_num_queries(0):  # the roles and grants come from the cache
        _guardian_index(again)
    assert set(Job.objects.for_user(again).filter(pk__in=[mine.pk, shared.pk])) == {mine, shared}


def test_a_revoked_role_or_grant_is_never_served_from_the_cache(users):
    from django.contrib.auth.models import Group
    from guardian.shortcuts import remove_perm

    from portal.scope import user_grants

    official = users["hexi_official"]
    report = Job.objects.create(kind="x", title="某区报表", requested_by=users["nankai_official"])
    other = users["hexi_health"]
    group = Group.objects.create(name="报表审阅组")
    other.groups.add(group)
    assign_perm("view_job", group, report)

    def fresh(user):  # what the next request loads
        return User.objects.get(pk=user.pk)

    assert Job.objects.for_user(fresh(other)).filter(pk=report.pk).exists()
    assert any(g.role == Role.DISTRICT_OFFICIAL for g in user_grants(fresh(official)))
    # Taken back three ways: the user leaves the group, the group loses the grant, the role is removed.
    other.groups.remove(group)
    assert not Job.objects.for_user(fresh(other)).filter(pk=report.pk).exists()
    other.groups.add(group)
    assert Job.objects.for_user(fresh(other)).filter(pk=report.pk).exists()
    remove_perm("view_job", group, report)
    assert not Job.objects.for_user(fresh(other)).filter(pk=report.pk).exists()
    RoleAssignment.objects.filter(user=official, role=Role.DISTRICT_OFFICIAL).delete()
    assert not any(g.role == Role.DISTRICT_OFFICIAL for g in user_grants(fresh(official)))


def test_a_revoked_right_is_not_served_even_when_the_cache_missed_the_change(users, monkeypatch):
    """The cached roles are keyed by the account's access_stamp in the database, not only by a cache
    generation: a revocation while Redis did not answer (the bump lost) still takes effect at once."""
    from portal import caching
    from portal.scope import user_grants

    official = users["hexi_official"]
    assert user_grants(User.objects.get(pk=official.pk))  # cached now
    monkeypatch.setattr(caching, "bump", lambda name: None)  # every generation bump is lost
    monkeypatch.setattr(caching, "_incr", lambda name: None)
    RoleAssignment.objects.filter(user=official).delete()
    assert user_grants(User.objects.get(pk=official.pk)) == []


def test_outside_scope_is_404_and_audited(users):
    job = Job.objects.create(kind="x", title="某区报表", requested_by=users["hexi_official"])
    assert get_scoped_or_404(Job, users["hexi_official"], pk=job.pk) == job
    with pytest.raises(Http404):
        get_scoped_or_404(Job, users["nankai_official"], pk=job.pk)
    assert AuditEntry.objects.filter(
        actor=users["nankai_official"], result="denied", object_id=str(job.pk)
    ).exists()
    with pytest.raises(Http404):
        get_scoped_or_404(Job, users["nankai_official"], pk="not-a-uuid")


def test_job_pages_permission_matrix(users):
    job = Job.objects.create(
        kind="x",
        title="河西区报表",
        requested_by=users["hexi_health"],
        org=users["hexi_health"].roles.first().org,
    )
    check_matrix(
        Access(url=f"/jobs/{job.pk}/"),
        allowed=["hexi_health", "hexi_official", "city_admin"],
        denied=["nankai_official", "community_staff", "resident"],
        anonymous="login",
    )
    check_matrix(
        Access(url=f"/api/v1/jobs/{job.pk}", api=True),
        allowed=["hexi_health"],
        denied=["nankai_official"],
        anonymous=401,
    )


def test_the_matrix_helper_fails_when_a_rule_is_wrong(users):
    with pytest.raises(AssertionError, match="resident: expected"):
        check_matrix(Access(url="/audit/"), allowed=["resident"], anonymous="login")
    with pytest.raises(AssertionError, match="anonymous"):
        check_matrix(Access(url="/audit/"), allowed=["city_admin"], anonymous="ok")
    with pytest.raises(AssertionError, match="city_admin: expected refusal"):
        check_matrix(Access(url="/audit/"), denied=["city_admin"], anonymous="login")


def test_core_pages_permission_matrix(demo):
    everyone = ["city_admin", "hexi_official", "community_staff", "resident", "hexi_health"]
    for url in ("/dashboard/", "/inbox/", "/accounts/password/"):
        check_matrix(Access(url=url), allowed=everyone, anonymous="login")
    check_matrix(
        Access(url="/manage/accounts/"),
        allowed=["city_admin", "hexi_official", "street_staff"],
        denied=["community_staff", "resident", "hexi_health", "hexi_approver"],
        anonymous="login",
    )
    check_matrix(
        Access(url="/manage/orgs/import/"),
        allowed=["city_admin"],
        denied=["hexi_official", "community_staff", "resident"],
        anonymous="login",
    )
    for url in ("/", "/accounts/login/", "/accounts/register/", "/api/v1/orgs", "/api/v1/openapi.json"):
        check_matrix(Access(url=url), anonymous="ok")
    check_matrix(Access(url="/api/v1/me", api=True), allowed=["resident", "city_admin"], anonymous=401)


def test_services_grant_and_revoke_one_object(users):
    from portal.scope import grant_object, guard, revoke_object

    job = Job.objects.create(kind="x", title="代办报表", requested_by=users["hexi_official"])
    colleague = users["hexi_health"]
    with pytest.raises(Http404):
        guard(Job, colleague, "view", pk=job.pk)
    grant_object(colleague, "view", job)
    assert guard(Job, colleague, "view", pk=job.pk) == job
    revoke_object(colleague, "view", job)
    with pytest.raises(Http404):
        guard(Job, colleague, "view", pk=job.pk)


def test_require_right_answers_403_to_who_sees_and_404_to_who_does_not(users, org):
    """The service-side guard: allowed passes; visible but not allowed is a Chinese 403; invisible is a 404
    that reveals nothing; both refusals of an existing object are audited."""
    from portal.errors import NotFoundError, PermissionDeniedError
    from portal.scope import require_right

    street = org("120103001000")
    require_right(OrgUnit, users["city_admin"], street.pk, "change", "该组织单元")
    with pytest.raises(PermissionDeniedError) as denied:  # the org tree is public, changing it is not
        require_right(OrgUnit, users["street_staff"], street.pk, "change", "该组织单元")
    assert denied.value.status == 403 and denied.value.message == "您无权对该组织单元执行此操作。"
    with pytest.raises(PermissionDeniedError, match="只有区民政局"):
        require_right(
            OrgUnit, users["street_staff"], street.pk, "change", "该组织单元", denied="只有区民政局可以调整。"
        )
    assert AuditEntry.objects.filter(
        actor=users["street_staff"], result="denied", action="denied:change", object_id=str(street.pk)
    ).exists()

    job = Job.objects.create(kind="x", title="某区报表", requested_by=users["hexi_official"])
    require_right(Job, users["hexi_official"], job.pk, "view", "该任务")
    for actor in (users["nankai_official"], None):
        with pytest.raises(NotFoundError) as missing:
            require_right(Job, actor, job.pk, "view", "该任务")
        assert missing.value.message == "未找到该任务，或您无权访问。"
    assert AuditEntry.objects.filter(
        actor=users["nankai_official"], result="denied", object_id=str(job.pk)
    ).exists()
    with pytest.raises(NotFoundError):
        require_right(Job, users["hexi_official"], "not-a-uuid", "view", "该任务")


def test_a_write_that_leaves_the_actors_scope_is_undone(users, org):
    """NetBox-style re-check: a record moved to another district's unit inside one's own transaction is read
    back through for_user; it is out of scope, so the write is rolled back with a Chinese 403."""
    from django.db import transaction

    from portal.errors import PermissionDeniedError
    from portal.scope import recheck

    official = users["hexi_official"]
    job = Job.objects.create(kind="x", title="河西区报表", org=org("120103"))
    with transaction.atomic():
        job.org = org("120103001001")  # still inside Hexi
        job.save()
        recheck(job, official, noun="该任务")
    with pytest.raises(PermissionDeniedError, match="保存后的该任务超出您的权限范围"):
        with transaction.atomic():
            job.org = org("120104")  # Nankai
            job.title = "南开区报表"
            job.save()
            recheck(job, official, noun="该任务")
    job.refresh_from_db()
    assert (job.org.code, job.title) == ("120103001001", "河西区报表")


def test_rights_over_an_org_node_are_actions_of_for_user(users, org):
    """A right over a node (edit a district's lists, record a community's plaques) is declared once and read
    through OrgUnit.objects.for_user and the guard: held at the node or above, by the declared roles only."""
    from checklists.models import EDIT_LISTS, RECORD_PLAQUES
    from portal.scope import ORG_RIGHTS, allows, guard, org_right

    hexi, nankai, community = org("120103"), org("120104"), org("120103001001")
    assert allows(users["hexi_official"], EDIT_LISTS, hexi)
    assert not allows(users["hexi_official"], EDIT_LISTS, nankai)
    assert not allows(users["hexi_official"], EDIT_LISTS, org("120000"))  # the city's lists: the city admin
    assert allows(users["city_admin"], EDIT_LISTS, org("120000"))
    assert not allows(users["street_staff"], EDIT_LISTS, hexi)
    assert allows(users["street_staff"], RECORD_PLAQUES, community)
    assert not allows(users["community_staff2"], RECORD_PLAQUES, community)
    assert not allows(None, EDIT_LISTS, hexi)

    editable = set(
        OrgUnit.objects.for_user(users["hexi_official"], EDIT_LISTS).values_list("code", flat=True)
    )
    assert "120103" in editable and "120103001001" in editable and not editable & {"120000", "120104"}
    assert OrgUnit.objects.for_user(None, "view").count() == OrgUnit.objects.count()  # the tree is public

    with pytest.raises(Http404):
        guard(OrgUnit, users["nankai_official"], EDIT_LISTS, code="120103")
    assert AuditEntry.objects.filter(
        actor=users["nankai_official"], result="denied", action=f"denied:{EDIT_LISTS}", object_id=str(hexi.pk)
    ).exists()

    assert org_right(EDIT_LISTS, ORG_RIGHTS[EDIT_LISTS]) == EDIT_LISTS  # declaring it again is harmless
    with pytest.raises(ValueError, match="already declared"):
        org_right(EDIT_LISTS, {"street_staff"})
    with pytest.raises(ValueError, match="no org right"):
        OrgUnit.objects.for_user(users["city_admin"], "no-such-right").exists()


def test_public_org_selectors_read_the_whole_tree(org):
    from portal.selectors.orgs import public_city, public_districts, public_org

    assert public_city() == org("120000")
    assert org("120103") in public_districts() and all(d.level == "district" for d in public_districts())
    assert public_org(code="120103001001", levels=["community"]) == org("120103001001")
    assert public_org(code="120103", levels=["community"]) is None


def test_scope_key_names_the_user_their_roles_and_grants(users):
    from portal.models import RoleAssignment
    from portal.scope import forget_grants, scope_key

    official, other = users["hexi_official"], users["nankai_official"]
    key = scope_key(official, Job)
    assert key == scope_key(official, Job)
    assert key != scope_key(other, Job) and key != scope_key(official, Job, "change")
    assert key != scope_key(official, OrgUnit)
    job = Job.objects.create(kind="x", title="某区报表", requested_by=other)
    assign_perm("view_job", official, job)
    forget_object_perms(official)
    granted = scope_key(official, Job)
    assert granted != key
    RoleAssignment.objects.create(
        user=official, role="district_approver", org=OrgUnit.objects.get(code="120104")
    )
    forget_grants(official)
    assert scope_key(official, Job) not in (key, granted)


def test_a_cached_guard_serves_the_object_only_within_the_scope_it_was_found_in(users):
    from portal import caching

    job = Job.objects.create(kind="x", title="某区报表", requested_by=users["hexi_official"])
    owner, stranger = users["hexi_official"], users["nankai_official"]
    assert get_scoped_or_404(Job, owner, cached_as=("jobs-test", "job"), pk=job.pk) == job
    Job.objects.filter(pk=job.pk).update(title="改名")  # no signal: the cached object stays
    assert get_scoped_or_404(Job, owner, cached_as=("jobs-test", "job"), pk=job.pk).title == "某区报表"
    with pytest.raises(Http404):  # another user's scope is another key: asked of the database, refused
        get_scoped_or_404(Job, stranger, cached_as=("jobs-test", "job"), pk=job.pk)
    assert AuditEntry.objects.filter(actor=stranger, result="denied", object_id=str(job.pk)).exists()
    caching.bump("jobs-test")
    assert get_scoped_or_404(Job, owner, cached_as=("jobs-test", "job"), pk=job.pk).title == "改名"


def test_several_rights_on_one_object_are_asked_in_one_query(users, org, django_assert_num_queries):
    """``allowed`` answers what ``allows`` answers for each action, in one query (a page's buttons)."""
    from checklists.models import EDIT_LISTS, RECORD_PLAQUES
    from portal.scope import allowed, allows

    community = org("120103001001")
    actions = (EDIT_LISTS, RECORD_PLAQUES, "view")
    for name in ("street_staff", "hexi_official", "community_staff2"):
        # one query per action (after the user's roles and object grants are read, once per request) …
        expected = {a for a in actions if allows(users[name], a, community)}
        with django_assert_num_queries(1):  # … and one for all of them
            assert allowed(users[name], actions, community) == expected
    assert allowed(users["street_staff"], [EDIT_LISTS, RECORD_PLAQUES], community) == {RECORD_PLAQUES}
    assert allowed(None, [RECORD_PLAQUES], community) == set()


def test_a_page_right_is_held_where_for_user_finds_a_node_and_guards_the_page_with_an_audited_404(users):
    """holds_right answers from the roles in memory what OrgUnit.objects.for_user(user, right) would, so a
    list page asks the one mechanism without a query; whoever does not hold it meets a 404, audited."""
    from checklists.models import EDIT_LISTS, RECORD_PLAQUES
    from portal.scope import holds_right, require_page_right

    for user in users.values():
        for right in (EDIT_LISTS, RECORD_PLAQUES):
            assert holds_right(user, right) == OrgUnit.objects.for_user(user, right).exists(), (user, right)
    assert holds_right(users["hexi_official"], EDIT_LISTS) and not holds_right(users["resident"], EDIT_LISTS)
    assert holds_right(User(is_superuser=True), EDIT_LISTS)
    from django.contrib.auth.models import AnonymousUser

    assert not holds_right(AnonymousUser(), EDIT_LISTS)
    require_page_right(users["hexi_official"], EDIT_LISTS, what="编辑清单")
    with pytest.raises(Http404):
        require_page_right(users["resident"], EDIT_LISTS, what="编辑清单")
    assert AuditEntry.objects.filter(actor=users["resident"], result="denied", detail="编辑清单").exists()
    with pytest.raises(ValueError, match="no org right"):
        holds_right(users["resident"], "no-such-right")


def test_a_page_right_with_a_refusal_turns_the_others_away_with_a_403_saying_why(users):
    """A page that tells whoever may not open it why (certificates' apply page: only residents) names its
    refusal: the others meet a 403 carrying that Chinese text, the refusal audited like a 404."""
    from django.core.exceptions import PermissionDenied

    from certificates.models import APPLY_ONLINE
    from portal.scope import require_page_right

    require_page_right(
        users["resident"], APPLY_ONLINE, what="在线申请证明", refusal="只有居民可以在线申请证明。"
    )
    with pytest.raises(PermissionDenied, match="只有居民可以在线申请证明。"):
        require_page_right(
            users["community_staff"], APPLY_ONLINE, what="在线申请证明", refusal="只有居民可以在线申请证明。"
        )
    assert AuditEntry.objects.filter(
        actor=users["community_staff"], result="denied", detail="在线申请证明"
    ).exists()
