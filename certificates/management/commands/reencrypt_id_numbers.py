"""Re-encrypt every stored ID number with the newest field key (after adding one to JIANFU_FIELD_KEYS)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from certificates import personal
from certificates.models import CertificateApplication


class Command(BaseCommand):
    help = "用最新的字段密钥重新加密所有身份证号（轮换 JIANFU_FIELD_KEYS 后运行，之后可移除旧密钥）"

    def handle(self, *args, **options):
        done = 0
        ids = list(CertificateApplication.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            with transaction.atomic():
                rows = CertificateApplication.objects.select_for_update().filter(
                    pk__in=ids[start : start + 500]
                )
                for app in rows.only("pk", "id_number_encrypted"):
                    new = personal.reencrypt(app.id_number_encrypted)
                    CertificateApplication.objects.filter(pk=app.pk).update(id_number_encrypted=new)
                    done += 1
        self.stdout.write(f"已重新加密 {done} 条身份证号。")
