"""我的代理 (休假委托): a staff user names the colleague who acts for them while they are away, and ends it; and
指派给我的: what was assigned to them (or to the colleague they act for)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.forms import form_errors_from
from portal.models.assignments import DELEGATE
from portal.scope import require_page_right
from portal.selectors import assignments as selectors
from portal.services import assignments


@login_required
@require_http_methods(["GET", "POST"])
def delegation_list(request):
    require_page_right(request.user, DELEGATE, what="访问休假委托")
    form = assignments.DelegationSchema(
        request.POST or None, initial={"starts_on": timezone.localdate(), "ends_on": timezone.localdate()}
    )
    if request.method == "POST":
        try:
            data = form.value()
            assignments.delegation_start(
                actor=request.user,
                to_user=data.to_user,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                reason=data.reason,
            )
        except DomainError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, "休假委托已登记。")
            return redirect("portal:delegations")
    return render(
        request,
        "portal/delegations.html",
        {
            "form": form,
            "colleagues": list(selectors.colleagues(request.user)[:200]),
            "delegations": selectors.my_delegations(request.user),
        },
    )


@login_required
@require_POST
def delegation_end(request, pk: int):
    require_page_right(request.user, DELEGATE, what="访问休假委托")
    try:
        assignments.delegation_end(actor=request.user, delegation=pk, reason=request.POST.get("reason", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "休假委托已结束，代理人的权限已收回。")
    return redirect("portal:delegations")


@login_required
def assigned_list(request):
    """指派给我的: the complaints to verify, the requests to review for legality … assigned to the user (or to a
    colleague they act for). Anyone logged in may open it: it lists only their own assignments."""
    return render(request, "portal/assigned.html", {"rows": selectors.assigned_to(request.user)})
