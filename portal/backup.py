"""Backup and restore drill: a PostgreSQL dump, an archive of the media files and a manifest that proves a
restore is complete.

``backup_create`` opens one REPEATABLE READ transaction, exports its snapshot and hands it to
``pg_dump -Fc --snapshot``: the row counts, the audit log's last entry and the recorded file hashes in the
manifest are read in exactly the state the dump holds. The media folder is archived next to it with the SHA-256
of every file.

``restore_load`` loads a backup into a NEW database and a NEW (empty) media folder; ``restore_verify`` checks the
result against the manifest: the dump and archive hashes, every table's row count, the audit log's row count
and last entry, every media file's hash, and every file whose hash the database records (certificate PDFs and
uploads, declared per app in ``<app>/backup.py`` as ``FILE_HASHES``) against that record.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings

from portal.errors import DomainError

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar.gz"
FORMAT = 1


@dataclass(frozen=True)
class FileHashes:
    """Files whose SHA-256 the database records: ``sql`` yields (path relative to ``folder``, sha256)."""

    label: str
    folder: str  # relative to MEDIA_ROOT
    sql: str


@dataclass
class Verification:
    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _db_settings(name: str | None = None) -> dict:
    db = settings.DATABASES["default"]
    if not db["ENGINE"].endswith("postgresql"):
        raise DomainError("备份和恢复只支持 PostgreSQL 数据库。")
    return {
        "dbname": name or db["NAME"],
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or "",
        "host": db.get("HOST") or "127.0.0.1",
        "port": str(db.get("PORT") or 5432),
    }


def _connect(name: str | None = None):
    import psycopg2

    params = _db_settings(name)
    return psycopg2.connect(**{k: v for k, v in params.items() if v != ""})


def _pg_env(name: str | None = None) -> dict:
    params = _db_settings(name)
    env = dict(os.environ)
    env.update(
        PGHOST=params["host"], PGPORT=params["port"], PGUSER=params["user"], PGDATABASE=params["dbname"]
    )
    if params["password"]:
        env["PGPASSWORD"] = params["password"]
    return env


def file_hash_sources() -> list[FileHashes]:
    import importlib

    sources: list[FileHashes] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.backup")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.backup":
                raise
            continue
        sources.extend(getattr(module, "FILE_HASHES", []))
    return sources


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _state(cursor) -> dict:
    """What the manifest records about the database, read through ``cursor``."""
    from portal.models import AuditEntry

    counts = {}
    for table in _tables():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    audit_table = AuditEntry._meta.db_table
    cursor.execute(
        f'SELECT id, at, action, object_type, object_id, result FROM "{audit_table}" ORDER BY id DESC LIMIT 1'
    )
    row = cursor.fetchone()
    last = (
        None
        if row is None
        else {
            "id": row[0],
            "at": row[1].isoformat(),
            "action": row[2],
            "object_type": row[3],
            "object_id": row[4],
            "result": row[5],
        }
    )
    recorded = {}
    for source in file_hash_sources():
        cursor.execute(source.sql)
        recorded[source.label] = {
            f"{source.folder.rstrip('/')}/{name}": digest for name, digest in cursor.fetchall()
        }
    return {
        "tables": counts,
        "audit": {"rows": counts.get(audit_table, 0), "last": last},
        "recorded_files": recorded,
    }


def _media_files(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".readyz-")
    }


def backup_create(*, output: Path) -> dict:
    """Write ``database.dump``, ``media.tar.gz`` and ``manifest.json`` into the new folder ``output``."""
    output = Path(output)
    if output.exists() and any(output.iterdir()):
        raise DomainError(f"备份目录 {output} 不是空的：请指定新的目录。")
    output.mkdir(parents=True, exist_ok=True)
    connection = _connect()
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            state = _state(cursor)
            dump = subprocess.run(
                [
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(output / DUMP),
                ],
                env=_pg_env(),
                capture_output=True,
                text=True,
            )
            if dump.returncode != 0:
                raise DomainError(f"pg_dump 失败：{dump.stderr.strip()[:500]}")
        connection.rollback()
    finally:
        connection.close()

    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(media_root)
    with tarfile.open(output / MEDIA, "w:gz") as archive:
        for name in files:
            archive.add(media_root / name, arcname=name, recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": _db_settings()["dbname"],
        "dump": {"file": DUMP, "sha256": sha256_file(output / DUMP), "bytes": (output / DUMP).stat().st_size},
        "media": {
            "file": MEDIA,
            "sha256": sha256_file(output / MEDIA),
            "bytes": (output / MEDIA).stat().st_size,
            "files": files,
        },
        **state,
    }
    (output / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    return manifest


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise DomainError(f"{folder} 中没有 {MANIFEST}：这不是一份完整的备份。")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise DomainError("备份清单的格式版本不受支持。")
    return manifest


def _check_archives(folder: Path, manifest: dict, result: Verification) -> None:
    for part in ("dump", "media"):
        path = folder / manifest[part]["file"]
        if not path.is_file():
            result.problems.append(f"缺少备份文件 {path.name}")
        elif sha256_file(path) != manifest[part]["sha256"]:
            result.problems.append(f"备份文件 {path.name} 的 SHA-256 与清单不符（文件已损坏或被改动）")


def restore_load(*, folder: Path, database: str, media_root: Path) -> Verification:
    """Load the backup into the new database ``database`` and the new media folder, then verify it."""
    folder, media_root = Path(folder), Path(media_root)
    manifest = read_manifest(folder)
    result = Verification()
    _check_archives(folder, manifest, result)
    if result.problems:
        return result  # never restore from a damaged backup
    if media_root.exists() and any(media_root.iterdir()):
        raise DomainError(f"媒体目录 {media_root} 不是空的：恢复只写入新的目录。")
    if database == _db_settings()["dbname"]:
        raise DomainError("恢复只写入新的数据库，不能覆盖正在使用的数据库。")
    admin = _connect("postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cursor.fetchone():
                raise DomainError(f"数据库 {database} 已存在：恢复只写入新的数据库。")
            cursor.execute(f'CREATE DATABASE "{database}"')
    finally:
        admin.close()
    loaded = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            database,
            str(folder / DUMP),
        ],
        env=_pg_env(database),
        capture_output=True,
        text=True,
    )
    if loaded.returncode != 0:
        result.problems.append(f"pg_restore 失败：{loaded.stderr.strip()[:500]}")
        return result
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    return restore_verify(folder=folder, database=database, media_root=media_root)


def restore_verify(*, folder: Path, database: str, media_root: Path) -> Verification:
    """Check a restored database and media folder against the backup's manifest."""
    folder, media_root = Path(folder), Path(media_root)
    manifest = read_manifest(folder)
    result = Verification()
    _check_archives(folder, manifest, result)

    connection = _connect(database)
    try:
        with connection.cursor() as cursor:
            state = _state(cursor)
    finally:
        connection.close()

    for table, expected in manifest["tables"].items():
        found = state["tables"].get(table)
        if found != expected:
            result.problems.append(f"表 {table}：备份时 {expected} 行，恢复后 {found} 行")
    result.checked["tables"] = len(manifest["tables"])
    if state["audit"] != manifest["audit"]:
        result.problems.append(
            f"审计日志不一致：备份时 {manifest['audit']['rows']} 行、最后一条 {manifest['audit']['last']}；"
            f"恢复后 {state['audit']['rows']} 行、最后一条 {state['audit']['last']}"
        )
    result.checked["audit_rows"] = state["audit"]["rows"]

    files = manifest["media"]["files"]
    for name, digest in files.items():
        path = media_root / name
        if not path.is_file():
            result.problems.append(f"缺少媒体文件 {name}")
        elif sha256_file(path) != digest:
            result.problems.append(f"媒体文件 {name} 的 SHA-256 与清单不符")
    result.checked["media_files"] = len(files)

    for label, recorded in state["recorded_files"].items():
        for name, digest in recorded.items():
            path = media_root / name
            if not path.is_file():
                result.problems.append(f"{label} {name}：数据库有记录，文件缺失")
            elif sha256_file(path) != digest:
                result.problems.append(f"{label} {name}：文件的 SHA-256 与数据库记录不符")
        if recorded != manifest["recorded_files"].get(label):
            result.problems.append(f"{label}：数据库中的文件记录与备份清单不符")
        result.checked[label] = len(recorded)
    return result
