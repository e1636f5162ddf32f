"""Chinese first; English through the language switch."""


def test_chinese_by_default_even_for_an_english_browser(demo, client):
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    assert '<html lang="zh-CN">' in html and "天津市社区减负服务平台" in html


def test_english_is_switchable(demo, client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Tianjin Community Burden Reduction Portal" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "天津市社区减负服务平台" in client.get("/").content.decode()
