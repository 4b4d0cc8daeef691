"""Formatting for display, as the NHS service manual writes dates, times and numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from livingwell.people.nhs_number import format_nhs_number


def date(value: dt.date | dt.datetime | None, empty: str = "Not known") -> str:
    """'22 November 2026'."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def time(value: dt.datetime) -> str:
    """'9am', '3:05pm', 'midday' (GOV.UK style)."""
    local = timezone.localtime(value)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def datetime(value: dt.datetime | None, empty: str = "Not known") -> str:
    """'22 November 2026 at 3:05pm'."""
    if value is None:
        return empty
    return f"{date(value)} at {time(value)}"


def nhs_number(value: str | None) -> str:
    return format_nhs_number(value) if value else "Not known"


def days(value: int | None) -> str:
    if value is None:
        return "Not known"
    return "1 day" if value == 1 else f"{value} days"


def or_not_given(value: Any, empty: str = "Not given") -> Any:
    return value if value not in (None, "") else empty


JINJA_FILTERS: dict[str, Callable[..., Any]] = {
    "date": date,
    "datetime": datetime,
    "time": time,
    "nhs_number": nhs_number,
    "days": days,
    "or_not_given": or_not_given,
}
