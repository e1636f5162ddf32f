"""``manage.py admission_sweep [--today YYYY-MM-DD]``: what the scheduled job does, on demand."""

from datetime import date

from django.core.management.base import BaseCommand

from admission.services import admission_sweep


class Command(BaseCommand):
    help = "关闭到期的征求意见、使到期准入失效、发送逾期提醒并逐级督办。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期处理（YYYY-MM-DD），默认今天")

    def handle(self, *args, **options):
        today = date.fromisoformat(options["today"]) if options.get("today") else None
        result = admission_sweep(today=today)
        self.stdout.write(
            f"征求意见结束 {result['closed']} 件，准入到期 {result['expired']} 件，"
            f"逾期提醒 {result['reminded']} 件，督办 {result['escalated']} 件。"
        )
