"""The appraisal / one-vote-veto rule of the task check (津民发〔2019〕35号 三（四）)."""

import pytest

from evaluations.rules import WhitelistItem, decide
from evaluations.whitelist import SEED

pytestmark = [pytest.mark.policy("三（四）-2"), pytest.mark.policy("三（四）-3")]

WHITELIST = [
    WhitelistItem(
        id=i,
        name=row["name"],
        kind=row["kind"],
        authority=row["authority"],
        authority_level=row["authority_level"],
        document=row["document_no"] or "文号待核实",
        terms=tuple([row["name"], *[t for t in row["keywords"].split("、") if t]]),
    )
    for i, row in enumerate(SEED, start=1)
]

PROHIBITED = [
    "开展社区环境卫生评比并排名通报",
    "区城管委对各社区垃圾分类工作进行月度考核排名",
    "组织社区参加“十佳和谐社区”评选活动",
    "开展社区消防安全达标验收，不达标的通报批评",
    "区卫健委开展健康促进示范社区创建，每个社区都要申报",
    "街道组织各社区开展“红旗社区”争创活动",
    "对社区统计报表报送质量打分排名",
    "开展优秀社区工作站评选并给予奖励",
    "社区文化活动竞赛，按参赛作品数量排名",
    "开展“无违建社区”创建活动并定期验收",
    "区商务局开展社区便民服务网点示范社区创建",
    "组织星级社区评选（区民政局自行评定）",
    "每季度对各社区创卫工作进行检查评比",
    "开展社区禁毒工作考评，结果与社区经费挂钩",
    # the title awarded is a community's, quoted or not
    "街道组织“最佳居委会”评比",
    "区里开展「最美小区」评选",
    # persons are named, but the communities are scored against each other
    "对各社区楼门长工作打分排名",
    "评选优秀社区工作站和优秀志愿者",
    # a whitelisted name inside a longer quoted campaign name is another campaign
    "街道开展“平安文明社区”评选",
    "区里组织“智慧美丽社区”评比",
]
VETO = [
    "安全生产工作实行一票否决，发生事故的社区不得评先评优",
    "计划生育工作纳入社区考核，实行一票否决",
    "信访稳定实行“一票否定”",
    "出现重大舆情的社区年度考核直接降为不合格",
    "未完成垃圾分类任务的社区不得评为文明社区",
    "平安社区创建实行一票否决制",
]
ON_LIST_STAR = [
    "完成2026年度社区评星定级自评",
    "按要求开展社区自评并上传佐证材料",
    "配合区民政局做好星级评定的区级复核",
]
ON_LIST_WHITELIST = [
    ("开展文明社区创建工作", "文明社区"),
    ("按照市委部署推进平安社区创建", "平安社区"),
    ("申报全国综合减灾示范社区", "全国综合减灾示范社区"),
    ("做好卫生社区创建迎检准备", "卫生社区"),
    ("参加绿色社区创建行动", "绿色社区"),
    ("开展美丽社区创建", "美丽社区"),
    ("申报全国示范性老年友好型社区", "全国示范性老年友好型社区"),
    # the same campaign quoted, with its level or 创建 around the name
    ("参加“全国文明社区”创建", "文明社区"),
    ("开展“平安社区创建”活动", "平安社区"),
]
NOT_APPRAISAL = [
    "协助开展文明城区创建宣传",
    "配合做好全国文明城市创建入户宣传和倡议书张贴",
    "协助开展第七次全国人口普查入户登记",
    "组织社区居民开展“最美家庭”评选",
    "协助做好征兵宣传和兵役登记",
    "协助做好城乡居民医疗保险参保登记",
    "社区居民议事会讨论停车位分配方案",
    "宣传取消一票否决的政策，清理一票否决事项",
    # appraisals of residents, families and volunteers the community organises (三（四） "针对社区")
    "评选社区优秀楼门长",
    "组织评选小区热心好邻居",
    "评选本社区敬老好儿媳",
    "推荐社区热心居民参加区道德模范评选",
    "推荐社区优秀义工参加市志愿服务评比",
    "评比社区五好家庭并张榜公布",
]


@pytest.mark.parametrize("text", PROHIBITED)
def test_unlisted_appraisals_are_prohibited(text):
    d = decide(text, WHITELIST)
    assert d is not None and d.verdict == "prohibited", text
    assert "三（四）" in d.reason and "津民发〔2019〕35号" in d.reason
    assert d.complaint_category == "unauthorised_appraisal"


@pytest.mark.parametrize("text", VETO)
def test_one_vote_vetoes_are_prohibited(text):
    d = decide(text, WHITELIST)
    assert d is not None and d.verdict == "prohibited", text
    assert "一票否决" in d.reason
    assert d.complaint_category == "one_vote_veto"


@pytest.mark.parametrize("text", ON_LIST_STAR)
def test_star_rating_itself_is_on_list(text):
    d = decide(text, WHITELIST)
    assert d is not None and d.verdict == "on_list", text
    assert d.matched_item["id"] == "star-rating"


@pytest.mark.parametrize(("text", "name"), ON_LIST_WHITELIST)
def test_whitelisted_campaigns_are_on_list_with_their_entry(text, name):
    d = decide(text, WHITELIST)
    assert d is not None and d.verdict == "on_list", text
    assert d.matched_item["title"] == name
    assert d.matched_item["list_type"] == "appraisal_whitelist"
    assert d.matched_item["legal_basis"]


@pytest.mark.parametrize("text", NOT_APPRAISAL)
def test_near_misses_are_left_to_other_rules(text):
    assert decide(text, WHITELIST) is None, text


def test_at_least_thirty_phrasings():
    assert len(PROHIBITED) + len(VETO) + len(ON_LIST_STAR) + len(ON_LIST_WHITELIST) + len(NOT_APPRAISAL) >= 30


def test_document_number_cited_only_when_known():
    d = decide("参加绿色社区创建行动", WHITELIST)
    assert "建城〔2020〕68号" in d.reason
    d = decide("开展文明社区创建工作", WHITELIST)
    assert "文号待核实" in d.reason


def test_rule_is_registered_with_the_task_check_engine(db):
    from taskcheck.engine import evaluate_task, rules

    assert any(name == "appraisal" and order == 30 for order, name, _ in rules())
    from evaluations.whitelist import seed_whitelist

    seed_whitelist()
    v = evaluate_task(title="开展社区环境卫生评比并排名通报")
    assert v.verdict == "prohibited" and v.rule == "appraisal" and "三（四）" in v.clause
    v = evaluate_task(title="推进平安社区创建")
    assert v.verdict == "on_list" and v.matched_item["title"] == "平安社区"
    v = evaluate_task(title="完成社区评星定级自评")
    assert v.verdict == "on_list"
    v = evaluate_task(title="安全生产一票否决")
    assert v.verdict == "prohibited"


def test_whitelist_edits_change_the_answer(db):
    from evaluations.models import AppraisalEntry
    from evaluations.whitelist import seed_whitelist
    from taskcheck.engine import evaluate_task

    seed_whitelist()
    assert evaluate_task(title="开展平安社区创建").verdict == "on_list"
    AppraisalEntry.objects.filter(name="平安社区").update(active=False)
    assert evaluate_task(title="开展平安社区创建").verdict == "prohibited"


def test_an_entry_awaiting_confirmation_says_so_next_to_the_verdict(db):
    from evaluations.models import AppraisalEntry
    from evaluations.whitelist import seed_whitelist
    from taskcheck.engine import evaluate_task

    seed_whitelist()
    AppraisalEntry.objects.filter(name="平安社区").update(needs_review=False)
    confirmed = evaluate_task(title="开展平安社区创建")
    assert confirmed.verdict == "on_list" and "待市民政局核定" not in confirmed.reason
    assert confirmed.matched_item["awaiting_confirmation"] is False
    AppraisalEntry.objects.filter(name="平安社区").update(needs_review=True)
    pending = evaluate_task(title="开展平安社区创建")
    assert pending.verdict == "on_list" and "尚待市民政局核定" in pending.reason
    assert pending.matched_item["awaiting_confirmation"] is True
    # every entry carries its mandating authority; the page shows the pending ones as such to everyone
    assert not AppraisalEntry.objects.filter(authority="").exists()
