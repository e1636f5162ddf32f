"""The task-check rule of 三（四）: appraisals, model-creation campaigns and one-vote vetoes.

Registered with ``taskcheck.engine.register_rule("appraisal", appraisal_rule, order=30)``. Its answers:

- any one-vote veto (一票否决) → ``prohibited``;
- the star rating itself (评星定级, 星级评定, 社区自评) → ``on_list`` (the one evaluation the policy keeps);
- a campaign on the appraisal whitelist → ``on_list`` with the whitelist entry;
- any other appraisal, ranking or model-creation campaign aimed at communities → ``prohibited``;
- anything else (including help with a city-wide campaign's publicity) → ``None``: later rules decide.

:func:`decide` is pure (text and whitelist in, verdict out) so that its phrasing tests need no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evaluations.choices import CLAUSE

# ——— one-vote veto ———
VETO = re.compile(
    r"一票否决|一票否定|一票否|实行否决|否决制|直接降为|不得评为|取消评先评优资格|取消.{0,6}评选资格"
)
# "取消一票否决", "不得设置一票否决": talking about abolishing a veto is no veto.
VETO_NEGATED = re.compile(
    r"(取消|清理|废止|纠正|不得设置|禁止设置|不再设置|严禁)[^，。；,;]{0,8}(一票否决|一票否定)"
)

# ——— the star rating itself ———
STAR_RATING = re.compile(r"评星定级|星级评定|星级评价|社区自评|评星|定级考核|社区综合考核")

# Another appraisal beside the star rating, or one of its own in star words: a department's "星级评比" (the star
# rating is rated, 评定, once, by the civil-affairs line), a ranking "评星定级之外" or "再…排名".
STAR_ELSEWHERE = re.compile(
    r"(另行|单独|自行|额外)[^，。；]{0,6}(评星|星级)|星级(评比|评选|排名|排行)|"
    r"(评星定级|星级评定|评星)(之外|以外)|再[^，。；]{0,10}(评比|排名|排行|打分|评分)"
)

# ——— appraisals and campaigns ———
APPRAISAL = re.compile(
    r"评比|排名|排行|打分排序|评选|达标(验收|考核|活动|创建|评比|检查)|达标社区|争创|竞赛|考评|"
    r"检查评比|示范创建|创建示范|示范(社区|点|单位|小区|楼)|星级(社区|小区)|先进社区|优秀社区|标兵社区|"
    r"(对|给)(各)?(社区|居委会)[^，。；]{0,10}(考核|打分|评分|排名)|考核(排名|通报|打分|评分)|积分排名|"
    r"(社区|居委会)[^，。；]{0,6}(考核|打分|评分)"
)
# A creation campaign named for the community ("创建绿色社区", "开展无烟社区创建").
CREATION = re.compile(r"创建|争创|创评|创优")
COMMUNITY_TARGET = re.compile(r"社区|居委会|居民委员会|村委会|小区|网格")
# Campaigns of the city or the district as a whole, which a community may help publicise.
CITYWIDE = re.compile(
    r"文明城区|文明城市|卫生城市|卫生城区|国家卫生区|全国文明城|卫生城镇|园林城市|双拥模范城"
)
ASSIST_ONLY = re.compile(r"协助|配合|宣传|动员|发动|入户告知|张贴|讲解|倡议")
# Appraisals of residents, families or volunteers that a community itself organises are not appraisals
# *of* the community.
RESIDENT_OBJECT = re.compile(
    r"(家庭|楼门|个人|志愿者|居民|好人|邻里|孝星|庭院)(评选|评比)|评选(最美|好)|最美"
)
# The object of the appraisal is a person or a family (a resident, a volunteer, a grid worker put forward for a
# department's commendation): "评选社区十佳志愿者" names the community only as where the volunteers are.
PERSON_OBJECT = re.compile(
    r"志愿者|义工|好媳妇|好婆婆|好儿媳|好邻居|好人|孝星|孝老爱亲|家庭|个人|居民|楼门长|楼长|网格员|积极分子|"
    r"能手|达人|之星|少年|寿星|道德模范"
)
# What makes an appraisal one *of communities* even where persons are named: the communities are scored, ranked
# or compared ("对各社区…打分排名"), or the title awarded is a community's ("最美社区", "优秀社区工作站").
COMMUNITY_SCORED = re.compile(
    r"(社区|居委会)(排名|评比|考核|考评|达标|验收|打分|评分)|(对|给)(各|全区)?(社区|居委会)|各(个)?社区|"
    r"(示范|先进|优秀|最美|最佳|十佳|标兵|星级|红旗|和谐|文明)(社区|居委会|小区)|(评比|评选)(各)?社区(?!\S{0,8}"
    r"(志愿者|家庭|居民|好|之星|能手|达人|积极分子|网格员|楼门长|楼长|个人))"
)
# Quotation marks around a campaign's name do not change what is appraised ("“最美社区”评比" is "最美社区评比").
QUOTES = re.compile(r"[“”\"'‘’「」『』《》]")
SCORING_OF_COMMUNITY = re.compile(r"排名|通报|打分|评分|考核|达标|验收|社区评比|评比社区")


@dataclass(frozen=True)
class WhitelistItem:
    """What the rule needs from an :class:`evaluations.models.AppraisalEntry`."""

    id: int
    name: str
    kind: str
    authority: str
    authority_level: str
    document: str
    terms: tuple[str, ...]
    needs_review: bool = False  # awaiting confirmation by the city civil-affairs bureau


@dataclass(frozen=True)
class Decision:
    verdict: str
    reason: str
    matched_item: dict | None = None
    complaint_category: str = ""  # API.md complaint category a refusal can turn into
    evidence: tuple[str, ...] = ()  # the words of the task that decided


QUOTED = re.compile(r"[“\"‘「『《]([^”\"’」』》]{1,30})[”\"’」』》]")
#: Words around a campaign's name that leave it the same campaign ("“文明社区”创建", "“全国文明社区”").
NAME_AFFIXES = re.compile(
    r"^(全国|国家级|市级|区级|天津市|全市|创建|争创)+|(创建|创建活动|活动|评选|评比|称号)+$"
)


def _other_campaigns(text: str, whitelist: list[WhitelistItem]) -> str:
    """``text`` without the quoted names that only contain a whitelisted name: "“巾帼文明社区”" names another
    campaign than 文明社区 (the whitelist names whole campaigns, not parts of names)."""

    def keep(m: re.Match) -> str:
        name = re.sub(r"\s+", "", m.group(1))
        bare = NAME_AFFIXES.sub("", name)
        for item in whitelist:
            for term in item.terms:
                if term and term in name and bare != term and bare != item.name:
                    return "“”"
        return m.group(0)

    return QUOTED.sub(keep, text)


def _match_whitelist(text: str, whitelist: list[WhitelistItem]) -> WhitelistItem | None:
    for item in whitelist:
        for term in item.terms:
            if term and term in text:
                return item
    return None


def _whitelist_dict(item: WhitelistItem) -> dict:
    return {
        "id": f"appraisal-{item.id}",
        "list_type": "appraisal_whitelist",
        "category": "经批准的评比达标和示范创建项目",
        "title": item.name,
        "legal_basis": [f"{item.authority}（{item.document}）"],
    }


STAR_ITEM = {
    "id": "star-rating",
    "list_type": "autonomy",
    "category": "评星定级",
    "title": "社区评星定级（社区自评、街道审核、区级复核、市级确认）",
    "legal_basis": [
        f"{CLAUSE}：实行社区评星定级考核，评星定级结果即为社区党组织评星定级结果、社区工作综合考核结果"
    ],
}


def is_veto(text: str) -> bool:
    """Whether the text sets a one-vote veto (and does not merely talk about abolishing one)."""
    return bool(VETO.search(text)) and not VETO_NEGATED.search(text)


def decide(text: str, whitelist: list[WhitelistItem]) -> Decision | None:
    """The rule on plain text. ``None`` when the text is no appraisal, campaign or veto."""
    named = QUOTES.sub("", _other_campaigns(re.sub(r"\s+", "", text or ""), whitelist))
    text = QUOTES.sub("", re.sub(r"\s+", "", text or ""))
    if not text:
        return None
    veto = VETO.search(text)
    if veto is not None and is_veto(text):
        return Decision(
            "prohibited",
            f"各部门不得对社区设置“一票否决”事项（{CLAUSE}）。该要求违反规定，居委会有权拒绝，并可向区民政局投诉。",
            complaint_category="one_vote_veto",
            evidence=(veto.group(0),),
        )
    star = STAR_RATING.search(text)
    if star is not None and not STAR_ELSEWHERE.search(text):
        return Decision(
            "on_list",
            f"社区评星定级是唯一保留的社区考核（{CLAUSE}），按全市评星定级方案开展，社区应当参加。",
            STAR_ITEM,
            evidence=(star.group(0),),
        )
    appraisal = bool(APPRAISAL.search(text))
    creation = bool(CREATION.search(text)) and bool(COMMUNITY_TARGET.search(text))
    listed = _match_whitelist(named, whitelist)
    if listed is not None and (appraisal or creation or listed.name in text):
        return Decision(
            "on_list",
            f"“{listed.name}”是{listed.authority}部署的{'示范创建' if listed.kind == 'creation' else '评比达标'}项目"
            f"（{listed.document}），在经批准的评比创建白名单内（{CLAUSE}）。"
            + ("注意：该白名单条目尚待市民政局核定（部署机关和文号待确认）。" if listed.needs_review else ""),
            {**_whitelist_dict(listed), "awaiting_confirmation": listed.needs_review},
            evidence=tuple(t for t in listed.terms if t in text)[:1],
        )
    if not (appraisal or creation):
        return None
    if not COMMUNITY_TARGET.search(text):
        # 三（四） forbids appraisals aimed at communities ("针对社区"); one of residents or of a website is not.
        return None
    if CITYWIDE.search(text) and ASSIST_ONLY.search(text) and not SCORING_OF_COMMUNITY.search(text):
        # Helping publicise a city's or district's own campaign is assistance, not an appraisal of the community.
        return None
    if (RESIDENT_OBJECT.search(text) or PERSON_OBJECT.search(text)) and not COMMUNITY_SCORED.search(text):
        # 三（四） bars appraisals aimed at communities; one of residents, families or volunteers that the community
        # organises, or a person it puts forward for a department's commendation, is not one of the community.
        return None
    found = APPRAISAL.search(text) or CREATION.search(text)
    return Decision(
        "prohibited",
        f"除中央、国家有关部委和市委、市政府明确要求开展的评比达标和示范创建项目外，任何部门和单位不得针对社区"
        f"开展评比达标和示范创建活动（{CLAUSE}）。该事项不在评比创建白名单内，居委会有权拒绝。",
        complaint_category="unauthorised_appraisal",
        evidence=(found.group(0),) if found else (),
    )


def load_whitelist() -> list[WhitelistItem]:
    """The active whitelist entries (one query)."""
    from evaluations.models import AppraisalEntry

    return [
        WhitelistItem(
            id=e.pk,
            name=e.name,
            kind=e.kind,
            authority=e.authority,
            authority_level=e.authority_level,
            document=e.document_display,
            terms=tuple(e.terms),
            needs_review=e.needs_review,
        )
        for e in AppraisalEntry.objects.filter(active=True).order_by("order", "id")
    ]


def appraisal_rule(query):
    """The rule as the task-check engine calls it (``TaskQuery`` in, ``TaskVerdict`` or None out)."""
    from taskcheck.engine import TaskVerdict

    text = query.text if hasattr(query, "text") else str(query)
    decision = decide(text, load_whitelist())
    if decision is None:
        return None
    verdict = TaskVerdict(
        verdict=decision.verdict,
        reason=decision.reason,
        rule="appraisal",
        clause=CLAUSE,
        matched_item=decision.matched_item,
        score=1.0,
    )
    # Fields the task-check engine may add to its verdict (set only when present, to keep the contract loose).
    if decision.complaint_category and hasattr(verdict, "complaint_category"):
        verdict.complaint_category = decision.complaint_category
    if decision.evidence and hasattr(verdict, "evidence"):
        verdict.evidence = list(decision.evidence)
    return verdict
