"""Department and everyday vocabulary the engine must know (issue 9.3, 9.4, 9.10, second round).

Tuning phrasings, written for these tests and kept apart from the held-apart sets in evals/taskcheck/ (no row of
eval_set.py, eval_set_2.py or eval_set_3.py is copied here). Each group pins one principle: a synonym group of the list items'
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


# Round 2 (issue 9.13): everyday words of the items' subjects — a quarrel for a dispute, hitting one's wife for
# domestic violence, a martyr's family for the 优抚 object, a handrail for accessibility, a ball game for sport,
# a chronic disease for health education, passing on residents' views.
EVERYDAY_CASES = [
    ("两家人为占车位吵架，居委会去劝和", ("A-4",)),
    ("邻居因为噪音起了争执，帮着调和", ("A-4",)),
    ("有人喝了酒就打媳妇，上门劝阻", ("B-23",)),
    ("清明节陪烈士遗属去扫墓", ("B-2",)),
    ("走访辖区复员军人，了解生活困难", ("B-2",)),
    ("给行动不便的老人家卫生间加装扶手", ("B-11", "B-20")),
    ("组织居民打羽毛球比赛", ("A-13", "B-7")),
    ("请社区医生讲糖尿病饮食知识", ("B-27",)),
    ("为年轻父母办育儿指导课", ("B-9",)),
    ("把居民对公交站迁移的意见转达给街道", ("A-16",)),
]


@pytest.mark.policy("三（一）-1")
def test_everyday_words_of_listed_subjects_round_two(home):
    _check(
        home,
        EVERYDAY_CASES,
        lambda v, items: v.verdict == ON_LIST and str(v.matched_item["id"]).split(":")[-1] in items,
    )


@pytest.mark.policy("三（一）-2")
def test_more_departments_own_acts(home):
    _check(
        home,
        [
            ("社区负责办理居民离婚登记", "有关行政机关"),
            ("社区负责评定残疾人的残疾等级", "有关行政机关"),
            ("社区承担辖区锅炉安全监察", "有关行政机关"),
            ("社区负责为参保居民办理医疗费报销", "医疗保障"),
        ],
        lambda v, owner: v.verdict == PROHIBITED and v.rule == "own_duty" and owner in v.reason,
    )
    v = evaluate_task(title="社区负责维修辖区市政道路", community=home)
    assert v.verdict == PROHIBITED and v.negative_item["title"] == "城市管理", v.reason


@pytest.mark.policy("三（一）-1")
def test_the_communitys_own_election_checks_its_voters(home):
    """选民资格审查 in the community's own election is the election committee's act, not a department's."""
    v = evaluate_task(title="居委会选举委员会公布新一届选民资格审查名单", community=home)
    assert v.verdict == ON_LIST and str(v.matched_item["id"]).endswith("A-7"), v.reason
    # a department's eligibility check is still the department's
    assert evaluate_task(title="社区负责公租房申请人的资格审查", community=home).verdict == PROHIBITED


@pytest.mark.policy("三（一）-3")
def test_helping_or_passing_on_is_not_carrying_the_barred_duty(home):
    _check(
        home,
        [
            "看到有人占道摆摊，拍照报给城管中队",
            "发现楼顶有人加盖房子，随手拍报给城管执法队",
            "招商由区商务局负责，社区帮忙转交企业的材料",
        ],
        lambda v: v.verdict in (ON_LIST, NOT_ADMITTED),
    )


@pytest.mark.policy("三（五）-3")
def test_telling_a_resident_where_a_barred_kind_is_issued_is_no_demand(home):
    v = evaluate_task(title="引导要开死亡证明的家属到医院或派出所办理", community=home)
    assert v.rule != "certificate" and v.verdict != PROHIBITED, v.reason
    v = evaluate_task(title="提醒要开结婚证明的居民去婚姻登记处咨询", community=home)
    assert v.rule != "certificate" and v.verdict != PROHIBITED, v.reason
    assert evaluate_task(title="派出所让社区开一份死亡证明", community=home).rule == "certificate"


@pytest.mark.policy("三（一）-3")
def test_full_responsibility_for_a_listed_field_is_not_on_list(home):
    v = evaluate_task(title="社区对辖区困境儿童的安全负全责", community=home)
    assert v.verdict != ON_LIST, v.reason
