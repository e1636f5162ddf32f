"""The built-in rules of the task check, registered with :func:`taskcheck.engine.register_rule` at start-up.

Order (see :func:`taskcheck.engine.register_rule`): 10 negative list / a department's or street's own duty /
barred certificates, 20 registers (plaques, organisations, ledgers), 30 appraisals (evaluations app),
50 admission number, 60 list items and admitted tasks by similarity; nothing matched → not_admitted.
"""

from __future__ import annotations

import re

from taskcheck import analysis, lexicon, sources
from taskcheck.engine import (
    ADMITTED,
    NOT_ADMITTED,
    ON_LIST,
    PROHIBITED,
    TaskQuery,
    TaskVerdict,
    register_rule,
)
from taskcheck.matching import ListIndex, index_for
from taskcheck.text import bigrams, clauses, contains_any, normalize

#: A list item or admitted task decides when it scores at least this much …
MATCH_THRESHOLD = 0.40
#: … or at least this much with a curated keyword found verbatim in the task.
KEYWORD_THRESHOLD = 0.30
#: Admitted tasks are specific: they need a closer match than the broad list items.
ADMITTED_THRESHOLD = 0.45
LEDGER_THRESHOLD = 0.45
ADMISSION_NO_RE = re.compile(r"津[\u4e00-\u9fff]{0,5}?准[〔\[(（]\d{4}[〕\])）]\d{1,5}号")

LIST_NAMES = {
    "autonomy": "居委会群众自治工作职责清单",
    "assistance": "居委会依法协助政府工作事项清单",
    "admitted": "经准入的工作事项",
}


def item_dict(item) -> dict:
    out = {
        "id": item.id,
        "list_type": item.list_type,
        "category": item.category,
        "title": item.title,
        "legal_basis": list(item.legal_basis),
    }
    if getattr(item, "department", ""):
        out["department"] = item.department
    if getattr(item, "admission_no", ""):
        out["admission_no"] = item.admission_no
    return out


def _admission_from_item(item) -> dict:
    return {
        "admission_no": item.admission_no,
        "title": item.title,
        "department": item.department,
        "valid_until": item.valid_until.isoformat() if item.valid_until else None,
    }


def _public_admission(data: dict) -> dict:
    keep = ("admission_no", "status", "title", "department", "valid_from", "valid_until")
    out = {}
    for key in keep:
        value = data.get(key)
        out[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


# --- 0: the task's structure, read before anything is matched --------------------------------------------
def rule_read_structure(query: TaskQuery) -> TaskVerdict | None:
    """Structure first: who asks, whom the work serves, which act the community does (never decides)."""
    query.structure = analysis.read_structure(query.text)
    return None


def structure_of(query: TaskQuery) -> analysis.Structure:
    if not isinstance(query.structure, analysis.Structure):
        query.structure = analysis.read_structure(query.text)
    return query.structure


# --- 10: negative list, own duties, barred certificates -------------------------------------------------
def rule_negative_list(query: TaskQuery) -> TaskVerdict | None:
    findings = analysis.negative_findings(query.title, query.description)
    order = {"negative_list": 0, "certificate": 1, "own_duty": 2}
    findings.sort(key=lambda f: (order[f.kind], 0 if f.strength == analysis.STRONG else 1))
    if not findings or findings[0].kind == "own_duty":
        # Standing in for the owners' committee or the property company: their own affairs, not a department's
        # (收取物业费 is the company's fee, not a tax) — unless a barred field or certificate is asked as well.
        other = analysis.another_body_work(query.text)
        if other is not None:
            return _another_body_verdict(*other)
    if not findings:
        return None
    finding = findings[0]
    quoted = "、".join(finding.evidence[:3])
    if finding.kind == "negative_list":
        item = _negative_item(finding.title)
        clause = getattr(item, "clause", "") or lexicon.CLAUSE_LISTS
        reason = (
            f"该事项要求社区承担“{finding.title}”（{quoted}）的责任。{getattr(item, 'reason', '') or finding.title}"
            f"。依据{lexicon.POLICY_DOC}三（一），不得将居委会作为行政执法、拆迁拆违、环境整治、城市管理、招商引资等事项的责任主体，"
            "社区有权拒绝承接。"
        ).replace("。。", "。")
        if not getattr(item, "reason", ""):
            reason = reason.replace(f"）的责任。{finding.title}。", f"）的责任。{finding.reason}")
        negative = {"code": getattr(item, "code", finding.title), "title": finding.title, "clause": clause}
        return TaskVerdict(
            PROHIBITED,
            reason,
            rule="negative_list",
            clause=clause,
            negative_item=negative,
            complaint_category="unapproved_task",
            evidence=finding.evidence,
        )
    if finding.kind == "certificate":
        reason = f"{finding.reason}依据{lexicon.POLICY_DOC}三（五），各级机关、单位职责范围内的证明事项，不得要求居委会出具。"
        return TaskVerdict(
            PROHIBITED,
            reason,
            rule="certificate",
            clause=lexicon.CLAUSE_CERTIFICATES,
            complaint_category="demanded_certificate",
            evidence=finding.evidence,
        )
    reason = (
        f"该事项（{quoted}）属于{finding.title}的职责：{finding.reason}依据{lexicon.POLICY_DOC}三（一），"
        "属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担。"
    )
    return TaskVerdict(
        PROHIBITED,
        reason,
        rule="own_duty",
        clause=lexicon.CLAUSE_LISTS,
        complaint_category="unapproved_task",
        evidence=finding.evidence,
    )


def _another_body_verdict(body: str, clause: str) -> TaskVerdict:
    reason = (
        f"该事项要求居委会代替{body}办理其自身事务（“{clause}”）。业主大会、业主委员会和物业服务企业的事务由其依法自行办理，"
        "居委会依法只对业主大会、业主委员会进行指导和监督，代其办理不属于居委会的职责，也不在本社区工作事项清单内。"
        f"依据{lexicon.POLICY_DOC}三（二），未经批准的工作事项居委会有权予以拒绝。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="another_body",
        clause=lexicon.CLAUSE_ADMISSION,
        complaint_category="unapproved_task",
        evidence=[body],
    )


def _negative_item(name: str):
    try:
        items = sources.negative_items()
    except Exception:  # the negative list's wording is a courtesy; the rule itself is the policy's
        return None
    for item in items:
        if item.title == name or name in item.title or item.title in name:
            return item
    return None


# --- 20: registers ---------------------------------------------------------------------------------------
_PLAQUE_NAME_RE = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9“”\"]{2,24}?)(?:的)?(?:牌子|牌匾|标牌|铭牌|标识牌|门牌)"
)
_QUOTED_RE = re.compile(r"[“\"《]([^”\"》]{2,30})[”\"》]")
_PLAQUE_EXCLUDE = ("挂牌督办", "挂牌出让", "挂牌交易", "摘牌", "挂牌上市", "号牌", "车牌", "楼门牌", "门牌号")


_PLAQUE_COUNT_RE = re.compile(r"[一二三四五六七八九十两几\d]+[块个面张]$")


#: 挂牌 of a market or a supervisor: a listing price, a property put up for sale, a case put under supervision.
_LISTING_RE = re.compile(r"挂牌(?=价|出售|出租|转让|房源|量|交易|出让|上市|督办|整治|成交)")


def _plaque_demand(text: str) -> bool:
    for x in _PLAQUE_EXCLUDE:
        text = text.replace(x, "")
    text = _LISTING_RE.sub("", text)
    if "挂牌" in text or "授牌" in text or "挂匾" in text:
        return True
    return bool(contains_any(text, ("牌子", "牌匾", "标牌", "铭牌", "标识牌"))) and bool(
        contains_any(text, lexicon.PLAQUE_DEMANDS)
    )


def _plaque_names(text: str) -> list[str]:
    names = [m.group(1) for m in _QUOTED_RE.finditer(text)]
    for m in _PLAQUE_NAME_RE.finditer(text):
        name = m.group(1).strip('“”"')
        for prefix in (
            "统一悬挂",
            "悬挂",
            "统一制作",
            "制作",
            "统一",
            "安装",
            "门口",
            "门前",
            "外墙",
            "张挂",
        ):
            if prefix in name:
                name = name.split(prefix)[-1]
        name = _PLAQUE_COUNT_RE.sub("", name)  # "工作站三块牌子": the count is not part of the name
        if len(name) >= 2:
            names.append(name)
    return names


def rule_registers(query: TaskQuery) -> TaskVerdict | None:
    text = normalize(query.text)
    if not _community_acts(query):
        return None
    if _plaque_demand(text):
        verdict = _plaque_verdict(text)
        if verdict:
            return verdict
    verdict = _organisation_verdict(query, text)
    if verdict:
        return verdict
    return _ledger_verdict(query, text)


_PROOF_OF_WORK_RES = tuple(re.compile(p) for p in lexicon.PROOF_OF_WORK_PATTERNS)


def proof_of_work(text: str) -> str:
    """The words that make the community prove its own work by traces (留痕、定位打卡、每小时拍照上传、签到表装订成册
    迎检), or "": the form of the work, not the listed duty it is attached to."""
    for clause in clauses(normalize(text)):
        for pattern in _PROOF_OF_WORK_RES:
            m = pattern.search(clause)
            if m is None:
                continue
            before = clause[: m.start()]
            if any(
                n in before for n in analysis._CLAUSE_NEGATORS + analysis._NEAR_NEGATORS + ("减少", "杜绝")
            ):
                continue
            return m.group(0)
    return ""


def _proof_of_work_verdict(text: str) -> TaskVerdict | None:
    """Work proven by traces (三（三）): a schedule of photos, check-ins, sign-in sheets or "留痕" demanded of the
    community is a register off the catalogue, whatever listed duty it is attached to (垃圾分类值守每小时拍照上传 is not
    垃圾分类 itself): never ``on_list``; ``not_admitted`` as every register off the catalogue (sets 1–6)."""
    found = proof_of_work(text)
    if not found:
        return None
    reason = (
        f"该事项要求社区以“{found}”等方式为工作留痕、证明在岗，这是以痕迹代替实绩的要求，不是清单所列的职责，"
        "也不在台账目录清单内。"
        f"依据{lexicon.POLICY_DOC}三（三），精简社区台账和报表，目录清单以外的台账、报表、留痕资料不得要求社区建立和填报；"
        "居委会有权拒绝。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="proof_of_work",
        clause=lexicon.CLAUSE_REGISTERS,
        complaint_category="extra_ledgers",
        evidence=[found],
    )


def _community_acts(query: TaskQuery) -> bool:
    """Some clause asks something of the community (not only of a department)."""
    return any(
        c.role != analysis.OTHER and c.role != analysis.NEGATED for c in analysis.clause_roles(query.text)
    )


def _plaque_verdict(text: str) -> TaskVerdict | None:
    standard = [e.name for e in (sources.plaque_standard() or [])] or list(lexicon.STANDARD_PLAQUES)
    standard_words = set(standard) | set(lexicon.STANDARD_PLAQUES)
    names = _plaque_names(text)
    # "工作站牌子" in a list of the standard plaques is the 社区工作站 plaque: a name inside a standard name is it
    extra = [n for n in names if not any(s in n or (len(n) >= 3 and n in s) for s in standard_words)]
    if names and not extra:
        basis = f"{lexicon.POLICY_DOC}三（三）"
        item = {
            "id": "plaque-standard",
            "list_type": "plaque",
            "category": "社区挂牌标准",
            "title": "社区党组织、居民委员会、社区工作站三块牌子和警务室标识",
            "legal_basis": [basis],
        }
        return TaskVerdict(
            ON_LIST,
            "要求悬挂的是标准牌子（社区党组织、居民委员会、社区工作站及警务室标识），属于规范挂牌。",
            rule="plaque",
            clause=lexicon.CLAUSE_REGISTERS,
            matched_item=item,
        )
    shown = "、".join(f"“{n}”" for n in extra[:3]) or "标准以外的牌子"
    reason = (
        f"要求社区悬挂{shown}。依据{lexicon.POLICY_DOC}三（三），社区党群服务中心场所外只悬挂社区党组织、居民委员会、"
        "社区工作站三块牌子和警务室标识，其他挂牌一律不得要求社区悬挂，社区有权拒绝。"
    )
    return TaskVerdict(
        PROHIBITED,
        reason,
        rule="plaque",
        clause=lexicon.CLAUSE_REGISTERS,
        complaint_category="extra_plaques",
        evidence=extra[:3],
    )


def _demanded(clause: str, words, demands) -> list[str]:
    hits = []
    for word in words:
        i = clause.find(word)
        if i < 0:
            continue
        if word == "工作站" and "社区工作站" in clause:
            continue
        if contains_any(clause[:i], demands) or contains_any(clause[i:], ("成立", "设立", "组建")):
            hits.append(word)
    return hits


#: A place set apart for one purpose ("专门的应急物资仓库", "专门的垃圾分类宣传教育基地"): a dedicated venue, whatever
#: it is called (三（三）).
_SPECIAL_VENUE_RE = re.compile(
    r"(专门|专用|独立)的?[\u4e00-\u9fff]{0,12}?(基地|仓库|库房|场所|场地|用房|室|馆|中心|站点)"
)
#: "每个社区建一间禁毒宣传教育室", "腾出一间屋做…活动室": a room built or set apart, counted (一间、一处), for one
#: named purpose is a dedicated venue, however it is called.
_ONE_ROOM_RE = re.compile(
    r"(建|建设|设|设立|腾出|开辟|布置|打造)(一|1)(间|处|个)[\u4e00-\u9fff]{2,10}?(室|馆|屋|基地|阵地)(?![\u4e00-\u9fff]{0,2}(活动|服务))"
)


def _special_venue(clause: str) -> list[str]:
    m = _SPECIAL_VENUE_RE.search(clause)
    if m and contains_any(clause[: m.start()], lexicon.ORGANISATION_DEMANDS + ("腾出", "提供", "开辟")):
        return [m.group(0)]
    m = _ONE_ROOM_RE.search(clause)
    if m:
        return [m.group(0)]
    return []


def _organisation_verdict(query: TaskQuery, text: str) -> TaskVerdict | None:
    demanded: list[str] = []
    demand_clause = ""
    for cr in analysis.clause_roles(query.text):
        if cr.role in (analysis.OTHER, analysis.NEGATED):
            continue
        hits = (
            _special_venue(cr.text)
            + _demanded(cr.text, lexicon.ORGANISATION_WORDS, lexicon.ORGANISATION_DEMANDS)
            + _demanded(cr.text, lexicon.VENUE_WORDS, lexicon.ORGANISATION_DEMANDS + ("腾出", "提供", "开辟"))
            + _demanded(cr.text, lexicon.STAFF_WORDS, lexicon.ORGANISATION_DEMANDS + ("安排", "明确", "确定"))
        )
        if hits:
            demanded, demand_clause = hits, cr.text
            break
    if not demanded:
        return None
    register = sources.organisation_register(query.community)
    entries = list(register or [])
    for name, keywords, basis in lexicon.MANDATED_ORGANISATIONS:
        entries.append(sources.RegisterEntry("organisation", name, (basis,), keywords))
    for entry in entries:
        words = (entry.name, *entry.keywords)
        if any(w and normalize(w) in text for w in words):
            item = {
                "id": f"org-{entry.name}",
                "list_type": "organisation",
                "category": "社区组织机构登记",
                "title": entry.name,
                "legal_basis": list(entry.legal_basis),
            }
            return TaskVerdict(
                ON_LIST,
                f"“{entry.name}”是法律法规规定或允许社区设立的组织，见社区组织机构登记。",
                rule="organisation",
                clause=lexicon.CLAUSE_REGISTERS,
                matched_item=item,
            )
    admitted, note, data = _organisation_admission(query)
    if admitted is not None:
        return admitted
    what = "、".join(dict.fromkeys(demanded))
    reason = note + (
        f"要求社区设立{what}（“{demand_clause}”），不在社区组织机构登记之内。依据{lexicon.POLICY_DOC}三（三），除法律、法规、"
        "规章和市委、市政府有明确要求外，不得要求社区建立领导小组、协调小组等组织机构，不得要求社区建立专门的活动场所，"
        "不得要求配备专职工作人员，社区可以拒绝。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="organisation",
        clause=lexicon.CLAUSE_REGISTERS,
        complaint_category="demanded_organisation",
        evidence=list(dict.fromkeys(demanded)),
        admission={**data, "covers_task": False} if data else None,
    )


#: Words that say nothing about what a group, venue or post is for ("社区成立XX工作领导小组" → "XX").
_ORG_SUBJECT_NOISE = (
    "居民委员会",
    "居委会",
    "各社区",
    "社区",
    "辖区",
    "街道",
    "本区",
    "全市",
    "全区",
    "相应的",
    "相应",
    "专门的",
    "专门",
    "专用",
    "专职的",
    "专职",
    "专项",
    "工作",
    "领导",
    "协调",
    "一个",
    "的",
    "各",
    "本",
)
_ORG_KINDS = (
    ("organisation", lexicon.ORGANISATION_WORDS),
    ("venue", lexicon.VENUE_WORDS),
    ("staff", lexicon.STAFF_WORDS),
)
_ORG_VERBS = lexicon.ORGANISATION_DEMANDS + ("腾出", "提供", "开辟", "安排", "明确", "确定", "要求")


def _org_subject(chunk: str) -> str:
    for word in _ORG_SUBJECT_NOISE:
        chunk = chunk.replace(word, "")
    return chunk


def organisation_demands(text: str) -> list[tuple[str, str]]:
    """(kind, subject) of every group, venue or post ``text`` asks a community to set up: what tells one demand
    from another is its subject — "垃圾分类" in 成立垃圾分类工作领导小组, "平安建设" in 成立平安建设领导小组,
    "食品安全协管员" in 配备专职食品安全协管员 — not the shared pattern (成立…领导小组)."""
    out: list[tuple[str, str]] = []
    for clause in clauses(text):
        for kind, words in _ORG_KINDS:
            found = []
            for word in sorted(words, key=len, reverse=True):
                i = clause.find(word)
                if i < 0 or any(j <= i < j + len(w) for j, w in found):
                    continue
                if word == "工作站" and "社区工作站" in clause:
                    continue
                found.append((i, word))
            for i, word in found:
                before = clause[:i]
                # the first demand verb opens the name: 成立平安建设领导小组 (建设 belongs to the subject)
                hits = [(before.find(v), v) for v in _ORG_VERBS if v in before]
                first = min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else None
                cut = first[0] + len(first[1]) if first else 0
                subject = _org_subject(before[cut:])
                if kind == "staff":  # 配备专职食品安全协管员: the post follows the marker
                    after = clause[i + len(word) :]
                    for v in _ORG_VERBS:
                        after = after.split(v)[0]
                    subject = subject + _org_subject(after)
                out.append((kind, subject))
    return out


def _same_subject(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    ga, gb = bigrams(a), bigrams(b)
    small = min(len(ga), len(gb))
    return bool(small) and len(ga & gb) / small >= 0.6


def organisation_covered(task_text: str, admitted_text: str) -> bool:
    """Whether an admission that demands a group, venue or post demands the one the task demands: the same kind
    with the same subject. A task that names no subject is covered only when the admission's subject appears in
    the task."""
    asked = organisation_demands(task_text)
    granted = organisation_demands(admitted_text)
    if not asked or not granted:
        return False
    whole = normalize(task_text)
    for kind, subject in asked:
        ok = False
        for g_kind, g_subject in granted:
            if g_kind != kind:
                continue
            if subject and _same_subject(subject, g_subject):
                ok = True
            elif not subject and g_subject and g_subject in whole:
                ok = True
        if not ok:
            return False
    return True


def _item_text(item) -> str:
    return f"{item.title}。{getattr(item, 'content', '') or ''}"


def _city_level(found: dict | None) -> bool:
    return bool(found and found.get("city_level"))


def _organisation_admission(query: TaskQuery) -> tuple[TaskVerdict | None, str, dict | None]:
    """A group, venue or post demanded of a community is lawful when the city Party committee or city government
    requires it (三（三）): a valid city-level admission that demands the same one (same kind, same subject) makes
    the task ``admitted``, with or without its number. Returns (admitted verdict or None, the note on a number
    that does not cover the task, that number's public data)."""
    number = _query_number(query)
    if number:
        found = sources.admission_lookup(admission_no=number)
        why = _number_problem(query, number, found)
        item = None
        if not why:
            item = sources.admission_item(admission_no=number) or _admission_item_from(found)
            if not organisation_covered(query.text, _item_text(item)) or not admission_covers(query, item):
                why = f"该准入批准的是“{found.get('title')}”，不包括本事项：准入编号只对其批准的事项有效"
            elif not _city_level(found):
                why = (
                    "该准入由区级批准；要求社区设立组织机构、专门场所或配备专职人员，只有法律、法规、规章或市委、"
                    "市政府可以要求"
                )
        data = _public_admission(found) if found else None
        if why:
            return None, f"准入编号“{number}”：{why}，对本事项不构成准入。", data
        where = "适用于本社区，" if query.community is not None else ""
        verdict = TaskVerdict(
            ADMITTED,
            f"该事项已经市级准入批准（{number}，“{found.get('title')}”），{where}有效期至{data.get('valid_until') or '—'}。"
            f"依据{lexicon.POLICY_DOC}三（三），市委、市政府明确要求的组织机构、场所或人员，社区应当承接。",
            rule="admission_no",
            clause=lexicon.CLAUSE_REGISTERS,
            admission=data,
        )
        return verdict, "", data
    if query.community is None:
        return None, "", None
    _, admitted = sources.split_items(query.community)
    for item in admitted:
        if query.department and not same_department(query.department, getattr(item, "department", "")):
            continue
        if not organisation_covered(query.text, _item_text(item)) or not admission_covers(query, item):
            continue
        found = sources.admission_lookup(admission_no=item.admission_no)
        if not _city_level(found):
            continue
        return (
            TaskVerdict(
                ADMITTED,
                f"该事项与本社区经市级准入的工作事项“{item.title}”（{item.admission_no}，{item.department}）相符。"
                f"依据{lexicon.POLICY_DOC}三（三），市委、市政府明确要求的组织机构、场所或人员，社区应当承接。",
                rule="admitted_task",
                clause=lexicon.CLAUSE_REGISTERS,
                matched_item=item_dict(item),
                admission=_admission_from_item(item),
            ),
            "",
            None,
        )
    return None, "", None


def _ledger_verdict(query: TaskQuery, text: str) -> TaskVerdict | None:
    asked = bool(contains_any(normalize(query.title), lexicon.LEDGER_WORDS)) or any(
        contains_any(clause, lexicon.LEDGER_WORDS) and contains_any(clause, lexicon.LEDGER_DEMANDS)
        for clause in clauses(query.text)
    )
    if not asked:
        return None
    catalogue = sources.ledger_catalogue(query.community)
    if catalogue is None:
        return None
    best = None
    if catalogue:
        stripped = text
        for w in lexicon.LEDGER_WORDS:
            stripped = stripped.replace(w, "")
        index = index_for([_LedgerItem(e) for e in catalogue])
        ranked = index.rank(stripped, limit=1)
        if ranked and (ranked[0].score >= LEDGER_THRESHOLD or ranked[0].keyword_hits):
            best = ranked[0].item.entry
    if best is not None:
        item = {
            "id": f"ledger-{best.name}",
            "list_type": "ledger",
            "category": "台账目录清单",
            "title": best.name,
            "legal_basis": list(best.legal_basis),
        }
        return TaskVerdict(
            ON_LIST,
            f"该台账在本区台账目录清单内：“{best.name}”。",
            rule="ledger",
            clause=lexicon.CLAUSE_REGISTERS,
            matched_item=item,
        )
    reason = (
        f"台账目录清单外的台账，可拒绝。依据{lexicon.POLICY_DOC}三（三），各区对社区台账全面清理、建立台账目录清单，"
        "目录清单以外的台账、报表不得要求社区建立和填报。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="ledger",
        clause=lexicon.CLAUSE_REGISTERS,
        complaint_category="extra_ledgers",
    )


class _LedgerItem:
    """A catalogue entry seen as a list item by the matcher."""

    list_type = "ledger"
    category = ""
    content = ""

    def __init__(self, entry):
        self.entry = entry
        self.id = entry.name
        self.title = entry.name
        self.keywords = entry.keywords
        self.content = entry.note

    def __hash__(self):
        return hash(self.entry)

    def __eq__(self, other):
        return isinstance(other, _LedgerItem) and other.entry == self.entry


# --- 50: admission number --------------------------------------------------------------------------------
#: A task described with an admission number must be that admission's task: this close by the matcher.
COVER_THRESHOLD = 0.40
_REGION_PREFIX_RE = re.compile(r"^(天津市|天津)?([\u4e00-\u9fff]{1,4}?(区|县))?")


def _department_core(name: str) -> str:
    name = normalize(name)
    core = _REGION_PREFIX_RE.sub("", name) or name
    return core[1:] if core[:1] in ("区", "市") and len(core) > 2 else core


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def same_department(given: str, requester: str) -> bool:
    """Whether the department a task names is the admission's requester ("区卫健委" is "河西区卫生健康委员会")."""
    a, b = _department_core(given), _department_core(requester)
    if not a or not b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return short in long or _is_subsequence(short, long)


def admission_covers(query: TaskQuery, item) -> bool:
    """Whether the task described is the task ``item`` (an admission's task) was admitted for, by the matcher."""
    if item is None:
        return False
    base, _ = sources.split_items(query.community)
    index = index_for(base, stamp=sources.list_version())
    for match in index.rank(query.text, extra_items=(item,), limit=20):
        if match.item == item:
            return match.score >= COVER_THRESHOLD
    return False


def _query_number(query: TaskQuery) -> str:
    """The admission number given with the task, or written into its text ("" when none)."""
    number = (query.admission_no or "").strip()
    if not number:
        m = ADMISSION_NO_RE.search(query.text)
        number = m.group(0) if m else ""
    return number.replace("[", "〔").replace("]", "〕")


def _number_problem(query: TaskQuery, number: str, found: dict | None) -> str:
    """Why the number cannot admit anything for this community and department ("" when it can)."""
    if found is None:
        return "查无此号，不能作为准入依据"
    status = found.get("status")
    if status == "revoked":
        return "该准入已被撤销"
    if status == "expired":
        return "该准入已过有效期"
    if status != "valid":
        return "该准入尚未生效"
    if query.community is not None and not sources.admission_valid(
        admission_no=number, community=query.community
    ):
        return "该准入的适用范围不包括本社区"
    if query.department and not same_department(query.department, found.get("department") or ""):
        return f"该准入由{found.get('department')}申请，不是{query.department}的事项"
    return ""


def rule_admission_number(query: TaskQuery) -> TaskVerdict | None:
    """An admission number makes a task ``admitted`` only for that admission's own task, in its scope, period and
    status, asked by its own department; otherwise the answer is what it would be without the number, and says
    why the number does not cover the task (三（二）)."""
    number = _query_number(query)
    if not number:
        return None
    found = sources.admission_lookup(admission_no=number)
    why = _number_problem(query, number, found)
    if why:
        return _not_covered(query, number, _public_admission(found) if found else None, why)
    data = _public_admission(found)
    item = sources.admission_item(admission_no=number)
    if item is None:
        item = _admission_item_from(found)
    if not admission_covers(query, item):
        return _not_covered(
            query,
            number,
            data,
            f"该准入批准的是“{found.get('title')}”，不包括本事项：准入编号只对其批准的事项有效",
        )
    where = "适用于本社区，" if query.community is not None else ""
    return TaskVerdict(
        ADMITTED,
        f"该事项已经准入批准（{number}，“{found.get('title')}”），{where}有效期至{data.get('valid_until') or '—'}。",
        rule="admission_no",
        clause=lexicon.CLAUSE_ADMISSION,
        admission=data,
    )


def _admission_item_from(found: dict):
    from checklists.selectors import ChecklistItem

    return ChecklistItem(
        id=f"adm-{found.get('admission_no')}",
        list_type="admitted",
        category="经准入的工作事项",
        title=found.get("title") or "",
        content=found.get("content") or "",
        department=found.get("department") or "",
        admission_no=found.get("admission_no") or "",
        valid_until=found.get("valid_until"),
        keywords=tuple(found.get("keywords") or ()),
    )


def _not_covered(query: TaskQuery, number: str, data: dict | None, why: str) -> TaskVerdict:
    """The verdict without the number, with the reason the number does not cover the task in front."""
    from taskcheck import engine

    plain = TaskQuery(
        title=ADMISSION_NO_RE.sub("", query.title),
        description=ADMISSION_NO_RE.sub("", query.description),
        department=query.department,
        admission_no="",
        community=query.community,
    )
    verdict = engine.evaluate_query(plain, after=50)
    note = f"准入编号“{number}”：{why}，对本事项不构成准入。"
    verdict.reason = note + verdict.reason
    if data is not None and verdict.verdict != ADMITTED:
        verdict.admission = {**data, "covers_task": False}
    if verdict.rule == "default":
        verdict.rule = "admission_no"
    return verdict


# --- 60: list items and admitted tasks ------------------------------------------------------------------
def rule_list_items(query: TaskQuery) -> TaskVerdict | None:
    # The trace of the work (留痕、打卡) is never the listed duty it is attached to; read after the admission number,
    # which answers for its own task first.
    proof = _proof_of_work_verdict(normalize(query.text)) if _community_acts(query) else None
    if proof is not None:
        return proof
    base, admitted = sources.split_items(query.community)
    if query.department:
        # An admission covers the task of its own department only: another department's task is not it.
        admitted = tuple(
            a for a in admitted if same_department(query.department, getattr(a, "department", ""))
        )
    if not base and not admitted:
        return None
    index = index_for(base, stamp=sources.list_version())
    structure = structure_of(query)
    # Structure first: an item is matched on what is asked, not on the name of the body that asks (clauses where
    # someone else acts stay: they say what the community assists).
    ranked = index.rank(structure.match_text, extra_items=admitted, limit=3)
    staff_only = _staff_take_part(query.text)
    best = next(
        (
            m
            for m in ranked
            # an admitted task may be data work itself (摸底、调查): the guard is for the listed duties
            if _passes(m)
            and (m.item.list_type == "admitted" or not _data_work_beside(query.text, m.item))
            and (m.item.list_type == "admitted" or not staff_only)
        ),
        None,
    )
    if best is None:
        administrative = _administrative_act(structure) or _handed_down(query.text)
        if administrative:
            return administrative
        return _weak_match(ranked, "")
    item = best.item
    if item.list_type != "admitted":
        why = _structure_gate(structure)
        if why:
            return _weak_match(ranked, why)
    if item.list_type == "admitted":
        admission = _admission_from_item(item)
        return TaskVerdict(
            ADMITTED,
            f"该事项与本社区经准入的工作事项“{item.title}”（{item.admission_no}，{item.department}）相符。",
            rule="admitted_task",
            clause=lexicon.CLAUSE_ADMISSION,
            matched_item=item_dict(item),
            admission=admission,
            score=best.score,
        )
    basis = "；".join(item.legal_basis) or "—"
    if item.list_type == "assistance":
        refused = _responsible_for_assisting(query, item, best)
        if refused is not None:
            return refused
    else:
        refused = _accountable_for_outcome(query, item, best)
        if refused is not None:
            return refused
    list_name = LIST_NAMES.get(item.list_type, "工作事项清单")
    reason = f"属于{list_name}“{item.category}”类事项：“{item.title}”。依据：{basis}。"
    return TaskVerdict(
        ON_LIST,
        reason,
        rule="list_item",
        clause=lexicon.CLAUSE_LISTS,
        matched_item=item_dict(item),
        score=best.score,
    )


#: Below this, a list item is not named even as "possibly related".
NEAREST_FLOOR = 0.20


def _administrative_act(structure) -> TaskVerdict | None:
    """The community made responsible (负责、承担、牵头…, or a strong marker) for an act of administrative power —
    审核、检查、处罚、征收、清除、封堵、备案… — that no list item covers: a department's own act (三（一）)."""
    for cr in structure.roles:
        if cr.role not in (analysis.STRONG, analysis.WEAK):
            continue
        heads = analysis._hard_heads(cr.scope, lexicon.ADMINISTRATIVE_ACTS)
        if heads and not analysis._only_reported(cr.scope, cr.text):
            reason = (
                f"该事项要求社区“{cr.marker}”{'、'.join(heads[:2])}，这是行政机关依法行使的审核、检查、处罚、征收或强制等职权，"
                f"不是居委会的职责，也不在本社区工作事项清单内。依据{lexicon.POLICY_DOC}三（一），属于各部门、街道（乡镇）"
                "职责范围内的事项，不得要求社区承担。"
            )
            return TaskVerdict(
                PROHIBITED,
                reason,
                rule="own_duty",
                clause=lexicon.CLAUSE_LISTS,
                complaint_category="unapproved_task",
                evidence=[cr.marker, *heads[:2]],
            )
    return None


#: A department handing its own work to the community ("市场监管局把年报催报任务交给社区", "把比对的活交给居委会去查").
_HANDED_DOWN_RE = re.compile(
    r"(局|委|办|所|队|中心|部门)[^，。；]{0,2}把([^，。；]{2,30}?)(交给|交由|转给|推给|下放给|甩给)(社区|居委会|居民委员会)"
)


def _handed_down(text: str) -> TaskVerdict | None:
    """A department hands its own work to the community, and no list item covers the work: the department's own
    duty pushed down (三（一）)."""
    m = _HANDED_DOWN_RE.search(normalize(text))
    if m is None:
        return None
    reason = (
        f"该事项是有关部门把“{m.group(2)}”{m.group(3)}社区，不在本社区工作事项清单内。"
        f"依据{lexicon.POLICY_DOC}三（一），属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担。"
    )
    return TaskVerdict(
        PROHIBITED,
        reason,
        rule="own_duty",
        clause=lexicon.CLAUSE_LISTS,
        complaint_category="unapproved_task",
        evidence=[m.group(2)],
    )


def _structure_gate(structure) -> str:
    """Why the task's structure rules out every list item, whatever words it shares with one ("" when nothing
    does): the community's work serves another body's own event or construction, or the community is made a
    seller. The list items are duties towards residents (组织法第三条、第四条) and assisting a government's work for
    them; neither is either."""
    if structure.served_body:
        return (
            f"该事项是为{structure.served_body}自身的活动或建设出人、出钱、出力，不是居委会对居民的职责，"
            "也不是协助政府为居民办理的事项。"
        )
    if structure.sale:
        return f"该事项要求社区“{structure.sale}”商品，居委会没有经营销售的职责。"
    quota = _DONATION_QUOTA_RE.search(normalize(structure.match_text))
    if quota:
        return (
            f"该事项要求社区完成募捐的任务或额度（“{quota.group(0)}”）；慈善捐赠出于自愿，居委会协助的是捐赠款物的"
            "分配送达，不是替有关单位向居民摊派捐款。"
        )
    return ""


#: A donation quota ("募捐任务", "每户捐款五十元", "下达的募捐额度"): giving is voluntary (慈善法第四条), so a target
#: handed to the community is no list duty.
_DONATION_QUOTA_RE = re.compile(
    r"(募捐|捐款|捐赠|募集)[^，。；]{0,6}(任务|额度|指标|定额)|(任务|额度|指标|定额)[^，。；]{0,4}(募捐|捐款)|"
    r"(每户|每人|每家)[^，。；]{0,3}(捐|交)[^，。；]{0,3}[0-9一二三四五六七八九十百千两]+元?"
)


def _weak_match(ranked, why: str) -> TaskVerdict | None:
    """Only a weak match (under the threshold, or ruled out by the task's structure): ``not_admitted``, naming the
    nearest items so that the worker can check them — the safe answer, since a wrong ``on_list`` tells a
    community to accept what the policy lets it refuse."""
    near = [m for m in ranked if m.score >= NEAREST_FLOOR and m.item.list_type != "admitted"][:2]
    if not near and not why:
        return None
    names = "、".join(f"“{m.item.title}”" for m in near)
    hint = f"可能相关：{names}（仅个别词语相近，请对照清单原文核实）。" if names else ""
    reason = (
        f"{why}该事项与本社区工作事项清单中的事项只有个别词语相同，不能认定属于清单事项，也未经准入批准。{hint}"
        f"依据{lexicon.POLICY_DOC}三（二），未经批准的工作事项居委会有权予以拒绝。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="weak_match",
        clause=lexicon.CLAUSE_ADMISSION,
        complaint_category="unapproved_task",
        score=near[0].score if near else 0.0,
        nearest=[item_dict(m.item) for m in near],
    )


#: Telling, finding and reporting: what a community may be "负责" for without carrying the duty. 登记 is left out:
#: "负责兵役登记" is the registration itself.
_TELLING = tuple(w for w in lexicon.SOFT_ACTIONS if w != "登记")


def community_made_responsible(text: str) -> str:
    """The words that make the community the responsible subject of the task, or "" (三（一）): a strong marker
    (责任主体、属地责任、负总责、签订责任书/责任状、考核问责…), or 负责/牵头/承担 for anything but telling, finding and
    reporting."""
    for cr in analysis.clause_roles(text):
        if cr.role == analysis.STRONG:
            return cr.marker
        if cr.role == analysis.WEAK and not contains_any(cr.scope, _TELLING + lexicon.ASSIST):
            return cr.marker
    return ""


_OTHER_BODY_RE = re.compile(
    r"([\u4e00-\u9fff、]{2,14}?)由([\u4e00-\u9fff]{2,16}?)(负责|组织实施|组织办理|组织)"
)


def _given_to_another_body(query: TaskQuery, item) -> tuple[str, str] | None:
    """(matter, body) when the task asks the community to do what the item itself gives to another body
    ("居住证的签发由公安机关负责"), unless the task only asks it to assist."""
    from taskcheck.matching import GENERIC
    from taskcheck.text import tokens

    text = normalize(query.text)
    if contains_any(text, lexicon.ASSIST):
        return None
    words = set(tokens(text))
    for m in _OTHER_BODY_RE.finditer(getattr(item, "content", "") or ""):
        matter, body = m.group(1), m.group(2)
        if any(a in body for a in lexicon.COMMUNITY_ACTORS):
            continue
        key = [w for w in tokens(matter) if w not in GENERIC]
        if key and all(w in words for w in key):
            return matter.strip("、"), body
    return None


def _responsible_for_assisting(query: TaskQuery, item, best) -> TaskVerdict | None:
    """An assisting item with the community made the responsible subject, or doing what the item gives to another
    body: not the community's (三（一）). Barred fields were refused earlier by the negative list."""
    marker = community_made_responsible(query.text)
    other = None if marker else _given_to_another_body(query, item)
    if not marker and other is None:
        return None
    if marker:
        why = f"要求社区“{marker}”，把社区作为责任主体"
    else:
        why = f"清单写明{other[0]}由{other[1]}负责，不是社区的职责"
    reason = (
        f"清单中“{item.title}”是居委会依法协助的事项，主体责任在政府及有关部门；该事项{why}，属于将部门职责推给社区。"
        f"依据{lexicon.POLICY_DOC}三（一），属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担；"
        "社区只承担协助责任，可以拒绝承担主体责任。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="own_duty",
        clause=lexicon.CLAUSE_LISTS,
        matched_item=item_dict(item),
        score=best.score,
        complaint_category="unapproved_task",
        evidence=[marker] if marker else [other[0]],
    )


def _accountable_for_outcome(query: TaskQuery, item, best) -> TaskVerdict | None:
    """The committee's own duty turned into an outcome it answers for ("对纠纷化解率负总责，发生…追责"): the list item
    is the duty, not the result pushed down with a strong marker and accountability (三（一）)."""
    text = normalize(query.text)
    outcome = contains_any(text, lexicon.OUTCOME_ACCOUNTABILITY)
    if not outcome:
        return None
    marker = next((cr.marker for cr in analysis.clause_roles(query.text) if cr.role == analysis.STRONG), "")
    if not marker:
        return None
    reason = (
        f"清单中“{item.title}”是居委会的自治职责，但该事项要求社区“{marker}”并以结果（{'、'.join(outcome[:2])}）追究责任，"
        "把有关部门的工作结果压给社区，不是清单所列的职责。"
        f"依据{lexicon.POLICY_DOC}三（一），属于各部门、街道（乡镇）职责范围内的事项，不得要求社区承担；社区可以拒绝。"
    )
    return TaskVerdict(
        NOT_ADMITTED,
        reason,
        rule="own_duty",
        clause=lexicon.CLAUSE_LISTS,
        matched_item=item_dict(item),
        score=best.score,
        complaint_category="unapproved_task",
        evidence=[marker, *outcome[:2]],
    )


_STAFF_TAKE_PART_RE = re.compile(
    r"(社区工作人员|社区工作者|社区干部|社区两委|居委会成员|社工|网格员|工作人员)[^，。；]{0,3}(参加|参与|参赛|出席|报名)"
)
_EVENTS = ("比赛", "运动会", "竞赛", "方阵", "训练", "演出", "联欢", "书法", "展演", "汇演", "球赛", "比武")
_RESIDENTS = (
    "居民",
    "群众",
    "住户",
    "老人",
    "老年人",
    "儿童",
    "青少年",
    "家长",
    "妇女",
    "残疾人",
    "大家",
    "邻居",
)


def _staff_take_part(text: str) -> bool:
    """The community's own staff are the ones who take part in an event ("社区工作人员参加区机关运动会"): the list items
    are duties towards residents (组织法第三条、第四条), so a contest or show for the staff themselves is none of them."""
    text = normalize(text)
    return (
        bool(_STAFF_TAKE_PART_RE.search(text))
        and bool(contains_any(text, _EVENTS))
        and not contains_any(text, _RESIDENTS)
    )


#: A figure to be reported on a schedule ("每月上报居民阅读量", "按周报送参保人数"): the report of a count is data work.
_FIGURE_ASKED_RE = re.compile(
    r"(上报|报送|报给|汇总)[^，。；]{0,10}(量|人数|户数|数据|数字)(?![\u4e00-\u9fff])"
)


def _data_work_beside(text: str, item) -> bool:
    """The task asks for counting, rating or form-filling about an item's subject, which the item does not ask
    for ("统计辖区养老机构床位" is not "维护老年人合法权益"): a department's data work, not the listed duty."""
    text = normalize(text)
    for office in ("统计局", "统计部门", "统计机构", "统计站"):
        text = text.replace(office, "")
    asked = contains_any(text, lexicon.DATA_WORK) + [m.group(0) for m in _FIGURE_ASKED_RE.finditer(text)]
    if not asked:
        return False
    own = normalize(
        f"{item.title}{getattr(item, 'content', '')}{''.join(getattr(item, 'keywords', ()) or ())}"
    )
    if contains_any(own, _SURVEY_ITEMS):
        # an item that is itself a survey (人口普查) covers its own enumeration: 摸底、采集、登记 are its steps
        asked = [w for w in asked if w not in _SURVEY_STEPS]
    return any(w not in own for w in asked)


_SURVEY_ITEMS = ("普查",)
_SURVEY_STEPS = ("摸底", "采集", "统计", "调查", "填报")


def _passes(match) -> bool:
    if match.item.list_type == "admitted":
        return match.score >= ADMITTED_THRESHOLD
    return match.score >= MATCH_THRESHOLD or bool(match.keyword_hits and match.score >= KEYWORD_THRESHOLD)


def rank(query_text: str, community=None, limit: int = 5):
    """Diagnostics: the best list matches of a text (used by tests and the management of thresholds)."""
    base, admitted = sources.split_items(community)
    return ListIndex(base).rank(query_text, extra_items=admitted, limit=limit)


def register_builtin_rules() -> None:
    register_rule("structure", rule_read_structure, order=0)
    register_rule("negative_list", rule_negative_list, order=10)
    register_rule("registers", rule_registers, order=20)
    register_rule("admission_no", rule_admission_number, order=50)
    register_rule("list_item", rule_list_items, order=60)
