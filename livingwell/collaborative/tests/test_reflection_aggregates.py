"""The reflection aggregates and charts against hand-computed cases: counts, net shares, means and
medians, the trend, the public summary, quotes only from 3 respondents, the SVG's title, description
and key, every number in the table, and a bounded number of queries whatever the number of members."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livingwell.collaborative import presenters_reflection as show
from livingwell.collaborative import selectors_reflection as sel
from livingwell.collaborative.models import (
    BalconyPlacement,
    Member,
    PrincipleRating,
    ReflectionRound,
)
from livingwell.collaborative.tests.conftest import Collab, make_collab_member

pytestmark = pytest.mark.django_db


def make_round(collab: Collab, title: str, opens_ago: int, closes_in: int) -> ReflectionRound:
    today = timezone.localdate()
    return ReflectionRound.objects.create(
        site=collab.site,
        title=title,
        opens_on=today - dt.timedelta(days=opens_ago),
        closes_on=today + dt.timedelta(days=closes_in),
    )


def rate(r: ReflectionRound, member: Member, principle: str, view: str, why: str = "") -> None:
    PrincipleRating.objects.create(round=r, member=member, principle=principle, view=view, why=why)


def place(r: ReflectionRound, member: Member, statement: str, position: int, note: str = "") -> None:
    BalconyPlacement.objects.create(round=r, member=member, statement=statement, position=position, note=note)


def four_say(collab: Collab, r: ReflectionRound) -> None:
    """The hand-computed case: four members answer, the citizen would rather not say about anything."""
    rate(r, collab.lived, "assets", "great", "People as the essential core of our service")
    rate(r, collab.lived, "peer_support", "challenged", "I felt lost")
    rate(r, collab.lived, "facilitating", "great")
    rate(r, collab.carer, "assets", "great")
    rate(r, collab.carer, "blurring", "challenged", "Silo working continues")
    rate(r, collab.carer, "peer_support", "challenged")
    rate(r, collab.staff_member, "assets", "challenged", "Good elements of it, just not everywhere")
    rate(r, collab.staff_member, "facilitating", "great", "I facilitate reading groups and see people blossom")
    rate(r, collab.commissioner, "assets", "great")


def four_place(collab: Collab, r: ReflectionRound) -> None:
    place(r, collab.lived, "purpose.people", 2, "Diagnosis still leads")
    place(r, collab.carer, "purpose.people", 7)
    place(r, collab.staff_member, "purpose.people", 7, "Shared vision, mostly")
    place(r, collab.commissioner, "purpose.people", 9)
    place(r, collab.lived, "power.people", 3)
    place(r, collab.carer, "power.people", 4)


# ---- arithmetic ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("great", "challenged", "respondents", "net"),
    [
        (3, 1, 4, 50),  # (3 - 1) / 4 = 50%
        (0, 2, 4, -50),  # (0 - 2) / 4 = -50%
        (1, 0, 3, 33),  # 1 / 3 = 33.3%
        (0, 2, 3, -67),  # -2 / 3 = -66.7%
        (1, 0, 8, 13),  # 1 / 8 = 12.5%: halves away from zero
        (0, 1, 8, -13),  # -12.5%
        (2, 2, 5, 0),
        (0, 0, 0, None),  # nobody answered
    ],
)
def test_net_share(great: int, challenged: int, respondents: int, net: int | None) -> None:
    assert sel.net_share(great, challenged, respondents) == net


@pytest.mark.parametrize(
    ("values", "mean", "median"),
    [
        ([2, 7, 7], "5.3", "7"),  # 16 / 3 = 5.33; odd n: the middle one
        ([2, 7, 7, 9], "6.3", "7"),  # 25 / 4 = 6.25, halves up; even n: (7 + 7) / 2
        ([3, 4], "3.5", "3.5"),  # 7 / 2; (3 + 4) / 2
        ([10, 1, 4, 2], "4.3", "3"),  # 17 / 4 = 4.25; sorted 1 2 4 10: (2 + 4) / 2
        ([5, 6, 0, 10, 6], "5.4", "6"),  # 27 / 5; sorted 0 5 6 6 10
        ([0], "0.0", "0"),
    ],
)
def test_mean_and_median(values: list[int], mean: str, median: str) -> None:
    assert sel.mean_of(values) == Decimal(mean)
    assert str(sel.median_of(values)) == median
    assert sel.mean_of([]) is None and sel.median_of([]) is None


# ---- the self-assessment -------------------------------------------------------------------------


def test_principles_counts_against_hand_counts(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_say(collab, r)
    results = sel.principles_results(r)
    # Respondents: lived, carer, staff member, commissioner (the citizen gave no answers) = 4.
    assert results.respondents == 4
    counts = {c.principle.value: (c.great, c.challenged, c.net) for c in results.counts}
    assert counts == {
        "assets": (3, 1, 50),  # great: lived, carer, commissioner; challenged: staff; (3 - 1) / 4
        "capabilities": (0, 0, 0),
        "mutuality": (0, 0, 0),
        "peer_support": (0, 2, -50),  # challenged: lived, carer
        "blurring": (0, 1, -25),  # challenged: carer
        "facilitating": (2, 0, 50),  # great: lived, staff member
    }
    assert [c.label for c in results.most_great] == ["Recognising people as assets"]
    assert [c.label for c in results.most_challenged] == ["Peer support networks"]
    # Four answered, so the whys are quoted, without names, grouped by what was said.
    assert results.quotes_shown
    assert [(q.principle, q.text) for q in results.great_quotes] == [
        ("Recognising people as assets", "People as the essential core of our service"),
        ("Facilitating rather than delivering", "I facilitate reading groups and see people blossom"),
    ]
    assert [q.text for q in results.challenged_quotes] == [
        "Good elements of it, just not everywhere",
        "I felt lost",
        "Silo working continues",
    ]


def test_quotes_wait_for_three_respondents(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    rate(r, collab.lived, "assets", "great", "People as the essential core of our service")
    rate(r, collab.carer, "assets", "challenged", "I felt lost")
    place(r, collab.lived, "power.people", 3, "A note")
    place(r, collab.carer, "power.people", 5, "Another")
    results = sel.principles_results(r)
    assert results.respondents == 2 and not results.quotes_shown
    assert results.great_quotes == () and results.challenged_quotes == ()
    balcony_results = sel.balcony_results(r)
    assert not balcony_results.quotes_shown
    assert all(s.notes == () for s in balcony_results.statements)
    rate(r, collab.staff_member, "mutuality", "great")
    assert sel.principles_results(r).quotes_shown


def test_principles_chart_says_the_finding_and_every_number_is_in_the_table(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_say(collab, r)
    results = sel.principles_results(r)
    chart = show.principles_results_chart(results, "Now: great at and challenged by")
    svg = str(chart.svg)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert (
        "4 people answered. Most often great at: Recognising people as assets (3 of 4); "
        "most often challenged by: Peer support networks (2 of 4)."
    ) in chart.description
    assert chart.description in svg
    # The key does not rely on colour: solid and striped bars, named.
    assert "Solid bar: great at" in svg and "Striped bar: challenged by" in svg and 'pattern id="' in svg
    assert 'style="' not in svg and "<script" not in svg
    table = show.principles_table(results, "Now")
    assert table.rows[0] == ("Recognising people as assets", "3", "1", "0")  # 4 - 3 - 1 = 0 said neither
    assert table.rows[2] == ("Mutuality and reciprocity", "0", "0", "4")
    assert "4 members answered" in table.caption
    table_numbers = set(re.findall(r"\d+", " ".join([table.caption, *(c for row in table.rows for c in row)])))
    drawn = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    numbers = set(re.findall(r"\d+", " ".join(drawn)))
    assert numbers and numbers <= table_numbers


# ---- the balcony exercise ------------------------------------------------------------------------


def test_balcony_against_hand_counts(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_place(collab, r)
    results = sel.balcony_results(r)
    assert results.respondents == 4  # lived, carer, staff member, commissioner
    by_key = {s.statement.key: s for s in results.statements}
    purpose = by_key["purpose.people"]
    # 2, 7, 7, 9: n 4, mean 25 / 4 = 6.25 → 6.3, median (7 + 7) / 2 = 7.
    assert (purpose.n, purpose.mean, purpose.median) == (4, Decimal("6.3"), Decimal("7"))
    assert purpose.distribution == (0, 0, 1, 0, 0, 0, 0, 2, 0, 1, 0)
    # 3, 4: mean 3.5, median 3.5.
    power = by_key["power.people"]
    assert (power.n, str(power.mean), str(power.median)) == (2, "3.5", "3.5")
    assert by_key["practice.practitioners"].n == 0 and by_key["practice.practitioners"].mean is None
    # Notes as quotes without names, ordered by place.
    assert [(q.position, q.text) for q in purpose.notes] == [(2, "Diagnosis still leads"), (7, "Shared vision, mostly")]

    views = show.statement_views(results)
    chart, table = views[0].chart, views[0].table
    svg = str(chart.svg)
    assert 'role="img"' in svg and "0: mechanistic" in svg and "10: relational" in svg
    assert "Mean 6.3, median 7" in chart.description and "Most often placed at 7 (2 people)" in chart.description
    assert "Mean 6.3" in svg
    assert ("Mean", "6.3") in table.rows and ("Median", "7") in table.rows and ("7", "2") in table.rows
    assert ("0 (mechanistic)", "0") in table.rows and ("All", "4") in table.rows
    table_numbers = set(re.findall(r"\d+(?:\.\d)?", " ".join(c for row in table.rows for c in row)))
    drawn = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert set(re.findall(r"\d+(?:\.\d)?", " ".join(drawn))) <= table_numbers
    summary = show.balcony_summary_table(results)
    assert summary.rows[0] == ("Purpose: people with mental health needs", "4", "6.3", "7")
    assert summary.rows[-1] == ("Practice: practitioners in the system", "0", "None", "None")


# ---- the trend and the public summary ------------------------------------------------------------


def test_trend_across_rounds_in_date_order(collab: Collab) -> None:
    older = make_round(collab, "Last year", 400, -370)
    now = make_round(collab, "This year", 3, 10)
    make_round(collab, "Next year", -300, 330)  # not opened yet: not in the trend
    empty = make_round(collab, "Quiet", 200, -190)  # nobody answered
    rate(older, collab.lived, "assets", "great")
    rate(older, collab.carer, "assets", "challenged")
    rate(older, collab.carer, "peer_support", "great")
    place(older, collab.lived, "purpose.people", 4)
    place(older, collab.carer, "purpose.people", 5)
    four_say(collab, now)
    four_place(collab, now)

    trend = sel.trend(collab.site)
    assert [t.round for t in trend.rounds] == [older, empty, now]
    assert [t.round for t in trend.principle_rounds] == [older, now]
    first, _quiet, last = trend.rounds
    # Last year: 2 answered; assets (1 - 1) / 2 = 0%; peer support 1 / 2 = +50%.
    assert first.principles_respondents == 2
    assert (first.net["assets"], first.net["peer_support"], first.net["mutuality"]) == (0, 50, 0)
    # This year: assets +50%, peer support -50%, blurring -25%.
    assert (last.net["assets"], last.net["peer_support"], last.net["blurring"]) == (50, -50, -25)
    # Mean place for purpose, people: (4 + 5) / 2 = 4.5, then 6.3.
    assert (first.means["purpose.people"], last.means["purpose.people"]) == (Decimal("4.5"), Decimal("6.3"))
    assert first.means["power.people"] is None and last.means["power.people"] == Decimal("3.5")

    chart, table = show.principles_trend(trend)
    svg = str(chart.svg)
    assert 'role="img"' in svg and "Recognising people as assets: from 0% to +50%." in chart.description
    assert table.headers[1].startswith("Round 1: Last year") and table.headers[2].startswith("Round 2: This year")
    assert table.rows[0] == ("Members who answered", "2", "4")
    assert table.rows[1] == ("Recognising people as assets", "0%", "+50%")
    assert ("Peer support networks", "+50%", "-50%") in table.rows
    cells = {c for row in table.rows for c in row}
    drawn_values = re.findall(r"<title>[^<]*: ([+-]?\d+%)</title>", svg)
    assert len(drawn_values) == 12  # six principles in two rounds
    for value in drawn_values:
        assert value in cells
    balcony_chart, balcony_table = show.balcony_trend(trend)
    assert ("Purpose: people with mental health needs", "4.5", "6.3") in balcony_table.rows
    assert ("Power: people with mental health needs", "None", "3.5") in balcony_table.rows
    assert "Purpose: people with mental health needs: from 4.5 to 6.3." in balcony_chart.description


def test_latest_closed_round_summary_gives_counts_only(collab: Collab) -> None:
    assert sel.latest_closed_round_summary(collab.site) is None
    older = make_round(collab, "Two years ago", 800, -770)
    last = make_round(collab, "Last year", 400, -370)
    now = make_round(collab, "This year", 3, 10)
    four_say(collab, older)
    four_say(collab, now)  # open: not yet summarised
    rate(last, collab.lived, "assets", "great", "A why the public never sees")
    rate(last, collab.carer, "assets", "challenged")
    # Last year had only 2 respondents: too few to publish, so the older round is the latest to show.
    summary = sel.latest_closed_round_summary(collab.site)
    assert summary is not None and summary.title == "Two years ago" and summary.respondents == 4
    rate(last, collab.staff_member, "mutuality", "great")
    summary = sel.latest_closed_round_summary(collab.site)
    assert summary is not None and (summary.title, summary.respondents) == ("Last year", 3)
    assert [(c.principle.value, c.great, c.challenged) for c in summary.counts][:3] == [
        ("assets", 1, 1),
        ("capabilities", 0, 0),
        ("mutuality", 1, 0),
    ]
    assert "why" not in repr(summary).lower()


# ---- queries -------------------------------------------------------------------------------------


def test_aggregates_take_a_bounded_number_of_queries_whatever_the_number_of_members(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_say(collab, r)
    four_place(collab, r)

    def counts() -> list[int]:
        found = []
        for read in (
            lambda: sel.principles_results(r),
            lambda: sel.balcony_results(r),
            lambda: sel.trend(collab.site),
            lambda: sel.rounds(collab.site),
            lambda: sel.latest_closed_round_summary(collab.site),
        ):
            with CaptureQueriesContext(connection) as ctx:
                read()
            found.append(len(ctx.captured_queries))
        return found

    before = counts()
    assert before == [1, 1, 3, 1, 1]  # no closed round: the summary stops after one query
    for n in range(12):
        member = make_collab_member(collab.site, known_as=f"Extra {n}")
        rate(r, member, "mutuality", "great", f"Because {n}")
        place(r, member, "power.practitioners", n % 11, f"Note {n}")
    assert counts() == before
