"""English that is whole on the public pages (issue 14.9).

The rule the walker enforces: with English chosen, no Chinese character appears on a public English page except
inside an element marked ``lang="zh-CN"`` (proper names — organisations, item titles, departments, laws — that
stay Chinese; the attribute is also what screen readers need to pronounce them). Text typed by the user (form
field values, and text echoed in an element marked ``data-user-text``) is the user's own. Text that cannot hold
markup (the page title, a chart's title and description) may repeat a proper name marked on the page. Public
pages that are not translated say so (the Chinese-only notice).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Attributes a person reads or hears (data-label is shown on phones by the stacked tables' CSS).
SHOWN_ATTRS = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "data-label",
    "data-confirm",
    "label",
}


class _Walker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, inside a proper name)
        self.found: list[str] = []
        self.names: set[str] = set()
        self.plain: list[tuple[str, str]] = []

    def _exempt(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _where(self) -> str:
        return "/".join(t for t, _ in self.stack[-4:])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        exempt = (
            self._exempt() or (attrs.get("lang") or "").lower().startswith("zh") or "data-user-text" in attrs
        )
        if not exempt:
            for name, value in attrs.items():
                shown = name in SHOWN_ATTRS or (
                    name == "value"
                    and tag in ("input", "button")
                    and attrs.get("type") in ("submit", "button")
                )
                if shown and value and CJK.search(value):
                    self.found.append(f"<{tag} {name}={value!r}> in {self._where()}")
        if tag not in VOID:
            self.stack.append((tag, exempt))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        if not data.strip() or "script" in tags or "style" in tags or "textarea" in tags:
            return
        if self._exempt():
            self.names.add(data.strip())
        elif tags and tags[-1] in ("title", "desc"):
            # Plain text that cannot hold markup (the page title, a chart's title and description): it may
            # repeat a proper name marked elsewhere on the page.
            self.plain.append((data.strip(), self._where()))
        elif CJK.search(data):
            self.found.append(f"{data.strip()[:80]!r} in {self._where()}")


def chinese_outside_proper_names(html: str) -> list[str]:
    walker = _Walker()
    walker.feed(html)
    names = sorted((n for n in walker.names if CJK.search(n)), key=len, reverse=True)
    for text, where in walker.plain:
        rest = text
        for name in names:
            rest = rest.replace(name, "")
        if CJK.search(rest):
            walker.found.append(f"{text[:80]!r} in {where}")
    return walker.found


def test_the_walker_flags_unmarked_chinese_and_spares_marked_names():
    html = (
        '<html><head><title>List · 河西区</title></head><body><h1>List of <span lang="zh-CN">河西区</span></h1>'
        '<p>办理</p><input placeholder="搜索"><input name="q" value="低保"><td data-label="社区">x</td>'
        '<select><optgroup label="街道" lang="zh-CN"><option>友谊路街道</option></optgroup></select></body></html>'
    )
    found = chinese_outside_proper_names(html)
    assert len(found) == 3 and "办理" in found[0] and "搜索" in found[1] and "社区" in found[2]
    assert "'List · 河西区' in html/head/title" in chinese_outside_proper_names(
        html.replace("河西区</span>", "X</span>")
    )


def _public_pages() -> list[str]:
    """Every public page a visitor reaches in English, with real codes from the demo data."""
    from certificates.models import Certificate
    from portal.models import OrgUnit
    from taskcheck.models import Refusal

    community = OrgUnit.objects.filter(level="community").order_by("code").first()
    district = community.parent.parent
    pages = [
        "/",
        "/accounts/login/",
        "/verify/",
        "/lists/",
        "/lists/?q=" + community.name[:2],
        "/lists/?q=没有这个社区",
        "/lists/negative/",
        f"/lists/district/{district.code}/",
        f"/lists/district/{district.code}/?q=低保",
        f"/lists/district/{district.code}/registers/",
        f"/lists/community/{community.code}/",
        f"/lists/community/{community.code}/?q=人口普查",
        f"/lists/community/{community.code}/?q=没有这一项",
        "/check/",
        "/check/policy/",
        "/evaluations/results/",
        f"/evaluations/results/?district={district.code}",
        "/evaluations/results/?year=abc",
        "/certificates/",
        "/certificates/barred/",
        "/certificates/barred/?q=无犯罪记录证明",
        "/certificates/barred/?q=没有这种证明",
        "/certificates/verify/",
        "/certificates/verify/NO-SUCH-CODE/",
    ]
    certificate = Certificate.objects.order_by("pk").first()
    if certificate is not None:
        pages.append(f"/certificates/verify/{certificate.verify_code}/")
    refusal = Refusal.objects.order_by("pk").first() or _a_refusal()
    pages.append(f"/check/verify/{refusal.verify_code}/")
    return pages


def _a_refusal():
    from portal.models import User
    from taskcheck import selectors, services

    staff = User.objects.get(username="community_staff")
    community = selectors.default_community_for(staff)
    data = services.check_input(
        community=community.code, title="社区负责辖区违法建设拆除", department="区城管委"
    )
    return services.refusal_record(actor=staff, data=data)


def _task_checks(community) -> list[str]:
    """The task check with one task for each verdict, and with form errors."""
    from urllib.parse import urlencode

    tasks = [
        ("协助开展人口普查入户登记", ""),
        ("社区负责辖区违法建设拆除", "限期完成拆违任务"),
        ("在社区门口悬挂文明城市创建示范点牌子", ""),
        ("社区成立垃圾分类工作领导小组", "配备专职人员"),
        ("建立辖区宠物登记台账", "每月报送"),
        ("开展社区文化节评比", "评选优秀社区"),
        ("为居民开具无犯罪记录证明", ""),
        ("组织居民参加马拉松", ""),
    ]
    pages = [
        "/check/?" + urlencode({"community": community.code, "title": t, "description": d}) for t, d in tasks
    ]
    pages.append("/check/?" + urlencode({"community": "", "title": ""}))
    return pages


@pytest.mark.django_db
def test_every_public_page_is_whole_in_english(demo_full, client):
    from portal.models import OrgUnit

    client.cookies["django_language"] = "en"
    community = OrgUnit.objects.filter(level="community").order_by("code").first()
    problems = {}
    for path in _public_pages() + _task_checks(community):
        r = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert r.status_code in (200, 400, 404), (path, r.status_code)
        html = r.content.decode()
        assert '<html lang="en">' in html, path
        assert 'data-testid="chinese-only"' not in html, path
        found = chinese_outside_proper_names(html)
        if found:
            problems[path] = found[:8]
    assert not problems, "\n".join(f"{p}:\n  " + "\n  ".join(f) for p, f in problems.items())


@pytest.mark.django_db
def test_accept_language_alone_gives_the_english_pages(demo_full, client):
    for path in ("/lists/", "/lists/negative/", "/check/", "/certificates/", "/evaluations/results/"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
        assert '<html lang="en">' in html and not chinese_outside_proper_names(html), path


@pytest.mark.django_db
def test_the_verdicts_read_in_english(demo_full, client):
    from portal.models import OrgUnit

    client.cookies["django_language"] = "en"
    community = OrgUnit.objects.filter(level="community").order_by("code").first()
    seen = set()
    for path in _task_checks(community)[:-1]:
        html = client.get(path).content.decode()
        verdict = re.search(r'data-verdict="(\w+)"', html).group(1)
        seen.add(verdict)
        reason = re.search(r'data-testid="reason"[^>]*>(.*?)</p>', html, re.S).group(1)
        assert re.search(r"[A-Za-z]{4,}", reason) and "Jin Min Fa [2019] No. 35" in html, path
    assert seen == {"on_list", "prohibited", "not_admitted"} | ({"admitted"} & seen)
    assert "Enter the task." in client.get(_task_checks(community)[-1]).content.decode()
    assert "Choose a community." in client.get("/check/?community=&title=x").content.decode()


@pytest.mark.django_db
def test_chinese_pages_are_unchanged_by_default(demo_full, client):
    from portal.models import OrgUnit

    community = OrgUnit.objects.filter(level="community").order_by("code").first()
    html = client.get(f"/lists/community/{community.code}/").content.decode()
    assert '<html lang="zh-CN">' in html and "居委会工作事项清单" in html and "下载PDF" in html
    check = client.get(_task_checks(community)[1]).content.decode()
    assert "禁止下派事项" in check and "不得将居委会作为行政执法" in check


@pytest.mark.django_db
def test_public_pages_not_yet_in_english_say_so(demo_full, client):
    client.cookies["django_language"] = "en"
    for path in ("/supervision/", "/evaluations/whitelist/", "/accounts/register/", "/reports/public/"):
        html = client.get(path).content.decode()
        assert 'data-testid="chinese-only"' in html, path


@pytest.mark.django_db
def test_documents_stay_chinese_when_the_page_was_english(demo_full):
    from django.utils import translation

    from evaluations.models import Assessment
    from evaluations.pdf import sheet_pdf
    from portal.pdf import pdf_text

    unrated = Assessment.objects.filter(stars=0).first()
    with translation.override("en"):
        text = pdf_text(sheet_pdf(assessment_id=unrated.pk))
    assert "无星" in text and "no star" not in text
