"""Pages of the admission app. Thin: read through selectors, write through services, show DomainError messages.

Consistency of refusals: an object outside the user's scope does not exist (404); a page that needs a role the
user does not hold answers 404 too; a visible request on which the user may not perform an action answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from admission import selectors, services
from admission.choices import Action, Status
from admission.forms import (
    DecisionForm,
    FilterForm,
    OpinionForm,
    ReviewForm,
    RevokeForm,
    TaskRequestForm,
    WithdrawForm,
)
from admission.models import REQUEST_ADMISSION, WORK_ON_REQUESTS, TaskRequest
from admission.schemas import LegalOpinionInput, LegalOpinionSchema, TaskRequestInput
from portal.audit import audit, audit_denied
from portal.caching import rendered_page
from portal.errors import DomainError, PermissionDeniedError
from portal.forms import form_errors_from
from portal.scope import get_scoped_or_404, require_page_right
from portal.selectors import assignments as assignment_selectors
from portal.selectors.orgs import public_orgs
from portal.services.assignments import AssignInput, AssignSchema, UnassignInput, UnassignSchema
from supervision.selectors import open_rectifications


@login_required
def request_list(request):
    require_page_right(request.user, WORK_ON_REQUESTS, what="访问准入申请")
    filters = FilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    listing = selectors.request_list(
        user=request.user,
        status=f.get("status") or "",
        department=f.get("department") or "",
        overdue=bool(f.get("overdue")),
        q=f.get("q") or "",
    )
    return render(
        request,
        "admission/list.html",
        {
            "table": rendered_page(listing, request, "admission/_table.html"),
            "filters": filters,
            "title": "准入申请",
            "can_create": selectors.requester_org_id(user=request.user) is not None,
            "awaiting": selectors.awaiting_count(user=request.user),
        },
    )


@login_required
def request_inbox(request):
    require_page_right(request.user, WORK_ON_REQUESTS, what="访问准入申请")
    table = rendered_page(selectors.inbox(user=request.user), request, "admission/_table.html")
    return render(request, "admission/inbox.html", {"table": table})


def _save_attachment(request, req, form) -> bool:
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return True
    try:
        services.attachment_add(actor=request.user, request_id=req.pk, upload=upload)
    except DomainError as exc:
        messages.error(request, f"申请已保存，但附件未上传：{exc.message}")
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    require_page_right(request.user, REQUEST_ADMISSION, what="提出准入申请")
    org_id = selectors.requester_org_id(user=request.user)
    if org_id is None:  # the system administrator holds every right but answers for no department
        audit_denied(detail="提出准入申请")
        raise Http404
    org = public_orgs().get(pk=org_id)
    form = TaskRequestForm(request.POST or None, request.FILES or None, requester_org=org)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.task_request_create(actor=request.user, data=form.value())
        except PermissionDeniedError:
            raise PermissionDenied
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            _save_attachment(request, req, form)
            messages.success(request, "申请草稿已保存。确认无误后请提交。")
            return redirect("admission:detail", pk=req.pk)
    return render(request, "admission/form.html", {"form": form, "title": "新建准入申请"})


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request, pk: int):
    req = get_scoped_or_404(TaskRequest.objects.select_related("requester_org"), request.user, "view", pk=pk)
    if services.acting_grant(request.user, req, "edit") is None:
        raise PermissionDenied
    initial = {f: getattr(req, f) for f in TaskRequestInput.STORED}
    initial["target_orgs"] = [o.code for o in req.target_orgs.all()]
    form = TaskRequestForm(
        request.POST or None, request.FILES or None, initial=initial, requester_org=req.requester_org
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.task_request_update(actor=request.user, request_id=req.pk, data=form.value())
        except PermissionDeniedError:
            raise PermissionDenied
        except DomainError as exc:
            if exc.status == 409:
                messages.error(request, exc.message)
                return redirect("admission:detail", pk=req.pk)
            form_errors_from(form, exc)
        else:
            _save_attachment(request, req, form)
            messages.success(request, "申请已修改。")
            return redirect("admission:detail", pk=req.pk)
    return render(
        request, "admission/form.html", {"form": form, "title": f"修改申请：{req.title}", "req": req}
    )


@login_required
def request_detail(request, pk: int):
    req = selectors.request_detail(user=request.user, pk=pk)
    actions = selectors.user_actions(user=request.user, req=req)
    rectifications = open_rectifications(department_id=req.department_id)
    opinion_form = OpinionForm()
    if len(actions["opinion_orgs"]) >= 1:
        opinion_form.fields["org"].initial = actions["opinion_orgs"][0].code
    return render(
        request,
        "admission/detail.html",
        {
            "req": req,
            "actions": actions,
            "tally": selectors.tally_of(req),
            "history": selectors.history_rows(req),
            "overdue": selectors.is_overdue(req),
            "funding_problems": services.funding_problems(req),
            "opinion_form": opinion_form,
            "review_form": ReviewForm(),
            "decision_form": DecisionForm(),
            "revoke_form": RevokeForm(),
            "withdraw_form": WithdrawForm(),
            "legal_reviewers": assignment_selectors.live_assignments(req),
            "legal_choices": assignment_selectors.candidates(req, actor=request.user)
            if actions.get(Action.REVIEW_PASS)
            else [],
            "legal_opinion_form": LegalOpinionSchema(),
            "open_rectifications": rectifications,
            "open_rectifications_overdue": any(r["overdue"] for r in rectifications),
        },
    )


def _act(request, pk: int, form_class, call, success):
    """Run one action on a visible request; errors become messages, nothing changes.

    ``success`` is the message, or a function of the service's result giving ``(level, message)`` when what
    happened depends on the outcome (a submission refused at once must not read as submitted)."""
    get_scoped_or_404(TaskRequest, request.user, "view", pk=pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        label = next((form.fields[k].label for k in form.errors if k in form.fields), "")
        messages.error(request, f"{label}：{first}" if label else first)
        return redirect("admission:detail", pk=pk)
    try:
        result = call(form.cleaned_data if form is not None else {})
    except PermissionDeniedError:
        raise PermissionDenied
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if callable(success):
            level, text = success(result)
            messages.add_message(request, level, text)
        else:
            messages.success(request, success)
    return redirect("admission:detail", pk=pk)


def _submit_outcome(req) -> tuple[int, str]:
    if req is not None and req.status == Status.REJECTED:
        return messages.ERROR, f"该事项未予准入，申请已办结：{req.status_reason}"
    return messages.SUCCESS, "申请已提交，进入征求意见阶段。"


@login_required
@require_POST
def request_submit(request, pk: int):
    return _act(
        request,
        pk,
        None,
        lambda cd: services.task_request_submit(actor=request.user, request_id=pk),
        _submit_outcome,
    )


@login_required
@require_POST
def request_withdraw(request, pk: int):
    return _act(
        request,
        pk,
        WithdrawForm,
        lambda cd: services.task_request_withdraw(actor=request.user, request_id=pk, comment=cd["comment"]),
        "申请已撤回。",
    )


@login_required
@require_POST
def request_opinion(request, pk: int):
    return _act(
        request,
        pk,
        OpinionForm,
        lambda cd: services.task_request_opinion(
            actor=request.user,
            request_id=pk,
            opinion=cd["opinion"],
            comment=cd["comment"],
            org_code=cd["org"] or None,
        ),
        "意见已提交。",
    )


@login_required
@require_POST
def request_review(request, pk: int):
    return _act(
        request,
        pk,
        ReviewForm,
        lambda cd: services.task_request_review(
            actor=request.user,
            request_id=pk,
            legality=cd["legality"],
            reasonableness=cd["reasonableness"],
            comment=cd["comment"],
            outcome=cd["outcome"] or None,
        ),
        "审查意见已提交。",
    )


@login_required
@require_POST
def legal_reviewer_assign(request, pk: int):
    return _act(
        request,
        pk,
        AssignSchema,
        lambda cd: services.legal_reviewer_assign(actor=request.user, request_id=pk, data=AssignInput(**cd)),
        "已指派合法性审查人。",
    )


@login_required
@require_POST
def legal_reviewer_unassign(request, pk: int):
    return _act(
        request,
        pk,
        UnassignSchema,
        lambda cd: services.legal_reviewer_unassign(
            actor=request.user, request_id=pk, data=UnassignInput(**cd)
        ),
        "已撤销合法性审查人的指派。",
    )


@login_required
@require_POST
def legal_opinion(request, pk: int):
    return _act(
        request,
        pk,
        LegalOpinionSchema,
        lambda cd: services.task_request_legal_opinion(
            actor=request.user, request_id=pk, data=LegalOpinionInput(**cd)
        ),
        "合法性审查意见已提交。",
    )


@login_required
@require_POST
def request_decision(request, pk: int):
    return _act(
        request,
        pk,
        DecisionForm,
        lambda cd: services.task_request_decide(
            actor=request.user,
            request_id=pk,
            decision=cd["decision"],
            comment=cd["comment"],
            valid_until=cd["valid_until"],
        ),
        "审批决定已作出。",
    )


@login_required
@require_POST
def request_revoke(request, pk: int):
    return _act(
        request,
        pk,
        RevokeForm,
        lambda cd: services.task_request_revoke(actor=request.user, request_id=pk, reason=cd["reason"]),
        "准入已撤销。",
    )


@login_required
@require_POST
def attachment_upload(request, pk: int):
    get_scoped_or_404(TaskRequest, request.user, "view", pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件。")
        return redirect("admission:detail", pk=pk)
    return _act(
        request,
        pk,
        None,
        lambda cd: services.attachment_add(actor=request.user, request_id=pk, upload=upload),
        "附件已上传。",
    )


@login_required
def attachment_download(request, pk: int, att_pk: int):
    req = get_scoped_or_404(TaskRequest, request.user, "view", pk=pk)
    att = selectors.request_attachment(request=req, pk=att_pk)
    if att is None:
        raise Http404
    audit("admission.attachment_view", obj=req, detail=att.name)
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


@login_required
def notice_download(request, pk: int):
    req = get_scoped_or_404(TaskRequest, request.user, "view", pk=pk)
    if not req.notice_pdf:
        raise Http404("准入通知书尚未生成。")
    return FileResponse(
        req.notice_pdf.open("rb"),
        as_attachment=False,
        filename=f"准入通知书-{req.admission_no}.pdf",
        content_type="application/pdf",
    )


def verify_form(request):
    no = (request.GET.get("no") or "").strip()[:64]
    if no and "/" not in no:
        return redirect("admission:verify", admission_no=no)
    if no:  # no admission number contains a slash: it cannot be one
        return render(request, "admission/verify.html", {"info": None, "admission_no": no}, status=404)
    return render(request, "admission/verify_form.html")


def verify(request, admission_no: str):
    info = selectors.admission_lookup(admission_no=admission_no)
    return render(
        request,
        "admission/verify.html",
        {"info": info, "admission_no": admission_no[:64]},
        status=200 if info else 404,
    )
