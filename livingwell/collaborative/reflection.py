"""Reflection rounds: the Collaborative steps back together, once in a while, to reflect on how it is doing.

Two exercises in each round:

- the **co-production self-assessment**: for each of the six principles of co-production (NEF and
  NESTA), a member says whether it was something we were great at or something we were challenged by,
  and why (or would rather not say);
- the **balcony exercise**: for each of the six pairs of statements of the relational or mechanistic
  table (`balcony.STATEMENTS`), a member places the system between the mechanistic pole (0) and the
  relational pole (10), with a note.

Stewards open rounds (`round_open`); any current member answers while the round is open, and saving
replaces all their answers to that exercise in the round (`principles_save`, `balcony_save`). Answers
are never shown with a name: results are counts, and what people wrote is quoted without names once
enough people answered (`selectors_reflection`). Every write and refusal is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access, balcony
from livingwell.collaborative.models import (
    BalconyPlacement,
    GroupKind,
    Principle,
    PrincipleRating,
    PrincipleView,
    ReflectionRound,
    Session,
)
from livingwell.core.errors import DomainError
from livingwell.network.models import Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

TITLE_MAX = 120
WHY_MAX = 2000
LONGEST_ROUND = dt.timedelta(days=366)


@dataclass(frozen=True)
class PrincipleAnswer:
    view: str  # PrincipleView
    why: str = ""


@dataclass(frozen=True)
class Placement:
    position: int  # 0 (mechanistic) to 10 (relational)
    note: str = ""


def is_open(reflection_round: ReflectionRound, today: dt.date | None = None) -> bool:
    """Whether members may answer today: from the day it opens to the day it closes, both included."""
    today = today or timezone.localdate()
    return reflection_round.opens_on <= today <= reflection_round.closes_on


def _require_open(reflection_round: ReflectionRound) -> None:
    today = timezone.localdate()
    if today < reflection_round.opens_on:
        raise DomainError(
            "round_not_open_yet",
            f"This round opens on {_date(reflection_round.opens_on)}. You can answer from then.",
        )
    if today > reflection_round.closes_on:
        raise DomainError(
            "round_closed",
            f"This round closed on {_date(reflection_round.closes_on)}, so answers can no longer be changed.",
        )


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


# ---- opening a round -----------------------------------------------------------------------------


def round_open(
    *,
    actor: User,
    site: Site,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    session: Session | None = None,
    request: HttpRequest | None = None,
) -> ReflectionRound:
    """A steward opens a round of both exercises, optionally held at a session of the whole Collaborative."""
    access.require_steward(actor, site, what="reflection round", request=request)
    title = " ".join(title.split())
    if not title:
        raise DomainError("title_missing", "Enter a name for the round", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError("title_too_long", f"The name must be {TITLE_MAX} characters or fewer", field="title")
    if closes_on < opens_on:
        raise DomainError("dates", "The closing date must be on or after the opening date", field="closes_on")
    if closes_on - opens_on > LONGEST_ROUND:
        raise DomainError("too_long", "A round can be open for a year at most", field="closes_on")
    if session is not None and (session.group.site_id != site.pk or session.group.kind != GroupKind.COLLABORATIVE):
        raise DomainError("session", "Choose a session of the whole Collaborative, or none", field="session")
    with transaction.atomic():
        if ReflectionRound.objects.select_for_update().filter(site=site, title__iexact=title).exists():
            raise DomainError("title_taken", "There is already a round with this name: choose another", field="title")
        reflection_round = ReflectionRound.objects.create(
            site=site, title=title, opens_on=opens_on, closes_on=closes_on, session=session
        )
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="reflection round",
            obj_id=reflection_round.pk,
            extra={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
            request=request,
        )
    return reflection_round


# ---- answering -----------------------------------------------------------------------------------


def principles_save(
    *,
    actor: User | AnonymousUser,
    reflection_round: ReflectionRound,
    answers: Mapping[str, PrincipleAnswer],
    request: HttpRequest | None = None,
) -> list[PrincipleRating]:
    """Replace the member's answers to the self-assessment in this round with `answers` (a principle with
    no answer is one they would rather not say about)."""
    member = access.require_member(
        actor, reflection_round.site, what="principle ratings", request=request, action=Action.CHANGE
    )
    _require_open(reflection_round)
    known = set(Principle.values)
    views = set(PrincipleView.values)
    rows: list[PrincipleRating] = []
    for principle in Principle.values:  # in the principles' own order
        answer = answers.get(principle)
        if answer is None:
            continue
        if answer.view not in views:
            raise DomainError("view", "Choose great at, challenged by or rather not say", field=f"{principle}_view")
        why = answer.why.strip()
        if len(why) > WHY_MAX:
            raise DomainError("why_too_long", f"Why must be {WHY_MAX} characters or fewer", field=f"{principle}_why")
        rows.append(
            PrincipleRating(round=reflection_round, member=member, principle=principle, view=answer.view, why=why)
        )
    unknown = set(answers) - known
    if unknown:
        raise DomainError("principle", "That is not one of the six principles")
    with transaction.atomic():
        PrincipleRating.objects.filter(round=reflection_round, member=member).delete()
        saved = PrincipleRating.objects.bulk_create(rows)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="principle ratings",
            obj_id=reflection_round.pk,
            extra={"answered": len(saved)},
            request=request,
        )
    return saved


def balcony_save(
    *,
    actor: User | AnonymousUser,
    reflection_round: ReflectionRound,
    placements: Mapping[str, Placement],
    request: HttpRequest | None = None,
) -> list[BalconyPlacement]:
    """Replace the member's placements in the balcony exercise of this round (a statement left out is
    one they skipped)."""
    member = access.require_member(
        actor, reflection_round.site, what="balcony placements", request=request, action=Action.CHANGE
    )
    _require_open(reflection_round)
    unknown = set(placements) - set(balcony.KEYS)
    if unknown:
        raise DomainError("statement", "That is not one of the statements")
    rows: list[BalconyPlacement] = []
    for key in balcony.KEYS:
        placement = placements.get(key)
        if placement is None:
            continue
        if not balcony.LOWEST <= placement.position <= balcony.HIGHEST:
            raise DomainError("position", "Choose a number from 0 to 10", field=f"{balcony.field_prefix(key)}_position")
        note = placement.note.strip()
        if len(note) > WHY_MAX:
            raise DomainError(
                "note_too_long",
                f"The note must be {WHY_MAX} characters or fewer",
                field=f"{balcony.field_prefix(key)}_note",
            )
        rows.append(
            BalconyPlacement(
                round=reflection_round, member=member, statement=key, position=placement.position, note=note
            )
        )
    with transaction.atomic():
        BalconyPlacement.objects.filter(round=reflection_round, member=member).delete()
        saved = BalconyPlacement.objects.bulk_create(rows)
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="balcony placements",
            obj_id=reflection_round.pk,
            extra={"placed": len(saved)},
            request=request,
        )
    return saved
