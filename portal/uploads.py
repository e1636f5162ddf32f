"""The one upload checker: every uploaded file is judged by its content, never by its name or the browser's
content type.

JPEG and PNG by magic bytes, Pillow ``verify()`` and a full decode, then re-encoded without any metadata; PDF
by its header and a full parse with pypdf (no scripts, not encrypted); Word and Excel (only where a caller
accepts them) as Office Open XML packages without macros or embedded objects. Anything else — an executable
renamed to ``.pdf`` or ``.jpg`` included — is refused with a Chinese message. Callers store
``CheckedFile.content`` (never the raw upload) under a generated name (:meth:`CheckedFile.as_file`, or
:func:`store` for the certificates area), outside the web root.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.errors import DomainError

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
MAX_IMAGE_PIXELS = 40_000_000  # 40 MP is far above any phone photo; stops decompression bombs
PDF_ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
ALLOWED_HELP = "只接受 JPG、PNG 图片或 PDF 文件"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a 10 MB Office file never unpacks to more; stops zip bombs

#: What a caller may accept; the default is images and PDF.
IMAGES_AND_PDF = ("jpg", "png", "pdf")
OFFICE = ("docx", "xlsx")
KIND_LABELS = {"jpg": "JPG", "png": "PNG", "pdf": "PDF", "docx": "Word（.docx）", "xlsx": "Excel（.xlsx）"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class CheckedFile:
    """An upload that passed every check, ready to be written (``content`` is what will be stored)."""

    kind: str
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    def as_file(self, stem: str = "") -> ContentFile:
        """The checked content as a Django file with a generated name (for a ``FileField.save``)."""
        return ContentFile(self.content, name=f"{stem or uuid.uuid4().hex}.{self.extension}")


def safe_display_name(name: str) -> str:
    """The last path component of a client-supplied file name, without control characters, for display only."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"^\.+", "", name).strip() or "未命名文件"
    return name[:100]


def _read(upload, label: str, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    too_large = DomainError(
        f"{label}超过 {max_bytes // (1024 * 1024)} MB，请压缩后重新上传。", code="too_large", status=413
    )
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise too_large
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    chunks, total = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        total += len(chunk)
        if total > max_bytes:
            raise too_large
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise DomainError(f"{label}是空文件，请重新选择。", code="empty_file")
    return data


def _reencode_image(data: bytes, fmt: str, label: str) -> bytes:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    bad = DomainError(f"{label}不是有效的 JPG/PNG 图片（{ALLOWED_HELP}）。", code="bad_file")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != fmt:
                raise bad
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise bad
            opened.load()
            img: Image.Image = ImageOps.exif_transpose(
                opened
            )  # keep the orientation the photo was taken in, then drop EXIF
            out = io.BytesIO()
            if fmt == "JPEG":
                if img.mode not in ("RGB", "L"):
                    img = img.convert("RGB")
                img.info.clear()
                img.save(out, "JPEG", quality=88, optimize=True)
            else:
                if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    img = img.convert("RGBA")
                img.info.clear()
                img.save(out, "PNG", optimize=True)
            return out.getvalue()
    except DomainError:
        raise
    except Exception:  # any decoding failure (truncated, bomb, disguised content)
        raise bad


def _check_pdf(data: bytes, label: str) -> bytes:
    from pypdf import PdfReader

    bad = DomainError(f"{label}不是有效的 PDF 文件（{ALLOWED_HELP}）。", code="bad_file")
    if not data.startswith(PDF_MAGIC):
        raise bad
    if any(marker in data for marker in PDF_ACTIVE_MARKERS):
        raise DomainError(
            f"{label}含有脚本、附件等活动内容，请另存为普通 PDF 或图片后上传。", code="bad_file"
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DomainError(f"{label}是加密的 PDF，请去掉密码后上传。", code="bad_file")
        if len(reader.pages) < 1:
            raise bad
        for page in reader.pages:
            page.mediabox  # noqa: B018 — touching every page makes pypdf parse it
    except DomainError:
        raise
    except Exception:
        raise bad
    return data


def _check_office(data: bytes, extension: str, label: str) -> bytes:
    """An Office Open XML package of the right kind, without macros, embedded objects or a zip bomb."""
    import zipfile

    what = KIND_LABELS[extension]
    bad = DomainError(f"{label}不是有效的 {what} 文件，请重新选择。", code="bad_file")
    marker = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[extension]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or marker not in names:
                raise bad
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise bad
            lowered = [n.lower() for n in names]
            if any(n.endswith("vbaproject.bin") or "/embeddings/" in n or "activex" in n for n in lowered):
                raise DomainError(
                    f"{label}含有宏或嵌入对象，请另存为不含宏的文件或 PDF 后上传。", code="bad_file"
                )
            if zf.testzip() is not None:
                raise bad
    except DomainError:
        raise
    except Exception:
        raise bad
    return data


def _accepted_help(accept: tuple[str, ...]) -> str:
    """``"JPG、PNG 图片或 PDF"`` — the kinds a caller accepts, as a user reads them."""
    images = [KIND_LABELS[k] for k in accept if k in ("jpg", "png")]
    others = [KIND_LABELS[k] for k in accept if k not in ("jpg", "png")]
    parts = (["、".join(images) + " 图片"] if images else []) + others
    return "、".join(parts[:-1]) + ("或 " if len(parts) > 1 else "") + parts[-1]


def check_upload(
    upload,
    *,
    label: str = "文件",
    kind: str = "",
    accept: tuple[str, ...] = IMAGES_AND_PDF,
    max_bytes: int = MAX_UPLOAD_BYTES,
    field: str = "",
) -> CheckedFile:
    """Check one uploaded file by its content; a DomainError with a Chinese message if it is not acceptable.

    ``accept`` lists the kinds the caller takes (:data:`IMAGES_AND_PDF`, plus :data:`OFFICE` where Word and
    Excel make sense); ``kind`` is the caller's own label of the file, carried through; ``field`` names the
    form field the error message belongs to.
    """
    try:
        return _check(upload, label=label, kind=kind, accept=accept, max_bytes=max_bytes)
    except DomainError as exc:
        if field:
            exc.fields = {field: exc.message}
        raise


def _check(upload, *, label: str, kind: str, accept: tuple[str, ...], max_bytes: int) -> CheckedFile:
    data = _read(upload, label, max_bytes)
    original = safe_display_name(getattr(upload, "name", "") or "")
    if data.startswith(JPEG_MAGIC) and "jpg" in accept:
        return CheckedFile(kind, original, _reencode_image(data, "JPEG", label), "image/jpeg", "jpg")
    if data.startswith(PNG_MAGIC) and "png" in accept:
        return CheckedFile(kind, original, _reencode_image(data, "PNG", label), "image/png", "png")
    if data.startswith(PDF_MAGIC) and "pdf" in accept:
        return CheckedFile(kind, original, _check_pdf(data, label), "application/pdf", "pdf")
    if data.startswith(ZIP_MAGIC):
        for ext in ("docx", "xlsx"):
            if ext in accept and original.lower().endswith("." + ext):
                return CheckedFile(kind, original, _check_office(data, ext, label), CONTENT_TYPES[ext], ext)
    if data.startswith(OLE_MAGIC) and any(k in accept for k in OFFICE):
        raise DomainError(
            f"{label}是旧版 Word/Excel 格式（.doc/.xls），请另存为 .docx/.xlsx 或 PDF 后上传。",
            code="bad_file",
        )
    raise DomainError(
        f"{label}的内容不是 {_accepted_help(accept)} 文件（不能只改扩展名），请重新选择。", code="bad_file"
    )


def storage_root(area: str = "certificates") -> Path:
    return Path(settings.MEDIA_ROOT) / area


def store(checked: CheckedFile, *, area: str = "certificates") -> str:
    """Write a checked file under a generated name; returns the stored name (relative to the area's root)."""
    now = timezone.now()
    relative = f"uploads/{now:%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    path = storage_root(area) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(checked.content)
    return relative


def stored_path(stored_name: str, *, area: str = "certificates") -> Path:
    """The absolute path of a stored file; refuses anything that would leave the storage root."""
    root = storage_root(area).resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise DomainError("文件路径无效。", code="bad_path", status=404)
    return path


def remove(stored_names: list[str], *, area: str = "certificates") -> None:
    for name in stored_names:
        try:
            os.remove(stored_path(name, area=area))
        except (OSError, DomainError):
            pass
