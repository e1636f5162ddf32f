"""The backup and restore drill on PostgreSQL: back up, restore into a new database and media folder, verify;
then damage one certificate PDF and one archive and show the verification refuses them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.certificates.conftest import catalogue, issue, make_application  # noqa: F401  (fixtures)

pytestmark = pytest.mark.postgres


@pytest.fixture
def restore_db():
    import psycopg2

    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_restore"

    def drop():
        admin = psycopg2.connect(
            dbname="postgres",
            user=db["USER"] or "postgres",
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
        )
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    drop()
    yield name
    drop()


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_backup_restore_drill_and_a_damaged_file_is_caught(issue, tmp_path, restore_db):  # noqa: F811
    from certificates.models import Certificate
    from certificates.uploads import stored_path
    from portal.models import AuditEntry

    first = issue()
    issue(name="李四")
    certificates = list(Certificate.objects.order_by("id"))
    assert len(certificates) == 2 and all(c.pdf_sha256 for c in certificates)

    backup = tmp_path / "backup"
    out, _ = _run("backup", str(backup))
    assert "备份完成" in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["certificates_certificate"] == 2
    assert manifest["audit"]["rows"] == AuditEntry.objects.count()
    assert manifest["audit"]["last"]["id"] == AuditEntry.objects.order_by("-id").first().pk
    pdfs = manifest["recorded_files"]["证明PDF"]
    assert pdfs == {f"certificates/{c.pdf_name}": c.pdf_sha256 for c in certificates}
    assert all(name in manifest["media"]["files"] for name in pdfs)

    media = tmp_path / "restored-media"
    out, err = _run("restore", str(backup), "--database", restore_db, "--media-root", str(media))
    assert "恢复核对通过" in out, err
    assert "已核对 证明PDF: 2" in out
    # The restored PDF is the very file that was issued.
    original = stored_path(first.certificate.pdf_name).read_bytes()
    assert (media / "certificates" / first.certificate.pdf_name).read_bytes() == original
    assert original.startswith(b"%PDF")

    # One restored certificate PDF is damaged: verification names it and fails.
    damaged = media / "certificates" / first.certificate.pdf_name
    damaged.write_bytes(original[:-200] + b"x" * 200)
    with pytest.raises(CommandError, match="恢复核对未通过"):
        _run("restore", str(backup), "--database", restore_db, "--media-root", str(media), "--verify-only")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(backup),
            "--database",
            restore_db,
            "--media-root",
            str(media),
            "--verify-only",
            stderr=err,
        )
    assert (
        f"证明PDF certificates/{first.certificate.pdf_name}：文件的 SHA-256 与数据库记录不符"
        in err.getvalue()
    )

    # A damaged archive is refused before anything is restored.
    archive = backup / "media.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(backup),
            "--database",
            f"{restore_db}_2",
            "--media-root",
            str(tmp_path / "m2"),
            stderr=err,
        )
    assert "media.tar.gz 的 SHA-256 与清单不符" in err.getvalue()
    assert not Path(tmp_path / "m2").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_overwrite_the_live_database(demo, tmp_path):
    backup = tmp_path / "b"
    _run("backup", str(backup))
    with pytest.raises(CommandError, match="不能覆盖正在使用的数据库"):
        _run(
            "restore",
            str(backup),
            "--database",
            settings.DATABASES["default"]["NAME"],
            "--media-root",
            str(tmp_path / "m"),
        )
