from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.errors import DomainError
from portal.services.org_import import org_import


class Command(BaseCommand):
    help = "从 CSV 或 Excel 文件导入组织树（有任何错误行则整份不导入）。"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            result = org_import(actor=None, file_name=path.name, data=path.read_bytes())
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(self.style.SUCCESS(f"新增 {result.created}，更新 {result.updated}。"))
