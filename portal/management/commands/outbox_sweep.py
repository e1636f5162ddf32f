from django.core.management.base import BaseCommand

from portal.jobs import outbox_sweep


class Command(BaseCommand):
    help = "发布积压在任务发件箱中的后台任务（例如 Redis 中断期间接收的任务）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=0)

    def handle(self, *args, **options):
        sent = outbox_sweep(older_than_seconds=options["older_than"])
        self.stdout.write(f"已发布 {sent} 个任务。")
