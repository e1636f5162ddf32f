"""Chinese first; English through the language switch."""


def test_chinese_by_default_and_for_a_browser_that_prefers_chinese(demo, client):
    for header in ("", "zh-CN,zh;q=0.9,en;q=0.8", "de-DE,en;q=0.5"):
        html = client.get("/", HTTP_ACCEPT_LANGUAGE=header).content.decode()
        assert '<html lang="zh-CN">' in html and "天津市社区减负服务平台" in html, header


def test_a_browser_that_prefers_english_gets_english(demo, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in html and "Tianjin Community Burden Reduction Portal" in html


def test_english_is_switchable(demo, client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert r.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Tianjin Community Burden Reduction Portal" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "天津市社区减负服务平台" in client.get("/").content.decode()


def test_public_pages_in_english_and_staff_pages_say_they_are_chinese_only(demo, client):
    client.cookies["django_language"] = "en"
    home = client.get("/").content.decode()
    assert "Check a task: is it the community's job?" in home and "Key points of the policy" in home
    assert "政策要点" not in home and "查一查" not in home
    login = client.get("/accounts/login/").content.decode()
    assert "User name or mobile number" in login and "After 5 wrong passwords" in login
    verify = client.get("/verify/").content.decode()
    assert "Verify a document" in verify and "文件核验" not in verify
    missing = client.get("/no-such-page/").content.decode()
    assert "Page not found" in missing and "Go to the home page" in missing
    assert 'data-testid="chinese-only"' not in home
    from portal.models import User

    client.force_login(
        User.objects.get(username="hexi_official"), backend="django.contrib.auth.backends.ModelBackend"
    )
    staff = client.get("/inbox/").content.decode()
    assert 'data-testid="chinese-only"' in staff


def test_the_switch_on_staff_pages_says_english_covers_the_public_pages(demo, client):
    from portal.models import User

    client.force_login(
        User.objects.get(username="hexi_official"), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert "English (some pages)" in client.get("/inbox/").content.decode()
    assert "English (some pages)" not in client.get("/").content.decode()
