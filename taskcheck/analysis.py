"""Reading a task's wording: is the community asked to be the responsible subject, or to assist?

A task text is cut into clauses. In each clause the engine looks for role markers (负责/牵头/承担…, 责任主体/属地责任…,
协助/配合…), the actor each marker belongs to (由街道负责 is not the community's responsibility), negations (不得由社区负责),
and the community's *head actions*: hard ones (拆除、执法、整治…) versus soft ones (宣传、劝导、发现报告…). "宣传拆违政策"
has a soft head; "违建巡查拆除" a hard one. Then:

- the negative list (三（一）): the community made responsible for, or simply told to do, a hard action of
  行政执法、拆迁拆违、环境整治、城市管理、招商引资 → prohibited;
- a department's or street's own duty (审批、监督检查企业、收费、低保审批、兵役登记…) made the community's → prohibited;
- a certificate the community does not issue (亲属关系、无犯罪…) demanded of it → prohibited (三（五）).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from taskcheck import lexicon
from taskcheck.text import clauses, contains_any, find_all, normalize

STRONG, WEAK, ASSIST, IMPLICIT, OTHER, NEGATED = "strong", "weak", "assist", "implicit", "other", "negated"
#: Words after a hard word that make it a modifier ("拆违政策", "执法宣传") rather than the community's action.
_MODIFIED_BY = (
    "政策",
    "知识",
    "法规",
    "法律",
    "规定",
    "条例",
    "常识",
    "标语",
    "海报",
    "材料",
    "资料",
    "主题",
    "讲座",
    "信息",
    "线索",
    # what residents complain of ("对施工噪声扰民的投诉"): the barred word names the complaint, not the act
    "投诉",
    "举报",
    "诉求",
    "情况",
    "意识",
    "氛围",
    "工作人员",
    "队员",
    "部门",
    "机关",
    "人员",
    "对象",
    "行动中",
    "现场秩序",
    "公告",
    "通告",
    "告示",
    "公示",
    "通知书",
    # the people the act concerns ("拆迁户有困难", "征收户的诉求"): the word names who they are, not an act asked
    "户",
    "告知书",
    "倡议书",
    "方案",
    "办法",
    "意见",
    "建议",
    "危害",
    "危险",
    "后果",
    "害处",
    "好处",
    "渠道",
    "途径",
    "热线",
    # the body reported or transferred to is named after its field ("街道综合执法队", "两违办", "城管科")
    "队",
    "大队",
    "中队",
    "办公室",
    "办",
    "科",
    "局",
    # being at the scene is not doing the act ("拆违现场做好群众解释")
    "现场",
)
_COMPLAINTS = ("投诉", "举报", "诉求")
#: Handling a complaint is the act of the body it is made to, not a telling.
_HANDLING = ("调查", "处理", "查处", "核查", "办理", "处置")
#: Verbs of telling and asking: what follows them in a clause, up to another action, is what is told or asked
#: about ("向居民宣传冬季燃煤散烧的危害", "收集居民对拆违工作的意见"), not a duty the community carries.
_TELLING = (
    "宣传",
    "宣讲",
    "讲解",
    "讲讲",
    "解释",
    "告诉",
    "告知",
    "提醒",
    "提示",
    "普及",
    "科普",
    "收集",
    "征求",
    "听取",
    # what residents complain of, and what a dispute is about, is not what the community does
    # ("居民投诉油烟扰民", "调解因征收补偿引发的矛盾")
    "投诉",
    "举报",
    "反映",
    "调解",
    "化解",
    # mobilising residents to see to their own things ("动员居民清理自家阳台杂物")
    "动员",
    "发动",
    "号召",
    "倡导",
    "倡议",
)
#: The people a telling verb addresses: what follows them is what they are told or asked to do themselves.
_TOLD_PEOPLE = ("居民", "群众", "住户", "业主", "商户", "租户", "大家", "各家", "老人", "家长")
#: Words between a telling verb and a hard word that start another action ("宣传并拆除", "发现后立即清理").
_ACTION_BREAKS = (
    "并",
    "后",
    "再",
    "同时",
    "立即",
    "及时",
    "予以",
    "进行",
    "组织",
    "负责",
    "完成",
    "落实",
    "和",
    "及",
)
#: Counting a rate or a number about a barred act is data work, not the act ("统计物业费收缴率").
_MEASURED = ("率", "数量", "数据")
_PROPAGANDA = (
    "张贴",
    "宣传",
    "宣讲",
    "普及",
    "科普",
    "解读",
    "讲解",
    "劝导",
    "劝阻",
    "报告",
    "上报",
    "发现",
    "支持",
    "配合",
    "协助",
)
_CLAUSE_NEGATORS = ("不得", "严禁", "禁止", "不再", "不应", "不能", "不允许")
_NEAR_NEGATORS = (
    "不负责",
    "不承担",
    "不牵头",
    "不作为",
    "不由",
    "无需",
    "不需",
    "不必",
    "不用",
    "不要求",
    "并非",
    "非由",
    "不是",
    "不属于",
    "不纳入",
)


@dataclass
class ClauseRole:
    text: str
    role: str
    scope: str  # the part of the clause that says what the community does
    marker: str = ""


@dataclass
class Finding:
    kind: str  # "negative_list" | "own_duty" | "certificate"
    title: str  # the negative-list duty, the duty's owner, the certificate
    reason: str
    clause: str
    evidence: list[str] = field(default_factory=list)
    strength: str = ""  # the role that triggered it


def _actor_before(text: str, end: int) -> tuple[str | None, int]:
    """The actor named last before ``end`` ("community", "other" or None) and where it starts.

    In "社区作为…企业治理的责任主体" the subject stands before 作为/为: what follows is the duty, not an actor.
    """
    best_kind, best_end, best_start = None, -1, -1
    head = text[:end]
    for cut in ("作为", "明确社区为", "确定社区为", "社区是", "居委会是"):
        i = head.find(cut)
        if i >= 0:
            head = head[: i + (len(cut) - 1 if cut != "作为" else 0)]
            break
    for kind, words in (
        ("community", lexicon.COMMUNITY_ACTORS),
        ("other", lexicon.OTHER_ACTORS + _EXTRA_OTHERS),
    ):
        for word in words:
            for i in find_all(head, word):
                e = i + len(word)
                if e > best_end or (e == best_end and i < best_start):
                    best_kind, best_end, best_start = kind, e, i
    return best_kind, best_start


_INSPECTION_RE = re.compile(
    r"(企业|商户|商家|门店|餐饮|经营场所|九小场所|小场所|工地|生产经营单位|经营单位|经营户|商铺|店铺|市场主体|"
    r"加油站|诊所|药店|医疗机构|养老机构|培训机构|托育机构|幼儿园|宾馆|旅馆|网吧|娱乐场所|电梯|锅炉)"
    r"[^，。；、]{0,8}?(检查|监管|巡检|督查|执法|抽检|检验)"
)
_EXTRA_OTHERS = ("社区矫正机构", "社区卫生服务中心", "社区民警", "社区警务", "司法所", "社区矫正工作人员")


def _negated(clause: str, marker_start: int, marker: str, actor_start: int) -> bool:
    before = clause[:marker_start]
    if any(n in before for n in _CLAUSE_NEGATORS):
        return True
    window_start = max(0, (actor_start if actor_start >= 0 else marker_start) - 4)
    window = clause[window_start : marker_start + len(marker)]
    return any(n in window for n in _NEAR_NEGATORS)


def _markers(clause: str):
    """(start, marker, kind) of every role marker, longer markers hiding the shorter ones inside them."""
    found = []
    for kind, words in (
        (STRONG, lexicon.RESPONSIBLE_STRONG),
        (WEAK, lexicon.RESPONSIBLE_WEAK),
        (ASSIST, lexicon.ASSIST),
    ):
        for word in words:
            for i in find_all(clause, word):
                found.append((i, i + len(word), word, kind))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str, str]] = []
    for f in found:
        if any(k[0] <= f[0] and f[1] <= k[1] for k in kept):
            continue
        kept.append(f)
    return kept


def _leading_other_actor(clause: str) -> bool:
    """The clause opens with someone else as its subject ("由城管部门开展…", "区城管委组织…", "拆除由执法部门实施")."""
    by = clause.find("由")
    if 0 <= by <= 8:
        after = clause[by + 1 :]
        if any(after.startswith(w) for w in lexicon.OTHER_ACTORS + _EXTRA_OTHERS) or re.match(
            r"^[\u4e00-\u9fff]{1,8}?(局|委|所|队|部门|机关|机构|公司|单位|中心)", after
        ):
            return not any(after.startswith(w) for w in lexicon.COMMUNITY_ACTORS)
    kind, start = _actor_before(clause, min(len(clause), 12))
    if kind != "other":
        return False
    prefix = clause[:start]
    # "并督促产权单位整改", "责令施工单位停工": the body named after such a verb is its object, not the clause's
    # subject; "居委会代物业公司…": the body stood in for is not the one acting
    objects_of = (
        "对",
        "向",
        "为",
        "给",
        "和",
        "与",
        "及",
        "督促",
        "责令",
        "要求",
        "通知",
        "提醒",
        "告知",
        "指导",
        "监督",
        "代",
        "替",
        "帮",
    )
    return len(prefix) <= 4 and not any(p in prefix for p in objects_of)


def clause_roles(text: str) -> list[ClauseRole]:
    out = []
    for clause in clauses(text):
        strong = weak = assist = None
        negated = other = False
        for start, _end, word, kind in _markers(clause):
            actor, actor_start = _actor_before(clause, start)
            if word in lexicon.SIGNED_MARKERS and contains_any(clause, lexicon.COMMUNITY_ACTORS):
                # "社区与街道签订…责任书": the pledge binds the community, whoever it is signed with.
                actor, actor_start = "community", clause.find("社区")
            if _negated(clause, start, word, actor_start):
                if actor != "other" and kind in (STRONG, WEAK):
                    negated = True
                continue
            if actor == "other":
                if kind in (STRONG, WEAK):
                    other = True
                continue
            if kind == STRONG and strong is None:
                strong = (start, word)
            elif kind == WEAK and weak is None:
                weak = (start, word)
            elif kind == ASSIST and assist is None:
                assist = (start, word)
        if strong:
            out.append(ClauseRole(clause, STRONG, clause, strong[1]))
        elif weak and not (assist and assist[0] < weak[0]):
            out.append(ClauseRole(clause, WEAK, clause, weak[1]))
        elif assist:
            out.append(ClauseRole(clause, ASSIST, clause[assist[0] :], assist[1]))
        elif negated:
            out.append(ClauseRole(clause, NEGATED, "", ""))
        elif other or _leading_other_actor(clause):
            out.append(ClauseRole(clause, OTHER, "", ""))
        else:
            out.append(ClauseRole(clause, IMPLICIT, clause, ""))
    return out


def _neutralised(scope: str, start: int, word: str) -> bool:
    """Whether the hard word at ``start`` only modifies something soft ("拆违政策宣传", "宣传执法知识")."""
    after = scope[start + len(word) :]
    for skip in ("的", "相关", "等"):
        if after.startswith(skip):
            after = after[len(skip) :]
    if after.startswith(_COMPLAINTS) and contains_any(after[:10], _HANDLING):
        # "劳动监察投诉的调查处理": the complaint is named, but handling it is the act asked
        return False
    if after.startswith(_MODIFIED_BY) or after.startswith(lexicon.SOFT_ACTIONS):
        return True
    if after.startswith(_MEASURED) and contains_any(scope, lexicon.DATA_WORK):
        return True
    head = scope[:start]
    if head.endswith(("被", "遭", "已")):
        # "被拆除的房屋": the act is someone else's, done to what the clause speaks of
        return True
    told = max((head.rfind(v), v) for v in _TELLING)
    if told[0] >= 0:
        between = head[told[0] + len(told[1]) :]
        breaks: tuple[str, ...] = _ACTION_BREAKS
        if contains_any(between[:4], _TOLD_PEOPLE):
            # "提醒居民及时为电动车上牌", "动员住户立即清理": what the residents are told to do, however urgently
            breaks = tuple(b for b in _ACTION_BREAKS if b not in ("及时", "及", "立即", "后", "再"))
        if len(between) <= 12 and not contains_any(
            between, breaks + lexicon.HARD_ACTIONS + lexicon.RESPONSIBLE_WEAK
        ):
            return True
    before = scope[max(0, start - 4) : start]
    return any(before.endswith(p) or before.endswith(p + "好") for p in _PROPAGANDA) or any(
        p in before for p in ("协助", "配合", "支持")
    )


def _hard_heads(scope: str, words) -> list[str]:
    heads = []
    for word in words:
        for i in find_all(scope, word):
            if not _neutralised(scope, i, word):
                heads.append(word)
                break
    return heads


def negative_findings(title: str, description: str = "") -> list[Finding]:
    """Everything in the text that makes the community carry what it may never carry."""
    text = normalize(f"{title}。{description}")
    findings: list[Finding] = []
    roles = clause_roles(text)
    figure = read_structure(text).figure_report
    text_nouns = {
        name: contains_any(text, d["nouns"]) + contains_any(text, d["acts"])
        for name, d in lexicon.NEGATIVE_DOMAINS.items()
    }
    previous = ""
    for cr in roles:
        # "动员居民参加爱国卫生运动，清理房前屋后积存垃圾": a clause with no actor of its own, after residents are
        # mobilised, says what the residents do — the community's act is the mobilising (structure, not words).
        carried = cr.role == IMPLICIT and bool(_MOBILISING_RE.search(previous))
        previous = cr.text
        if cr.role == ASSIST:
            # "帮助区里完成税收指标": an economic target is carried, however it is worded as help
            target = [m.group(0) for m in _ECONOMIC_TARGET_RE.finditer(cr.scope)] + [
                m.group(0) for m in _INVESTMENT_QUOTA_RE.finditer(cr.scope)
            ]
            if target and contains_any(cr.scope, ("完成", "达到", "实现", "考核")):
                domain = lexicon.NEGATIVE_DOMAINS["招商引资"]
                findings.append(
                    Finding("negative_list", "招商引资", domain["reason"], cr.text, target, cr.role)
                )
        if cr.role not in (STRONG, WEAK, IMPLICIT):
            continue
        if cr.role == IMPLICIT and _CIRCUMSTANCE_RE.search(cr.text):
            # "征收工作中，社区协助宣传…": a clause that only says when or where the work happens asks nothing
            continue
        soft = contains_any(cr.scope, lexicon.SOFT_ACTIONS)
        reported = cr.role != STRONG and (carried or _only_reported(cr.scope, text))
        for name, domain in lexicon.NEGATIVE_DOMAINS.items():
            if reported:
                continue
            acts = _hard_heads(cr.scope, domain["acts"])
            if name == "招商引资":
                acts += [m.group(0) for m in _INVESTMENT_QUOTA_RE.finditer(cr.scope)]
                acts += [m.group(0) for m in _ECONOMIC_TARGET_RE.finditer(cr.scope)]
            nouns_here = contains_any(cr.scope, domain["nouns"])
            generic = _hard_heads(cr.scope, lexicon.HARD_ACTIONS) if (nouns_here or text_nouns[name]) else []
            hit: list[str] = []
            if cr.role == STRONG:
                hit = contains_any(cr.text, domain["acts"]) + contains_any(cr.text, domain["nouns"]) or (
                    text_nouns[name] if not _has_other_content(cr.text) else []
                )
            elif acts:
                hit = acts
            elif generic and (nouns_here or (text_nouns[name] and not soft)):
                hit = nouns_here + generic
            elif cr.role == WEAK and nouns_here and not soft:
                hit = nouns_here
            if hit and name == "招商引资":
                # "纳入统计" is counting, not 入统 (an enterprise entered in the statistics of large firms)
                hit = [h for h in hit if not (h == "入统" and "纳入统计" in text)]
            if hit and name == "招商引资" and figure:
                # a rate reported or counted ("上报楼宇入驻率", "参赛率纳入统计") is data work, not a quota to reach
                hit = [h for h in hit if not h.endswith("率")]
            if hit:
                findings.append(
                    Finding("negative_list", name, domain["reason"], cr.text, sorted(set(hit)), cr.role)
                )
        own_election = bool(contains_any(cr.scope, lexicon.OWN_ELECTION))
        for phrases, owner, reason in lexicon.OWN_DUTIES:
            heads = _hard_heads(cr.scope, phrases)
            if owner == lexicon.CHARGING_OWNER and not _MONEY_RE.search(cr.scope):
                # "代收居住证申领材料并转交派出所": receiving papers to pass on is no levy
                heads = [h for h in heads if h not in lexicon.CHARGING_NEEDS_MONEY]
            if heads and not own_election:
                findings.append(Finding("own_duty", owner, reason, cr.text, heads, cr.role))
        police = [m.group(0) for p in _POLICE_DUTY_RES for m in p.finditer(cr.scope)]
        if police and not reported and not _REFERRAL_RE.search(cr.scope):
            findings.append(
                Finding(
                    "own_duty",
                    lexicon.POLICE_DUTY_OWNER,
                    lexicon.POLICE_DUTY_REASON,
                    cr.text,
                    police,
                    cr.role,
                )
            )
        regulating = _regulating(cr)
        if regulating:
            findings.append(
                Finding(
                    "own_duty",
                    lexicon.INSPECTION_OWNER,
                    lexicon.INSPECTION_REASON,
                    cr.text,
                    [regulating],
                    cr.role,
                )
            )
        elif cr.role != IMPLICIT or not soft:
            m = _INSPECTION_RE.search(cr.scope)
            if m and not _neutralised(cr.scope, m.start(), m.group(0)):
                findings.append(
                    Finding(
                        "own_duty",
                        lexicon.INSPECTION_OWNER,
                        lexicon.INSPECTION_REASON,
                        cr.text,
                        [m.group(0)],
                        cr.role,
                    )
                )
    findings.extend(_certificate_findings(text))
    return findings


#: A clause that only sets the scene ("征收工作中", "拆迁期间", "棚改过程中"): when the work happens, not what is asked.
_CIRCUMSTANCE_RE = re.compile(r"^(在)?[\u4e00-\u9fff]{2,8}?(工作中|过程中|期间|之际|的时候)$")
#: Mobilising residents for something: what the next clause asks, with no actor of its own, is theirs to do.
_MOBILISING_RE = re.compile(r"(动员|发动|号召|倡导|倡议|引导)[^，。；]{0,4}(" + "|".join(_TOLD_PEOPLE) + ")")
_INVESTMENT_QUOTA_RE = re.compile(lexicon.INVESTMENT_QUOTA_PATTERN)
_MONEY_RE = re.compile(lexicon.MONEY_PATTERN)
_ECONOMIC_TARGET_RE = re.compile(lexicon.ECONOMIC_TARGET_PATTERN)
_REGULATING_RE = re.compile(
    f"({lexicon.REGULATED_PARTIES})[^，。；]{{0,10}}?({lexicon.REGULATING_ACTS})"
    f"|({lexicon.REGULATING_ACTS})[^，。；]{{0,6}}?({lexicon.REGULATED_PARTIES})"
)
#: "督促施工单位整改", "责令产权单位限期整改": ordering a regulated party to put things right.
_ORDERING_RE = re.compile(
    f"(督促|责令|要求)[^，。；]{{0,4}}?({lexicon.REGULATED_PARTIES})[^，。；]{{0,8}}?整改"
)
_RECTIFYING_RE = re.compile(r"督促[^，。；]{0,6}整改")


def _regulating(cr: ClauseRole) -> str:
    """The community made responsible (负责/牵头/承担…) for supervising, spot-checking or rating a regulated party, or
    told to order one to put things right: a regulating department's own act (三（一）), whatever else the clause asks
    (排查隐患 is assisting, 排查并督促整改到位 is supervising). Returns the words, or ""."""
    if cr.role not in (STRONG, WEAK, IMPLICIT):
        return ""
    m = _ORDERING_RE.search(cr.scope)
    if m and not _neutralised(cr.scope, m.start(), m.group(0)):
        return m.group(0)
    if cr.role == IMPLICIT:
        return ""
    m = _REGULATING_RE.search(cr.scope)
    if m and not _neutralised(cr.scope, m.start(), m.group(0)):
        return m.group(0)
    m = _RECTIFYING_RE.search(cr.scope)
    if m and re.search(lexicon.REGULATED_PARTIES, cr.scope):
        return m.group(0)
    return ""


_POLICE_DUTY_RES = tuple(re.compile(p) for p in lexicon.POLICE_DUTY_PATTERNS)
#: "开无房证明", "开个婚姻证明": 开 + the certificate, colloquially (开展 is not 开).
_OPEN_CERTIFICATE_RE = re.compile(r"开(?!展)[^，。；]{0,8}证明")
#: "告诉居民去婚姻登记处查询", "引导申请人到派出所办理": a referral to the issuing agency.
#: "让社区证明老人还活着", "要求居委会证明其无业": someone asks the community itself to certify.
_ASKED_TO_CERTIFY_RE = re.compile(r"(让|要|要求|请|需|需要|由)(社区|居委会|居民委员会)[^，。；]{0,3}证明")
_REFERRAL_RE = re.compile(
    r"(告诉|告知|引导|指引|指导|提醒)[^，。；]{0,20}(去|到)[^，。；]{1,12}(查询|办理|申请|开具|咨询|办$|开$)"
    r"|(告诉|告知|引导|指引|提醒)[^，。；]{0,6}(应由|应当由|要由|该由)[^，。；]{1,16}(出具|开具|办理|开)"
)


def _only_reported(scope: str, text: str = "") -> bool:
    """The clause only finds and reports ("发现小作坊偷排污水向环保部门反映", "看到有人占道摆摊，拍照报给城管"): the
    barred words in it are what is reported, not a duty the community carries. The report may follow in the next
    clause of the same sentence."""
    found = [scope.find(w) for w in lexicon.FINDING if w in scope]
    if not found:
        # "发现…，拍照报给街道综合执法大队": the report, in the clause after the finding; the barred word names the
        # department reported to.
        j = text.find(scope)
        before = re.split(r"[。；;！!？?]", text[:j])[-1] if j > 0 else ""
        return bool(contains_any(before, lexicon.FINDING)) and bool(contains_any(scope, lexicon.REPORTING))
    i = min(found)
    if contains_any(scope[i:], lexicon.REPORTING):
        return True
    j = text.find(scope)
    if j < 0:
        return False
    rest = text[j + len(scope) :]
    sentence = re.split(r"[。；;！!？?]", rest, maxsplit=1)[0]
    return bool(contains_any(sentence, lexicon.REPORTING)) and not contains_any(
        sentence, lexicon.RESPONSIBLE_STRONG + lexicon.RESPONSIBLE_WEAK
    )


_STAND_IN_RE = re.compile(
    "(?:"
    + "|".join(lexicon.STAND_IN)
    + ")(?!表|理|办|缴|收|言|管)其?("
    + "|".join(lexicon.SELF_GOVERNING_BODIES)
    + ")"
)
#: "帮助" and "帮" stand in only when they name the body's own business; the other words always do.
_HELPING = ("帮助", "帮着", "帮")


def another_body_work(text: str) -> tuple[str, str] | None:
    """(body, clause) when the community is asked to do the own affairs of the owners' assembly or committee or of
    the property company, standing in for them ("居委会替业委会选聘物业", "帮物业公司催缴停车费"): not the committee's
    duty and not the list item that guides and supervises them (物业管理条例第二十条). Guiding, supervising or helping to
    set them up ("帮助业主筹备成立业委会", "指导业委会换届") is not standing in."""
    for clause in clauses(text):
        for m in _STAND_IN_RE.finditer(clause):
            rest = clause[m.end() :]
            helping = m.group(0).startswith(_HELPING)
            if helping and (not rest or contains_any(rest, lexicon.BODY_GUIDANCE)):
                continue
            if contains_any(clause[: m.start()], lexicon.BODY_GUIDANCE[:2]):
                continue
            if any(n in clause[: m.start()] for n in _CLAUSE_NEGATORS + _NEAR_NEGATORS):
                continue
            return m.group(1), clause
    return None


def _has_other_content(clause: str) -> bool:
    """A strong marker in a clause that names its own (non-negative) content does not borrow the title's domain."""
    return len(clause) > 12


def _demanded_certificate(clause: str) -> bool:
    """The clause asks for a certificate to be issued, and does not forbid it ("不再出具")."""
    if _REFERRAL_RE.search(clause):
        # Telling the resident where a barred kind is issued is what 三（五） asks of the community, not a demand.
        return False
    for verb in lexicon.CERTIFICATE_DEMAND:
        i = clause.find(verb)
        if i >= 0 and not any(n in clause[:i] for n in _CLAUSE_NEGATORS + _NEAR_NEGATORS):
            return True
    if _ASKED_TO_CERTIFY_RE.search(clause):
        return True
    m = _OPEN_CERTIFICATE_RE.search(clause)
    return m is not None and not any(n in clause[: m.start()] for n in _CLAUSE_NEGATORS + _NEAR_NEGATORS)


def _certificate_findings(text: str, barred=None) -> list[Finding]:
    """Certificates of the barred catalogue (the table the city admin edits) demanded of the community."""
    if barred is None:
        from taskcheck import sources

        barred = sources.barred_certificates()
    if not barred:
        return []
    parts = clauses(text)
    if any(_REFERRAL_RE.search(c) for c in parts):
        # "居民来开出生证明，社区告诉他去医院办": the resident's request answered by a referral to the issuing agency
        # is what 三（五） asks of the community — the request is not a demand on it.
        return []
    if not any(_demanded_certificate(c) for c in parts):
        return []
    out = []
    # "单位要居民的婚姻状况证明，社区给盖个章", "请居委会证明张某与李某是同一个人（曾用名）": the certificate may be named
    # in the clause next to the one that asks for it; the demand was found above, so the whole text is read last.
    for clause in [*parts, "，".join(parts)]:
        if "证明" not in clause and not _demanded_certificate(clause):
            continue
        best = None
        for row in barred:
            for term in row.terms:
                i = clause.find(term)
                if i < 0 or any(n in clause[:i] for n in _CLAUSE_NEGATORS + _NEAR_NEGATORS):
                    continue
                if best is None or len(term) > len(best[1]):
                    best = (row, term)
        if best is None:
            continue
        row, term = best
        agency = f"应由{row.agency}办理" if row.agency else "属于有关机关、单位的职责"
        out.append(
            Finding(
                "certificate",
                row.name,
                f"“{row.name}”在不予出具的证明目录中（{row.source_label}），不属于居委会依法出具的证明，{agency}，"
                "不得要求居委会出具。",
                clause,
                [term],
                IMPLICIT,
            )
        )
        break
    return out


# --- the task's structure, read before any item is matched (round 6) ---------------------------------------
#: The body that asks ("区应急局要求社区…", "劳动监察大队让社区…"): its name says who asks, not what is asked, so
#: its words are no evidence for a list item (区应急局 is no 突发事件应对).
_REQUESTER_RE = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,4}?(?:区|市|街道))?[\u4e00-\u9fff]{1,10}?"
    r"(?:局|委|办|所|队|大队|中心|院|委员会|办公室|部|科|站|指挥部)"
    r"(?=要求|让|请|通知|布置|安排|下发|发文|来函|发函|责成|交办|派|给社区|向社区|叫)"
)
#: The community's work serves another body's own affair — its event, audience or construction ("为区里的运动会
#: 提供志愿者", "为区里文艺演出充当观众", "捐款为区里建文化广场"): no list duty is towards a body's own event.
_SERVED_BODY_RE = re.compile(
    r"为(区里|市里|街道里|上级|区级|区委|区政府|街道|[\u4e00-\u9fff]{1,6}?(?:局|委|办|部门))(?:的)?"
    r"[^，。；]{0,12}?(提供|充当|当|凑|撑场|建|修建|捐|出人|派人|输送|选送)"
)
#: People sent to serve a body's own event ("招募志愿者参加区马拉松服务", "派人去市里的庆典当礼仪"): the event is the
#: body's, not the residents'.
_BODY_EVENT_RE = re.compile(
    r"(?:志愿者|人手|工作人员|礼仪|观众)[^，。；]{0,6}?(?:参加|参与|支援|服务于?|去|到)(区里|市里|区级|市级|区|市)(?:的)?"
    r"[\u4e00-\u9fff]{0,6}?"
    r"(?:马拉松|运动会|赛事|比赛|庆典|晚会|开幕式|闭幕式|论坛|博览会|招商会)"
)
#: Selling to residents: no list item makes the committee a seller ("社区向居民推销防灾应急包").
_SALE_RE = re.compile(r"(推销|销售|售卖|兜售|代销|代售|团购|带货|卖给)")
_SALE_DISTANCE = (
    "别",
    "不要",
    "谨防",
    "警惕",
    "防范",
    "防止",
    "识破",
    "发现",
    "有人",
    "公司",
    "商家",
    "骗子",
    "上门",
)
#: Reporting a figure ("每日上报辖区楼宇入驻率", "参赛率纳入统计"): data work about a rate, not the duty to reach it.
_FIGURE_REPORT_RE = re.compile(
    r"(上报|报送|填报|统计|纳入统计|报)[^，。；]{0,12}?率|率[^，。；]{0,6}?(上报|报送|填报|纳入统计)"
)
_FIGURE_TARGET = ("目标", "任务", "指标", "达到", "完成", "提高", "提升", "不低于", "确保", "考核")


@dataclass(frozen=True)
class Structure:
    """Who acts, on whom, with which act — read from the task before any list item is compared with it.

    ``match_text`` is the task without the name of the body that asks: who asks is not what is asked. Clauses
    where someone else acts stay, since they say what the community assists (法院强制腾房时，社区派人到场).
    """

    roles: tuple[ClauseRole, ...]
    requester: str  # the asking body's name ("区应急局"), or ""
    served_body: str  # the body whose own affair the work serves ("区里"), or ""
    sale: str  # the selling verb when the community is made a seller, or ""
    figure_report: bool  # the task reports a rate or figure, with no target to reach
    match_text: str

    @property
    def community_roles(self) -> tuple[str, ...]:
        return tuple(c.role for c in self.roles if c.role not in (OTHER, NEGATED))


def _sale(clause_list: list[str]) -> str:
    for clause in clause_list:
        m = _SALE_RE.search(clause)
        if not m:
            continue
        before = clause[: m.start()]
        if any(w in before for w in _SALE_DISTANCE) or any(n in before for n in _CLAUSE_NEGATORS):
            continue  # residents warned about sellers, a company found selling: told about, not done
        if before and not contains_any(before, lexicon.COMMUNITY_ACTORS) and len(before) > 6:
            continue
        return m.group(0)
    return ""


def read_structure(text: str) -> Structure:
    return _read_structure(normalize(text))


@lru_cache(maxsize=4096)
def _read_structure(text: str) -> Structure:
    roles = tuple(clause_roles(text))
    requester = ""
    kept: list[str] = []
    for cr in roles:
        clause = cr.text
        m = _REQUESTER_RE.match(clause)
        if m:
            requester = requester or m.group(0)
            clause = clause[m.end() :]
        kept.append(clause)
    served = _SERVED_BODY_RE.search(text) or _BODY_EVENT_RE.search(text)
    figure = bool(_FIGURE_REPORT_RE.search(text)) and not contains_any(text, _FIGURE_TARGET)
    match_text = "，".join(kept) if kept else text
    return Structure(
        roles=roles,
        requester=requester,
        served_body=served.group(1) if served else "",
        sale=_sale([c.text for c in roles if c.role not in (OTHER, NEGATED)]),
        figure_report=figure,
        match_text=match_text,
    )
