"""On PostgreSQL the audit log is append-only in the database too: UPDATE and DELETE raise.

TRUNCATE is left to the table owner (test flushes use it); the application's database role should not
own the tables in production (docs/deploy.md).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION jianfu_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'portal_auditentry is append-only (审计日志只能追加)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
CREATE TRIGGER portal_auditentry_append_only BEFORE UPDATE OR DELETE ON portal_auditentry
    FOR EACH ROW EXECUTE FUNCTION jianfu_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
DROP TRIGGER IF EXISTS portal_auditentry_no_truncate ON portal_auditentry;
DROP FUNCTION IF EXISTS jianfu_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
