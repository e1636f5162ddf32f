"""The shipped appraisal whitelist (评比达标、示范创建). The city admin edits it in the portal.

Tianjin allows 10 types of 创建; DOMAIN.md names four of them (文明社区、平安社区、美丽社区、卫生社区). The other six
below are plausible national campaigns aimed at communities, marked ``needs_review`` until the city civil-affairs
bureau confirms them. A document number is given only where it is certain; otherwise the page shows
“文号待核实”.
"""

from __future__ import annotations

from evaluations.choices import AppraisalKind, AuthorityLevel
from portal import history

SEED: list[dict] = [
    dict(
        name="文明社区",
        kind=AppraisalKind.CREATION,
        authority="天津市精神文明建设委员会（市委领导）",
        authority_level=AuthorityLevel.CITY_PARTY,
        document_no="",
        keywords="文明小区、文明社区创建",
        needs_review=False,
    ),
    dict(
        name="平安社区",
        kind=AppraisalKind.CREATION,
        authority="中共天津市委（平安天津建设）",
        authority_level=AuthorityLevel.CITY_PARTY,
        document_no="",
        keywords="平安小区、平安社区创建",
        needs_review=False,
    ),
    dict(
        name="美丽社区",
        kind=AppraisalKind.CREATION,
        authority="中共天津市委、天津市人民政府（美丽天津建设）",
        authority_level=AuthorityLevel.CITY_PARTY,
        document_no="",
        keywords="美丽社区创建",
        needs_review=False,
    ),
    dict(
        name="卫生社区",
        kind=AppraisalKind.CREATION,
        authority="天津市爱国卫生运动委员会（市政府）",
        authority_level=AuthorityLevel.CITY_GOVERNMENT,
        document_no="",
        keywords="卫生先进社区、卫生社区创建",
        needs_review=False,
    ),
    dict(
        name="绿色社区",
        kind=AppraisalKind.CREATION,
        authority="住房和城乡建设部等六部门",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="建城〔2020〕68号",
        document_title="绿色社区创建行动方案",
        keywords="绿色社区创建",
        needs_review=True,
    ),
    dict(
        name="全国综合减灾示范社区",
        kind=AppraisalKind.CREATION,
        authority="国家减灾委员会、应急管理部",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="",
        keywords="综合减灾示范社区、减灾示范社区",
        needs_review=True,
    ),
    dict(
        name="全国民主法治示范村（社区）",
        kind=AppraisalKind.CREATION,
        authority="司法部、民政部",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="",
        keywords="民主法治示范社区、民主法治示范村",
        needs_review=True,
    ),
    dict(
        name="全国示范性老年友好型社区",
        kind=AppraisalKind.CREATION,
        authority="国家卫生健康委员会、全国老龄工作委员会办公室",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="",
        keywords="老年友好型社区",
        needs_review=True,
    ),
    dict(
        name="全国科普示范社区",
        kind=AppraisalKind.CREATION,
        authority="中国科学技术协会、财政部（基层科普行动计划）",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="",
        keywords="科普示范社区",
        needs_review=True,
    ),
    dict(
        name="完整社区",
        kind=AppraisalKind.CREATION,
        authority="住房和城乡建设部",
        authority_level=AuthorityLevel.MINISTRY,
        document_no="",
        keywords="完整社区建设试点、完整社区建设",
        needs_review=True,
    ),
]


def seed_whitelist() -> int:
    """Create the shipped entries that are missing (never overwrites the city admin's edits)."""
    from evaluations.models import AppraisalEntry

    existing = set(AppraisalEntry.objects.values_list("name", flat=True))
    new = [
        AppraisalEntry(order=i, **row) for i, row in enumerate(SEED, start=1) if row["name"] not in existing
    ]
    history.bulk_create(AppraisalEntry, new)
    return len(new)
