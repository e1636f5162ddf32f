"""Pages of the checklists app: public disclosure of the lists and registers, and the editing pages.

Views are thin: they find the org in the caller's scope (404 outside it), call one selector or service and render.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from checklists import selectors, services
from checklists.choices import CATEGORIES_BY_LIST, ListType
from checklists.excel import checklist_workbook
from checklists.forms import BasisFormSet, ItemForm, LedgerForm, OrganisationForm, PlaqueForm, PublishForm
from checklists.models import EDIT_LISTS, RECORD_PLAQUES, LedgerEntry, OrganisationEntry
from checklists.pdf import page_path
from portal.api.kit import throttle
from portal.audit import audit_denied
from portal.choices import OrgLevel
from portal.errors import DomainError, ThrottledError
from portal.forms import form_errors_from
from portal.models import OrgUnit
from portal.pdf import absolute_url, qr_svg
from portal.scope import guard, require_page_right
from portal.selectors.orgs import public_city, public_districts, public_org

CODE_RE = re.compile(r"^\d{6,12}$")


# ── Finding orgs ───────────────────────────────────────────────────────────────────────────


def _org(code: str, *levels: str) -> OrgUnit:
    """The city, district or community of a public page (the org tree is public)."""
    if not CODE_RE.match(code or ""):
        raise Http404("代码格式不正确。")
    org = public_org(code=code, levels=levels)
    if org is None:
        raise Http404("未找到该社区或区。")
    return org


def _org_for_edit(request, code: str, levels, right: str) -> OrgUnit:
    """The org if the caller holds ``right`` over it (``EDIT_LISTS``, ``RECORD_PLAQUES``), else 404 (and the
    refusal is audited)."""
    if not CODE_RE.match(code or ""):
        raise Http404("代码格式不正确。")
    return guard(OrgUnit, request.user, right, code=code, level__in=list(levels))


# ── Public pages ───────────────────────────────────────────────────────────────────────────


def index(request):
    q = (request.GET.get("q") or "").strip()[:50]
    districts = public_districts()
    city = public_city()
    found = selectors.communities_of(org=city, q=q, limit=100) if (q and city) else []
    return render(request, "checklists/index.html", {"districts": districts, "q": q, "found": found})


def check_redirect(request):
    """The home page links /lists/check/; the task check lives in the taskcheck app."""
    return redirect("/check/")


def _lists_context(request, org, items):
    q = (request.GET.get("q") or "").strip()[:100]
    shown = selectors.search_items(items, q)
    url = absolute_url(page_path(org))
    sources = sorted(
        {(i.source, i.source_name, i.version) for i in items if i.version}, key=lambda s: s[0] != "city"
    )
    return {
        "org": org,
        "q": q,
        "groups": selectors.group_items(shown),
        "summary": selectors.lists_summary(items),
        "shown": len(shown),
        "sources": sources,
        "page_url": url,
        "qr": qr_svg(url, scale=3),
    }


def district_page(request, code: str):
    district = _org(code, OrgLevel.DISTRICT)
    items = selectors.district_checklist(district=district)
    ctx = _lists_context(request, district, items)
    ctx["streets"] = _streets_with_communities(district)
    return render(request, "checklists/district.html", ctx)


def _streets_with_communities(district):
    communities = selectors.communities_of(org=district, limit=2000)
    streets: dict[int, dict] = {}
    for c in communities:
        streets.setdefault(c.parent_id, {"street": c.parent, "communities": []})["communities"].append(c)
    return list(streets.values())


#: Admitted tasks listed on a community's page; beyond, the page says how many more there are (search, the
#: PDF, the Excel export and the API carry all of them).
ADMITTED_ON_PAGE = 50


def _community_parts(items) -> dict:
    """What the community page shows of its lists, rendered once per change of the lists or admissions."""
    admitted = [i for i in items if i.list_type == selectors.ADMITTED]
    shown = [i for i in items if i.list_type != selectors.ADMITTED] + admitted[:ADMITTED_ON_PAGE]
    sources = sorted(
        {(i.source, i.source_name, i.version) for i in items if i.version}, key=lambda s: s[0] != "city"
    )
    return {
        "summary": selectors.lists_summary(items),
        "sources": sources,
        "shown": len(shown),
        "admitted_hidden": len(admitted) - min(len(admitted), ADMITTED_ON_PAGE),
        "items_html": render_to_string(
            "checklists/_items.html", {"groups": selectors.group_items(shown), "q": ""}
        ),
    }


def community_page(request, code: str):
    community = _org(code, OrgLevel.COMMUNITY)
    q = (request.GET.get("q") or "").strip()[:100]
    if q:
        items = selectors.community_checklist(community=community)
        ctx = _lists_context(request, community, items)
    else:
        url = absolute_url(page_path(community))
        parts = selectors.community_checklist_rendered(
            community=community, name="page", render=_community_parts
        )
        ctx = {
            **parts,
            "items_html": mark_safe(parts["items_html"]),  # rendered by the template engine above
            "org": community,
            "q": "",
            "page_url": url,
            "qr": qr_svg(url, scale=3),
        }
    ctx["district_code"] = community.path.split("/")[1]
    return render(request, "checklists/community.html", ctx)


def community_qr(request, code: str):
    """A printable sheet for the notice board: the QR code leads back to the community's page."""
    community = _org(code, OrgLevel.COMMUNITY)
    url = absolute_url(page_path(community))
    return render(
        request, "checklists/qr_sheet.html", {"org": community, "page_url": url, "qr": qr_svg(url, scale=8)}
    )


def _pdf_response(request, org):
    doc = services.document_fresh(org=org)
    if doc is None:
        # Rendering takes seconds: anyone may trigger it, so each address may trigger only a few a minute.
        try:
            throttle(request, scope="checklists_pdf_render", limit=6, window_seconds=60)
        except ThrottledError as exc:
            return HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
        doc = services.document_current(org=org)
    return FileResponse(
        doc.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"{org.name}工作事项清单.pdf",
    )


def district_pdf(request, code: str):
    return _pdf_response(request, _org(code, OrgLevel.DISTRICT))


def community_pdf(request, code: str):
    return _pdf_response(request, _org(code, OrgLevel.COMMUNITY))


def _excel_response(org, items):
    data = checklist_workbook(org=org, items=items, page_url=absolute_url(page_path(org)))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="checklist-{org.code}.xlsx"'
    return response


def district_excel(request, code: str):
    district = _org(code, OrgLevel.DISTRICT)
    return _excel_response(district, selectors.district_checklist(district=district))


def community_excel(request, code: str):
    community = _org(code, OrgLevel.COMMUNITY)
    return _excel_response(community, selectors.community_checklist(community=community))


def negative(request):
    return render(request, "checklists/negative.html", {"items": selectors.negative_list()})


def registers(request, code: str):
    district = _org(code, OrgLevel.DISTRICT)
    return render(
        request,
        "checklists/registers.html",
        {
            "org": district,
            "ledgers": selectors.ledger_catalogue(district=district),
            "organisations": selectors.organisation_register(district=district),
            "standard": selectors.plaque_standard(),
            "plaques": selectors.district_plaque_overview(district=district),
        },
    )


def history(request, code: str):
    org = _org(code, OrgLevel.CITY, OrgLevel.DISTRICT)
    return render(
        request, "checklists/history.html", {"org": org, "versions": selectors.version_history(org=org)}
    )


def version_detail(request, code: str, number: int):
    org = _org(code, OrgLevel.CITY, OrgLevel.DISTRICT)
    version = selectors.published_version(user=request.user, org=org, number=number)
    if version is None:
        raise Http404("未找到该版本。")
    return render(
        request,
        "checklists/version.html",
        {
            "org": org,
            "version": version,
            "items": selectors.version_items(version=version),
        },
    )


# ── Editing the lists ──────────────────────────────────────────────────────────────────────


@login_required
def manage(request):
    orgs = selectors.editable_orgs(user=request.user)
    if not orgs:
        audit_denied(detail="清单维护")
        raise Http404("未找到该页面。")
    return render(request, "checklists/manage.html", {"orgs": orgs})


@login_required
def manage_lists(request, code: str):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    draft, current = selectors.versions_to_edit(user=request.user, org=org)
    shown = draft or current
    pending = (
        services.versions_diff(services._snapshots(current), services._snapshots(draft)) if draft else []
    )
    return render(
        request,
        "checklists/manage_lists.html",
        {
            "org": org,
            "draft": draft,
            "current": current,
            "items": selectors.version_items(version=shown) if shown else [],
            "pending": pending,
            "publish_form": PublishForm(),
        },
    )


def _item_initial(item) -> tuple[dict, list[dict]]:
    data = {
        "list_type": item.list_type,
        "category": item.category,
        "title": item.title,
        "content": item.content,
        "department": item.department,
        "keywords": "、".join(item.keywords or []),
    }
    bases = [{"law": b.law, "article": b.article, "level": b.level} for b in item.bases.all()]
    return data, bases


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, code: str, item_code: str | None = None):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    item = None
    if item_code:
        draft, current = selectors.versions_to_edit(user=request.user, org=org)
        source = draft or current
        item = source.items.prefetch_related("bases").filter(code=item_code).first() if source else None
        if item is None:
            raise Http404("未找到该事项。")
    if request.method == "POST":
        form = ItemForm(request.POST)
        formset = BasisFormSet(request.POST, prefix="bases")
        if form.is_valid() and formset.is_valid():
            try:
                services.item_save(
                    actor=request.user,
                    org=org,
                    code=item.code if item else None,
                    data=form.value(),
                    bases=[f.cleaned_data for f in formset.forms if f.cleaned_data],
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已保存到草稿。发布新版本后对外公开。")
                return redirect("checklists:manage_lists", code=org.code)
    else:
        data, bases = _item_initial(item) if item else ({}, [])
        form = ItemForm(initial=data)
        formset = BasisFormSet(prefix="bases", initial=bases + [{}] * max(2, 3 - len(bases)))
    return render(
        request,
        "checklists/item_form.html",
        {
            "org": org,
            "item": item,
            "form": form,
            "formset": formset,
            "category_groups": {lt.label: [c.label for c in cats] for lt, cats in CATEGORIES_BY_LIST.items()},
            "is_district": org.level == OrgLevel.DISTRICT,
            "list_types": ListType,
        },
    )


@login_required
@require_POST
def item_delete(request, code: str, item_code: str):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    try:
        services.item_delete(actor=request.user, org=org, code=item_code)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已从草稿中删除该事项。")
    return redirect("checklists:manage_lists", code=org.code)


@login_required
@require_POST
def publish(request, code: str):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    form = PublishForm(request.POST)
    try:
        version = services.version_publish(actor=request.user, org=org, data=form.value())
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("checklists:manage_lists", code=org.code)
    messages.success(request, f"已发布第{version.number}版，已通知相关社区。")
    return redirect("checklists:version", code=org.code, number=version.number)


@login_required
@require_POST
def discard(request, code: str):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    try:
        services.draft_discard(actor=request.user, org=org)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已放弃草稿。")
    return redirect("checklists:manage_lists", code=org.code)


# ── Maintaining the registers ──────────────────────────────────────────────────────────────


@login_required
def registers_manage(request, code: str):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    return render(
        request,
        "checklists/registers_manage.html",
        {
            "org": org,
            "ledgers": selectors.ledgers_to_edit(user=request.user, district=org)
            if org.level == OrgLevel.DISTRICT
            else [],
            "organisations": selectors.organisations_to_edit(user=request.user, org=org),
        },
    )


def _register_form(request, *, org, form_class, entry, save, title, fields):
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form.value())
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("checklists:registers_manage", code=org.code)
    else:
        initial = {f: getattr(entry, f) for f in fields} if entry else {}
        if entry is not None and "keywords" in initial:
            initial["keywords"] = "、".join(initial["keywords"] or [])
        form = form_class(initial=initial)
    return render(request, "checklists/register_form.html", {"org": org, "form": form, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def ledger_edit(request, code: str, pk: int | None = None):
    org = _org_for_edit(request, code, (OrgLevel.DISTRICT,), EDIT_LISTS)
    entry = None
    if pk:
        entry = guard(LedgerEntry, request.user, "change", pk=pk, district=org)

    def save(data):
        services.ledger_save(actor=request.user, district=org, pk=pk, data=data)

    return _register_form(
        request,
        org=org,
        form_class=LedgerForm,
        entry=entry,
        save=save,
        title="修改台账" if entry else "新增台账",
        fields=list(LedgerForm.base_fields),
    )


@login_required
@require_POST
def ledger_delete(request, code: str, pk: int):
    org = _org_for_edit(request, code, (OrgLevel.DISTRICT,), EDIT_LISTS)
    try:
        services.ledger_delete(actor=request.user, district=org, pk=pk)
    except DomainError as exc:
        raise Http404(exc.message)
    messages.success(request, "已从台账目录中删除。")
    return redirect("checklists:registers_manage", code=org.code)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, code: str, pk: int | None = None):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    entry = None
    if pk:
        entry = guard(OrganisationEntry, request.user, "change", pk=pk, org=org)

    def save(data):
        services.organisation_save(actor=request.user, org=org, pk=pk, data=data)

    return _register_form(
        request,
        org=org,
        form_class=OrganisationForm,
        entry=entry,
        save=save,
        title="修改组织机构" if entry else "新增组织机构",
        fields=list(OrganisationForm.base_fields),
    )


@login_required
@require_POST
def organisation_delete(request, code: str, pk: int):
    org = _org_for_edit(request, code, (OrgLevel.CITY, OrgLevel.DISTRICT), EDIT_LISTS)
    try:
        services.organisation_delete(actor=request.user, org=org, pk=pk)
    except DomainError as exc:
        raise Http404(exc.message)
    messages.success(request, "已删除。")
    return redirect("checklists:registers_manage", code=org.code)


@login_required
def plaques_home(request):
    """Community staff go straight to their community; officials see the communities of their area."""
    require_page_right(request.user, RECORD_PLAQUES, what="挂牌登记")
    own = selectors.own_plaque_community(user=request.user)
    if own is not None:
        return redirect("checklists:plaques_manage", code=own)
    found = selectors.plaque_communities(
        user=request.user,
        district=request.GET.get("district", ""),
        street=request.GET.get("street", ""),
        q=request.GET.get("q", ""),
    )
    page = Paginator(found.communities, 50).get_page(request.GET.get("page"))
    return render(request, "checklists/plaques_home.html", {"found": found, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def plaques_manage(request, code: str):
    community = _org_for_edit(request, code, (OrgLevel.COMMUNITY,), RECORD_PLAQUES)
    form = PlaqueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plaque_add(actor=request.user, community=community, data=form.value())
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect("checklists:plaques_manage", code=community.code)
    return render(
        request,
        "checklists/plaques_manage.html",
        {
            "org": community,
            "form": form,
            "inventory": selectors.plaque_inventory(community=community),
            "standard": selectors.plaque_standard(),
        },
    )


@login_required
@require_POST
def plaque_delete(request, code: str, pk: int):
    community = _org_for_edit(request, code, (OrgLevel.COMMUNITY,), RECORD_PLAQUES)
    try:
        services.plaque_remove(actor=request.user, community=community, pk=pk)
    except DomainError as exc:
        raise Http404(exc.message)
    messages.success(request, "已删除该挂牌登记。")
    return redirect(reverse("checklists:plaques_manage", args=[community.code]))
