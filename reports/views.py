"""Pages of the burden figures: the dashboard with drill-down, the public summaries, the registers and the
reports ordered. Thin: scope and figures come from the selectors, writes from the services."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from portal.caching import cached
from portal.choices import OrgLevel
from portal.errors import DomainError
from portal.exports import xlsx_response
from portal.models import Job
from portal.scope import allows
from portal.selectors.orgs import public_city, public_districts
from reports import selectors, tables
from reports.models import RECORD_BASELINE
from reports.periods import current_quarter, period_parse
from reports.services import JOB_PREFIX, REPORT_KINDS, report_order

REGISTER_PAGE_ROWS = 500


def _period(request):
    value = request.GET.get("period")
    if not value:
        return current_quarter(), None
    try:
        return period_parse(value), None
    except DomainError as exc:
        return current_quarter(), exc.message


def _figures_context(org, period) -> dict:
    current = selectors.burden_figures(org=org, period=period)
    previous = selectors.burden_figures(org=org, period=period.previous())
    return {
        "org": org,
        "period": period,
        "previous_period": period.previous(),
        "figures": current,
        "summary": tables.summary_rows(current, previous),
        "children": tables.child_table(current),
        "months": tables.month_table(current),
        "service_children": tables.service_child_table(current),
        "service_months": tables.service_month_table(current),
        "charts": tables.charts(current, previous),
        "departments": current.departments,
        "child_level": tables.CHILD_LEVEL_NAMES[org.level],
    }


def _figures_part(org, period, *, drill: str) -> dict:
    """The figures part of a page (charts, tables, summary) rendered once per node, period, drill-down address
    and language, and kept until a record the figures count changes (``portal.caching``, the generations of
    :func:`reports.selectors.burden_figures`): ``{"html", "total"}``. It depends on nothing else of the
    request (no user, no form token)."""
    parts = f"figures-html|{org.pk}|{org.path}|{org.level}|{period.code}|{drill}|{get_language()}"

    def render_part() -> dict:
        ctx = _figures_context(org, period)
        ctx["drill"] = drill
        return {"html": render_to_string("reports/_figures.html", ctx), "total": ctx["figures"].total}

    return cached((selectors.FIGURES_GENERATION, selectors.REDIRECTS_GENERATION), parts, render_part)


def _period_options(period) -> str:
    """The ``<option>`` elements of a period select (:func:`_period_choices`, ``period`` selected): they depend on
    nothing but today's quarter and the period, so they are built once per process for each pair."""
    return _period_options_html(current_quarter().code, period.code)


@functools.lru_cache(maxsize=256)
def _period_options_html(today_code: str, code: str) -> str:
    period = period_parse(code)
    options = (
        f'<option value="{escape(c)}"{" selected" if c == period.code else ""}>{escape(label)}</option>'
        for c, label in _period_choices(period, today=period_parse(today_code))
    )
    return mark_safe("".join(options))


def _period_choices(period, *, today=None) -> list[tuple[str, str]]:
    """The last eight quarters, the last two years and the last twelve months around today."""
    from reports.periods import Period

    today = today or current_quarter()
    quarters, q = [], today
    for _ in range(8):
        quarters.append((q.code, q.label))
        q = q.previous()
    years = [(str(today.year - i), f"{today.year - i}年") for i in range(3)]
    months, m = [], Period("month", today.year, (today.number - 1) * 3 + 1)
    for _ in range(12):
        months.append((m.code, m.label))
        m = m.previous()
    choices = quarters + years + months
    if period.code not in {c for c, _ in choices}:
        choices.insert(0, (period.code, period.label))
    return choices


@login_required
def dashboard(request):
    org = selectors.report_scope(user=request.user, code=request.GET.get("org"))
    period, error = _period(request)
    if error:
        messages.error(request, error)
    part = _figures_part(org, period, drill=reverse("reports:dashboard"))
    ctx = {
        "org": org,
        "period": period,
        "previous_period": period.previous(),
        "period_options": _period_options(period),
        "figures_html": mark_safe(part["html"]),  # rendered by us from the template above
        "total": part["total"],
    }
    ctx["crumbs"] = selectors.breadcrumbs(org)
    ctx["kinds"] = [(k, v) for k, v in REPORT_KINDS.items() if k != "stars" or org.level == OrgLevel.DISTRICT]
    ctx["registers"] = selectors.REGISTERS
    ctx["can_record_baseline"] = org.level == OrgLevel.DISTRICT and allows(request.user, RECORD_BASELINE, org)
    ctx["recent"] = list(
        Job.objects.for_user(request.user, "view").filter(kind__startswith=JOB_PREFIX, org=org)[:5]
    )
    return render(request, "reports/dashboard.html", ctx)


@login_required
def export_xlsx(request):
    org = selectors.report_scope(user=request.user, code=request.GET.get("org"))
    period, _ = _period(request)
    current = selectors.burden_figures(org=org, period=period)
    previous = selectors.burden_figures(org=org, period=period.previous())
    return xlsx_response(
        filename=f"减负成效-{org.name}-{period.code}.xlsx", sheets=tables.burden_sheets(current, previous)
    )


@login_required
@require_POST
def order(request):
    try:
        job = report_order(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            org_code=request.POST.get("org", ""),
            period=request.POST.get("period", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("/reports/?" + urlencode({"org": request.POST.get("org", "")[:16]}))
    messages.success(request, "报告已开始生成，完成后可在本页下载。")
    return redirect("portal:job", pk=job.pk)


@login_required
@require_POST
def baseline(request):
    """Record the district's ledger count before the clean-up (where it is missing, or to correct it)."""
    from datetime import date

    from reports.services import ledger_baseline_record

    code = request.POST.get("district", "")
    try:
        count = int(request.POST.get("count", ""))
    except ValueError:
        messages.error(request, "清理前台账数应为整数。")
        return redirect("/reports/?" + urlencode({"org": code[:16]}))
    try:
        as_of = date.fromisoformat(request.POST.get("as_of") or "2019-06-30")
    except ValueError:
        messages.error(request, "基数时点应为 YYYY-MM-DD 格式的日期。")
        return redirect("/reports/?" + urlencode({"org": code[:16]}))
    try:
        ledger_baseline_record(
            actor=request.user,
            district_code=code,
            count=count,
            as_of=as_of,
            source=request.POST.get("source", ""),
        )
        messages.success(request, "已登记清理前台账基数。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("/reports/?" + urlencode({"org": code[:16]}))


@login_required
def report_list(request):
    qs = Job.objects.for_user(request.user, "view").filter(kind__startswith=JOB_PREFIX).select_related("org")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "reports/list.html", {"page": page})


@login_required
def register(request, kind: str):
    if kind not in selectors.REGISTERS:
        from django.http import Http404

        raise Http404
    org = selectors.report_scope(user=request.user, code=request.GET.get("org"))
    period, error = _period(request)
    if error:
        messages.error(request, error)
    if request.GET.get("format") == "xlsx":
        rows = selectors.register_rows(kind=kind, org=org, period=period)
        return xlsx_response(
            filename=f"{selectors.REGISTERS[kind]}-{org.name}-{period.code}.xlsx",
            sheets=[tables.register_sheet(kind=kind, org=org, period=period, rows=rows)],
        )
    cols = selectors.REGISTER_COLUMNS[kind]
    table = _register_part(kind, org, period)
    return render(
        request,
        "reports/register.html",
        {
            "kind": kind,
            "title": selectors.REGISTERS[kind],
            "org": org,
            "period": period,
            "columns": cols,
            "rows_html": mark_safe(table["html"]),  # rendered by us from reports/_register_rows.html
            "truncated": table["truncated"],
            "registers": selectors.REGISTERS,
            "period_options": _period_options(period),
        },
    )


def _register_part(kind: str, org, period) -> dict:
    """The rows of a register page (up to 500 rendered rows) rendered once per register, node, period and
    language, kept until a record they list changes (``portal.caching``: the figures' generation, and
    "admission" for the departments' names): ``{"html", "truncated"}``."""
    parts = f"register-rows|{kind}|{org.pk}|{org.path}|{period.code}|{get_language()}"

    def render_part() -> dict:
        rows = selectors.register_rows(kind=kind, org=org, period=period, limit=REGISTER_PAGE_ROWS + 1)
        cols = selectors.REGISTER_COLUMNS[kind]
        html = render_to_string(
            "reports/_register_rows.html",
            {
                "columns": cols,
                "rows": [[(label, r[key]) for key, label in cols] for r in rows[:REGISTER_PAGE_ROWS]],
            },
        )
        return {"html": html, "truncated": len(rows) > REGISTER_PAGE_ROWS}

    return cached((selectors.FIGURES_GENERATION, "admission"), parts, render_part)


def public_index(request):
    return public(request, code=None)


def public(request, code: str | None):
    city = public_city()
    org = selectors.public_scope(code=code or (city.code if city else ""))
    period, error = _period(request)
    if error:
        messages.error(request, error)
    ctx = {
        "org": org,
        "period": period,
        "previous_period": period.previous(),
        "period_options": _period_options(period),
        "figures_html": mark_safe(_figures_part(org, period, drill="")["html"]),
    }
    ctx["districts"] = public_districts()
    ctx["city"] = city
    return render(request, "reports/public.html", ctx)
