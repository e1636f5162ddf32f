"""Reference data of the certificates app: the certificate catalogue and the barred list.

Only missing rows are created (by code / name); a row the city admin edited or switched off stays as it is.
The demo loader (``certificates.demo.load_catalogue``) is separate."""

from __future__ import annotations

from certificates.demo import BARRED, CERTIFICATE_TYPES
from certificates.models import BarredCertificate, CertificateType
from portal.caching import bump_for
from portal.services.reference import SeedResult


def seed() -> list[SeedResult]:
    types = set(CertificateType.objects.values_list("code", flat=True))
    new_types = [CertificateType(**row) for row in CERTIFICATE_TYPES if row["code"] not in types]
    CertificateType.objects.bulk_create(new_types)
    barred = set(BarredCertificate.objects.values_list("name", flat=True))
    new_barred = [
        BarredCertificate(
            name=name, keywords=keywords, source=source, agency=agency, guidance=guidance, order=i
        )
        for i, (name, keywords, source, agency, guidance) in enumerate(BARRED, start=1)
        if name not in barred
    ]
    BarredCertificate.objects.bulk_create(new_barred)
    bump_for(CertificateType)  # bulk inserts send no signal: the cached catalogue goes now
    return [
        SeedResult("证明事项目录", len(new_types), CertificateType.objects.count()),
        SeedResult("不予出具证明清单", len(new_barred), BarredCertificate.objects.count()),
    ]
