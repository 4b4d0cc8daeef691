"""The public page "How long are people waiting?" and its open data, against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client

from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.network.models import Site
from livingwell.people.models import Person

pytestmark = pytest.mark.django_db

DASH = "\u2013"  # the en dash in page titles, "Question (en dash) Living Well"

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=LONDON)
NAMES = ["Zebedee", "Quillon", "Marigold", "Thaddeus", "Perpetua"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def site(db: None) -> Site:
    return Site.objects.create(name="Lambeth", slug="lambeth", target_days_to_first_conversation=21)


def person(site: Site, n: int) -> Person:
    return Person.objects.create(site=site, given_name=NAMES[n % len(NAMES)], family_name=f"Farthingale{n}")


def met(site: Site, n: int, *, days_ago: int, waited: int, second_after: int | None = None) -> Introduction:
    first = NOW - dt.timedelta(days=days_ago)
    introduced = first - dt.timedelta(days=waited)
    return Introduction.objects.create(
        person=person(site, n),
        site=site,
        source=Source.SELF,
        introduced_at=introduced,
        state=IntroductionState.MET,
        first_conversation_at=first,
        second_contact_at=introduced + dt.timedelta(days=second_after) if second_after is not None else None,
    )


def waiting(site: Site, n: int, *, days: int, urgent: bool = False, state: str = IntroductionState.NEW) -> None:
    Introduction.objects.create(
        person=person(site, n),
        site=site,
        source=Source.GP,
        introduced_at=NOW - dt.timedelta(days=days),
        state=state,
        urgent=urgent,
    )


@pytest.fixture
def a_season(site: Site, frozen: None) -> Site:
    """Ten people met in the last 90 days, one before; three waiting now; one withdrawn."""
    waits = [45, 0, 30, 7, 28, 10, 22, 14, 3, 21]
    for n, waited in enumerate(waits):
        second = {3: 20, 6: 31}.get(n)  # second contacts 20 and 31 days after the introduction
        met(site, n, days_ago=5 + 8 * n, waited=waited, second_after=second)
    met(site, 20, days_ago=100, waited=200)  # met before the window: not counted
    waiting(site, 30, days=2)
    waiting(site, 31, days=25, state=IntroductionState.CONTACTING)
    waiting(site, 32, days=40, urgent=True, state=IntroductionState.BOOKED)
    waiting(site, 33, days=60, state=IntroductionState.WITHDRAWN)  # not waiting: they withdrew
    return site


# By hand, from the waits above (sorted: 0 3 7 10 14 21 22 28 30 45):
# - median: the mean of the 5th and 6th, (14 + 21) / 2 = 17.5 days;
# - 90th percentile, nearest rank: rank ceil(0.9 x 10) = 9, the 9th wait, 30 days;
# - within the target of 21 days: 0 3 7 10 14 21, 6 of 10 (60%);
# - within 28 days: those and 22 28, 8 of 10 (80%);
# - second contact: 20 and 31 days, median 25.5 days;
# - waiting now: 2, 25 and 40 days, 1 urgent, longest 40 days, 2 longer than 21 days.


def test_page_shows_the_figures_worked_out_by_hand(a_season: Site) -> None:
    response = Client().get("/waiting/")
    assert response.status_code == 200
    html = response.content.decode()
    words = text(html)
    assert f"<title>How long are people waiting? {DASH} Living Well</title>" in html
    assert "Over the last 90 days" in words
    assert "From 17 March 2026 to 15 June 2026." in words
    assert "People who had a first conversation 10" in words
    assert "Median wait (half waited less, half more) 17.5 days" in words
    assert "9 in 10 people were met within 30 days" in words
    assert "Met within our target of 21 days 6 of 10 people (60%)" in words
    assert "Met within 28 days (4 weeks) 8 of 10 people (80%)" in words
    assert "Median wait from introduction to a second contact 25.5 days" in words
    assert "People waiting for a first conversation 3" in words
    assert "Of them, urgent 1" in words
    assert "Longest wait so far 40 days" in words
    assert "Waiting longer than our target of 21 days 2" in words
    # How each figure is worked out, in plain words.
    assert "How we work these out" in words
    assert "The median is the middle wait" in words
    assert "the 90th percentile" in words
    assert "Introduced on a Monday and met on the Wednesday is 2 days" in words
    assert '<a href="/waiting.json">' in html


def test_open_data_gives_the_same_figures(a_season: Site) -> None:
    response = Client().get("/waiting.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data == {
        "network": "Lambeth",
        "network_slug": "lambeth",
        "generated_at": NOW.astimezone(dt.UTC).isoformat(),
        "window_days": 90,
        "window_start": "2026-03-17",
        "window_end": "2026-06-15",
        "first_conversations": 10,
        "median_days_to_first_conversation": 17.5,
        "p90_days_to_first_conversation": 30,
        "target_days": 21,
        "share_met_within_target": 0.6,
        "share_met_within_28_days": 0.8,
        "second_contacts": 2,
        "median_days_to_second_contact": 25.5,
        "waiting_now": 3,
        "urgent_waiting_now": 1,
        "longest_wait_now_days": 40,
        "waiting_longer_than_target_now": 2,
    }


def test_no_names_ever(a_season: Site) -> None:
    client = Client()
    for path in ("/waiting/", "/waiting.json"):
        body = client.get(path).content.decode()
        for name in [*NAMES, "Farthingale"]:
            assert name not in body, f"{name} appears on {path}"


def test_before_anyone_has_been_met(site: Site, frozen: None) -> None:
    html = Client().get("/waiting/").content.decode()
    words = text(html)
    assert "No first conversations yet in the last 90 days, so there are no waiting times to show" in words
    assert "Our target is to meet everyone within 21 days" in words
    assert "Nobody is waiting for a first conversation right now" in words
    assert not re.search(r"met within \d", words)
    data = json.loads(Client().get("/waiting.json").content)
    assert data["first_conversations"] == 0
    assert data["median_days_to_first_conversation"] is None
    assert data["p90_days_to_first_conversation"] is None
    assert data["share_met_within_target"] is None
    assert data["share_met_within_28_days"] is None
    assert data["median_days_to_second_contact"] is None
    assert data["longest_wait_now_days"] is None
    assert data["waiting_now"] == 0


def test_waiting_but_nobody_met_yet(site: Site, frozen: None) -> None:
    waiting(site, 1, days=9, urgent=True)
    words = text(Client().get("/waiting/").content.decode())
    assert "No first conversations yet" in words
    assert "People waiting for a first conversation 1" in words
    assert "Of them, urgent 1" in words
    assert "Longest wait so far 9 days" in words
    assert "Zebedee" not in words


def test_one_met_on_the_day_they_were_introduced(site: Site, frozen: None) -> None:
    met(site, 1, days_ago=3, waited=0)
    words = text(Client().get("/waiting/").content.decode())
    assert "Median wait (half waited less, half more) 0 days" in words
    assert "Met within our target of 21 days 1 of 1 person (100%)" in words
    assert "Median wait from introduction to a second contact" not in words


def test_several_networks_choose_one(site: Site, frozen: None) -> None:
    bristol = Site.objects.create(name="Bristol", slug="bristol")
    met(bristol, 1, days_ago=3, waited=12)
    client = Client()
    html = client.get("/waiting/").content.decode()
    assert '<a href="/waiting/?site=bristol">Bristol</a>' in html
    assert '<a href="/waiting/?site=lambeth">Lambeth</a>' in html
    words = text(client.get("/waiting/?site=bristol").content.decode())
    assert "Bristol Living Well" in words and "Median wait (half waited less, half more) 12 days" in words
    assert client.get("/waiting/?site=nowhere").status_code == 404
    response = client.get("/waiting.json")
    assert response.status_code == 400
    assert json.loads(response.content)["networks"] == [
        {"network": "Bristol", "network_slug": "bristol"},
        {"network": "Lambeth", "network_slug": "lambeth"},
    ]
    assert json.loads(client.get("/waiting.json?site=bristol").content)["median_days_to_first_conversation"] == 12
    assert client.get("/waiting.json?site=nowhere").status_code == 404
