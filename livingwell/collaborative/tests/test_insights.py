"""The insights a prototype can move: their live values against hand-made data (aggregates only),
and what each says where nothing is worked out yet."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.collaborative import insights
from livingwell.collaborative.models import Insight
from livingwell.community.models import Connection, ConnectionStage, ConnectionStep, Gap, Origin, Service
from livingwell.network.models import Site
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=LONDON)


def _met(cast: Cast, site: Site, *, days_ago: int, waited: int) -> None:
    """An introduction whose first conversation was `days_ago` days ago, after `waited` days."""
    first = timezone.now() - dt.timedelta(days=days_ago)
    Introduction.objects.create(
        person=cast.person,
        site=site,
        source=Source.SELF,
        introduced_at=first - dt.timedelta(days=waited),
        state=IntroductionState.MET,
        first_conversation_at=first,
    )


def _gap(site: Site, days_ago: int) -> None:
    made = Gap.objects.create(site=site, need="Somewhere to talk at night")
    Gap.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))


def _offer(site: Site, name: str) -> Service:
    return Service.objects.create(
        id=f"offer-{name}", site=site, document={"id": name, "name": name}, hash=name, origin=Origin.STAFF, name=name
    )


def _connection(cast: Cast, service: Service, steps: list[tuple[str, int]]) -> None:
    """A connection that moved to each (stage, days ago)."""
    connection = Connection.objects.create(
        person=cast.person, service=service, stage=steps[-1][0] if steps else "suggested"
    )
    for stage, days_ago in steps:
        ConnectionStep.objects.create(
            connection=connection, stage=stage, at=timezone.now() - dt.timedelta(days=days_ago)
        )


@time_machine.travel(NOW, tick=False)
def test_the_wait_is_the_median_of_the_public_waiting_figures(cast: Cast) -> None:
    Introduction.objects.all().delete()
    for days_ago, waited in ((1, 3), (10, 14), (20, 21), (89, 40), (91, 2)):
        _met(cast, cast.site, days_ago=days_ago, waited=waited)
    value = insights.live_value(cast.site, Insight.WAIT_TO_FIRST_CONVERSATION)
    # In the last 90 days: waits 3, 14, 21, 40 (the one 91 days ago is left out); median (14 + 21) / 2 = 17.5.
    assert value is not None
    assert value.number == 17.5
    assert value.text == "17.5 days (median)"
    assert value.detail == "The middle wait of the 4 first conversations in the last 90 days."


@time_machine.travel(NOW, tick=False)
def test_an_odd_number_of_waits_and_none_at_all(cast: Cast) -> None:
    Introduction.objects.all().delete()
    assert insights.live_value(cast.site, Insight.WAIT_TO_FIRST_CONVERSATION).text == "No first conversations yet"  # type: ignore[union-attr]
    for waited in (1, 9, 30):
        _met(cast, cast.site, days_ago=5, waited=waited)
    value = insights.live_value(cast.site, Insight.WAIT_TO_FIRST_CONVERSATION)
    # Waits 1, 9, 30: the middle one is 9.
    assert value is not None and value.text == "9 days (median)" and value.number == 9


@time_machine.travel(NOW, tick=False)
def test_gaps_are_counted_over_90_days_for_the_site_only(cast: Cast) -> None:
    other = Site.objects.create(name="Southwark", slug="southwark")
    for days_ago in (1, 2, 30, 60, 89, 89):
        _gap(cast.site, days_ago)
    _gap(cast.site, 91)  # too long ago
    _gap(other, 3)  # another site
    value = insights.live_value(cast.site, Insight.GAPS)
    # 1, 2, 30, 60, 89, 89 days ago: 6 gaps in the window.
    assert value is not None and (value.text, value.number) == ("6", 6.0)


@time_machine.travel(NOW, tick=False)
def test_small_counts_are_not_shown(cast: Cast) -> None:
    for days_ago in (1, 2, 3):
        _gap(cast.site, days_ago)
    value = insights.live_value(cast.site, Insight.GAPS)
    # 3 gaps: from 1 to 4 is shown as "fewer than 5", so that a small number cannot point at anyone.
    assert value is not None and (value.text, value.number) == ("fewer than 5", None)
    Gap.objects.all().delete()
    zero = insights.live_value(cast.site, Insight.GAPS)
    assert zero is not None and zero.text == "0"


@time_machine.travel(NOW, tick=False)
def test_connections_that_went_well_in_the_last_90_days(cast: Cast) -> None:
    walking = _offer(cast.site, "walking")
    cafe = _offer(cast.site, "cafe")
    elsewhere = _offer(Site.objects.create(name="Southwark", slug="southwark"), "far")
    # Counted: went 10 days ago; went then still going (one connection, counted once); still going 80 days ago;
    # went on two offers; and one more that went 5 days ago: 6 connections.
    _connection(cast, walking, [("suggested", 20), ("went", 10)])
    _connection(cast, walking, [("suggested", 50), ("went", 40), ("still_going", 20)])
    _connection(cast, cafe, [("went", 100), ("still_going", 80)])
    _connection(cast, cafe, [("went", 30)])
    _connection(cast, walking, [("went", 31)])
    _connection(cast, cafe, [("went", 5)])
    # Not counted: went only before the window; only suggested; did not suit; another site.
    _connection(cast, walking, [("went", 95)])
    _connection(cast, walking, [("suggested", 3)])
    Connection.objects.create(person=cast.person, service=cafe, stage=ConnectionStage.DID_NOT_SUIT, why_not="Too loud")
    _connection(cast, elsewhere, [("went", 3)])
    value = insights.live_value(cast.site, Insight.COMMUNITY_CONNECTIONS)
    assert value is not None and (value.text, value.number) == ("6", 6.0)


def test_insights_not_worked_out_here_say_so(cast: Cast) -> None:
    for insight in Insight:
        about = insights.about(insight)
        assert about.description and about.label == insight.label
    assert insights.live_value(cast.site, Insight.DIALOG_IMPROVEMENT) is None
    rows = insights.rows(cast.site, [Insight.EXPERIENCE, Insight.GAPS, "unknown"])
    # In the order of Insight; unknown values are left out.
    assert [r.about.insight for r in rows] == [Insight.GAPS, Insight.EXPERIENCE]
    assert rows[1].value_text == "Not measured here yet: record it as a figure on the prototype."
    assert insights.about(Insight.WAIT_TO_FIRST_CONVERSATION).where_href == "/waiting/"
    assert insights.about(Insight.GAPS).where_href == "/community/picture/"
    assert insights.about(Insight.EXPERIENCE).where_href == ""
