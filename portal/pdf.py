"""The one PDF renderer of the portal (WeasyPrint).

Every app renders its documents here: an A4 official-document layout in Noto CJK, page numbers, an
optional QR code pointing to a public verification page and an optional seal image. App templates extend
``pdf/base.html`` and fill its ``content`` block.

What a render does not repeat: the font configuration (fontconfig's font list, Pango's loaded fonts) is made
once per worker process and thread (:func:`font_config`); its first fonts are Noto CJK SC cut once per machine to the
common characters (:mod:`portal.pdffonts`: ``"Jianfu Noto Serif CJK SC", "Noto Serif CJK SC", serif`` in the
templates, the full font for any rarer character), so that WeasyPrint's per-document subset starts from a small
font; QR codes and seals are kept per process; parsed images are cached between renders.
"""

from __future__ import annotations

import base64
import math
import os
import threading
from functools import lru_cache
from html import escape

import segno
from django.conf import settings
from django.template.loader import render_to_string

from portal import pdffonts


def absolute_url(path: str) -> str:
    """The public address of a portal path, as printed in QR codes."""
    if path.startswith("http://") or path.startswith("https://"):
        return path
    return settings.JIANFU_PUBLIC_BASE_URL.rstrip("/") + path


@lru_cache(maxsize=2048)
def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG data URI (usable in PDFs and in pages under a strict CSP)."""
    qr = segno.make(url, error="m")
    return qr.svg_data_uri(scale=4, border=2)


@lru_cache(maxsize=2048)
def qr_svg(url: str, scale: int = 4) -> str:
    """A QR code of ``url`` as inline SVG markup (a pure function of its arguments: kept per process)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2)


SEAL_FONT = f"{pdffonts.SERIF_FAMILY}, Noto Serif CJK SC, serif"


@lru_cache(maxsize=1024)
def seal_svg(org_name: str, *, title: str = "") -> str:
    """A round red seal with the organisation's name along the rim and a star in the middle.

    Generated from the name, so every community has its own seal image without uploading one; a real
    scanned seal can replace it (``seal_image`` of :func:`render_pdf`).
    """
    size, r_text = 200, 74
    chars = list(org_name)[:22]
    n = max(len(chars), 1)
    span = min(250.0, 18.0 * n)  # degrees of arc the name covers
    start = -90 - span / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">',
        '<circle cx="100" cy="100" r="94" fill="none" stroke="#c8102e" stroke-width="6"/>',
    ]
    for i, ch in enumerate(chars):
        angle = start + (span * (i + 0.5) / n)
        rad = math.radians(angle)
        x = 100 + r_text * math.cos(rad)
        y = 100 + r_text * math.sin(rad)
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="19" fill="#c8102e" text-anchor="middle" '
            f'dominant-baseline="central" font-family="{SEAL_FONT}" '
            f'transform="rotate({angle + 90:.1f} {x:.1f} {y:.1f})">{escape(ch)}</text>'
        )
    star = []
    for k in range(10):
        rr = 30 if k % 2 == 0 else 12
        a = math.radians(-90 + k * 36)
        star.append(f"{100 + rr * math.cos(a):.1f},{100 + rr * math.sin(a):.1f}")
    parts.append(f'<polygon points="{" ".join(star)}" fill="#c8102e"/>')
    if title:
        parts.append(
            f'<text x="100" y="150" font-size="16" fill="#c8102e" text-anchor="middle" '
            f'font-family="{SEAL_FONT}">{escape(title)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_pdf(
    *,
    template: str,
    context: dict,
    title: str,
    qr_url: str | None = None,
    qr_caption: str = "扫码核验",
    qr_note: str | None = None,
    seal_org_name: str | None = None,
    seal_image: str | None = None,
    verify_code: str | None = None,
) -> bytes:
    """Render ``template`` (which extends ``pdf/base.html``) to PDF bytes.

    ``qr_url`` puts a QR code of that (absolute or portal) address at the end of the document, with
    ``qr_caption`` and ``qr_note`` (default: a note on verifying the document) beside it;
    ``verify_code`` (see :mod:`portal.verify`) is printed beside the QR code for typing in by hand;
    ``seal_org_name`` stamps a generated seal of that name, ``seal_image`` a given image (data URI or file URL).
    """
    from weasyprint import HTML

    ctx = dict(context)
    ctx.setdefault("doc_title", title)
    if qr_url:
        ctx["qr_src"] = qr_data_uri(absolute_url(qr_url))
        ctx["qr_caption"] = qr_caption
        if qr_note:
            ctx["qr_note"] = qr_note
        ctx["qr_url"] = absolute_url(qr_url)
        if verify_code:
            ctx["verify_code"] = verify_code
    if seal_image:
        ctx["seal_src"] = seal_image
    elif seal_org_name:
        ctx["seal_src"] = svg_data_uri(seal_svg(seal_org_name))
    html = render_to_string(template, ctx)
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    if len(_IMAGE_CACHE) > 256:  # QR codes differ per document: keep the cache of one process bounded
        _IMAGE_CACHE.clear()
    return document.write_pdf(cache=_IMAGE_CACHE, font_config=font_config())


#: Parsed images (seals, QR codes, layout assets) kept between renders of one worker process.
_IMAGE_CACHE: dict = {}
_local = threading.local()


def font_config():
    """WeasyPrint's font configuration of this process and thread, made once.

    A new one per document means fontconfig reading its configuration and font list again and Pango opening
    every font again; kept, the fonts and the ``@font-face`` faces of ``pdf/base.html`` are loaded once. One
    per thread (Pango's font map is not shared between threads) and per process (a forked worker makes its own).
    """
    held = getattr(_local, "font_config", None)
    if held is None or held[0] != os.getpid():
        from weasyprint.text.fonts import FontConfiguration

        config = FontConfiguration()
        _add_font_files(config, pdffonts.font_files())
        held = (os.getpid(), config)
        _local.font_config = held
    return held[1]


def _add_font_files(config, paths) -> None:
    """Make the fonts in ``paths`` known to ``config`` where they lie, as WeasyPrint does for ``@font-face``
    (which would copy each font into a temporary folder of every configuration)."""
    if not paths:
        return
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2

    added = [fontconfig.FcConfigAppFontAddFile(config._config, str(path).encode()) for path in paths]
    if any(added):
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", config.font_map))


def pdf_text(data: bytes) -> str:
    """The text of a PDF (for tests and checks), via pypdf."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
