"""The task check against the real admission workflow and the shipped lists (no fakes)."""

from __future__ import annotations

import pytest

from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.admission.conftest import flow, u  # noqa: F401  (the admission app's own workflow helpers)

pytestmark = pytest.mark.django_db

HOME, NEIGHBOUR, OTHER_STREET = "120103001001", "120103001002", "120103002001"


@pytest.fixture
def approved(demo_full, flow):  # noqa: F811
    return flow.approved(
        title="社区老年人助浴服务需求核对",
        description="每季度协助核对辖区老年人助浴服务需求。",
        target_orgs=["120103001000"],
    )


def test_an_approved_admission_is_admitted_in_its_scope_only(approved, org, api):
    assert approved.admission_no
    here = evaluate_task(title="助浴服务需求核对", community=org(HOME), admission_no=approved.admission_no)
    assert here.verdict == ADMITTED and here.admission["admission_no"] == approved.admission_no
    assert (
        evaluate_task(
            title="助浴服务需求核对", community=org(NEIGHBOUR), admission_no=approved.admission_no
        ).verdict
        == ADMITTED
    )
    elsewhere = evaluate_task(
        title="助浴服务需求核对", community=org(OTHER_STREET), admission_no=approved.admission_no
    )
    assert elsewhere.verdict == NOT_ADMITTED and "不包括本社区" in elsewhere.reason
    by_text = evaluate_task(title="协助核对辖区老年人健康随访信息", community=org(HOME))
    assert by_text.verdict == ADMITTED, by_text.reason
    body = api().post("/api/v1/task-check", {"community": HOME, "title": "社区老年人助浴服务需求核对"}).json()
    assert body["verdict"] == ADMITTED and body["admission"]["admission_no"] == approved.admission_no


def test_a_revoked_admission_no_longer_admits(approved, org, users):
    from admission import services

    services.task_request_revoke(actor=users["hexi_approver"], request_id=approved.pk, reason="工作已调整")
    v = evaluate_task(title="助浴服务需求核对", community=org(HOME), admission_no=approved.admission_no)
    assert v.verdict == NOT_ADMITTED and "撤销" in v.reason


def test_a_revoked_admission_no_longer_matches_by_text_at_once(approved, org, users):
    """The community's admitted tasks are kept in process memory until any admission changes."""
    from admission import services

    def admission_no():
        verdict = evaluate_task(title="社区老年人助浴服务需求核对", community=org(HOME))
        return (verdict.admission or {}).get("admission_no") if verdict.verdict == ADMITTED else None

    assert admission_no() == approved.admission_no
    assert admission_no() == approved.admission_no  # kept in process
    services.task_request_revoke(actor=users["hexi_approver"], request_id=approved.pk, reason="工作已调整")
    assert admission_no() != approved.admission_no


def test_submission_check_uses_the_engine_without_a_community(demo_full):
    assert evaluate_task(title="由社区负责辖区违建拆除", community=None).verdict == PROHIBITED
    on_list = evaluate_task(title="协助开展人口普查入户登记", community=None)
    assert on_list.verdict == ON_LIST and on_list.matched_item["title"]
    assert evaluate_task(title="协助推广社区团购平台", community=None).verdict == NOT_ADMITTED


def test_a_negative_list_request_is_rejected_on_submission(demo_full, flow):  # noqa: F811
    req = flow.submitted(title="辖区违建拆除", description="由社区负责辖区违建拆除，6月底前完成。")
    assert req.status == "rejected"
    assert "拆迁拆违" in req.status_reason


@pytest.mark.policy("三（三）-1")
def test_a_district_request_demanding_an_organisation_is_refused_at_submission(demo_full, flow):  # noqa: F811
    req = flow.submitted(
        title="成立社区创卫工作领导小组",
        description="请各社区成立创卫工作领导小组，配备专职工作人员。",
    )
    assert req.status == "rejected"
    assert "三（三）" in req.status_reason and "只有市委、市政府" in req.status_reason
    # the task check says the same of the same task: the community may refuse it
    v = evaluate_task(title=req.title, description=req.description, community=None)
    assert v.verdict == NOT_ADMITTED and v.rule == "organisation"


@pytest.mark.policy("三（五）-3")
def test_a_request_asking_communities_for_a_barred_certificate_is_refused_at_submission(
    demo_full,
    flow,  # noqa: F811
):
    req = flow.submitted(
        title="辖区居民房产情况核实",
        description="请各社区为辖区居民出具房产情况证明，月底前报送。",
    )
    assert req.status == "rejected"
    assert "不予出具的证明" in req.status_reason and "三（五）" in req.status_reason


@pytest.mark.policy("三（五）-3")
def test_the_barred_catalogue_table_is_the_one_source(demo_full):
    from certificates.models import BarredCertificate

    task = "请社区为居民出具疾病状况证明"
    v = evaluate_task(title=task, community=None)
    assert v.verdict == PROHIBITED and v.rule == "certificate"
    assert "卫生" in v.reason or "医疗" in v.reason  # names the responsible agency from the table
    entry = BarredCertificate.objects.get(name="疾病状况证明")
    entry.active = False  # as the city admin's page (or the Django admin) saves it: the cached list goes
    entry.save()
    assert evaluate_task(title=task, community=None).rule != "certificate"


@pytest.mark.policy("三（五）-3")
@pytest.mark.parametrize(
    "kind",
    ["疾病状况", "残疾状况", "婚育状况", "就业状况", "人员失踪", "房产情况", "学历", "工作经历", "户籍情况"],
)
def test_national_and_tianjin_barred_kinds_are_recognised(demo_full, kind):
    v = evaluate_task(title=f"请社区为申请人开具{kind}证明", community=None)
    assert v.verdict == PROHIBITED and v.rule == "certificate", v.reason


@pytest.mark.policy("三（五）-3")
def test_a_health_certificate_is_the_barred_disease_kind(demo_full):
    """疾病状况 of 民发〔2020〕20号 is asked for as 健康状况 too: the seeded catalogue entry carries that word."""
    v = evaluate_task(title="请社区给找工作的居民开一份健康状况证明", community=None)
    assert v.verdict == PROHIBITED and v.rule == "certificate", v.reason
    assert "疾病状况证明" in v.reason and "医疗" in v.reason
    # a survey of health is no certificate
    assert evaluate_task(title="协助卫健部门开展居民健康状况问卷", community=None).rule != "certificate"


@pytest.mark.policy("三（五）-3")
def test_a_housing_certificate_is_the_barred_property_kind(demo_full):
    """住房情况 is the 房产 part of the barred 财产证明 (the seeded catalogue entry carries the word)."""
    v = evaluate_task(title="请社区为低保申请人出具家庭住房情况证明", community=None)
    assert v.verdict == PROHIBITED and v.rule == "certificate", v.reason
    assert "财产证明" in v.reason and "不动产登记" in v.reason
    # a housing-safety survey the community assists with is no certificate
    assert evaluate_task(title="协助住建部门开展老旧小区住房情况摸底", community=None).rule != "certificate"


@pytest.fixture
def city_group(demo_full, flow):  # noqa: F811
    """A city-level admission (approved by the city) demanding that communities set up a leading group."""
    return flow.approved(
        "city_stats",
        reviewer="city_admin",
        approver="city_approver",
        title="各社区成立平安建设领导小组",
        description="请各社区成立平安建设领导小组，由社区党组织书记任组长，统筹辖区平安建设工作。",
        target_orgs=["120103001000"],
    )


@pytest.mark.policy("三（三）-1")
def test_a_city_level_organisation_demand_is_admitted_for_that_task(city_group, org, api):
    number = city_group.admission_no
    assert city_group.status == "approved" and number
    for kwargs in ({"admission_no": number}, {}):
        v = evaluate_task(title="社区成立平安建设领导小组", community=org(HOME), **kwargs)
        assert v.verdict == ADMITTED, v.reason
        assert v.admission["admission_no"] == number
    # the admission page's task and the task check agree: the public API answers the same
    body = (
        api().post("/api/v1/task-check", {"community": HOME, "title": "成立社区平安建设工作领导小组"}).json()
    )
    assert body["verdict"] == ADMITTED and body["admission"]["admission_no"] == number
    # outside its scope the demand stays refusable
    assert (
        evaluate_task(title="社区成立平安建设领导小组", community=org(OTHER_STREET)).verdict == NOT_ADMITTED
    )


@pytest.mark.policy("三（三）-1")
@pytest.mark.parametrize(
    "title",
    [
        "社区成立垃圾分类工作领导小组",  # another group: the subject differs, the pattern is the same
        "社区成立文明城区创建领导小组",
        "社区配备专职平安建设工作人员",  # a post, which the admission did not demand
        "开辟专门的平安建设活动室",  # a venue, which the admission did not demand
    ],
)
def test_the_number_does_not_cover_a_different_group_venue_or_post(city_group, org, title):
    number = city_group.admission_no
    v = evaluate_task(title=title, community=org(HOME), admission_no=number)
    assert v.verdict == NOT_ADMITTED and v.rule == "organisation", v.reason
    assert f"准入编号“{number}”" in v.reason and "不构成准入" in v.reason
    assert "各社区成立平安建设领导小组" in v.reason  # it says which task the number was given for
    assert v.admission["covers_task"] is False
    plain = evaluate_task(title=title, community=org(HOME))
    assert plain.verdict == NOT_ADMITTED and plain.rule == "organisation", plain.reason


@pytest.mark.policy("三（三）-1")
def test_a_city_level_organisation_demand_passes_submission(demo_full, flow):  # noqa: F811
    req = flow.submitted(
        "city_stats",
        title="各社区成立平安建设领导小组",
        description="请各社区成立平安建设领导小组，由社区党组织书记任组长。",
    )
    assert req.status != "rejected", req.status_reason
