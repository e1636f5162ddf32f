"""manage.py restore BACKUP_DIR --database NEW_DB --media-root NEW_DIR [--verify-only]."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import restore_load, restore_verify
from portal.errors import DomainError


class Command(BaseCommand):
    help = "把备份恢复到新的数据库和新的媒体目录，并按清单核对（行数、审计日志、每个证明 PDF 的 SHA-256）。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="manage.py backup 写出的目录")
        parser.add_argument("--database", required=True, help="新数据库的名称（不得已存在）")
        parser.add_argument("--media-root", required=True, help="新的空媒体目录")
        parser.add_argument(
            "--verify-only", action="store_true", help="不恢复，只核对已恢复的数据库和媒体目录"
        )

    def handle(self, *args, **options):
        action = restore_verify if options["verify_only"] else restore_load
        try:
            result = action(
                folder=Path(options["backup"]),
                database=options["database"],
                media_root=Path(options["media_root"]),
            )
        except DomainError as exc:
            raise CommandError(exc.message)
        for label, count in result.checked.items():
            self.stdout.write(f"已核对 {label}: {count}")
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(f"不符：{problem}")
            raise CommandError(f"恢复核对未通过：{len(result.problems)} 处不符。")
        self.stdout.write(self.style.SUCCESS("恢复核对通过：数据库和媒体文件与备份清单一致。"))
