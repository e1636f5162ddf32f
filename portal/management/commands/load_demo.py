from django.core.management.base import BaseCommand, CommandError

from portal.demo import load_demo


class Command(BaseCommand):
    help = "加载演示数据（天津16个区、河西区街道社区、部门、审批机关和全部演示账号）。仅限演示模式。"

    def handle(self, *args, **options):
        try:
            load_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS("演示数据已加载。所有演示账号的密码：jianfu-demo-2026"))
