"""Connections between a person and community offers, their follow-ups, and the needs no offer met.

A connection is part of the person's network (`Part.NETWORK`): their team, their allocated worker
and the person themself make and move connections; staff of an organisation the person shares with
(and emergency access) only read them. Each connection moves through stages, with a step recorded
for every move (who, when, their words):

    suggested → introduced → went → still going
         ↘           ↘          ↘         ↘
                      did not suit (with why) → tried again (suggested or introduced)

A person has at most one open connection (any stage but "did not suit") to each offer. While a
connection is open, its follow-up date puts it on the worker's list of follow-ups due.

Gaps are needs that no offer met, summed up for the Collaborative; a gap about a person is part of
their network and goes through the same access check.

Services are keyword-only, atomic and audited in the same transaction; selectors are scoped to what
the caller may see and audit each read.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import RecordAccess, access_to, current_memberships, people_by_basis_q
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality, Site
from livingwell.people.models import Person
from livingwell.people.selectors import person_part

from .models import Connection, ConnectionStage, ConnectionStep, Curation, Gap, Service, ServiceStatus, TaxonomyTerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

Stage = ConnectionStage

# Where a connection may go from each stage.
MOVES: dict[str, tuple[str, ...]] = {
    Stage.SUGGESTED: (Stage.INTRODUCED, Stage.WENT, Stage.DID_NOT_SUIT),
    Stage.INTRODUCED: (Stage.WENT, Stage.DID_NOT_SUIT),
    Stage.WENT: (Stage.STILL_GOING, Stage.DID_NOT_SUIT),
    Stage.STILL_GOING: (Stage.DID_NOT_SUIT,),
    Stage.DID_NOT_SUIT: (Stage.SUGGESTED, Stage.INTRODUCED),
}
# How a connection starts: staff suggest an offer or introduce the person; the person says they would
# like to try it, or that they have been.
STAFF_STARTS = (Stage.SUGGESTED, Stage.INTRODUCED)
OWN_STARTS = (Stage.SUGGESTED, Stage.WENT)
# Only someone else introduces a person to an offer.
NOT_BY_SELF = frozenset({Stage.INTRODUCED})
OPEN_STAGES = (Stage.SUGGESTED, Stage.INTRODUCED, Stage.WENT, Stage.STILL_GOING)
# After these a connection needs no follow-up unless someone sets one.
SETTLED = frozenset({Stage.STILL_GOING, Stage.DID_NOT_SUIT})
FOLLOW_UP_AFTER = dt.timedelta(weeks=2)
FOLLOW_UP_WITHIN = dt.timedelta(days=365)
DUE_WITHIN = dt.timedelta(days=7)
MAX_TEXT = 2000
CONFLICT_LABELS = {"stage": "Stage", "why_not": "Why it did not suit", "follow_up_on": "Next follow-up"}


class Default(enum.Enum):
    """The follow-up date was not given: two weeks for staff, none for the person themself."""

    FOLLOW_UP = "default"


DEFAULT_FOLLOW_UP = Default.FOLLOW_UP


class AlreadyConnected(DomainError):
    """The person already has an open connection to this offer."""

    def __init__(self, connection: Connection, *, own: bool) -> None:
        whose = "You are" if own else f"{connection.person.display_name} is"
        super().__init__(
            "already_connected",
            f"{whose} already connected to {connection.service.name} "
            f"({Stage(connection.stage).label.lower()}): update that connection instead",
            field=None,
        )
        self.connection = connection


# --- Writes --------------------------------------------------------------------------------------


def _is_own(actor: User, person: Person) -> bool:
    return person.user_id is not None and person.user_id == actor.pk


def _require_network_change(actor: User, person: Person, action: Action, request: HttpRequest | None) -> RecordAccess:
    access = access_to(actor, person)
    if not access.can_change(Part.NETWORK):
        raise audit.refuse(
            actor=actor,
            action=action,
            person_id=person.pk,
            parts=[Part.NETWORK],
            reason="No legitimate relationship to change this person's network",
            request=request,
            message="You cannot change the community offers of this person.",
        )
    return access


def _text(value: str, *, label: str, field_name: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise DomainError("too_long", f"{label} must be {MAX_TEXT} characters or fewer", field=field_name)
    return text


def _check_follow_up(value: dt.date | None, today: dt.date) -> None:
    if value is None:
        return
    if value < today:
        raise DomainError("follow_up_past", "Follow-up date must be today or in the future", field="follow_up_on")
    if value > today + FOLLOW_UP_WITHIN:
        raise DomainError("follow_up_far", "Follow-up date must be within a year", field="follow_up_on")


def _open_connection(person: Person, service_id: str, *, excluding: uuid.UUID | None = None) -> Connection | None:
    rows = Connection.objects.filter(person=person, service_id=service_id, stage__in=OPEN_STAGES).select_related(
        "service", "person"
    )
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return rows.order_by("-created_at").first()


def listed_offer(*, site: Site, service_id: str) -> Service | None:
    """An offer in the site's directory that people can be connected to (not suggested, withdrawn or closed for good)."""
    return (
        Service.objects.filter(pk=service_id, site=site, curation=Curation.PUBLISHED)
        .exclude(status=ServiceStatus.DEFUNCT)
        .select_related("organization")
        .first()
    )


def connect(
    *,
    actor: User,
    person_id: uuid.UUID,
    service_id: str,
    stage: str,
    note: str = "",
    follow_up_on: dt.date | Default | None = DEFAULT_FOLLOW_UP,
    request: HttpRequest | None = None,
) -> Connection:
    """Connect a person to an offer in the directory; the first step is recorded with it.

    Staff suggest an offer or introduce the person to it; the person themself says they would like to
    try it (suggested) or that they have been (went). Without a follow-up date, staff get one in two
    weeks. Raises AlreadyConnected when an open connection to the offer is there already.
    """
    person = Person.objects.select_related("site").filter(pk=person_id).first()
    if person is None:
        raise Person.DoesNotExist(f"No person {person_id}")
    access = _require_network_change(actor, person, Action.CREATE, request)
    own = _is_own(actor, person)
    starts = OWN_STARTS if own else STAFF_STARTS
    if stage not in starts:
        allowed = " or ".join(Stage(s).label.lower() for s in starts)
        raise DomainError("stage_not_allowed", f"Choose {allowed}", field="stage")
    service = listed_offer(site=person.site, service_id=service_id)
    if service is None:
        raise DomainError("offer_not_listed", "This offer is not in the directory", field=None)
    note = _text(note, label="Note", field_name="note")
    today = timezone.localdate()
    if isinstance(follow_up_on, Default):
        follow_up_on = None if own else today + FOLLOW_UP_AFTER
    _check_follow_up(follow_up_on, today)
    with transaction.atomic():
        # One open connection per offer: lock the person so that two saves at once cannot both pass.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        existing = _open_connection(person, service.pk)
        if existing is not None:
            raise AlreadyConnected(existing, own=own)
        now = timezone.now()
        connection = Connection.objects.create(
            person=person,
            service=service,
            stage=stage,
            note=note,
            follow_up_on=follow_up_on,
            made_by=actor,
        )
        ConnectionStep.objects.create(connection=connection, stage=stage, at=now, by=actor, note=note)
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.NETWORK],
            basis=access.basis_for(Part.NETWORK, change=True),
            detail={"connection": str(connection.pk), "offer": service.pk, "stage": stage},
            request=request,
        )
    return connection


def moves_from(stage: str, *, own: bool) -> tuple[str, ...]:
    """The stages a connection may move to from `stage` (the person does not introduce themself)."""
    return tuple(s for s in MOVES.get(stage, ()) if not (own and s in NOT_BY_SELF))


def connection_move(
    *,
    actor: User,
    connection_id: uuid.UUID,
    stage: str,
    note: str = "",
    why_not: str = "",
    follow_up_on: dt.date | Default | None = DEFAULT_FOLLOW_UP,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Connection:
    """Move a connection on a stage, with a step recording who, when and their note.

    "Did not suit" needs to say why. A settled connection (still going, or did not suit) has no
    follow-up unless one is given; an open one gets one in two weeks from staff when none is given.
    Raises EditConflict (nothing saved) when someone moved it after `expected_version`.
    """
    connection = Connection.objects.select_related("person__site", "service").filter(pk=connection_id).first()
    if connection is None:
        raise Connection.DoesNotExist(f"No connection {connection_id}")
    person = connection.person
    access = _require_network_change(actor, person, Action.CHANGE, request)
    own = _is_own(actor, person)
    allowed = moves_from(connection.stage, own=own)
    if stage not in allowed:
        current = Stage(connection.stage).label.lower()
        choices = " or ".join(Stage(s).label.lower() for s in allowed)
        raise DomainError(
            "stage_not_allowed",
            f"From {current}, choose {choices}" if choices else f"A connection cannot move on from {current}",
            field="stage",
        )
    note = _text(note, label="Note", field_name="note")
    why_not = _text(why_not, label="Why it did not suit", field_name="why_not")
    if stage == Stage.DID_NOT_SUIT and not why_not:
        raise DomainError("why_not_required", "Say why it did not suit", field="why_not")
    if stage != Stage.DID_NOT_SUIT:
        why_not = ""
    today = timezone.localdate()
    if isinstance(follow_up_on, Default):
        follow_up_on = None if stage in SETTLED or own else today + FOLLOW_UP_AFTER
    _check_follow_up(follow_up_on, today)
    before = connection.stage
    with transaction.atomic():
        if stage in OPEN_STAGES and before not in OPEN_STAGES:
            Person.objects.select_for_update().filter(pk=person.pk).first()
            other = _open_connection(person, connection.service_id, excluding=connection.pk)
            if other is not None:
                raise AlreadyConnected(other, own=own)
        save_if_unchanged(
            connection,
            expected_version=expected_version,
            values={"stage": stage, "why_not": why_not, "follow_up_on": follow_up_on},
            what=f"the connection to {connection.service.name}",
            labels=CONFLICT_LABELS,
        )
        ConnectionStep.objects.create(
            connection=connection,
            stage=stage,
            at=timezone.now(),
            by=actor,
            note=note or (why_not if stage == Stage.DID_NOT_SUIT else ""),
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NETWORK],
            basis=access.basis_for(Part.NETWORK, change=True),
            detail={
                "connection": str(connection.pk),
                "offer": connection.service_id,
                "from": before,
                "stage": stage,
                "version": connection.version,
            },
            request=request,
        )
    return connection


def _works_at(actor: User, site: Site) -> bool:
    return any(m.site_id == site.pk for m in current_memberships(actor))


def staff_site_of(actor: User | AnonymousUser) -> Site | None:
    """The site where `actor` is on the staff (the first, for someone on several), or None."""
    membership = next(iter(current_memberships(actor)), None)  # type: ignore[arg-type]
    return membership.site if membership is not None else None


def refuse_gap(*, actor: User | AnonymousUser, request: HttpRequest | None = None) -> audit.AccessRefused:
    """The refusal (audited) for someone not on any site's staff who tries to record a need without a person."""
    return audit.refuse(
        actor=actor,
        action=Action.CREATE,
        reason="Not a member of the staff of any site",
        request=request,
        message="Only the staff of this Living Well network can record a need that no offer met.",
    )


def gap_record(
    *,
    actor: User,
    site: Site,
    need: str,
    term: str | None = None,
    locality: uuid.UUID | str | None = None,
    person_id: uuid.UUID | None = None,
    request: HttpRequest | None = None,
) -> Gap:
    """Record a need that no offer met. About a person, it is part of their network (checked and
    audited); without one, any member of the site's staff may record it. The locality defaults to
    the person's."""
    person: Person | None = None
    access: RecordAccess | None = None
    if person_id is not None:
        person = Person.objects.select_related("site").filter(pk=person_id).first()
        if person is None:
            raise Person.DoesNotExist(f"No person {person_id}")
        access = _require_network_change(actor, person, Action.CREATE, request)
        site = person.site
    elif not _works_at(actor, site):
        raise audit.refuse(
            actor=actor,
            action=Action.CREATE,
            reason=f"Not a member of the staff of {site.name}",
            request=request,
            message="Only the staff of this Living Well network can record a need that no offer met.",
        )
    need = _text(need, label="What was needed", field_name="need")
    if not need:
        raise DomainError("need_required", "Say what was needed", field="need")
    term_row: TaxonomyTerm | None = None
    if term:
        term_row = TaxonomyTerm.objects.filter(pk=term).first()
        if term_row is None:
            raise DomainError("unknown_category", "Choose a category from the list", field="term")
    locality_row: Locality | None = None
    if locality:
        try:
            locality_row = Locality.objects.filter(pk=locality, site=site).first()
        except (ValueError, ValidationError):  # a malformed id
            locality_row = None
        if locality_row is None:
            raise DomainError("unknown_locality", "Choose a locality from the list", field="locality")
    elif person is not None and person.locality_id is not None:
        locality_row = Locality.objects.filter(pk=person.locality_id).first()
    with transaction.atomic():
        gap = Gap.objects.create(
            site=site, person=person, locality=locality_row, term=term_row, need=need, recorded_by=actor
        )
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk if person is not None else None,
            parts=[Part.NETWORK] if person is not None else [],
            basis=access.basis_for(Part.NETWORK, change=True) if access is not None else None,
            detail={"gap": str(gap.pk), "category": term_row.pk if term_row else ""},
            request=request,
        )
    return gap


# --- Reads ---------------------------------------------------------------------------------------


@dataclass
class PersonConnections:
    """One person's connections to offers, newest first, each with its steps."""

    person: Person
    access: RecordAccess
    connections: list[Connection] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)


def _with_steps(rows: Any) -> Any:
    return rows.select_related("service__organization", "made_by").prefetch_related(
        Prefetch("steps", queryset=ConnectionStep.objects.select_related("by").order_by("at", "pk"))
    )


def person_connections(*, user: User, person_id: uuid.UUID, request: HttpRequest | None = None) -> PersonConnections:
    """The person's connections for their record (refused and audited when the caller may not read
    their network; the look is audited as a view of NETWORK)."""
    found = person_part(user=user, person_id=person_id, part=Part.NETWORK, shown=True, request=request)
    rows = _with_steps(Connection.objects.filter(person=found.person)).order_by("-updated_at", "-created_at")
    gaps = Gap.objects.filter(person=found.person).select_related("term").order_by("-created_at")
    return PersonConnections(person=found.person, access=found.access, connections=list(rows), gaps=list(gaps))


def open_connection_to(person: Person, service_id: str) -> Connection | None:
    """The person's open connection to an offer, for a page that has already checked and audited access."""
    return _open_connection(person, service_id)


def locality_choices(site: Site) -> list[tuple[str, str]]:
    return [
        (str(pk), name) for pk, name in Locality.objects.filter(site=site).order_by("name").values_list("pk", "name")
    ]


@dataclass(frozen=True)
class ConnectionForChange:
    person: Person
    access: RecordAccess
    connection: Connection


def connection_for_change(
    *,
    user: User,
    person_id: uuid.UUID,
    connection_id: uuid.UUID,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> ConnectionForChange:
    """One of the person's connections, for the page that moves it on (needs NETWORK change)."""
    found = person_part(user=user, person_id=person_id, part=Part.NETWORK, change=True, shown=shown, request=request)
    connection = _with_steps(Connection.objects.filter(person=found.person, pk=connection_id)).first()
    if connection is None:
        raise Connection.DoesNotExist(f"No connection {connection_id}")
    return ConnectionForChange(person=found.person, access=found.access, connection=connection)


def person_for_network_change(
    *, user: User, person_id: uuid.UUID, shown: bool = True, request: HttpRequest | None = None
) -> Any:
    """The person, for a page that adds to their network (refused and audited when not allowed)."""
    return person_part(user=user, person_id=person_id, part=Part.NETWORK, change=True, shown=shown, request=request)


@dataclass(frozen=True)
class OfferForPerson:
    """What an offer's page shows about one person: their connection to it, and whether the viewer may connect them."""

    person: Person
    own: bool
    connection: Connection | None
    may_connect: bool


def offer_for_person(
    *, user: User, person_id: uuid.UUID, service: Service, request: HttpRequest | None = None
) -> OfferForPerson:
    """The person's open (else latest) connection to an offer; reading it is a look at their network."""
    found = person_part(user=user, person_id=person_id, part=Part.NETWORK, shown=True, request=request)
    rows = Connection.objects.filter(person=found.person, service=service)
    connection = (
        rows.filter(stage__in=OPEN_STAGES).order_by("-created_at").first() or rows.order_by("-updated_at").first()
    )
    return OfferForPerson(
        person=found.person,
        own=_is_own(user, found.person),
        connection=connection,
        may_connect=found.access.can_change(Part.NETWORK),
    )


@dataclass(frozen=True)
class FollowUp:
    connection: Connection
    due: dt.date
    overdue: bool


@dataclass(frozen=True)
class FollowUps:
    items: list[FollowUp]
    total: int
    overdue: int


FOLLOW_UPS_SHOWN = 50


def _supported_people_q(user: User) -> tuple[Q, Q]:
    """People the user supports (their team in an open support period, or allocated to them), and those
    allocated to them; consent, the front door and emergency access do not put anyone on this list."""
    supported = people_by_basis_q(user, frozenset({Basis.TEAM, Basis.ALLOCATED}))
    allocated = people_by_basis_q(user, frozenset({Basis.ALLOCATED}))
    return supported, allocated


def follow_ups_due(
    *,
    user: User | AnonymousUser,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
    whole_team: bool = False,
) -> FollowUps:
    """Open connections with a follow-up on or before a week from today, overdue first: of the people
    allocated to the user and the connections they made for people their team supports, or (for a team
    leader, `whole_team`) of everyone their team supports. Listing them is a look at those people's
    networks: each one shown is audited."""
    if not user.is_authenticated:
        return FollowUps(items=[], total=0, overdue=0)
    today = today or timezone.localdate()
    supported, allocated = _supported_people_q(user)  # type: ignore[arg-type]
    people = Person.objects.filter(supported)
    due = Connection.objects.filter(
        person__in=people, stage__in=OPEN_STAGES, follow_up_on__isnull=False, follow_up_on__lte=today + DUE_WITHIN
    )
    if not whole_team:
        due = due.filter(Q(person__in=Person.objects.filter(allocated)) | Q(made_by=user))
    rows = list(
        due.select_related("person", "service").order_by("follow_up_on", "person__family_name", "pk")[
            : FOLLOW_UPS_SHOWN + 1
        ]
    )
    total = len(rows) if len(rows) <= FOLLOW_UPS_SHOWN else due.count()
    rows = rows[:FOLLOW_UPS_SHOWN]
    overdue = sum(1 for c in rows if c.follow_up_on is not None and c.follow_up_on < today)
    if total > FOLLOW_UPS_SHOWN:
        overdue = due.filter(follow_up_on__lt=today).count()
    person_ids = list(dict.fromkeys(c.person_id for c in rows))
    mine = (
        set(Person.objects.filter(allocated, pk__in=person_ids).values_list("pk", flat=True)) if person_ids else set()
    )
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(pid, Basis.ALLOCATED if pid in mine else Basis.TEAM) for pid in person_ids],
        parts=[Part.IDENTITY, Part.NETWORK],  # their names, and their connections
        detail={"list": "follow-ups due"},
        request=request,
    )
    items = [
        FollowUp(connection=c, due=c.follow_up_on, overdue=c.follow_up_on < today)
        for c in rows
        if c.follow_up_on is not None
    ]
    return FollowUps(items=items, total=total, overdue=overdue)
