"""API endpoints of the certificates app (mounted under /api/v1/ by portal.api.root). Contract: API.md."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from certificates import selectors, services
from certificates.choices import AttachmentKind
from certificates.schemas import ApplicationSchema, ReviewSchema, RevokeSchema
from portal import schemas
from portal.api.kit import AUTH, ERRORS, AuthedRequest, ErrorBody, optional_user, throttle
from portal.errors import DomainError

router = Router(tags=["社区证明"])


class CertificateTypeOut(Schema):
    code: str
    name: str
    legal_basis: str
    legal_basis_verified: bool
    required_materials: list[str]
    eligible_applicants: str
    validity_days: int
    wording_template: str


class BarredOut(Schema):
    name: str
    source: str
    agency: str
    guidance: str


class BarredListOut(Schema):
    count: int
    query: str
    message: str
    results: list[BarredOut]


class CreatedOut(Schema):
    id: int
    tracking_no: str
    status: str


class ReviewIn(schemas.Body):
    input_schema = ReviewSchema


class RevokeIn(schemas.Body):
    input_schema = RevokeSchema


class EventOut(Schema):
    at: str
    action: str
    label: str
    status: str
    comment: str


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    sha256: str
    url: str


class ApplicationOut(Schema):
    id: int
    tracking_no: str
    status: str
    status_label: str
    status_reason: str
    type: str
    type_name: str
    community: str
    community_name: str
    applicant_name: str
    id_number: str
    reason: str
    purpose: str
    pledge_text: str
    pledged_at: str
    submitted_at: str
    due_at: str
    decided_at: str | None
    certificate_no: str | None = None
    verify_code: str | None = None
    verify_url: str | None = None
    pdf_url: str | None = None
    pdf_ready: bool = False
    pdf_sha256: str | None = None
    revoked: bool = False
    attachments: list[AttachmentOut]
    history: list[EventOut]


class VerifyOut(Schema):
    """Public verification: validity and the masked holder name only."""

    valid: bool
    certificate_no: str | None
    type: str | None
    community: str | None
    issued_at: str | None
    holder: str | None
    revoked: bool
    expired: bool = False
    valid_until: str | None = None
    revoked_at: str | None = None


class VerifyMissingOut(VerifyOut):
    error: ErrorBody


def _type_out(t) -> dict:
    return {
        "code": t.code,
        "name": t.name,
        "legal_basis": t.legal_basis,
        "legal_basis_verified": t.legal_basis_verified,
        "required_materials": list(t.required_materials or []),
        "eligible_applicants": t.eligible_applicants,
        "validity_days": t.validity_days,
        "wording_template": t.wording_template,
    }


def application_out(app, *, viewer) -> dict:
    """The application as its resident or its community's staff see it (ID number masked, name in full for
    them — the public verification shows the masked name only)."""
    cert = selectors.application_certificate(app)
    data = {
        "id": app.pk,
        "tracking_no": app.tracking_no,
        "status": app.status,
        "status_label": app.get_status_display(),
        "status_reason": app.status_reason,
        "type": app.type.code,
        "type_name": app.type.name,
        "community": app.community.code,
        "community_name": app.community.name,
        "applicant_name": app.applicant_name,
        "id_number": app.id_number_masked,
        "reason": app.reason,
        "purpose": app.purpose,
        "pledge_text": app.pledge_text,
        "pledged_at": app.pledged_at.isoformat(),
        "submitted_at": app.submitted_at.isoformat(),
        "due_at": app.due_at.isoformat(),
        "decided_at": app.decided_at.isoformat() if app.decided_at else None,
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": reverse("certificates:attachment", args=[app.pk, a.pk]),
            }
            for a in app.attachments.all()
        ],
        "history": [
            {
                "at": e.at.isoformat(),
                "action": e.action,
                "label": e.action_label(),
                "status": e.to_status,
                "comment": e.comment,
            }
            for e in app.events.all()
        ],
    }
    if cert is not None:
        data.update(
            certificate_no=cert.number,
            verify_code=cert.verify_code,
            verify_url=reverse("certificates:verify", args=[cert.verify_code]),
            pdf_url=reverse("api:certificate_pdf", args=[app.pk]),
            pdf_ready=cert.pdf_ready,
            pdf_sha256=cert.pdf_sha256 or None,
            revoked=cert.is_revoked,
        )
    return data


@router.get("/certificate-types", response=list[CertificateTypeOut], summary="居委会可出具的证明目录")
def certificate_types(request: HttpRequest):
    return [_type_out(t) for t in selectors.certificate_types_public()]


@router.get("/certificate-types/barred", response=BarredListOut, summary="居委会不予出具的证明及责任部门")
def certificate_types_barred(request: HttpRequest, q: str = "", community: str = ""):
    q = (q or "")[:100]
    rows = selectors.barred_search(query=q)
    message = ""
    if q and rows:
        top = rows[0]
        services.barred_redirect_record(
            barred=top,
            query=q,
            user=optional_user(request),
            channel="api",
            community_code=(community or "")[:32],
        )
        message = f"居委会不出具“{top.name}”，请向{top.agency}办理。{top.guidance}"
    elif q:
        message = "未找到匹配的不予出具证明。可查看居委会可出具的证明目录。"
    return {
        "count": len(rows),
        "query": q,
        "message": message,
        "results": [
            {"name": r.name, "source": r.get_source_display(), "agency": r.agency, "guidance": r.guidance}
            for r in rows
        ],
    }


@router.post(
    "/certificate-applications",
    auth=AUTH,
    response={201: CreatedOut, **ERRORS, 413: ERRORS[400]},
    summary="居民提交证明申请（multipart）",
)
def application_create(
    request: AuthedRequest,
    type: str = Form(...),
    community: str = Form(...),
    applicant_name: str = Form(...),
    id_number: str = Form(...),
    reason: str = Form(...),
    purpose: str = Form(...),
    pledge: str = Form(""),
    id_card: list[UploadedFile] = File(None),  # noqa: B008
    household_register: list[UploadedFile] = File(None),  # noqa: B008
    supporting: list[UploadedFile] = File(None),  # noqa: B008
):
    files = []
    id_files = list(id_card or [])
    for i, f in enumerate(id_files):
        files.append(services.Upload(AttachmentKind.ID_FRONT if i == 0 else AttachmentKind.ID_BACK, f))
    files += [services.Upload(AttachmentKind.HOUSEHOLD, f) for f in household_register or []]
    files += [services.Upload(AttachmentKind.SUPPORTING, f) for f in supporting or []]
    if len(id_files) > 2:
        raise DomainError(
            "身份证最多上传两个文件（人像面、国徽面）。",
            code="too_many_files",
            fields={"id_card": "文件过多。"},
        )
    data = ApplicationSchema.parse(
        {
            "type": type,
            "community": community,
            "applicant_name": applicant_name,
            "id_number": id_number,
            "reason": reason,
            "purpose": purpose,
            "pledge": pledge,
        }
    )
    app = services.application_create(user=request.auth, data=data, files=files)
    return Status(201, {"id": app.pk, "tracking_no": app.tracking_no, "status": app.status})


@router.get(
    "/certificate-applications/{int:application_id}",
    auth=AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="证明申请详情（本人或本社区工作人员）",
)
def application_detail(request: AuthedRequest, application_id: int):
    app = selectors.application_detail(user=request.auth, pk=application_id)
    return application_out(app, viewer=request.auth)


@router.post(
    "/certificate-applications/{int:application_id}/review",
    auth=AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="社区工作人员审核：approve / reject / need_more",
)
def application_review(request: AuthedRequest, application_id: int, payload: ReviewIn):
    services.application_review(
        user=request.auth, application_id=application_id, data=ReviewSchema.parse(payload)
    )
    app = selectors.application_detail(user=request.auth, pk=application_id)
    return application_out(app, viewer=request.auth)


@router.post(
    "/certificate-applications/{int:application_id}/revoke",
    auth=AUTH,
    response={200: ApplicationOut, **ERRORS},
    summary="撤销已出具的证明（须写明原因）",
)
def certificate_revoke(request: AuthedRequest, application_id: int, payload: RevokeIn):
    services.certificate_revoke(
        user=request.auth, application_id=application_id, data=RevokeSchema.parse(payload)
    )
    app = selectors.application_detail(user=request.auth, pk=application_id)
    return application_out(app, viewer=request.auth)


@router.get(
    "/certificates/verify/{verify_code}",
    response={200: VerifyOut, 404: VerifyMissingOut, 429: ERRORS[429]},
    summary="证明真伪核验（公开）",
)
def certificate_verify(request: HttpRequest, verify_code: str):
    throttle(
        request,
        scope="certificate_verify",
        limit=settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE,
        window_seconds=60,
    )
    result = selectors.verification(code=verify_code[:64])
    found = result.pop("found")
    if not found:
        # Unknown or tampered: not valid. The body carries the error too, for clients expecting one.
        body = dict(result)
        body["error"] = {"code": "not_found", "message": "未找到该证明：核验码无效或已被篡改。", "fields": {}}
        return Status(404, body)
    return Status(200, result)


@router.get(
    "/certificate-applications/{int:app_id}/certificate.pdf",
    auth=AUTH,
    url_name="certificate_pdf",
    response={200: None, **ERRORS},
    summary="已出具证明的 PDF（令牌或登录会话均可）",
)
def certificate_pdf(request: AuthedRequest, app_id: int):
    """The ``pdf_url`` of an application: the same file and scope as the page, fetchable with the API's token."""
    from django.http import FileResponse

    fh, filename = selectors.certificate_pdf_file(user=request.auth, pk=app_id)
    response = FileResponse(fh, as_attachment=True, filename=filename, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
