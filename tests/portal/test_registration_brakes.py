"""Self-registration has brakes: a few resident accounts per address and hour (issue 13.13)."""

from django.test import Client

from portal.models import User


def _register(client, n: int):
    return client.post(
        "/accounts/register/",
        {
            "mobile": f"1380000{n:04d}",
            "real_name": "王小红",
            "community": "120103001001",
            "password": "a-long-resident-password-2026",
            "password2": "a-long-resident-password-2026",
            "agree": "on",
        },
    )


def test_registration_is_throttled_per_address_and_hour(demo, settings):
    settings.JIANFU_REGISTER_PER_ADDRESS_PER_HOUR = 3
    before = User.objects.count()
    for n in range(3):
        res = _register(Client(REMOTE_ADDR="10.40.0.1"), n)
        assert res.status_code == 302, res.content.decode()[-1500:]
    assert User.objects.count() == before + 3
    res = _register(Client(REMOTE_ADDR="10.40.0.1"), 3)
    assert res.status_code != 302 and "请求过于频繁" in res.content.decode()
    assert User.objects.count() == before + 3
    # Another address is not affected.
    assert _register(Client(REMOTE_ADDR="10.40.0.2"), 4).status_code == 302
