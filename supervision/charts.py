"""Server-rendered SVG charts of the public supervision statistics (no script, no CDN, strict CSP)."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="Noto Sans CJK SC, Noto Sans SC, sans-serif"'
BLUE, RED, GREY = "#1d5fa8", "#c8102e", "#c9ced6"


def bars_svg(rows: list[dict], *, title: str, unit: str = "件", ident: str = "bars") -> SafeString:
    """Horizontal bars, one per row ``{"label", "total", "part"}``: the whole bar is ``total``, the dark part
    ``part`` (e.g. substantiated). Sizes scale to the largest total."""
    label_w, bar_w, row_h, top = 150, 250, 34, 52
    width = label_w + bar_w + 120
    height = top + max(len(rows), 1) * row_h + 16
    biggest = max([r["total"] for r in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1f2328" {FONT}>{escape(title)}</text>',
        f'<rect x="0" y="28" width="12" height="12" fill="{GREY}"/>'
        f'<text x="16" y="39" font-size="12" fill="#5b6470" {FONT}>投诉总数</text>'
        f'<rect x="90" y="28" width="12" height="12" fill="{RED}"/>'
        f'<text x="106" y="39" font-size="12" fill="#5b6470" {FONT}>查证属实</text>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="{top + 18}" font-size="14" fill="#5b6470" {FONT}>暂无数据</text>')
    for i, r in enumerate(rows):
        y = top + i * row_h
        w = bar_w * r["total"] / biggest
        wp = bar_w * r.get("part", 0) / biggest
        label = str(r["label"])
        short = label if len(label) <= 9 else label[:8] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 22}" font-size="15" text-anchor="end" fill="#1f2328" {FONT}>'
            f"{escape(short)}<title>{escape(label)}</title></text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{GREY}">'
            f"<title>{escape(str(r['label']))}：{r['total']} {unit}</title></rect>"
            f'<rect x="{label_w}" y="{y + 4}" width="{wp:.1f}" height="{row_h - 8}" fill="{RED}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 22}" font-size="14" fill="#5b6470" {FONT}>'
            f"{r['total']}（属实 {r.get('part', 0)}）</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns_svg(rows: list[dict], *, title: str, ident: str = "cols") -> SafeString:
    """Vertical columns per month ``{"label", "total", "part"}``."""
    col_w, gap, chart_h, top, left = 34, 14, 180, 40, 30
    width = left + max(len(rows), 10) * (col_w + gap) + 20  # a fixed minimum keeps columns slim
    height = top + chart_h + 40
    biggest = max([r["total"] for r in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1f2328" {FONT}>{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + chart_h}" x2="{width - 10}" y2="{top + chart_h}" stroke="#8a929c"/>',
    ]
    if not rows:
        parts.append(f'<text x="{left}" y="{top + 40}" font-size="14" fill="#5b6470" {FONT}>暂无数据</text>')
    for i, r in enumerate(rows):
        x = left + i * (col_w + gap) + gap / 2
        h = chart_h * r["total"] / biggest
        hp = chart_h * r.get("part", 0) / biggest
        base = top + chart_h
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{col_w}" height="{h:.1f}" fill="{BLUE}">'
            f"<title>{escape(str(r['label']))}：{r['total']} 件，属实 {r.get('part', 0)} 件</title></rect>"
            f'<rect x="{x:.1f}" y="{base - hp:.1f}" width="{col_w}" height="{hp:.1f}" fill="{RED}"/>'
            f'<text x="{x + col_w / 2:.1f}" y="{base - h - 4:.1f}" font-size="12" text-anchor="middle" '
            f'fill="#1f2328" {FONT}>{r["total"]}</text>'
            f'<text x="{x + col_w / 2:.1f}" y="{base + 16}" font-size="11" text-anchor="middle" '
            f'fill="#5b6470" {FONT}>{escape(str(r["label"]))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
