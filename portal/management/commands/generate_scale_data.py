"""``manage.py generate_scale_data``: Tianjin-scale data (16 districts, ~300 streets, 5,600 communities, staff).

For benchmarks on PostgreSQL. Idempotent: a second run only adds what is missing; ``--reset`` first removes
the previously generated rows (never the demo data or demo accounts). Refuses production settings unless
``--force``.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from portal import scale


class Command(BaseCommand):
    help = "生成天津规模的基准测试数据（16个区、约300个街道、5600个社区及其工作人员），用于 make bench。"

    def add_arguments(self, parser):
        parser.add_argument("--streets", type=int, default=scale.DEFAULT_STREETS, help="街道数（默认 300）")
        parser.add_argument(
            "--communities", type=int, default=scale.DEFAULT_COMMUNITIES, help="社区数（默认 5600）"
        )
        parser.add_argument("--reset", action="store_true", help="先删除以前生成的规模数据（不影响演示数据）")
        parser.add_argument("--reset-only", action="store_true", help="只删除以前生成的规模数据")
        parser.add_argument("--no-apps", action="store_true", help="不调用各应用的 <app>.scale.generate")
        parser.add_argument("--force", action="store_true", help="允许在生产配置下运行")

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["force"]:
            raise CommandError("生产配置下拒绝生成规模数据；确需如此请加 --force。")
        if connection.vendor != "postgresql":
            self.stderr.write(f"注意：当前数据库是 {connection.vendor}，规模数据面向 PostgreSQL。")
        if options["reset_only"]:
            removed = scale.reset(stdout=self.stdout)
            self.stdout.write(
                self.style.SUCCESS("已删除规模数据：" + ", ".join(f"{v} {k}" for k, v in removed.items()))
            )
            return
        # Under production settings (with --force) generated accounts get no usable password.
        password = None if getattr(settings, "PRODUCTION", False) else scale.DEMO_PASSWORD
        self.stdout.write(
            f"generate_scale_data: {options['streets']} streets, {options['communities']} communities "
            f"on {connection.vendor}"
        )
        try:
            timings = scale.generate(
                streets=options["streets"],
                communities=options["communities"],
                reset_first=options["reset"],
                password=password,
                with_apps=not options["no_apps"],
                stdout=self.stdout,
            )
        except ValueError as exc:
            raise CommandError(str(exc))
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them the first queries scan bulk-loaded tables whole.
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"  ANALYZE: {time.perf_counter() - started:.1f} s")
        counts = scale.counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"done in {timings['total']:.1f} s: {counts['streets']} streets, {counts['communities']} communities "
                f"({counts['villages']} villages), {counts['staff']} staff accounts"
            )
        )
