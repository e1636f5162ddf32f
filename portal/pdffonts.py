"""The fonts of the portal's PDFs: Noto CJK SC cut down to the characters documents use, built once per machine.

WeasyPrint embeds a subset of every font a document uses, and the cost of that subset grows with the source
font: the system Noto CJK fonts are collections of ~65,000 glyphs (26 MB), so every render used to subset (and
copy) the whole collection once per face. Here each face (serif and sans, regular and bold) is cut once to the
common characters — ASCII and Latin-1, general and CJK punctuation, full-width forms and all of GB 2312 (its 6,763
hanzi, kana, Greek, Cyrillic, symbols) — under a family name of its own (``SERIF_FAMILY``, ``SANS_FAMILY``), kept in a cache folder
(:func:`font_files`) and added to the font configuration of :mod:`portal.pdf` where they are (no copy per
process). Documents name that family first and the system font second (``SERIF``, ``SANS``): a character outside
the subset (a rare name character) is drawn from the full font, never as a missing-glyph box.

The cut uses HarfBuzz's subsetter (the library WeasyPrint itself subsets with): a fraction of a second per face.
Without it, or without the system fonts, :func:`font_files` returns nothing and documents use the system fonts
as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: Bumped when the character set or the way faces are cut changes (it is part of the cache file names).
VERSION = "1"

#: (family, weight) of a cut face → (file names of the system font, family inside it). The family names say
#: what the face is (a cut of Noto CJK SC); they differ from the system ones so that fontconfig never confuses them.
SERIF_FAMILY, SANS_FAMILY = "Jianfu Noto Serif CJK SC", "Jianfu Noto Sans CJK SC"
FACES: dict[tuple[str, int], tuple[tuple[str, ...], str]] = {
    (SERIF_FAMILY, 400): (("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"), "Noto Serif CJK SC"),
    (SERIF_FAMILY, 700): (("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"), "Noto Serif CJK SC"),
    (SANS_FAMILY, 400): (("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"), "Noto Sans CJK SC"),
    (SANS_FAMILY, 700): (("NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"), "Noto Sans CJK SC"),
}
#: CSS family stacks: the cut face first, the full system font for any other character, then the generic family.
SERIF = f'"{SERIF_FAMILY}", "Noto Serif CJK SC", serif'
SANS = f'"{SANS_FAMILY}", "Noto Sans CJK SC", sans-serif'

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".local/share/fonts"))
_lock = threading.Lock()


def common_characters() -> list[int]:
    """The code points every face keeps: ASCII, Latin-1, punctuation, CJK symbols, full-width forms, GB 2312."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070)) | set(range(0x2150, 0x2190)) | set(range(0x2460, 0x24A0))
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFE30, 0xFE50)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(chars)


def cache_dir() -> Path:
    """Where the cut faces are kept: one folder per machine, shared by its worker processes."""
    return Path(tempfile.gettempdir()) / "jianfu-pdf-fonts"


def find_system_font(names: tuple[str, ...]) -> Path | None:
    for folder in FONT_DIRS:
        root = Path(folder)
        if not root.is_dir():
            continue
        for name in names:
            found = next(root.rglob(name), None)
            if found is not None:
                return found
    return None


def _face_index(path: Path, family: str) -> int | None:
    """The index of ``family`` in a font collection (0 for a single font)."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.suffix.lower() != ".ttc":
        return 0 if TTFont(str(path), lazy=True)["name"].getDebugName(1) == family else None
    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == family:
            return index
    return None


class _HarfBuzz:
    """The few functions of libharfbuzz-subset that cutting a face needs (cffi, ABI mode)."""

    CDEF = """
        typedef struct hb_blob_t hb_blob_t;
        typedef struct hb_face_t hb_face_t;
        typedef struct hb_set_t hb_set_t;
        typedef struct hb_subset_input_t hb_subset_input_t;
        typedef uint32_t hb_codepoint_t;
        hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
        void hb_blob_destroy(hb_blob_t *blob);
        const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
        hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
        void hb_face_destroy(hb_face_t *face);
        hb_blob_t *hb_face_reference_blob(hb_face_t *face);
        unsigned int hb_face_get_glyph_count(const hb_face_t *face);
        hb_subset_input_t *hb_subset_input_create_or_fail(void);
        void hb_subset_input_destroy(hb_subset_input_t *input);
        hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
        void hb_set_add(hb_set_t *set, hb_codepoint_t codepoint);
        hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
    """

    def __init__(self) -> None:
        from cffi import FFI

        self.ffi = FFI()
        self.ffi.cdef(self.CDEF)
        self.lib: Any = None
        for name in ("libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset.0.dylib"):
            try:
                self.lib = self.ffi.dlopen(name)
                break
            except OSError:
                continue
        if self.lib is None:
            raise OSError("libharfbuzz-subset is not installed")

    def subset(self, source: Path, index: int, codepoints: list[int]) -> bytes:
        lib, ffi = self.lib, self.ffi
        blob = lib.hb_blob_create_from_file_or_fail(str(source).encode())
        if blob == ffi.NULL:
            raise OSError(f"cannot read {source}")
        face = lib.hb_face_create(blob, index)
        plan = lib.hb_subset_input_create_or_fail()
        result = ffi.NULL
        try:
            unicodes = lib.hb_subset_input_unicode_set(plan)
            for codepoint in codepoints:
                lib.hb_set_add(unicodes, codepoint)
            result = lib.hb_subset_or_fail(face, plan)
            if result == ffi.NULL:
                raise OSError(f"HarfBuzz could not subset {source}")
            out = lib.hb_face_reference_blob(result)
            length = ffi.new("unsigned int *")
            data = lib.hb_blob_get_data(out, length)
            content = ffi.unpack(data, int(length[0]))
            lib.hb_blob_destroy(out)
            return content
        finally:
            if result != ffi.NULL:
                lib.hb_face_destroy(result)
            lib.hb_subset_input_destroy(plan)
            lib.hb_face_destroy(face)
            lib.hb_blob_destroy(blob)


def _rename(content: bytes, family: str, weight: int) -> bytes:
    """The cut face under its own family name, so that a request for the system family never finds it."""
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(content), lazy=True)
    style = "Bold" if weight >= 700 else "Regular"
    postscript = family.replace(" ", "") + "-" + style
    names = {1: family, 2: style, 3: f"{postscript};{VERSION}", 4: f"{family} {style}", 6: postscript}
    table = font["name"]
    table.names = [record for record in table.names if record.nameID not in (*names, 16, 17)]
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
    out = io.BytesIO()
    font.save(out, reorderTables=False)  # the tables not touched are copied as they are
    return out.getvalue()


def build_face(family: str, weight: int) -> Path | None:
    """The file of one cut face (built on first use, then reused by every process of the machine)."""
    names, source_family = FACES[(family, weight)]
    source = find_system_font(names)
    if source is None:
        return None
    stat = source.stat()
    key = hashlib.sha256(f"{VERSION}\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache_dir() / f"{family.replace(' ', '')}-{weight}-{key}.otf"
    if target.exists():
        return target
    with _lock:
        if target.exists():
            return target
        index = _face_index(source, source_family)
        if index is None:
            return None
        content = _rename(_harfbuzz().subset(source, index, common_characters()), family, weight)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, target)  # two processes building at once write the same bytes
        logger.info("PDF font %s cut from %s into %s (%d bytes)", family, source, target, len(content))
        return target


@lru_cache(maxsize=1)
def _harfbuzz() -> _HarfBuzz:
    return _HarfBuzz()


@lru_cache(maxsize=1)
def font_files() -> tuple[Path, ...]:
    """The cut faces (serif and sans, regular and bold), built if need be; none when they cannot be made."""
    paths = []
    try:
        for family, weight in FACES:
            path = build_face(family, weight)
            if path is None:
                logger.warning(
                    "PDF font %s: no system font to cut it from; documents use the full fonts", family
                )
                return ()
            paths.append(path)
    except Exception:
        logger.warning("PDF fonts could not be cut; documents use the full system fonts", exc_info=True)
        return ()
    return tuple(paths)
