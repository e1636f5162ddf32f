"""Load the reference data shipped with the portal (lists, catalogue, barred list, whitelist) — idempotent."""

from django.core.management.base import BaseCommand, CommandError

from portal.errors import DomainError
from portal.services.reference import reference_data_seed


class Command(BaseCommand):
    help = "载入随程序发布的基础数据（基础清单、组织机构登记、证明目录、不予出具清单、评比白名单）；可重复运行，已有和已修改的数据不变。"

    def handle(self, *args, **options):
        try:
            results = reference_data_seed()
        except DomainError as exc:
            raise CommandError(str(exc))
        for r in results:
            self.stdout.write(f"{r.label}: 新增 {r.created}，现有 {r.total}")
        if not any(r.created for r in results):
            self.stdout.write("基础数据已是最新，未做改动。")
