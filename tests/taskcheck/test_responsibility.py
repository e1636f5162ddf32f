"""The community as responsible subject (issue 9.2) and the negative list in departments' words (issue 9.3).

Tuning phrasings: written for these tests, apart from the held-apart evaluation set in evals/taskcheck/.
"""

from __future__ import annotations

import pytest

from taskcheck.engine import NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.taskcheck.conftest import community

pytestmark = pytest.mark.django_db


def verdict(title, description=""):
    return evaluate_task(title=title, description=description, community=community())


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title",
    [
        "由社区负责辖区社会救助工作的组织实施",
        "社区对辖区人口普查工作负总责",
        "社区与街道签订禁毒工作目标责任书",
        "社区签订社区矫正工作责任状",
        "落实社区在突发事件应对中的属地责任",
        "社区牵头负责辖区精神卫生工作，出现肇事肇祸的考核问责",
        "社区作为消防安全的责任主体",
        "社区负责居住证的签发工作",
    ],
)
def test_the_community_made_responsible_for_an_assisting_item_is_not_on_list(reference_lists, title):
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}: {v.reason}"
    assert v.clause.endswith("三（一）") and "三（一）" in v.reason
    assert v.refusable


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title",
    [
        "协助街道做好社会救助申请受理",
        "协助公安机关做好居住证申领受理",
        "社区负责禁毒宣传和发现报告",
    ],
)
def test_assisting_wording_of_the_same_items_stays_on_list(reference_lists, title):
    assert verdict(title).verdict == ON_LIST


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title, field",
    [
        ("压实社区两违管控属地责任，新增一处问责一处", "拆迁拆违"),
        ("各社区负责辖区内僵尸车辆清拖，月底前清零", "城市管理"),
        ("社区负责小区停车秩序管理", "城市管理"),
        ("社区负责沿街商户占道经营治理", "城市管理"),
        ("社区负责楼道乱堆乱放专项整治", "环境整治"),
        ("社区承担拆违控违任务，拆除面积纳入考核", "拆迁拆违"),
        ("创卫迎检期间社区负责卫生死角整治", "环境整治"),
        ("给各社区分解招商指标，每季度通报", "招商引资"),
        ("社区负责露天焚烧垃圾的管控", "环境整治"),
        ("社区开展执法巡查，对违规经营的商户责令整改", "行政执法"),
        ("社区负责引进外资项目落地", "招商引资"),
    ],
)
def test_the_negative_list_in_departments_words(reference_lists, title, field):
    v = verdict(title)
    assert v.verdict == PROHIBITED, f"{title} → {v.verdict}: {v.reason}"
    assert v.rule in ("negative_list", "own_duty", "appraisal"), v.rule


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "协助宣传两违治理政策",
        "发现新增违建及时上报街道",
        "向沿街商户宣传门前三包规定",
        "劝导居民规范停放非机动车",
        "协助城管部门张贴占道经营整治通告",
        "僵尸车清拖由交管和城管部门负责，社区协助通知车主",
        "配合宣传招商引资优惠政策",
    ],
)
def test_assisting_wording_of_a_barred_field_is_never_prohibited(reference_lists, title):
    v = verdict(title)
    assert v.verdict in (ON_LIST, NOT_ADMITTED), f"{title} → {v.verdict}: {v.reason}"


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title",
    [
        "统计辖区残疾人康复器具使用率",
        "统计辖区老年人智能手机持有数量",
        "填报辖区优抚对象家庭收入明细表",
        "开展禁毒宣传知晓率测评",
    ],
)
def test_data_work_about_a_listed_subject_is_not_the_listed_duty(reference_lists, title):
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{(v.matched_item or {}).get('id')}: {v.reason}"
