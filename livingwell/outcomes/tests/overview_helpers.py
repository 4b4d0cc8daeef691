"""Helpers for the tests of the overview, the detail page, the charts and change: measures made directly.

Measures are created with `Measure.objects.create`, scored with the one scoring routine
(`get_instrument(code).score_by_key`), so that these tests do not depend on the completion flow.
Licensed instruments get placeholder wording only (never the real licensed words).
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from typing import Any

from django.test import Client

from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.outcomes.wording import wording_load
from livingwell.people.models import Person

START = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)

DIALOG_KEYS = (
    "mental_health",
    "physical_health",
    "job_situation",
    "accommodation",
    "leisure_activities",
    "friendships",
    "partner_family",
    "personal_safety",
    "medication",
    "practical_help",
    "meetings",
)
SWEMWBS_KEYS = tuple(item.key for item in get_instrument("swemwbs").items)
REQOL_KEYS = tuple(item.key for item in get_instrument("reqol10").items)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return htmllib.unescape(response.content.decode())


def text_of(html: str) -> str:
    """The page's words with tags dropped and spaces collapsed, for assertions on sentences."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def measure(
    person: Person,
    code: str,
    answers: dict[str, Any],
    *,
    when: dt.datetime,
    occasion: str = Occasion.REVIEW,
    how: str = CompletedHow.OWN,
    by: Any = None,
    goals: dict[str, Any] | None = None,
    more_help: dict[str, bool] | None = None,
    topics: list[dict[str, Any]] | None = None,
    status: str = MeasureStatus.COMPLETE,
) -> Measure:
    instrument = get_instrument(code)
    score = instrument.score_by_key(answers) if status == MeasureStatus.COMPLETE else None
    return Measure.objects.create(
        person=person,
        instrument=code,
        instrument_version=instrument.version,
        occasion=occasion,
        how=how,
        status=status,
        started_at=when - dt.timedelta(minutes=20),
        started_by=by,
        completed_at=when if status == MeasureStatus.COMPLETE else None,
        completed_by=by if status == MeasureStatus.COMPLETE else None,
        answers=answers,
        goals=goals or {},
        more_help=more_help or {},
        topics=topics or [],
        total=score.total if score else None,
        metric=score.metric_decimal if score else None,
        subscales=score.subscales if score else {},
    )


def dialog(person: Person, values: list[int | None], *, when: dt.datetime, **kw: Any) -> Measure:
    return measure(person, "dialog", dict(zip(DIALOG_KEYS, values, strict=True)), when=when, **kw)


def swemwbs(person: Person, value: int | list[int], *, when: dt.datetime, **kw: Any) -> Measure:
    values = value if isinstance(value, list) else [value] * 7
    return measure(person, "swemwbs", dict(zip(SWEMWBS_KEYS, values, strict=True)), when=when, **kw)


def reqol_answers(total: int) -> dict[str, int]:
    """ReQoL-10 answers as given on the form (before the negatively worded items are reversed) that make `total`."""
    instrument = get_instrument("reqol10")
    answers: dict[str, int] = {}
    left = total
    for key in REQOL_KEYS:
        item = instrument.item(key)
        scored = min(item.maximum, left)
        left -= scored
        answers[key] = item.minimum + item.maximum - scored if item.reverse else scored
    assert instrument.score_by_key(answers).total == total
    return answers


def reqol(person: Person, total: int, *, when: dt.datetime, **kw: Any) -> Measure:
    """A finished ReQoL-10 with this total."""
    return measure(person, "reqol10", reqol_answers(total), when=when, **kw)


def gbo(person: Person, goals: list[tuple[str, int, str | None]], *, when: dt.datetime, **kw: Any) -> Measure:
    """Goals as (words, rating, plan goal id or None), in slot order."""
    answers = {f"goal_{i}": rating for i, (_, rating, _) in enumerate(goals, start=1)}
    words = {f"goal_{i}": {"words": w, "goal_id": g} for i, (w, _, g) in enumerate(goals, start=1)}
    return measure(person, "gbo", answers, when=when, goals=words, **kw)


def placeholder_wording(*codes: str) -> None:
    """Placeholder words for licensed instruments: never the real licensed wording."""
    for code in codes or ("swemwbs", "reqol10"):
        instrument = get_instrument(code)
        values = range(min(i.minimum for i in instrument.items), max(i.maximum for i in instrument.items) + 1)
        wording_load(
            data={
                "instrument": code,
                "version": instrument.version,
                "source": "Test placeholder",
                "title": f"Placeholder title for {code}",
                "items": {str(i.position): f"Placeholder statement {i.position}" for i in instrument.items},
                "options": {str(v): f"Placeholder response {v}" for v in values},
            }
        )
