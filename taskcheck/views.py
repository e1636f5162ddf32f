"""Pages of the task check: the public check, refusing a task, the refusal register and public verification."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.scope import get_scoped_or_404, require_page_right
from taskcheck import explain, pdf, selectors, services
from taskcheck.choices import VERDICT_CSS, VERDICT_HEADLINE, ComplaintCategory, Verdict
from taskcheck.models import READ_REFUSALS, Refusal

FIELDS = ("title", "description", "department", "admission_no")


def _user(request):
    return request.user if request.user.is_authenticated else None


def _form_context(request, values: dict) -> dict:
    user = _user(request)
    own = selectors.default_community_for(user) if user else None
    community_code = values.get("community") or (own.code if own else "")
    district = selectors.district_for_form(
        requested=request.GET.get("district", ""), community_code=community_code, user=user
    )
    return {
        "values": {**values, "community": community_code},
        "districts": selectors.districts(),
        "district": district,
        "community_options": selectors.community_options_html(
            district_code=district, selected=community_code
        ),
        "own_community": own,
    }


def _message(text: str) -> str:
    """A check_input message in the page's language (the service speaks Chinese, as the API does)."""
    m = re.fullmatch(r"内容过长，最多(\d+)个字。", text or "")
    if m:
        return gettext("内容过长，最多%(n)s个字。") % {"n": m.group(1)}
    return gettext(text) if text else text


def _render_check(request, values: dict, *, result=None, error="", fields=None, status=200):
    ctx = _form_context(request, values)
    fields = {name: _message(text) for name, text in (fields or {}).items()}
    ctx.update({"result": result, "error": _message(error), "fields": fields})
    return render(request, "taskcheck/check.html", ctx, status=status)


def check(request):
    """The public check: describe a task, get a verdict (GET, so that a result can be shared and reloaded)."""
    values = {f: request.GET.get(f, "") for f in ("community", *FIELDS)}
    if "title" not in request.GET or "switch" in request.GET:
        return _render_check(request, values)
    try:
        data = services.check_input(**values)
    except DomainError as exc:
        return _render_check(request, values, error=exc.message, fields=exc.fields)
    verdict = services.task_check(data=data)
    result = {
        "verdict": verdict,
        "css": VERDICT_CSS.get(verdict.verdict, "verdict-warn"),
        "headline": gettext(VERDICT_HEADLINE.get(verdict.verdict, "")),
        "label": gettext(Verdict(verdict.verdict).label)
        if verdict.verdict in Verdict.values
        else verdict.verdict,
        "reason": explain.explain(verdict),
        "clause": explain.clause_text(verdict.clause),
        "community": data.community,
        "can_refuse": verdict.refusable and services.can_refuse_for(_user(request), data.community),
        "complaint_label": gettext(
            ComplaintCategory(services.complaint_category_for(verdict, data.title)).label
        )
        if verdict.refusable
        else "",
        "complaint_category": services.complaint_category_for(verdict, data.title)
        if verdict.refusable
        else "",
    }
    if result["can_refuse"]:
        result["earlier"] = selectors.recent_duplicate_refusal(community=data.community, title=data.title)
    return _render_check(request, values, result=result)


@login_required
@require_POST
def refusal_create(request):
    """One click: record the refusal (checked again) and go to its notice."""
    values = {f: request.POST.get(f, "") for f in ("community", *FIELDS)}
    try:
        data = services.check_input(**values)
        if request.POST.get("confirm_duplicate") != "1" and services.can_refuse_for(
            request.user, data.community
        ):
            earlier = selectors.recent_duplicate_refusal(community=data.community, title=data.title)
            if earlier is not None:  # ask first: the same task was refused here less than a day ago
                return render(
                    request, "taskcheck/refusal_duplicate.html", {"earlier": earlier, "values": values}
                )
        refusal = services.refusal_record(actor=request.user, data=data)
    except DomainError as exc:
        return _render_check(request, values, error=exc.message, fields=exc.fields, status=exc.status)
    messages.success(request, f"已登记拒绝承接（{refusal.notice_no}），可下载拒绝承接告知书。")
    return redirect("taskcheck:refusal", pk=refusal.pk)


@login_required
def refusal_list(request):
    require_page_right(request.user, READ_REFUSALS, what="查看拒绝承接登记")
    q = request.GET.get("q", "").strip()[:100]
    verdict = request.GET.get("verdict", "")
    page = Paginator(selectors.refusals_for_user(user=request.user, q=q, verdict=verdict), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "taskcheck/refusal_list.html",
        {
            "page": page,
            "q": q,
            "verdict": verdict,
            "verdicts": [v for v in Verdict if v in (Verdict.PROHIBITED, Verdict.NOT_ADMITTED)],
        },
    )


@login_required
def refusal_detail(request, pk: int):
    refusal = get_scoped_or_404(Refusal.objects.select_related("community"), request.user, "view", pk=pk)
    return render(
        request,
        "taskcheck/refusal_detail.html",
        {
            "refusal": refusal,
            "css": VERDICT_CSS.get(refusal.verdict, "verdict-warn"),
            "complaint_text": services.complaint_text(refusal),
            "complaint_label": ComplaintCategory(refusal.complaint_category).label,
        },
    )


@login_required
def refusal_pdf(request, pk: int):
    refusal = get_scoped_or_404(Refusal.objects.select_related("community"), request.user, "view", pk=pk)
    response = HttpResponse(pdf.refusal_notice_pdf(refusal=refusal), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, pdf.notice_filename(refusal))
    return response


def verify(request, code: str):
    """Public: anyone holding a refusal notice checks that it was issued here."""
    refusal = selectors.refusal_by_verify_code(code=code)
    if refusal is None:
        raise Http404("未找到该告知书。")
    return render(
        request, "taskcheck/verify.html", {"refusal": refusal, "clause": explain.clause_text(refusal.clause)}
    )


def policy(request):
    """Public page 政策落实对照: every clause of 津民发〔2019〕35号 and what the portal does about it."""
    rows = selectors.policy_rows()
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    if not explain.chinese_page():  # the table's text is the source (docs/policy.md); locale/ translates it
        rows = [
            {
                **row,
                "clause_shown": explain.section_text(row["clause"]),
                "requirement": gettext(row["requirement"]),
                "does": gettext(row["does"]),
                "where": " · ".join(gettext(part) for part in row["where"].split(" · ")),
            }
            for row in rows
        ]
    return render(request, "taskcheck/policy.html", {"rows": rows, "counts": counts})
