"""The one upload checker: content decides, never the name; re-encoded; clear Chinese messages."""

import io

import pytest
from PIL import Image

from portal import uploads
from portal.errors import DomainError
from tests.support.files import EXE, jpeg_bytes, macro_xlsx_bytes, pdf_bytes, png_bytes, upload, xlsx_bytes


@pytest.mark.parametrize("name", ["报告.pdf", "照片.jpg", "表格.xlsx", "setup.exe"])
def test_a_renamed_executable_is_refused_with_a_chinese_message(name):
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(
            upload(name, EXE), label="佐证材料", accept=uploads.IMAGES_AND_PDF + uploads.OFFICE
        )
    assert "不能只改扩展名" in exc.value.message and exc.value.message.startswith("佐证材料")


def test_images_are_re_encoded_without_metadata():
    from PIL import Image as PILImage

    img = PILImage.new("RGB", (40, 30), (1, 2, 3))
    exif = PILImage.Exif()
    exif[0x010F] = "SecretCam"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    checked = uploads.check_upload(upload("a.jpg", buf.getvalue()))
    assert checked.extension == "jpg" and checked.content != buf.getvalue()
    assert not Image.open(io.BytesIO(checked.content)).getexif()
    assert uploads.check_upload(upload("b.png", png_bytes())).content_type == "image/png"
    assert uploads.check_upload(upload("c.jpeg", jpeg_bytes())).as_file().name.endswith(".jpg")


def test_pdfs_are_parsed():
    assert uploads.check_upload(upload("a.pdf", pdf_bytes())).extension == "pdf"
    with pytest.raises(DomainError, match="不是有效的 PDF"):
        uploads.check_upload(upload("a.pdf", b"%PDF-1.4 not really"))
    with pytest.raises(DomainError, match="活动内容"):
        uploads.check_upload(upload("a.pdf", pdf_bytes() + b"/JavaScript (app.alert(1))"))


def test_office_files_only_where_accepted_and_without_macros():
    office = uploads.IMAGES_AND_PDF + uploads.OFFICE
    assert uploads.check_upload(upload("台账.xlsx", xlsx_bytes()), accept=office).extension == "xlsx"
    with pytest.raises(DomainError, match="不能只改扩展名"):
        uploads.check_upload(upload("台账.xlsx", xlsx_bytes()))  # images and PDF only by default
    with pytest.raises(DomainError, match="宏"):
        uploads.check_upload(upload("台账.xlsx", macro_xlsx_bytes()), accept=office)
    with pytest.raises(DomainError, match="不是有效的 Word"):
        uploads.check_upload(upload("台账.docx", xlsx_bytes()), accept=office)  # a workbook called .docx
    with pytest.raises(DomainError, match="旧版"):
        uploads.check_upload(
            upload("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), accept=office
        )


def test_size_and_empty_files():
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(upload("a.pdf", pdf_bytes()), max_bytes=100, field="file")
    assert exc.value.status == 413 and exc.value.fields == {"file": exc.value.message}
    with pytest.raises(DomainError, match="空文件"):
        uploads.check_upload(upload("a.pdf", b""))


def test_the_old_certificates_name_still_works():
    from certificates import uploads as old

    assert old.check_upload is uploads.check_upload
