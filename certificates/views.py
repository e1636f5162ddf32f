"""Pages of the certificates app. Thin: read input, call one service or selector, show the result."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from certificates import selectors, services
from certificates.choices import (
    APPLICANT,
    REVIEW_WORKING_DAYS,
    STAFF,
    WORKFLOW,
    ApplicationStatus,
    AttachmentKind,
)
from certificates.forms import (
    ApplicationForm,
    BarredForm,
    CertificateTypeForm,
    ReviewForm,
    RevokeForm,
    SupplementForm,
)
from certificates.models import (
    APPLY_ONLINE,
    KEEP_CATALOGUE,
    REVIEW_APPLICATIONS,
    BarredCertificate,
    CertificateType,
)
from certificates.schemas import REVIEW_CHOICES
from portal import exports, pending, uploads
from portal.api.kit import throttle
from portal.caching import rendered_fragment
from portal.errors import DomainError, ThrottledError
from portal.forms import form_errors_from
from portal.scope import holds_right, require_page_right

FILE_FIELDS = [
    ("id_front", AttachmentKind.ID_FRONT),
    ("id_back", AttachmentKind.ID_BACK),
    ("household_register", AttachmentKind.HOUSEHOLD),
    ("supporting", AttachmentKind.SUPPORTING),
]


RESIDENTS_ONLY = "只有居民可以在线申请证明。"


def _require_staff(user) -> None:
    require_page_right(
        user, REVIEW_APPLICATIONS, what="访问证明审核", refusal="只有社区工作人员可以访问该页面。"
    )


# --- public -------------------------------------------------------------------------------------------


def catalogue(request):
    show_internal = request.user.is_authenticated and request.user.is_portal_staff
    # The catalogue and the barred list change only with the catalogue's upkeep: rendered once until then.
    body = rendered_fragment(
        selectors.GENERATION,
        f"catalogue|{show_internal}|{REVIEW_WORKING_DAYS}",
        "certificates/_catalogue_body.html",
        lambda: {
            "types": selectors.certificate_types_public(),
            "barred": selectors.barred_search(query=""),
            "review_days": REVIEW_WORKING_DAYS,
            "show_internal": show_internal,
        },
    )
    return render(request, "certificates/catalogue.html", {"body": body})


def barred(request):
    q = (request.GET.get("q") or "").strip()[:100]
    community = (request.GET.get("community") or "").strip()[:32]  # the community page searched from
    rows = selectors.barred_search(query=q)
    top = rows[0] if q and rows else None
    if top is not None:
        services.barred_redirect_record(
            barred=top, query=q, user=request.user, channel="search", community_code=community
        )
    return render(
        request,
        "certificates/barred.html",
        {
            "q": q,
            "community": community,
            "rows": rows if q else [],
            "top": top,
            "all_rows": rows if not q else [],
        },
    )


def verify(request, code: str):
    try:
        throttle(
            request,
            scope="certificate_verify",
            limit=settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE,
            window_seconds=60,
        )
    except ThrottledError as exc:
        return render(request, "certificates/verify.html", {"throttled": exc.message}, status=429)
    result = selectors.verification(code=code[:64])
    return render(request, "certificates/verify.html", {"r": result}, status=200 if result["found"] else 404)


# --- residents ----------------------------------------------------------------------------------------


APPLY_FORM = "certificates.apply"
SINGLE_FILE_FIELDS = {"id_front", "id_back"}


@login_required
def apply(request):
    require_page_right(request.user, APPLY_ONLINE, what="在线申请证明", refusal=RESIDENTS_ONLY)
    community = selectors.resident_community_code(user=request.user)
    if not community:  # the system administrator holds every right but lives in no community
        raise PermissionDenied(RESIDENTS_ONLY)
    if not request.user.mobile_verified_at and not request.user.is_portal_staff:
        from django.utils.http import urlencode

        messages.warning(request, "请先验证手机号，验证后即可在线申请证明。")
        return redirect(f"{reverse('portal:verify_mobile')}?{urlencode({'next': request.get_full_path()})}")
    initial = {"applicant_name": request.user.real_name, "type": request.GET.get("type", "")}
    initial["community"] = community
    if request.method == "GET":
        pending.pending_clear(request, form=APPLY_FORM)  # a new form starts empty
    communities = selectors.apply_communities(
        user=request.user, also=request.POST.get("community", "") or request.GET.get("community", "")
    )
    data = None
    status = 200
    new_files = [(name, f) for name, _kind in FILE_FIELDS for f in request.FILES.getlist(name)]
    kinds = dict(FILE_FIELDS)
    if request.method == "POST":
        typed_id = (request.POST.get("id_number") or "").strip()
        pending.pending_value_keep(request, form=APPLY_FORM, name="id_number", value=typed_id)
        # a blank box keeps the number typed before (never echoed back into the page)
        data = request.POST.copy()
        data["id_number"] = typed_id or pending.pending_value(request, form=APPLY_FORM, name="id_number")
        for field in {
            name for name, _f in new_files
        } & SINGLE_FILE_FIELDS:  # a new choice replaces the kept one
            for f in pending.pending_files(request, form=APPLY_FORM):
                if f["field"] == field:
                    pending.pending_remove(request, form=APPLY_FORM, token=f["token"])
    if request.method == "POST" and request.POST.get("pending_remove"):
        pending.pending_remove(request, form=APPLY_FORM, token=request.POST["pending_remove"])
        pending.pending_keep(request, form=APPLY_FORM, files=new_files)
    form = ApplicationForm(data, initial=initial, communities=communities)
    if request.method == "POST" and request.POST.get("pending_remove"):
        form = _unvalidated(form)
    elif request.method == "POST" and form.is_valid():
        kept = pending.pending_take(request, form=APPLY_FORM)
        files = [services.Upload(kinds[name], f) for name, f in kept + new_files]
        try:
            app = services.application_create(user=request.user, data=form.value(), files=files)
        except DomainError as exc:
            form_errors_from(form, exc, request=request)
            pending.pending_keep(request, form=APPLY_FORM, files=new_files)
            status = exc.status
        else:
            pending.pending_clear(request, form=APPLY_FORM)
            messages.success(request, f"申请已提交，受理编号 {app.tracking_no}。社区审核后会通知您。")
            return redirect("certificates:application_detail", app.pk)
    elif request.method == "POST":
        pending.pending_keep(request, form=APPLY_FORM, files=new_files)
        status = 400
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["id_number"] = ""  # never echo the full number back into the page
    kept_id = pending.pending_value(request, form=APPLY_FORM, name="id_number") if form.is_bound else ""
    waiting = pending.pending_files(request, form=APPLY_FORM) if form.is_bound else []
    return render(
        request,
        "certificates/apply.html",
        {
            "form": form,
            "types": selectors.certificate_types_public(),
            "pending": {name: [f for f in waiting if f["field"] == name] for name, _kind in FILE_FIELDS},
            "id_kept_tail": kept_id[-4:] if kept_id else "",
        },
        status=status,
    )


def _unvalidated(form):
    """A bound form shown again without error messages (the user only removed a kept file)."""
    form._errors = {}
    return form


@login_required
def my_applications(request):
    page = Paginator(selectors.resident_applications_listing(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "certificates/my_applications.html", {"page": page})


@login_required
def application_detail(request, pk: int):
    app = selectors.application_detail(user=request.user, pk=pk)
    is_reviewer = holds_right(request.user, REVIEW_APPLICATIONS) and app.applicant_id != request.user.pk
    is_applicant = app.applicant_id == request.user.pk
    roles = {STAFF} if is_reviewer else set()
    if is_applicant:
        roles.add(APPLICANT)
    actions = {t.action for t in WORKFLOW.available(app, may=lambda _u, _o, t: bool(t.roles & roles))}
    return render(
        request,
        "certificates/application_detail.html",
        {
            "app": app,
            "cert": selectors.application_certificate(app),
            "is_reviewer": is_reviewer,
            "is_applicant": is_applicant,
            "actions": actions,
            "review_form": ReviewForm(),
            "supplement_form": SupplementForm(),
            "revoke_form": RevokeForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def application_review(request, pk: int):
    try:
        data = ReviewForm(request.POST).value()
        services.application_review(user=request.user, application_id=pk, data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, dict(REVIEW_CHOICES)[data.decision] + "：已完成。")
    return redirect("certificates:application_detail", pk)


@login_required
@require_POST
def application_supplement(request, pk: int):
    files = [services.Upload(AttachmentKind.SUPPORTING, f) for f in request.FILES.getlist("supporting")]
    try:
        services.application_supplement(
            user=request.user, application_id=pk, data=SupplementForm(request.POST).value(), files=files
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "补充材料已提交，申请已回到审核环节。")
    return redirect("certificates:application_detail", pk)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    try:
        services.application_withdraw(user=request.user, application_id=pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "申请已撤回。")
    return redirect("certificates:application_detail", pk)


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    try:
        services.certificate_revoke(
            user=request.user, application_id=pk, data=RevokeForm(request.POST).value()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "证明已撤销，公开核验将显示“已撤销”。")
    return redirect("certificates:application_detail", pk)


@login_required
@require_POST
def reveal_id(request, pk: int):
    """The one page that shows a full ID number: staff only, audited, never cached."""
    number = services.application_reveal_id(user=request.user, application_id=pk)
    app = selectors.application_detail(user=request.user, pk=pk)
    response = render(request, "certificates/reveal_id.html", {"app": app, "number": number})
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    app = selectors.application_detail(user=request.user, pk=pk)
    att = get_object_or_404(app.attachments.all(), pk=attachment_pk)
    try:
        path = uploads.stored_path(att.stored_name)
        fh = open(path, "rb")  # noqa: SIM115 — FileResponse closes it
    except (DomainError, OSError):
        raise Http404("文件不存在。")
    ext = att.stored_name.rsplit(".", 1)[-1]
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=f"{app.tracking_no}-{att.kind}-{att.pk}.{ext}",
        content_type=att.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def certificate_pdf(request, pk: int):
    try:
        fh, filename = selectors.certificate_pdf_file(user=request.user, pk=pk)
    except DomainError as exc:
        if exc.status == 409:
            messages.info(request, "证明文件正在生成，请稍后刷新。")
            return redirect("certificates:application_detail", pk)
        raise Http404(exc.message)
    response = FileResponse(fh, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- community staff ----------------------------------------------------------------------------------


@login_required
def review_queue(request):
    _require_staff(request.user)
    status = request.GET.get("status", "")
    page = Paginator(selectors.review_queue(user=request.user, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "certificates/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "now": timezone.now(),
        },
    )


def _year(request) -> int | None:
    try:
        return int(request.GET.get("year") or 0) or None
    except ValueError:
        return None


def _export(rows: list[list], header: list[str], *, name: str, fmt: str):
    return exports.spreadsheet_response(name, header, rows, fmt=fmt)


@login_required
def issued_register(request):
    _require_staff(request.user)
    year = _year(request)
    qs = selectors.issued_register(user=request.user, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header = [
            "证明编号",
            "证明类型",
            "社区",
            "持有人",
            "出具时间",
            "审核人",
            "受理编号",
            "状态",
            "撤销原因",
            "PDF SHA-256",
        ]
        rows = [
            [
                c.number,
                c.type.name,
                c.community.name,
                c.holder_name_masked,
                timezone.localtime(c.issued_at).strftime("%Y-%m-%d %H:%M"),
                c.issued_by.display_name if c.issued_by else "",
                c.application.tracking_no,
                "已撤销" if c.revoked_at else "有效",
                c.revoke_reason,
                c.pdf_sha256,
            ]
            for c in qs
        ]
        return _export(rows, header, name="issued-certificates", fmt=fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "certificates/issued_register.html", {"page": page, "year": year or ""})


@login_required
def seal_register(request):
    _require_staff(request.user)
    year = _year(request)
    qs = selectors.seal_register(user=request.user, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        header = ["用印时间", "印章名称", "用印文件", "用途", "批准人", "证明编号"]
        rows = [
            [
                timezone.localtime(s.used_at).strftime("%Y-%m-%d %H:%M"),
                s.seal_name,
                s.document,
                s.purpose,
                s.approver_name,
                s.certificate.number,
            ]
            for s in qs
        ]
        return _export(rows, header, name="seal-register", fmt=fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "certificates/seal_register.html", {"page": page, "year": year or ""})


# --- city admin: catalogue upkeep ---------------------------------------------------------------------


def _require_city_admin(user) -> None:
    require_page_right(
        user, KEEP_CATALOGUE, what="维护证明目录", refusal="只有市民政局管理员可以维护证明目录。"
    )


@login_required
def manage_catalogue(request):
    _require_city_admin(request.user)
    return render(
        request,
        "certificates/manage.html",
        {
            "types": CertificateType.objects.for_user(request.user, "change").order_by("order", "id"),
            "barred": BarredCertificate.objects.for_user(request.user, "change").order_by("order", "id"),
            "redirects": selectors.barred_redirect_counts(),
        },
    )


def _edit(request, *, form_class, model, pk, save, title):
    _require_city_admin(request.user)
    instance = get_object_or_404(model.objects.for_user(request.user, "change"), pk=pk) if pk else None
    initial = {name: getattr(instance, name) for name in form_class.base_fields} if instance else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, data=form.value(), pk=pk)
        except DomainError as exc:
            form_errors_from(form, exc, request=request, as_message=True)
        else:
            messages.success(request, "已保存。")
            return redirect("certificates:manage")
    return render(request, "certificates/manage_edit.html", {"form": form, "title": title})


@login_required
def manage_type(request, pk: int | None = None):
    return _edit(
        request,
        form_class=CertificateTypeForm,
        model=CertificateType,
        pk=pk,
        title="证明类型",
        save=lambda actor, data, pk: services.certificate_type_save(actor=actor, data=data, type_id=pk),
    )


@login_required
def manage_barred(request, pk: int | None = None):
    return _edit(
        request,
        form_class=BarredForm,
        model=BarredCertificate,
        pk=pk,
        title="不予出具的证明",
        save=lambda actor, data, pk: services.barred_save(actor=actor, data=data, barred_id=pk),
    )
