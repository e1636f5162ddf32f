"""Vocabularies of the taskcheck app: verdict labels and the complaint categories of API.md."""

from django.db import models

from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED


class Verdict(models.TextChoices):
    ON_LIST = ON_LIST, "清单内事项"
    ADMITTED = ADMITTED, "经准入事项"
    PROHIBITED = PROHIBITED, "禁止下派事项"
    NOT_ADMITTED = NOT_ADMITTED, "未经准入事项"


#: Only these verdicts can be refused.
REFUSABLE = (Verdict.PROHIBITED, Verdict.NOT_ADMITTED)

#: CSS class of each verdict (static/css/portal.css).
VERDICT_CSS = {
    ON_LIST: "verdict-ok",
    ADMITTED: "verdict-ok",
    NOT_ADMITTED: "verdict-warn",
    PROHIBITED: "verdict-bad",
}

VERDICT_HEADLINE = {
    ON_LIST: "属于本社区工作事项清单，应当承接",
    ADMITTED: "已经准入批准，适用于本社区，应当承接",
    PROHIBITED: "禁止要求社区承担，社区有权拒绝",
    NOT_ADMITTED: "不在清单内、未经准入，社区可以拒绝",
}


class ComplaintCategory(models.TextChoices):
    """The complaint categories of API.md (``POST /api/v1/complaints``)."""

    UNAPPROVED_TASK = "unapproved_task", "未经准入下派工作事项"
    UNAUTHORISED_APPRAISAL = "unauthorised_appraisal", "违规评比达标、示范创建"
    ONE_VOTE_VETO = "one_vote_veto", "设置一票否决"
    EXTRA_PLAQUES = "extra_plaques", "违规要求挂牌"
    EXTRA_LEDGERS = "extra_ledgers", "违规要求建立台账、报表"
    DEMANDED_ORGANISATION = "demanded_organisation", "违规要求设立组织机构、场所或专职人员"
    DEMANDED_CERTIFICATE = "demanded_certificate", "违规要求出具证明"
    OTHER = "other", "其他"


RULE_CATEGORY = {
    "plaque": ComplaintCategory.EXTRA_PLAQUES,
    "ledger": ComplaintCategory.EXTRA_LEDGERS,
    "organisation": ComplaintCategory.DEMANDED_ORGANISATION,
    "certificate": ComplaintCategory.DEMANDED_CERTIFICATE,
    "appraisal": ComplaintCategory.UNAUTHORISED_APPRAISAL,
}
