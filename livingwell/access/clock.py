"""The waiting clock: how long people wait from introduction to first conversation, and to second contact.

A wait is counted in whole calendar days in the site's time zone: someone introduced on a Monday
and met on the Wednesday waited 2 days, whatever the hours; met the same day is 0 days.

The figures over a window (by default the last 90 days) count everyone whose first conversation
happened in the window:
- the **median**: the middle wait (the mean of the two middle waits when there is an even number);
- the **90th percentile** by the nearest-rank method: the shortest wait within which at least 9 in
  10 people were met. It is always a wait that somebody actually had, so it reads plainly
  ("9 in 10 people were met within 31 days");
- the **share met within the site's target** and **within 28 days** (NHS England's proposed
  four-week standard), as a fraction of everyone met in the window.

Because these count only the people met, the page also shows who is waiting now and the longest
current wait, so that a long queue can never hide behind good figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

FOUR_WEEKS = 28


def wait_days(start: dt.datetime, end: dt.datetime) -> int:
    """Whole calendar days from `start` to `end`, in the current (site) time zone."""
    return (timezone.localtime(end).date() - timezone.localtime(start).date()).days


def median(values: Sequence[int]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[int], percent: float) -> int | None:
    """The smallest value that at least `percent`% of the values are at or below (nearest-rank method)."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(percent / 100 * len(ordered))
    return ordered[rank - 1]


def share_within(values: Sequence[int], days: int) -> float | None:
    if not values:
        return None
    return sum(1 for v in values if v <= days) / len(values)


@dataclass(frozen=True)
class WaitingFigures:
    """How long people waited (aggregates only, never anyone's details)."""

    window_days: int
    window_start: dt.date
    window_end: dt.date
    met: int
    median_days: float | None
    p90_days: int | None
    within_target_share: float | None
    within_28_days_share: float | None
    target_days: int
    second_contacts: int
    median_days_to_second_contact: float | None
    waiting_now: int
    urgent_waiting_now: int
    longest_wait_now_days: int | None
    waiting_beyond_target_now: int

    @property
    def days(self) -> int:
        return self.window_days


def figures(
    *,
    waits: Sequence[int],
    second_contact_waits: Sequence[int],
    open_waits: Sequence[int],
    urgent_waiting_now: int,
    target_days: int,
    window_days: int,
    today: dt.date,
) -> WaitingFigures:
    """The figures from the waits themselves: pure, so that they can be checked by hand."""
    return WaitingFigures(
        window_days=window_days,
        window_start=today - dt.timedelta(days=window_days),
        window_end=today,
        met=len(waits),
        median_days=median(waits),
        p90_days=nearest_rank(waits, 90),
        within_target_share=share_within(waits, target_days),
        within_28_days_share=share_within(waits, FOUR_WEEKS),
        target_days=target_days,
        second_contacts=len(second_contact_waits),
        median_days_to_second_contact=median(second_contact_waits),
        waiting_now=len(open_waits),
        urgent_waiting_now=urgent_waiting_now,
        longest_wait_now_days=max(open_waits) if open_waits else None,
        waiting_beyond_target_now=sum(1 for w in open_waits if w > target_days),
    )
