"""The city admin keeps the catalogue and the barred list: one schema checks what the page (or a client) sends, in
Chinese; bad input changes nothing; every change is audited with before and after."""

import pytest

from certificates import services
from certificates.models import BarredCertificate, CertificateType
from certificates.schemas import BarredSchema, CertificateTypeSchema
from portal.errors import DomainError, NotFoundError, PermissionDeniedError
from portal.models import AuditEntry, User

BARRED = {
    "name": "亲属关系证明（示例）",
    "keywords": "亲属证明、家属关系证明",
    "source": "tj2019_75",
    "agency": "区公安分局户政窗口",
    "guidance": "携带户口簿到户籍所在地派出所办理。",
    "active": "on",
    "order": "60",
}


def test_a_barred_entry_is_added_on_the_page_and_audited(catalogue, page_client):
    r = page_client("city_admin").post("/certificates/manage/barred/new/", BARRED)
    assert r.status_code == 302
    entry = BarredCertificate.objects.get(name="亲属关系证明（示例）")
    assert (entry.agency, entry.source, entry.active, entry.order) == (
        "区公安分局户政窗口",
        "tj2019_75",
        True,
        60,
    )
    assert "家属关系证明" in entry.search_terms
    audit = AuditEntry.objects.get(action="barred_certificate.create", object_id=str(entry.pk))
    assert audit.after["agency"] == "区公安分局户政窗口"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agency", " ", "请填写责任部门。"),
        ("guidance", "", "请填写办理指引。"),
        ("name", "", "请填写证明名称。"),
        ("source", "elsewhere", "来源的取值不在允许范围内。"),
        ("order", "前面", "排序应为整数。"),
        ("keywords", "、".join(["同义词"] * 80), "检索词不能超过 300 个字。"),
    ],
)
def test_a_barred_entry_with_bad_input_is_refused_in_chinese_and_not_saved(
    catalogue, page_client, field, value, message
):
    before = BarredCertificate.objects.count()
    r = page_client("city_admin").post("/certificates/manage/barred/new/", {**BARRED, field: value})
    assert r.status_code == 200 and message in r.content.decode()
    assert BarredCertificate.objects.count() == before


def test_editing_a_barred_entry_shows_it_and_records_before_and_after(catalogue, page_client):
    entry = BarredCertificate.objects.order_by("order").first()
    client = page_client("city_admin")
    page = client.get(f"/certificates/manage/barred/{entry.pk}/").content.decode()
    assert entry.name in page and entry.agency in page
    r = client.post(
        f"/certificates/manage/barred/{entry.pk}/",
        {**BARRED, "name": entry.name, "agency": "市公安局人口管理总队", "active": ""},
    )
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.agency == "市公安局人口管理总队" and entry.active is False
    audit = AuditEntry.objects.get(action="barred_certificate.update", object_id=str(entry.pk))
    assert audit.after["agency"] == "市公安局人口管理总队" and audit.before["agency"] != audit.after["agency"]


def test_a_duplicate_name_is_refused(catalogue, page_client):
    taken = BarredCertificate.objects.first().name
    r = page_client("city_admin").post("/certificates/manage/barred/new/", {**BARRED, "name": taken})
    assert r.status_code == 200 and "该证明名称已在清单中。" in r.content.decode()
    assert BarredCertificate.objects.filter(name=taken).count() == 1


def test_a_client_sending_json_gets_the_same_check(catalogue):
    with pytest.raises(DomainError) as exc:
        BarredSchema.parse({**BARRED, "agency": ["区公安分局"], "active": "yes", "order": True})
    assert exc.value.status == 400
    assert exc.value.fields == {"agency": "责任部门应为文本。", "order": "排序应为整数。"}


def test_only_the_city_admin_keeps_the_lists_and_a_missing_entry_is_not_found(catalogue):
    data = BarredSchema.parse(BARRED)
    with pytest.raises(PermissionDeniedError):
        services.barred_save(actor=User.objects.get(username="hexi_official"), data=data)
    with pytest.raises(NotFoundError):
        services.barred_save(actor=User.objects.get(username="city_admin"), data=data, barred_id=999999)
    assert not BarredCertificate.objects.filter(name=BARRED["name"]).exists()


TYPE = {
    "code": "kinship-demo",
    "name": "亲属关系说明（示例）",
    "legal_basis": "某法第十条（示例）",
    "eligible_applicants": "本社区居民",
    "validity_days": "30",
    "wording_template": "兹证明{holder_name}。",
    "required_materials": "居民身份证\r\n 户口簿 \r\n\r\n居民身份证",
    "active": "on",
    "order": "70",
}


def test_a_type_keeps_its_materials_one_a_line(catalogue, page_client):
    client = page_client("city_admin")
    assert client.post("/certificates/manage/types/new/", TYPE).status_code == 302
    made = CertificateType.objects.get(code="kinship-demo")
    assert made.required_materials == ["居民身份证", "户口簿"] and made.validity_days == 30
    page = client.get(f"/certificates/manage/types/{made.pk}/").content.decode()
    assert "居民身份证\n户口簿</textarea>" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("legal_basis", "", "必须写明法律、法规、规章或政策依据"),
        ("legal_basis", "见文件", "必须写明法律、法规、规章或政策依据"),
        ("code", "亲属", "代码只能由字母、数字、下划线和连字符组成。"),
        ("validity_days", "0", "有效期不能小于 1。"),
        ("wording_template", " ", "请填写证明文字模板。"),
    ],
)
def test_a_type_with_bad_input_is_refused_in_chinese_and_not_saved(
    catalogue, page_client, field, value, message
):
    r = page_client("city_admin").post("/certificates/manage/types/new/", {**TYPE, field: value})
    assert r.status_code == 200 and message in r.content.decode()
    assert not CertificateType.objects.filter(code="kinship-demo").exists()


def test_a_type_schema_reads_a_json_list_of_materials(catalogue):
    data = CertificateTypeSchema.parse({**TYPE, "required_materials": ["居民身份证", "结婚证"]})
    saved = services.certificate_type_save(actor=User.objects.get(username="city_admin"), data=data)
    assert saved.required_materials == ["居民身份证", "结婚证"] and saved.legal_basis == "某法第十条（示例）"


def test_the_public_pages_show_a_catalogue_change_at_once(catalogue, page_client, client):
    """The catalogue, the barred list and the application page keep the types and barred kinds in memory
    until one changes (portal.caching "certificates"): an edit shows on the next request."""
    assert "亲属关系证明（示例）" not in client.get("/certificates/").content.decode()  # kept in memory now
    admin = page_client("city_admin")
    assert admin.post("/certificates/manage/types/new/", TYPE).status_code == 302
    assert admin.post("/certificates/manage/barred/new/", BARRED).status_code == 302
    catalogue_page = client.get("/certificates/").content.decode()
    assert TYPE["name"] in catalogue_page and "亲属关系证明（示例）" in catalogue_page
    assert (
        client.get("/api/v1/certificate-types/barred?q=家属关系证明").json()["results"][0]["name"]
        == "亲属关系证明（示例）"
    )
    made = CertificateType.objects.get(code="kinship-demo")
    assert admin.post(f"/certificates/manage/types/{made.pk}/", {**TYPE, "active": ""}).status_code == 302
    assert TYPE["name"] not in client.get("/certificates/").content.decode()


def _edit_at_once(kind: str, pk: int, agencies_or_names: list[str]) -> list:
    """Two city admins save the same entry at the same moment (threads, one DB connection each)."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(agencies_or_names))
    results: list = [None] * len(agencies_or_names)

    def save(i: int, value: str) -> None:
        try:
            admin = User.objects.get(username="city_admin")
            barrier.wait(timeout=30)
            if kind == "barred":
                data = BarredSchema.parse({**BARRED, "name": "亲属关系证明（示例）", "agency": value})
                results[i] = services.barred_save(actor=admin, data=data, barred_id=pk)
            else:
                data = CertificateTypeSchema.parse({**TYPE, "name": value})
                results[i] = services.certificate_type_save(actor=admin, data=data, type_id=pk)
        except Exception as exc:  # surfaced by the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(i, v)) for i, v in enumerate(agencies_or_names)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.postgres
def test_two_admins_saving_one_barred_entry_at_once_leave_an_unbroken_history(transactional_db, catalogue):
    """The row is locked while it is changed: the second save waits for the first, so its audit "before" is
    what the first saved — the log never shows two changes from the same old value."""
    entry = services.barred_save(
        actor=User.objects.get(username="city_admin"), data=BarredSchema.parse(BARRED)
    )
    results = _edit_at_once("barred", entry.pk, ["市公安局人口管理总队", "区公安分局户政窗口（新址）"])
    assert all(isinstance(r, BarredCertificate) for r in results), results
    updates = list(
        AuditEntry.objects.filter(action="barred_certificate.update", object_id=str(entry.pk)).order_by("id")
    )
    assert [u.before["agency"] for u in updates] == ["区公安分局户政窗口", updates[0].after["agency"]]
    entry.refresh_from_db()
    assert entry.agency == updates[1].after["agency"]


@pytest.mark.postgres
def test_two_admins_saving_one_certificate_type_at_once_leave_an_unbroken_history(
    transactional_db, catalogue
):
    made = services.certificate_type_save(
        actor=User.objects.get(username="city_admin"), data=CertificateTypeSchema.parse(TYPE)
    )
    results = _edit_at_once("type", made.pk, ["亲属关系说明（甲）", "亲属关系说明（乙）"])
    assert all(isinstance(r, CertificateType) for r in results), results
    updates = list(
        AuditEntry.objects.filter(action="certificate_type.update", object_id=str(made.pk)).order_by("id")
    )
    assert [u.before["name"] for u in updates] == [TYPE["name"], updates[0].after["name"]]
    made.refresh_from_db()
    assert made.name == updates[1].after["name"]
