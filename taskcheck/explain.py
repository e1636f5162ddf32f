"""The verdict's explanation in the visitor's language.

The engine writes its reasons in Chinese (they go into refusal notices and the API, and stay as they are). For a
page shown in another language, :func:`explain` builds the same explanation from the verdict's structured fields
(rule, verdict, matched item, admission, negative item, evidence): fixed sentences through gettext, the words of
the task and the names from the lists marked ``lang="zh-CN"`` (see ``portal/templatetags/jianfu_i18n.py``).
"""

from __future__ import annotations

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from taskcheck.engine import ADMITTED, NOT_ADMITTED, ON_LIST, PROHIBITED, TaskVerdict

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SECTION = re.compile(r"([一二三四五六七八九十])(?:（([一二三四五六七八九十])）)?(?:-(\d+))?")


def chinese_page() -> bool:
    return (get_language() or "zh-hans").lower().startswith("zh")


def _section(m: re.Match) -> str:
    out = str(_NUMERALS[m.group(1)])
    if m.group(2):
        out += f"({_NUMERALS[m.group(2)]})"
    if m.group(3):
        out += f"-{m.group(3)}"
    return out


def section_text(section: str) -> str:
    """``三（一）-2`` in the page's language (``3(1)-2``)."""
    return section if chinese_page() else _SECTION.sub(_section, section)


def clause_text(clause: str) -> str:
    """``津民发〔2019〕35号 三（二）`` in the page's language (``Jin Min Fa [2019] No. 35, section 3(2)``)."""
    if chinese_page() or not clause:
        return clause
    doc, _sep, rest = clause.partition("号")
    if not _sep or "津民发" not in doc:
        return clause
    rest = rest.strip()
    head = _("津民发〔2019〕35号")
    return f"{head}, {_('第%(section)s条') % {'section': _SECTION.sub(_section, rest)}}" if rest else head


def _zh(value) -> SafeString:
    return format_html('<span lang="zh-CN">{}</span>', value) if value else mark_safe("")


def _quoted(words) -> SafeString:
    return format_html_join(", ", "“{}”", ((_zh(w),) for w in words if w))


def _fill(text: str, **names) -> SafeString:
    """A translated sentence with ``%(name)s`` places filled by already-marked HTML."""
    return mark_safe(text % {k: v for k, v in names.items()})


def _negative_reason(title: str) -> tuple[SafeString, str]:
    from checklists.data import NEGATIVE_ITEMS

    for item in NEGATIVE_ITEMS:
        if item["title"] == title:
            title = _(item["title"])
            return format_html("{}", title[:1].lower() + title[1:] if not chinese_page() else title), _(
                item["reason"]
            )
    return _zh(title), ""


def _not_covered_note(verdict: TaskVerdict) -> SafeString:
    """Why an admission number given with the task does not cover it (the engine says so in front of its reason)."""
    reason = verdict.reason or ""
    if not reason.startswith("准入编号“"):
        return mark_safe("")
    number = reason[len("准入编号“") : reason.find("”")]
    whys = (
        ("查无此号", _("查无此号，不能作为准入依据")),
        ("已被撤销", _("该准入已被撤销")),
        ("已过有效期", _("该准入已过有效期")),
        ("尚未生效", _("该准入尚未生效")),
        ("不包括本社区", _("该准入的适用范围不包括本社区")),
        ("申请，不是", _("该准入由其他部门申请，不是本部门的事项")),
        ("批准的是", _("该准入批准的是其他事项，不包括本事项：准入编号只对其批准的事项有效")),
    )
    head = reason.split("，对本事项不构成准入")[0]
    why = next((text for key, text in whys if key in head), "")
    return _fill(
        _("准入编号%(number)s：%(why)s，对本事项不构成准入。") + " ",
        number=_zh(number),
        why=format_html("{}", why),
    )


def explain(verdict: TaskVerdict) -> SafeString:
    """The reason of ``verdict`` for the page: the engine's own words in Chinese, else built from its fields."""
    if chinese_page():
        return format_html("{}", verdict.reason)
    return _not_covered_note(verdict) + _explain(verdict)


def _explain(v: TaskVerdict) -> SafeString:  # noqa: C901 — one branch per rule, as the engine has
    item = v.matched_item or {}
    evidence = _quoted(v.evidence[:3])
    rule, kind = v.rule, v.verdict
    if rule == "negative_list" and kind == PROHIBITED:
        title, why = _negative_reason((v.negative_item or {}).get("title", ""))
        return _fill(
            _(
                "该事项要求社区承担“%(what)s”（%(words)s）的责任。%(why)s依据津民发〔2019〕35号三（一），不得将居委会作为"
                "行政执法、拆迁拆违、环境整治、城市管理、招商引资等事项的责任主体，社区有权拒绝承接。"
            ),
            what=title,
            words=evidence,
            why=format_html("{} ", why) if why else "",
        )
    if rule == "certificate":
        return _fill(
            _(
                "该事项要求居委会出具不属于其职责的证明（%(words)s）。依据津民发〔2019〕35号三（五），各级机关、单位职责范围内的"
                "证明事项，不得要求居委会出具。"
            ),
            words=evidence,
        )
    if rule == "own_duty" and item:
        return _fill(
            _(
                "清单中“%(title)s”是居委会依法协助的事项，主体责任在政府及有关部门；该事项（%(words)s）把社区作为责任主体，"
                "属于将部门职责推给社区。依据津民发〔2019〕35号三（一），属于各部门、街道（乡镇）职责范围内的事项，不得要求"
                "社区承担；社区只承担协助责任，可以拒绝承担主体责任。"
            ),
            title=_zh(item.get("title")),
            words=evidence,
        )
    if rule == "own_duty":
        return _fill(
            _(
                "该事项（%(words)s）属于部门或街道的职责。依据津民发〔2019〕35号三（一），属于各部门、街道（乡镇）职责范围内的"
                "事项，不得要求社区承担。"
            ),
            words=evidence,
        )
    if rule == "plaque" and kind == ON_LIST:
        return mark_safe(
            _("要求悬挂的是标准牌子（社区党组织、居民委员会、社区工作站及警务室标识），属于规范挂牌。")
        )
    if rule == "plaque":
        return _fill(
            _(
                "要求社区悬挂%(words)s。依据津民发〔2019〕35号三（三），社区党群服务中心场所外只悬挂社区党组织、居民委员会、"
                "社区工作站三块牌子和警务室标识，其他挂牌一律不得要求社区悬挂，社区有权拒绝。"
            ),
            words=evidence or _("标准以外的牌子"),
        )
    if rule == "organisation" and kind == ON_LIST:
        return _fill(
            _("“%(title)s”是法律法规规定或允许社区设立的组织，见社区组织机构登记。"),
            title=_zh(item.get("title")),
        )
    if rule == "organisation":
        return _fill(
            _(
                "要求社区设立%(words)s，不在社区组织机构登记之内。依据津民发〔2019〕35号三（三），除法律、法规、规章和市委、"
                "市政府有明确要求外，不得要求社区建立领导小组、协调小组等组织机构，不得要求社区建立专门的活动场所，不得要求配备"
                "专职工作人员，社区可以拒绝。"
            ),
            words=evidence,
        )
    if rule == "ledger" and kind == ON_LIST:
        return _fill(_("该台账在本区台账目录清单内：“%(title)s”。"), title=_zh(item.get("title")))
    if rule == "ledger":
        return mark_safe(
            _(
                "台账目录清单外的台账，可拒绝。依据津民发〔2019〕35号三（三），各区对社区台账全面清理、建立台账目录清单，"
                "目录清单以外的台账、报表不得要求社区建立和填报。"
            )
        )
    if rule == "appraisal":
        return _appraisal(v, item, evidence)
    if kind == ADMITTED:
        adm = v.admission or {}
        if rule == "admitted_task":
            return _fill(
                _("该事项与本社区经准入的工作事项“%(title)s”（%(number)s，%(department)s）相符。"),
                title=_zh(item.get("title") or adm.get("title")),
                number=_zh(adm.get("admission_no") or item.get("admission_no")),
                department=_zh(adm.get("department") or item.get("department")),
            )
        return _fill(
            _("该事项已经准入批准（%(number)s，“%(title)s”），有效期至%(until)s。"),
            number=_zh(adm.get("admission_no")),
            title=_zh(adm.get("title")),
            until=format_html("{}", adm.get("valid_until") or "—"),
        )
    if kind == ON_LIST and item:
        return _fill(
            _("属于%(list)s“%(category)s”类事项：“%(title)s”。依据：%(basis)s。"),
            list=format_html("{}", _(_LIST_NAMES.get(item.get("list_type") or "", "工作事项清单"))),
            category=format_html("{}", _(item.get("category") or "")),
            title=_zh(item.get("title")),
            basis=format_html_join("; ", "{}", ((_zh(b),) for b in item.get("legal_basis") or ())) or "—",
        )
    if kind == NOT_ADMITTED:
        return mark_safe(
            _(
                "该事项不在本社区工作事项清单内，也未经准入批准。依据津民发〔2019〕35号三（二），未经批准的工作事项居委会有权"
                "予以拒绝。"
            )
        )
    return _zh(v.reason)  # a rule this module does not know yet: its own words, marked as Chinese


_LIST_NAMES = {
    "autonomy": "居委会群众自治工作职责清单",
    "assistance": "居委会依法协助政府工作事项清单",
    "admitted": "经准入的工作事项",
}


def _appraisal(v: TaskVerdict, item: dict, evidence: SafeString) -> SafeString:
    if v.verdict == PROHIBITED and v.complaint_category == "one_vote_veto":
        return mark_safe(
            _(
                "各部门不得对社区设置“一票否决”事项（津民发〔2019〕35号 三（四））。该要求违反规定，居委会有权拒绝，"
                "并可向区民政局投诉。"
            )
        )
    if v.verdict == PROHIBITED:
        return mark_safe(
            _(
                "除中央、国家有关部委和市委、市政府明确要求开展的评比达标和示范创建项目外，任何部门和单位不得针对社区开展"
                "评比达标和示范创建活动（津民发〔2019〕35号 三（四））。该事项不在评比创建白名单内，居委会有权拒绝。"
            )
        )
    if item.get("id") == "star-rating":
        return mark_safe(
            _(
                "社区评星定级是唯一保留的社区考核（津民发〔2019〕35号 三（四）），按全市评星定级方案开展，社区应当参加。"
            )
        )
    out: str = _fill(
        _("“%(title)s”在经批准的评比创建白名单内（%(basis)s；津民发〔2019〕35号 三（四））。"),
        title=_zh(item.get("title")),
        basis=format_html_join("; ", "{}", ((_zh(b),) for b in item.get("legal_basis") or ())),
    )
    if item.get("awaiting_confirmation"):
        out += " " + _("注意：该白名单条目尚待市民政局核定（部署机关和文号待确认）。")
    return mark_safe(out)
