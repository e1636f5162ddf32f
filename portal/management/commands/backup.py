"""manage.py backup OUTPUT_DIR: PostgreSQL dump (pg_dump -Fc), media archive and a manifest with SHA-256."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import backup_create
from portal.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库（pg_dump -Fc）和媒体文件，并写出带行数和 SHA-256 的清单 manifest.json。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="新的空目录，例如 /srv/backup/jianfu-2026-12-01")

    def handle(self, *args, **options):
        try:
            manifest = backup_create(output=Path(options["output"]))
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{len(manifest['tables'])} 张表，审计日志 {manifest['audit']['rows']} 行，"
                f"媒体文件 {len(manifest['media']['files'])} 个 → {options['output']}"
            )
        )
