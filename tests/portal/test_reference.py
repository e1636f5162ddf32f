"""manage.py seed_reference_data: the shipped reference data, idempotent, admin edits kept, no demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _seed() -> str:
    out = StringIO()
    call_command("seed_reference_data", stdout=out)
    return out.getvalue()


def _snapshot() -> dict:
    from certificates.models import BarredCertificate, CertificateType
    from checklists.models import ListItem, ListVersion, OrganisationEntry
    from evaluations.models import AppraisalEntry
    from portal.models import AuditEntry

    return {
        "types": sorted(CertificateType.objects.values_list("code", "name", "validity_days")),
        "barred": sorted(BarredCertificate.objects.values_list("name", "active", "guidance")),
        "whitelist": sorted(AppraisalEntry.objects.values_list("name", "authority")),
        "versions": sorted(ListVersion.objects.values_list("org__code", "number", "status")),
        "items": ListItem.objects.count(),
        "organisations": OrganisationEntry.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.django_db
def test_refuses_before_the_org_tree_is_imported():
    with pytest.raises(CommandError, match="尚未导入组织树"):
        _seed()


@pytest.mark.django_db
def test_loads_the_shipped_lists_catalogue_barred_list_and_whitelist_once(demo):
    from certificates.demo import BARRED, CERTIFICATE_TYPES
    from certificates.models import CertificateApplication
    from checklists.data import BASE_ITEMS
    from evaluations.models import Scheme

    first = _seed()
    after_first = _snapshot()
    assert "证明事项目录: 新增 5" in first or f"证明事项目录: 新增 {len(CERTIFICATE_TYPES)}" in first
    assert len(after_first["types"]) == len(CERTIFICATE_TYPES)
    assert len(after_first["barred"]) == len(BARRED)
    assert after_first["items"] == len(BASE_ITEMS)
    assert after_first["versions"] == [("120000", 1, "published")]
    assert after_first["whitelist"] and after_first["organisations"]
    # Reference data only: no demo applications, no star-rating schemes.
    assert not CertificateApplication.objects.exists()
    assert not Scheme.objects.exists()

    second = _seed()
    assert "基础数据已是最新，未做改动。" in second
    assert _snapshot() == after_first  # nothing changed, not even the audit log


@pytest.mark.django_db
def test_a_second_run_keeps_what_the_city_admin_edited(demo):
    from certificates.models import BarredCertificate, CertificateType
    from evaluations.models import AppraisalEntry

    _seed()
    residence = CertificateType.objects.get(code="residence")
    residence.validity_days = 30
    residence.save()
    barred = BarredCertificate.objects.order_by("order").first()
    barred.active = False
    barred.guidance = "本市另行规定：到政务服务中心办理。"
    barred.save()
    entry = AppraisalEntry.objects.order_by("pk").first()
    entry.authority = "市委办公厅（已核）"
    entry.save()

    _seed()
    assert CertificateType.objects.get(code="residence").validity_days == 30
    barred.refresh_from_db()
    assert (barred.active, barred.guidance) == (False, "本市另行规定：到政务服务中心办理。")
    entry.refresh_from_db()
    assert entry.authority == "市委办公厅（已核）"
