"""The picture of the network: aggregates against a small network counted by hand, small-number
suppression (including that a hidden number cannot be worked out from the totals), the chart, the CSV
files, who may see the page, and that its queries do not grow with the data."""

from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import itertools
import random
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.community import picture
from livingwell.community.models import (
    Connection,
    ConnectionStage,
    ConnectionStep,
    Gap,
    Organization,
    Origin,
    Service,
    TaxonomyTerm,
)
from livingwell.community.network_chart import Link, network_chart
from livingwell.community.picture import Figure, PictureFilters, count_network, default_period, protect
from livingwell.network.models import Locality, Organisation, Role, Sector, Site
from livingwell.network.tests.conftest import sign_in_verified as client_for
from livingwell.people.models import Person
from livingwell.testing import Cast, make_member, make_person

pytestmark = pytest.mark.django_db

PAGE = "/community/picture/"
SVG = "{http://www.w3.org/2000/svg}"


def text_of(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


# ---- a small network, counted by hand --------------------------------------------------------


@dataclass
class Network:
    site: Site
    north: Locality
    south: Locality
    central: Locality
    north_people: list[Person]
    south_people: list[Person]
    nowhere: Person
    peer: Service
    walking: Service
    debt: Service
    untagged: Service


def offer(site: Site, name: str, terms: list[TaxonomyTerm], organisation: Organization | None) -> Service:
    service = Service.objects.create(
        id=f"offer-{name.lower().replace(' ', '-')}",
        site=site,
        document={"id": name, "name": name},
        hash=name,
        origin=Origin.STAFF,
        name=name,
        organization=organisation,
    )
    service.terms.set(terms)
    return service


def connect(
    person: Person,
    service: Service,
    stage: ConnectionStage = ConnectionStage.SUGGESTED,
    *,
    days_ago: int = 10,
    steps: tuple[ConnectionStage, ...] = (),
) -> Connection:
    connection = Connection.objects.create(
        person=person,
        service=service,
        stage=stage,
        why_not="It was too far" if stage == ConnectionStage.DID_NOT_SUIT else "",
    )
    at = timezone.now() - dt.timedelta(days=days_ago)
    Connection.objects.filter(pk=connection.pk).update(created_at=at)
    for i, step in enumerate(steps):
        ConnectionStep.objects.create(connection=connection, stage=step, at=at + dt.timedelta(days=i))
    return connection


def gap(
    site: Site, *, term: TaxonomyTerm | None, locality: Locality | None, person: Person | None = None, days_ago: int = 5
) -> Gap:
    made = Gap.objects.create(site=site, person=person, locality=locality, term=term, need="Somewhere to talk at night")
    Gap.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return made


@pytest.fixture
def network(cast: Cast) -> Network:
    site = cast.site
    north = Locality.objects.get(site=site, name="North")
    south = Locality.objects.create(site=site, name="South")
    central = Locality.objects.create(site=site, name="Central")
    peer_term = TaxonomyTerm.objects.create(id="peer", name="Peer support")
    TaxonomyTerm.objects.create(id="activity", name="Physical activity")
    walking_term = TaxonomyTerm.objects.create(id="walking", name="Walking", parent_id="activity")
    debt_term = TaxonomyTerm.objects.create(id="debt", name="Money and debt")
    certitude = Organization.objects.create(id="org-certitude", name="Certitude Community")
    advice = Organization.objects.create(id="org-advice", name="Money Advice Lambeth")
    peer = offer(site, "Peer group", [peer_term], certitude)
    walking = offer(site, "Walking club", [walking_term], certitude)
    debt = offer(site, "Debt advice", [debt_term, peer_term], advice)
    untagged = offer(site, "Drop in", [], None)
    north_people = [make_person(site, f"North{i}", "Person", locality=north) for i in range(1, 9)]
    south_people = [make_person(site, f"South{i}", "Person", locality=south) for i in range(1, 4)]
    nowhere = make_person(site, "Nowhere", "Person")
    n = north_people
    S = ConnectionStage
    # Peer group: North 1-6 and South 1-3.
    connect(n[0], peer, S.STILL_GOING, steps=(S.SUGGESTED, S.INTRODUCED, S.WENT, S.STILL_GOING))
    connect(n[1], peer, S.WENT)
    connect(n[2], peer, S.INTRODUCED)
    connect(n[3], peer, S.DID_NOT_SUIT, steps=(S.SUGGESTED, S.INTRODUCED, S.WENT, S.DID_NOT_SUIT))
    connect(n[4], peer, S.DID_NOT_SUIT, steps=(S.SUGGESTED, S.INTRODUCED, S.DID_NOT_SUIT))
    connect(n[5], peer)
    for person in south_people:
        connect(person, peer)
    # Walking club: North 1-5 and South 1; North 8 two years ago (outside the period).
    for person in n[:5]:
        connect(person, walking)
    connect(south_people[0], walking, S.STILL_GOING)
    connect(n[7], walking, days_ago=730)
    # Debt advice (money and peer support): North 1, 7 and 8.
    connect(n[0], debt, S.WENT)
    connect(n[6], debt)
    connect(n[7], debt)
    # Drop in (no kind): the person with no locality.
    connect(nowhere, untagged)
    # Needs no offer met.
    for _ in range(3):
        gap(site, term=peer_term, locality=north)
    gap(site, term=debt_term, locality=None, person=south_people[0])  # placed by the person's locality
    gap(site, term=None, locality=south)
    gap(site, term=walking_term, locality=north, days_ago=40)
    gap(site, term=peer_term, locality=north, days_ago=730)  # outside the period
    return Network(site, north, south, central, n, south_people, nowhere, peer, walking, debt, untagged)


def last_year() -> PictureFilters:
    return PictureFilters(period=default_period())


def test_people_are_counted_by_where_they_live_and_kind_of_offer_each_once(network: Network) -> None:
    counted = count_network(site=network.site, filters=last_year())
    north, south = str(network.north.pk), str(network.south.pk)
    assert counted.localities == [
        (str(network.central.pk), "Central"),
        (north, "North"),
        (south, "South"),
        ("", "Locality not recorded"),
    ]
    # Kinds are top-level: walking counts as physical activity; the untagged offer as "kind not recorded".
    assert counted.kinds == [
        ("debt", "Money and debt"),
        ("peer", "Peer support"),
        ("activity", "Physical activity"),
        ("", "Kind not recorded"),
    ]
    people = counted.people
    # North 1 is connected to two peer support offers and counts once; North 7 and 8 through debt advice.
    assert people.cells[(north, "peer")] == 8
    assert people.cells[(north, "activity")] == 5  # North 8's walking club is two years old
    assert people.cells[(north, "debt")] == 3
    assert people.cells[(south, "peer")] == 3
    assert people.cells[(south, "activity")] == 1
    assert people.cells[(south, "debt")] == 0
    assert people.cells[("", "")] == 1
    assert people.cells[(str(network.central.pk), "peer")] == 0
    assert people.row_totals == {str(network.central.pk): 0, north: 8, south: 3, "": 1}
    assert people.col_totals == {"debt": 3, "peer": 11, "activity": 6, "": 1}
    assert people.grand == 12
    went = counted.went
    assert went.cells[(north, "peer")] == 2  # North 1 still going, North 2 went
    assert went.cells[(north, "debt")] == 1  # North 1 went to debt advice
    assert went.cells[(south, "activity")] == 1
    assert went.grand == 3


def test_organisations_and_offers_by_distinct_people_and_the_share_who_went(network: Network) -> None:
    counted = count_network(site=network.site, filters=last_year())
    assert [(o.name, o.people, o.went) for o in counted.organisations] == [
        ("Certitude Community", 9, 3),  # North 1-6 and South 1-3: the walkers are among them
        ("Money Advice Lambeth", 3, 1),
        ("No organisation named", 1, 0),
    ]
    assert [(o.name, o.organisation, o.people, o.went) for o in counted.offers] == [
        ("Peer group", "Certitude Community", 9, 2),
        ("Walking club", "Certitude Community", 6, 1),
        ("Debt advice", "Money Advice Lambeth", 3, 1),
        ("Drop in", "No organisation named", 1, 0),
    ]
    found = picture.network_picture(site=network.site, filters=last_year())
    certitude = found.organisations[0]
    assert certitude.people.text == "9"
    assert certitude.went_share == "not shown"  # 3 of 9 would give away 3 people
    assert found.organisations[1].people.text == "fewer than 5"


def test_the_stages_connections_reached_and_why_they_did_not_suit_counted_not_shown(network: Network) -> None:
    counted = count_network(site=network.site, filters=last_year())
    assert counted.stages["suggested"] == 19
    # North 1 to 5 (peer group), South 1 (walking) and North 1 (debt advice): by their stage now or their steps.
    assert counted.stages["introduced"] == 7
    assert counted.stages["went"] == 5  # North 1 (twice), 2 and 4, and South 1
    assert counted.stages["still_going"] == 2
    assert counted.stages["did_not_suit_before_going"] == 1
    assert counted.stages["did_not_suit_after_going"] == 1
    found = picture.network_picture(site=network.site, filters=last_year())
    assert [(row.label, row.connections.text) for row in found.stages] == [
        ("Suggested", "19"),
        ("Introduced", "7"),
        ("Went", "5"),
        ("Still going", "fewer than 5"),
        ("Did not suit, before going", "fewer than 5"),
        ("Did not suit, after going", "fewer than 5"),
    ]
    assert found.connections.text == "19"


def test_needs_no_offer_met_by_kind_locality_and_month(network: Network) -> None:
    counted = count_network(site=network.site, filters=last_year())
    north, south = str(network.north.pk), str(network.south.pk)
    assert [name for _k, name in counted.gap_kinds] == [
        "Money and debt",
        "Peer support",
        "Physical activity",
        "Kind not recorded",
    ]
    assert counted.gaps.cells[("peer", north)] == 3
    assert counted.gaps.cells[("debt", south)] == 1  # the gap had no locality: the person's is used
    assert counted.gaps.cells[("", south)] == 1
    assert counted.gaps.cells[("activity", north)] == 1
    assert counted.gaps.grand == 6
    assert counted.gaps.col_totals == {str(network.central.pk): 0, north: 4, south: 2}
    months = counted.gaps_by_month.cells
    assert len(months) in (12, 13)  # the last 12 months, today's included
    today = timezone.localdate()
    this_month = timezone.localtime(timezone.now() - dt.timedelta(days=5)).date().replace(day=1)
    forty = timezone.localtime(timezone.now() - dt.timedelta(days=40)).date().replace(day=1)
    expected = {m: 0 for m, _c in months}
    expected[this_month] += 5
    expected[forty] += 1
    assert {m: n for (m, _c), n in months.items()} == expected
    assert counted.gaps_by_month.col_totals == {"gaps": 6}
    assert max(m for m, _c in months) == today.replace(day=1)


def test_the_period_and_locality_filters(network: Network) -> None:
    north = str(network.north.pk)
    two_years = PictureFilters(
        period=picture.Period(timezone.localdate() - dt.timedelta(days=800), timezone.localdate())
    )
    counted = count_network(site=network.site, filters=two_years)
    assert counted.people.cells[(north, "activity")] == 6  # North 8's old connection now counts
    assert counted.gaps.grand == 7
    only_old = PictureFilters(
        period=picture.Period(
            timezone.localdate() - dt.timedelta(days=800), timezone.localdate() - dt.timedelta(days=365)
        )
    )
    old = count_network(site=network.site, filters=only_old)
    assert old.people.grand == 1 and old.stages["suggested"] == 1 and old.gaps.grand == 1
    in_north = count_network(site=network.site, filters=PictureFilters(period=default_period(), locality=network.north))
    assert in_north.localities == [(north, "North")]
    assert in_north.people.grand == 8
    assert in_north.stages["suggested"] == 14
    assert in_north.gaps.grand == 4
    in_south = count_network(site=network.site, filters=PictureFilters(period=default_period(), locality=network.south))
    assert in_south.gaps.grand == 2  # including the need placed by the person's locality


def test_another_sites_connections_and_needs_are_not_counted(network: Network) -> None:
    other = Site.objects.create(name="Southwark", slug="southwark")
    theirs = offer(other, "Their group", [], None)
    connect(make_person(other, "Other", "Person"), theirs)
    gap(other, term=None, locality=None)
    counted = count_network(site=network.site, filters=last_year())
    assert counted.people.grand == 12 and counted.gaps.grand == 6


# ---- small numbers ----------------------------------------------------------------------------


def test_small_numbers_are_fewer_than_five_on_the_page_and_less_than_five_in_csv() -> None:
    assert Figure(None, small=True).text == "fewer than 5"
    assert Figure(None, small=True).csv == "<5"
    assert Figure(None).text == "not shown"
    assert Figure(1234).text == "1,234" and Figure(1234).csv == "1234"
    assert [picture.shown(n).text for n in (0, 1, 4, 5)] == ["0", "fewer than 5", "fewer than 5", "5"]
    assert picture.share_text(5, 10) == "50%"
    assert picture.share_text(6, 10) == "not shown"  # 4 who did not go
    assert picture.share_text(3, 10) == "not shown"  # 3 people
    assert picture.share_text(8, 10) == "not shown"  # 2 who did not go
    assert picture.share_text(10, 10) == "100%"
    assert picture.share_text(0, 10) == "0%"


def _equations(
    cells: dict[tuple[Any, Any], int], rows: bool, cols: bool, grand: bool
) -> list[dict[tuple[Any, ...], int]]:
    row_keys = sorted({r for r, _c in cells})
    col_keys = sorted({c for _r, c in cells})
    equations = []
    if rows:
        equations += [{**{("cell", r, c): 1 for c in col_keys}, ("row", r): -1} for r in row_keys]
    if cols:
        equations += [{**{("cell", r, c): 1 for r in row_keys}, ("col", c): -1} for c in col_keys]
    if grand and rows:
        equations.append({**{("row", r): 1 for r in row_keys}, ("grand",): -1})
    if grand and cols:
        equations.append({**{("col", c): 1 for c in col_keys}, ("grand",): -1})
    return equations


def possible_values(
    protected: picture.Protected[Any, Any],
    equations: list[dict[tuple[Any, ...], int]],
    cap: int,
    at_most: list[tuple[tuple[Any, ...], list[tuple[Any, ...]]]] | None = None,
) -> dict[tuple[Any, ...], set[int]]:
    """An attacker: every value each hidden number could have, given what is shown (by exhaustive search)."""
    entries: dict[tuple[Any, ...], Figure] = {("cell", *k): f for k, f in protected.cells.items()}
    entries |= {("row", k): f for k, f in protected.row_totals.items()}
    entries |= {("col", k): f for k, f in protected.col_totals.items()}
    if protected.grand is not None:
        entries[("grand",)] = protected.grand
    hidden = [k for k, f in entries.items() if f.value is None]
    low = {k: 1 if entries[k].small else 0 for k in hidden}
    high = {k: 4 if entries[k].small else cap for k in hidden}
    possible: dict[tuple[Any, ...], set[int]] = {k: set() for k in hidden}

    def value(k: tuple[Any, ...], chosen: dict[tuple[Any, ...], int]) -> int:
        shown_value = entries[k].value
        return chosen[k] if shown_value is None else shown_value

    def search(chosen: dict[tuple[Any, ...], int]) -> None:
        chosen = dict(chosen)
        changed = True
        while changed:
            changed = False
            for equation in equations:
                unknown = [k for k in equation if k in low and k not in chosen]
                known = sum(c * value(k, chosen) for k, c in equation.items() if k not in unknown)
                if not unknown and known != 0:
                    return
                if len(unknown) == 1:
                    k = unknown[0]
                    forced = -known * equation[k]
                    if not low[k] <= forced <= high[k]:
                        return
                    chosen[k] = forced
                    changed = True
        free = [k for k in hidden if k not in chosen]
        if not free:
            for total, members in at_most or []:
                values = [value(m, chosen) for m in members]
                if not max(values, default=0) <= value(total, chosen) <= sum(values):
                    return
            for k in hidden:
                possible[k].add(chosen[k])
            return
        for v in range(low[free[0]], high[free[0]] + 1):
            search({**chosen, free[0]: v})

    search({})
    return possible


def assert_no_small_number_can_be_worked_out(
    cells: dict[tuple[Any, Any], int], *, rows: bool = True, cols: bool = True, grand: bool = True
) -> picture.Protected[Any, Any]:
    row_keys = sorted({r for r, _c in cells})
    col_keys = sorted({c for _r, c in cells})
    row_totals = {r: sum(cells[(r, c)] for c in col_keys) for r in row_keys}
    col_totals = {c: sum(cells[(r, c)] for r in row_keys) for c in col_keys}
    protected = protect(
        cells,
        row_totals=row_totals if rows else None,
        col_totals=col_totals if cols else None,
        grand=sum(row_totals.values()) if grand else None,
    )
    for key, n in cells.items():
        figure = protected.cells[key]
        assert figure.value in (n, None)
        assert (figure.value is None and figure.small) == (0 < n < 5)
    equations = _equations(cells, rows, cols, grand)
    possible = possible_values(protected, equations, cap=sum(cells.values()))
    for key, values in possible.items():
        if key[0] == "cell" and protected.cells[(key[1], key[2])].small:
            assert len(values) > 1, f"{key} can be worked out: {values}"
    return protected


def test_a_small_number_alone_in_a_row_cannot_be_worked_out_from_its_total() -> None:
    protected = assert_no_small_number_can_be_worked_out({("a", "x"): 10, ("a", "y"): 3, ("b", "x"): 7, ("b", "y"): 9})
    assert protected.cells[("a", "y")].text == "fewer than 5"
    # Something else in its row and its column is hidden too, and the rest is shown as it is.
    assert sum(f.hidden for f in protected.cells.values()) >= 2
    assert protected.grand is not None and protected.grand.text == "29"


def test_two_small_numbers_that_add_up_to_a_shown_total_are_protected() -> None:
    # 1 + 1 = 2 would give both away if only they were hidden.
    protected = assert_no_small_number_can_be_worked_out({("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 6, ("b", "y"): 9})
    assert protected.cells[("a", "x")].text == protected.cells[("a", "y")].text == "fewer than 5"


def test_a_single_column_with_a_total_hides_a_second_number() -> None:
    cells = {("jan", "n"): 12, ("feb", "n"): 2, ("mar", "n"): 8}
    protected = assert_no_small_number_can_be_worked_out(cells, rows=False, grand=False)
    assert protected.cells[("feb", "n")].text == "fewer than 5"
    assert protected.cells[("mar", "n")].text == "not shown"  # the smallest number of 5 or more
    assert protected.cells[("jan", "n")].text == "12"
    assert protected.col_totals["n"].text == "22"


def test_tables_without_small_numbers_are_shown_whole() -> None:
    protected = protect({("a", "x"): 5, ("a", "y"): 0}, row_totals={"a": 5}, col_totals={"x": 5, "y": 0}, grand=5)
    assert all(not f.hidden for f in protected.cells.values())
    assert protected.grand == Figure(5)


def test_no_small_number_can_be_worked_out_in_many_random_tables() -> None:
    rng = random.Random(6)
    checked = 0
    while checked < 60:
        size_rows, size_cols = rng.randint(1, 3), rng.randint(1, 3)
        cells = {
            (r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12])
            for r, c in itertools.product(range(size_rows), range(size_cols))
        }
        rows, cols, grand = rng.choice([(True, True, True), (False, True, False), (True, False, False)])
        protected = protect(
            cells,
            row_totals={r: sum(n for (rr, _c), n in cells.items() if rr == r) for r in range(size_rows)}
            if rows
            else None,
            col_totals={c: sum(n for (_r, cc), n in cells.items() if cc == c) for c in range(size_cols)}
            if cols
            else None,
            grand=sum(cells.values()) if grand else None,
        )
        hidden = [f for f in (*protected.cells.values(), *protected.row_totals.values()) if f.hidden]
        if len(hidden) > 5:
            continue  # too many for the exhaustive attacker to search quickly
        assert_no_small_number_can_be_worked_out(cells, rows=rows, cols=cols, grand=grand)
        checked += 1


def test_on_the_picture_every_small_cell_is_hidden_and_cannot_be_worked_out(network: Network) -> None:
    counted = count_network(site=network.site, filters=last_year())
    found = picture.network_picture(site=network.site, filters=last_year())
    north, south = str(network.north.pk), str(network.south.pk)
    assert found.connected.cell(north, "debt").text == "fewer than 5"
    assert found.connected.cell(south, "peer").text == "fewer than 5"
    assert found.connected.cell(str(network.central.pk), "peer").text == "0"
    for key, n in counted.people.cells.items():
        figure = found.connected.cells[key]
        assert figure.value in (n, None)
        assert figure.small == (0 < n < 5)
    # People are in one locality but may be in several kinds: the columns add up to their totals, and
    # the localities' totals to the grand total; no small number can be had by adding and taking away.
    rows = [loc for loc, _n in counted.localities]
    kinds = [kind for kind, _n in counted.kinds]
    equations = [{**{("cell", r, k): 1 for r in rows}, ("col", k): -1} for k in kinds]
    equations.append({**{("row", r): 1 for r in rows}, ("grand",): -1})
    # A locality with one kind only has that kind's number as its total.
    equations += [{("row", r): -1, ("cell", r, k): 1} for r in rows for k in kinds if r == k == ""]
    possible = possible_values(found.connected, equations, cap=counted.people.grand or 0)
    for key, values in possible.items():
        if key[0] == "cell" and found.connected.cells[(key[1], key[2])].small:
            assert len(values) > 1, key


def test_a_larger_picture_shows_most_numbers(network: Network) -> None:
    add_more(network, 40)
    found = picture.network_picture(site=network.site, filters=last_year())
    south = str(network.south.pk)
    # 40 more people in the South, across three new kinds: 14, 13 and 13.
    assert [found.connected.cell(south, f"more-{i}").text for i in range(3)] == ["14", "13", "13"]
    assert found.gaps.cell("more-0", str(network.north.pk)).text == "14"


# ---- the chart --------------------------------------------------------------------------------


def parse(chart: Any) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 (our own output, which these tests check)


def test_the_chart_is_an_accessible_svg_with_a_line_for_each_pair_with_people() -> None:
    left = [("n", "North"), ("s", "South"), ("c", "Central")]
    right = [("peer", "Peer support"), ("debt", "Money and debt")]
    links = [
        Link("n", "peer", Figure(20)),
        Link("n", "debt", Figure(None, small=True)),
        Link("s", "peer", Figure(None)),
        Link("s", "debt", Figure(6)),
        Link("c", "peer", Figure(0)),
        Link("c", "debt", Figure(0)),
    ]
    chart = network_chart(title="People connected to community offers", left=left, right=right, links=links)
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 360 ")
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "People connected to community offers"
    assert desc is not None and desc.text == (
        "People connected to community offers. Lines join where people live, on the left, to kinds of offer, on "
        "the right; the thicker the line, the more people. The most people: North to Peer support, 20 people; "
        "South to Money and debt, 6 people. 2 lines stand for fewer than 5 people or a number not shown. The "
        "table after the chart has every number."
    )
    assert root.get("aria-labelledby") == "network-title network-desc"
    drawn = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lw-link"]
    assert len(drawn) == 4  # one for each pair but the zeros
    widths = {}
    for g in drawn:
        line_title, path = g.find(f"{SVG}title"), g.find(f"{SVG}path")
        assert line_title is not None and path is not None and line_title.text
        widths[line_title.text] = (float(path.get("stroke-width", "0")), path.get("stroke-dasharray"))
    assert widths == {
        "North to Peer support: 20 people": (14.0, None),
        "South to Money and debt: 6 people": (5.2, None),
        "North to Money and debt: fewer than 5 people": (1.5, "4 3"),
        "South to Peer support: number not shown, to protect a small number": (1.5, "4 3"),
    }
    # A key explains the widths and dashes, so nothing rests on colour; Central is drawn with no lines.
    words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Key" in words and "fewer than 5" in words and "20 people" in words
    assert "Central" in words


def test_the_picture_draws_a_line_for_every_pair_not_shown_as_zero(network: Network) -> None:
    found = picture.network_picture(site=network.site, filters=last_year())
    links = [
        Link(loc, kind, found.connected.cell(loc, kind)) for loc, _l in found.localities for kind, _k in found.kinds
    ]
    chart = network_chart(title="t", left=found.localities, right=found.kinds, links=links)
    root = parse(chart)
    drawn = [g for g in root.iter(f"{SVG}g") if g.get("class") == "lw-link"]
    assert len(drawn) == sum(1 for link in links if link.figure.value != 0) < len(links)


def test_the_chart_escapes_names_and_is_empty_without_links() -> None:
    chart = network_chart(
        title="A <b> & c",
        left=[("a", "North & <South>")],
        right=[("x", "Kind\x00 one")],
        links=[Link("a", "x", Figure(7))],
    )
    root = parse(chart)
    assert "North & <South>" in " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert not str(
        network_chart(title="t", left=[("a", "A")], right=[("x", "X")], links=[Link("a", "x", Figure(0))]).svg
    )


def test_long_names_wrap_inside_the_chart() -> None:
    long_name = "Communities and languages and everything in between"
    chart = network_chart(
        title="t",
        left=[("a", "Streatham Hill and Tulse Hill")],
        right=[("x", long_name)],
        links=[Link("a", "x", Figure(9))],
    )
    root = parse(chart)
    lines = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text in long_name]
    assert len(lines) >= 2


# ---- the page and the CSV files --------------------------------------------------------------


def test_the_page_shows_the_picture_with_plain_headings_the_chart_and_tables(cast: Cast, network: Network) -> None:
    response = client_for(cast.analyst).get(PAGE)
    assert response.status_code == 200
    html = text_of(response)
    for heading in (
        "The picture of the network",
        "People connected to community offers, by where they live and kind of offer",
        "Organisations people are connected to",
        "How connections went",
        "Needs no offer met",
    ):
        assert f">{heading}</h" in html
    assert 'role="img"' in html and "<desc" in html
    assert "fewer than 5" in html and "How small numbers are shown" in html
    assert "Certitude Community" in html and "Peer group" in html
    # Aggregates only: nobody's name or id.
    for person in [*network.north_people, *network.south_people, network.nowhere]:
        assert person.given_name not in html
        assert str(person.pk) not in html
    # No one's record was read.
    assert not AuditEvent.objects.filter(person_id__isnull=False).exists()


def test_the_period_and_locality_can_be_chosen_on_the_page(cast: Cast, network: Network) -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=800)
    params = {
        "start_0": start.day,
        "start_1": start.month,
        "start_2": start.year,
        "end_0": today.day,
        "end_1": today.month,
        "end_2": today.year,
        "locality": str(network.north.pk),
    }
    html = text_of(client_for(cast.analyst).get(PAGE, params))
    assert f"{start.day} {start:%B %Y} to {today.day} {today:%B %Y} in North" in html
    assert "Locality not recorded" not in html


def test_a_period_that_ends_before_it_starts_is_an_error_by_its_field(cast: Cast, network: Network) -> None:
    html = text_of(
        client_for(cast.analyst).get(
            PAGE, {"start_0": "10", "start_1": "5", "start_2": "2026", "end_0": "1", "end_1": "5", "end_2": "2026"}
        )
    )
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html
    assert 'value="10"' in html  # the answers are kept


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_table_downloads_as_csv_with_small_numbers_as_less_than_five(cast: Cast, network: Network) -> None:
    client = client_for(cast.analyst)
    html = text_of(client.get(PAGE))
    for slug in ("people", "went", "organisations", "offers", "stages", "gaps", "gaps-by-month"):
        assert f"table={slug}" in html
    rows = read_csv(client.get(PAGE, {"format": "csv", "table": "people"}))
    assert rows[0] == [
        "Where people live",
        "Money and debt",
        "Peer support",
        "Physical activity",
        "Kind not recorded",
        "Total",
    ]
    by_name = {row[0]: row[1:] for row in rows[1:]}
    found = picture.network_picture(site=network.site, filters=last_year())
    north = str(network.north.pk)
    assert by_name["North"] == [
        *(found.connected.cell(north, kind).csv for kind, _k in found.kinds),
        found.connected.row_totals[north].csv,
    ]
    assert by_name["North"][0] == "<5"
    assert by_name["Central"] == ["0", "0", "0", "0", "0"]
    assert "fewer than 5" not in "".join(",".join(r) for r in rows)
    stages = read_csv(client.get(PAGE, {"format": "csv", "table": "stages"}))
    assert stages[1] == ["Suggested", "19"]
    months = read_csv(client.get(PAGE, {"format": "csv", "table": "gaps-by-month"}))
    assert months[0] == ["Month", "Needs recorded"] and months[-1][0] == "Total"
    assert client.get(PAGE, {"format": "csv", "table": "nothing"}).status_code == 404


def test_names_from_feeds_cannot_become_spreadsheet_formulas(cast: Cast, network: Network) -> None:
    Organization.objects.filter(pk="org-advice").update(name="=HYPERLINK(1)")
    rows = read_csv(client_for(cast.analyst).get(PAGE, {"format": "csv", "table": "organisations"}))
    assert ["'=HYPERLINK(1)", "<5", "not shown"] in rows


# ---- who may see it ---------------------------------------------------------------------------


def test_analysts_site_administrators_coordinators_and_team_leaders_of_the_site_may_see_it(
    cast: Cast, network: Network
) -> None:
    for user in (cast.analyst, cast.site_admin, cast.coordinator, cast.team_leader):
        assert picture.can_see_picture(user, cast.site)
        assert client_for(user).get(PAGE).status_code == 200
    assert not AuditEvent.objects.filter(person_id__isnull=False).exists()


def test_everyone_else_is_refused_and_the_refusal_is_recorded(cast: Cast, network: Network) -> None:
    southwark = Site.objects.create(name="Southwark", slug="southwark")
    council = Organisation.objects.create(site=southwark, name="Southwark Council", sector=Sector.LOCAL_AUTHORITY)
    other_analyst = make_member(southwark, council, Role.ANALYST, name="Southwark Analyst")
    for user in (cast.team_worker, cast.allocated_worker, cast.person_user, cast.stranger, cast.privacy_officer):
        assert not picture.can_see_picture(user, cast.site)
        response = client_for(user).get(PAGE)
        assert response.status_code == 403
        assert client_for(user).get(PAGE, {"format": "csv", "table": "people"}).status_code == 403
        refused = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED)
        assert refused.exists() and not refused.filter(person_id__isnull=False).exists()
    # Another site's analyst sees their own site, and is refused ours.
    assert not picture.can_see_picture(other_analyst, cast.site)
    client = client_for(other_analyst)
    assert client.get(PAGE).status_code == 200
    assert "Certitude Community" not in text_of(client.get(PAGE))
    assert client.get(PAGE, {"site": str(cast.site.pk)}).status_code == 403
    assert Client().get(PAGE).status_code == 302  # signed out: to sign in


def test_someone_with_two_sites_chooses_which(cast: Cast, network: Network) -> None:
    southwark = Site.objects.create(name="Southwark", slug="southwark")
    council = Organisation.objects.create(site=southwark, name="Southwark Council", sector=Sector.LOCAL_AUTHORITY)
    from livingwell.network.models import Membership

    Membership.objects.create(
        user=cast.analyst, site=southwark, organisation=council, role=Role.ANALYST, started_on=dt.date(2024, 1, 1)
    )
    client = client_for(cast.analyst)
    html = text_of(client.get(PAGE))
    assert 'name="site"' in html and "Certitude Community" in html  # Lambeth comes first by name
    assert "Certitude Community" not in text_of(client.get(PAGE, {"site": str(southwark.pk)}))


# ---- queries ----------------------------------------------------------------------------------


def add_more(network: Network, count: int) -> None:
    site = network.site
    kinds = [TaxonomyTerm.objects.create(id=f"more-{i}", name=f"More kind {i}") for i in range(3)]
    org = Organization.objects.create(id=f"org-more-{count}", name=f"More organisation {count}")
    for i in range(count):
        service = offer(site, f"More offer {count} {i}", [kinds[i % 3]], org)
        person = make_person(site, f"More{count}x{i}", "Person", locality=network.south)
        connect(person, service, ConnectionStage.WENT, steps=(ConnectionStage.SUGGESTED, ConnectionStage.WENT))
        gap(site, term=kinds[i % 3], locality=network.north)


def test_the_page_costs_the_same_queries_for_a_small_or_large_network(
    cast: Cast, network: Network, django_assert_max_num_queries: Callable[[int], Any]
) -> None:
    client = client_for(cast.analyst)
    client.get(PAGE)  # warm up the session
    with django_assert_max_num_queries(16):
        assert client.get(PAGE).status_code == 200
    add_more(network, 25)
    with django_assert_max_num_queries(16):
        assert client.get(PAGE).status_code == 200


def test_the_search_page_links_to_the_picture_for_those_who_may_see_it(cast: Cast) -> None:
    assert "See the picture of the network" in text_of(client_for(cast.analyst).get("/community/"))
    assert "See the picture of the network" in text_of(client_for(cast.team_leader).get("/community/"))
    assert "See the picture of the network" not in text_of(client_for(cast.team_worker).get("/community/"))
