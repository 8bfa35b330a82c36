"""Charts drawn on the server as SVG: no script, no outside network, readable on a phone.

Horizontal bars, one row per item, label above its bar and the number at its end, in a
viewBox that scales to the page's width. Every chart on the figures page also has its
numbers as a table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from bot.console.labels import NO_DATA

WIDTH = 360
ROW = 40
TOP = 8
COLORS = ("#1f6f8b", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6d597a", "#457b9d", "#8ab17d")


def bar_chart(
    title: str, items: Sequence[tuple[str, float]], *, unit: str = "", color: str | None = None, chart_id: str = ""
) -> Markup:
    """An SVG bar chart; `items` are (label, value). An empty chart says so in words."""
    height = TOP + ROW * max(1, len(items)) + 8
    peak = max((value for _, value in items), default=0) or 1
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"{f" id={chr(34)}{escape(chart_id)}{chr(34)}" if chart_id else ""}>',
        f"<title>{escape(title)}</title>",
    ]
    if not items:
        parts.append(f'<text x="0" y="{TOP + 24}" class="chart-empty">{NO_DATA}</text>')
    for index, (label, value) in enumerate(items):
        y = TOP + index * ROW
        width = 0 if value <= 0 else max(2.0, (WIDTH - 70) * value / peak)
        fill = color or COLORS[index % len(COLORS)]
        shown = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(label)}</text>')
        parts.append(
            f'<rect x="0" y="{y + 18}" width="{width:.1f}" height="14" rx="3" fill="{fill}">'
            f"<title>{escape(label)}: {shown}{escape(unit)}</title></rect>"
        )
        parts.append(f'<text x="{width + 5:.1f}" y="{y + 30}" class="chart-value">{shown}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
