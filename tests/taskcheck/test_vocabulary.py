"""Department and everyday vocabulary the engine must know (issue 9.3, 9.4, 9.10, second round).

Tuning phrasings, written for these tests and kept apart from the held-apart sets in evals/taskcheck/ (no row of
eval_set.py or eval_set_2.py is copied here). Each group pins one principle: a synonym group of the list items'
own subjects, a barred-field word of 城管、住建、生态环境、市场监管、商务, a department's own act, a colloquial way of
asking for a certificate, a report of what was found, data work and quotas beside a listed subject, the standard
plaques named in short.
"""

from __future__ import annotations

import pytest

from taskcheck.engine import NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task

pytestmark = pytest.mark.django_db

HOME = "120103001001"  # 新华南路社区 with the shipped lists (demo data)


@pytest.fixture
def home(demo_full):
    from portal.models import OrgUnit
    from taskcheck import matching, sources

    sources.clear_cache()
    matching.clear_caches()
    return OrgUnit.objects.get(code=HOME)


def _check(home, cases, ok):
    """Every case through the engine; all misses reported at once."""
    misses = []
    for case in cases:
        title, *expected = case if isinstance(case, tuple) else (case,)
        v = evaluate_task(title=title, community=home)
        if not ok(v, *expected):
            item = (v.matched_item or {}).get("id") or (v.negative_item or {}).get("title") or ""
            misses.append(f"{title} → {v.verdict}/{v.rule} {item}: {v.reason[:60]}")
    assert not misses, "\n".join(misses)


ON_LIST_CASES = [
    ("春节组织居民写春联、猜灯谜", ("A-13",)),
    ("组织老年人下象棋、练书法", ("A-13", "B-7")),
    ("组织居民晨练太极拳", ("B-7", "A-13")),
    ("盘点居委会集体资产并登记造册", ("A-11",)),
    ("汛后对受灾群众开展生活救助", ("B-4",)),
    ("台风来临前动员居民转移避险", ("B-17", "B-4")),
    ("配合区图书馆开展送书进社区", ("B-6",)),
    ("发现被拐骗的妇女及时报告公安机关", ("B-22",)),
    ("提醒老年人警惕养老诈骗骗局", ("B-18",)),
    ("把爱心企业捐助的物资分送困难家庭", ("B-5",)),
    ("受送达人拒签裁定书时派员到场见证", ("B-32",)),
    ("普及合理膳食知识", ("B-27",)),
    ("在社区广场举办便民市集", ("A-12",)),
    ("组织志愿者为高龄居民义剪", ("A-12",)),
]


@pytest.mark.policy("三（一）-1")
def test_everyday_words_of_a_listed_subject_find_the_item(home):
    _check(
        home,
        ON_LIST_CASES,
        lambda v, items: v.verdict == ON_LIST and str(v.matched_item["id"]).split(":")[-1] in items,
    )


@pytest.mark.policy("三（三）-3")
def test_the_standard_plaques_named_in_short_are_the_standard_plaques(home):
    v = evaluate_task(title="统一制作党组织、居委会、工作站三块牌子", community=home)
    assert v.verdict == ON_LIST and v.rule == "plaque", v.reason
    assert evaluate_task(title="门口加挂“综治工作站”牌子", community=home).verdict == PROHIBITED


@pytest.mark.policy("三（一）-3")
def test_barred_fields_in_department_words(home):
    _check(
        home,
        [
            ("社区对辖区超市开展食品监督抽检", "行政执法"),
            ("社区负责辖区违法外扩阳台的拆除", "拆迁拆违"),
            ("社区负责临街住户破墙开店的清理", ""),
            ("社区牵头开展印刷厂废气排放整治", "环境整治"),
            ("社区负责工地裸土苫盖", "环境整治"),
            ("社区负责楼道堆物清零", "环境整治"),
            ("下达社区规上企业入库纳统任务", "招商引资"),
            ("各社区年内引进3个项目", "招商引资"),
        ],
        lambda v, field: (
            v.verdict == PROHIBITED
            and v.rule == "negative_list"
            and (not field or v.negative_item["title"] == field)
        ),
    )


@pytest.mark.policy("三（一）-2")
def test_a_departments_own_acts_are_not_the_communitys(home):
    _check(
        home,
        [
            ("社区负责核定困难家庭救助金额", "有关行政机关"),
            ("社区负责办理新生儿户口登记", "公安机关"),
            ("社区负责为迁入居民办理户口", "公安机关"),
            ("社区负责催收欠缴的供热费", "有关部门或收费单位"),
        ],
        lambda v, owner: v.verdict == PROHIBITED and v.rule == "own_duty" and owner in v.reason,
    )


@pytest.mark.policy("三（五）-3")
def test_a_certificate_asked_for_colloquially_is_still_asked_for(home):
    v = evaluate_task(title="请社区给申请人开一张收入证明", community=home)
    assert v.verdict == PROHIBITED and v.rule == "certificate", v.reason
    # 开展 is not 开: a campaign about certificates asks for none
    assert evaluate_task(title="开展证明事项清理宣传", community=home).rule != "certificate"


@pytest.mark.policy("三（一）-3")
def test_reporting_what_was_found_is_not_carrying_the_barred_duty(home):
    _check(
        home,
        [
            "发现辖区餐馆油烟扰民向环保部门反映",
            "发现工地夜间施工噪声及时向城管报告",
            "发现有人私开门洞及时告知街道",
        ],
        lambda v: v.verdict in (ON_LIST, NOT_ADMITTED),
    )


def test_surveys_and_quotas_beside_a_listed_subject_are_not_the_listed_duty(home):
    _check(
        home,
        ["调查居民垃圾分类参与率", "调查居民献血意愿并汇总上报", "向居民推广反诈主题信用卡并完成指标"],
        lambda v: v.verdict == NOT_ADMITTED,
    )
