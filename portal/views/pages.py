"""Home, dashboard, inbox, audit log, jobs, staff accounts and org import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal import dashboard, exports
from portal.audit import audit, audit_denied
from portal.choices import Role
from portal.errors import DomainError
from portal.forms import OrgImportForm, StaffCreateForm, form_errors_from
from portal.models import AuditEntry, Job, Notification, User
from portal.models.audit import READ_AUDIT
from portal.models.org import IMPORT_ORGS
from portal.scope import get_scoped_or_404, require_page_right, user_grants
from portal.selectors.accounts import can_manage_accounts, grant_places, grantable_roles
from portal.selectors.notifications import DASHBOARD_TODOS, dashboard_todos
from portal.services import accounts
from portal.services.notifications import notification_mark_read


def home(request):
    from portal.selectors.public import home_figures

    return render(request, "portal/home.html", {"figures": home_figures()})


@login_required
def dashboard_view(request):
    grants = user_grants(request.user)
    roles = {g.role for g in grants}
    panels, work = [], []
    for p in dashboard.panels_for(roles, request.user.is_superuser):
        ctx = p.context(request)
        panels.append({"title": p.title, "template": p.template, "ctx": ctx})
        if p.todo and (ctx.get(p.todo[0]) or 0) > 0:
            from django.urls import reverse

            work.append({"label": p.todo[2], "count": ctx[p.todo[0]], "url": reverse(p.todo[1])})
    todos = dashboard_todos(user=request.user)
    if len(todos) < DASHBOARD_TODOS:  # all of them: the header's to-do count needs no query of its own
        request.jianfu_todo_count = len(todos)
    return render(
        request,
        "portal/dashboard.html",
        {"grants": grants, "panels": panels, "todos": todos, "work": work},
    )


@login_required
def inbox(request):
    qs = Notification.objects.for_user(request.user)
    show = request.GET.get("show", "todo")
    if show == "todo":
        qs = qs.open_todos().order_by("deadline", "-created_at")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page, "show": show})


@login_required
@require_POST
def inbox_open(request, pk: int):
    n = get_scoped_or_404(Notification, request.user, "view", pk=pk)
    notification_mark_read(user=request.user, notification_id=n.pk)
    return redirect(n.url or "portal:inbox")


def _audit_queryset(request):
    qs = AuditEntry.objects.for_user(request.user, "view")
    f = request.GET
    if f.get("action"):
        qs = qs.filter(action__icontains=f["action"][:64])
    if f.get("actor"):
        qs = qs.filter(actor_name__icontains=f["actor"][:100])
    if f.get("result") in AuditEntry.Result.values:
        qs = qs.filter(result=f["result"])
    if f.get("object"):
        qs = qs.filter(object_repr__icontains=f["object"][:100])
    return qs.order_by("-at", "-id")


@login_required
def audit_list(request):
    require_page_right(request.user, READ_AUDIT, what="查看审计日志")
    page = Paginator(_audit_queryset(request), 50).get_page(request.GET.get("page"))
    return render(request, "portal/audit_list.html", {"page": page, "results": AuditEntry.Result.choices})


@login_required
def audit_export(request):
    require_page_right(request.user, READ_AUDIT, what="导出审计日志")
    header = [
        "时间",
        "操作人",
        "角色",
        "动作",
        "对象类型",
        "对象编号",
        "对象",
        "变更前",
        "变更后",
        "地址",
        "结果",
        "说明",
    ]
    rows = (
        [
            e.at.isoformat(),
            e.actor_name,
            e.role,
            e.action,
            e.object_type,
            e.object_id,
            e.object_repr,
            e.before,
            e.after,
            e.ip or "",
            e.get_result_display(),
            e.detail,
        ]
        for e in _audit_queryset(request)[:50000].iterator()
    )
    response = exports.csv_response("audit-log.csv", header, rows)
    audit("audit_export", detail="导出审计日志")
    return response


@login_required
def job_page(request, pk):
    job = get_scoped_or_404(Job, request.user, "view", pk=pk)
    return render(request, "portal/job.html", {"job": job})


@login_required
def job_status(request, pk):
    from portal.api.core import job_out

    return JsonResponse(job_out(get_scoped_or_404(Job, request.user, "view", pk=pk)))


@login_required
def job_download(request, pk):
    job = get_scoped_or_404(Job, request.user, "view", pk=pk)
    if job.status != Job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def staff_accounts(request):
    if not can_manage_accounts(request.user):
        audit_denied(detail="账号管理")
        raise Http404
    users = (
        User.objects.for_user(request.user, "view")
        .filter(roles__role__in=[r for r in Role if r != Role.RESIDENT])
        .distinct()
        .prefetch_related("roles__org", "roles__department")
        .order_by("username")
    )
    grantable = grantable_roles(request.user)
    orgs, departments = grant_places(request.user)
    form = StaffCreateForm(request.POST or None)
    form.fields["role"].choices = [(r.value, r.label) for r in Role if r in grantable]
    form.fields["org"].choices = [(o.code, f"{o.code} {o.name}") for o in orgs]
    form.fields["department"].choices = [("", "—")] + [(d.code, d.name) for d in departments]
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            accounts.staff_create(
                granter=request.user,
                username=cd["username"],
                real_name=cd["real_name"],
                password=cd["password"],
                role=cd["role"],
                # the form offers only the places inside the granter's scope (grant_places)
                org={o.code: o for o in orgs}[cd["org"]],
                department={d.code: d for d in departments}.get(cd["department"])
                if cd["department"]
                else None,
                email=cd["email"],
            )
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已创建账号 {cd['username']}。")
            return redirect("portal:staff_accounts")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "portal/staff_accounts.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def org_import_view(request):
    require_page_right(request.user, IMPORT_ORGS, what="导入组织树")
    from portal.services.org_import import org_import

    form = OrgImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = org_import(actor=request.user, file_name=upload.name, data=upload.read())
        except DomainError as exc:
            errors = exc.fields.get("rows", exc.message).split("\n")
        else:
            messages.success(request, f"导入完成：新增 {result.created} 个，更新 {result.updated} 个。")
            return redirect("portal:org_import")
    return render(request, "portal/org_import.html", {"form": form, "errors": errors})
