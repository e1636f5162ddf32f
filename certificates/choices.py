"""Vocabularies of the certificates app and the table of allowed workflow transitions."""

from django.db import models

from portal.workflow import Transition, Workflow


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    NEED_MORE = "need_more", "待补充材料"
    ISSUED = "issued", "已出具"
    REJECTED = "rejected", "不予出具"
    REVOKED = "revoked", "已撤销"
    WITHDRAWN = "withdrawn", "已撤回"


class Action(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    APPROVE = "approve", "审核通过并出具"
    REJECT = "reject", "不予出具"
    NEED_MORE = "need_more", "要求补充材料"
    SUPPLEMENT = "supplement", "补充材料"
    WITHDRAW = "withdraw", "撤回申请"
    REVOKE = "revoke", "撤销证明"


#: The workflow of an application: what may follow what, and who takes each step — the applicant or the
#: staff of the application's community. Anything not listed is refused with 409; the page offers only
#: the actions this table allows from the application's status.
APPLICANT, STAFF = "applicant", "staff"
WORKFLOW = Workflow(
    "certificates.application",
    states=ApplicationStatus,
    noun="申请",
    transitions=[
        Transition(
            Action.APPROVE,
            sources=[ApplicationStatus.SUBMITTED],
            target=ApplicationStatus.ISSUED,
            roles=[STAFF],
        ),
        Transition(
            Action.REJECT,
            sources=[ApplicationStatus.SUBMITTED],
            target=ApplicationStatus.REJECTED,
            roles=[STAFF],
            needs_reason=True,
        ),
        Transition(
            Action.NEED_MORE,
            sources=[ApplicationStatus.SUBMITTED],
            target=ApplicationStatus.NEED_MORE,
            roles=[STAFF],
            needs_reason=True,
        ),
        Transition(
            Action.SUPPLEMENT,
            sources=[ApplicationStatus.NEED_MORE],
            target=ApplicationStatus.SUBMITTED,
            roles=[APPLICANT],
        ),
        Transition(
            Action.WITHDRAW,
            sources=[ApplicationStatus.SUBMITTED, ApplicationStatus.NEED_MORE],
            target=ApplicationStatus.WITHDRAWN,
            roles=[APPLICANT],
        ),
        Transition(
            Action.REVOKE,
            sources=[ApplicationStatus.ISSUED],
            target=ApplicationStatus.REVOKED,
            roles=[STAFF],
            needs_reason=True,
        ),
    ],
)

#: Kept for older callers: the table as ``{(status, action): new status}``.
TRANSITIONS: dict[tuple[str, str], str] = WORKFLOW.pairs()

#: Review decisions accepted by the API (``decision`` → action).
REVIEW_DECISIONS = {"approve": Action.APPROVE, "reject": Action.REJECT, "need_more": Action.NEED_MORE}

#: Who performs each action (read from the workflow).
ACTOR_OF = {t.action: next(iter(t.roles)) for t in WORKFLOW.transitions}


class AttachmentKind(models.TextChoices):
    ID_FRONT = "id_front", "身份证人像面"
    ID_BACK = "id_back", "身份证国徽面"
    HOUSEHOLD = "household_register", "户口本"
    SUPPORTING = "supporting", "证明材料"


class BarredSource(models.TextChoices):
    NATIONAL_2020 = "mz2020_20", "民发〔2020〕20号（第一批）"
    TIANJIN_75 = "tj2019_75", "天津市取消和禁入的75项证明"


# Upload rules (per file and per application).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_APPLICATION = 10
MAX_FILES_PER_KIND: dict[str, int] = {
    AttachmentKind.ID_FRONT: 1,
    AttachmentKind.ID_BACK: 1,
    AttachmentKind.HOUSEHOLD: 3,
    AttachmentKind.SUPPORTING: 6,
}
MAX_APPLICATIONS_PER_DAY = 10
REVIEW_WORKING_DAYS = 3

PLEDGE_TEXT = (
    "本人承诺：所填信息和所提交的身份证、户口本及证明材料真实、准确、完整，"
    "如有虚假，本人愿意承担由此产生的一切法律责任。"
)
