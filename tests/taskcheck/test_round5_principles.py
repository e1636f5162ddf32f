"""Round 5 principles (issue 9, point 10): standing in for the owners' bodies, assisting beside a barred field,
a department's regulating act made the community's, barred certificates in everyday words.

Tuning phrasings: written for these tests, apart from the held-apart evaluation sets in evals/taskcheck/.
"""

from __future__ import annotations

import pytest

from taskcheck.engine import NOT_ADMITTED, ON_LIST, PROHIBITED, evaluate_task
from tests.taskcheck.conftest import community

pytestmark = pytest.mark.django_db


def verdict(title, description=""):
    return evaluate_task(title=title, description=description, community=community())


@pytest.mark.policy("三（二）-3")
@pytest.mark.parametrize(
    "title",
    [
        "居委会替业委会筹划业主投票改选物业服务企业",
        "社区代物业服务企业向业主收缴电梯运行维护费",
        "居委会替业主委员会保管公共收益存折",
        "社区帮物业公司清掏小区雨水井",
        "居委会代替业主大会与物业公司谈判续签服务协议",
        "帮业委会张贴上半年公共收益收支情况",
        "社区替物业催交业主拖欠的车位管理费",
        "居委会代业委会审核维修资金使用方案",
    ],
)
def test_standing_in_for_the_owners_bodies_is_not_the_committees_duty(reference_lists, title):
    """What the owners' assembly, their committee or the property company do for themselves is theirs: the list
    item that guides and supervises them does not cover doing it, and a company's fee is not a department's."""
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule == "another_body" and v.matched_item is None
    assert "指导和监督" in v.reason and "三（二）" in v.reason


@pytest.mark.parametrize(
    "title",
    [
        "指导业主委员会依法开展换届选举",
        "监督业委会按规定公开公共收益收支",
        "帮助业主依法筹备成立业主委员会",
    ],
)
def test_guiding_the_owners_bodies_stays_on_list(reference_lists, title):
    v = verdict(title)
    assert v.verdict == ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


def test_standing_in_and_a_barred_field_is_still_barred(reference_lists):
    v = verdict("居委会代物业公司强制拆除业主私搭的棚子")
    assert v.verdict == PROHIBITED and v.rule == "negative_list"


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "看见河道边有人倾倒建筑垃圾，拍个照发给街道城管科",
        "把群众反映的私搭乱建线索转交街道综合执法队",
        "接到网格上报的油烟扰民投诉，社区核实后反馈给街道",
        "征收现场社区安排人员向住户做好政策解释",
        "动员居民把楼道里的自行车和纸箱搬回家",
        "号召居民清理阳台上的易燃杂物",
        "居民投诉夜间施工噪声，社区了解情况后转给区生态环境局",
        "提醒临街商户及时办理营业执照",
        "调解因房屋征收补偿分配引发的兄弟矛盾",
    ],
)
def test_assisting_beside_a_barred_field_is_never_prohibited(reference_lists, title):
    """Reporting or passing a case on to the body named after its field, explaining at the scene, mobilising
    residents for their own things, mediating a quarrel about a demolition: assisting, not the barred duty."""
    v = verdict(title)
    assert v.verdict in (ON_LIST, NOT_ADMITTED), f"{title} → {v.verdict}/{v.rule}: {v.reason}"


@pytest.mark.policy("三（一）-3")
@pytest.mark.parametrize(
    "title",
    [
        "社区负责清理背街小巷的暴露垃圾",
        "社区负责辖区人行道积雪清除，未按时清完的通报扣分",
        "各社区负责加装电梯施工现场的质量监督，发现问题责令停工",
        "社区负责辖区小微企业排污情况的日常监管",
        "社区负责对辖区药店开展执业检查并通报结果",
        "社区负责辖区早餐摊点的食品安全抽检",
        "社区负责为辖区新开办的小吃店办理工商登记",
        "社区负责给居民的三轮车办理牌照",
        "社区负责辖区家政公司的信用等级评定",
        "社区负责完成辖区个体工商户升规入统任务",
        "社区负责完成商圈零售额增长任务",
        "社区负责为空置底商引进经营主体、提高入驻率",
        "社区负责辖区景观河道的水质治理",
        "社区对辖区燃气管线隐患负责排查，并督促产权单位限期整改",
        "社区负责督促辖区餐饮商户整改油烟问题",
        "社区负责辖区电梯维保单位的服务质量考评",
    ],
)
def test_a_departments_regulating_act_made_the_communitys_is_prohibited(reference_lists, title):
    """Supervising, spot-checking, rating or registering regulated parties, ordering them to put things right,
    economic targets, street snow and water bodies: a department's own act or a barred field, never a list item."""
    v = verdict(title)
    assert v.verdict == PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert v.rule in ("negative_list", "own_duty") and "三（一）" in v.reason


def test_finding_a_hazard_and_reporting_it_stays_on_list(reference_lists):
    v = verdict("发现燃气管线安全隐患及时报告街道")
    assert v.verdict == ON_LIST and "隐患" in v.matched_item["title"]


@pytest.mark.policy("三（五）-3")
@pytest.mark.parametrize(
    "title, kind",
    [
        ("保险公司要社区出一份父子关系证明", "亲属关系证明"),
        ("公证处让居委会开证明证实两人是亲兄妹", "亲属关系证明"),
        ("银行请社区证明祖孙关系", "亲属关系证明"),
        ("单位要求社区盖章证明她一直单身没登记过结婚", "婚姻状况证明"),
        ("房管局让社区开个证明说他没结过婚", "婚姻状况证明"),
        ("派出所让居民回社区开一份以前用过的名字的证明", "居民身份信息（户籍）证明"),
        ("给居民出具曾用名与现用名系同一人的证明", "居民身份信息（户籍）证明"),
    ],
)
def test_barred_certificates_in_everyday_words(reference_lists, title, kind):
    """The catalogue's colloquial names (the seeded table, certificates/demo.py) find the barred kind."""
    v = verdict(title)
    assert v.verdict == PROHIBITED and v.rule == "certificate", f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert kind in v.reason


@pytest.mark.policy("三（一）-2")
@pytest.mark.parametrize(
    "title",
    [
        "社区对邻里纠纷调处成功率负总责，出现群体性事件的问责",
        "社区签订移风易俗目标责任书，辖区出现大操大办一起扣分一起",
    ],
)
def test_an_own_duty_turned_into_an_outcome_the_community_answers_for_is_not_on_list(reference_lists, title):
    v = verdict(title)
    assert v.verdict == NOT_ADMITTED and v.rule == "own_duty", f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert "三（一）" in v.reason


@pytest.mark.parametrize("title", ["调解楼上楼下因噪音引起的邻里矛盾", "居委会向居民会议负责并报告年度工作"])
def test_the_own_duty_without_accountability_for_outcomes_stays_on_list(reference_lists, title):
    assert verdict(title).verdict == ON_LIST


#: The committee's own duties in everyday words (组织法第三条、第五条、第十一条; 公共文化服务保障法第三十七条; 基本医疗卫生与
#: 健康促进法第六十七条), with the shipped list item each should find (by code).
EVERYDAY_OWN_DUTIES = [
    ("居民代表会议上大家举手表决是否在楼前加装电动车棚", ("A-3", "A-9")),
    ("居委会班子开会商量，少数服从多数定下活动室开放时间", ("A-9",)),
    ("召集住户一起商量楼道杂物摆放的规矩", ("A-9",)),
    ("中秋节组织居民做月饼、猜灯谜", ("A-13",)),
    ("劝导居民丧事简办，不搞大操大办", ("A-15",)),
    ("组织汉族、回族邻居一起过古尔邦节", ("A-15",)),
    ("把居民关于增设公交站点的建议整理后报区政府", ("A-16",)),
    ("开展减盐减油的健康生活宣传", ("B-27",)),
    ("举办老年人防跌倒健康知识讲座", ("B-27",)),
    ("街道业务科室到居委会辅导居务公开栏的规范做法", ("A-1",)),
]
#: Near them, but a department's commerce: no festival activity of residents.
NOT_OWN_DUTIES = [
    "社区负责组织辖区商户开展中秋促销活动",
    "社区负责组织辖区商场开展国庆消费季活动",
    "区商务局要求社区上报中秋节期间商户销售额",
]


@pytest.fixture
def shipped_home(demo_full, monkeypatch):
    from admission import selectors as adm
    from portal.models import OrgUnit
    from tests.taskcheck import conftest as c

    monkeypatch.setattr(adm, "admission_lookup", c.fake_admission_lookup)
    monkeypatch.setattr(adm, "admission_valid_for_community", c.fake_admission_valid)
    monkeypatch.setattr(adm, "admitted_tasks_for_community", c.fake_admitted_tasks)
    return OrgUnit.objects.get(code=c.HOME)


def test_own_duties_in_everyday_words_find_their_shipped_items(shipped_home):
    wrong = []
    for title, codes in EVERYDAY_OWN_DUTIES:
        v = evaluate_task(title=title, community=shipped_home)
        got = (v.matched_item or {}).get("id", "")
        if v.verdict != ON_LIST or not any(got.endswith(code) for code in codes):
            wrong.append(f"{title} → {v.verdict} {got}")
    for title in NOT_OWN_DUTIES:
        v = evaluate_task(title=title, community=shipped_home)
        if v.verdict == ON_LIST:
            wrong.append(f"{title} → on_list {(v.matched_item or {}).get('id')}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "title",
    ["为居民代收残疾人证申办材料，统一转交区残联", "替外出务工的住户代收社保卡并通知本人领取"],
)
def test_receiving_papers_to_pass_on_is_no_levy(reference_lists, title):
    v = verdict(title)
    assert v.verdict != PROHIBITED, f"{title} → {v.verdict}/{v.rule}: {v.reason}"


def test_collecting_a_fee_for_a_department_stays_a_levy(reference_lists):
    v = verdict("社区负责代收辖区沿街商户的垃圾处理费")
    assert v.verdict == PROHIBITED and v.rule == "own_duty"


@pytest.mark.parametrize(
    "title, subject",
    [
        ("有人在小区活动室开讲座推销稳赚不赔的养老项目，社区发现后报告街道", "非法集资"),
        ("楼下健身的老人说有公司许诺高额回报拉人入股，社区收集线索报告有关部门", "非法集资"),
        ("发现楼里有个学生胳膊上总有淤青，社区向派出所报告", "未成年人"),
    ],
)
def test_signs_of_a_listed_danger_in_everyday_words_find_the_item(reference_lists, title, subject):
    v = verdict(title)
    assert v.verdict == ON_LIST, f"{title} → {v.verdict}/{v.rule}: {v.reason}"
    assert subject in v.matched_item["title"]
