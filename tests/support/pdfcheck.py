"""Checks on rendered PDFs as a reader sees them: page count, pages as PNG, the QR code decoded.

The tools are Debian's (poppler-utils, zbar-tools; ``make test`` installs them). A missing tool FAILS the test:
a check that cannot run must never pass quietly.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if not path:
        pytest.fail(f"{tool} is missing: apt-get install {package} (make test installs it)")
    return path


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def to_png(data: bytes, out_dir: Path, name: str, *, dpi: int = 110) -> list[Path]:
    """Every page as ``<name>-<n>.png`` in ``out_dir``."""
    need("pdftoppm", "poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(out_dir / name)], check=True)
    return sorted(out_dir.glob(f"{name}-[0-9]*.png"))


def decode_qr(png: Path) -> list[str]:
    """The texts of the QR codes on one page image (zbarimg)."""
    need("zbarimg", "zbar-tools")
    out = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True)
    return [line.strip() for line in out.stdout.splitlines() if line.strip()]


def qr_on_pdf(data: bytes, out_dir: Path, name: str) -> list[tuple[int, str]]:
    """``(page number, text)`` of every QR code in the PDF, read at print resolution."""
    found = []
    for n, png in enumerate(to_png(data, out_dir, name, dpi=200), start=1):
        found += [(n, text) for text in decode_qr(png)]
    return found
