"""The waiting clock against cases worked out by hand."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from livingwell.access import clock
from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.access.selectors import introduction_clock, waiting_figures
from livingwell.conftest import Cast
from livingwell.network.models import Site
from livingwell.people.models import Person

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_wait_counts_calendar_days_in_the_site_time_zone() -> None:
    monday_late = dt.datetime(2026, 3, 2, 23, 30, tzinfo=LONDON)
    wednesday_early = dt.datetime(2026, 3, 4, 8, 0, tzinfo=LONDON)
    assert clock.wait_days(monday_late, wednesday_early) == 2
    assert clock.wait_days(monday_late, monday_late + dt.timedelta(minutes=10)) == 0


def test_a_wait_across_the_clocks_going_forward_is_still_whole_days() -> None:
    # British Summer Time began on 29 March 2026: that day has 23 hours, and is still one day.
    before = dt.datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)
    after = dt.datetime(2026, 3, 30, 9, 0, tzinfo=LONDON)
    assert clock.wait_days(before, after) == 2


def test_a_wait_stored_in_utc_is_counted_in_london_days() -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): introduced on 1 July.
    introduced = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    met = dt.datetime(2026, 7, 1, 10, 0, tzinfo=LONDON)
    assert clock.wait_days(introduced, met) == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([7], 7.0), ([3, 1, 2], 2.0), ([1, 2, 3, 4], 2.5), ([10, 20, 30, 40, 50, 60], 35.0)],
)
def test_median(values: list[int], expected: float | None) -> None:
    assert clock.median(values) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([5], 5),
        # 10 values: rank ceil(0.9 * 10) = 9 -> the 9th smallest.
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 9),
        # 11 values: rank ceil(9.9) = 10 -> the 10th smallest.
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 10),
        # 20 values: rank 18.
        (list(range(1, 21)), 18),
        # Unsorted input with ties: sorted 2,2,3,3,3,9,9,14,21,40 -> rank 9 is 21.
        ([9, 3, 40, 2, 3, 21, 2, 14, 3, 9], 21),
    ],
)
def test_ninetieth_percentile_by_nearest_rank(values: list[int], expected: int | None) -> None:
    assert clock.nearest_rank(values, 90) == expected


def test_shares_within_a_number_of_days_include_the_day_itself() -> None:
    waits = [0, 10, 14, 15, 28, 29, 40, 14]
    assert clock.share_within(waits, 14) == 4 / 8
    assert clock.share_within(waits, 28) == 6 / 8
    assert clock.share_within([], 28) is None


def test_figures_from_waits_worked_by_hand() -> None:
    figures = clock.figures(
        waits=[2, 30, 14, 21, 7, 60, 18, 25, 12, 9],
        second_contact_waits=[20, 40, 31],
        open_waits=[1, 35, 20, 50],
        urgent_waiting_now=1,
        target_days=21,
        window_days=90,
        today=dt.date(2026, 11, 22),
    )
    # Sorted: 2 7 9 12 14 18 21 25 30 60 -> median (14 + 18) / 2 = 16; p90 rank 9 = 30.
    assert figures.median_days == 16.0
    assert figures.p90_days == 30
    # Within 21 days: 2 7 9 12 14 18 21 = 7 of 10; within 28: those and 25 = 8 of 10.
    assert figures.within_target_share == 0.7
    assert figures.within_28_days_share == 0.8
    assert figures.median_days_to_second_contact == 31.0
    assert (figures.waiting_now, figures.urgent_waiting_now) == (4, 1)
    assert figures.longest_wait_now_days == 50
    assert figures.waiting_beyond_target_now == 2
    assert figures.window_start == dt.date(2026, 8, 24)


def _introduction(site: Site, person: Person, introduced: dt.datetime, **fields: object) -> Introduction:
    return Introduction.objects.create(person=person, site=site, source=Source.SELF, introduced_at=introduced, **fields)


@time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=LONDON), tick=False)
def test_waiting_figures_from_the_database(cast: Cast) -> None:
    Introduction.objects.all().delete()
    now = timezone.now()
    site = cast.site
    site.target_days_to_first_conversation = 14
    site.save()

    def met(days_ago: int, waited: int, second_after: int | None = None) -> None:
        first = now - dt.timedelta(days=days_ago)
        _introduction(
            site,
            cast.person,
            first - dt.timedelta(days=waited),
            state=IntroductionState.MET,
            first_conversation_at=first,
            second_contact_at=first + dt.timedelta(days=second_after) if second_after is not None else None,
        )

    met(1, 3, second_after=10)
    met(10, 14)
    met(20, 21, second_after=5)
    met(89, 40)
    met(91, 1)  # outside the 90 days: not counted
    _introduction(site, cast.newcomer, now - dt.timedelta(days=30), state=IntroductionState.CONTACTING, urgent=True)
    _introduction(site, cast.newcomer, now - dt.timedelta(days=2), state=IntroductionState.NEW)
    _introduction(site, cast.newcomer, now - dt.timedelta(days=100), state=IntroductionState.WITHDRAWN)

    figures = waiting_figures(site=site)
    # Waits 3, 14, 21, 40: median 17.5; p90 rank ceil(3.6) = 4 -> 40; within 14: 2 of 4; within 28: 3 of 4.
    assert figures.met == 4
    assert figures.median_days == 17.5
    assert figures.p90_days == 40
    assert figures.within_target_share == 0.5
    assert figures.within_28_days_share == 0.75
    # Second contact: 3 + 10 = 13 days (1 day ago + 10 = in the future: not yet), 21 + 5 = 26 days.
    assert figures.second_contacts == 1
    assert figures.median_days_to_second_contact == 26.0
    assert (figures.waiting_now, figures.urgent_waiting_now, figures.longest_wait_now_days) == (2, 1, 30)
    assert figures.waiting_beyond_target_now == 1


@time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=LONDON), tick=False)
def test_no_first_conversations_yet_gives_no_figures(cast: Cast) -> None:
    Introduction.objects.filter(state=IntroductionState.MET).delete()
    figures = waiting_figures(site=cast.site)
    assert (figures.met, figures.median_days, figures.p90_days, figures.within_target_share) == (0, None, None, None)
    assert figures.waiting_now == 1


@time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=LONDON), tick=False)
def test_one_introduction_clock(cast: Cast) -> None:
    waiting = cast.newcomer.introductions.get()
    waiting.introduced_at = timezone.now() - dt.timedelta(days=30)
    waiting.save()
    c = introduction_clock(waiting)
    assert (c.days_waiting_so_far, c.days_to_first_conversation, c.target_days) == (30, None, 28)
    assert c.beyond_target
    met = cast.person.introductions.get()
    c = introduction_clock(met)
    assert (c.days_to_first_conversation, c.days_waiting_so_far) == (20, None)
    assert not c.beyond_target
