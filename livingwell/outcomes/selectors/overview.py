"""Reads for the pages that show a person's measures: the overview over time, and one finished measure.

Both go through `measures_part` (Part.MEASURES: the person, their team and their allocated worker),
which refuses and audits anyone else. The overview reads a fixed number of rows whatever the length
of the person's history: their finished measures in one query (with who completed them), their
drafts in another, and the site's settings for reliable change once.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess
from livingwell.outcomes.models import Measure, MeasureSettings
from livingwell.outcomes.selectors import drafts, finished, measures_part
from livingwell.support.models import PlanAction

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.network.models import Site
    from livingwell.people.models import Person


@dataclass(frozen=True)
class MeasuresOverview:
    """One person's measures: the finished ones by instrument (oldest first), and those not finished."""

    person: Person
    access: RecordAccess
    own: bool
    finished: dict[str, list[Measure]]
    drafts: list[Measure]

    @property
    def site(self) -> Site:
        return self.person.site

    @property
    def may_change(self) -> bool:
        return self.access.can_change(Part.MEASURES)

    def history(self) -> list[Measure]:
        """Every finished measure, newest first."""
        every = [m for measures in self.finished.values() for m in measures]
        return sorted(every, key=lambda m: m.completed_at or m.started_at, reverse=True)


def _read_settings(site: Site) -> None:
    """Read the site's settings once: Django keeps them (or that there are none) on the site for the page."""
    with contextlib.suppress(MeasureSettings.DoesNotExist):
        site.measure_settings  # noqa: B018


def measures_overview(
    *, user: User, person_id: uuid.UUID | str, request: HttpRequest | None = None
) -> MeasuresOverview:
    """The person's measures for the overview page; the look is audited (Person.DoesNotExist if no such person)."""
    part = measures_part(user=user, person_id=person_id, shown=True, request=request)
    person = part.person
    by_instrument: dict[str, list[Measure]] = {}
    for measure in finished(person).select_related("completed_by", "started_by"):
        by_instrument.setdefault(measure.instrument, []).append(measure)
    _read_settings(person.site)
    return MeasuresOverview(
        person=person,
        access=part.access,
        own=person.user_id is not None and person.user_id == user.pk,
        finished=by_instrument,
        drafts=list(drafts(person)),
    )


@dataclass(frozen=True)
class MeasureDetail:
    """One measure of the person's, and the plan actions its DIALOG+ conversation became (if the viewer may read the plan)."""

    person: Person
    access: RecordAccess
    own: bool
    measure: Measure
    actions: dict[str, PlanAction] = field(default_factory=dict)
    plan_readable: bool = False

    @property
    def site(self) -> Site:
        return self.person.site


def measure_detail(
    *, user: User, person_id: uuid.UUID | str, measure_id: uuid.UUID | str, request: HttpRequest | None = None
) -> MeasureDetail:
    """One measure; a finished one's look is audited (a draft is not shown: the page sends you to the overview).

    Raises Person.DoesNotExist or Measure.DoesNotExist for an unknown id.
    """
    part = measures_part(user=user, person_id=person_id, shown=False, request=request)
    person, access = part.person, part.access
    measure = Measure.objects.select_related("completed_by", "started_by").get(person=person, pk=measure_id)
    own = person.user_id is not None and person.user_id == user.pk
    if measure.is_draft:
        return MeasureDetail(person=person, access=access, own=own, measure=measure)
    action_ids = [str(a) for topic in measure.topics or [] for a in topic.get("actions", []) or []]
    plan_readable = access.can_read(Part.PLAN)
    actions: dict[str, PlanAction] = {}
    if action_ids and plan_readable:
        valid = []
        for value in action_ids:
            try:
                valid.append(uuid.UUID(value))
            except ValueError:
                continue
        actions = {str(a.pk): a for a in PlanAction.objects.filter(pk__in=valid, plan__person=person)}
    parts = [Part.MEASURES, Part.PLAN] if actions else [Part.MEASURES]
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        parts=parts,
        basis=access.basis_for(Part.MEASURES),
        detail={"measure": str(measure.pk)},
        request=request,
    )
    return MeasureDetail(
        person=person, access=access, own=own, measure=measure, actions=actions, plan_readable=plan_readable
    )
