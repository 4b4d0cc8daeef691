"""Reads of a person's measures, scoped by the access policy (Part.MEASURES) and audited."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from livingwell.audit.models import Part
from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.people.selectors import PersonPart, person_part

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.people.models import Person

MEASURES = Part.MEASURES


def measures_part(
    *,
    user: User,
    person_id: uuid.UUID | str,
    change: bool = False,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> PersonPart:
    """The person, for a page about their measures: refused and audited when not allowed, the look recorded when shown.

    Raises Person.DoesNotExist for an unknown id (views turn it into a 404).
    """
    return person_part(user=user, person_id=person_id, part=MEASURES, change=change, shown=shown, request=request)


def measure_of(person: Person, measure_id: uuid.UUID | str) -> Measure:
    """One of this person's measures (read only after the policy allowed it); Measure.DoesNotExist otherwise."""
    return Measure.objects.get(person=person, pk=measure_id)


def finished(person: Person, instrument: str | None = None) -> QuerySet[Measure]:
    """The person's finished measures, oldest first."""
    found = Measure.objects.filter(person=person, status=MeasureStatus.COMPLETE)
    if instrument is not None:
        found = found.filter(instrument=instrument)
    return found.order_by("instrument", "completed_at")


def drafts(person: Person) -> QuerySet[Measure]:
    """Measures the person started and has not finished, most recent first."""
    return Measure.objects.filter(person=person, status=MeasureStatus.DRAFT).order_by("-started_at")
