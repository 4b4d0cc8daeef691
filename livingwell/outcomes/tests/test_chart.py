"""The chart over time (livingwell.outcomes.chart): an accessible SVG image with a table alternative,
labels that never overlap, shapes and dashes so nothing depends on colour, and every word escaped."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from typing import Any

import pytest

from livingwell.outcomes.chart import (
    PLOT_HEIGHT,
    PLOT_TOP,
    Axis,
    Chart,
    Reference,
    Series,
    line_chart,
    style_for,
)

SVG = "{http://www.w3.org/2000/svg}"
T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
DIALOG_AXIS = Axis(1, 7, 1, "Out of 7")


def weekly(values: list[float], start: int = 0) -> tuple[tuple[dt.datetime, float], ...]:
    return tuple((T0 + dt.timedelta(weeks=start + i), v) for i, v in enumerate(values))


def draw(series: list[Series], *, axis: Axis = DIALOG_AXIS, **kw: Any) -> Chart:
    return line_chart(
        title="Your DIALOG results over time", description="Quality of life went up.", series=series, axis=axis, **kw
    )


def parsed(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 (our own output)


def data_markers(root: ET.Element) -> list[ET.Element]:
    """The markers of the data (each in a group with its tooltip), not the samples in the key."""
    found = []
    for group in root.iter(f"{SVG}g"):
        if group.find(f"{SVG}title") is not None:
            found.extend(child for child in group if child.tag != f"{SVG}title")
    return found


def assert_no_overlaps(chart: Chart) -> None:
    for a, b in itertools.combinations(chart.labels, 2):
        assert not a.box.overlaps(b.box), (a.text, b.text)
    for label in chart.labels:
        assert label.box.x0 >= 0 and label.box.x1 <= chart.width, label.text
        assert label.box.y0 >= 0 and label.box.y1 <= chart.height, label.text


def test_the_chart_is_an_image_named_and_described_for_screen_readers() -> None:
    chart = draw([Series("Quality of life", weekly([3, 4.5]))], id_prefix="chart-dialog")
    root = parsed(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-dialog-title chart-dialog-desc"
    assert root.get("focusable") == "false"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert (title.get("id"), title.text) == ("chart-dialog-title", "Your DIALOG results over time")
    assert (desc.get("id"), desc.text) == ("chart-dialog-desc", "Quality of life went up.")
    # Width follows the page: the viewBox sets the shape, width 100% the size.
    assert root.get("width") == "100%"
    assert re.fullmatch(r"0 0 640 [0-9.]+", root.get("viewBox") or "")


def test_the_table_alternative_has_a_row_for_each_measure_and_a_column_for_each_line() -> None:
    chart = line_chart(
        title="Goals",
        description="Two goals.",
        series=[
            Series("Get back to swimming", weekly([2, 3, 5])),
            Series("See my sister", weekly([4, 8], start=1)),
            Series("Never rated", ()),
        ],
        axis=Axis(0, 10, 2, "Out of 10"),
        value_format=lambda v: f"{v} out of 10",
        date_format=lambda d: f"{d:%d/%m}",
        caption="Goal results, by date",
    )
    assert chart.table.caption == "Goal results, by date"
    assert chart.table.headers == ("Date", "Get back to swimming", "See my sister")
    assert chart.table.rows == (
        ("03/03", "2 out of 10", "Not answered"),
        ("10/03", "3 out of 10", "4 out of 10"),
        ("17/03", "5 out of 10", "8 out of 10"),
    )


def test_each_line_has_its_own_marker_shape_and_dash_so_nothing_depends_on_colour() -> None:
    styles = [style_for(i) for i in range(12)]
    assert len({(s.shape, s.dash) for s in styles}) == 12
    assert len({s.words for s in styles}) == 12
    series = [Series(f"Goal {i}", weekly([i % 10, (i + 3) % 10])) for i in range(4)]
    root = parsed(draw(series, axis=Axis(0, 10, 2, "Out of 10")))
    lines = root.findall(f".//{SVG}polyline")
    dashes = [line.get("stroke-dasharray") for line in lines]
    # Four lines drawn, and four samples in the key: each dash pattern twice.
    assert len(lines) == 8
    assert len(set(dashes)) == 4
    svg = str(draw(series, axis=Axis(0, 10, 2, "Out of 10")).svg)
    assert svg.count("<circle") >= 3 and svg.count("<rect") >= 4  # circles, squares (and the background)
    assert "Key" in svg


def test_a_single_measure_is_drawn_as_one_marker_in_the_middle() -> None:
    chart = draw([Series("Wellbeing score", ((T0, Fraction(1998, 100)),))], axis=Axis(7, 35, 7, "Wellbeing score"))
    root = parsed(chart)
    assert root.findall(f".//{SVG}polyline")[0].get("points", "").count(",") == 2  # only the key's sample line
    (marker,) = data_markers(root)
    cx = float(marker.get("cx") or 0)
    assert 250 < cx < 400
    assert chart.table.rows == (("3 Mar 2026", "19.98"),)
    assert_no_overlaps(chart)


def test_values_sit_on_the_scale_from_bottom_to_top() -> None:
    chart = draw([Series("Quality of life", weekly([1, 4, 7]))])
    markers = data_markers(parsed(chart))
    ys = [float(m.get("cy") or 0) for m in markers]
    assert ys == [PLOT_TOP + PLOT_HEIGHT, PLOT_TOP + PLOT_HEIGHT / 2, PLOT_TOP]
    xs = [float(m.get("cx") or 0) for m in markers]
    assert xs[0] < xs[1] < xs[2] and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])


def test_dates_are_placed_in_proportion_to_time() -> None:
    points = ((T0, 3), (T0 + dt.timedelta(days=10), 4), (T0 + dt.timedelta(days=40), 5))
    markers = data_markers(parsed(draw([Series("Quality of life", points)])))
    xs = [float(m.get("cx") or 0) for m in markers]
    assert (xs[1] - xs[0]) * 3 == pytest.approx(xs[2] - xs[1], abs=0.2)


def test_fifty_measures_are_all_drawn_and_the_dates_along_the_bottom_never_overlap() -> None:
    values = [1 + (i * 7) % 7 for i in range(50)]
    chart = draw(
        [
            Series("Quality of life", weekly(values)),
            Series("Satisfaction with support", weekly([7 - v + 1 for v in values])),
        ],
        reference=Reference(4, "In the middle", "Dotted line: 4, in the middle"),
    )
    svg = str(chart.svg)
    assert svg.count("<title>Quality of life, ") == 50
    assert svg.count("<title>Satisfaction with support, ") == 50
    assert len(chart.table.rows) == 50
    dates = [label for label in chart.labels if re.fullmatch(r"\d+ \w{3} \d{4}", label.text)]
    assert 2 < len(dates) < 50  # as many as fit
    assert dates[0].text == "3 Mar 2026"
    assert dates[-1].text == chart.table.rows[-1][0]  # the latest date is always labelled
    assert_no_overlaps(chart)


def test_many_measures_on_close_dates_and_long_names_still_leave_no_overlaps() -> None:
    close = tuple((T0 + dt.timedelta(hours=6 * i), i % 11) for i in range(30))
    spread = ((T0, 2), (T0 + dt.timedelta(days=400), 9))
    long_name = "Feel confident enough to go back to the allotment on Saturdays with my neighbour " * 2
    chart = line_chart(
        title="Goals",
        description="Goals over time.",
        series=[Series(long_name, close), Series("Short", spread), Series("Middle-sized goal words", close[:3])],
        axis=Axis(0, 10, 2, "Out of 10"),
    )
    assert_no_overlaps(chart)
    key = [label.text for label in chart.labels if label.size == 15]
    assert len(key) > 3  # the long name wrapped onto several lines


def test_the_reference_line_is_drawn_labelled_and_explained_in_the_key() -> None:
    chart = line_chart(
        title="ReQoL-10",
        description="One result.",
        series=[Series("Score", weekly([22, 27]))],
        axis=Axis(0, 40, 5, "Out of 40"),
        reference=Reference(25, "Cut-off", "Dotted line at 25: below it is the range where people often ask for help"),
    )
    root = parsed(chart)
    dotted = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "1 5"]
    assert len(dotted) == 2  # on the chart, and in the key
    y = PLOT_TOP + PLOT_HEIGHT * (1 - 25 / 40)
    assert float(dotted[0].get("y1") or 0) == pytest.approx(y)
    texts = [label.text for label in chart.labels]
    assert "Cut-off" in texts
    assert any(t.startswith("Dotted line at 25") for t in texts)
    assert_no_overlaps(chart)


def test_every_word_is_escaped_and_control_characters_are_dropped() -> None:
    nasty = 'Get <script>alert("x")</script> & "swim"\x00\x07'
    chart = line_chart(
        title="Goals of <b>Alex</b>",
        description="Went from 2 to 5 & more </desc><script>",
        series=[Series(nasty, weekly([2, 5]))],
        axis=Axis(0, 10, 2, "Out of <10>"),
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "<b>" not in svg and "\x00" not in svg and "\x07" not in svg
    assert "&lt;script&gt;" in svg and "&amp;" in svg
    root = parsed(chart)  # still well-formed XML
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Goals of <b>Alex</b>"
    assert chart.table.headers[1] == nasty  # the table is escaped by the template, like every value


def test_no_points_draw_nothing() -> None:
    chart = draw([Series("Quality of life", ())])
    assert str(chart.svg) == ""
    assert chart.table.rows == ()
