"""What ``make bench`` measures for certificates: the public endpoints, the PDF render time beside a minimal
WeasyPrint page (``pdf_bench``), and the batch throughput (``manage.py certificates_bench_batch``)."""

from __future__ import annotations

import statistics
import time

FALLBACK_CODE = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # well formed, unknown: measures the "not valid" path


def _verify_code() -> str:
    try:
        from certificates.models import Certificate

        code = (
            Certificate.objects.filter(revoked_at__isnull=True).values_list("verify_code", flat=True).first()
        )
        return code or FALLBACK_CODE
    except Exception:  # no database at import time
        return FALLBACK_CODE


def _endpoints() -> list[dict]:
    code = _verify_code()
    return [
        dict(name="certificate_types", method="GET", path="/api/v1/certificate-types"),
        dict(
            name="barred_search",
            method="GET",
            path="/api/v1/certificate-types/barred?q=%E6%97%A0%E7%8A%AF%E7%BD%AA",
        ),
        dict(name="verify_api", method="GET", path=f"/api/v1/certificates/verify/{code}"),
        dict(name="verify_page", method="GET", path=f"/certificates/verify/{code}/"),
        dict(name="catalogue_page", method="GET", path="/certificates/"),
        dict(name="review_queue", method="GET", path="/certificates/queue/", user="community_staff"),
        dict(
            name="apply_residence_page",
            method="GET",
            path="/certificates/apply/?type=residence",
            user="resident",
        ),
        dict(name="my_applications", method="GET", path="/certificates/my/", user="resident"),
    ]


def __getattr__(name: str):
    # ENDPOINTS is computed when asked for, so that the verify endpoints use a real code of the bench database.
    if name == "ENDPOINTS":
        return _endpoints()
    raise AttributeError(name)


def _sample_certificate():
    from django.utils import timezone

    from certificates.models import Certificate, CertificateType
    from portal.models import OrgUnit

    cert = Certificate.objects.select_related("community", "type").first()
    if cert is not None:
        return cert
    return Certificate(
        type=CertificateType.objects.order_by("order").first() or CertificateType(name="居住证明"),
        community=OrgUnit.objects.filter(level="community").order_by("code").first(),
        year=timezone.localdate().year,
        serial=1,
        number="120103001001-2026-0001",
        verify_code=FALLBACK_CODE,
        holder_name_masked="王*明",
        issued_at=timezone.now(),
        wording="兹证明王小明（公民身份号码：120103********3015）居住在本社区辖区内。本证明用于办理子女入学。",
    )


def pdf_bench(n: int = 20) -> dict:
    """Median render time per certificate beside a minimal WeasyPrint page, rendered in the same run."""
    from weasyprint import HTML

    from certificates.pdf import render_certificate

    cert = _sample_certificate()
    render_certificate(cert)  # warm up fonts and templates
    HTML(string="<html lang='zh-CN'><body><p>测试</p></body></html>").write_pdf()
    cert_times, bare_times = [], []
    for _ in range(max(1, n)):
        t0 = time.perf_counter()
        render_certificate(cert)
        cert_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        HTML(string="<html lang='zh-CN'><body><p>测试</p></body></html>").write_pdf()
        bare_times.append(time.perf_counter() - t0)
    cert_median, bare_median = statistics.median(cert_times), statistics.median(bare_times)
    return {
        "renders": len(cert_times),
        "certificate median s": round(cert_median, 4),
        "certificate p95 s": round(sorted(cert_times)[int(0.95 * (len(cert_times) - 1))], 4),
        "minimal WeasyPrint page median s": round(bare_median, 4),
        "ratio to minimal page": round(cert_median / bare_median, 2) if bare_median else None,
    }
