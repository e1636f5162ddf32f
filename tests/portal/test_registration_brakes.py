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


# --- What a resident account needs to be useful: a community and a confirmed mobile number ------------------

import re  # noqa: E402
from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402

from portal import sms  # noqa: E402
from portal.models import AuditEntry, MobileCode  # noqa: E402


@pytest.fixture(autouse=True)
def _sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _code_sent_to(mobile: str) -> str:
    texts = [m.text for m in sms.outbox if m.mobile == mobile]
    assert texts, f"no SMS to {mobile}"
    return re.search(r"验证码是 (\d{6})", texts[-1]).group(1)


def test_registration_without_a_community_is_refused_in_chinese(demo):
    client = Client(REMOTE_ADDR="10.41.0.1")
    data = {
        "mobile": "13800009999",
        "real_name": "王小红",
        "community": "",
        "password": "a-long-resident-password-2026",
        "password2": "a-long-resident-password-2026",
        "agree": "on",
    }
    res = client.post("/accounts/register/", data)
    assert res.status_code == 200 and "请选择" in res.content.decode()
    assert not User.objects.filter(username="13800009999").exists()


def test_a_new_resident_confirms_the_mobile_by_sms_code_before_applying(demo):
    client = Client(REMOTE_ADDR="10.41.0.2")
    res = _register(client, 21)
    assert res.status_code == 302 and res["Location"] == "/accounts/verify-mobile/"
    user = User.objects.get(username="13800000021")
    assert user.mobile_verified_at is None
    code = _code_sent_to("13800000021")
    stored = MobileCode.objects.get(user=user)
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash is kept
    assert AuditEntry.objects.filter(action="mobile_code_send", actor=user).exists()
    page = client.get("/accounts/verify-mobile/").content.decode()
    assert "138****0021" in page and code not in page

    # Not verified yet: the application form sends the resident to the verification first ...
    res = client.get("/certificates/apply/?type=residence")
    assert res.status_code == 302 and res["Location"].startswith("/accounts/verify-mobile/?next=")
    # ... and the service refuses an application outright.
    from certificates.schemas import ApplicationInput
    from certificates.services import application_create
    from portal.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError, match="请先验证手机号"):
        application_create(
            user=user,
            data=ApplicationInput(
                type="residence",
                community="120103001001",
                applicant_name="王小红",
                id_number="",
                reason="",
                purpose="",
                pledge=True,
            ),
            files=[],
        )

    res = client.post(
        "/accounts/verify-mobile/", {"code": code, "next": "/certificates/apply/?type=residence"}
    )
    assert res.status_code == 302 and res["Location"] == "/certificates/apply/?type=residence"
    user.refresh_from_db()
    assert user.mobile_verified_at is not None
    assert MobileCode.objects.get(user=user).used_at is not None
    assert AuditEntry.objects.filter(action="mobile_verified", actor=user).exists()
    assert client.get("/certificates/apply/?type=residence").status_code == 200


def test_wrong_expired_and_reused_codes_are_refused_in_chinese(demo, settings):
    client = Client(REMOTE_ADDR="10.41.0.3")
    _register(client, 22)
    user = User.objects.get(username="13800000022")
    code = _code_sent_to("13800000022")
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    res = client.post("/accounts/verify-mobile/", {"code": "12ab"})
    assert (
        "请输入短信中的 6 位数字验证码" in res.content.decode() or "请输入 6 位数字" in res.content.decode()
    )
    for left in range(settings.JIANFU_MOBILE_CODE_MAX_ATTEMPTS - 1, 0, -1):
        res = client.post("/accounts/verify-mobile/", {"code": wrong})
        assert res.status_code == 200 and f"验证码不正确，还可尝试 {left} 次" in res.content.decode()
    res = client.post("/accounts/verify-mobile/", {"code": wrong})
    assert "验证码错误次数过多，请重新获取" in res.content.decode()
    res = client.post("/accounts/verify-mobile/", {"code": code})  # even the right code: too many tries
    assert "验证码错误次数过多" in res.content.decode()
    user.refresh_from_db()
    assert user.mobile_verified_at is None
    assert AuditEntry.objects.filter(action="mobile_verify_failed", actor=user).count() == 5

    # A new code (after the resend interval) works; an expired one does not.
    MobileCode.objects.filter(user=user).update(
        created_at=MobileCode.objects.get(user=user).created_at - timedelta(minutes=2)
    )
    res = client.post("/accounts/verify-mobile/", {"action": "resend"})
    assert res.status_code == 302
    fresh = _code_sent_to("13800000022")
    latest = MobileCode.objects.filter(user=user).order_by("-created_at").first()
    MobileCode.objects.filter(pk=latest.pk).update(expires_at=latest.created_at)
    res = client.post("/accounts/verify-mobile/", {"code": fresh})
    assert "验证码已失效，请重新获取" in res.content.decode()
    user.refresh_from_db()
    assert user.mobile_verified_at is None


def test_code_sending_is_throttled(demo, settings):
    client = Client(REMOTE_ADDR="10.41.0.4")
    _register(client, 23)
    user = User.objects.get(username="13800000023")
    assert len(sms.outbox) == 1
    res = client.post("/accounts/verify-mobile/", {"action": "resend"})
    assert res.status_code == 200 and re.search(r"验证码已发送，请 \d+ 秒后再重新获取", res.content.decode())
    assert len(sms.outbox) == 1  # nothing sent
    # Past the interval, but the hourly limit per account is reached.
    for _ in range(settings.JIANFU_MOBILE_CODE_PER_HOUR - 1):
        MobileCode.objects.filter(user=user).update(
            created_at=MobileCode.objects.filter(user=user).first().created_at - timedelta(seconds=61)
        )
        assert client.post("/accounts/verify-mobile/", {"action": "resend"}).status_code == 302
    assert len(sms.outbox) == settings.JIANFU_MOBILE_CODE_PER_HOUR
    MobileCode.objects.filter(user=user).update(
        created_at=MobileCode.objects.filter(user=user).first().created_at - timedelta(seconds=61)
    )
    res = client.post("/accounts/verify-mobile/", {"action": "resend"})
    assert "获取验证码次数过多，请一小时后再试" in res.content.decode()
    assert len(sms.outbox) == settings.JIANFU_MOBILE_CODE_PER_HOUR
