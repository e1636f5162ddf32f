"""Load the shipped city base lists and the city-wide organisation register into a fresh installation."""

from django.core.management.base import BaseCommand, CommandError

from checklists import services
from portal.models import OrgUnit


class Command(BaseCommand):
    help = "载入市级基础清单（自治职责7类16项、依法协助9类35项）和组织机构登记；已有版本时不做任何改动。"

    def handle(self, *args, **options):
        city = OrgUnit.objects.filter(level="city").order_by("code").first()
        if city is None:
            raise CommandError("尚未导入组织树：请先导入市级组织。")
        version = services.base_lists_seed(city=city)
        services.registers_seed(city=city)
        if version is None:
            self.stdout.write("市级基础清单已存在，未做改动。")
        else:
            self.stdout.write(f"已发布{city.name}居委会工作事项清单第1版（{version.items.count()}项）。")
