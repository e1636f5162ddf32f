"""Round 7 principles (issue 9, point 10): the community named the responsible subject with 是, the trace of the work
(拍照、打卡、留痕) instead of the work, barred fields and certificates in plain speech, quotas of donations, figures
reported on a schedule, another department's star appraisal, a room counted for one purpose.

Tuning phrasings: written for these tests, apart from the held-apart evaluation sets in evals/taskcheck/.
"""

from __future__ import annotations

import pytest

from evaluations.rules import decide
from taskcheck.engine import NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from taskcheck.rules import proof_of_work
from tests.taskcheck.conftest import community

pytestmark = pytest.mark.django_db


def verdict(title, description=""):
    return evaluate_task(title=title, description=description, community=community())


@pytest.mark.policy("三（一）-2")
def test_the_community_named_the_responsible_subject_with_shi(reference_lists):
    """ "社区是…责任主体": the community stands before 是, so what follows is the duty put on it, not another actor
    (the businesses named in it are what is inspected)."""
    v = verdict("社区是辖区九小场所消防安全监管的责任主体，每周巡查一遍")
    assert v.verdict == PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"
    assert "三（一）" in v.clause


@pytest.mark.policy("三（三）-2")
@pytest.mark.parametrize(
    "title",
    [
        "楼门长巡楼时每小时在群里拍照签到",
        "文明劝导岗每天上传五张现场照片到街道工作群",
        "把每次入户宣传的照片和签到表整理成册备查",
        "网格员每天手机定位打卡三次",
    ],
)
def test_the_trace_of_the_work_is_never_the_listed_duty(reference_lists, title):
    """A schedule of photos, check-ins or sign-in sheets (留痕) attached to a listed subject (巡楼、文明劝导、入户宣传)
    is a register off the catalogue, never ``on_list``."""
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule == "proof_of_work" and "三（三）" in v.reason


def test_reporting_what_was_found_by_photo_is_no_trace():
    """Photographing a problem found and reporting it is reporting (发现…拍照上报), not proof of the community's work;
    forbidding traces (不得要求拍照留痕) is no demand."""
    assert proof_of_work("发现楼道堆放杂物，拍照上报网格中心") == ""
    assert proof_of_work("今后不得要求社区拍照留痕") == ""
    assert proof_of_work("每周上报三次巡查照片") != ""


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "让居委会把三号楼顶私自扩建的彩钢房拆了",
        "社区这周把菜市场门口的流动摊贩全部清走",
    ],
)
def test_barred_fields_in_plain_speech(reference_lists, title):
    """拆了、清走 are the hard acts of demolition and street management, as 拆除、清理 are."""
    v = verdict(title)
    assert v.verdict == PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-3")
def test_assisting_a_barred_field_in_plain_speech_stays_assisting(reference_lists):
    v = verdict("看到有人私自扩建，社区拍照报给街道执法队")
    assert v.verdict != PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（五）-3")
@pytest.mark.parametrize(
    "title",
    [
        "派出所让居民来社区出个没有违法记录的证明",
        "银行要他的婚姻状况，社区给盖个章就行",
        "请居委会证明王某就是户口本上曾用名的那个人",
    ],
)
def test_barred_certificates_in_everyday_words(reference_lists, title):
    """The demand (出个、盖个章、请居委会证明) and the barred kind may stand in different clauses."""
    v = verdict(title)
    assert v.verdict == PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule == "certificate" or "证明" in v.reason


@pytest.mark.policy("三（五）-3")
def test_a_referral_that_names_the_issuer_is_no_demand(reference_lists):
    v = verdict("居民想开婚姻状况证明，社区告知应由婚姻登记处出具")
    assert v.verdict != PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（二）-3")
@pytest.mark.parametrize(
    "title",
    [
        "区红十字会给社区下达博爱募捐任务两万元",
        "动员辖区居民每户捐一百元支援区里的慈善日",
    ],
)
def test_a_donation_quota_is_no_list_item(reference_lists, title):
    """Giving is voluntary: a quota of donations is not the item that distributes donations."""
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.matched_item is None


@pytest.mark.policy("三（二）-3")
@pytest.mark.parametrize(
    "title",
    [
        "区体育局让社区每周上报参加健身的人数",
        "请社区采集辖区独居老人子女的联系方式报区老龄办",
    ],
)
def test_figures_collected_beside_a_listed_subject_are_data_work(reference_lists, title):
    v = verdict(title)
    assert v.verdict != ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（二）-3")
def test_volunteers_sent_to_a_districts_own_event(reference_lists):
    v = verdict("请社区组织二十名志愿者参加区里的龙舟赛事服务")
    assert v.verdict == NOT_ADMITTED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（四）-2")
def test_another_star_appraisal_is_not_the_star_rating():
    """Only the one star rating is kept: a department's 星级评比, or a ranking beside the star rating, is an
    appraisal off the whitelist; the star rating itself stays on the list."""
    assert decide("区卫健委组织健康社区星级评比，请社区自评", []).verdict == "prohibited"
    assert decide("评星定级以外，区文明办还要给各社区打分", []).verdict == "prohibited"
    assert decide("请社区按全市评星定级办法完成年度自评", []).verdict == "on_list"


@pytest.mark.policy("三（三）-1")
def test_a_room_counted_for_one_purpose_is_a_dedicated_venue(reference_lists):
    v = verdict("区司法局要求每个社区建一间法治宣传室")
    assert v.verdict in (NOT_ADMITTED, PROHIBITED), f"{v.verdict}/{v.rule}: {v.reason}"
    assert v.matched_item is None or v.matched_item.get("list_type") != "assistance"


@pytest.mark.policy("三（一）-1")
@pytest.mark.parametrize(
    "title,word",
    [
        ("社区开办家长沙龙，聊聊孩子沉迷手机怎么办", "家庭教育"),
        ("邻居说她常被老公动手打，社区帮她联系妇联并申请保护令", "家庭暴力"),
        ("周末在社区广场组织义剪和修鞋服务", "服务"),
    ],
)
def test_the_committees_own_duties_in_plain_words(reference_lists, title, word):
    """Classes of words for what an item does (家长课堂/沙龙 → 家长学校, 被老公打 → 家庭暴力, 义剪、修鞋 → 便民服务)
    find the item."""
    v = verdict(title)
    assert v.verdict == ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert word in v.matched_item["title"], v.matched_item


@pytest.mark.policy("三（一）-2")
def test_a_department_handing_its_own_work_down(reference_lists):
    """ "X局把…交给社区" with no list item covering the work: the department's own duty pushed down."""
    v = verdict("区统计局把规上企业月报数据的催报交给居委会")
    assert v.verdict == PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"
    assert "三（一）" in v.reason


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "社区要配合街道完成今年的限上零售额目标",
        "区发改委关于重点项目招引的通知｜全年招引任务分解到社区，按季度通报。",
        "请社区每季度提供两条招商项目信息",
    ],
)
def test_an_economic_target_is_carried_however_it_is_worded(reference_lists, title):
    """A target broken down to the communities binds them whoever breaks it down; helping to reach a target is
    carrying it."""
    v = verdict(title)
    assert v.verdict == PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
