"""Create N approved certificates, let the Celery workers render their PDFs, and print the throughput."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone


class Command(BaseCommand):
    help = "Bench: creates --count approved certificates, enqueues their PDF renders and reports throughput."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--community", default="120103001001")
        parser.add_argument("--timeout", type=float, default=1800.0, help="seconds to wait for the renders")

    def handle(self, *args, count: int, community: str, timeout: float, **options):
        from certificates import personal, services
        from certificates.choices import PLEDGE_TEXT, ApplicationStatus
        from certificates.demo import load_catalogue
        from certificates.models import Certificate, CertificateApplication, CertificateType
        from certificates.schemas import ReviewSchema
        from portal.choices import Role
        from portal.models import OrgUnit, User

        load_catalogue()
        org = OrgUnit.objects.filter(code=community).first()
        staff = User.objects.filter(roles__role=Role.COMMUNITY_STAFF, roles__org=org).first() if org else None
        applicant = User.objects.filter(roles__role=Role.RESIDENT).first()
        if org is None or staff is None or applicant is None:
            raise CommandError("需要演示数据：社区、本社区工作人员和一名居民（先运行 load_demo）。")
        cert_type = CertificateType.objects.get(code="residence")
        number = "12010319850612301"
        number += personal.id_check_char(number)
        now = timezone.now()
        t_create = time.perf_counter()
        ids = []
        for i in range(count):
            # Bench data is written directly (no uploads); the approval goes through the real service.
            with transaction.atomic():
                app = CertificateApplication.objects.create(
                    tracking_no=f"BENCH{int(now.timestamp())}{i:05d}",
                    type=cert_type,
                    community=org,
                    applicant=applicant,
                    applicant_name="王小明",
                    id_number_encrypted=personal.encrypt(number),
                    id_number_hash=personal.id_number_hash(number),
                    id_number_masked=personal.mask_id_number(number),
                    reason="压力测试",
                    purpose="压力测试",
                    pledge_text=PLEDGE_TEXT,
                    pledged_at=now,
                    submitted_at=now,
                    due_at=now,
                    status=ApplicationStatus.SUBMITTED,
                )
            services.application_review(
                user=staff,
                application_id=app.pk,
                data=ReviewSchema.parse({"decision": "approve", "comment": "bench"}),
            )
            ids.append(app.pk)
        enqueued = time.perf_counter()
        qs = Certificate.objects.filter(application_id__in=ids)
        done = 0
        while time.perf_counter() - enqueued < timeout:
            done = qs.exclude(pdf_sha256="").count()
            if done >= count:
                break
            time.sleep(0.5)
        finished = time.perf_counter()
        total = finished - t_create
        render_window = finished - enqueued
        self.stdout.write(
            f"certificates: {done}/{count} PDFs rendered; issuing {enqueued - t_create:.1f} s, "
            f"all done {total:.1f} s after the first approval; throughput {done / total:.2f} certificates/s "
            f"({render_window:.1f} s waiting after the last approval)"
        )
        if done < count:
            raise CommandError(f"只有 {done}/{count} 份证明在 {timeout:.0f} 秒内生成。")
