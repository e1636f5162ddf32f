"""Server-side SVG charts for pages and PDFs (strict CSP: no scripts, no style attributes — presentation
attributes only). Every chart has a ``<title>`` and per-mark ``<title>``s; pages put the data table beside it
as the text alternative. The same markup is inlined in pages and embedded as an image in PDFs
(:func:`portal.pdf.svg_data_uri`)."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"'
INK, MUTED, PRIMARY, SECONDARY = "#1f2328", "#5b6470", "#1d4f91", "#b8c4d6"


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _svg_open(width: int, height: int, chart_id: str, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title" class="chart-svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="{INK}" {FONT}>{escape(title)}</text>',
    ]


def bar_chart_svg(
    rows: list[tuple[str, float | None]], *, title: str, unit: str = "", chart_id: str = "bars"
) -> SafeString:
    """Horizontal bars, one per row (labels on the left, values at the bar's end): long Chinese names stay
    readable on a phone because the chart scales down as a whole."""
    label_w, bar_w, row_h, top = 150, 420, 26, 34
    width = label_w + bar_w + 90
    height = top + max(len(rows), 1) * row_h + 8
    peak = max((v or 0 for _, v in rows), default=0) or 1
    parts = _svg_open(width, height, chart_id, title)
    if not rows:
        parts.append(f'<text x="0" y="{top + 18}" font-size="14" fill="{MUTED}" {FONT}>暂无数据</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        short = label if len(label) <= 10 else label[:9] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" font-size="13" text-anchor="end" fill="{INK}" {FONT}>'
            f"{escape(short)}</text>"
        )
        w = bar_w * (value or 0) / peak
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{PRIMARY}">'
            f"<title>{escape(label)}：{_fmt(value)}{escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}" font-size="12" fill="{MUTED}" {FONT}>'
            f"{_fmt(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart_svg(
    points: list[tuple[str, float | None]],
    *,
    title: str,
    unit: str = "",
    previous: list[float | None] | None = None,
    chart_id: str = "columns",
) -> SafeString:
    """Columns over time (e.g. months), optionally with the previous period's values as lighter columns
    beside them for comparison."""
    left, top, chart_h = 48, 52, 170
    n = max(len(points), 1)
    group_w = max(36, min(90, 560 // n))
    width = left + n * group_w + 20
    height = top + chart_h + 34
    values = [v or 0 for _, v in points] + [v or 0 for v in (previous or [])]
    highest = max(values, default=0)
    peak = highest or 1
    parts = _svg_open(width, height, chart_id, title)
    if previous is not None:
        parts += [
            f'<rect x="0" y="28" width="12" height="12" fill="{PRIMARY}"/>',
            f'<text x="16" y="39" font-size="12" fill="{INK}" {FONT}>本期</text>',
            f'<rect x="56" y="28" width="12" height="12" fill="{SECONDARY}"/>',
            f'<text x="72" y="39" font-size="12" fill="{INK}" {FONT}>上期</text>',
        ]
    base = top + chart_h
    parts.append(f'<line x1="{left - 4}" y1="{base}" x2="{width - 8}" y2="{base}" stroke="{MUTED}"/>')
    parts.append(
        f'<text x="{left - 8}" y="{top + 4}" font-size="11" text-anchor="end" fill="{MUTED}" {FONT}>'
        f"{_fmt(highest)}</text>"
    )
    bar_w = (group_w - 10) / (2 if previous is not None else 1)
    for i, (label, value) in enumerate(points):
        x: float = left + i * group_w + 5
        if previous is not None:
            pv = previous[i] if i < len(previous) else None
            h = chart_h * (pv or 0) / peak
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{SECONDARY}">'
                f"<title>上期 {escape(label)}：{_fmt(pv)}{escape(unit)}</title></rect>"
            )
            x += bar_w
        h = chart_h * (value or 0) / peak
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{PRIMARY}">'
            f"<title>{escape(label)}：{_fmt(value)}{escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{base - h - 4:.1f}" font-size="11" text-anchor="middle" '
            f'fill="{INK}" {FONT}>{_fmt(value)}</text>'
        )
        parts.append(
            f'<text x="{left + i * group_w + group_w / 2:.1f}" y="{base + 18}" font-size="12" '
            f'text-anchor="middle" fill="{INK}" {FONT}>{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
