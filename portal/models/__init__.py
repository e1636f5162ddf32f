"""Core models: the org tree, users and roles, audit, notifications, jobs and the task outbox."""

from .accounts import ApiToken, MobileCode, RoleAssignment, User
from .assignments import Assignment, AssignmentGrant, Delegation
from .audit import AuditEntry
from .calendar import CalendarDay
from .jobs import Job, OutboxMessage
from .notifications import Notification
from .org import ApprovalBody, Department, OrgUnit

__all__ = [
    "ApiToken",
    "ApprovalBody",
    "Assignment",
    "AssignmentGrant",
    "AuditEntry",
    "CalendarDay",
    "Delegation",
    "Department",
    "Job",
    "MobileCode",
    "Notification",
    "OrgUnit",
    "OutboxMessage",
    "RoleAssignment",
    "User",
]
