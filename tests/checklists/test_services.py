"""Editing and versioning: drafts, publishing, diffs, effective dates, rights, audit and notifications."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checklists import selectors, services
from checklists.models import ListItem, ListVersion
from checklists.schemas import ItemSchema, LedgerSchema, PlaqueSchema, PublishSchema
from portal.errors import ConflictError, DomainError, PermissionDeniedError
from portal.models import AuditEntry, Notification


def test_seed_publishes_version_one_with_51_items(lists, org):
    v = ListVersion.objects.get(org=org("120000"))
    assert v.number == 1 and v.status == "published" and v.effective_from == timezone.localdate()
    assert v.items.count() == 51
    assert AuditEntry.objects.filter(action="checklists.seed").exists()


def test_district_addition_goes_to_draft_then_public_after_publish(
    lists, org, users, item_payload, django_capture_on_commit_callbacks
):
    hexi = org("120103")
    before = [i.id for i in selectors.district_checklist(district=hexi)]
    item = services.item_save(actor=users["hexi_official"], org=hexi, **item_payload())
    assert item.code == "120103-B-3" and item.version.status == "draft"
    assert [i.id for i in selectors.district_checklist(district=hexi)] == before  # not public yet
    with django_capture_on_commit_callbacks(execute=True):
        v = services.version_publish(
            actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "增补反诈宣传"})
        )
    assert v.number == 2 and v.changes == [
        {"op": "added", "code": "120103-B-3", "title": item.title, "fields": {}}
    ]
    assert ListVersion.objects.get(org=hexi, number=1).effective_until == v.effective_from
    items = selectors.district_checklist(district=hexi)
    added = next(i for i in items if i.id == "120103-B-3")
    assert added.source == "district" and added.legal_basis == (
        "《中华人民共和国反电信网络诈骗法》第八条（法律）",
    )
    assert added.keywords == ("反诈", "防骗")
    # Not in another district.
    assert "120103-B-3" not in [i.id for i in selectors.district_checklist(district=org("120104"))]
    # Audited: add + publish, with who.
    entry = AuditEntry.objects.get(action="checklists.version_publish")
    assert entry.actor == users["hexi_official"] and entry.after["version"] == 2
    assert AuditEntry.objects.filter(action="checklists.item_add", actor=users["hexi_official"]).exists()
    # The communities of 河西区 were notified, not those of 南开区.
    told = set(
        Notification.objects.filter(kind="checklists.version_published").values_list(
            "user__username", flat=True
        )
    )
    assert {"community_staff", "community_staff2"} <= told
    assert "nankai_official" not in told and "street_staff" not in told
    v.refresh_from_db()
    assert v.notified_at is not None


def test_change_of_a_city_item_is_recorded_field_by_field(
    lists, org, users, django_capture_on_commit_callbacks
):
    city = org("120000")
    item = ListItem.objects.get(version__org=city, code="B-29")
    services.item_save(
        actor=users["city_admin"],
        org=city,
        code="B-29",
        data=ItemSchema.parse(
            {
                "list_type": "assistance",
                "category": "statistics",
                "title": "协助开展人口普查和入户登记动员",
                "content": item.content,
                "department": item.department,
                "keywords": item.keywords,
            }
        ),
        bases=[{"law": "全国人口普查条例", "article": "第三条第四款", "level": "admin_regulation"}],
    )
    services.item_delete(actor=users["city_admin"], org=city, code="A-6")
    with django_capture_on_commit_callbacks(execute=True):
        v = services.version_publish(
            actor=users["city_admin"], org=city, data=PublishSchema.parse({"note": "调整表述"})
        )
    ops = {c["code"]: c for c in v.changes}
    assert ops["B-29"]["op"] == "changed" and ops["B-29"]["fields"]["title"] == [
        "协助开展人口普查",
        "协助开展人口普查和入户登记动员",
    ]
    assert ops["A-6"]["op"] == "removed"
    ids = [i.id for i in selectors.community_checklist(community=org("120103001001"))]
    assert "A-6" not in ids and "B-29" in ids
    # Every community of the city heard of it (河西区 and 南开区 staff alike).
    assert Notification.objects.filter(kind="checklists.version_published", source_id=str(v.pk)).count() >= 2


def test_future_version_takes_effect_on_its_date(lists, org, users, item_payload):
    hexi = org("120103")
    services.item_save(actor=users["hexi_official"], org=hexi, **item_payload())
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.version_publish(
        actor=users["hexi_official"],
        org=hexi,
        data=PublishSchema.parse({"note": "明日施行", "effective_from": tomorrow}),
    )
    assert "120103-B-3" not in [i.id for i in selectors.district_checklist(district=hexi)]
    versions = selectors.current_versions(org_codes=["120103"], on=tomorrow)
    assert versions["120103"].number == 2


@pytest.mark.parametrize(
    "bad, field",
    [
        (dict(bases=[]), "bases"),
        (dict(bases=[{"law": "某某规定", "article": "", "level": "law"}]), "bases"),
        (dict(bases=[{"law": "中华人民共和国消防法", "article": "第六条", "level": "whatever"}]), "bases"),
        (dict(bases=[{"law": "中华人民共和国消防法", "article": "有关规定", "level": "law"}]), "bases"),
        (dict(title=""), "title"),
        (dict(department=""), "department"),
        (dict(category="leadership"), "category"),
        (dict(list_type="other"), "list_type"),
    ],
)
def test_bad_input_is_a_chinese_error_and_changes_nothing(lists, org, users, item_payload, bad, field):
    hexi = org("120103")
    before = (ListVersion.objects.count(), ListItem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        services.item_save(actor=users["hexi_official"], org=hexi, **item_payload(**bad))
    assert field in exc.value.fields and any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    assert (ListVersion.objects.count(), ListItem.objects.count(), AuditEntry.objects.count()) == before


def test_rights_city_admin_for_base_lists_district_official_for_own_district(lists, org, users, item_payload):
    with pytest.raises(PermissionDeniedError):
        services.item_save(actor=users["hexi_official"], org=org("120000"), **item_payload())
    with pytest.raises(PermissionDeniedError):
        services.item_save(actor=users["nankai_official"], org=org("120103"), **item_payload())
    with pytest.raises(PermissionDeniedError):
        services.item_save(actor=users["community_staff"], org=org("120103"), **item_payload())
    assert not ListVersion.objects.filter(status="draft").exists()


def test_publish_needs_a_draft_with_changes_and_a_note(lists, org, users, item_payload):
    hexi = org("120103")
    with pytest.raises(ConflictError):
        services.version_publish(
            actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "无"})
        )
    services.draft_open(actor=users["hexi_official"], org=hexi)
    with pytest.raises(DomainError, match="没有差别"):
        services.version_publish(
            actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "无"})
        )
    services.item_save(actor=users["hexi_official"], org=hexi, **item_payload())
    with pytest.raises(DomainError, match="修订说明"):
        services.version_publish(
            actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "  "})
        )
    with pytest.raises(DomainError, match="早于今天"):
        services.version_publish(
            actor=users["hexi_official"],
            org=hexi,
            data=PublishSchema.parse(
                {"note": "x", "effective_from": timezone.localdate() - timedelta(days=1)}
            ),
        )
    services.draft_discard(actor=users["hexi_official"], org=hexi)
    assert not ListVersion.objects.filter(org=hexi, status="draft").exists()
    assert AuditEntry.objects.filter(action="checklists.draft_discard").exists()


def test_duplicate_title_in_draft_is_refused(lists, org, users, item_payload):
    with pytest.raises(DomainError, match="同名"):
        services.item_save(
            actor=users["city_admin"],
            org=org("120000"),
            **item_payload(title="协助开展人口普查", category="statistics"),
        )


def plaque(**fields):
    return PlaqueSchema.parse(fields)


def test_registers_services_check_scope_and_audit(lists, org, users):
    hexi = org("120103")
    ledger = {
        "name": "居民议事记录",
        "legal_basis": "《中华人民共和国城市居民委员会组织法》第十一条",
        "retention": "3年",
    }
    entry = services.ledger_save(actor=users["hexi_official"], district=hexi, data=LedgerSchema.parse(ledger))
    assert AuditEntry.objects.filter(action="checklists.ledger_add", object_id=str(entry.pk)).exists()
    with pytest.raises(PermissionDeniedError):
        services.ledger_save(actor=users["nankai_official"], district=hexi, data=LedgerSchema.parse(ledger))
    with pytest.raises(DomainError) as exc:
        LedgerSchema.parse({"name": "", "legal_basis": "", "retention": ""})
    assert exc.value.fields == {
        "name": "请填写台账名称。",
        "legal_basis": "请填写依据。",
        "retention": "请填写保存期限。",
    }
    community = org("120103001001")
    rec = services.plaque_add(
        actor=users["community_staff"], community=community, data=plaque(kind="other", text="创卫示范点")
    )
    inv = selectors.plaque_inventory(community=community)
    assert not inv.compliant and [p.text for p in inv.extra] == ["创卫示范点"]
    services.plaque_remove(actor=users["community_staff"], community=community, pk=rec.pk)
    assert selectors.plaque_inventory(community=community).compliant
    with pytest.raises(PermissionDeniedError):
        services.plaque_add(
            actor=users["community_staff2"], community=community, data=plaque(kind="other", text="x")
        )
    with pytest.raises(DomainError, match="已登记"):
        services.plaque_add(
            actor=users["community_staff"],
            community=community,
            data=plaque(kind="party", text="第二块党组织牌子"),
        )


@pytest.mark.policy("三（一）-1")
def test_a_district_item_resting_on_a_department_notice_cannot_be_published(lists, org, users, item_payload):
    hexi = org("120103")
    notice = [
        {"law": "河西区城市管理委员会关于做好社区市容巡查的通知", "article": "第三条", "level": "policy"}
    ]
    services.item_save(
        actor=users["hexi_official"], org=hexi, **item_payload(title="社区每日市容巡查", bases=notice)
    )
    with pytest.raises(DomainError) as err:
        services.version_publish(
            actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "增补"})
        )
    assert "不是法律依据" in err.value.message and "社区每日市容巡查" in err.value.message
    assert selectors.district_checklist(district=hexi)[-1].title != "社区每日市容巡查"


def test_a_version_published_a_moment_ago_is_in_force_at_once(lists, org, users, item_payload):
    """The versions in force are kept in the process until a version changes: the next answer has the new one."""
    hexi = org("120103")
    before = selectors.current_versions(org_codes=["120000", "120103"])["120103"].number
    assert "120103-B-3" not in [i.id for i in selectors.district_checklist(district=hexi)]
    services.item_save(actor=users["hexi_official"], org=hexi, **item_payload())
    services.version_publish(
        actor=users["hexi_official"], org=hexi, data=PublishSchema.parse({"note": "新增"})
    )
    assert selectors.current_versions(org_codes=["120000", "120103"])["120103"].number == before + 1
    assert "120103-B-3" in [i.id for i in selectors.district_checklist(district=hexi)]
