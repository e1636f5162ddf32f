"""Demo data of supervision: complaints in every state for 河西区, one published criticism whose
rectification closed on time and one whose rectification is overdue and escalated, and a few residents'
appeals (answered, rated, open and overdue). Everything goes through the services, as a user would."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.caching import bump
from portal.models import User
from portal.services import assignments
from supervision import services
from supervision.assignments import VERIFIER_ACTIONS
from supervision.models import Appeal, Complaint, Criticism, Rectification
from supervision.schemas import (
    AcceptInput,
    AnswerInput,
    AppealSchema,
    ComplaintSchema,
    CriticismDecisionInput,
    DeclineInput,
    MergeInput,
    RatingInput,
    RectificationReportInput,
    StatementInput,
    StatementRequestInput,
    VerdictInput,
    VerifyInput,
)

HEALTH = "12010302"  # 河西区卫生健康委员会
URBAN = "12010303"  # 河西区城市管理委员会
STATS = "12010304"  # 河西区统计局
VETERANS = "12010305"  # 河西区退役军人事务局


def _file(actor, *, days_ago: int, **kw) -> Complaint:
    c = services.complaint_file(actor=actor, data=ComplaintSchema.parse(kw))
    Complaint.objects.filter(pk=c.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return c


def _substantiate(
    official, dept_staff, c: Complaint, *, reason: str, requirements: str, summary: str
) -> None:
    services.complaint_accept(
        actor=official, complaint_id=c.pk, data=AcceptInput(comment="属于减负投诉受理范围。")
    )
    services.complaint_request_statement(
        actor=official, complaint_id=c.pk, data=StatementRequestInput(summary=summary)
    )
    services.complaint_statement(
        actor=dept_staff, complaint_id=c.pk, data=StatementInput(text="经核查情况属实，我委将立即纠正。")
    )
    services.complaint_verdict(
        actor=official,
        complaint_id=c.pk,
        data=VerdictInput(substantiated=True, reason=reason, requirements=requirements),
    )


def _publish(official, approver, c: Complaint) -> Criticism:
    cr = Criticism.objects.get(complaint=c)
    services.criticism_submit(actor=official, criticism_id=cr.pk)
    services.criticism_decide(
        actor=approver,
        criticism_id=cr.pk,
        data=CriticismDecisionInput(decision="approve", comment="同意通报。"),
    )
    return cr


def load_demo() -> None:
    if Complaint.objects.exists():
        return
    u = {
        x.username: x
        for x in User.objects.filter(
            username__in=[
                "hexi_official",
                "hexi_approver",
                "hexi_health",
                "community_staff",
                "community_staff2",
                "resident",
                "resident2",
                "street_staff",
            ]
        )
    }
    if len(u) < 8:
        return
    official, approver, health = u["hexi_official"], u["hexi_approver"], u["hexi_health"]
    staff, staff2 = u["community_staff"], u["community_staff2"]
    with transaction.atomic():
        # 1. Closed: substantiated, criticism published, rectification reported and verified on time.
        c = _file(
            staff,
            days_ago=40,
            category="unapproved_task",
            target_department=HEALTH,
            community="120103001001",
            task_title="居民健康档案入户核对",
            description="区卫健委通过工作群要求社区两周内入户核对全部居民健康档案，未出示准入编号，也未提供经费。",
            contact="022-23456789",
        )
        _substantiate(
            official,
            health,
            c,
            reason="区卫健委未经准入向社区下派入户核对健康档案任务，违反准入制度。",
            requirements="撤回入户核对任务，由社区卫生服务中心自行完成，并书面告知相关社区。",
            summary="有社区反映贵委要求社区入户核对居民健康档案，未经准入。请说明情况。",
        )
        _publish(official, approver, c)
        r = Rectification.objects.get(complaint=c)
        services.rectification_report(
            actor=health,
            rectification_id=r.pk,
            data=RectificationReportInput(
                report="已发文撤回该任务，改由社区卫生服务中心完成，已告知各社区。"
            ),
        )
        services.rectification_verify(
            actor=official,
            rectification_id=r.pk,
            data=VerifyInput(decision="accept", comment="经回访社区，任务已撤回。"),
        )

        # 2. Rectifying and overdue: criticism published, deadline passed, escalated by the sweep.
        c = _file(
            staff2,
            days_ago=35,
            category="extra_plaques",
            target_department=URBAN,
            community="120103001002",
            description="区城管委要求社区在服务中心外悬挂“城市管理工作站”牌子，不在挂牌标准之内。",
        )
        services.complaint_accept(actor=official, complaint_id=c.pk)
        services.complaint_verdict(
            actor=official,
            complaint_id=c.pk,
            data=VerdictInput(
                substantiated=True,
                reason="经现场核实，社区服务中心外加挂“城市管理工作站”牌子，超出挂牌标准。",
                requirements="摘除“城市管理工作站”牌子，报送整改情况。",
            ),
        )
        _publish(official, approver, c)
        r = Rectification.objects.get(complaint=c)
        Rectification.objects.filter(pk=r.pk).update(due_date=timezone.localdate() - timedelta(days=6))
        bump("supervision")  # update() sends no signal: what is cached of the rectifications goes
        services._remind_rectification(rect_id=r.pk, today=timezone.localdate())

        # 3. Investigating: the department was asked for a statement.
        c = _file(
            staff,
            days_ago=6,
            category="extra_ledgers",
            target_department=STATS,
            community="120103001001",
            description="区统计局要求社区每月另建“经济普查入户台账”并报送纸质版，该台账不在本区台账目录中。",
        )
        services.complaint_accept(actor=official, complaint_id=c.pk)
        services.complaint_request_statement(
            actor=official,
            complaint_id=c.pk,
            data=StatementRequestInput(summary="有社区反映贵局要求另建入户台账并报送纸质版。请说明依据。"),
        )
        # … and sent the street's official to verify on site (指派核查: a per-object grant of the core).
        assignments.assign(
            actor=official,
            obj=c,
            assignee=u["street_staff"],
            actions=VERIFIER_ACTIONS,
            reason="请到社区现场核实台账要求及报送情况。",
        )
        # 4. Merged: two reports of the same one-vote veto; the second is merged into the first.
        first = _file(
            None,
            days_ago=9,
            category="one_vote_veto",
            target_department=VETERANS,
            community="120103002001",
            description="区退役军人事务局在社区年度考核中设置“双拥工作一票否决”。",
        )
        second = _file(
            None,
            days_ago=8,
            category="one_vote_veto",
            target_department=VETERANS,
            community="120103002001",
            description="考核表中有一票否决条款：双拥工作不达标则社区年度考核不合格。",
        )
        services.complaint_accept(actor=official, complaint_id=first.pk)
        services.complaint_merge(
            actor=official, complaint_id=second.pk, data=MergeInput(into=first.pk, comment="同一考核文件。")
        )
        # 5. Submitted, waiting for acceptance — two alike, offered to the handler for merging.
        for days_ago, text in [
            (2, "区卫健委要求社区为辖区居民出具“无传染病证明”，该证明不在社区可出具的证明目录中。"),
            (1, "卫健委通知要求社区给居民开健康状况证明，社区无权出具。"),
        ]:
            _file(
                None,
                days_ago=days_ago,
                category="demanded_certificate",
                target_department=HEALTH,
                community="120103003001",
                description=text,
            )
        # 6. Declined.
        c = _file(
            staff2,
            days_ago=20,
            category="other",
            target_department="某物业公司",
            community="120103001002",
            description="物业公司要求社区帮忙催缴物业费，社区不愿承担。",
        )
        services.complaint_decline(
            actor=official,
            complaint_id=c.pk,
            data=DeclineInput(reason="物业公司不是政府部门，不属于社区减负投诉范围；可向房管部门反映。"),
        )
        # 7. Unsubstantiated, rated by the complainant.
        c = _file(
            staff,
            days_ago=25,
            category="unapproved_task",
            target_department=HEALTH,
            community="120103001001",
            description="卫健委要求社区组织老年人健康体检宣传，不知道是否经过准入。",
        )
        services.complaint_accept(actor=official, complaint_id=c.pk)
        services.complaint_verdict(
            actor=official,
            complaint_id=c.pk,
            data=VerdictInput(
                substantiated=False,
                reason="老年人健康体检宣传属于依法协助政府工作事项清单中的卫生健康事项，不属于额外下派。",
            ),
        )
        services.complaint_rate(
            tracking_code=c.tracking_code, data=RatingInput(score=4, comment="解释清楚了。")
        )

    # Appeals: answered and rated, answered, open, and overdue (escalated to the street).
    with transaction.atomic():
        if Appeal.objects.exists():
            return
        a = services.appeal_submit(
            actor=u["resident"],
            data=AppealSchema.parse(
                {
                    "category": "facilities",
                    "text": "3号楼单元门禁坏了一周，晚上进出不安全。",
                    "location": "新华南路3号楼",
                }
            ),
        )
        services.appeal_answer(
            actor=staff, appeal_id=a.pk, data=AnswerInput(answer="已联系物业，门禁于今日下午修好。")
        )
        services.appeal_rate(
            actor=u["resident"], appeal_id=a.pk, data=RatingInput(score=5, comment="处理很快，谢谢。")
        )
        a = services.appeal_submit(
            actor=u["resident2"],
            data=AppealSchema.parse({"category": "suggestion", "text": "建议在社区广场增设几把休息座椅。"}),
        )
        services.appeal_answer(
            actor=staff, appeal_id=a.pk, data=AnswerInput(answer="已纳入社区协商议题，下月居民议事会讨论。")
        )
        services.appeal_submit(
            actor=u["resident"],
            data=AppealSchema.parse(
                {"category": "environment", "text": "楼道堆放杂物，存在消防隐患。", "location": "5号楼2门"}
            ),
        )
        a = services.appeal_submit(
            actor=u["resident2"],
            data=AppealSchema.parse(
                {"category": "neighbourhood", "text": "楼上住户夜间噪音扰民，协商未果。"}
            ),
        )
        Appeal.objects.filter(pk=a.pk).update(due_date=timezone.localdate() - timedelta(days=2))
        services.appeal_escalate(appeal_id=a.pk)
