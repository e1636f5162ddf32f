"""Write side of the checklists app: editing and publishing list versions, documents, and the registers.

Every function is keyword-only, checks the actor's right itself (views check scope first, for the 404), validates
input with a clear Chinese :class:`DomainError`, changes state in one transaction and writes the audit log.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from checklists.choices import (
    LIST_TYPE_PREFIX,
    VERSION_WORKFLOW,
    LegalLevel,
    PlaqueKind,
    VersionAction,
    VersionStatus,
)
from checklists.models import (
    EDIT_LISTS,
    RECORD_PLAQUES,
    LedgerEntry,
    LegalBasis,
    ListDocument,
    ListItem,
    ListVersion,
    OrganisationEntry,
    PlaqueRecord,
)
from checklists.schemas import ItemInput, LedgerInput, OrganisationInput, PlaqueInput, PublishInput
from portal import history
from portal.audit import audit
from portal.choices import OrgLevel, Role
from portal.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from portal.jobs import enqueue
from portal.models import OrgUnit, User
from portal.scope import allows, require_right

ITEM_FIELDS = ["list_type", "category", "title", "content", "department", "keywords"]
MAX_BASES = 8


# ── Rights ─────────────────────────────────────────────────────────────────────────────────


def can_edit_lists(*, user, org) -> bool:
    """The city admin edits the city base lists; a district's official (or the city admin) its additions —
    the right ``EDIT_LISTS`` over the org node, read through the scope mechanism."""
    if org is None or org.level not in (OrgLevel.CITY, OrgLevel.DISTRICT):
        return False
    return allows(user, EDIT_LISTS, org)


def _require_editor(actor, org) -> None:
    if not can_edit_lists(user=actor, org=org):
        raise PermissionDeniedError(
            "您无权修改该清单：市级基础清单由市民政局维护，区级增补事项由本区民政局维护。"
        )


# ── Legal bases ──────────────────────────────────────────────────────────────────────────────
# (the other fields of every input are checked by the schemas of ``checklists.schemas``)


def clean_bases(bases) -> list[dict]:
    """Validate the legal bases of an item: at least one, each with law, article and a known level."""
    out = []
    for b in bases or []:
        law = (b.get("law") or "").strip().strip("《》")
        article = (b.get("article") or "").strip()
        level = (b.get("level") or "").strip()
        if not (law or article):
            continue
        if not law or not article:
            raise DomainError(
                "每条法律依据都要写明法律法规名称和具体条款。",
                fields={"bases": "请写明名称和条款（如“第三条第四款”）。"},
            )
        if len(law) > 200 or len(article) > 100:
            raise DomainError(
                "法律依据名称或条款过长。", fields={"bases": "名称不超过200字，条款不超过100字。"}
            )
        if level not in LegalLevel.values:
            raise DomainError(
                "请选择法律依据的效力层级（法律、行政法规、地方性法规、规章等）。",
                fields={"bases": "请选择效力层级。"},
            )
        if not re.search(r"第.+[条项款]|[一二三四五六七八九十]+（", article):
            raise DomainError(
                "条款应写明具体条文，如“第三条第四款”。",
                fields={"bases": "条款应写明具体条文，如“第三条第四款”。"},
            )
        out.append({"law": law, "article": article, "level": level})
    if not out:
        raise DomainError(
            "每个事项至少要有一条法律依据（法律、法规或规章的名称和条款）。",
            fields={"bases": "至少填写一条法律依据。"},
        )
    if len(out) > MAX_BASES:
        raise DomainError(f"法律依据最多{MAX_BASES}条。", fields={"bases": f"最多{MAX_BASES}条。"})
    return out


def _item_snapshot(item: ListItem) -> dict:
    return {
        "code": item.code,
        "list_type": item.list_type,
        "category": item.category,
        "title": item.title,
        "content": item.content,
        "department": item.department,
        "keywords": list(item.keywords or []),
        "bases": [f"{b.law}|{b.article}|{b.level}" for b in item.bases.all()],
    }


# ── Drafts and versions ────────────────────────────────────────────────────────────────────


def _latest_published(org) -> ListVersion | None:
    return ListVersion.objects.filter(org=org, status=VersionStatus.PUBLISHED).order_by("-number").first()


def _copy_items(source: ListVersion, target: ListVersion) -> None:
    items = list(source.items.prefetch_related("bases"))
    new_items = history.bulk_create(
        ListItem,
        [
            ListItem(
                version=target,
                code=i.code,
                list_type=i.list_type,
                category=i.category,
                position=i.position,
                title=i.title,
                content=i.content,
                department=i.department,
                keywords=list(i.keywords or []),
            )
            for i in items
        ],
    )
    by_code = {i.code: i for i in new_items}
    if any(i.pk is None for i in new_items):  # backends without RETURNING ids
        by_code = {i.code: i for i in ListItem.objects.filter(version=target)}
    history.bulk_create(
        LegalBasis,
        [
            LegalBasis(item=by_code[i.code], law=b.law, article=b.article, level=b.level, position=b.position)
            for i in items
            for b in i.bases.all()
        ],
    )


def draft_open(*, actor, org) -> ListVersion:
    """The org's draft, created from the latest published version when there is none."""
    _require_editor(actor, org)
    with transaction.atomic():
        draft = ListVersion.objects.select_for_update().filter(org=org, status=VersionStatus.DRAFT).first()
        if draft is not None:
            return draft
        draft = ListVersion.objects.create(org=org, status=VersionStatus.DRAFT, created_by=actor)
        base = _latest_published(org)
        if base is not None:
            _copy_items(base, draft)
        audit(
            "checklists.draft_open",
            obj=draft,
            actor=actor,
            after={"org": org.code, "from_version": base.number if base else None},
        )
        return draft


def _next_code(org, draft: ListVersion, list_type: str) -> str:
    prefix = LIST_TYPE_PREFIX[list_type]
    if org.level == OrgLevel.DISTRICT:
        prefix = f"{org.code}-{prefix}"
    used = set(ListItem.objects.filter(version__org=org).values_list("code", flat=True))
    n = 1
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    for code in used:
        m = pattern.match(code)
        if m:
            n = max(n, int(m.group(1)) + 1)
    return f"{prefix}-{n}"


def item_save(
    *,
    actor: User,
    org: OrgUnit,
    code: str | None = None,
    data: ItemInput,
    bases=None,
) -> ListItem:
    """Add an item to the org's draft (``code`` None) or change one. Every item needs a legal basis."""
    _require_editor(actor, org)
    list_type, category, title = data.list_type, data.category, data.title
    clean = clean_bases(bases)
    with transaction.atomic():
        draft = draft_open(actor=actor, org=org)
        draft = ListVersion.objects.select_for_update().get(pk=draft.pk)
        if ListItem.objects.filter(version=draft, title=title).exclude(code=code or "").exists():
            raise DomainError("草稿中已有同名事项。", fields={"title": "已有同名事项。"})
        if code:
            item = ListItem.objects.filter(version=draft, code=code).first()
            if item is None:
                raise NotFoundError("未找到该事项。")
            before = _item_snapshot(item)
            if item.list_type != list_type:
                raise DomainError(
                    "不能修改已有事项的清单类型；请删除后在另一清单中新增。",
                    fields={"list_type": "不能修改。"},
                )
        else:
            item = ListItem(version=draft, code=_next_code(org, draft, list_type), list_type=list_type)
            before = None
            item.position = (
                ListItem.objects.filter(version=draft).aggregate(m=Max("position"))["m"] or 0
            ) + 1
        item.category, item.title, item.content = category, title, data.content
        item.department, item.keywords = data.department, data.keywords
        item.save()
        item.bases.all().delete()
        history.bulk_create(LegalBasis, [LegalBasis(item=item, position=i, **b) for i, b in enumerate(clean)])
        after = _item_snapshot(item)
        audit(
            "checklists.item_change" if before else "checklists.item_add",
            obj=item,
            actor=actor,
            before=before,
            after=after,
        )
        return item


def item_delete(*, actor, org, code: str) -> None:
    """Remove an item from the org's draft."""
    _require_editor(actor, org)
    with transaction.atomic():
        draft = draft_open(actor=actor, org=org)
        item = ListItem.objects.select_for_update().filter(version=draft, code=code).first()
        if item is None:
            raise NotFoundError("未找到该事项。")
        before = _item_snapshot(item)
        audit("checklists.item_remove", obj=item, actor=actor, before=before)
        item.delete()


def draft_discard(*, actor, org) -> None:
    _require_editor(actor, org)
    with transaction.atomic():
        draft = ListVersion.objects.select_for_update().filter(org=org, status=VersionStatus.DRAFT).first()
        if draft is None:
            raise ConflictError("没有可放弃的草稿。")
        audit("checklists.draft_discard", obj=draft, actor=actor, before={"items": draft.items.count()})
        draft.delete()


def versions_diff(old_items: list[dict], new_items: list[dict]) -> list[dict]:
    """What changed between two item snapshots, item by item (by stable code)."""
    old = {i["code"]: i for i in old_items}
    new = {i["code"]: i for i in new_items}
    changes = []
    for code, item in new.items():
        if code not in old:
            changes.append({"op": "added", "code": code, "title": item["title"], "fields": {}})
            continue
        fields = {
            f: [old[code].get(f), item.get(f)]
            for f in [*ITEM_FIELDS, "bases"]
            if old[code].get(f) != item.get(f)
        }
        if fields:
            changes.append({"op": "changed", "code": code, "title": item["title"], "fields": fields})
    for code, item in old.items():
        if code not in new:
            changes.append({"op": "removed", "code": code, "title": item["title"], "fields": {}})
    return changes


def _snapshots(version: ListVersion | None) -> list[dict]:
    if version is None:
        return []
    return [_item_snapshot(i) for i in version.items.prefetch_related("bases").order_by("position", "code")]


#: Ranks that are a legal basis for a list item (三（一）/三（二）): a law, an administrative regulation, a local
#: regulation or a rule. A department notice (规范性文件) or a judicial interpretation is not.
LEGAL_RANKS = (LegalLevel.LAW, LegalLevel.ADMIN_REGULATION, LegalLevel.LOCAL_REGULATION, LegalLevel.RULE)
_ADMISSION_NO_RE = re.compile(r"津[\u4e00-\u9fff]{0,5}?准[〔\[(（]\d{4}[〕\])）]\d{1,5}号")


def _admitted_basis(basis) -> bool:
    """A basis that cites an admission number approved (and not revoked) for this work."""
    from admission import selectors as admission_selectors

    m = _ADMISSION_NO_RE.search(f"{basis.law}{basis.article}")
    if not m:
        return False
    found = admission_selectors.admission_lookup(admission_no=m.group(0))
    return bool(found and found.get("status") == "valid")


def _require_legal_bases(draft) -> None:
    """A district's own list items need a law, regulation or rule (with its rank) or a valid admission number;
    a department notice is no legal basis, so an item resting only on one cannot be published."""
    missing = []
    for item in ListItem.objects.filter(version=draft).prefetch_related("bases").order_by("position"):
        bases = list(item.bases.all())
        if any(b.level in LEGAL_RANKS for b in bases) or any(_admitted_basis(b) for b in bases):
            continue
        missing.append(item.title)
    if missing:
        shown = "、".join(f"“{t}”" for t in missing[:5])
        raise DomainError(
            f"{shown}没有法律依据：区级增补事项须依据法律、行政法规、地方性法规或规章（写明效力层级），"
            "或写明已批准的准入编号。部门通知等规范性文件不是法律依据，不能据此发布。",
            fields={"bases": "请补充法律、法规、规章或准入编号。"},
        )


def version_publish(*, actor: User, org: OrgUnit, data: PublishInput) -> ListVersion:
    """Publish the org's draft as the next numbered version; notify the communities and refresh the PDFs."""
    _require_editor(actor, org)
    note = data.note
    today = timezone.localdate()
    effective_from = data.effective_from or today
    if effective_from < today:
        raise DomainError("生效日期不能早于今天。", fields={"effective_from": "不能早于今天。"})
    with transaction.atomic():
        draft = ListVersion.objects.select_for_update().filter(org=org, status=VersionStatus.DRAFT).first()
        if draft is None:
            raise ConflictError("没有待发布的草稿：请先修改清单事项。")
        previous = _latest_published(org)
        if previous is not None and previous.effective_from and effective_from < previous.effective_from:
            raise DomainError(
                "生效日期不能早于现行版本的生效日期。", fields={"effective_from": "不能早于现行版本。"}
            )
        changes = versions_diff(_snapshots(previous), _snapshots(draft))
        if not changes:
            raise DomainError("草稿与现行版本没有差别，无需发布。")
        if org.level != "city":
            _require_legal_bases(draft)
        number = (ListVersion.objects.filter(org=org).aggregate(m=Max("number"))["m"] or 0) + 1
        if previous is not None:
            previous.effective_until = effective_from
            previous.save(update_fields=["effective_until"])
        VERSION_WORKFLOW.apply(draft, VersionAction.PUBLISH)
        draft.number = number
        draft.effective_from = effective_from
        draft.note = note
        draft.changes = changes
        draft.published_by = actor
        draft.published_at = timezone.now()
        draft.save()
        audit(
            "checklists.version_publish",
            obj=draft,
            actor=actor,
            before={"version": previous.number if previous else None},
            after={
                "version": number,
                "effective_from": effective_from,
                "changes": len(changes),
                "note": note,
            },
        )
        enqueue("checklists.tasks.version_notify", args=[draft.pk])
        enqueue("checklists.tasks.documents_refresh", args=[org.pk])
        return draft


def version_notify(*, version_id: int) -> int:
    """Tell the community staff of every community under the version's org (once). Returns how many were told."""
    from portal.models import User
    from portal.services.notifications import notify

    with transaction.atomic():
        version = ListVersion.objects.select_for_update().select_related("org").filter(pk=version_id).first()
        if version is None or version.status != VersionStatus.PUBLISHED or version.notified_at:
            return 0
        users = list(
            User.objects.filter(
                roles__role=Role.COMMUNITY_STAFF,
                roles__org__path__startswith=version.org.path,
                is_active=True,
            ).distinct()
        )
        kind = "区级增补事项" if version.org.level == OrgLevel.DISTRICT else "市级基础清单"
        notify(
            users=users,
            kind="checklists.version_published",
            title=f"{version.org.name}居委会工作事项清单（{kind}）第{version.number}版已发布，{version.effective_from:%Y年%m月%d日}起施行",
            body=version.note,
            url=f"/lists/history/{version.org.code}/{version.number}/",
            source=version,
        )
        version.notified_at = timezone.now()
        version.save(update_fields=["notified_at"])
        return len(users)


def base_lists_seed(*, city, actor=None, effective_from: date | None = None) -> ListVersion | None:
    """Load the shipped city base lists as version 1 (only when the city has no version yet)."""
    from checklists.data import BASE_ITEMS

    return _seed(
        org=city,
        rows=BASE_ITEMS,
        actor=actor,
        effective_from=effective_from,
        note="首次发布：依据《城市居民委员会组织法》和有关法律法规编制的自治工作职责清单（7类16项）和依法协助政府工作事项清单（9类35项）。",
    )


def district_items_seed(*, district, rows: list[dict], actor=None) -> ListVersion | None:
    return _seed(
        org=district, rows=rows, actor=actor, effective_from=None, note=f"{district.name}增补事项首次发布。"
    )


def _seed(*, org, rows, actor, effective_from, note) -> ListVersion | None:
    with transaction.atomic():
        if ListVersion.objects.filter(org=org).exists():
            return None
        version = ListVersion.objects.create(
            org=org,
            number=1,
            status=VersionStatus.PUBLISHED,
            effective_from=effective_from or timezone.localdate(),
            note=note,
            published_by=actor,
            published_at=timezone.now(),
            created_by=actor,
        )
        items = history.bulk_create(
            ListItem,
            [
                ListItem(
                    version=version,
                    code=r["code"],
                    list_type=r["list_type"],
                    category=r["category"],
                    position=i,
                    title=r["title"],
                    content=r.get("content", ""),
                    department=r.get("department", ""),
                    keywords=list(r.get("keywords", [])),
                )
                for i, r in enumerate(rows, start=1)
            ],
        )
        by_code = (
            {i.code: i for i in ListItem.objects.filter(version=version)}
            if any(i.pk is None for i in items)
            else {i.code: i for i in items}
        )
        history.bulk_create(
            LegalBasis,
            [
                LegalBasis(item=by_code[r["code"]], law=law, article=article, level=level, position=j)
                for r in rows
                for j, (law, article, level) in enumerate(r["bases"])
            ],
        )
        version.changes = [
            {"op": "added", "code": r["code"], "title": r["title"], "fields": {}} for r in rows
        ]
        version.save(update_fields=["changes"])
        audit("checklists.seed", obj=version, actor=actor, after={"items": len(rows), "org": org.code})
        return version


# ── Stored PDF documents ───────────────────────────────────────────────────────────────────


def _items_for(org):
    from checklists import selectors

    if org.level == OrgLevel.COMMUNITY:
        return selectors.community_checklist(community=org)
    return selectors.district_checklist(district=org)


def document_fresh(*, org, items=None) -> ListDocument | None:
    """The stored PDF of ``org``'s current lists if it is up to date, else None."""
    from checklists import selectors

    items = items if items is not None else _items_for(org)
    fingerprint = selectors.items_fingerprint(org=org, items=items)
    doc = ListDocument.objects.filter(org=org).first()
    if (
        doc is not None
        and doc.fingerprint == fingerprint
        and doc.file.name
        and doc.file.storage.exists(doc.file.name)
    ):
        return doc
    return None


def document_current(*, org, items=None) -> ListDocument:
    """The stored PDF of ``org``'s current lists, rendered now if it is missing or out of date."""
    from django.core.files.base import ContentFile

    from checklists import selectors
    from checklists.pdf import render_checklist_pdf

    items = items if items is not None else _items_for(org)
    doc = document_fresh(org=org, items=items)
    if doc is not None:
        return doc
    fingerprint = selectors.items_fingerprint(org=org, items=items)
    content = render_checklist_pdf(org=org, items=items)
    with transaction.atomic():
        doc = ListDocument.objects.select_for_update().filter(org=org).first() or ListDocument(org=org)
        old_name = doc.file.name if doc.file else None
        doc.fingerprint = fingerprint
        doc.generated_at = timezone.now()
        doc.file.save(f"{org.code}.pdf", ContentFile(content), save=False)
        doc.save()
        if old_name and old_name != doc.file.name:
            doc.file.storage.delete(old_name)
    return doc


def documents_refresh(*, org_id: int, job_id=None) -> int:
    """Regenerate the stored PDFs under ``org`` that are out of date (after a publish). Idempotent."""
    from portal import jobs
    from portal.models import OrgUnit

    org = OrgUnit.objects.filter(pk=org_id).first()
    if org is None:
        return 0
    targets = list(
        OrgUnit.objects.filter(path__startswith=org.path, list_document__isnull=False).order_by("code")
    )
    if org.level == OrgLevel.DISTRICT and org not in targets:
        targets.insert(0, org)
    for n, target in enumerate(targets, start=1):
        document_current(org=target)
        if job_id:
            jobs.job_progress(
                job_id=job_id, progress=int(100 * n / max(len(targets), 1)), message=target.name
            )
    return len(targets)


# ── Registers ──────────────────────────────────────────────────────────────────────────────


def _require_register_editor(actor, org, right: str) -> None:
    """``actor`` holds ``right`` (``EDIT_LISTS``, ``RECORD_PLAQUES``) over ``org``, else 403 (audited)."""
    require_right(OrgUnit, actor, org.pk, right, "该登记", denied="您无权维护该登记。")


def ledger_save(*, actor: User, district: OrgUnit, pk: int | None = None, data: LedgerInput) -> LedgerEntry:
    """Add or change a ledger of the district's catalogue (a legal or policy basis is required)."""
    if district.level != OrgLevel.DISTRICT:
        raise DomainError("台账目录清单按区建立。")
    _require_register_editor(actor, district, EDIT_LISTS)
    fields = asdict(data)
    with transaction.atomic():
        if pk:
            entry = LedgerEntry.objects.select_for_update().filter(pk=pk, district=district).first()
            if entry is None:
                raise NotFoundError("未找到该台账。")
            before = {f: getattr(entry, f) for f in fields}
        else:
            entry, before = LedgerEntry(district=district), None
        if LedgerEntry.objects.filter(district=district, name=data.name).exclude(pk=pk or 0).exists():
            raise DomainError("目录中已有同名台账。", fields={"name": "已有同名台账。"})
        for f, v in fields.items():
            setattr(entry, f, v)
        entry.save()
        audit(
            "checklists.ledger_change" if before else "checklists.ledger_add",
            obj=entry,
            actor=actor,
            before=before,
            after=fields,
        )
        return entry


def ledger_delete(*, actor, district, pk: int) -> None:
    _require_register_editor(actor, district, EDIT_LISTS)
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().filter(pk=pk, district=district).first()
        if entry is None:
            raise NotFoundError("未找到该台账。")
        audit("checklists.ledger_remove", obj=entry, actor=actor, before={"name": entry.name})
        entry.delete()


def organisation_save(
    *, actor: User, org: OrgUnit, pk: int | None = None, data: OrganisationInput
) -> OrganisationEntry:
    """Add or change an organisation entry (city-wide for the city admin, district entries for the district)."""
    if not can_edit_lists(user=actor, org=org):
        raise PermissionDeniedError("您无权维护该组织机构登记。")
    fields = asdict(data)
    with transaction.atomic():
        if pk:
            entry = OrganisationEntry.objects.select_for_update().filter(pk=pk, org=org).first()
            if entry is None:
                raise NotFoundError("未找到该组织机构。")
            before = {f: getattr(entry, f) for f in fields}
        else:
            entry, before = OrganisationEntry(org=org), None
        for f, v in fields.items():
            setattr(entry, f, v)
        entry.save()
        audit(
            "checklists.organisation_change" if before else "checklists.organisation_add",
            obj=entry,
            actor=actor,
            before=before,
            after=fields,
        )
        return entry


def organisation_delete(*, actor, org, pk: int) -> None:
    if not can_edit_lists(user=actor, org=org):
        raise PermissionDeniedError("您无权维护该组织机构登记。")
    with transaction.atomic():
        entry = OrganisationEntry.objects.select_for_update().filter(pk=pk, org=org).first()
        if entry is None:
            raise NotFoundError("未找到该组织机构。")
        audit("checklists.organisation_remove", obj=entry, actor=actor, before={"name": entry.name})
        entry.delete()


def plaque_add(*, actor: User, community: OrgUnit, data: PlaqueInput) -> PlaqueRecord:
    """Record a plaque hanging outside the community's service centre."""
    if community.level != OrgLevel.COMMUNITY:
        raise DomainError("挂牌登记按社区进行。")
    _require_register_editor(actor, community, RECORD_PLAQUES)
    kind, text, requested_by = data.kind, data.text, data.requested_by
    with transaction.atomic():
        if kind != PlaqueKind.OTHER and PlaqueRecord.objects.filter(community=community, kind=kind).exists():
            raise DomainError(
                f"已登记“{PlaqueKind(kind).label}”牌子；如需更换请先删除原登记。", fields={"kind": "已登记。"}
            )
        record = PlaqueRecord.objects.create(
            community=community, kind=kind, text=text, requested_by=requested_by, recorded_by=actor
        )
        audit(
            "checklists.plaque_add",
            obj=record,
            actor=actor,
            after={
                "kind": kind,
                "text": text,
                "requested_by": requested_by,
                "standard": kind != PlaqueKind.OTHER,
            },
        )
        return record


def plaque_remove(*, actor, community, pk: int) -> None:
    _require_register_editor(actor, community, RECORD_PLAQUES)
    with transaction.atomic():
        record = PlaqueRecord.objects.select_for_update().filter(pk=pk, community=community).first()
        if record is None:
            raise NotFoundError("未找到该挂牌登记。")
        audit(
            "checklists.plaque_remove",
            obj=record,
            actor=actor,
            before={"kind": record.kind, "text": record.text},
        )
        record.delete()


def registers_seed(*, city) -> None:
    """City-wide organisation entries shipped with the portal (only once)."""
    from checklists.data import ORGANISATIONS

    if OrganisationEntry.objects.filter(org=city).exists():
        return
    history.bulk_create(
        OrganisationEntry,
        [
            OrganisationEntry(
                org=city,
                name=o["name"],
                requirement=o["requirement"],
                mandate=o["mandate"],
                legal_basis=o["legal_basis"],
                keywords=[o["name"].split("（")[0]],
            )
            for o in ORGANISATIONS
        ],
    )
    audit("checklists.organisations_seed", org=city, after={"entries": len(ORGANISATIONS)})
