"""One person's wrong passwords lock only their own account from their address (issue 13.2)."""

from django.test import Client

PASSWORD = "jianfu-demo-2026"


def _login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_wrong_passwords_of_one_account_do_not_lock_the_others_behind_the_same_address(users):
    office = Client(REMOTE_ADDR="10.20.0.1")  # an office NAT: everyone shares this address
    for _ in range(5):
        _login(office, "community_staff", "wrong-password")
    assert _login(office, "community_staff", PASSWORD).status_code == 429
    # A colleague behind the same address logs in normally and is not told their account is locked.
    colleague = Client(REMOTE_ADDR="10.20.0.1")
    r = _login(colleague, "community_staff2", PASSWORD)
    assert r.status_code == 302 and r["Location"].endswith("/dashboard/")
    # The locked account is not locked from its owner's other address either.
    r = _login(Client(REMOTE_ADDR="10.20.0.2"), "community_staff", PASSWORD)
    assert r.status_code == 302


def test_the_api_token_lock_is_per_account_and_address(api):
    anon = api()
    for _ in range(5):
        anon.post("/api/v1/auth/token", {"username": "hexi_health", "password": "wrong"})
    r = anon.post("/api/v1/auth/token", {"username": "hexi_approver", "password": PASSWORD})
    assert r.status_code != 429


def test_an_address_failing_across_many_names_is_throttled_at_a_much_higher_count(users, settings):
    settings.JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    client = Client(REMOTE_ADDR="10.30.0.1")
    names = ["city_admin", "hexi_official", "hexi_health", "resident", "resident2", "street_staff"]
    for name in names:  # two failures each: no account reaches five
        _login(client, name, "wrong-password")
        _login(client, name, "wrong-password")
    assert settings.JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    r = _login(client, "community_staff2", PASSWORD)
    assert r.status_code == 429
    page = r.content.decode()
    assert "本网络地址" in page and "后可再试" in page
    # Another address is not affected.
    assert _login(Client(REMOTE_ADDR="10.30.0.2"), "community_staff2", PASSWORD).status_code == 302
