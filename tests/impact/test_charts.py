"""The SVG charts of ``{% load charts %}``: geometry, texts, escaping, no inline style."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.template import Context, Template
from django.utils.translation import gettext, gettext_lazy, override

from cocity.impact.templatetags.charts import (
    BAR_PLOT_WIDTH,
    COLUMN_PLOT_HEIGHT,
    ELLIPSIS,
    FUNNEL_PLOT_WIDTH,
    PALETTE,
    bar_geometry,
    chart_id,
    column_geometry,
    format_percent,
    format_value,
    funnel_geometry,
    normalize_rows,
    percent_of,
    scale,
    truncate,
    wrap,
)

NBSP = "\u00a0"


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text inside each element (by tag name)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.texts.setdefault(self._open[-1], []).append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def render(source: str, **context: Any) -> str:
    return Template("{% load charts %}" + source).render(Context(context))


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    return collector


ROWS = [("Attivi", 1234), ("In bozza", 617), ("Conclusi", Decimal("308.5"))]


def assert_no_inline_style(html: str) -> None:
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert "<style" not in html.lower()
    assert "<script" not in html.lower()


# --- Rendering -----------------------------------------------------------------------------


def test_bar_chart_is_a_labelled_image_with_a_description() -> None:
    html = render('{% bar_chart rows title="Patti per stato" %}', rows=ROWS)
    page = parse(html)
    (svg,) = page.all("svg")
    assert svg["role"] == "img"
    assert svg["viewbox"] and svg["viewbox"].startswith("0 0 ")
    assert "chart-svg" in (svg["class"] or "")
    labelled, described = svg["aria-labelledby"], svg["aria-describedby"]
    assert f'<title id="{labelled}">Patti per stato</title>' in html
    assert re.search(rf'<desc id="{described}">[^<]*Attivi \(1\.234\)', html)
    (figure,) = page.all("figure")
    assert figure["id"] == "chart-patti-per-stato"
    assert labelled == "chart-patti-per-stato-title"


def test_bar_chart_table_has_every_label_and_localized_value() -> None:
    with override("it"):
        html = render('{% bar_chart rows title="Patti per stato" unit="m²" %}', rows=ROWS)
    page = parse(html)
    (table,) = page.all("table")
    assert table["class"] == "table table-sm chart-data"
    assert page.texts["caption"] == ["Patti per stato"]
    headers = page.all("th")
    assert [h["scope"] for h in headers[:2]] == ["col", "col"]
    with override("it"):  # the default headers, in the active language
        assert page.texts["th"][:2] == [gettext("Item"), gettext("Value")]
    assert page.texts["th"][2:] == ["Attivi", "In bozza", "Conclusi"]
    assert page.texts["td"] == [f"1.234{NBSP}m²", f"617{NBSP}m²", f"308,5{NBSP}m²"]


def test_english_uses_its_own_separators() -> None:
    with override("en"):
        html = render('{% bar_chart rows title="Pacts" %}', rows=[("Big", 1234567), ("Small", 2.5)])
    assert ">1,234,567<" in html
    assert ">2.5<" in html


def test_table_headers_can_be_given() -> None:
    html = render(
        '{% bar_chart rows title="T" label_header="Stato" value_header="Numero di patti" %}',
        rows=ROWS,
    )
    assert '<th scope="col">Stato</th>' in html
    assert '<th scope="col" class="chart-num">Numero di patti</th>' in html


def test_bar_widths_are_proportional_to_the_values() -> None:
    rows = [("Max", 200), ("Half", 100), ("Quarter", Decimal(50)), ("None", 0)]
    with override("it"):  # coordinates keep a decimal point in Italian too
        page = parse(render('{% bar_chart rows title="T" %}', rows=rows))
    widths = [float(rect["width"] or "nan") for rect in page.all("rect")]
    assert widths == [BAR_PLOT_WIDTH, BAR_PLOT_WIDTH / 2, BAR_PLOT_WIDTH / 4, 0]
    assert {rect["fill"] for rect in page.all("rect")} == {PALETTE[0]}
    assert all(rect["x"] == page.all("rect")[0]["x"] for rect in page.all("rect"))


def test_all_zero_values_draw_zero_width_bars() -> None:
    chart = bar_geometry([("A", 0), ("B", 0)], title="T")
    assert [item.width for item in chart.items] == [0, 0]


def test_height_grows_with_the_rows() -> None:
    one = bar_geometry([("A", 1)], title="T")
    three = bar_geometry([("A", 1), ("B", 2), ("C", 3)], title="T")
    assert three.height > one.height
    assert [item.y for item in three.items] == sorted(item.y for item in three.items)


def test_no_inline_style_anywhere() -> None:
    html = render(
        '{% bar_chart rows title="A" %}{% column_chart rows title="B" %}'
        '{% funnel_chart rows title="C" %}{% bar_chart empty title="D" %}',
        rows=ROWS,
        empty=[],
    )
    assert_no_inline_style(html)


def test_labels_and_titles_are_escaped() -> None:
    rows = [("<script>alert(1)</script>", 3), ('Tom & "Jerry\'s"', 1)]
    html = render(
        "{% bar_chart rows title=title %}{% column_chart rows title=title id='c2' %}"
        "{% funnel_chart rows title=title id='c3' %}",
        rows=rows,
        title="<b>Patti</b>",
    )
    assert_no_inline_style(html)
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tom &amp; &quot;Jerry&#x27;s&quot;" in html
    page = parse(html)
    assert "<script>alert(1)</script>" in page.texts["th"]
    assert "<b>Patti</b>" in page.texts["title"]


def test_long_labels_wrap_on_two_lines_and_are_cut_in_the_svg_only() -> None:
    label = "Rigenerazione del giardino condiviso di via dei Mille, angolo piazza Garibaldi"
    html = render('{% bar_chart rows title="T" %}', rows=[(label, 5)])
    page = parse(html)
    first, second = page.texts["tspan"]
    assert second.endswith(ELLIPSIS)
    assert label.startswith(f"{first} {second[:-1]}")
    assert label in page.texts["th"]  # full label in the table
    assert f"{label}: 5" in page.texts["title"]  # and in the bar's own <title>
    assert re.search(r"<g class=\"chart-item\">\s*<title>Rigenerazione del giardino", html)


def test_column_chart_heights_are_proportional() -> None:
    rows = [(2021, 3), (2022, 6), (2023, 0)]
    with override("it"):
        chart = column_geometry(rows, title="Patti per anno")
        html = render('{% column_chart rows title="Patti per anno" %}', rows=rows)
    assert [item.height for item in chart.items] == [COLUMN_PLOT_HEIGHT / 2, COLUMN_PLOT_HEIGHT, 0]
    bottoms = {round(item.y + item.height, 2) for item in chart.items}
    assert len(bottoms) == 1  # all standing on the baseline
    page = parse(html)
    (svg,) = page.all("svg")
    assert svg["role"] == "img"
    assert "Patti per anno" in page.texts["title"]
    assert page.texts["th"][2:] == ["2021", "2022", "2023"]  # years are not grouped
    heights = [float(rect["height"] or "nan") for rect in page.all("rect")]
    assert heights == [COLUMN_PLOT_HEIGHT / 2, COLUMN_PLOT_HEIGHT, 0]
    with override("en"):
        assert "From 2021 to 2023" in render('{% column_chart rows title="T" %}', rows=rows)


def test_column_chart_gets_wider_with_many_columns() -> None:
    few = column_geometry([(year, 1) for year in range(2020, 2024)], title="T")
    many = column_geometry([(year, 1000) for year in range(1990, 2030)], title="T")
    assert many.width > few.width
    xs = [item.x for item in many.items]
    assert xs == sorted(xs)
    assert all(b.x - a.x >= a.width for a, b in zip(many.items, many.items[1:], strict=False))


def test_funnel_percentages_of_the_first_step() -> None:
    with override("it"):
        html = render(
            '{% funnel_chart steps title="Percorso" %}', steps=[("A", 8), ("B", 4), ("C", 2)]
        )
    page = parse(html)
    tds = page.texts["td"]
    assert tds == ["8", "100%", "4", "50%", "2", "25%"]
    assert len(page.all("th")) == 3 + 3  # label, value, percentage + one row header per step
    assert "8 (100%)" in page.texts["text"]
    with override("en"):
        english = parse(render('{% funnel_chart steps title="T" %}', steps=[("A", 8), ("C", 2)]))
    assert english.texts["desc"] == ["From A (8) to C (2): 25% of the first step."]


def test_funnel_bars_are_centred_and_scaled() -> None:
    chart = funnel_geometry([("A", 8), ("B", 4), ("C", 2)], title="T")
    assert [item.width for item in chart.items] == [
        FUNNEL_PLOT_WIDTH,
        FUNNEL_PLOT_WIDTH / 2,
        FUNNEL_PLOT_WIDTH / 4,
    ]
    centres = {round(item.x + item.width / 2, 2) for item in chart.items}
    assert len(centres) == 1
    assert [item.percent_text for item in chart.items] == ["100%", "50%", "25%"]


def test_funnel_with_a_zero_first_step() -> None:
    chart = funnel_geometry([("A", 0), ("B", 0)], title="T")
    assert [item.width for item in chart.items] == [0, 0]
    assert [item.percent_text for item in chart.items] == ["–", "–"]


@pytest.mark.parametrize("tag", ["bar_chart", "column_chart", "funnel_chart"])
@pytest.mark.parametrize("rows", [[], {}, None])
def test_empty_rows_give_the_no_data_paragraph(tag: str, rows: Any) -> None:
    with override("en"):
        html = render(f'{{% {tag} rows title="Vuoto" %}}', rows=rows)
    assert '<p class="chart-empty">No data for this selection.</p>' in html
    assert "<svg" not in html
    assert "<table" not in html
    assert "Vuoto" in html


def test_missing_variable_is_treated_as_empty() -> None:
    html = render('{% bar_chart nothing title="Vuoto" %}')
    assert "chart-empty" in html


def test_two_charts_with_their_own_ids() -> None:
    html = render(
        '{% bar_chart rows title="T" id="first" %}{% bar_chart rows title="T" id="second" %}',
        rows=ROWS,
    )
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'aria-labelledby="second-title"' in html


def test_lazy_labels_and_mappings() -> None:
    with override("en"):
        html = render(
            '{% bar_chart rows title="T" %}', rows={gettext_lazy("Active"): 2, "Draft": 1}
        )
    assert parse(html).texts["th"][2:] == ["Active", "Draft"]


# --- Plain functions -----------------------------------------------------------------------


def test_a_label_that_fits_on_two_lines_is_not_cut() -> None:
    html = render('{% funnel_chart rows title="T" %}', rows=[("Ammesse alla co-progettazione", 3)])
    assert parse(html).texts["tspan"] == ["Ammesse alla", "co-progettazione"]
    assert ELLIPSIS not in html


def test_wrap() -> None:
    assert wrap("short", 10) == ["short"]
    assert wrap("one two three four", 9) == ["one two", "three fo…"]
    assert wrap("one two three", 9) == ["one two", "three"]
    assert wrap("supercalifragilistic", 8) == ["superca" + ELLIPSIS]


def test_truncate() -> None:
    assert truncate("short", 10) == "short"
    assert truncate("exactly10!", 10) == "exactly10!"
    assert truncate("a long label indeed", 8) == "a long" + ELLIPSIS
    assert len(truncate("x" * 50, 8)) == 8


def test_scale() -> None:
    assert scale(10, 10, 300) == 300
    assert scale(5, 10, 300) == 150
    assert scale(Decimal("2.5"), 10, 300) == 75
    assert scale(3, 0, 300) == 0
    assert scale(-3, 10, 300) == 0


def test_format_value() -> None:
    with override("it"):
        assert format_value(1234) == "1.234"
        assert format_value(1234.5) == "1.234,5"
        assert format_value(3.0) == "3"
        assert format_value(Decimal("1234.50"), "€") == f"1.234,50{NBSP}€"
        assert format_value(2, decimals=1) == "2,0"
    with override("en"):
        assert format_value(1234.5) == "1,234.5"


def test_percentages() -> None:
    assert percent_of(4, 8) == 50
    assert percent_of(1, 3) == 33
    assert percent_of(1, 8) == 13  # 12.5 rounds half up
    assert percent_of(1, 0) is None
    assert format_percent(55, 100) == "55%"


def test_chart_id() -> None:
    assert chart_id("Patti per stato") == "chart-patti-per-stato"
    assert chart_id("Patti", "my chart") == "my-chart"
    assert chart_id("???") == "chart-data"


def test_normalize_rows() -> None:
    assert normalize_rows([("A", None)]) == [("A", 0)]
    assert normalize_rows({1: 2}) == [("1", 2)]
    with pytest.raises(TypeError):
        normalize_rows([("A", "12")])
    with pytest.raises(ValueError):
        normalize_rows([("A", float("nan"))])
