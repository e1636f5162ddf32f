"""The task check engine (CONTRACT shared with admission and evaluations — keep signatures).

``evaluate_task`` answers whether a described task belongs to a community: ``on_list``, ``admitted``,
``prohibited`` or ``not_admitted``. Other apps add rules with :func:`register_rule` in their
``AppConfig.ready`` (evaluations adds the appraisal whitelist and the one-vote-veto rule). The taskcheck app
owns this module; its built-in rules live in :mod:`taskcheck.rules` (registered in ``TaskcheckConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ON_LIST = "on_list"
ADMITTED = "admitted"
PROHIBITED = "prohibited"
NOT_ADMITTED = "not_admitted"


@dataclass
class TaskQuery:
    title: str
    description: str = ""
    department: str = ""
    admission_no: str = ""
    community: object | None = None  # OrgUnit or None (admission's submission check passes None)
    #: who acts, on whom, with which act — read by the first rule, before any item is matched (round 6)
    structure: object | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}".strip()


@dataclass
class TaskVerdict:
    verdict: str
    reason: str
    rule: str = ""  # which rule decided ("negative_list", "appraisal", "list_item" …)
    clause: str = ""  # policy clause cited (for refusal notices)
    matched_item: dict | None = None  # {"id", "list_type", "category", "title", "legal_basis": [..]}
    admission: dict | None = None  # {"admission_no", "title", "department", "valid_until"}
    score: float = 0.0
    negative_item: dict | None = None  # {"code", "title", "clause"} when the negative list decided
    complaint_category: str = ""  # API.md complaint category a refusal can turn into
    evidence: list = field(default_factory=list)  # the words of the task that decided
    #: items only weakly like the task ("可能相关"), each as ``matched_item``; the verdict is then not_admitted
    nearest: list = field(default_factory=list)

    @property
    def refusable(self) -> bool:
        """Whether the community may refuse the task (and get a refusal notice)."""
        return self.verdict in (PROHIBITED, NOT_ADMITTED)

    def as_dict(self) -> dict:
        """The public answer (API.md): verdict, reason, and matched item / admission when there is one."""
        out: dict[str, object] = {
            "verdict": self.verdict,
            "reason": self.reason,
            "clause": self.clause,
            "rule": self.rule,
        }
        if self.matched_item:
            out["matched_item"] = self.matched_item
        if self.admission:
            out["admission"] = self.admission
        if self.negative_item:
            out["negative_item"] = self.negative_item
        if self.nearest:
            out["nearest"] = self.nearest
        if self.refusable:
            out["complaint_category"] = self.complaint_category or "unapproved_task"
        return out


Rule = Callable[[TaskQuery], "TaskVerdict | None"]
_RULES: list[tuple[int, str, Rule]] = []


def register_rule(name: str, rule: Rule, *, order: int = 50) -> None:
    """Add a rule. Rules run by ``order``; the first that returns a verdict decides.

    Built-in order (:mod:`taskcheck.rules`): 0 the task's structure (who asks, whom the work serves, which act;
    never decides), 10 negative list / a department's or street's own duty / barred
    certificates, 20 registers (plaques, organisations, ledgers), 30 appraisal and one-vote veto (evaluations),
    50 admission number, 60 list items and the community's admitted tasks by similarity (one ranking, best
    wins); nothing matched → not_admitted.
    """
    if any(n == name for _, n, _ in _RULES):
        return
    _RULES.append((order, name, rule))
    _RULES.sort(key=lambda r: r[0])


def rules() -> list[tuple[int, str, Rule]]:
    return list(_RULES)


def evaluate_task(
    *, title: str, description: str = "", community=None, department: str = "", admission_no: str = ""
) -> TaskVerdict:
    query = TaskQuery(
        title=title,
        description=description,
        department=department,
        admission_no=admission_no,
        community=community,
    )
    return evaluate_query(query)


def evaluate_query(query: TaskQuery, *, after: int | None = None) -> TaskVerdict:
    """Run the rules in order on ``query``; with ``after``, only the rules ordered after it (the admission-number
    rule uses this to answer what the verdict would be without the number). The first built-in rule reads the
    task's structure into :attr:`TaskQuery.structure`; every later rule reads the same reading."""
    for order, name, rule in list(_RULES):
        if after is not None and order <= after:
            continue
        verdict = rule(query)
        if verdict is not None:
            verdict.rule = verdict.rule or name
            return verdict
    return default_verdict()


def default_verdict() -> TaskVerdict:
    """Nothing matched: the task is on no list and was not admitted."""
    return TaskVerdict(
        verdict=NOT_ADMITTED,
        reason="该事项不在本社区工作事项清单内，也未经准入批准。依据津民发〔2019〕35号三（二），未经批准的工作事项居委会有权予以拒绝。",
        rule="default",
        clause="津民发〔2019〕35号 三（二）",
        complaint_category="unapproved_task",
    )
