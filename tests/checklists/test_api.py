"""GET /api/v1/communities/{code}/checklist and GET /api/v1/negative-list."""


def test_community_checklist_contract(lists, api):
    r = api().get("/api/v1/communities/120103001001/checklist")
    assert r.status_code == 200
    body = r.json()
    assert body["community"] == "120103001001"
    item = body["items"][0]
    assert {
        "id",
        "list_type",
        "category",
        "title",
        "legal_basis",
        "department",
        "admission_no",
        "valid_until",
    } <= set(item)
    assert {i["list_type"] for i in body["items"]} >= {"autonomy", "assistance"}
    census = next(i for i in body["items"] if i["title"] == "协助开展人口普查")
    assert census["legal_basis"] == ["《全国人口普查条例》第三条第四款（行政法规）"]
    assert census["legal_bases"] == [
        {"law": "全国人口普查条例", "article": "第三条第四款", "level": "行政法规"}
    ]
    assert census["department"].startswith("区统计局") and census["admission_no"] is None
    assert "《" in r.content.decode()  # readable Chinese, not \u escapes


def test_unknown_community_is_a_chinese_404(lists, api):
    r = api().get("/api/v1/communities/120103999999/checklist")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "not_found" and "120103999999" in err["message"] and "社区" in err["message"]
    # A district is not a community.
    assert api().get("/api/v1/communities/120103/checklist").status_code == 404


def test_malformed_code_is_a_chinese_400(lists, api):
    for code in ["abc", "河西区", "12010300100x", "1" * 20]:
        r = api().get(f"/api/v1/communities/{code}/checklist")
        assert r.status_code == 400, code
        err = r.json()["error"]
        assert err["code"] == "invalid" and "代码" in err["message"] and "code" in err["fields"]


def test_negative_list(api, db):
    r = api().get("/api/v1/negative-list")
    assert r.status_code == 200
    body = r.json()
    titles = [i["title"] for i in body["items"]]
    assert titles[:5] == ["行政执法", "拆迁拆违", "环境整治", "城市管理", "招商引资"]
    assert all(i["reason"] and i["clause"] == "津民发〔2019〕35号 三（一）" for i in body["items"])
    assert "不得要求社区承担" in body["rule"]


def test_endpoints_are_public_even_with_a_token(lists, api):
    assert api("resident").get("/api/v1/communities/120103001001/checklist").status_code == 200
    assert api("nankai_official").get("/api/v1/negative-list").status_code == 200


def test_openapi_documents_the_endpoints(lists, api):
    paths = api().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/communities/{code}/checklist" in paths and "/api/v1/negative-list" in paths
