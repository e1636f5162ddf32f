from django.apps import AppConfig


def _admission_page(pk: int):
    from django.urls import reverse

    from admission.models import TaskRequest

    no = TaskRequest.objects.filter(pk=pk).values_list("admission_no", flat=True).first()
    return reverse("admission:verify", args=[no]) if no else None


def _admission_lookup(text: str):
    from django.urls import reverse

    from admission.models import TaskRequest

    no = text.strip()
    if "准" in no and TaskRequest.objects.filter(admission_no=no).exists():
        return reverse("admission:verify", args=[no])
    return None


def _missing_notices(cutoff):
    """Reconciliation: approved requests still without their approval notice PDF."""
    from admission.models import TaskRequest

    ids = TaskRequest.objects.filter(
        admission_no__isnull=False, notice_pdf="", approved_at__lte=cutoff
    ).values_list("pk", flat=True)
    return [("admission.tasks.render_notice", [pk]) for pk in ids.order_by("pk")[:200]]


class AdmissionConfig(AppConfig):
    name = "admission"
    verbose_name = "社区工作事项准入"

    def ready(self):
        import admission.assignments  # noqa: F401  (declares the request's assignment rule)
        from admission.models import WORK_ON_REQUESTS
        from portal.dashboard import register_panel
        from portal.jobs import register_reconciler
        from portal.navigation import register_nav
        from portal.scope import ORG_RIGHTS

        register_reconciler("admission.notice", _missing_notices)

        register_nav("事项准入", "admission:list", group="lists", right=WORK_ON_REQUESTS, order=30)
        register_nav("准入核验", "admission:verify_form", group="lists", public=True, order=65)
        from portal.verify import register_verification

        register_verification(
            letter="A", label="社区工作事项准入通知书", target=_admission_page, lookup=_admission_lookup
        )

        def panel_context(request):
            from admission.selectors import dashboard_figures

            return dashboard_figures(user=request.user)

        _cache_invalidation()
        register_panel(
            "admission",
            "社区工作事项准入",
            "admission/_panel.html",
            roles=ORG_RIGHTS[WORK_ON_REQUESTS],  # those who open the request pages
            context=panel_context,
            order=30,
            todo=("awaiting", "admission:inbox", "准入申请待我办理"),
        )


def _cache_invalidation() -> None:
    """Lists, counts, pages, requests and admitted items cached under the generation "admission"
    (``portal.caching``) are dropped whenever a request, its targets, its consultation, its history or
    attachments, a department's or approval body's name or an org (a move changes whose scope a request falls
    in) changes. (The chosen target orgs change with the request, in its transaction: the bump at commit
    covers them.)"""
    from admission.models import Attachment, ConsultationInvite, HistoryEntry, TaskRequest, TaskTarget
    from portal.caching import bump_on_change
    from portal.models import ApprovalBody, Department, OrgUnit

    bump_on_change(
        "admission",
        TaskRequest,
        TaskTarget,
        ConsultationInvite,
        HistoryEntry,
        Attachment,
        Department,
        ApprovalBody,
        OrgUnit,
    )
