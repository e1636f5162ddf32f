from django.core.management.base import BaseCommand

from portal.jobs import outbox_reconcile, outbox_sweep


class Command(BaseCommand):
    help = (
        "发布积压在任务发件箱中的后台任务（例如 Redis 中断期间接收的任务），"
        "并重新发布结果缺失的任务（Redis 重启丢失的、执行中断的、证书 PDF 等成果缺失的）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=0)
        parser.add_argument("--no-reconcile", action="store_true", help="只发布未发送的任务，不核对结果。")

    def handle(self, *args, **options):
        sent = outbox_sweep(older_than_seconds=options["older_than"])
        self.stdout.write(f"已发布 {sent} 个任务。")
        if not options["no_reconcile"]:
            counts = outbox_reconcile()
            self.stdout.write(
                f"已重新发布：执行中断 {counts['stalled']} 个，队列中丢失 {counts['lost']} 个，"
                f"成果缺失 {counts['missing']} 个。"
            )
