"""Token auth of the API: issue, use, expiry, refusal of anonymous calls, the error format."""

from datetime import timedelta

from django.utils import timezone

from portal.models import ApiToken


def test_every_demo_account_gets_a_token(api):
    for username in [
        "admin",
        "city_admin",
        "city_approver",
        "city_stats",
        "hexi_official",
        "hexi_approver",
        "hexi_health",
        "nankai_official",
        "street_staff",
        "community_staff",
        "community_staff2",
        "resident",
        "resident2",
    ]:
        r = api().post("/api/v1/auth/token", {"username": username, "password": "jianfu-demo-2026"})
        assert r.status_code == 200, username
        body = r.json()
        assert body["token"] and body["expires_at"] and body["user"]["username"] == username
        assert body["user"]["name"]
    body = (
        api().post("/api/v1/auth/token", {"username": "hexi_health", "password": "jianfu-demo-2026"}).json()
    )
    assert body["user"]["roles"] == [
        {
            "role": "department_staff",
            "org": "120103",
            "org_name": "河西区",
            "department": "河西区卫生健康委员会",
        }
    ]


def test_bearer_token_identifies_the_caller_and_expires(api):
    token = (
        api()
        .post("/api/v1/auth/token", {"username": "resident", "password": "jianfu-demo-2026"})
        .json()["token"]
    )
    client = api()
    client.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    assert client.get("/api/v1/me").json()["username"] == "resident"
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_anonymous_and_bad_tokens_are_refused_with_chinese_messages(api):
    r = api().get("/api/v1/me")
    assert r.status_code == 401 and "令牌" in r.json()["error"]["message"]
    client = api()
    client.client.defaults["HTTP_AUTHORIZATION"] = "Bearer not-a-real-token"
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_and_malformed_body(api):
    r = api().post("/api/v1/auth/token", {"username": "resident", "password": "nope"})
    assert r.status_code == 401
    r = api().post("/api/v1/auth/token", {"username": "resident"})
    assert r.status_code == 400 and r.json()["error"]["fields"]["password"] == "缺少必填字段。"
    r = api().client.post("/api/v1/auth/token", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["message"]


def test_openapi_schema_and_local_docs(api):
    schema = api().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/orgs" in schema["paths"]
    docs = api().get("/api/v1/docs").content.decode()
    assert "cdn" not in docs.lower() and "/static/" in docs
