"""Pages of the star rating. Thin: read through selectors, write through services, show DomainError messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods, require_POST

from evaluations import charts, selectors, services
from evaluations.choices import RectificationStatus, SchemeStatus, Stage
from evaluations.forms import (
    DEFAULT_RULES,
    AppraisalEntryForm,
    CycleStartForm,
    EvidenceForm,
    FollowUpForm,
    RectificationPlanForm,
    SchemeForm,
    SummaryReportForm,
    TransitionForm,
)
from evaluations.models import (
    MANAGE_EVALUATIONS,
    SUMMARY_REPORTS,
    WORK_ON_EVALUATIONS,
    AppraisalEntry,
    Assessment,
    Cycle,
    Scheme,
)
from evaluations.schemas import ScoresSchema, SummaryReportSchema
from portal.audit import audit_denied
from portal.caching import cached
from portal.errors import DomainError, NotFoundError
from portal.forms import form_errors_from
from portal.scope import get_scoped_or_404, holds_right, require_page_right
from portal.selectors.orgs import public_districts

# ————————————————————————————— public —————————————————————————————


def results(request):
    """Published results: stars per community, distribution per district, trend over the years."""
    error = ""
    try:
        filters = selectors.parse_results_filters(
            year=request.GET.get("year"), district=request.GET.get("district")
        )
    except DomainError as exc:
        error = exc.message
        filters = selectors.parse_results_filters(year=None, district=None)
    page = Paginator(selectors.published_results(year=filters.year, district=filters.district), 50).get_page(
        request.GET.get("page")
    )
    district_name = filters.district.name if filters.district else "全市"
    district_code = filters.district.code if filters.district else ""

    # The chart's own text cannot mark a Chinese name on an English page: there it names no district.
    trend_title = f"{district_name}历年星级构成与平均分"
    if not get_language().startswith("zh"):
        trend_title = (
            gettext("历年星级构成与平均分") if filters.district else gettext("全市历年星级构成与平均分")
        )

    def head() -> str:
        distribution = selectors.star_distribution(year=filters.year)
        trend = selectors.star_trend(district=filters.district)
        return render_to_string(
            "evaluations/_results_head.html",
            {
                "totals": selectors.star_totals(
                    [
                        d
                        for d in distribution
                        if filters.district is None or d["code"] == filters.district.code
                    ]
                ),
                "distribution_svg": charts.distribution_svg(
                    distribution, title=gettext("%(year)s年各区社区星级分布") % {"year": filters.year or ""}
                ),
                "trend_svg": charts.trend_svg(trend, title=trend_title),
                "distribution_svg_narrow": charts.distribution_svg(
                    distribution,
                    title=gettext("%(year)s年各区社区星级分布") % {"year": filters.year or ""},
                    narrow=True,
                ),
                "trend_svg_narrow": charts.trend_svg(trend, title=trend_title, narrow=True),
                "distribution": distribution,
                "trend": trend,
                "star_order": charts.STAR_ORDER,
            },
        )

    def rows() -> str:
        return render_to_string(
            "evaluations/_results_rows.html", {"rows": [selectors.result_row(a) for a in page.object_list]}
        )

    # Published results change only with a publication: the rendered parts are cached until then.
    gen, key = selectors.PUBLIC_GENERATION, f"results:{get_language()}:{filters.year}:{district_code}"
    context = {
        "error": _results_error(error),
        "year": filters.year,
        "district": filters.district,
        "years": selectors.published_years(),
        "districts": public_districts(),
        "page": page,
        "head_html": mark_safe(cached(gen, f"{key}:head", head)),
        "rows_html": mark_safe(cached(gen, f"{key}:rows:{page.number}", rows)),
        "rectification_html": mark_safe(
            cached(
                gen,
                f"{key}:rectification-html:{PUBLIC_RECTIFICATION_ROWS}",
                lambda: render_to_string(
                    "evaluations/_results_rectification.html", _public_rectification(filters)
                ),
            )
        ),
    }
    return render(request, "evaluations/results.html", context, status=400 if error else 200)


PUBLIC_RECTIFICATION_ROWS = 50


def _results_error(message: str) -> str:
    """The filter error in the page's language (the selector speaks Chinese, as the API does)."""
    if not message or get_language().startswith("zh"):
        return message
    return gettext("查询条件不正确：年度应为 2000 至 2100 之间的四位数字，区应为列出的区之一（6 位代码）。")


def _public_rectification(filters) -> dict:
    """The rectification list of one district in full; city-wide only its first rows (thousands of communities)."""
    limit = None if filters.district else PUBLIC_RECTIFICATION_ROWS + 1
    rows = selectors.public_rectification_list(year=filters.year, district=filters.district, limit=limit)
    more = limit is not None and len(rows) > PUBLIC_RECTIFICATION_ROWS
    return {"rectification": rows[:PUBLIC_RECTIFICATION_ROWS] if more else rows, "rectification_more": more}


def whitelist(request):
    can_edit = holds_right(request.user, MANAGE_EVALUATIONS)
    entries = selectors.whitelist_entries(include_inactive=can_edit)
    return render(request, "evaluations/whitelist.html", {"entries": entries, "can_edit": can_edit})


# ————————————————————————————— the cycle —————————————————————————————


@login_required
def index(request):
    require_page_right(request.user, WORK_ON_EVALUATIONS, what="评星定级工作台")
    cycle = selectors.current_cycle()
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else (cycle.year if cycle else None)
    stage = request.GET.get("stage", "")
    qs = selectors.assessment_list(user=request.user, year=year, stage=stage)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    years = selectors.cycle_years(user=request.user)
    view_cycle = selectors.cycle_of_year(user=request.user, year=year) if year else None
    report_form = None
    districts = selectors.report_districts(user=request.user)
    if districts.exists():
        report_form = SummaryReportForm(districts=districts, years=selectors.published_years())
    return render(
        request,
        "evaluations/index.html",
        {
            "cycle": view_cycle,
            "year": year,
            "years": years,
            "stage": stage,
            "stages": Stage.choices,
            "page": page,
            "counts": selectors.stage_counts(user=request.user, cycle=view_cycle),
            "is_city_admin": holds_right(request.user, MANAGE_EVALUATIONS),
            "report_form": report_form,
        },
    )


@login_required
def assessment_detail(request, pk: int):
    ctx = selectors.assessment_detail(user=request.user, pk=pk)
    a = ctx["assessment"]
    ctx["evidence_form"] = EvidenceForm(indicators=[r.indicator for d in ctx["sheet"] for r in d.rows])
    ctx["stars_text"] = charts.stars_text(a.stars)
    return render(request, "evaluations/assessment.html", ctx)


@login_required
@require_POST
def assessment_scores(request, pk: int):
    a = get_scoped_or_404(Assessment, request.user, "view", pk=pk)
    try:
        data = ScoresSchema.parse(request.POST, indicators=selectors.assessment_indicators(assessment=a))
        services.assessment_scores_update(actor=request.user, assessment_id=a.pk, data=data)
    except DomainError as exc:
        extra = len(exc.fields) - 1
        messages.error(request, exc.message + (f"（另有 {extra} 处问题）" if extra > 0 else ""))
    else:
        messages.success(request, "得分已保存，变更已记入历史。")
    return redirect("evaluations:assessment", pk=a.pk)


@login_required
@require_POST
def assessment_transition(request, pk: int):
    a = get_scoped_or_404(Assessment, request.user, "view", pk=pk)
    try:
        data = TransitionForm(request.POST).value()
        a = services.assessment_transition(actor=request.user, assessment_id=a.pk, data=data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已办理，当前环节：{a.get_stage_display()}。")
    return redirect("evaluations:assessment", pk=a.pk)


@login_required
@require_POST
def assessment_figures(request, pk: int):
    a = get_scoped_or_404(Assessment, request.user, "view", pk=pk)
    try:
        services.assessment_refresh_figures(actor=request.user, assessment_id=a.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已从平台获取最新数据。")
    return redirect("evaluations:assessment", pk=a.pk)


@login_required
@require_POST
def assessment_evidence(request, pk: int):
    a = get_scoped_or_404(Assessment.objects.select_related("cycle"), request.user, "view", pk=pk)
    form = EvidenceForm(
        request.POST,
        request.FILES,
        indicators=selectors.assessment_indicators(assessment=a),
    )
    if not form.is_valid():
        messages.error(request, "材料未保存：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("evaluations:assessment", pk=a.pk)
    try:
        services.assessment_evidence_add(
            actor=request.user, assessment_id=a.pk, data=form.value(), upload=form.cleaned_data["file"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "佐证材料已添加。")
    return redirect("evaluations:assessment", pk=a.pk)


@login_required
def evidence_download(request, pk: int, evidence_pk: int):
    e = selectors.evidence_for_download(user=request.user, assessment_pk=pk, evidence_pk=evidence_pk)
    return FileResponse(e.file.open("rb"), as_attachment=True, filename=e.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def assessment_pdf(request, pk: int):
    a = get_scoped_or_404(Assessment, request.user, "view", pk=pk)
    try:
        job = services.evaluation_report_request(actor=request.user, kind="sheet", assessment_id=a.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:assessment", pk=a.pk)
    return redirect("portal:job", pk=job.pk)


@login_required
@require_POST
def summary_pdf(request):
    require_page_right(request.user, SUMMARY_REPORTS, what="区评星定级结果汇总")
    try:
        data = SummaryReportSchema.parse(request.POST)
        job = services.evaluation_report_request(
            actor=request.user, kind="summary", district_code=data.district, year=data.year
        )
    except NotFoundError:
        audit_denied(detail="区评星定级结果汇总（范围外）")
        raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:index")
    return redirect("portal:job", pk=job.pk)


@login_required
@require_POST
def cycle_publish(request, pk: int):
    require_page_right(request.user, MANAGE_EVALUATIONS, what="发布评星定级结果")
    cycle = get_scoped_or_404(Cycle, request.user, "change", pk=pk)
    try:
        services.cycle_publish(actor=request.user, cycle_id=cycle.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:index")
    messages.success(request, f"{cycle.year}年度评星定级结果已发布。")
    return redirect(f"/evaluations/results/?year={cycle.year}")


# ————————————————————————————— schemes —————————————————————————————


@login_required
def scheme_list(request):
    require_page_right(request.user, WORK_ON_EVALUATIONS, what="评星定级方案")
    return render(
        request,
        "evaluations/scheme_list.html",
        {
            "schemes": selectors.scheme_list(user=request.user),
            "is_city_admin": holds_right(request.user, MANAGE_EVALUATIONS),
        },
    )


@login_required
def scheme_detail(request, pk: int):
    scheme = get_scoped_or_404(Scheme, request.user, "view", pk=pk)
    cycle = selectors.cycle_of_scheme(user=request.user, scheme=scheme)
    start_form = None
    if holds_right(request.user, MANAGE_EVALUATIONS) and scheme.is_locked and cycle is None:
        start_form = CycleStartForm(request.POST or None)
        if request.method == "POST" and start_form.is_valid():
            try:
                services.cycle_start(actor=request.user, scheme_id=scheme.pk, data=start_form.value())
            except DomainError as exc:
                form_errors_from(start_form, exc, request=request)
            else:
                messages.success(request, f"{scheme.year}年度评星周期已启动，各社区已收到自评待办。")
                return redirect("evaluations:index")
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "evaluations/scheme_detail.html",
        {
            "scheme": scheme,
            "sheet": selectors.scheme_sheet(scheme),
            "rules": scheme.star_rules.order_by("-stars"),
            "cycle": cycle,
            "start_form": start_form,
            "is_city_admin": holds_right(request.user, MANAGE_EVALUATIONS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int | None = None):
    require_page_right(request.user, MANAGE_EVALUATIONS, what="编辑评星定级方案")
    scheme = get_scoped_or_404(Scheme, request.user, "change", pk=pk) if pk else None
    if scheme is not None and scheme.status != SchemeStatus.DRAFT:
        messages.error(request, "方案已发布并锁定，不能修改；请复制为下一年度的新方案。")
        return redirect("evaluations:scheme", pk=scheme.pk)
    if scheme is not None:
        initial = vars(services.scheme_as_input(scheme))
    else:
        initial = {"total_points": 500, "star_rules": DEFAULT_RULES}
    form = SchemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.scheme_save(
                actor=request.user, data=form.value(), scheme_id=scheme.pk if scheme else None
            )
        except DomainError as exc:
            form_errors_from(form, exc, request=request)
            form.scheme_problems = (
                exc.fields.get("scheme", "").split("\n") if exc.fields.get("scheme") else []
            )
        else:
            messages.success(request, "方案已保存（草稿）。")
            return redirect("evaluations:scheme", pk=saved.pk)
    return render(
        request,
        "evaluations/scheme_form.html",
        {"form": form, "scheme": scheme, "problems": getattr(form, "scheme_problems", [])},
    )


@login_required
@require_POST
def scheme_publish(request, pk: int):
    require_page_right(request.user, MANAGE_EVALUATIONS, what="发布评星定级方案")
    scheme = get_scoped_or_404(Scheme, request.user, "change", pk=pk)
    try:
        services.scheme_publish(actor=request.user, scheme_id=scheme.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "方案已发布并锁定。")
    return redirect("evaluations:scheme", pk=scheme.pk)


@login_required
@require_POST
def scheme_copy(request, pk: int):
    require_page_right(request.user, MANAGE_EVALUATIONS, what="复制评星定级方案")
    scheme = get_scoped_or_404(Scheme, request.user, "change", pk=pk)
    try:
        copy = services.scheme_copy(actor=request.user, scheme_id=scheme.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:scheme", pk=scheme.pk)
    messages.success(request, f"已复制为{copy.year}年度方案草稿。")
    return redirect("evaluations:scheme_edit", pk=copy.pk)


# ————————————————————————————— rectification —————————————————————————————


@login_required
def rectification_list(request):
    require_page_right(request.user, WORK_ON_EVALUATIONS, what="治理整顿名单")
    status = request.GET.get("status", "")
    page = Paginator(selectors.rectification_list(user=request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/rectification_list.html",
        {"page": page, "status": status, "statuses": RectificationStatus.choices},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request, pk: int):
    ctx = selectors.rectification_detail(user=request.user, pk=pk)
    r = ctx["r"]
    plan_form = RectificationPlanForm(initial={"plan": r.plan, "deadline": r.deadline})
    follow_form = FollowUpForm()
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "plan":
                plan_form = RectificationPlanForm(request.POST)
                if plan_form.is_valid():
                    services.rectification_plan_save(
                        actor=request.user, rectification_id=r.pk, data=plan_form.value()
                    )
                    messages.success(request, "整改方案已保存。")
                    return redirect("evaluations:rectification", pk=r.pk)
            elif which == "follow":
                follow_form = FollowUpForm(request.POST)
                if follow_form.is_valid():
                    services.rectification_follow_up(
                        actor=request.user, rectification_id=r.pk, data=follow_form.value()
                    )
                    messages.success(request, "跟踪记录已保存。")
                    return redirect("evaluations:rectification", pk=r.pk)
            else:
                messages.error(request, "操作无效。")
        except DomainError as exc:
            form_errors_from(plan_form if which == "plan" else follow_form, exc, request=request)
    ctx.update(plan_form=plan_form, follow_form=follow_form)
    return render(request, "evaluations/rectification_detail.html", ctx)


# ————————————————————————————— whitelist —————————————————————————————


@login_required
@require_http_methods(["GET", "POST"])
def whitelist_edit(request, pk: int | None = None):
    require_page_right(request.user, MANAGE_EVALUATIONS, what="编辑评比创建白名单")
    entry = get_scoped_or_404(AppraisalEntry, request.user, "change", pk=pk) if pk else None
    initial = {"active": True}
    if entry is not None:
        initial = {f: getattr(entry, f) for f in AppraisalEntryForm.base_fields}
    form = AppraisalEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.appraisal_entry_save(
                actor=request.user, data=form.value(), entry_id=entry.pk if entry else None
            )
        except DomainError as exc:
            form_errors_from(form, exc, request=request)
        else:
            messages.success(request, "白名单已保存。")
            return redirect("evaluations:whitelist")
    return render(request, "evaluations/whitelist_form.html", {"form": form, "entry": entry})
