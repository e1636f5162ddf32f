from django.apps import AppConfig


class TaskcheckConfig(AppConfig):
    """The task check: "is this task ours?" — verdicts, refusal notices and the refusal register."""

    name = "taskcheck"
    verbose_name = "任务核查"
