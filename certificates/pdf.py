"""The certificate document: community letterhead, the type's wording, date, seal and verification QR."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from portal.pdf import render_pdf

CN_DIGITS = "〇一二三四五六七八九"


def seal_name_for(community) -> str:
    """The name on the seal: a community's residents' committee (``…社区`` → ``…社区居民委员会``)."""
    name = community.name
    return name + ("居民委员会" if name.endswith("社区") else "")


def chinese_date(day) -> str:
    """``二〇二六年五月十二日`` as official documents write it."""

    def num(n: int) -> str:
        if n < 10:
            return CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")

    year = "".join(CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{num(day.month)}月{num(day.day)}日"


def certificate_context(cert) -> dict:
    community = cert.community
    # The letterhead's district and street: one query for both.
    chain = {node.level: node for node in community.ancestors()}
    district, street = chain.get("district"), chain.get("street")
    issued = timezone.localtime(cert.issued_at).date()
    return {
        "issuer": seal_name_for(community),
        "issuer_parent": "天津市" + "".join(o.name for o in (district, street) if o is not None),
        "title": cert.type.name,
        "number": cert.number,
        "wording": cert.wording,
        "issue_date_cn": chinese_date(issued),
        "valid_until": cert.valid_until,
        "verify_code": cert.verify_code,
        "community_address": community.address,
        "community_phone": community.phone,
        "running_header": f"社区证明 · {cert.number}",
    }


def render_certificate(cert) -> bytes:
    return render_pdf(
        template="certificates/pdf/certificate.html",
        context=certificate_context(cert),
        title=f"{cert.type.name}（{cert.number}）",
        qr_url=reverse("certificates:verify", args=[cert.verify_code]),
        qr_caption="扫码核验本证明",
        seal_org_name=seal_name_for(cert.community),
    )
