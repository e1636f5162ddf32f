"""Read side of certificates (``certificate_stats_for_community`` is a CONTRACT used by evaluations — keep
its signature). Every selector starts from ``for_user`` and prefetches what its page shows."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from certificates.choices import ApplicationStatus
from certificates.models import (
    BarredCertificate,
    BarredRedirect,
    Certificate,
    CertificateApplication,
    CertificateType,
    SealUse,
)
from certificates.personal import verify_code_well_formed


def certificate_stats_for_community(*, community, year: int) -> dict:
    """Figures for the star-rating evidence: ``{"issued": n, "on_time": n}``.

    ``issued`` counts certificates issued by the community in ``year`` (revoked ones included: they were
    issued); ``on_time`` those decided no later than the review deadline.
    """
    qs = Certificate.objects.filter(community=community, year=year)
    return {
        "issued": qs.count(),
        "on_time": qs.filter(application__decided_at__lte=F("application__due_at")).count(),
    }


#: The generation of the certificates' cached figures and listings (``portal.caching``): bumped when an
#: application, a certificate, a certificate type or a barred kind changes (``CertificatesConfig.ready``).
GENERATION = "certificates"


def certificate_types_public() -> list[CertificateType]:
    """The active certificate types in catalogue order (kept in process memory until a type changes: the
    catalogue, the application page and the API show them on every request)."""
    from portal.caching import local_cached

    return local_cached(
        GENERATION,
        "types-public",
        lambda: list(CertificateType.objects.filter(active=True).order_by("order", "id")),
    )


def barred_search(*, query: str = "", include_inactive: bool = False) -> list[BarredCertificate]:
    """Barred kinds matching ``query`` (a phrase like "开无犯罪记录证明"), best match first; all without query."""
    from portal.caching import local_cached

    def load() -> list[BarredCertificate]:
        qs = (
            BarredCertificate.objects.all()
            if include_inactive
            else BarredCertificate.objects.filter(active=True)
        )
        return list(qs.order_by("order", "id"))

    rows = list(local_cached(GENERATION, f"barred:{include_inactive}", load))
    q = "".join((query or "").split())
    if not q:
        return rows
    scored = []
    for row in rows:
        best = 0
        for term in row.search_terms:
            t = "".join(term.split())
            if t and (t in q or q in t):
                best = max(best, len(t) if t in q else len(q))
        if best:
            scored.append((-best, row.order, row.id, row))
    scored.sort(key=lambda s: s[:3])
    return [s[3] for s in scored]


def barred_redirect_counts() -> list[dict]:
    return [
        dict(row)
        for row in BarredRedirect.objects.values("barred__name", "barred__agency")
        .annotate(n=Count("id"))
        .order_by("-n", "barred__name")
    ]


def apply_communities(*, user, also: str = "") -> list[tuple[str, str]]:
    """``[(code, "街道 社区")]`` the application page offers: the communities the user lives in (their resident
    grants) and the other communities of the same streets, plus ``also`` (a code chosen before, so a page shown
    again keeps it) — a street's worth, whatever the size of the city. One query."""
    from portal.caching import cached
    from portal.choices import OrgLevel, Role
    from portal.models import OrgUnit
    from portal.scope import grants_for

    streets = sorted(
        {g.org_path.rstrip("/").rsplit("/", 1)[0] + "/" for g in grants_for(user, {Role.RESIDENT})}
    )
    also = also.strip()[:32]

    def load() -> list[tuple[str, str]]:
        where = Q(code=also) if also else Q(pk__in=[])
        for path in streets:
            where |= Q(path__startswith=path)
        return [
            (o.code, f"{o.parent.name if o.parent else ''} {o.name}")
            for o in OrgUnit.objects.filter(where, level=OrgLevel.COMMUNITY)
            .select_related("parent")
            .order_by("code")
        ]

    # Cached until an org changes (the "orgs" generation): the streets' communities, not the user, are the key.
    return cached("orgs", repr(("apply-communities", streets, also)), load)


def applications_for_resident(*, user):
    return (
        CertificateApplication.objects.for_user(user, "view")
        .filter(applicant=user)
        .select_related("type", "community", "certificate")
        .order_by("-created_at")
    )


def resident_applications_listing(*, user):
    """:func:`applications_for_resident` for a paginated page: its count and page ids cached until an
    application changes (generation "certificates"), keyed by the user's scope; the rows themselves are read
    fresh (one query), so a renamed community or type shows at once."""
    from portal.caching import CachedListing
    from portal.scope import scope_key

    return CachedListing(
        lambda: applications_for_resident(user=user),
        GENERATION,
        key=repr(("resident-applications", scope_key(user, CertificateApplication))),
    )


def review_queue(*, user, status: str | None = None):
    """The applications a community worker reviews, oldest deadline first."""
    qs = CertificateApplication.objects.for_user(user, "review").select_related("type", "community")
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.NEED_MORE])
    return qs.order_by("due_at", "id")


def application_detail(*, user, pk):
    from portal.scope import get_scoped_or_404

    qs = CertificateApplication.objects.select_related(
        "type", "community", "applicant", "decided_by"
    ).prefetch_related("attachments", "events")
    return get_scoped_or_404(qs, user, "view", pk=pk)


def application_certificate(app: CertificateApplication) -> Certificate | None:
    try:
        return app.certificate
    except Certificate.DoesNotExist:
        return None


def certificate_pdf_file(*, user, pk: int):
    """The issued certificate's PDF of application ``pk``, opened for reading, and its download name.

    The same rules for the page (session) and the API (token): inside the user's scope (404 otherwise);
    404 before a certificate is issued; 409 while its PDF is still being rendered.
    """
    from portal import uploads
    from portal.errors import ConflictError, DomainError, NotFoundError

    cert = application_certificate(application_detail(user=user, pk=pk))
    if cert is None:
        raise NotFoundError("该申请尚未出具证明。")
    if not cert.pdf_ready:
        raise ConflictError("证明文件正在生成，请稍后再试。", code="pdf_pending")
    try:
        return open(uploads.stored_path(cert.pdf_name), "rb"), f"{cert.type.name}-{cert.number}.pdf"  # noqa: SIM115
    except (DomainError, OSError):
        raise NotFoundError("证明文件不存在。")


def issued_register(*, user, year: int | None = None):
    qs = Certificate.objects.for_user(user, "review").select_related(
        "type", "community", "application", "issued_by"
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-issued_at", "-id")


def seal_register(*, user, year: int | None = None):
    qs = SealUse.objects.for_user(user, "view").select_related("certificate", "community")
    if year:
        qs = qs.filter(used_at__year=year)
    return qs.order_by("-used_at", "-id")


def verification(*, code: str) -> dict:
    """What the public may know about a certificate: validity, number, type, community, date, masked holder.

    Unknown and tampered codes (the HMAC does not match) are simply not valid.
    """
    code = (code or "").strip().upper()
    cert = None
    if verify_code_well_formed(code):
        cert = Certificate.objects.select_related("type", "community").filter(verify_code=code).first()
    if cert is None:
        return {
            "found": False,
            "valid": False,
            "revoked": False,
            "expired": False,
            "certificate_no": None,
            "type": None,
            "community": None,
            "issued_at": None,
            "holder": None,
            "valid_until": None,
            "revoked_at": None,
        }
    today = timezone.localdate()
    expired = bool(cert.valid_until and cert.valid_until < today)
    return {
        "found": True,
        "valid": cert.revoked_at is None and not expired,
        "revoked": cert.revoked_at is not None,
        "expired": expired,
        "certificate_no": cert.number,
        "type": cert.type.name,
        "community": cert.community.full_name,
        "issued_at": timezone.localtime(cert.issued_at).date().isoformat(),
        "holder": cert.holder_name_masked,
        "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
        "revoked_at": timezone.localtime(cert.revoked_at).date().isoformat() if cert.revoked_at else None,
    }


def community_dashboard_figures(*, user) -> dict:
    """The review panel's counts, cached until an application or a certificate changes; keyed by the user's
    review scope and the minute (overdue is by the clock), so they are at most a minute old."""
    from portal.caching import cached
    from portal.scope import scope_key

    now = timezone.now().replace(second=0, microsecond=0)
    key = ("dashboard", scope_key(user, CertificateApplication, "review"), now.isoformat())
    return cached(GENERATION, repr(key), lambda: _community_dashboard_figures(user, now))


def _community_dashboard_figures(user, now) -> dict:
    qs = CertificateApplication.objects.for_user(user, "review")
    open_q = Q(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.NEED_MORE])
    return qs.aggregate(
        waiting=Count("id", filter=Q(status=ApplicationStatus.SUBMITTED)),
        need_more=Count("id", filter=Q(status=ApplicationStatus.NEED_MORE)),
        overdue=Count("id", filter=open_q & Q(status=ApplicationStatus.SUBMITTED, due_at__lt=now)),
        issued_this_year=Count("id", filter=Q(certificate__year=timezone.localdate().year)),
    )


def resident_community_code(*, user) -> str:
    """The code of the community a resident lives in (their first resident role), where their online
    application is made; empty for anyone who is no resident — the system administrator included."""
    from portal.choices import Role
    from portal.scope import grants_for

    grant = next(iter(grants_for(user, {Role.RESIDENT})), None)
    return grant.org_code if grant is not None else ""


# ── read by the burden figures and registers (reports) ─────────────────────────────────────────


def counted_models() -> list[type]:
    """The models whose rows the figures count (the redirects apart: :func:`redirect_models`)."""
    return [Certificate, CertificateApplication, CertificateType, SealUse]


def redirect_models() -> list[type]:
    """The redirects to the issuing agencies, which a public search writes (cached apart from the rest)."""
    return [BarredRedirect]


def certificates_issued_under(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[Certificate]:
    """Certificates issued in ``[start_at, end_at)`` by a community under ``path``."""
    return Certificate.objects.filter(
        community__path__startswith=path, issued_at__gte=start_at, issued_at__lt=end_at
    )


def seal_uses_under(*, path: str, start_at: datetime, end_at: datetime) -> QuerySet[SealUse]:
    """Community seal uses (one per certificate) in ``[start_at, end_at)`` under ``path``."""
    return SealUse.objects.filter(community__path__startswith=path, used_at__gte=start_at, used_at__lt=end_at)


def barred_redirects_under(
    *, path: str, start_at: datetime, end_at: datetime, unattributed: bool = False
) -> QuerySet[BarredRedirect]:
    """Residents pointed to the responsible agency in ``[start_at, end_at)`` from a community under ``path``;
    with ``unattributed`` also those whose community is unknown (they count for the city only)."""
    where = Q(community__path__startswith=path)
    if unattributed:
        where |= Q(community__isnull=True)
    return BarredRedirect.objects.filter(where, at__gte=start_at, at__lt=end_at)
