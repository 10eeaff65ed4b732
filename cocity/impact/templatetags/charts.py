"""Accessible, server-rendered SVG charts: ``{% load charts %}``.

Three inclusion tags draw a chart and, next to it, a data table with the same numbers:

- ``{% bar_chart rows title="..." unit="" id="" caption="" %}``: horizontal bars;
- ``{% column_chart rows title="..." unit="" id="" caption="" %}``: vertical columns, for a time
  series such as year → count;
- ``{% funnel_chart steps title="..." id="" caption="" %}``: centred, decreasing bars, each with
  its percentage of the first step.

``rows`` (and ``steps``) are (label, value) pairs (or a mapping label → value); values are
``int``, ``float`` or ``Decimal`` and never negative (a negative value or ``None`` draws an
empty bar; the table still shows the number). Every tag also takes ``label_header`` and
``value_header`` (the table's column headers) and ``decimals`` (fixed decimal places).

No JavaScript and no inline styles (the CSP blocks them): the geometry is computed here by plain
functions, the templates in ``impact/charts/`` draw it with SVG presentation attributes, and
``impact/charts.css`` (to be linked by the page) makes the SVG fluid. The SVG is a labelled
image (``role="img"``, ``<title>`` and ``<desc>``); the table is the accessible, exact version of
the data. Numbers are localized with ``number_format`` (always grouped: "1.234,5" in Italian);
the SVG coordinates are rendered with localization off, so they keep a decimal point.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext

register = template.Library()

type Number = int | float | Decimal
#: A chart's rows: (label, value) pairs or a mapping label → value (``None``: no rows).
type Rows = Iterable[Any] | Mapping[Any, Any] | None

#: Colours with at least 4.5:1 contrast against white (so also fine for text).
PALETTE: tuple[str, ...] = ("#0066cc", "#00693e", "#a0001e", "#5d7083", "#995c00", "#6a1b9a")
TEXT_COLOUR = "#1a1a1a"
AXIS_COLOUR = "#5d7083"
ELLIPSIS = "…"
NBSP = "\u00a0"

FONT_SIZE = 13
#: A rough average glyph width, in user units, of a sans-serif font at ``FONT_SIZE``.
CHAR_WIDTH = 7.5
#: How far below the middle of a bar a text's baseline goes to look vertically centred.
BASELINE_SHIFT = round(FONT_SIZE * 0.35, 2)

# Horizontal bars.
BAR_WIDTH = 640
BAR_LABEL_WIDTH = 200
BAR_VALUE_WIDTH = 100
#: The length of the longest bar; the SVG gets wider than ``BAR_WIDTH`` for long value texts.
BAR_PLOT_WIDTH = BAR_WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
BAR_ROW_HEIGHT = 34
BAR_THICKNESS = 18
PAD = 8
GAP = 6

# Vertical columns.
COLUMN_MIN_WIDTH = 640
COLUMN_PLOT_HEIGHT = 200
COLUMN_TOP = 24
COLUMN_BOTTOM = 28
COLUMN_SIDE = 16
COLUMN_MIN_STEP = 44
COLUMN_MAX_THICKNESS = 64

# Funnel.
FUNNEL_WIDTH = 640
FUNNEL_LABEL_WIDTH = 180
FUNNEL_VALUE_WIDTH = 120
FUNNEL_PLOT_WIDTH = FUNNEL_WIDTH - FUNNEL_LABEL_WIDTH - FUNNEL_VALUE_WIDTH
FUNNEL_ROW_HEIGHT = 36
FUNNEL_THICKNESS = 24


@dataclass(frozen=True)
class Place:
    """Where an item's mark and its two texts go, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Item(Place):
    """One bar, column or funnel step, with everything the template needs to draw it."""

    label: str
    short_label: str
    value: Number
    value_text: str
    percent_text: str = ""
    label_lines: tuple[str, ...] = ()  # the label on one or two lines (bars, funnel)

    @property
    def svg_value_text(self) -> str:
        """The text next to the bar: the value, and for a funnel step its percentage."""
        if self.percent_text:
            return f"{self.value_text} ({self.percent_text})"
        return self.value_text


@dataclass(frozen=True, kw_only=True)
class Drawing:
    """What sets one kind of chart apart: its marks, its size (in SVG user units), its colour
    and its summary."""

    kind: str
    items: list[Item]
    width: float
    height: float
    colour: str
    description: str
    #: The axis line (x1, y1, x2, y2), if the chart has one.
    axis: tuple[float, float, float, float] | None = None
    percent_header: str = ""


@dataclass(frozen=True, kw_only=True)
class Chart(Drawing):
    """A chart's drawing and the texts every kind of chart has."""

    id: str
    title: str
    caption: str
    label_header: str
    value_header: str
    font_size: int = FONT_SIZE

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


# --- Plain helpers -------------------------------------------------------------------------


def chart_id(title: str, given: str = "") -> str:
    """The id of the chart's figure (its <title> and <desc> ids derive from it): the given one,
    or one made from the title. Give an explicit id when a page has two charts with one title."""
    given = "-".join(str(given).split())
    if given:
        return given
    return f"chart-{slugify(title) or 'data'}"


def truncate(label: str, max_chars: int) -> str:
    """``label`` cut to ``max_chars`` characters, the last being an ellipsis when cut."""
    max_chars = max(max_chars, 1)
    if len(label) <= max_chars:
        return label
    return label[: max_chars - 1].rstrip() + ELLIPSIS


def wrap(label: str, max_chars: int, lines: int = 2) -> list[str]:
    """``label`` on at most ``lines`` lines of ``max_chars`` characters, broken between words;
    what does not fit on the last line is cut with an ellipsis ("Ammesse alla
    co-progettazione" reads whole on two lines instead of "Ammesse alla co-proge…")."""
    words = label.split()
    out: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= max_chars or not current:
            current = candidate
            continue
        out.append(current)
        if len(out) == lines - 1:
            out.append(truncate(" ".join(words[index:]), max_chars))
            return out
        current = word
    if current:
        out.append(truncate(current, max_chars))
    return out or [""]


def normalize_rows(rows: Rows) -> list[tuple[str, Number]]:
    """(label, value) pairs with the label as text and ``None`` as 0; rejects non-numbers."""
    if rows is None or isinstance(rows, str):  # a missing template variable renders as ""
        return []
    pairs: Iterable[Any] = rows.items() if isinstance(rows, Mapping) else rows
    result: list[tuple[str, Number]] = []
    for label, value in pairs:
        if value is None:
            value = 0
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise TypeError(f"Chart value for {label!r} is not a number: {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"Chart value for {label!r} is not finite: {value!r}")
        result.append((str(label), value))
    return result


def magnitude(value: Number) -> float:
    """The length a value is drawn with: negatives count as zero."""
    return max(float(value), 0.0)


def scale(value: Number, max_value: float, length: float) -> float:
    """``value``'s share of ``length``, where ``max_value`` fills it (0 when the max is 0)."""
    if max_value <= 0:
        return 0.0
    return round(length * magnitude(value) / max_value, 2)


def format_value(value: Number, unit: str = "", decimals: int | None = None) -> str:
    """The value localized for the active language, always with thousands grouping, and the
    unit after a no-break space: "1.234,5 m²" in Italian."""
    shown: Number = value
    if decimals is None and isinstance(value, float):
        shown = int(value) if value.is_integer() else round(value, 2)
    text = number_format(shown, decimal_pos=decimals, force_grouping=True)
    return f"{text}{NBSP}{unit}" if unit else text


def percent_of(value: Number, first: Number) -> Decimal | None:
    """``value`` as a whole percentage of ``first``, rounded half up; ``None`` if first is 0."""
    base = Decimal(str(first))
    if base <= 0:
        return None
    share = Decimal(str(value)) * 100 / base
    return share.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def format_percent(value: Number, first: Number) -> str:
    """ "55%" (localized digits); a dash when the first step is 0."""
    share = percent_of(value, first)
    if share is None:
        return "–"
    return f"{number_format(share, decimal_pos=0, force_grouping=True)}%"


def text_room(texts: Iterable[str], minimum: float) -> float:
    """The room, in user units, for the longest of ``texts`` after a bar (at least minimum)."""
    longest = max((len(text) for text in texts), default=0)
    return max(float(minimum), round(longest * CHAR_WIDTH + GAP + PAD, 2))


def _max(rows: list[tuple[str, Number]]) -> float:
    return max((magnitude(value) for _, value in rows), default=0.0)


def _highest(rows: list[tuple[str, Number]]) -> tuple[str, Number]:
    """The first row with the highest value."""
    return max(rows, key=lambda row: float(row[1]))


def _headers(label_header: str | None, value_header: str | None) -> tuple[str, str]:
    return (
        str(label_header) if label_header else gettext("Item"),
        str(value_header) if value_header else gettext("Value"),
    )


# --- Geometry ------------------------------------------------------------------------------


def _items(
    data: list[tuple[str, Number]],
    value_texts: list[str],
    max_chars: int,
    place: Callable[[int, Number], Place],
    percent_texts: list[str] | None = None,
) -> list[Item]:
    """One item per row: its texts (the label cut to ``max_chars``), and where ``place`` puts
    it from its index and its value."""
    percents = percent_texts or [""] * len(data)
    return [
        Item(
            label=label,
            short_label=truncate(label, max_chars),
            label_lines=tuple(wrap(label, max_chars)),
            value=value,
            value_text=value_text,
            percent_text=percent,
            **asdict(place(index, value)),
        )
        for index, ((label, value), value_text, percent) in enumerate(
            zip(data, value_texts, percents, strict=True)
        )
    ]


#: Lays out one kind of chart: (the rows, the unit, the decimal places) → its drawing.
type Draw = Callable[[list[tuple[str, Number]], str, int | None], Drawing]


def draw_bars(data: list[tuple[str, Number]], unit: str, decimals: int | None) -> Drawing:
    """Horizontal bars: labels on the left, bars scaled to the largest value, values after."""
    top = _max(data)
    max_chars = int((BAR_LABEL_WIDTH - PAD) // CHAR_WIDTH)
    value_texts = [format_value(value, unit, decimals) for _, value in data]
    room = text_room(value_texts, BAR_VALUE_WIDTH)

    def place(index: int, value: Number) -> Place:
        y = PAD + index * BAR_ROW_HEIGHT + (BAR_ROW_HEIGHT - BAR_THICKNESS) / 2
        width = scale(value, top, BAR_PLOT_WIDTH)
        middle = y + BAR_THICKNESS / 2 + BASELINE_SHIFT
        return Place(
            x=BAR_LABEL_WIDTH,
            y=y,
            width=width,
            height=BAR_THICKNESS,
            label_x=BAR_LABEL_WIDTH - PAD,
            label_y=middle,
            value_x=round(BAR_LABEL_WIDTH + width + GAP, 2),
            value_y=middle,
        )

    items = _items(data, value_texts, max_chars, place)
    description = ""
    if items:
        label, value = _highest(data)
        description = gettext("Highest: %(label)s (%(value)s).") % {
            "label": label,
            "value": format_value(value, unit, decimals),
        }
    return Drawing(
        kind="bar",
        items=items,
        width=BAR_LABEL_WIDTH + BAR_PLOT_WIDTH + room,
        height=2 * PAD + len(items) * BAR_ROW_HEIGHT,
        colour=PALETTE[0],
        description=description,
        axis=(BAR_LABEL_WIDTH, PAD, BAR_LABEL_WIDTH, PAD + len(items) * BAR_ROW_HEIGHT),
    )


def draw_columns(data: list[tuple[str, Number]], unit: str, decimals: int | None) -> Drawing:
    """Vertical columns on a baseline, in the given order, values above, labels below. The
    columns get wider apart (and the SVG wider) when the values' texts are long."""
    top = _max(data)
    value_texts = [format_value(value, unit, decimals) for _, value in data]
    longest = max((len(text) for text in value_texts), default=0)
    step = max(COLUMN_MIN_STEP, longest * CHAR_WIDTH + 2 * GAP)
    count = len(data)
    width = max(COLUMN_MIN_WIDTH, 2 * COLUMN_SIDE + count * step)
    if count:
        step = (width - 2 * COLUMN_SIDE) / count
    thickness = min(step * 0.6, COLUMN_MAX_THICKNESS)
    baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
    max_chars = max(3, int((step - 4) // CHAR_WIDTH))

    def place(index: int, value: Number) -> Place:
        centre = round(COLUMN_SIDE + index * step + step / 2, 2)
        height = scale(value, top, COLUMN_PLOT_HEIGHT)
        return Place(
            x=round(centre - thickness / 2, 2),
            y=round(baseline - height, 2),
            width=round(thickness, 2),
            height=height,
            label_x=centre,
            label_y=baseline + 18,
            value_x=centre,
            value_y=round(baseline - height - GAP, 2),
        )

    items = _items(data, value_texts, max_chars, place)
    description = ""
    if items:
        label, value = _highest(data)
        description = gettext("From %(first)s to %(last)s. Highest: %(label)s (%(value)s).") % {
            "first": data[0][0],
            "last": data[-1][0],
            "label": label,
            "value": format_value(value, unit, decimals),
        }
    return Drawing(
        kind="column",
        items=items,
        width=round(width, 2),
        height=COLUMN_TOP + COLUMN_PLOT_HEIGHT + COLUMN_BOTTOM,
        colour=PALETTE[1],
        description=description,
        axis=(COLUMN_SIDE, baseline, round(width - COLUMN_SIDE, 2), baseline),
    )


def draw_funnel(data: list[tuple[str, Number]], unit: str, decimals: int | None) -> Drawing:
    """Centred bars, one per step, scaled to the largest; each with its share of the first."""
    top = _max(data)
    first = data[0][1] if data else 0
    centre = FUNNEL_LABEL_WIDTH + FUNNEL_PLOT_WIDTH / 2
    max_chars = int((FUNNEL_LABEL_WIDTH - PAD) // CHAR_WIDTH)
    value_texts = [format_value(value, unit, decimals) for _, value in data]
    percent_texts = [format_percent(value, first) for _, value in data]
    room = text_room(
        (f"{text} ({percent})" for text, percent in zip(value_texts, percent_texts, strict=True)),
        FUNNEL_VALUE_WIDTH,
    )

    def place(index: int, value: Number) -> Place:
        y = PAD + index * FUNNEL_ROW_HEIGHT + (FUNNEL_ROW_HEIGHT - FUNNEL_THICKNESS) / 2
        width = scale(value, top, FUNNEL_PLOT_WIDTH)
        middle = y + FUNNEL_THICKNESS / 2 + BASELINE_SHIFT
        return Place(
            x=round(centre - width / 2, 2),
            y=y,
            width=width,
            height=FUNNEL_THICKNESS,
            label_x=FUNNEL_LABEL_WIDTH - PAD,
            label_y=middle,
            value_x=FUNNEL_LABEL_WIDTH + FUNNEL_PLOT_WIDTH + PAD,
            value_y=middle,
        )

    items = _items(data, value_texts, max_chars, place, percent_texts)
    description = ""
    if items:
        last = items[-1]
        description = gettext(
            "From %(first)s (%(first_value)s) to %(last)s (%(last_value)s): "
            "%(percent)s of the first step."
        ) % {
            "first": items[0].label,
            "first_value": items[0].value_text,
            "last": last.label,
            "last_value": last.value_text,
            "percent": last.percent_text,
        }
    return Drawing(
        kind="funnel",
        items=items,
        width=FUNNEL_LABEL_WIDTH + FUNNEL_PLOT_WIDTH + room,
        height=2 * PAD + len(items) * FUNNEL_ROW_HEIGHT,
        colour=PALETTE[5],
        description=description,
        percent_header=gettext("% of the first step"),
    )


# --- Template tags -------------------------------------------------------------------------


def chart_tag(name: str, draw: Draw, doc: str) -> Callable[..., dict[str, Chart]]:
    """Register ``{% <name> rows title="..." %}``: the chart ``draw`` lays out for the rows,
    with the texts every kind of chart shares, drawn by the template
    ``impact/charts/<name>.html`` with its data table."""

    def tag(
        rows: Rows,
        title: str,
        unit: str = "",
        id: str = "",
        caption: str = "",
        label_header: str | None = None,
        value_header: str | None = None,
        decimals: int | None = None,
    ) -> dict[str, Chart]:
        title = str(title)
        drawing = draw(normalize_rows(rows), unit, decimals)
        label_text, value_text = _headers(label_header, value_header)
        chart = Chart(
            **vars(drawing),
            id=chart_id(title, id),
            title=title,
            caption=str(caption),
            label_header=label_text,
            value_header=value_text,
        )
        return {"chart": chart}

    tag.__name__ = tag.__qualname__ = name
    tag.__doc__ = doc
    return register.inclusion_tag(f"impact/charts/{name}.html", name=name)(tag)


bar_chart = chart_tag("bar_chart", draw_bars, "Horizontal bars and their data table.")
column_chart = chart_tag(
    "column_chart", draw_columns, "Vertical columns (a time series) and their data table."
)
funnel_chart = chart_tag(
    "funnel_chart", draw_funnel, "A funnel (each step's share of the first) and its data table."
)


# The charts themselves, for Python (the tags' arguments).


def bar_geometry(rows: Rows, title: str, **options: Any) -> Chart:
    return bar_chart(rows, title, **options)["chart"]


def column_geometry(rows: Rows, title: str, **options: Any) -> Chart:
    return column_chart(rows, title, **options)["chart"]


def funnel_geometry(rows: Rows, title: str, **options: Any) -> Chart:
    return funnel_chart(rows, title, **options)["chart"]
