"""The rolling rota of open events: each month a different organisation hosts.

"Every month someone else has to go and do it, so more connections are built and we are not relying
on individuals" (seed 003). The rule, kept pure so it can be tested by hand:

- the next host is the organisation that hosted longest ago; organisations that never hosted come
  first, and ties go by name;
- never the same organisation two events running (if only one organisation could host, a month
  is left without a host rather than breaking that rule; a steward chooses one by hand).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Hashable, Sequence

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The `n`th `weekday` (0 is Monday) of the month: n is 1 to 4, or -1 for the last one.

    nth_weekday(2026, 3, 1, 2) is the second Tuesday of March 2026: 10 March.
    """
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    if n not in ORDINALS:
        raise ValueError("n must be 1, 2, 3, 4 or -1")
    days_in_month = calendar.monthrange(year, month)[1]
    if n == -1:
        last = dt.date(year, month, days_in_month)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def day_rule_text(weekday: int, n: int) -> str:
    """ "the second Tuesday of the month"."""
    return f"the {ORDINALS[n]} {WEEKDAYS[weekday]} of the month"


def month_starts(first: dt.date, months: int) -> list[dt.date]:
    """The first day of `months` months from `first`'s month on."""
    result = []
    year, month = first.year, first.month
    for _ in range(months):
        result.append(dt.date(year, month, 1))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return result


def next_hosts[K: Hashable](
    history: Sequence[tuple[dt.date, K | None]], organisations: Sequence[tuple[K, str]], months: int
) -> list[K | None]:
    """The hosts of the next `months` events, in order.

    `history` is the past and already planned events as (date, host or None), in any order;
    `organisations` the (key, name) of the organisations that may host. An organisation in the
    history that may no longer host is ignored, but it still counts as the last host.
    """
    ordered = sorted(history, key=lambda item: item[0])
    last_hosted: dict[K, int] = {}
    for index, (_, host) in enumerate(ordered):
        if host is not None:
            last_hosted[host] = index
    previous: K | None = ordered[-1][1] if ordered else None
    names = dict(organisations)
    step = len(ordered)
    chosen: list[K | None] = []
    for _ in range(months):
        candidates = sorted(
            (key for key in names if key != previous),
            key=lambda key: (key in last_hosted, last_hosted.get(key, -1), names[key]),
        )
        host = candidates[0] if candidates else None
        chosen.append(host)
        if host is not None:
            last_hosted[host] = step
        previous = host
        step += 1
    return chosen
