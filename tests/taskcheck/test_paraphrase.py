"""Round 3 of issue 9.10: paraphrases of list items, more departments' own acts, telling about a barred field.

Tuning phrasings, written for these tests and kept apart from the held-apart sets in evals/taskcheck/
(``python evals/taskcheck/check_apart.py`` checks that no row of eval_set_4.py equals or nearly equals any string
here). Each group pins one principle:

- a paraphrase layer (``taskcheck.lexicon.PARAPHRASES``): what is done to what, in everyday words, reaches the
  item's subject (sorting the rubbish → 垃圾分类, a law named by its title → 普法, the committee's money shown →
  收支公开, what someone gave taken on → 慈善, any help to a disabled resident → 助残, a child beaten or left alone →
  未成年人保护);
- the items' subjects in the words of their own laws (kinds of disability, 现役军人家属, infectious diseases,
  tobacco control, patrols and theft for 治安, fire extinguishers for 消防, floods for 灾害, rehearsals and folk
  games for 文体);
- departments' own acts: supervision of quality, safety and trade (监管), labour inspection (监察), periodic
  inspection of equipment (检验), licences (许可), determinations of a person's status (认定), registering a dog
  or a newborn; inspections of the premises departments license (加油站、诊所、宾馆…);
- barred-field objects: 公厕/环卫, 广告灯箱, 门前责任区, 坑塘清淤, air-quality targets, 外贸/进出口, 税收收入,
  bringing in brands or shops (招商引资);
- telling and asking about a barred field (宣传…的危害, 征求…意见) is not carrying it; a rate counted is data work;
  挂牌 of a market listing is no plaque; passive acts (被拆除) are someone else's;
- the community's own staff taking part in an event are not residents' mass activities.
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


def _on(items):
    return lambda v, ids=items: v.verdict == ON_LIST and str(v.matched_item["id"]).split(":")[-1] in ids


PARAPHRASE_CASES = [
    ("教小学生认识厨余垃圾和其他垃圾", ("B-10",)),
    ("垃圾要先分好再扔，挨个楼门讲一遍", ("B-10",)),
    ("组织党员学习《老年人权益保障法》", ("A-14", "B-20")),
    ("居委会把去年的开支张榜让居民看", ("A-10", "A-3")),
    ("好心人送来的过冬棉衣，分给低保家庭", ("B-5",)),
    ("陪听障居民去医院看病", ("B-3",)),
    ("替坐轮椅的居民跑腿代购", ("B-3",)),
    ("孩子被父母遗弃在出租屋里，赶紧报告公安", ("B-21",)),
]


@pytest.mark.policy("三（一）-1")
def test_paraphrases_of_a_listed_subject_find_the_item(home):
    _check(home, PARAPHRASE_CASES, lambda v, items: _on(items)(v))


OWN_LAW_WORDS = [
    ("组织老年舞蹈队排练重阳节节目", ("A-13",)),
    ("在社区开展国民体质测试", ("B-7",)),
    ("春节慰问现役军人家属", ("B-2",)),
    ("汛期前提醒低洼院住户防范内涝", ("B-4", "B-17")),
    ("组织楼门长开展防盗巡防", ("B-13",)),
    ("教居民查看家中灭火器压力是否正常", ("B-16",)),
    ("秋冬季宣传预防流感知识", ("B-25",)),
    ("世界无烟日宣传二手烟的危害", ("B-27",)),
    ("应法院通知派员参加腾房执行", ("B-33",)),
]


@pytest.mark.policy("三（一）-1")
def test_subjects_in_the_words_of_the_items_own_laws(home):
    _check(home, OWN_LAW_WORDS, lambda v, items: _on(items)(v))


@pytest.mark.policy("三（一）-2")
def test_departments_own_acts_round_three(home):
    _check(
        home,
        [
            "社区负责辖区特种设备的定期检验",
            "社区负责对辖区宾馆开展治安检查",
            "社区负责建材市场的产品质量监管",
            "社区负责辖区劳动监察投诉的调查处理",
            "社区负责认定辖区低收入家庭",
            "社区负责为居民办理养犬登记",
            "孩子落户由社区受理审核",
            "社区负责核发辖区诊所的执业许可",
        ],
        lambda v: v.verdict == PROHIBITED,
    )


@pytest.mark.policy("三（一）-3")
def test_barred_field_objects_round_three(home):
    _check(
        home,
        [
            ("由社区承担环卫保洁和公厕管理任务", "城市管理"),
            ("社区对店外的违规灯箱下达限期整改决定", ""),
            ("社区负责辖区沟渠清淤", "环境整治"),
            ("社区负责完成辖区空气质量改善目标", "环境整治"),
            ("每个社区负责引进2个连锁品牌门店", "招商引资"),
            ("社区负责辖区进出口贸易额增长", "招商引资"),
        ],
        lambda v, field: (
            v.verdict == PROHIBITED and (not field or (v.negative_item or {}).get("title") == field)
        ),
    )


@pytest.mark.policy("三（一）-3")
def test_telling_and_asking_about_a_barred_field_is_not_carrying_it(home):
    _check(
        home,
        [
            "向居民讲解露天焚烧秸秆的危害",
            "提醒临街商户占道经营会被处罚",
            "征求居民对老旧小区违建治理的看法",
            "统计辖区垃圾清运率",
            "汇总小区房源的挂牌出售信息",
            "为房屋被拆除的住户联系临时住处",
        ],
        lambda v: v.verdict in (ON_LIST, NOT_ADMITTED),
    )


def test_an_event_of_the_communitys_own_staff_is_no_residents_activity(home):
    _check(
        home,
        ["让社工们去参加街道的趣味运动会", "网格员参加街道举办的技能比武"],
        lambda v: v.verdict == NOT_ADMITTED,
    )
    # the residents' own contest still is
    v = evaluate_task(title="组织居民参加社区拔河比赛", community=home)
    assert v.verdict == ON_LIST, v.reason


@pytest.mark.policy("三（五）-3")
def test_asking_the_community_itself_to_certify_is_a_demand(home):
    v = evaluate_task(title="派出所要社区证明他没有犯罪记录", community=home)
    assert v.verdict == PROHIBITED and v.rule == "certificate", v.reason
