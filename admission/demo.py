"""Demo requests for 河西区 in various states, one of them approved for 新华南路社区 (120103001001).

Built directly (not through the submission checks) so the demo does not depend on the task check's rule set;
history rows and the number counter are written as the services would.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from admission.assignments import LEGAL_REVIEWER_ACTIONS
from admission.choices import Action, Opinion, Status
from admission.models import ConsultationInvite, HistoryEntry, TaskRequest, TaskTarget
from admission.services import admission_number_next, issuing_body
from portal import workdays
from portal.choices import OrgLevel, Role
from portal.models import Department, OrgUnit, User
from portal.services import assignments

DEMO_MARK = "【演示】"


def _make(
    *,
    title,
    description,
    department,
    creator,
    targets,
    status,
    funding=Decimal("2000"),
    days_ahead=60,
    purchase=False,
):
    today = timezone.localdate()
    org = department.org
    req = TaskRequest.objects.create(
        title=title,
        description=description,
        department=department,
        requester_org=org,
        created_by=creator,
        status=Status.DRAFT,
        start_date=today + timedelta(days=days_ahead),
        end_date=today + timedelta(days=days_ahead + 365),
        workload_hours_per_month=Decimal("4"),
        funding_amount=None if purchase else funding,
        funding_source="" if purchase else "区级财政专项资金",
        working_conditions="提供移动终端和业务系统账号，组织一次集中培训。",
        purchase_service=purchase,
        service_provider="天津市河西区社会工作服务中心" if purchase else "",
        service_budget=Decimal("180000") if purchase else None,
    )
    req.target_orgs.set(targets)
    communities = list(
        OrgUnit.objects.filter(
            level=OrgLevel.COMMUNITY, parent__in=[t for t in targets if t.level == OrgLevel.STREET]
        )
    ) + [t for t in targets if t.level == OrgLevel.COMMUNITY]
    TaskTarget.objects.bulk_create([TaskTarget(request=req, community=c) for c in communities])
    if req.funding_amount:
        req.funding_total = req.funding_amount * len(communities)
    HistoryEntry.record(
        req,
        actor=creator,
        role=Role.DEPARTMENT_STAFF,
        org_name=department.name,
        action=Action.CREATE,
        from_state="",
        to_state=Status.DRAFT,
    )
    if status != Status.DRAFT:
        req.submitted_at = timezone.now() - timedelta(days=3)
        req.consultation_due = workdays.add_workdays(today, 2)
        req.decide_by = workdays.add_workdays(today, 12)
        req.stage_due = req.consultation_due
        HistoryEntry.record(
            req,
            actor=creator,
            role=Role.DEPARTMENT_STAFF,
            org_name=department.name,
            action=Action.SUBMIT,
            from_state=Status.DRAFT,
            to_state=Status.CONSULTATION,
        )
        streets = {c.parent_id for c in communities}
        ConsultationInvite.objects.bulk_create(
            [ConsultationInvite(request=req, org_id=s) for s in streets]
            + [ConsultationInvite(request=req, org=c) for c in communities]
        )
    req.status = status
    req.save()
    return req, communities


def _answer_all(req, status_after):
    now = timezone.now()
    ConsultationInvite.objects.filter(request=req).update(
        opinion=Opinion.AGREE, comment="同意，经费和条件已明确。", answered_at=now
    )
    HistoryEntry.record(
        req,
        actor=None,
        role="system",
        action=Action.CLOSE_CONSULTATION,
        from_state=Status.CONSULTATION,
        to_state=Status.REVIEW,
        comment="全部单位已反馈：均同意。",
    )


def load_demo() -> None:
    if TaskRequest.objects.filter(title__startswith=DEMO_MARK).exists():
        return
    health = Department.objects.filter(code="12010302").first()
    stats_city = Department.objects.filter(code="12000002").first()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["hexi_health", "hexi_official", "hexi_approver", "city_stats", "hexi_justice"]
        )
    }
    if health is None or "hexi_health" not in users:
        return
    street = OrgUnit.objects.get(code="120103001000")
    street2 = OrgUnit.objects.get(code="120103002000")
    community = OrgUnit.objects.get(code="120103001001")
    creator, official, approver = users["hexi_health"], users["hexi_official"], users["hexi_approver"]

    # 1. Approved (first, so that its id is stable for the bench).
    req, _ = _make(
        title=f"{DEMO_MARK}社区65岁以上老年人健康随访信息核对",
        department=health,
        creator=creator,
        description="每季度协助核对辖区65岁以上老年人家庭医生签约和健康随访信息，反馈联系方式变更情况。",
        targets=[street],
        status=Status.DECISION,
    )
    _answer_all(req, Status.REVIEW)
    now = timezone.now()
    req.review_legality = req.review_reasonableness = "pass"
    req.review_comment = "依据明确，经费和工作条件已落实。"
    req.reviewed_by, req.reviewed_at = official, now
    HistoryEntry.record(
        req,
        actor=official,
        role=Role.DISTRICT_OFFICIAL,
        org_name="河西区",
        action=Action.REVIEW_PASS,
        from_state=Status.REVIEW,
        to_state=Status.DECISION,
        comment="合法性：通过；合理性：通过。依据明确，经费和工作条件已落实。",
    )
    body = issuing_body(req)
    req.approval_body = body
    req.admission_no = admission_number_next(body=body, year=timezone.localdate().year)
    req.approved_at, req.decided_by, req.decided_at = now, approver, now
    req.valid_until, req.stage_due, req.status = req.end_date, None, Status.APPROVED
    req.save()
    HistoryEntry.record(
        req,
        actor=approver,
        role=Role.DISTRICT_APPROVER,
        org_name="河西区",
        action=Action.APPROVE,
        from_state=Status.DECISION,
        to_state=Status.APPROVED,
        comment=f"准入编号 {req.admission_no}，有效期至 {req.valid_until}。",
    )
    from portal.jobs import enqueue

    enqueue("admission.tasks.render_notice", args=[req.pk])

    # 2. In consultation, the street has answered.
    req, _ = _make(
        title=f"{DEMO_MARK}居民慢性病用药需求摸底",
        department=health,
        creator=creator,
        description="协助社区卫生服务中心摸底慢性病患者常用药需求。",
        targets=[community],
        status=Status.CONSULTATION,
    )
    ConsultationInvite.objects.filter(request=req, org=street).update(
        opinion=Opinion.AGREE, comment="同意。", answered_at=timezone.now()
    )
    # 3. Waiting for the review.
    req, _ = _make(
        title=f"{DEMO_MARK}社区心理健康服务站点信息登记",
        department=health,
        creator=creator,
        description="由社会组织承接心理健康服务，社区协助登记服务站点信息。",
        targets=[street2],
        status=Status.REVIEW,
        purchase=True,
    )
    _answer_all(req, Status.REVIEW)
    req.stage_due = workdays.add_workdays(timezone.localdate(), 3)
    req.save(update_fields=["stage_due"])
    # … for which the district bureau named a lawyer of the 司法局 its legal reviewer (合法性审查人: a per-object
    # grant of the core, through the same service as the page).
    if "hexi_justice" in users:
        assignments.assign(
            actor=official,
            obj=req,
            assignee=users["hexi_justice"],
            actions=LEGAL_REVIEWER_ACTIONS,
            reason="请就委托社会组织承接服务、社区协助登记的合法性提出意见。",
        )
    # 4. Draft.
    _make(
        title=f"{DEMO_MARK}家庭医生签约宣传入户",
        department=health,
        creator=creator,
        description="协助发放家庭医生签约宣传材料。",
        targets=[community],
        status=Status.DRAFT,
    )
    # 5. A city department's request awaiting the city bureau's review.
    if stats_city and "city_stats" in users:
        req, _ = _make(
            title=f"{DEMO_MARK}住户收支调查样本户联络",
            department=stats_city,
            creator=users["city_stats"],
            description="协助联络住户收支调查样本户，不承担调查登记工作。",
            targets=[street],
            status=Status.REVIEW,
            funding=Decimal("1500"),
        )
        _answer_all(req, Status.REVIEW)
        req.stage_due = workdays.add_workdays(timezone.localdate(), 4)
        req.save(update_fields=["stage_due"])
