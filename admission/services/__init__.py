"""Write side of admission: every rule of the request's life, one implementation for pages, API and jobs.

Transitions lock the request row (``select_for_update``), check the transition table in ``choices.py`` and the
actor's right, write an immutable history row and the audit log, and schedule side effects on commit."""

from .attachments import attachment_add
from .base import AUDIT_FIELDS, request_url
from .decisions import issuing_body, task_request_decide, task_request_expire, task_request_revoke
from .inputs import resolve_targets
from .numbers import admission_number_next, format_admission_no, parse_admission_no
from .review import (
    consultation_close,
    legal_reviewer_assign,
    legal_reviewer_unassign,
    tally,
    task_request_legal_opinion,
    task_request_opinion,
    task_request_review,
)
from .rights import (
    acting_grant,
    approvers_of,
    decide_grant,
    department_staff_of,
    holds,
    is_own_department,
    review_grant,
    reviewers_of,
)
from .sweep import (
    admission_sweep,
    admissions_expire_due,
    consultations_close_due,
    deadlines_remind_and_escalate,
)
from .task_requests import (
    funding_problems,
    task_request_create,
    task_request_submit,
    task_request_update,
    task_request_withdraw,
)

__all__ = [
    "AUDIT_FIELDS",
    "acting_grant",
    "admission_number_next",
    "admission_sweep",
    "admissions_expire_due",
    "approvers_of",
    "attachment_add",
    "consultation_close",
    "consultations_close_due",
    "deadlines_remind_and_escalate",
    "decide_grant",
    "department_staff_of",
    "format_admission_no",
    "holds",
    "funding_problems",
    "is_own_department",
    "issuing_body",
    "legal_reviewer_assign",
    "legal_reviewer_unassign",
    "parse_admission_no",
    "request_url",
    "resolve_targets",
    "review_grant",
    "reviewers_of",
    "tally",
    "task_request_create",
    "task_request_decide",
    "task_request_expire",
    "task_request_legal_opinion",
    "task_request_opinion",
    "task_request_review",
    "task_request_revoke",
    "task_request_submit",
    "task_request_update",
    "task_request_withdraw",
]
