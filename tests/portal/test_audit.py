"""The audit log: written by services, append-only (also in PostgreSQL), browsed and exported within scope."""

import pytest
from django.db import connection

from portal.audit import audit
from portal.models import AuditEntry
from portal.models.audit import AppendOnlyError


def test_audit_row_records_actor_role_org_object_and_change(users, org):
    entry = audit(
        "lists_publish", obj=org("120103"), actor=users["hexi_official"], before={"v": 1}, after={"v": 2}
    )
    entry.refresh_from_db()
    assert entry.actor_name == "陈淑芬"
    assert entry.role == "district_official"
    assert entry.org_path == "120000/120103/"
    assert entry.object_type == "portal.OrgUnit" and entry.object_repr == "河西区"
    assert entry.before == {"v": 1} and entry.after == {"v": 2}
    assert entry.result == "ok"


def test_application_cannot_update_or_delete_audit_rows(users):
    entry = audit("something", actor=users["city_admin"])
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "something"


@pytest.mark.postgres
def test_database_refuses_update_and_delete_on_postgresql(users):
    from django.db import DatabaseError, transaction

    entry = audit("something", actor=users["city_admin"])
    for sql in (
        "UPDATE portal_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM portal_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, action="something").exists()


def test_officials_browse_only_their_scope(users, org, page_client):
    audit("hexi_thing", obj=org("120103001001"), actor=users["community_staff"])
    audit("nankai_thing", obj=org("120104001001"), actor=users["nankai_official"])
    hexi = page_client("hexi_official").get("/audit/").content.decode()
    assert "hexi_thing" in hexi and "nankai_thing" not in hexi
    city = page_client("city_admin").get("/audit/").content.decode()
    assert "hexi_thing" in city and "nankai_thing" in city


def test_export_is_a_csv_of_the_scope_and_is_itself_audited(users, org, page_client):
    audit("hexi_thing", obj=org("120103001001"), actor=users["community_staff"])
    audit("nankai_thing", obj=org("120104001001"), actor=users["nankai_official"])
    r = page_client("nankai_official").get("/audit/export.csv")
    text = r.content.decode("utf-8-sig")
    assert r["Content-Type"].startswith("text/csv")
    assert "nankai_thing" in text and "hexi_thing" not in text
    assert AuditEntry.objects.filter(action="audit_export", actor=users["nankai_official"]).exists()


def test_refused_access_is_logged(users, page_client):
    r = page_client("community_staff").get("/audit/")
    assert r.status_code == 404
    assert AuditEntry.objects.filter(actor=users["community_staff"], result="denied").exists()


def test_audit_pages_permission_matrix(demo):
    from tests.support.permissions import Access, check_matrix

    for url in ("/audit/", "/audit/export.csv"):
        check_matrix(
            Access(url=url),
            allowed=["city_admin", "hexi_official", "nankai_official", "admin"],
            denied=["community_staff", "street_staff", "hexi_health", "resident", "hexi_approver"],
            anonymous="login",
        )


def test_a_refusal_inside_a_rolled_back_transaction_is_still_logged(users, rf):
    """Services look objects up inside their transaction; the 404 rolls it back, the refusal row stays."""
    from django.db import transaction
    from django.http import Http404, HttpResponse

    from portal.middleware import RequestContextMiddleware
    from portal.models import Job
    from portal.scope import get_scoped_or_404

    job = Job.objects.create(kind="x", title="河西区报表", requested_by=users["hexi_official"])

    def view(request):
        try:
            with transaction.atomic():
                get_scoped_or_404(Job, users["nankai_official"], "change", pk=job.pk)
        except Http404:
            return HttpResponse(status=404)
        return HttpResponse()

    response = RequestContextMiddleware(view)(rf.get("/x"))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        actor=users["nankai_official"], action="denied:change", object_id=str(job.pk)
    ).exists()


def test_export_cells_never_run_as_formulas(users, org, page_client):
    """A value a user controls (an object name, a detail) cannot become a formula in Excel (issue 13.8)."""
    import csv
    import io

    for i, start in enumerate(["=", "+", "-", "@", "\t", "\r"]):
        audit(
            f"hexi_thing_{i}", obj=org("120103001001"), actor=users["community_staff"], detail=start + "1+1"
        )
    r = page_client("hexi_official").get("/audit/export.csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header = rows[0]
    details = {row[header.index("动作")]: row[header.index("说明")] for row in rows[1:]}
    for i, start in enumerate(["=", "+", "-", "@", "\t", "\r"]):
        assert details[f"hexi_thing_{i}"] == "'" + start + "1+1"


def test_the_audit_log_and_org_import_open_for_the_users_the_role_rule_let_in(users, page_client):
    """Who opens the audit log, its export and the org-tree import, user by user, now that they ask the org
    rights portal.audit and portal.org_import: exactly whom the old role rule let in — the superuser, the city
    admin and the district officials the log and its export, the superuser and the city admin the import —
    anyone else meets a 404."""
    from portal.scope import has_role

    pages = {
        "/audit/": ("city_admin", "district_official"),
        "/audit/export.csv": ("city_admin", "district_official"),
        "/manage/orgs/import/": ("city_admin",),
    }
    seen: dict[str, set[int]] = {}
    for name, user in users.items():
        client = page_client(name)
        for url, roles in pages.items():
            got = client.get(url).status_code
            allowed = user.is_superuser or has_role(user, *roles)
            assert got == (200 if allowed else 404), (name, url, got)
            seen.setdefault(url, set()).add(got)
    assert all(codes == {200, 404} for codes in seen.values()), seen
