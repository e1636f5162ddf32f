"""Round 6 principles (issue 9, point 10): the task's structure is read before any item is matched — who asks,
whom the work serves, which act the community does — and a word shared with an item is not enough for ``on_list``.

Tuning phrasings: written for these tests, apart from the held-apart evaluation sets in evals/taskcheck/.
"""

from __future__ import annotations

import pytest

from taskcheck.analysis import read_structure
from taskcheck.engine import NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.taskcheck.conftest import community

pytestmark = pytest.mark.django_db


def verdict(title, description=""):
    return evaluate_task(title=title, description=description, community=community())


def test_the_structure_is_read_before_matching():
    """Who asks, whom the work serves and which act the community does are read from the wording."""
    s = read_structure("区应急管理局要求社区为区里的消防运动会提供二十名志愿者")
    assert s.requester == "区应急管理局"
    assert "应急" not in s.match_text and "志愿者" in s.match_text
    assert s.served_body == "区里"
    assert read_structure("居委会向居民推销家用灭火器").sale == "推销"
    assert read_structure("提醒居民警惕上门推销灭火器的骗局").sale == ""
    assert read_structure("每周报送辖区写字楼出租率").figure_report
    assert not read_structure("确保辖区写字楼出租率达到九成").figure_report


@pytest.mark.policy("三（二）-3")
@pytest.mark.parametrize(
    "title",
    [
        "为区里马拉松比赛提供三十名沿途志愿者",
        "街道的合唱比赛缺观众，让社区为街道凑三十名居民坐台下",
        "社区发动居民捐款为区里修建社区图书馆",
    ],
)
def test_work_for_another_bodys_own_affair_is_no_list_item(reference_lists, title):
    """A word shared with an item (志愿者, 合唱, 捐款) is not the item when the work serves a body's own event or
    building: the answer is not_admitted, naming the nearest items for the worker to check."""
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule == "weak_match" and v.matched_item is None
    assert "自身的活动或建设" in v.reason and "三（二）" in v.reason


@pytest.mark.policy("三（二）-3")
@pytest.mark.parametrize("title", ["居委会向居民推销家用灭火器", "网格员给独居老人兜售防汛应急包"])
def test_the_community_made_a_seller_is_no_list_item(reference_lists, title):
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule == "weak_match" and v.matched_item is None
    assert "经营销售" in v.reason


def test_a_weak_answer_names_the_nearest_items(reference_lists):
    v = verdict("居委会向居民推销家用灭火器")
    assert "可能相关：" in v.reason and v.nearest
    assert v.as_dict()["nearest"][0]["title"] in v.reason


@pytest.mark.policy("三（一）-1")
@pytest.mark.parametrize(
    "title",
    [
        "提醒居民警惕上门推销灭火器的骗局",
        "协助区禁毒办在社区广场开展禁毒宣传",
    ],
)
def test_warning_about_sellers_and_assisting_a_named_body_stay_on_list(reference_lists, title):
    """Residents warned about sellers are told, not sold to; a body the community assists (协助区禁毒办) is what
    the task is about, unlike a body that only asks."""
    v = verdict(title)
    assert v.verdict == ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（二）-3")
def test_the_asking_bodys_name_is_no_evidence(reference_lists):
    """区禁毒办 asks; what it asks (a count of rented flats) is on no list: its name does not make it 禁毒."""
    v = verdict("区禁毒办要求社区每月把辖区快递驿站的营业时间报上来")
    assert v.verdict == NOT_ADMITTED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize("title", ["每周报送辖区写字楼出租率", "组织居民参加健康知识答题，答题率纳入统计"])
def test_reporting_a_rate_is_not_an_investment_quota(reference_lists, title):
    """Reporting or counting a rate is data work (not admitted), not the barred duty to reach it."""
    v = verdict(title)
    assert v.verdict != PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-3")
def test_a_rate_to_reach_stays_barred(reference_lists):
    v = verdict("给社区下达辖区商务楼宇入驻率达到九成的目标")
    assert v.verdict == PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title",
    [
        "人口普查入户登记的数据质量由社区兜底",
        "流动人口居住证发不发由社区说了算",
        "征兵报名人数不够就追究社区书记",
    ],
)
def test_the_community_made_responsible_in_plain_words_is_never_on_list(reference_lists, title):
    """兜底, 说了算 and 追究 make the community the responsible subject of an assisting item."""
    v = verdict(title)
    assert v.verdict != ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（三）-1")
@pytest.mark.parametrize(
    "title", ["区消防支队要求社区设置专门的消防器材库房", "街道要求社区建立专用的禁毒教育基地"]
)
def test_a_dedicated_place_by_any_name_is_a_venue_demand(reference_lists, title):
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED and v.rule == "organisation", f"{title} → {v.verdict}/{v.rule}"


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "把居民对夜间装修噪声扰民的举报转给街道",
        "发动居民开展楼院大扫除，清理楼道里堆积的杂物",
    ],
)
def test_assisting_structure_beside_a_barred_field_is_never_prohibited(reference_lists, title):
    """What residents complain of names the complaint; a clause after residents are mobilised, with no actor of
    its own, is what the residents do."""
    v = verdict(title)
    assert v.verdict != PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（五）-3")
def test_a_request_answered_by_a_referral_is_no_certificate_demand(reference_lists):
    v = verdict("家属来社区开死亡证明，社区告诉他们去医院开")
    assert v.verdict != PROHIBITED and v.rule != "certificate", f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（五）-3")
def test_a_certificate_demand_without_referral_stays_barred(reference_lists):
    v = verdict("派出所让居民先来社区开一份亲属关系证明")
    assert v.verdict == PROHIBITED and v.rule == "certificate", f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title", ["社区负责对辖区眼镜店的验光设备进行检定", "社区负责审核辖区托管班的开办申请"]
)
def test_the_community_made_responsible_for_an_administrative_act_is_prohibited(reference_lists, title):
    """Whatever its object, an act of administrative power (检定、审核、处罚、征收、封堵、备案…) the community is made
    responsible for, which no list item covers, is a department's own act."""
    v = verdict(title)
    assert v.verdict == PROHIBITED and v.rule == "own_duty", f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-2")
def test_telling_about_an_administrative_act_is_not_doing_it(reference_lists):
    v = verdict("社区负责向居民宣传计量器具检定的常识")
    assert v.verdict != PROHIBITED, f"{v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（二）-3")
def test_a_daily_check_in_is_form_filling_not_the_listed_duty(reference_lists):
    """A daily check-in in a work group names a listed subject (治安巡逻) but asks for form-filling, which no item
    asks for: not the item."""
    v = verdict("每天在社区工作群里接龙报告辖区治安巡逻情况")
    assert v.verdict == NOT_ADMITTED, f"{v.verdict}/{v.rule}: {v.reason}"
