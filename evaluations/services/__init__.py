"""Writes of the star rating: schemes, the cycle's transitions, scores, publication, rectification,
the appraisal whitelist and report jobs. Views, the API and tasks call these; nothing else writes."""

from .appraisal import appraisal_entry_save
from .assessments import (
    EVIDENCE_MAX_BYTES,
    assessment_evidence_add,
    assessment_refresh_figures,
    assessment_scores_update,
    assessment_transition,
    can_edit_scores,
    collect_figures,
)
from .base import users_with_role_over
from .cycles import cycle_publish, cycle_send_reminders, cycle_start
from .rectification import rectification_follow_up, rectification_plan_save
from .reports import evaluation_report_request
from .schemes import (
    VETO_WORDING,
    scheme_as_input,
    scheme_copy,
    scheme_publish,
    scheme_save,
    scheme_validate,
)
from .stars import _recompute, assign_ranks, compute_stars

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "VETO_WORDING",
    "_recompute",
    "appraisal_entry_save",
    "assessment_evidence_add",
    "assessment_refresh_figures",
    "assessment_scores_update",
    "assessment_transition",
    "assign_ranks",
    "can_edit_scores",
    "collect_figures",
    "compute_stars",
    "cycle_publish",
    "cycle_send_reminders",
    "cycle_start",
    "evaluation_report_request",
    "rectification_follow_up",
    "rectification_plan_save",
    "scheme_as_input",
    "scheme_copy",
    "scheme_publish",
    "scheme_save",
    "scheme_validate",
    "users_with_role_over",
]
