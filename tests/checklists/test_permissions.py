"""The permission matrix of every checklists URL: anonymous, wrong role, out of scope, in scope."""

import pytest

from checklists.models import LedgerEntry, OrganisationEntry, PlaqueRecord
from tests.support.permissions import Access, check_matrix

PUBLIC = [
    "/lists/",
    "/lists/negative/",
    "/lists/district/120103/",
    "/lists/district/120103/excel/",
    "/lists/district/120103/registers/",
    "/lists/community/120103001001/",
    "/lists/community/120103001001/excel/",
    "/lists/community/120103001001/qr/",
    "/lists/history/120000/",
    "/lists/history/120000/1/",
    "/lists/history/120103/",
    "/api/v1/communities/120103001001/checklist",
    "/api/v1/negative-list",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages(lists, url):
    check_matrix(
        Access(url=url, api=url.startswith("/api/")), allowed=["resident", "nankai_official"], anonymous="ok"
    )


def test_public_pdf(lists):
    check_matrix(Access(url="/lists/district/120104/pdf/"), allowed=["resident"], anonymous="ok")


def test_manage_home(lists):
    check_matrix(
        Access(url="/lists/manage/"),
        allowed=["city_admin", "hexi_official", "nankai_official"],
        denied=["resident", "community_staff", "street_staff", "hexi_health", "city_approver"],
    )


def test_edit_base_lists_only_city_admin(lists):
    for url in [
        "/lists/manage/lists/120000/",
        "/lists/manage/lists/120000/items/new/",
        "/lists/manage/lists/120000/items/B-29/",
        "/lists/manage/registers/120000/",
        "/lists/manage/registers/120000/organisations/new/",
    ]:
        check_matrix(
            Access(url=url),
            allowed=["city_admin", "admin"],
            denied=["hexi_official", "nankai_official", "community_staff", "resident", "city_approver"],
        )


def test_edit_district_additions_only_in_scope(lists):
    for url in [
        "/lists/manage/lists/120103/",
        "/lists/manage/lists/120103/items/new/",
        "/lists/manage/lists/120103/items/120103-B-1/",
        "/lists/manage/registers/120103/",
        "/lists/manage/registers/120103/ledgers/new/",
        "/lists/manage/registers/120103/organisations/new/",
    ]:
        check_matrix(
            Access(url=url),
            allowed=["hexi_official", "city_admin"],
            denied=[
                "nankai_official",
                "hexi_approver",
                "hexi_health",
                "street_staff",
                "community_staff",
                "resident",
            ],
        )


def _item_post(title):
    return {
        "list_type": "assistance",
        "category": "rights",
        "title": title,
        "content": "",
        "department": "区民政局",
        "keywords": "",
        "bases-TOTAL_FORMS": "1",
        "bases-INITIAL_FORMS": "0",
        "bases-MIN_NUM_FORMS": "0",
        "bases-MAX_NUM_FORMS": "8",
        "bases-0-law": "中华人民共和国老年人权益保障法",
        "bases-0-article": "第七条",
        "bases-0-level": "law",
    }


def test_post_district_item_matrix(lists):
    counter = iter(range(100))
    check_matrix(
        Access(
            url="/lists/manage/lists/120103/items/new/",
            method="post",
            data=lambda: _item_post(f"协助开展敬老活动{next(counter)}"),
            ok_status=(302,),
        ),
        allowed=["hexi_official", "city_admin"],
        denied=["nankai_official", "community_staff", "resident"],
    )


def test_publish_and_discard_matrix(lists, users, org, item_payload):
    from checklists import services

    def fresh_draft():
        services.item_save(
            actor=users["hexi_official"],
            org=org("120103"),
            **item_payload(title=f"协助开展反诈宣传{services.ListItem.objects.count()}"),
        )
        return {"note": "增补", "effective_from": ""}

    check_matrix(
        Access(url="/lists/manage/lists/120103/publish/", method="post", data=fresh_draft, ok_status=(302,)),
        allowed=["hexi_official"],
        denied=["nankai_official", "community_staff", "resident"],
    )
    check_matrix(
        Access(url="/lists/manage/lists/120103/discard/", method="post", data=fresh_draft, ok_status=(302,)),
        allowed=["hexi_official"],
        denied=["nankai_official", "street_staff"],
    )


def test_delete_item_matrix(lists):
    check_matrix(
        Access(url="/lists/manage/lists/120103/items/120103-B-2/delete/", method="post", ok_status=(302,)),
        allowed=["hexi_official"],
        denied=["nankai_official", "community_staff", "resident"],
    )


def test_ledger_and_organisation_edit_matrix(lists, org):
    ledger = LedgerEntry.objects.filter(district=org("120103")).first()
    check_matrix(
        Access(url=f"/lists/manage/registers/120103/ledgers/{ledger.pk}/"),
        allowed=["hexi_official", "city_admin"],
        denied=["nankai_official", "street_staff", "resident"],
    )
    entry = OrganisationEntry.objects.filter(org=org("120000")).first()
    check_matrix(
        Access(url=f"/lists/manage/registers/120000/organisations/{entry.pk}/"),
        allowed=["city_admin"],
        denied=["hexi_official", "nankai_official", "resident"],
    )

    def ledger_pk():
        e = LedgerEntry.objects.create(
            district=org("120103"),
            name=f"临时台账{LedgerEntry.objects.count()}",
            legal_basis="x",
            retention="1年",
        )
        return f"/lists/manage/registers/120103/ledgers/{e.pk}/delete/"

    check_matrix(
        Access(url=ledger_pk, method="post", ok_status=(302,)),
        allowed=["hexi_official"],
        denied=["nankai_official", "community_staff"],
    )


def test_plaque_pages_matrix(lists, org):
    check_matrix(
        Access(url="/lists/manage/plaques/120103001001/"),
        allowed=["community_staff", "street_staff", "hexi_official", "city_admin"],
        denied=["community_staff2", "nankai_official", "resident", "hexi_health"],
    )
    check_matrix(
        Access(url="/lists/manage/plaques/", ok_status=(200, 302)),
        allowed=["community_staff", "street_staff", "hexi_official"],
        denied=["resident", "hexi_health"],
    )

    def plaque_url():
        r = PlaqueRecord.objects.create(community=org("120103001001"), kind="other", text="临时牌子")
        return f"/lists/manage/plaques/120103001001/{r.pk}/delete/"

    check_matrix(
        Access(url=plaque_url, method="post", ok_status=(302,)),
        allowed=["community_staff", "hexi_official"],
        denied=["community_staff2", "nankai_official", "resident"],
    )
    check_matrix(
        Access(
            url="/lists/manage/plaques/120103001001/",
            method="post",
            ok_status=(302,),
            data=lambda: {"kind": "other", "text": f"示范牌{PlaqueRecord.objects.count()}"},
        ),
        allowed=["community_staff"],
        denied=["community_staff2", "nankai_official"],
    )


def test_out_of_scope_refusal_is_audited(lists, page_client):
    from portal.models import AuditEntry

    assert page_client("nankai_official").get("/lists/manage/lists/120103/").status_code == 404
    assert AuditEntry.objects.filter(result="denied", actor__username="nankai_official").exists()
