"""Every demo role logs in and sees its own dashboard; a resident registers."""

import re

import pytest

from portal import sms

ROLES = {
    "city_admin": "市民政局管理员",
    "city_approver": "市级审批人",
    "city_stats": "部门工作人员",
    "hexi_official": "区民政局工作人员",
    "hexi_approver": "区级审批人",
    "hexi_health": "部门工作人员",
    "nankai_official": "区民政局工作人员",
    "street_staff": "街道工作人员",
    "community_staff": "社区工作人员",
    "community_staff2": "社区工作人员",
    "resident": "居民",
    "resident2": "居民",
}


@pytest.mark.parametrize("username", list(ROLES))
def test_demo_role_sees_its_dashboard(page, login, username, shot):
    login(page, username)
    assert page.url.endswith("/dashboard/")
    roles = page.get_by_test_id("roles").inner_text()
    assert ROLES[username] in roles
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()
    assert "登录" in page.content()
    if username in ("hexi_official", "community_staff", "resident"):
        login(page, username)
        shot(page, f"dashboard-{username}")


def test_wrong_password_is_refused_in_chinese(page, login):
    login(page, "community_staff", "wrong-password-123")
    assert "/accounts/login/" in page.url
    assert "用户名或密码错误" in page.content()


def test_resident_registers_on_a_phone(phone_page, shot):
    pg = phone_page
    sms.outbox.clear()
    pg.goto("/accounts/register/")
    pg.fill("input[name=mobile]", "13812345678")
    pg.fill("input[name=real_name]", "陈晓东")
    pg.select_option("select[name=community]", "120103001002")
    pg.fill("input[name=password]", "xiaodong-2026!")
    pg.fill("input[name=password2]", "xiaodong-2026!")
    pg.check("input[name=agree]")
    shot(pg, "register-phone")
    pg.click("button[type=submit]")
    pg.wait_for_load_state()
    # The mobile number is confirmed with the code sent by SMS (the test backend keeps the messages).
    assert pg.url.endswith("/accounts/verify-mobile/")
    assert "138****5678" in pg.content()
    texts = [m.text for m in sms.outbox if m.mobile == "13812345678"]
    assert len(texts) == 1
    code = re.search(r"验证码是 (\d{6})", texts[0]).group(1)
    pg.fill("input[name=code]", "000000" if code != "000000" else "111111")
    pg.click("[data-testid=verify-mobile] button.btn-red")
    pg.wait_for_load_state()
    assert "验证码不正确，还可尝试 4 次" in pg.content()
    pg.fill("input[name=code]", code)
    shot(pg, "register-verify-mobile-phone")
    pg.click("[data-testid=verify-mobile] button.btn-red")
    pg.wait_for_load_state()
    assert pg.url.endswith("/dashboard/")
    assert "手机号已验证" in pg.content()
    assert "居民" in pg.get_by_test_id("roles").inner_text()
    assert "浦口道社区" in pg.get_by_test_id("roles").inner_text()
