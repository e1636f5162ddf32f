"""The one selector behind page, API and PDF: content, order, admitted tasks, registers, and a fixed query count."""

import pytest

from checklists import selectors, services
from checklists.models import LegalBasis, ListItem, ListVersion
from checklists.schemas import OrganisationSchema


def test_community_checklist_is_city_base_plus_district_additions(lists, org):
    items = selectors.community_checklist(community=org("120103001001"))
    by_type = {}
    for it in items:
        by_type.setdefault(it.list_type, []).append(it)
    assert len(by_type["autonomy"]) == 16
    assert len(by_type["assistance"]) == 35 + 2  # 河西区 adds two
    assert items[0].id == "A-1" and items[0].category == "接受领导、指导和监督"
    census = next(i for i in items if i.title == "协助开展人口普查")
    assert census.legal_basis == ("《全国人口普查条例》第三条第四款（行政法规）",)
    assert census.bases[0].level_label == "行政法规" and "人口普查" in census.keywords
    # District additions sit inside their category, after the city's items of that category.
    cats = [i.category for i in by_type["assistance"]]
    assert cats == sorted(cats, key=lambda c: [i.category for i in by_type["assistance"]].index(c))
    nankai = selectors.community_checklist(community=org("120104001001"))
    assert len(nankai) == 51 and all(i.source == "city" for i in nankai if i.list_type != "admitted")


def test_admitted_tasks_come_from_the_admission_selector(lists, org, monkeypatch):
    from checklists.selectors import ChecklistItem

    calls = []

    def fake(*, community):
        calls.append(community.code)
        return [
            ChecklistItem(
                id="adm-7",
                list_type="admitted",
                category="经准入的工作事项",
                title="协助开展老旧小区加装电梯意见征集",
                department="河西区住房和建设委员会",
                admission_no="津河西准〔2026〕7号",
            )
        ]

    monkeypatch.setattr("admission.selectors.admitted_tasks_for_community", fake)
    items = selectors.community_checklist(community=org("120103001001"))
    assert calls == ["120103001001"] and items[-1].id == "adm-7"
    assert selectors.lists_summary(items)["admitted"] == 1
    groups = selectors.group_items(items)
    assert [g["list_type"] for g in groups] == ["autonomy", "assistance", "admitted"]


def _add_many(district, n):
    version = ListVersion.objects.get(org=district, status="published")
    items = ListItem.objects.bulk_create(
        [
            ListItem(
                version=version,
                code=f"{district.code}-B-{100 + k}",
                list_type="assistance",
                category="rights",
                position=100 + k,
                title=f"增补事项{k}",
                department="某部门",
                keywords=["k"],
            )
            for k in range(n)
        ]
    )
    items = list(ListItem.objects.filter(version=version, code__startswith=f"{district.code}-B-1"))
    LegalBasis.objects.bulk_create(
        [
            LegalBasis(item=i, law="中华人民共和国老年人权益保障法", article="第七条", level="law")
            for i in items
            for _ in range(2)
        ]
    )


@pytest.mark.parametrize("extra", [0, 200])
def test_selector_query_count_is_fixed(lists, org, django_assert_max_num_queries, extra):
    _add_many(org("120103"), extra)
    community = org("120103001001")
    with django_assert_max_num_queries(8):
        items = selectors.community_checklist(community=community)
    assert len(items) >= 53 + extra


@pytest.mark.parametrize("extra", [0, 200])
def test_page_and_api_query_count_is_fixed(lists, org, client, django_assert_max_num_queries, extra):
    _add_many(org("120103"), extra)
    with django_assert_max_num_queries(8):
        r = client.get("/lists/community/120103001001/")
    assert r.status_code == 200
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/communities/120103001001/checklist")
    assert len(r.json()["items"]) >= 53 + extra


def test_search_matches_titles_bases_and_keywords(lists, org):
    items = selectors.community_checklist(community=org("120103001001"))
    assert [i.id for i in selectors.search_items(items, "人口普查")] == ["B-29", "B-30"]
    assert [i.id for i in selectors.search_items(items, "居住证暂行条例")] == ["B-19"]
    assert "B-1" in [i.id for i in selectors.search_items(items, "低保")]
    assert selectors.search_items(items, "") == items


def test_negative_list_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        items = selectors.negative_list()
    assert [n.title for n in items][:5] == ["行政执法", "拆迁拆违", "环境整治", "城市管理", "招商引资"]
    assert all(n.clause == "津民发〔2019〕35号 三（一）" and n.keywords for n in items)
    assert "违建" in items[1].keywords


def test_register_selectors(lists, org):
    community = org("120103001001")
    ledgers = selectors.ledger_catalogue(district=community)  # anything below the district works
    assert (
        ledgers
        == selectors.ledger_catalogue(district="120103")
        == selectors.ledger_catalogue(district=org("120103"))
    )
    assert any("未成年人" in entry.name and "第四十三条" in entry.legal_basis for entry in ledgers)
    assert selectors.ledger_catalogue(district=org("120104")) == []
    orgs = selectors.organisation_register(district=org("120103"))
    assert any(
        o.name == "人民调解委员会" and o.requirement == "mandatory" and o.issued_by == "天津市" for o in orgs
    )
    assert [p.title for p in selectors.plaque_standard()] == [
        "社区党组织",
        "居民委员会",
        "社区工作站",
        "警务室标识",
    ]
    overview = {inv.community_code: inv for inv in selectors.district_plaque_overview(district=org("120103"))}
    assert overview["120103001001"].compliant and overview["120103001001"].recorded
    assert (
        not overview["120103001002"].compliant
        and overview["120103001002"].extra[0].text == "食品安全示范社区"
    )
    assert not overview["120103001003"].recorded


def test_district_organisation_entries_add_to_city_ones(lists, org, users):
    services.organisation_save(
        actor=users["hexi_official"],
        org=org("120103"),
        data=OrganisationSchema.parse(
            {
                "name": "河西区社区议事协商委员会",
                "requirement": "optional",
                "mandate": "可以设立，组织居民协商。",
                "legal_basis": "《中华人民共和国城市居民委员会组织法》第十一条",
            }
        ),
    )
    names = [o.name for o in selectors.organisation_register(district=org("120103001001"))]
    assert "河西区社区议事协商委员会" in names and "人民调解委员会" in names
    assert "河西区社区议事协商委员会" not in [
        o.name for o in selectors.organisation_register(district=org("120104"))
    ]
