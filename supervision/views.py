"""Pages of supervision. Thin: read through selectors, write through services, show DomainError messages.

Objects outside the user's scope do not exist (404). The department complained about has its own pages,
built from :class:`selectors.DepartmentCase`, which carries nothing that names the complainant.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal import exports, schemas
from portal.api.kit import throttle
from portal.audit import audit
from portal.caching import rendered_fragment, rendered_page
from portal.errors import DomainError
from portal.forms import form_errors_from
from portal.scope import get_scoped_or_404, holds_right, require_page_right
from portal.selectors import assignments as assignment_selectors
from portal.services import assignments
from supervision import charts, forms, selectors, services
from supervision import schemas as sv
from supervision.assignments import VERIFIER_ACTIONS, VERIFYING
from supervision.choices import (
    ANON_LIMIT_PER_HOUR,
    APPEAL_WORKFLOW,
    CRITICISM_WORKFLOW,
    RECTIFICATION_WORKFLOW,
    Action,
    AppealAction,
    AppealStatus,
    CriticismAction,
    RectificationAction,
    Status,
)
from supervision.models import (
    ANSWER_FOR_DEPARTMENT,
    BUREAU_CRITICISMS,
    HANDLE_COMPLAINTS,
    READ_APPEALS,
    SEND_APPEALS,
    Appeal,
    Complaint,
    Criticism,
    Rectification,
)
from supervision.pdf import bureau_name, criticism_pdf_path
from taskcheck import selectors as taskcheck_selectors


def _user(request):
    return request.user if request.user.is_authenticated else None


# --------------------------------------------------------------------------------------------- filing


@require_http_methods(["GET", "POST"])
def complaint_file(request):
    user = _user(request)
    initial = {}
    refusal = None
    refusal_id = request.GET.get("refusal") or request.POST.get("refusal_id")
    if user is not None and refusal_id:
        refusal = taskcheck_selectors.refusal_for_complaint(user=user, pk=refusal_id)
        if refusal is not None:
            dept, _ = services.resolve_department(refusal.department)
            initial = {
                "category": refusal.complaint_category,
                "department": dept,
                "department_text": "" if dept else refusal.department,
                "community": refusal.community_code,
                "task_title": refusal.title,
                "description": refusal.complaint_text,
                "refusal_id": refusal.pk,
            }
    if not initial and request.method == "GET":
        # Prefilled from a task check (GET parameters of the check page's link).
        if request.GET.get("category"):
            initial["category"] = request.GET["category"]
        dept, text = services.resolve_department(request.GET.get("department", ""))
        if dept or text:
            initial["department"], initial["department_text"] = dept, text
        for key in ("community", "task_title", "description"):
            if request.GET.get(key):
                initial[key] = request.GET[key][:2000]
    if user is not None:
        community = selectors.own_community_code(user=user)
        if community:
            initial.setdefault("community", community)
        initial.setdefault("name", user.real_name)
    form = forms.ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if user is None:
                throttle(request, scope="complaints-anon", limit=ANON_LIMIT_PER_HOUR, window_seconds=3600)
            c = services.complaint_file(actor=user, data=form.value(), files=form.cleaned_data["evidence"])
        except DomainError as exc:
            form_errors_from(form, exc)
            status = exc.status if exc.status in (400, 429) else 400
            return render(request, "supervision/file.html", {"form": form, "refusal": refusal}, status=status)
        request.session["supervision_filed"] = c.tracking_code
        return redirect("supervision:filed")
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/file.html", {"form": form, "refusal": refusal}, status=status)


def complaint_filed(request):
    code = request.session.pop("supervision_filed", None)
    if not code:
        return redirect("supervision:track_form")
    return render(request, "supervision/filed.html", {"code": code})


def track_form(request):
    form = forms.TrackForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("supervision:track", form.cleaned_data["code"].strip().upper())
    return render(request, "supervision/track_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def track(request, code: str):
    try:
        throttle(request, scope="complaints-track-page", limit=120, window_seconds=60)
        c = services.complaint_find(tracking_code=code)
    except DomainError as exc:
        if exc.status == 429:
            return render(
                request,
                "supervision/track_form.html",
                {"form": forms.TrackForm(), "error": exc.message},
                status=429,
            )
        raise Http404("查询码不正确，未找到该投诉。")
    rating_form = sv.RatingSchema(request.POST if request.POST.get("form") == "rate" else None)
    reopen_form = sv.ReopenSchema(request.POST if request.POST.get("form") == "reopen" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "rate" and rating_form.is_valid():
                services.complaint_rate(tracking_code=code, data=rating_form.value())
                messages.success(request, "感谢您的评价。")
                return redirect("supervision:track", c.tracking_code)
            if request.POST.get("form") == "reopen" and reopen_form.is_valid():
                services.complaint_reopen(tracking_code=code, data=reopen_form.value())
                messages.success(request, "已申请重新办理，办理机关将重新调查核实。")
                return redirect("supervision:track", c.tracking_code)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "supervision/track.html",
        {"s": selectors.public_status(complaint=c), "rating_form": rating_form, "reopen_form": reopen_form},
    )


# --------------------------------------------------------------------------------------------- bureau


@login_required
def complaint_list(request):
    bureau = holds_right(request.user, HANDLE_COMPLAINTS)
    if not bureau and holds_right(request.user, BUREAU_CRITICISMS):
        return redirect("supervision:criticisms")  # the bureau's approvers: their list is the criticisms
    if not bureau and not selectors.has_assigned_complaints(user=request.user):
        # An assigned verifier opens the list of their complaints; for anyone else the page does not exist.
        require_page_right(request.user, HANDLE_COMPLAINTS, what="访问投诉办理")
    status = request.GET.get("status", "open")
    listing = selectors.complaint_listing(
        user=request.user, status=status, q=request.GET.get("q", "").strip()
    )
    return render(
        request,
        "supervision/list.html",
        {
            "table": rendered_page(listing, request, "supervision/_complaint_table.html"),
            "bureau": bureau,
            "status": status,
            "statuses": Status.choices,
            "q": request.GET.get("q", ""),
        },
    )


@login_required
def complaint_export(request):
    """CSV of the complaints the bureau handles — without the complainant (exports leave the bureau)."""
    require_page_right(request.user, HANDLE_COMPLAINTS, what="访问投诉办理")
    qs = selectors.complaint_list(user=request.user, status=request.GET.get("status", ""))
    rows = (
        [
            c.created_at.strftime("%Y-%m-%d"),
            c.get_category_display(),
            c.department_name,
            c.community.name if c.community_id else "",
            c.get_status_display(),
            c.verdict_reason,
        ]
        for c in qs[:5000]
    )
    response = exports.csv_response(
        "complaints.csv", ["提交时间", "类别", "被投诉部门", "社区", "状态", "查证结论"], rows
    )
    audit("supervision.export", detail="导出投诉列表")
    return response


def _detail_context(request, c: Complaint, **extra) -> dict:
    actions, bureau = selectors.complaint_page_rights(user=request.user, complaint=c)
    rect, criticism = (
        selectors.complaint_followups(user=request.user, complaint=c, handled=True)
        if bureau
        else (None, None)
    )
    verifiers = assignment_selectors.live_assignments(c)
    ctx = {
        "c": c,
        "bureau": bureau,
        "verifiers": verifiers,
        "verifier_choices": assignment_selectors.candidates(c, actor=request.user)
        if bureau and c.status in VERIFYING
        else [],
        "events": selectors.events(c),
        "evidence": list(c.evidence.all()) if bureau else [],
        "actions": actions,
        "A": {a.name: a.value for a in Action},
        "duplicates": selectors.duplicates(user=request.user, complaint=c),
        "rect": rect,
        "rect_verifiable": rect is not None
        and RectificationAction.VERIFY
        in selectors.offered_steps(RECTIFICATION_WORKFLOW, rect, user=request.user)[0],
        "criticism": criticism,
        "accept_form": sv.AcceptSchema(),
        "decline_form": sv.DeclineSchema(),
        "note_form": forms.NoteForm(),
        "statement_form": sv.StatementRequestSchema(initial={"summary": c.statement_summary or ""}),
        "verdict_form": sv.VerdictSchema(),
        "criticism_form": sv.CriticismSchema(initial={"title": criticism.title, "body": criticism.body})
        if criticism
        else None,
        "verify_form": sv.VerifySchema(),
        "identity": None,
    }
    ctx.update(extra)
    return ctx


@login_required
def complaint_detail(request, pk: int):
    c = selectors.complaint_for_handler(user=request.user, pk=pk, action="inspect")
    return render(request, "supervision/detail.html", _detail_context(request, c))


@login_required
@require_POST
def complaint_reveal(request, pk: int):
    c = selectors.complaint_for_handler(user=request.user, pk=pk)
    identity = services.complaint_identity_reveal(actor=request.user, complaint_id=c.pk)
    return render(request, "supervision/detail.html", _detail_context(request, c, identity=identity))


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    """One POST endpoint per action on the bureau's page (an assigned verifier's note among them); the form class
    and the service come from the action name, and the service checks the right."""
    c = selectors.complaint_for_handler(user=request.user, pk=pk, action="inspect")
    form_class: type[schemas.Schema[Any]] | None = {
        "accept": sv.AcceptSchema,
        "decline": sv.DeclineSchema,
        "note": forms.NoteForm,
        "statement": sv.StatementRequestSchema,
        "verdict": sv.VerdictSchema,
        "merge": sv.MergeSchema,
        "assign": assignments.AssignSchema,
        "unassign": assignments.UnassignSchema,
    }.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES)
    try:
        data = form.value()
        if action == "accept":
            services.complaint_accept(actor=request.user, complaint_id=c.pk, data=data)
        elif action == "decline":
            services.complaint_decline(actor=request.user, complaint_id=c.pk, data=data)
        elif action == "note":
            services.complaint_note(
                actor=request.user, complaint_id=c.pk, data=data, files=form.cleaned_data["evidence"]
            )
        elif action == "statement":
            services.complaint_request_statement(actor=request.user, complaint_id=c.pk, data=data)
        elif action == "verdict":
            services.complaint_verdict(actor=request.user, complaint_id=c.pk, data=data)
        elif action == "merge":
            services.complaint_merge(actor=request.user, complaint_id=c.pk, data=data)
            return redirect("supervision:detail", data.into)
        elif action == "assign":
            assignments.assign(
                actor=request.user,
                obj=c,
                assignee=data.assignee,
                actions=VERIFIER_ACTIONS,
                reason=data.reason,
            )
        elif action == "unassign":
            assignments.unassign(actor=request.user, assignment=data.assignment, obj=c, reason=data.reason)
        messages.success(request, "已办理。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:detail", c.pk)


@login_required
def evidence_download(request, pk: int, evidence_pk: int):
    c = selectors.complaint_for_handler(user=request.user, pk=pk)
    e = selectors.complaint_evidence(complaint=c, pk=evidence_pk)
    if e is None:
        raise Http404
    from portal import uploads

    audit("supervision.evidence_download", obj=c, detail=e.name)
    return FileResponse(
        open(uploads.stored_path(e.stored_name, area="supervision"), "rb"),
        as_attachment=True,
        filename=e.name,
    )


# --------------------------------------------------------------------------------------------- criticism


@login_required
def criticism_list(request):
    require_page_right(request.user, BUREAU_CRITICISMS, what="访问批评通报")
    listing = selectors.bureau_criticisms(user=request.user)
    table = rendered_page(listing, request, "supervision/_criticism_table.html")
    return render(request, "supervision/criticisms.html", {"table": table})


@login_required
@require_http_methods(["GET", "POST"])
def criticism_detail(request, pk: int):
    cr = get_scoped_or_404(Criticism.objects.select_related("org", "complaint"), request.user, "view", pk=pk)
    # What the page offers comes from the transition table and the rights the services ask, never a list of its own.
    offered, _ = selectors.offered_steps(CRITICISM_WORKFLOW, cr, user=request.user)
    edit_form = sv.CriticismSchema(
        request.POST if request.POST.get("form") == "edit" else None,
        initial={"title": cr.title, "body": cr.body},
    )
    decide_form = sv.CriticismDecisionSchema(request.POST if request.POST.get("form") == "decide" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "edit" and edit_form.is_valid():
                services.criticism_update(actor=request.user, criticism_id=cr.pk, data=edit_form.value())
                if request.POST.get("submit"):
                    services.criticism_submit(actor=request.user, criticism_id=cr.pk)
                    messages.success(request, "已提交审批。")
                else:
                    messages.success(request, "已保存。")
                return redirect("supervision:criticism", cr.pk)
            if request.POST.get("form") == "decide" and decide_form.is_valid():
                services.criticism_decide(actor=request.user, criticism_id=cr.pk, data=decide_form.value())
                messages.success(request, "已审批。")
                return redirect("supervision:criticism", cr.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "supervision/criticism.html",
        {
            "cr": cr,
            "issuer": bureau_name(cr.org),
            "can_edit": CriticismAction.DRAFT in offered,
            "can_submit": CriticismAction.SUBMIT in offered,
            "can_approve": bool({CriticismAction.APPROVE, CriticismAction.RETURN} & offered),
            "edit_form": edit_form,
            "decide_form": decide_form,
        },
    )


def notice(request, code: str):
    cr = selectors.public_notice(user=request.user, code=code)
    if cr is None:
        raise Http404("未找到该通报。")
    rect = selectors.public_notice_rectification(criticism=cr)
    return render(
        request,
        "supervision/notice.html",
        {
            "cr": cr,
            "issuer": bureau_name(cr.org),
            "rect": rect,
            "paragraphs": [p for p in cr.body.splitlines() if p.strip()],
        },
    )


def notice_pdf(request, code: str):
    cr = selectors.public_notice(user=request.user, code=code)
    path = criticism_pdf_path(cr) if cr else None
    if path is None:
        raise Http404("通报文件生成中，请稍后再试。")
    return FileResponse(open(path, "rb"), content_type="application/pdf", filename=f"{cr.number}.pdf")


def public(request):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    # Figures, notices and charts show no one's data and change only with the cases: rendered once until then
    # (the notices' thirty links were most of the page).
    stats = selectors.public_statistics(year=year)
    body = rendered_fragment(
        selectors.GENERATION,
        f"public-page|{year}",
        "supervision/_public_body.html",
        lambda: _public_body(year, stats),
    )
    return render(request, "supervision/public.html", {"body": body, "stats": stats})


def _public_body(year: int | None, stats: dict) -> dict:
    return {
        "stats": stats,
        "year": year,
        "criticisms": selectors.published_criticisms()[:30],
        "chart_org": charts.bars_svg(stats["by_org"], title="各区（市级）投诉数与查证属实数", ident="org"),
        "chart_category": charts.bars_svg(stats["by_category"], title="按投诉类别", ident="cat"),
        "chart_month": charts.columns_svg(
            stats["by_month"][-12:], title="按月投诉数（红色为查证属实）", ident="month"
        ),
        "chart_department": charts.bars_svg(
            stats["by_department"], title="被投诉部门（已有结论）", ident="dept"
        ),
    }


# --------------------------------------------------------------------------------------------- department


@login_required
def department_home(request):
    require_page_right(request.user, ANSWER_FOR_DEPARTMENT, what="访问部门整改页面")
    body = selectors.department_page(user=request.user)
    return render(request, "supervision/department.html", {"body": body})


@login_required
@require_http_methods(["GET", "POST"])
def department_respond(request, pk: int):
    c = get_scoped_or_404(Complaint, request.user, "respond", pk=pk)
    case = selectors.department_case(c)
    form = sv.StatementSchema(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_statement(actor=request.user, complaint_id=c.pk, data=form.value())
            messages.success(request, "书面说明已提交。")
            return redirect("supervision:department")
        except DomainError as exc:
            form_errors_from(form, exc)
    return render(request, "supervision/respond.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request, pk: int):
    r = get_scoped_or_404(
        Rectification.objects.select_related("org", "complaint"), request.user, "view", pk=pk
    )
    offered, rights = selectors.offered_steps(
        RECTIFICATION_WORKFLOW, r, user=request.user, also=[RectificationAction.REPORT, "handle"]
    )
    form = sv.RectificationReportSchema(request.POST or None)
    if request.method == "POST":
        if RectificationAction.REPORT not in rights:
            raise Http404
        if form.is_valid():
            try:
                services.rectification_report(actor=request.user, rectification_id=r.pk, data=form.value())
                messages.success(request, "整改情况已报告，等待核验。")
                return redirect("supervision:rectification", r.pk)
            except DomainError as exc:
                form_errors_from(form, exc)
    return render(
        request,
        "supervision/rectification.html",
        {
            "r": r,
            "case": selectors.department_case(r.complaint),
            "form": form,
            "can_report": RectificationAction.REPORT in offered,
            "is_handler": "handle" in rights,
        },
    )


@login_required
@require_POST
def rectification_verify(request, pk: int):
    r = get_scoped_or_404(Rectification, request.user, "handle", pk=pk)
    try:
        services.rectification_verify(
            actor=request.user, rectification_id=r.pk, data=sv.VerifySchema(request.POST).value()
        )
        messages.success(request, "已核验。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:detail", r.complaint_id)


# --------------------------------------------------------------------------------------------- appeals


@login_required
def appeal_list(request):
    require_page_right(request.user, READ_APPEALS, what="访问诉求列表")
    status = request.GET.get("status", "")
    listing = selectors.appeal_list(user=request.user, status=status)
    return render(
        request,
        "supervision/appeals.html",
        {
            "table": rendered_page(listing, request, "supervision/_appeal_table.html"),
            "status": status,
            "statuses": AppealStatus.choices,
            "can_send": holds_right(request.user, SEND_APPEALS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_new(request):
    require_page_right(request.user, SEND_APPEALS, what="提交诉求")
    form = forms.AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            a = services.appeal_submit(
                actor=request.user, data=form.value(), photos=form.cleaned_data["photos"]
            )
            messages.success(request, f"诉求已提交，社区将于 {a.due_date:%Y-%m-%d} 前答复。")
            return redirect("supervision:appeal", a.pk)
        except DomainError as exc:
            form_errors_from(form, exc)
    return render(request, "supervision/appeal_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request, pk: int):
    a = get_scoped_or_404(Appeal.objects.select_related("community", "resident"), request.user, "view", pk=pk)
    # What the page offers comes from the transition table and the rights the services ask, never a list of its own.
    offered, _ = selectors.offered_steps(APPEAL_WORKFLOW, a, user=request.user)
    can_answer, can_rate = AppealAction.ANSWER in offered, AppealAction.RATE in offered
    answer_form = sv.AnswerSchema(request.POST if request.POST.get("form") == "answer" else None)
    rating_form = sv.RatingSchema(request.POST if request.POST.get("form") == "rate" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "answer" and answer_form.is_valid():
                services.appeal_answer(actor=request.user, appeal_id=a.pk, data=answer_form.value())
                messages.success(request, "已答复。")
                return redirect("supervision:appeal", a.pk)
            if request.POST.get("form") == "rate" and rating_form.is_valid():
                services.appeal_rate(actor=request.user, appeal_id=a.pk, data=rating_form.value())
                messages.success(request, "感谢您的评价。")
                return redirect("supervision:appeal", a.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "supervision/appeal.html",
        {
            "a": a,
            "events": list(a.events.all()),
            "photos": list(a.photos.all()),
            "overdue": selectors.appeal_overdue(a),
            "can_answer": can_answer,
            "can_rate": can_rate,
            "answer_form": answer_form,
            "rating_form": rating_form,
            "is_resident": a.resident_id == request.user.pk,
        },
    )
