"""The client's address behind the proxy, in one place for throttles, lockout and audit log (issue 13.3)."""

import pytest
from django.test import Client, RequestFactory

from portal.context import client_ip
from portal.models import AuditEntry

PASSWORD = "jianfu-demo-2026"
PROXY = "127.0.0.1"  # the documented nginx on the same host


@pytest.fixture
def proxies(settings):
    settings.JIANFU_TRUSTED_PROXIES = ["127.0.0.1", "10.9.0.0/16"]
    return settings


def _req(remote, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_forwarded_address_is_believed_only_from_a_trusted_proxy(proxies):
    assert client_ip(_req(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")) == "203.0.113.9"
    assert client_ip(_req("10.9.3.4", HTTP_X_REAL_IP="203.0.113.10")) == "203.0.113.10"
    # Anyone else writing the header is ignored.
    assert client_ip(_req("198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "198.51.100.7"
    assert client_ip(_req("198.51.100.7", HTTP_X_REAL_IP="203.0.113.9")) == "198.51.100.7"
    # A client-written entry left of the proxy's is not believed; trusted hops on the right are skipped.
    chain = "1.2.3.4, 203.0.113.9, 10.9.0.5"
    assert client_ip(_req(PROXY, HTTP_X_FORWARDED_FOR=chain)) == "203.0.113.9"
    # Garbage never becomes an address.
    assert client_ip(_req(PROXY, HTTP_X_FORWARDED_FOR="<script>")) == PROXY


def test_throttles_count_each_citizen_behind_the_proxy_separately(proxies, api, settings):
    settings.JIANFU_VERIFY_THROTTLE_PER_MINUTE = 3
    anon = api()
    path = "/api/v1/certificates/verify/NO-SUCH-CODE"
    codes = [
        anon.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(4)
    ]
    assert codes[-1] == 429
    # Another citizen through the same proxy is not throttled by the first one's checks.
    other = anon.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert other.status_code == 404


def test_the_lockout_and_the_audit_log_see_the_real_client(proxies, users):
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(6):
        attacker.post("/accounts/login/", {"username": "resident", "password": "wrong-password"})
    # The owner, through the same proxy from home, still logs in.
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.77")
    r = owner.post("/accounts/login/", {"username": "resident", "password": PASSWORD})
    assert r.status_code == 302
    ips = set(AuditEntry.objects.filter(action__startswith="login").values_list("ip", flat=True))
    assert {"203.0.113.66", "203.0.113.77"} <= ips
    assert PROXY not in ips
