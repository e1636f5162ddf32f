"""Evaluation evidence goes through the core upload checker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations import services
from evaluations.schemas import EvidenceSchema
from portal.errors import DomainError
from tests.support.files import EXE, pdf_bytes, xlsx_bytes


@pytest.mark.parametrize("name", ["会议记录.pdf", "照片.jpg", "台账.xlsx", "台账.docx"])
def test_a_renamed_executable_is_refused_with_a_chinese_message(assessment, users, name):
    with pytest.raises(DomainError) as exc:
        services.assessment_evidence_add(
            actor=users["community_staff"],
            assessment_id=assessment.pk,
            data=EvidenceSchema.parse({"title": "会议记录"}),
            upload=SimpleUploadedFile(name, EXE),
        )
    assert "不能只改扩展名" in exc.value.message and exc.value.fields.get("file")
    assert assessment.evidence.count() == 0


def test_the_page_shows_the_refusal(assessment, page_client):
    r = page_client("community_staff").post(
        f"/evaluations/assessments/{assessment.pk}/evidence/",
        {"title": "会议记录", "file": SimpleUploadedFile("会议记录.pdf", EXE)},
        follow=True,
    )
    assert "不能只改扩展名" in r.content.decode()
    assert assessment.evidence.count() == 0


def test_pdf_and_excel_evidence_are_kept(assessment, users):
    for name, data in [("会议记录.pdf", pdf_bytes()), ("台账.xlsx", xlsx_bytes())]:
        e = services.assessment_evidence_add(
            actor=users["community_staff"],
            assessment_id=assessment.pk,
            data=EvidenceSchema.parse({"title": name}),
            upload=SimpleUploadedFile(name, data),
        )
        assert e.file.name.endswith(name.rsplit(".", 1)[1])
    assert assessment.evidence.count() == 2
