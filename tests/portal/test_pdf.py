"""The shared PDF renderer: Chinese text in Noto CJK SC, page numbers, QR code and seal; rendered to PNG."""

import io
import shutil
import subprocess

import pytest

from portal.pdf import pdf_text, qr_data_uri, render_pdf, seal_svg


@pytest.fixture
def sample_template(tmp_path, settings):
    folder = tmp_path / "tpl"
    (folder / "sample").mkdir(parents=True)
    (folder / "sample" / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<div class="issuer-head">河西区大营门街道新华南路社区居民委员会</div>'
        '<div class="red-rule"></div><h1 class="doc-title">{{ heading }}</h1>'
        "{% for p in paragraphs %}<p>{{ p }}</p>{% endfor %}"
        '<div class="signature"><img class="seal" src="{{ seal_src }}" alt="印章"><div class="who">新华南路社区居民委员会</div>'
        '<div class="date">2026年11月27日</div></div>{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}]
    return "sample/doc.html"


def _render(template, pages=1):
    paragraphs = ["兹证明居民王小明同志居住在本社区新华南路12号。"] * (1 if pages == 1 else 60)
    return render_pdf(
        template=template,
        context={"heading": "居住证明", "paragraphs": paragraphs},
        title="居住证明",
        qr_url="/certificates/verify/ABC123/",
        seal_org_name="新华南路社区居民委员会",
    )


def test_chinese_text_page_numbers_and_verification_link(sample_template):
    data = _render(sample_template)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "居住证明" in text and "王小明" in text and "新华南路社区居民委员会" in text
    assert "第 1 页 共 1 页" in text
    assert "http://127.0.0.1:8000/certificates/verify/ABC123/" in text


def test_long_documents_are_numbered_on_every_page(sample_template):
    text = pdf_text(_render(sample_template, pages=3))
    assert "共 3 页" in text or "共 4 页" in text
    assert "第 2 页" in text


def test_fonts_are_noto_cjk_simplified_chinese(sample_template):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_render(sample_template)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any(f.endswith("Noto-Serif-CJK-SC") for f in fonts), fonts
    assert all("CJK-SC" in f for f in fonts), fonts  # never the Japanese fallback


def test_qr_code_and_seal_images_are_embedded(sample_template):
    assert qr_data_uri("http://x/").startswith("data:image/svg+xml")
    svg = seal_svg("新华南路社区居民委员会")
    assert svg.count("<text") == len("新华南路社区居民委员会") and "#c8102e" in svg
    data = _render(sample_template)
    # The QR code and the seal are vector drawings: the page carries their paths.
    assert data.count(b"/XObject") >= 1 or b" re" in data


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_page_renders_to_png(sample_template, tmp_path):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(_render(sample_template))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    from PIL import Image

    image = Image.open(png).convert("RGB")
    assert image.width > 300
    reds = sum(1 for px in image.get_flattened_data() if px[0] > 180 and px[1] < 90 and px[2] < 90)
    assert reds > 200  # the red letterhead and seal are drawn


def _base_fonts(data: bytes) -> set[str]:
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def test_common_text_uses_the_cut_font_and_a_rare_name_character_the_full_one(sample_template):
    from portal import pdffonts

    common = pdffonts.common_characters()
    assert ord("王") in common and ord("，") in common and ord("A") in common
    assert ord("喆") not in common  # a name character outside GB 2312
    data = render_pdf(
        template=sample_template,
        context={"heading": "居住证明", "paragraphs": ["兹证明居民王喆同志居住在本社区。"]},
        title="居住证明",
    )
    assert "王喆同志" in "".join(pdf_text(data).split())  # drawn and extractable, not a missing-glyph box
    fonts = _base_fonts(data)
    assert "Jianfu-Noto-Serif-CJK-SC" in fonts, fonts  # the common characters: the cut face
    assert "Noto-Serif-CJK-SC" in fonts, fonts  # 喆: the full system font


def test_without_harfbuzz_documents_use_the_full_fonts(sample_template, monkeypatch):
    import threading

    from portal import pdf, pdffonts

    def missing():
        raise OSError("libharfbuzz-subset is not installed")

    monkeypatch.setattr(pdffonts, "_harfbuzz", missing)
    monkeypatch.setattr(pdffonts, "cache_dir", lambda: pdffonts.Path("/nonexistent/jianfu-fonts-test"))
    monkeypatch.setattr(pdf, "_local", threading.local())  # a font configuration that never saw the cut faces
    pdffonts.font_files.cache_clear()
    try:
        assert pdffonts.font_files() == ()
        data = _render(sample_template)
    finally:
        pdffonts.font_files.cache_clear()
    assert "居住证明" in pdf_text(data)
    assert _base_fonts(data) >= {"Noto-Serif-CJK-SC"}


def test_the_cut_faces_are_named_apart_from_the_system_fonts():
    from fontTools.ttLib import TTFont

    from portal import pdffonts

    files = pdffonts.font_files()
    for (family, weight), _source in pdffonts.FACES.items():
        path = pdffonts.build_face(family, weight)
        assert path is not None and path in files
        font = TTFont(str(path), lazy=True)
        assert font["name"].getDebugName(1) == family != "Noto Serif CJK SC"
        cmap = font.getBestCmap()
        assert ord("证") in cmap and ord("喆") not in cmap


def test_fonts_are_configured_once_per_process_and_thread(sample_template, monkeypatch):
    import threading

    from weasyprint.text import fonts

    from portal import pdf

    made = []
    original = fonts.FontConfiguration

    class Counting(original):
        def __init__(self):
            made.append(self)
            super().__init__()

    monkeypatch.setattr(fonts, "FontConfiguration", Counting)
    monkeypatch.setattr(pdf, "_local", threading.local())
    _render(sample_template)
    _render(sample_template)
    assert len(made) == 1
    assert made[0]._folder is None  # the cut fonts are used where they lie, not copied to a temporary folder
    other = []
    thread = threading.Thread(target=lambda: other.append(pdf.font_config()))
    thread.start()
    thread.join()
    assert other[0] is not pdf.font_config() and len(made) == 2
