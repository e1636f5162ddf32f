"""Fixtures of the task-check tests: the reference lists and realistic admissions behind the selectors."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from checklists.selectors import ChecklistItem
from tests.taskcheck import reference_lists as ref

HOME = "120103001001"  # 新华南路社区 (community_staff)
NEIGHBOUR = "120103001002"  # 浦口道社区 (community_staff2)
OTHER_STREET = "120103002001"  # 台北路社区


def _adm(n, title, department, content, scope, *, status="valid", until=date(2026, 12, 31), keywords=()):
    return {
        "admission_no": f"津河西准〔2026〕{n}号",
        "status": status,
        "title": title,
        "department": department,
        "content": content,
        "valid_from": date(2026, 1, 1),
        "valid_until": until,
        "scope": list(scope),
        "keywords": tuple(keywords),
    }


ADMISSIONS = [
    _adm(
        3,
        "老旧小区加装电梯居民意愿征询",
        "河西区住房和建设委员会",
        "协助入户征询老旧小区住户加装电梯意愿，汇总签字意见",
        [HOME, NEIGHBOUR],
        keywords=("加装电梯",),
    ),
    _adm(
        5,
        "城乡居民医疗保险参保动员",
        "河西区医疗保障局",
        "协助宣传城乡居民医保政策，动员未参保居民参保缴费",
        [HOME, NEIGHBOUR, OTHER_STREET],
        keywords=("医保参保", "城乡居民医保"),
    ),
    _adm(
        7,
        "社区老年助餐服务点运营协助",
        "河西区民政局",
        "协助老年助餐点做好就餐老人登记和送餐服务需求收集",
        [HOME],
        keywords=("老年助餐", "助餐"),
    ),
    _adm(
        8,
        "居民电动自行车集中充电设施需求摸底",
        "河西区消防救援支队",
        "协助摸底小区电动自行车数量及集中充电设施建设需求",
        [HOME, NEIGHBOUR],
        keywords=("电动自行车", "充电桩", "集中充电"),
    ),
    _adm(
        11,
        "“15分钟便民生活圈”居民需求调查",
        "河西区商务局",
        "协助发放问卷，调查居民对菜市场、便利店等便民网点的需求",
        [HOME],
        keywords=("便民生活圈", "便民网点", "菜市场"),
    ),
    _adm(
        12,
        "社区嵌入式托育服务需求摸底",
        "河西区卫生健康委员会",
        "协助摸底三岁以下婴幼儿家庭托育服务需求",
        [HOME],
        keywords=("托育", "婴幼儿照护"),
    ),
    _adm(
        14,
        "燃气用户安全用气入户告知",
        "河西区城市管理委员会",
        "配合燃气公司入户发放安全用气告知书，提醒居民更换老化胶管",
        [HOME, NEIGHBOUR],
        keywords=("安全用气", "燃气胶管", "燃气安全"),
    ),
    _adm(
        15,
        "城市更新项目居民意见征询",
        "河西区住房和建设委员会",
        "协助组织居民参加城市更新方案意见征询会",
        [HOME],
        keywords=("城市更新",),
    ),
    _adm(
        2,
        "冬季供热温度入户测温协助",
        "河西区城市管理委员会",
        "协助供热单位联系居民入户测温",
        [HOME],
        status="expired",
        until=date(2026, 3, 15),
        keywords=("测温", "供热"),
    ),
    _adm(
        9,
        "社区团购平台推广",
        "河西区商务局",
        "协助推广社区团购平台",
        [HOME],
        status="revoked",
        keywords=("团购",),
    ),
]
BY_NO = {a["admission_no"]: a for a in ADMISSIONS}


def admitted_item(a) -> ChecklistItem:
    return ChecklistItem(
        id=f"adm-{a['admission_no']}",
        list_type="admitted",
        category="经准入的工作事项",
        title=a["title"],
        content=a["content"],
        department=a["department"],
        admission_no=a["admission_no"],
        valid_until=a["valid_until"],
        keywords=a["keywords"],
    )


def community(code: str = HOME):
    names = {HOME: "新华南路社区", NEIGHBOUR: "浦口道社区", OTHER_STREET: "台北路社区"}
    street = code[:9] + "000"
    return SimpleNamespace(
        code=code,
        name=names.get(code, "社区"),
        level="community",
        pk=int(code[-4:]),
        path=f"120000/120103/{street}/{code}/",
    )


def fake_admission_lookup(*, admission_no):
    a = BY_NO.get(admission_no)
    if a is None:
        return None
    return {
        k: a[k]
        for k in ("admission_no", "status", "title", "department", "valid_from", "valid_until", "scope")
    }


def fake_admission_valid(*, admission_no, community):
    a = BY_NO.get(admission_no)
    if a is None or a["status"] != "valid" or community is None or community.code not in a["scope"]:
        return None
    return fake_admission_lookup(admission_no=admission_no)


def fake_admission_item(*, admission_no):
    a = BY_NO.get(admission_no)
    return None if a is None else admitted_item(a)


def fake_admitted_tasks(*, community):
    return [admitted_item(a) for a in ADMISSIONS if a["status"] == "valid" and community.code in a["scope"]]


def shipped_barred_kinds():
    """The barred-certificate catalogue as the demo loads it into the table (certificates.demo.BARRED)."""
    from certificates.choices import BarredSource
    from certificates.demo import BARRED
    from certificates.models import BarredCertificate
    from taskcheck.sources import BarredKind

    out = []
    for name, keywords, source, agency, _guidance in BARRED:
        terms = BarredCertificate(name=name, keywords=keywords).search_terms
        out.append(
            BarredKind(name, agency, BarredSource(source).label, tuple(t for t in terms if len(t) >= 2))
        )
    return tuple(out)


def install_reference_lists(monkeypatch):
    """Put the reference lists and the realistic admissions behind the selectors the engine reads."""
    from admission import selectors as adm
    from checklists import selectors as cl
    from taskcheck import sources

    monkeypatch.setattr(
        cl,
        "community_checklist",
        lambda *, community: list(ref.BASE_ITEMS) + fake_admitted_tasks(community=community),
    )
    monkeypatch.setattr(cl, "negative_list", lambda: list(ref.NEGATIVE))
    monkeypatch.setattr(cl, "district_checklist", lambda *, district: list(ref.BASE_ITEMS))
    monkeypatch.setattr(
        cl,
        "current_versions",
        lambda *, org_codes, on=None: {"120000": SimpleNamespace(pk="reference", number=0)},
    )
    monkeypatch.setattr(cl, "ledger_catalogue", lambda *, district=None: list(ref.LEDGERS), raising=False)
    monkeypatch.setattr(
        cl, "organisation_register", lambda *, district=None: list(ref.ORGANISATIONS), raising=False
    )
    monkeypatch.setattr(cl, "plaque_standard", lambda: list(ref.PLAQUES), raising=False)
    monkeypatch.setattr(adm, "admission_lookup", fake_admission_lookup)
    monkeypatch.setattr(adm, "admission_valid_for_community", fake_admission_valid)
    monkeypatch.setattr(adm, "admitted_tasks_for_community", fake_admitted_tasks)
    monkeypatch.setattr(adm, "admission_item", fake_admission_item)
    kinds = shipped_barred_kinds()
    monkeypatch.setattr(sources, "barred_certificates", lambda: kinds)
    return ref


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts with empty in-process caches (lists are cached per version stamp)."""
    from taskcheck import matching, sources

    sources.clear_cache()
    matching.clear_caches()
    yield
    sources.clear_cache()


@pytest.fixture
def reference_lists(monkeypatch):
    return install_reference_lists(monkeypatch)
