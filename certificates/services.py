"""Write side of certificates: catalogue upkeep, applications, review, issuance, revocation, rendering.

Every transition locks the application row, checks ``choices.WORKFLOW`` and the actor's scope, writes
the timeline and the audit log, and schedules side effects with ``portal.jobs.enqueue`` (on commit).
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from certificates import personal
from certificates.choices import (
    ACTOR_OF,
    MAX_APPLICATIONS_PER_DAY,
    MAX_FILES_PER_APPLICATION,
    MAX_FILES_PER_KIND,
    PLEDGE_TEXT,
    REVIEW_DECISIONS,
    REVIEW_WORKING_DAYS,
    WORKFLOW,
    Action,
    ApplicationStatus,
    AttachmentKind,
)
from certificates.models import (
    ApplicationEvent,
    Attachment,
    BarredCertificate,
    BarredRedirect,
    Certificate,
    CertificateApplication,
    CertificateCounter,
    CertificateType,
    SealUse,
)
from certificates.pdf import render_certificate, seal_name_for
from certificates.schemas import (
    ApplicationInput,
    BarredInput,
    CertificateTypeInput,
    ReviewInput,
    RevokeInput,
    SupplementInput,
)
from portal import context, uploads, workdays
from portal.audit import audit, snapshot
from portal.choices import OrgLevel, Role
from portal.errors import DomainError, PermissionDeniedError, ThrottledError
from portal.jobs import enqueue
from portal.models import OrgUnit, User
from portal.scope import get_scoped_or_404, grants_for, has_role, is_city_admin
from portal.services.notifications import notify, todos_done
from portal.workflow import Workflow

logger = logging.getLogger(__name__)

RENDER_TASK = "certificates.tasks.render_certificate_pdf"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
APP_AUDIT_FIELDS = ["status", "status_reason", "decided_by"]


# --- catalogue and barred list (city admin) -------------------------------------------------------------

TYPE_FIELDS = [
    "code",
    "name",
    "legal_basis",
    "legal_basis_verified",
    "required_materials",
    "eligible_applicants",
    "validity_days",
    "wording_template",
    "notes",
    "active",
    "order",
]
BARRED_FIELDS = ["name", "keywords", "source", "agency", "guidance", "active", "order"]


def certificate_type_save(
    *, actor: User, data: CertificateTypeInput, type_id: int | None = None
) -> CertificateType:
    """Create or change a catalogue entry (city admin). The input was checked by ``CertificateTypeSchema``:
    a type without a legal basis never gets here."""
    if not is_city_admin(actor):
        raise PermissionDeniedError("只有市民政局管理员可以维护证明目录。")
    with transaction.atomic():
        if type_id:
            obj = Workflow.lock(
                CertificateType.objects.for_user(actor, "change"), pk=type_id, not_found="未找到该证明类型。"
            )
            # "Before" is the locked row as stored, read before the input is set on it.
            before = snapshot(obj, TYPE_FIELDS)
        else:
            obj, before = CertificateType(), None
        for f in TYPE_FIELDS:
            setattr(obj, f, getattr(data, f))
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise DomainError("代码或名称与已有证明类型重复。", fields={"code": "已存在。"})
        audit(
            "certificate_type.update" if before else "certificate_type.create",
            obj=obj,
            before=before,
            after=snapshot(obj, TYPE_FIELDS),
        )
    return obj


def barred_save(*, actor: User, data: BarredInput, barred_id: int | None = None) -> BarredCertificate:
    """Create or change an entry of the barred list (city admin). The input was checked by ``BarredSchema``
    (the responsible agency and the guidance are required)."""
    if not is_city_admin(actor):
        raise PermissionDeniedError("只有市民政局管理员可以维护不予出具的证明清单。")
    with transaction.atomic():
        if barred_id:
            obj = Workflow.lock(
                BarredCertificate.objects.for_user(actor, "change"), pk=barred_id, not_found="未找到该条目。"
            )
            before = snapshot(obj, BARRED_FIELDS)
        else:
            obj, before = BarredCertificate(), None
        for f in BARRED_FIELDS:
            setattr(obj, f, getattr(data, f))
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError:
            raise DomainError("该证明名称已在清单中。", fields={"name": "已存在。"})
        audit(
            "barred_certificate.update" if before else "barred_certificate.create",
            obj=obj,
            before=before,
            after=snapshot(obj, BARRED_FIELDS),
        )
    return obj


def barred_redirect_record(
    *, barred: BarredCertificate, query: str, user=None, channel: str = "search", community_code: str = ""
) -> None:
    """Count that a resident asking for a barred certificate was pointed to the responsible agency.

    The redirect is counted for the community the request names (the application's community, or the
    community page the resident searched from, ``community_code``), else for the community the resident
    registered in; with neither it has no community and counts for the city only."""
    authenticated = getattr(user, "is_authenticated", False)
    community_id = (
        OrgUnit.objects.filter(code=(community_code or "").strip()[:32], level=OrgLevel.COMMUNITY)
        .values_list("id", flat=True)
        .first()
        if community_code
        else None
    )
    if community_id is None and authenticated:
        grant = next(iter(grants_for(user, {Role.RESIDENT})), None)
        community_id = grant.org_id if grant else None
    BarredRedirect.objects.create(
        barred=barred,
        query=(query or "")[:200],
        channel=channel,
        user=user if authenticated else None,
        community_id=community_id,
    )


# --- applications -------------------------------------------------------------------------------------


@dataclass
class Upload:
    """One file of a request with the kind the resident said it is."""

    kind: str
    file: object


def _review_deadline(start: datetime.datetime) -> datetime.datetime:
    """17:30 on the last of the review working days (official holidays and make-up days counted)."""
    return workdays.deadline_after(start, REVIEW_WORKING_DAYS)


def _tracking_no() -> str:
    return f"ZM{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"


def _community_staff(community: OrgUnit) -> list[User]:
    return list(
        User.objects.filter(roles__role=Role.COMMUNITY_STAFF, roles__org=community, is_active=True).distinct()
    )


def _event(app: CertificateApplication, *, actor, action: str, from_status: str, comment: str = "") -> None:
    ApplicationEvent.objects.create(
        application=app,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=(getattr(actor, "display_name", "") or "")[:100] if actor else "系统",
        action=action,
        from_status=from_status,
        to_status=app.status,
        comment=comment,
    )


def _detail_url(app: CertificateApplication) -> str:
    return reverse("certificates:application_detail", args=[app.pk])


def _check_files(files: list[Upload], *, required: bool) -> list[uploads.CheckedFile]:
    labels = dict(AttachmentKind.choices)
    if len(files) > MAX_FILES_PER_APPLICATION:
        raise DomainError(
            f"每份申请最多上传 {MAX_FILES_PER_APPLICATION} 个文件，本次上传了 {len(files)} 个。",
            code="too_many_files",
            fields={"files": "文件过多。"},
        )
    counts: dict[str, int] = {}
    for f in files:
        if f.kind not in labels:
            raise DomainError("上传文件的类别不正确。", code="bad_file")
        counts[f.kind] = counts.get(f.kind, 0) + 1
        if counts[f.kind] > MAX_FILES_PER_KIND[f.kind]:
            raise DomainError(
                f"“{labels[f.kind]}”最多上传 {MAX_FILES_PER_KIND[f.kind]} 个文件。",
                code="too_many_files",
                fields={f.kind: "文件过多。"},
            )
    if required:
        # The back may be on the same scan as the front (one PDF): the front and the household register are a must.
        missing = [
            labels[k] for k in (AttachmentKind.ID_FRONT, AttachmentKind.HOUSEHOLD) if not counts.get(k)
        ]
        if missing:
            raise DomainError(
                "请上传：" + "、".join(missing) + "。",
                code="missing_files",
                fields={k: "请上传。" for k in ("id_card", "household_register")},
            )
    elif not files:
        raise DomainError(
            "请至少上传一个补充材料文件。", code="missing_files", fields={"supporting": "请上传。"}
        )
    checked = []
    for i, f in enumerate(files, start=1):
        checked.append(uploads.check_upload(f.file, kind=f.kind, label=f"第{i}个文件（{labels[f.kind]}）"))
    return checked


def _store_all(
    app: CertificateApplication, checked: list[uploads.CheckedFile], round_no: int, written: list[str]
):
    for c in checked:
        name = uploads.store(c)
        written.append(name)
        Attachment.objects.create(
            application=app,
            kind=c.kind,
            original_name=c.original_name,
            stored_name=name,
            content_type=c.content_type,
            size=len(c.content),
            sha256=c.sha256,
            round=round_no,
        )


def barred_match(query: str) -> BarredCertificate | None:
    from certificates.selectors import barred_search

    hits = barred_search(query=query)
    return hits[0] if hits else None


def application_create(*, user: User, data: ApplicationInput, files: list[Upload]) -> CertificateApplication:
    """A resident applies for a certificate. ``ApplicationSchema`` checked the fields; here the type and the
    community are looked up (a barred certificate names its agency) and the files checked, all before anything
    is stored."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.RESIDENT):
        raise PermissionDeniedError("只有已登录的居民可以申请证明。")
    from portal.services.accounts import require_verified_contact

    require_verified_contact(user)
    start_of_day = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    if (
        CertificateApplication.objects.filter(applicant=user, created_at__gte=start_of_day).count()
        >= MAX_APPLICATIONS_PER_DAY
    ):
        raise ThrottledError(
            f"每人每天最多提交 {MAX_APPLICATIONS_PER_DAY} 份证明申请，今天已达上限，请明天再试。"
        )

    type_code, community_code = data.type, data.community
    cert_type = (
        CertificateType.objects.filter(code=type_code, active=True).first()
        or CertificateType.objects.filter(name=type_code, active=True).first()
    )
    if cert_type is None:
        barred = barred_match(type_code) if type_code else None
        if barred is not None:
            barred_redirect_record(
                barred=barred,
                query=type_code,
                user=user,
                channel="application",
                community_code=community_code,
            )
            raise DomainError(
                f"居委会不出具“{barred.name}”。请向{barred.agency}办理：{barred.guidance}",
                code="barred_certificate",
                fields={"type": "居委会不出具此类证明。"},
            )
        raise DomainError(
            "请选择证明目录中的证明类型。", code="unknown_type", fields={"type": "证明类型不存在。"}
        )
    community = OrgUnit.objects.filter(code=community_code, level=OrgLevel.COMMUNITY).first()
    if community is None:
        raise DomainError("请选择有效的社区。", fields={"community": "社区不存在。"})
    if not data.pledge:
        raise DomainError("请阅读并勾选材料真实性承诺。", fields={"pledge": "请阅读并勾选材料真实性承诺。"})
    applicant_name, number, reason, purpose = data.applicant_name, data.id_number, data.reason, data.purpose
    checked = _check_files(files, required=True)

    now = timezone.now()
    written: list[str] = []
    try:
        with transaction.atomic():
            app = CertificateApplication(
                tracking_no=_tracking_no(),
                type=cert_type,
                community=community,
                applicant=user,
                applicant_name=applicant_name,
                id_number_encrypted=personal.encrypt(number),
                id_number_hash=personal.id_number_hash(number),
                id_number_masked=personal.mask_id_number(number),
                reason=reason,
                purpose=purpose,
                pledge_text=PLEDGE_TEXT,
                pledged_at=now,
                pledge_ip=context.current().ip,
                status=ApplicationStatus.SUBMITTED,
                submitted_at=now,
                due_at=_review_deadline(now),
            )
            app.save()
            _store_all(app, checked, 1, written)
            _event(app, actor=user, action=Action.SUBMIT, from_status="")
            audit(
                "certificate_application.submit",
                obj=app,
                after={
                    "status": app.status,
                    "type": cert_type.code,
                    "community": community.code,
                    "id_number": app.id_number_masked,
                    "files": len(checked),
                    "pledged_at": now,
                    "pledge_ip": app.pledge_ip,
                },
            )
            notify(
                users=_community_staff(community),
                kind="certificate_review",
                todo=True,
                deadline=app.due_at,
                title=f"证明申请待审核：{cert_type.name}（{app.holder_name_masked}）",
                url=_detail_url(app),
                source=app,
            )
            notify(
                users=[user],
                kind="certificate_submitted",
                url=_detail_url(app),
                source=app,
                email=False,
                title=f"您的{cert_type.name}申请已提交，受理编号 {app.tracking_no}",
            )
    except BaseException:
        uploads.remove(written)
        raise
    return app


def _load_for(user, application_id, action: str) -> CertificateApplication:
    qs = CertificateApplication.objects.select_for_update(of=("self",)).select_related(
        "type", "community", "applicant"
    )
    return get_scoped_or_404(qs, user, action, pk=application_id)


def _transition(app: CertificateApplication, action: str) -> tuple[str, str]:
    """(old, new) status for ``action`` from the workflow table; 409 when it does not allow it."""
    return app.status, WORKFLOW.check(app, action)


def _certificate_number(community: OrgUnit, year: int) -> tuple[int, str]:
    """Next gap-free serial of the community in the year: the counter row is locked until commit."""
    CertificateCounter.objects.bulk_create(
        [CertificateCounter(community=community, year=year)], ignore_conflicts=True
    )
    counter = CertificateCounter.objects.select_for_update().get(community=community, year=year)
    counter.last_serial = F("last_serial") + 1
    counter.save(update_fields=["last_serial"])
    counter.refresh_from_db(fields=["last_serial"])
    return counter.last_serial, f"{community.code}-{year}-{counter.last_serial:04d}"


def render_wording(template: str, values: dict) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def application_review(*, user: User, application_id: int, data: ReviewInput) -> CertificateApplication:
    """Staff of the application's community decide: approve (issue), reject or need_more (``ReviewSchema``
    requires the reason of those two)."""
    action = REVIEW_DECISIONS[data.decision]
    comment = data.comment
    with transaction.atomic():
        app = _load_for(user, application_id, "review")
        if not has_role(user, Role.COMMUNITY_STAFF) and not user.is_superuser:
            raise PermissionDeniedError("只有本社区工作人员可以审核证明申请。")
        before = snapshot(app, APP_AUDIT_FIELDS)
        old, new = _transition(app, action)
        now = timezone.now()
        app.status, app.status_reason = new, comment
        if action in (Action.APPROVE, Action.REJECT):
            app.decided_at, app.decided_by = now, user
        app.save(update_fields=["status", "status_reason", "decided_at", "decided_by"])
        _event(app, actor=user, action=action, from_status=old, comment=comment)
        audit(
            f"certificate_application.{action}", obj=app, before=before, after=snapshot(app, APP_AUDIT_FIELDS)
        )
        todos_done(source=app, kind="certificate_review")
        url = _detail_url(app)
        if action == Action.APPROVE:
            cert = _issue(app, user=user, now=now)
            notify(
                users=[app.applicant],
                kind="certificate_issued",
                url=url,
                source=app,
                title=f"您的{app.type.name}已出具，证明编号 {cert.number}",
            )
        elif action == Action.REJECT:
            notify(
                users=[app.applicant],
                kind="certificate_rejected",
                url=url,
                source=app,
                title=f"您的{app.type.name}申请不予出具",
                body=f"理由：{comment}",
            )
        else:
            notify(
                users=[app.applicant],
                kind="certificate_need_more",
                url=url,
                source=app,
                todo=True,
                title=f"您的{app.type.name}申请需要补充材料",
                body=comment,
            )
        return app


def _issue(app: CertificateApplication, *, user, now) -> Certificate:
    year = timezone.localtime(now).year
    serial, number = _certificate_number(app.community, year)
    valid_until = (
        timezone.localtime(now).date() + datetime.timedelta(days=app.type.validity_days)
        if app.type.validity_days
        else None
    )
    values = {
        "holder_name": app.applicant_name,
        "id_masked": app.id_number_masked,
        "community": app.community.name,
        "community_full": app.community.full_name,
        "purpose": app.purpose,
        "reason": app.reason,
        "issue_date": f"{timezone.localtime(now):%Y年%m月%d日}",
        "valid_until": f"{valid_until:%Y年%m月%d日}" if valid_until else "长期",
    }
    cert = Certificate.objects.create(
        application=app,
        type=app.type,
        community=app.community,
        year=year,
        serial=serial,
        number=number,
        verify_code=personal.verify_code_new(),
        holder_name_masked=app.holder_name_masked,
        wording=render_wording(app.type.wording_template, values),
        issued_at=now,
        valid_until=valid_until,
        issued_by=user,
    )
    SealUse.objects.create(
        community=app.community,
        certificate=cert,
        seal_name=seal_name_for(app.community),
        document=f"{app.type.name}（{number}）",
        purpose=app.purpose[:200],
        approver=user,
        approver_name=getattr(user, "display_name", str(user)),
        used_at=now,
    )
    audit(
        "certificate.issue",
        obj=cert,
        after={"number": number, "application": app.tracking_no, "seal": seal_name_for(app.community)},
    )
    enqueue(RENDER_TASK, args=[cert.pk])
    return cert


def application_supplement(
    *, user: User, application_id: int, data: SupplementInput, files: list[Upload]
) -> CertificateApplication:
    """The applicant adds the material asked for; the application returns to review."""
    checked = _check_files(files, required=False)
    written: list[str] = []
    try:
        with transaction.atomic():
            app = _load_for(user, application_id, "supplement")
            before = snapshot(app, APP_AUDIT_FIELDS)
            old, new = _transition(app, Action.SUPPLEMENT)
            now = timezone.now()
            round_no = (app.attachments.order_by("-round").values_list("round", flat=True).first() or 1) + 1
            app.status, app.status_reason, app.submitted_at, app.due_at = new, "", now, _review_deadline(now)
            app.save(update_fields=["status", "status_reason", "submitted_at", "due_at"])
            _store_all(app, checked, round_no, written)
            _event(
                app,
                actor=user,
                action=Action.SUPPLEMENT,
                from_status=old,
                comment=data.comment,
            )
            audit(
                "certificate_application.supplement",
                obj=app,
                before=before,
                after={**snapshot(app, APP_AUDIT_FIELDS), "files": len(checked)},
            )
            todos_done(source=app, kind="certificate_need_more")
            notify(
                users=_community_staff(app.community),
                kind="certificate_review",
                todo=True,
                deadline=app.due_at,
                title=f"证明申请已补充材料，待审核：{app.type.name}（{app.holder_name_masked}）",
                url=_detail_url(app),
                source=app,
            )
    except BaseException:
        uploads.remove(written)
        raise
    return app


def application_withdraw(*, user, application_id) -> CertificateApplication:
    with transaction.atomic():
        app = _load_for(user, application_id, "withdraw")
        before = snapshot(app, APP_AUDIT_FIELDS)
        old, new = _transition(app, Action.WITHDRAW)
        app.status = new
        app.save(update_fields=["status"])
        _event(app, actor=user, action=Action.WITHDRAW, from_status=old)
        audit(
            "certificate_application.withdraw", obj=app, before=before, after=snapshot(app, APP_AUDIT_FIELDS)
        )
        todos_done(source=app)
    return app


def certificate_revoke(*, user: User, application_id: int, data: RevokeInput) -> CertificateApplication:
    """Staff of the community revoke an issued certificate; verification says revoked from then on."""
    reason = data.reason
    with transaction.atomic():
        app = _load_for(user, application_id, "revoke")
        if ACTOR_OF[Action.REVOKE] == "staff" and not (
            user.is_superuser or has_role(user, Role.COMMUNITY_STAFF)
        ):
            raise PermissionDeniedError("只有本社区工作人员可以撤销证明。")
        before = snapshot(app, APP_AUDIT_FIELDS)
        old, new = _transition(app, Action.REVOKE)
        cert = Certificate.objects.select_for_update().get(application=app)
        now = timezone.now()
        app.status, app.status_reason = new, reason
        app.save(update_fields=["status", "status_reason"])
        cert.revoked_at, cert.revoked_by, cert.revoke_reason = now, user, reason
        cert.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _event(app, actor=user, action=Action.REVOKE, from_status=old, comment=reason)
        audit(
            "certificate.revoke",
            obj=cert,
            before=before,
            after={**snapshot(app, APP_AUDIT_FIELDS), "reason": reason},
        )
        notify(
            users=[app.applicant],
            kind="certificate_revoked",
            url=_detail_url(app),
            source=app,
            title=f"您的{app.type.name}（{cert.number}）已被撤销",
            body=f"原因：{reason}",
        )
    return app


def application_reveal_id(*, user, application_id) -> str:
    """The full ID number for one staff member, once, audited. Never logged, never sent by the API."""
    with transaction.atomic():
        app = _load_for(user, application_id, "reveal")
        number = personal.decrypt(app.id_number_encrypted)
        audit(
            "certificate_application.reveal_id",
            obj=app,
            detail="查看完整公民身份号码",
            after={"id_number": app.id_number_masked},
        )
    return number


# --- rendering ----------------------------------------------------------------------------------------


def certificate_pdf_relative(cert: Certificate) -> str:
    return f"issued/{cert.year}/{cert.community.code}/{cert.number}.pdf"


def _render_delay() -> float:
    # Test-only: slows a render so that a test can kill the worker in the middle of it.
    return float(
        getattr(settings, "CERTIFICATES_RENDER_DELAY", 0)
        or os.environ.get("JIANFU_CERT_RENDER_DELAY", 0)
        or 0
    )


def certificate_render_bytes(cert: Certificate) -> bytes:
    return render_certificate(cert)


def certificate_render_pdf(*, certificate_id: int) -> bool:
    """Render the certificate's PDF once. Idempotent: a retried or duplicated job finds it done and stops;
    two renders racing write the same single file (deterministic name, atomic replace, row lock)."""
    import hashlib

    cert = (
        Certificate.objects.select_related("community", "type", "application")
        .filter(pk=certificate_id)
        .first()
    )
    if cert is None:
        return False
    if cert.pdf_sha256 and uploads.stored_path(cert.pdf_name).exists():
        return False
    Certificate.objects.filter(pk=cert.pk).update(render_attempts=F("render_attempts") + 1)
    logger.info("certificate %s: render started in pid %s", cert.pk, os.getpid())
    delay = _render_delay()
    if delay:
        time.sleep(delay)
    data = certificate_render_bytes(cert)
    relative = certificate_pdf_relative(cert)
    path = uploads.stored_path(relative)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=cert.pk)
        if locked.pdf_sha256 and path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        locked.pdf_name, locked.pdf_sha256 = relative, hashlib.sha256(data).hexdigest()
        locked.pdf_rendered_at = timezone.now()
        locked.save(update_fields=["pdf_name", "pdf_sha256", "pdf_rendered_at"])
        audit("certificate.pdf_rendered", obj=locked, actor=None, after={"sha256": locked.pdf_sha256})
    logger.info("certificate %s: PDF rendered", cert.pk)
    return True
