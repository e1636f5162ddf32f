from django.apps import AppConfig


def _refusal_page(pk: int):
    from django.urls import reverse

    from taskcheck.models import Refusal

    code = Refusal.objects.filter(pk=pk).values_list("verify_code", flat=True).first()
    return reverse("taskcheck:verify", args=[code]) if code else None


def _refusal_lookup(text: str):
    from django.urls import reverse

    from taskcheck.models import Refusal

    code = text.strip()
    if Refusal.objects.filter(verify_code=code).exists():
        return reverse("taskcheck:verify", args=[code])
    return None


class TaskcheckConfig(AppConfig):
    """The task check: "is this task ours?" — verdicts, refusal notices and the refusal register."""

    name = "taskcheck"
    verbose_name = "任务核查"

    def ready(self) -> None:
        from portal.navigation import register_nav
        from taskcheck.models import READ_REFUSALS
        from taskcheck.rules import register_builtin_rules

        register_builtin_rules()
        from portal.verify import register_verification

        register_verification(
            letter="R", label="拒绝承接告知书", target=_refusal_page, lookup=_refusal_lookup
        )
        register_nav("任务核查", "taskcheck:check", group="lists", public=True, order=20)
        register_nav(
            "拒绝承接登记",
            "taskcheck:refusals",
            group="lists",
            right=READ_REFUSALS,
            order=62,
        )
