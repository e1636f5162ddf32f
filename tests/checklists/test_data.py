"""The shipped lists: 7 categories / 16 items and 9 categories / 35 items, every item with a checkable legal basis."""

import re
from pathlib import Path

import pytest

from checklists.choices import CATEGORIES_BY_LIST, Category, LegalLevel, ListType
from checklists.data import BASE_ITEMS, DEMO_DISTRICT_ITEMS, NEGATIVE_ITEMS, ORGANISATIONS

# ../shared/LEGAL-BASES.md beside the checkout (CI lays a copy of shared/ there too).
LEGAL_BASES_MD = Path(__file__).resolve().parents[3] / "shared" / "LEGAL-BASES.md"

# Laws LEGAL-BASES.md lists as naming the committee (short names as they appear there).
ALLOWED_LAWS = {
    "城市居民委员会组织法",
    "国旗法",
    "天津市实施",
    "宪法",
    "人民调解法",
    "公共文化服务保障法",
    "物业管理条例",
    "社会救助暂行办法",
    "军人抚恤优待条例",
    "残疾人保障法",
    "自然灾害救助条例",
    "慈善法",
    "全民健身条例",
    "体育法",
    "义务教育法",
    "妇女权益保障法",
    "家庭教育促进法",
    "固体废物污染环境防治法",
    "无障碍环境建设法",
    "禁毒法",
    "社区矫正法",
    "消防法",
    "突发事件应对法",
    "反恐怖主义法",
    "反电信网络诈骗法",
    "反有组织犯罪法",
    "居住证暂行条例",
    "老年人权益保障法",
    "未成年人保护法",
    "预防未成年人犯罪法",
    "反家庭暴力法",
    "法律援助法",
    "突发公共卫生事件应急条例",
    "精神卫生法",
    "基本医疗卫生与健康促进法",
    "艾滋病防治条例",
    "献血法",
    "人口与计划生育法",
    "全国人口普查条例",
    "人民陪审员法",
    "民事诉讼法",
    "国防教育法",
    "防范和处置非法集资条例",
    "安全生产法",
    "津民发〔2019〕35号",
}
# Laws LEGAL-BASES.md says do NOT name the committee: never cite them.
FORBIDDEN_LAWS = [
    "兵役法",
    "征兵工作条例",
    "社会保险法",
    "统计法",
    "人民警察法",
    "疫苗管理法",
    "治安管理处罚法",
]


def _by_list(list_type):
    return [i for i in BASE_ITEMS if i["list_type"] == list_type]


def test_sixteen_autonomy_items_in_seven_tianjin_categories():
    items = _by_list(ListType.AUTONOMY)
    assert len(items) == 16
    cats = {i["category"] for i in items}
    assert cats == {c.value for c in CATEGORIES_BY_LIST[ListType.AUTONOMY]}
    assert [Category(c).label for c in CATEGORIES_BY_LIST[ListType.AUTONOMY]] == [
        "接受领导、指导和监督",
        "依法履职",
        "组织建设",
        "综合管理",
        "综合服务",
        "宣传教育",
        "联系居民",
    ]


def test_thirty_five_assistance_items_in_nine_tianjin_categories():
    items = _by_list(ListType.ASSISTANCE)
    assert len(items) == 35
    assert {i["category"] for i in items} == {c.value for c in CATEGORIES_BY_LIST[ListType.ASSISTANCE]}
    assert [Category(c).label for c in CATEGORIES_BY_LIST[ListType.ASSISTANCE]] == [
        "社会保障和社会救助",
        "精神文明建设和文体教育",
        "生态环境和城市管理",
        "社会治安和安全保卫",
        "权益维护",
        "卫生健康",
        "统计和普查",
        "法院工作",
        "征兵工作",
    ]
    assert all(i.get("department") for i in items), "every assisting item names the department it assists"


def test_codes_are_unique_and_stable():
    codes = [i["code"] for i in BASE_ITEMS]
    assert len(codes) == len(set(codes))
    assert all(re.match(r"^[AB]-\d+$", c) for c in codes)


def test_every_basis_is_a_real_article_from_legal_bases_md():
    all_items = BASE_ITEMS + [i for rows in DEMO_DISTRICT_ITEMS.values() for i in rows]
    for item in all_items:
        assert item["bases"], item["code"]
        for law, article, level in item["bases"]:
            assert level in LegalLevel.values
            assert any(name in law for name in ALLOWED_LAWS), (item["code"], law)
            assert not any(bad in law for bad in FORBIDDEN_LAWS), (item["code"], law)
            assert re.match(
                r"^(第[一二三四五六七八九十百零]+条(第[一二三四五六七八九十]+[款项])*|三（[一二三四五六]）)$",
                article,
            ), (item["code"], article)


def test_legal_bases_md_mentions_each_cited_law():
    if not LEGAL_BASES_MD.exists():
        pytest.skip(f"{LEGAL_BASES_MD} is not beside this checkout")
    text = LEGAL_BASES_MD.read_text()
    for item in BASE_ITEMS:
        for law, _article, _level in item["bases"]:
            short = law.replace("中华人民共和国", "").split("（")[0]
            short = {
                "天津市实施〈城市居民委员会组织法〉办法": "天津市实施《城市居民委员会组织法》办法",
                "最高人民法院关于适用〈民事诉讼法〉的解释": "民诉法解释",
                "关于进一步开展社区减负工作依法厘清居民委员会职责提升为民服务效能的意见": "关于进一步开展社区减负工作",
            }.get(short, short)
            assert short in text, (item["code"], law)


def _find(title_part):
    hits = [i for i in BASE_ITEMS if title_part in i["title"]]
    assert hits, title_part
    return hits[0]


def _cites(item, law_part, article):
    return any(law_part in law and art == article for law, art, _ in item["bases"])


def test_required_items_with_the_right_articles():
    census = _find("人口普查")
    assert census["list_type"] == "assistance" and census["title"].startswith("协助")
    assert _cites(census, "全国人口普查条例", "第三条第四款")
    assert _cites(_find("国防教育"), "国防教育法", "第二十四条")
    assert _cites(_find("社会救助"), "社会救助暂行办法", "第四条第二款")
    residence = _find("居住证")
    assert residence["title"].startswith("协助") and _cites(residence, "居住证暂行条例", "第八条第二款")
    assert _cites(_find("社区矫正"), "社区矫正法", "第十二条")
    assert _cites(_find("禁毒"), "禁毒法", "第十七条")
    assert _cites(_find("消防"), "消防法", "第六条")
    assert _cites(_find("人民陪审员"), "人民陪审员法", "第十一条")
    service = _find("留置送达")
    assert _cites(service, "民事诉讼法", "第八十九条") and _cites(service, "解释", "第一百三十条")
    conscription = _find("兵役登记")
    assert conscription["title"].startswith("协助")


def test_star_rating_is_an_autonomy_item():
    star = _find("评星定级")
    assert star["list_type"] == "autonomy" and star["category"] in {"leadership", "organisation"}
    assert "评星定级" in star["keywords"]


def test_negative_list_has_the_five_and_the_own_duty_rule():
    titles = [n["title"] for n in NEGATIVE_ITEMS]
    assert titles[:5] == ["行政执法", "拆迁拆违", "环境整治", "城市管理", "招商引资"]
    assert any("职责" in t for t in titles[5:])
    assert all(n["reason"] and n["keywords"] for n in NEGATIVE_ITEMS)


def test_organisations_each_have_a_mandate_and_basis():
    assert all(o["mandate"] and o["legal_basis"].startswith("《") for o in ORGANISATIONS)
