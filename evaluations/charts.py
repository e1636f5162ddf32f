"""Server-side SVG charts (strict CSP: no scripts, no style attributes — presentation attributes only).

The same markup is inlined in pages and embedded as an image in PDFs."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.charts import FONT

STAR_ORDER = [5, 4, 3, 2, 1, 0]
COLORS = {5: "#b4121f", 4: "#e0611a", 3: "#e8b34a", 2: "#6f9bd1", 1: "#1d4f91", 0: "#8a939e"}


def _label(stars: int) -> str:
    return ngettext("%(n)s星", "%(n)s星", stars) % {"n": stars} if stars else _("无星")


def _legend(x: int, y: int, *, per_row: int = 6, step: int = 78) -> list[str]:
    parts = []
    for i, s in enumerate(STAR_ORDER):
        lx = x + (i % per_row) * step
        ly = y + (i // per_row) * 20
        parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{COLORS[s]}"/>')
        parts.append(
            f'<text x="{lx + 19}" y="{ly + 12}" font-size="13" fill="#1f2328" {FONT}>{_label(s)}</text>'
        )
    return parts


def _desc_distribution(distribution: list[dict]) -> str:
    rows = []
    for d in distribution:
        counts = _("，").join(
            _("%(label)s%(n)s个") % {"label": _label(s), "n": d["counts"].get(s, 0)}
            for s in STAR_ORDER
            if d["counts"].get(s, 0)
        )
        rows.append(
            _("%(name)s：%(counts)s（共%(total)s个）")
            % {"name": d["name"], "counts": counts or _("无"), "total": d["total"]}
        )
    return _("；").join(rows) or _("暂无已发布的结果")


def _desc_trend(trend: list[dict]) -> str:
    rows = []
    for t in trend:
        total = t["total"] or 1
        counts = _("，").join(
            _("%(label)s%(pct)s%%")
            % {"label": _label(s), "pct": f"{t['counts'].get(s, 0) * 100 / total:.0f}"}
            for s in STAR_ORDER
            if t["counts"].get(s, 0)
        )
        rows.append(
            _("%(year)s年：%(counts)s，平均%(avg)s分")
            % {"year": t["year"], "counts": counts, "avg": f"{t['avg']:.0f}"}
        )
    return _("；").join(rows) or _("暂无已发布的结果")


def distribution_svg(
    distribution: list[dict], *, title: str = "各区星级分布", narrow: bool = False
) -> SafeString:
    """Horizontal stacked bars: one per district, segments 5 stars … no star.

    ``narrow`` is the phone layout (360 wide, the district name above its bar) so that labels stay at least
    11 px on a 390 px screen; the wide one is for desktops and PDFs. Both carry a text alternative (desc)."""
    if narrow:
        return _distribution_narrow(distribution, title=title)
    label_w, bar_w, row_h, top = 92, 560, 30, 56
    height = top + max(len(distribution), 1) * row_h + 30
    width = label_w + bar_w + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="dist-title dist-desc">',
        f'<title id="dist-title">{escape(title)}</title>',
        f'<desc id="dist-desc">{escape(_desc_distribution(distribution))}</desc>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1f2328" {FONT}>{escape(title)}</text>',
        *_legend(0, 28),
    ]
    if not distribution:
        parts.append(
            f'<text x="0" y="{top + 18}" font-size="14" fill="#5b6470" {FONT}>{_("暂无已发布的结果")}</text>'
        )
    for i, d in enumerate(distribution):
        y = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" font-size="13" text-anchor="end" fill="#1f2328" {FONT}>'
            f'<tspan lang="zh-CN">{escape(d["name"])}</tspan></text>'
        )
        total = d["total"] or 1
        x = float(label_w)
        for s in STAR_ORDER:
            n = d["counts"].get(s, 0)
            if not n:
                continue
            w = bar_w * n / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{COLORS[s]}">'
                f"<title>{escape(_('%(name)s %(label)s：%(n)s 个社区') % {'name': d['name'], 'label': _label(s), 'n': n})}</title></rect>"
            )
            if w >= 22:
                fill = "#1f2328" if s == 3 else "#ffffff"
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 19}" font-size="12" text-anchor="middle" '
                    f'fill="{fill}" {FONT}>{n}</text>'
                )
            x += w
        parts.append(
            f'<text x="{label_w + bar_w + 6}" y="{y + 19}" font-size="12" fill="#5b6470" {FONT}>'
            f"{escape(_('%(n)s个') % {'n': d['total']})}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _distribution_narrow(distribution: list[dict], *, title: str) -> SafeString:
    width, bar_w, row_h, top = 360, 300, 46, 76
    height = top + max(len(distribution), 1) * row_h + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="distn-title distn-desc">',
        f'<title id="distn-title">{escape(title)}</title>',
        f'<desc id="distn-desc">{escape(_desc_distribution(distribution))}</desc>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1f2328" {FONT}>{escape(title)}</text>',
        *_legend(0, 30, per_row=3, step=92),
    ]
    if not distribution:
        parts.append(
            f'<text x="0" y="{top + 18}" font-size="14" fill="#5b6470" {FONT}>{_("暂无已发布的结果")}</text>'
        )
    for i, d in enumerate(distribution):
        y = top + i * row_h
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="14" fill="#1f2328" {FONT}><tspan lang="zh-CN">{escape(d["name"])}</tspan></text>'
        )
        total = d["total"] or 1
        x = 0.0
        for s in STAR_ORDER:
            n = d["counts"].get(s, 0)
            if not n:
                continue
            w = bar_w * n / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 20}" width="{w:.1f}" height="20" fill="{COLORS[s]}">'
                f"<title>{escape(_('%(name)s %(label)s：%(n)s 个社区') % {'name': d['name'], 'label': _label(s), 'n': n})}</title></rect>"
            )
            if w >= 26:
                fill = "#1f2328" if s == 3 else "#ffffff"
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 35}" font-size="13" text-anchor="middle" '
                    f'fill="{fill}" {FONT}>{n}</text>'
                )
            x += w
        parts.append(
            f'<text x="{bar_w + 6}" y="{y + 35}" font-size="13" fill="#5b6470" {FONT}>{escape(_("%(n)s个") % {"n": d["total"]})}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def trend_svg(trend: list[dict], *, title: str = "历年星级构成与平均分", narrow: bool = False) -> SafeString:
    """Stacked 100 % columns per year (5 stars at the top) with the average score above each column.

    ``narrow``: the phone layout (360 wide, labels 13 px) — see :func:`distribution_svg`."""
    col_w, gap, chart_h, top, left = 56, 34, 200, 60, 40
    small = 11
    n = max(len(trend), 1)
    width = max(left + n * (col_w + gap) + 20, 480)
    legend = _legend(0, 28)
    if narrow:
        left, top, small = 44, 80, 13
        gap = 14
        col_w = max(min(int((360 - left - 10) / n) - gap, 60), 24)
        width = 360
        legend = _legend(0, 30, per_row=3, step=92)
    height = top + chart_h + 40
    ids = "trendn" if narrow else "trend"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ids}-title {ids}-desc">',
        f'<title id="{ids}-title">{escape(title)}</title>',
        f'<desc id="{ids}-desc">{escape(_desc_trend(trend))}</desc>',
        f'<text x="0" y="18" font-size="16" font-weight="bold" fill="#1f2328" {FONT}>{escape(title)}</text>',
        *legend,
        f'<line x1="{left - 4}" y1="{top + chart_h}" x2="{width - 10}" y2="{top + chart_h}" stroke="#5b6470"/>',
    ]
    for pct in (0, 50, 100):
        y = top + chart_h - chart_h * pct / 100
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.0f}" font-size="{small}" text-anchor="end" fill="#5b6470" {FONT}>'
            f"{pct}%</text>"
        )
    if not trend:
        parts.append(
            f'<text x="{left}" y="{top + 30}" font-size="14" fill="#5b6470" {FONT}>{_("暂无已发布的结果")}</text>'
        )
    for i, t in enumerate(trend):
        x = left + gap / 2 + i * (col_w + gap)
        total = t["total"] or 1
        y = float(top + chart_h)
        for s in reversed(STAR_ORDER):  # no star at the bottom, five stars on top
            cnt = t["counts"].get(s, 0)
            if not cnt:
                continue
            h = chart_h * cnt / total
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w}" height="{h:.1f}" fill="{COLORS[s]}">'
                f"<title>{escape(_('%(year)s年 %(label)s：%(n)s 个（%(pct)s%%）') % {'year': t['year'], 'label': _label(s), 'n': cnt, 'pct': f'{cnt * 100 / total:.0f}'})}</title></rect>"
            )
            if h >= 16 and col_w >= 34:
                fill = "#1f2328" if s == 3 else "#ffffff"
                parts.append(
                    f'<text x="{x + col_w / 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="{small}" '
                    f'text-anchor="middle" fill="{fill}" {FONT}>{cnt * 100 / total:.0f}%</text>'
                )
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{top + chart_h + 18}" font-size="13" text-anchor="middle" '
            f'fill="#1f2328" {FONT}>{t["year"]}</text>'
        )
        avg = escape(_("均%(avg)s分") % {"avg": f"{t['avg']:.0f}"})
        parts.append(
            f'<text x="{x + col_w / 2:.1f}" y="{top - 6}" font-size="{small}" text-anchor="middle" '
            f'fill="#5b6470" {FONT}>{avg}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars) if stars else _("无星")
