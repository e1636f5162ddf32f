"""Public disclosure pages: lists grouped by category with legal bases, search, print layout, QR code, registers."""

import re

import pytest
import segno
from django.conf import settings

from checklists.pdf import page_path

pytestmark = [pytest.mark.policy("四-1")]


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_index_links_districts_and_finds_communities(lists, client):
    html = _html(client.get("/lists/"))
    assert 'href="/lists/district/120103/"' in html and "河西区" in html
    html = _html(client.get("/lists/", {"q": "新华南路"}))
    assert 'href="/lists/community/120103001001/"' in html
    assert "没有找到" in _html(client.get("/lists/", {"q": "不存在的社区"}))


def test_community_page_shows_both_lists_with_legal_bases(lists, client):
    html = _html(client.get("/lists/community/120103001001/"))
    assert "居委会群众自治工作职责清单" in html and "居委会依法协助政府工作事项清单" in html
    for cat in ["接受领导、指导和监督", "联系居民", "统计和普查", "征兵工作", "法院工作"]:
        assert cat in html
    assert "协助开展人口普查" in html and "《全国人口普查条例》第三条第四款（行政法规）" in html
    assert "河西区增补" in html  # district additions are marked
    assert "自治职责 16 项" in html and "依法协助 37 项" in html
    assert (
        'href="/lists/community/120103001001/pdf/"' in html
        and 'href="/lists/community/120103001001/excel/"' in html
    )


def test_district_page_lists_streets_and_communities(lists, client):
    html = _html(client.get("/lists/district/120103/"))
    assert "大营门街道" in html and 'href="/lists/community/120103001002/"' in html
    assert 'href="/lists/district/120103/registers/"' in html
    html = _html(client.get("/lists/district/120104/"))
    assert "河西区增补" not in html and "长虹园社区" in html


def test_search_filters_items(lists, client):
    html = _html(client.get("/lists/community/120103001001/", {"q": "居住证"}))
    assert "协助做好居住证的申领受理、发放工作" in html and "协助开展人口普查" not in html
    assert "找到 1 项" in html
    assert "没有找到" in _html(client.get("/lists/community/120103001001/", {"q": "招商引资指标"}))


def test_unknown_or_malformed_codes_are_404(lists, client):
    for url in [
        "/lists/community/120103999999/",
        "/lists/community/abc/",
        "/lists/community/120103/",
        "/lists/district/120103001001/",
        "/lists/district/999999/pdf/",
        "/lists/history/120103001001/",
        "/lists/history/120000/99/",
    ]:
        assert client.get(url).status_code == 404, url


def test_pages_respect_the_strict_csp_and_print_layout(lists, client):
    html = _html(client.get("/lists/community/120103001001/"))
    assert "style=" not in html and "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "checklists/checklists.css" in html and "data-print" in html
    css = (settings.BASE_DIR / "static" / "checklists" / "checklists.css").read_text()
    assert "@media print" in css


def test_qr_code_leads_back_to_the_page(lists, client, settings):
    settings.JIANFU_PUBLIC_BASE_URL = "https://jianfu.example.gov.cn"
    url = "https://jianfu.example.gov.cn/lists/community/120103001001/"
    assert (
        page_path(type("C", (), {"level": "community", "code": "120103001001"})())
        == "/lists/community/120103001001/"
    )
    expected = segno.make(url, error="m")
    for path, scale in [("/lists/community/120103001001/", 3), ("/lists/community/120103001001/qr/", 8)]:
        html = _html(client.get(path))
        assert expected.svg_inline(scale=scale, border=2) in html, path
    sheet = _html(client.get("/lists/community/120103001001/qr/"))
    assert url in sheet and "新华南路社区" in sheet
    # The QR of another page would differ: the check above really pins the URL.
    assert segno.make(url + "x", error="m").svg_inline(scale=3, border=2) not in _html(
        client.get("/lists/community/120103001001/")
    )


def test_negative_list_page(client, db):
    html = _html(client.get("/lists/negative/"))
    for title in ["行政执法", "拆迁拆违", "环境整治", "城市管理", "招商引资", "部门和街道职责范围内的事项"]:
        assert title in html
    assert "津民发〔2019〕35号 三（一）" in html


def test_registers_page(lists, client):
    html = _html(client.get("/lists/district/120103/registers/"))
    assert "台账目录清单" in html and "留守未成年人、困境未成年人信息台账" in html
    assert "人民调解委员会" in html and "警务室标识" in html
    assert "不合规：多挂1块" in html and "食品安全示范社区" in html


def test_history_and_version_pages(lists, client):
    html = _html(client.get("/lists/history/120000/"))
    assert "第1版" in html and "现行" in html
    html = _html(client.get("/lists/history/120000/1/"))
    assert "新增" in html and "协助开展人口普查" in html


def test_check_link_of_the_home_page_reaches_the_task_check(client, db):
    r = client.get("/lists/check/")
    assert r.status_code == 302 and r["Location"] == "/check/"


def test_nav_entries(lists, page_client):
    html = _html(page_client().get("/lists/"))
    assert ">工作事项清单<" in html and ">负面清单<" in html and "清单维护" not in html
    html = _html(page_client("hexi_official").get("/lists/"))
    assert ">清单维护<" in html and ">挂牌登记<" in html
