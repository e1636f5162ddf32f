"""Checking and storing uploaded files.

A file is judged by its content, never by its name or the browser's content type: JPEG and PNG by magic
bytes, Pillow ``verify()`` and a full decode, then re-encoded without any metadata; PDF by its header and
a full parse with pypdf (no scripts, not encrypted). Files are written outside the web root
(``MEDIA_ROOT/certificates/…``) under generated names, with a SHA-256 of what was stored.
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
from django.utils import timezone

from certificates.choices import MAX_UPLOAD_BYTES
from portal.errors import DomainError

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
MAX_IMAGE_PIXELS = 40_000_000  # 40 MP is far above any phone photo; stops decompression bombs
PDF_ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
ALLOWED_HELP = "只接受 JPG、PNG 图片或 PDF 文件"


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


def safe_display_name(name: str) -> str:
    """The last path component of a client-supplied file name, without control characters, for display only."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"^\.+", "", name).strip() or "未命名文件"
    return name[:100]


def _read(upload, label: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise DomainError(f"{label}超过 10 MB，请压缩后重新上传。", code="too_large", status=413)
    chunks, total = [], 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        total += len(chunk)
        if total > MAX_UPLOAD_BYTES:
            raise DomainError(f"{label}超过 10 MB，请压缩后重新上传。", code="too_large", status=413)
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
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_IMAGE_PIXELS:
                raise bad
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation the photo was taken in, then drop EXIF
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


def check_upload(upload, *, kind: str, label: str) -> CheckedFile:
    """Check one uploaded file by its content; a DomainError with a Chinese message if it is not acceptable."""
    data = _read(upload, label)
    original = safe_display_name(getattr(upload, "name", "") or "")
    if data.startswith(JPEG_MAGIC):
        return CheckedFile(kind, original, _reencode_image(data, "JPEG", label), "image/jpeg", "jpg")
    if data.startswith(PNG_MAGIC):
        return CheckedFile(kind, original, _reencode_image(data, "PNG", label), "image/png", "png")
    if data.startswith(PDF_MAGIC):
        return CheckedFile(kind, original, _check_pdf(data, label), "application/pdf", "pdf")
    raise DomainError(
        f"{label}的内容不是 JPG、PNG 图片或 PDF 文件（不能只改扩展名），请重新选择。", code="bad_file"
    )


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "certificates"


def store(checked: CheckedFile) -> str:
    """Write a checked file under a generated name; returns the stored name (relative to the storage root)."""
    now = timezone.now()
    relative = f"uploads/{now:%Y/%m}/{uuid.uuid4().hex}.{checked.extension}"
    path = storage_root() / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(checked.content)
    return relative


def stored_path(stored_name: str) -> Path:
    """The absolute path of a stored file; refuses anything that would leave the storage root."""
    root = storage_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise DomainError("文件路径无效。", code="bad_path", status=404)
    return path


def remove(stored_names: list[str]) -> None:
    for name in stored_names:
        try:
            os.remove(stored_path(name))
        except (OSError, DomainError):
            pass
