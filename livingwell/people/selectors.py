"""Reads of people's records, always scoped by the access policy and always audited."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from livingwell.audit import services as audit
from livingwell.audit.models import Action, AuditEvent, Basis, Part
from livingwell.audit.policy import RecordAccess, access_to, may_break_glass, roles_of
from livingwell.audit.selectors import access_log_for_person
from livingwell.network.models import SUPPORT_ROLES, Membership, Role
from livingwell.people.invitations import OnlineStatus, may_invite, online_status
from livingwell.people.models import JoinedRecord, Person, Relationship, SharingConsent, Story
from livingwell.people.nhs_number import normalise_nhs_number

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

PAGE_SIZE = 25
LIST_PARTS = (Part.IDENTITY, Part.CONTACT)
# The parts the record's first page shows; the plan, notes and support have pages of their own.
RECORD_PAGE_PARTS = frozenset(
    {Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.EQUITY, Part.STORY, Part.NETWORK, Part.SHARING}
)  # a list shows name, date of birth, NHS number and postcode
_POSTCODE_START = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9][A-Z]{0,2})?$")

SEARCH_ROLES = SUPPORT_ROLES | {Role.HUB_COORDINATOR}


def may_search_people(user: User | AnonymousUser) -> bool:
    return bool(roles_of(user) & SEARCH_ROLES)


def _search_filter(query: str) -> Q:
    query = query.strip()
    digits = normalise_nhs_number(query)
    if digits.isdigit() and len(digits) == 10:
        return Q(nhs_number=digits)
    upper = query.upper()
    if _POSTCODE_START.match(upper) and any(ch.isdigit() for ch in upper):
        return Q(postcode__startswith=upper)
    condition = Q()
    for term in query.split():
        condition &= (
            Q(given_name__istartswith=term) | Q(family_name__istartswith=term) | Q(preferred_name__istartswith=term)
        )
    return condition


def person_search(
    *, user: User, query: str = "", page: int | str = 1, request: HttpRequest | None = None
) -> Page[Person]:
    """People the user may see, matching a name, NHS number or postcode. Audits each one shown."""
    if not may_search_people(user):
        raise audit.refuse(
            actor=user,
            action=Action.SEARCH if query else Action.LIST,
            reason="Role does not work with people's records",
            request=request,
            message="Your role does not include looking at people's records.",
        )
    people: QuerySet[Person] = Person.objects.visible_to(user)
    if query.strip():
        people = people.filter(_search_filter(query))
    paginator = Paginator(people.order_by("family_name", "given_name", "id"), PAGE_SIZE)
    result = paginator.get_page(page)
    audit.record_many(
        actor=user,
        action=Action.SEARCH if query else Action.LIST,
        people=[(p.pk, None) for p in result.object_list],
        parts=LIST_PARTS,
        detail={"query": query[:100]} if query else {},
        request=request,
    )
    return result


@dataclass(frozen=True)
class SupportNow:
    """One open period of support, as the person sees it on their own record: the team and the worker."""

    team: str
    since: dt.datetime
    worker: str | None  # None while the team is choosing a worker with them
    worker_role: str
    wanted_kind: str  # what they asked for, in words ("" for no preference)
    change_asked_at: dt.datetime | None  # an open request for a different worker


@dataclass
class PersonRecord:
    """One person's record, holding only the parts the viewer may read."""

    person: Person
    access: RecordAccess
    story: Story | None = None
    relationships: list[Relationship] = field(default_factory=list)
    consents: list[SharingConsent] = field(default_factory=list)
    # The front door: each introduction with its waiting clock (with the story: it is part of their journey).
    introductions: list[Any] = field(default_factory=list)
    # Asked for with `with_support`: the open periods of support, each with its team and worker.
    support: list[SupportNow] = field(default_factory=list)
    # For the people who may invite the person to read their record online (their team or worker).
    online: OnlineStatus | None = None


def support_now(person: Person) -> list[SupportNow]:
    """The person's open periods of support with team and current worker (the caller checks and audits SUPPORT)."""
    from livingwell.support.models import (
        Allocation,
        ChangeRequestStatus,
        SupportPeriod,
        WorkerChangeRequest,
        WorkerKind,
    )

    periods = list(
        SupportPeriod.objects.filter(person=person, ended_at__isnull=True).select_related("team").order_by("started_at")
    )
    if not periods:
        return []
    allocations = {
        a.support_period_id: a
        for a in Allocation.objects.filter(support_period__in=periods, ended_at__isnull=True).select_related("worker")
    }
    roles: dict[Any, str] = {}
    for membership in (
        Membership.objects.current()
        .filter(user_id__in=[a.worker_id for a in allocations.values()], role__in=SUPPORT_ROLES)
        .order_by("started_on", "pk")
    ):
        roles.setdefault(membership.user_id, membership.get_role_display())
    asked: dict[Any, dt.datetime] = {}
    for request_row in WorkerChangeRequest.objects.filter(
        support_period__in=periods, status=ChangeRequestStatus.OPEN
    ).order_by("asked_at"):
        asked.setdefault(request_row.support_period_id, request_row.asked_at)
    result = []
    for period in periods:
        allocation = allocations.get(period.pk)
        result.append(
            SupportNow(
                team=period.team.name,
                since=period.started_at,
                worker=allocation.worker.name if allocation else None,
                worker_role=roles.get(allocation.worker_id, "") if allocation else "",
                wanted_kind=""
                if period.wanted_kind == WorkerKind.NO_PREFERENCE
                else WorkerKind(period.wanted_kind).label,
                change_asked_at=asked.get(period.pk),
            )
        )
    return result


def _get_person(person_id: uuid.UUID | str) -> Person | None:
    try:
        return Person.objects.select_related("site", "locality", "user").get(pk=person_id)
    except (Person.DoesNotExist, ValueError):
        return None


def person_record(
    *,
    user: User,
    person_id: uuid.UUID | str,
    request: HttpRequest | None = None,
    with_support: bool = False,
) -> PersonRecord:
    """The parts of one record that `user` may read; refused (and audited) when there are none.

    `with_support` adds the open periods of support (team and worker) when the viewer may read that
    part, as the person's own record shows them; the one audit event then names it too.
    """
    person = _get_person(person_id)
    if person is None:
        raise Person.DoesNotExist(f"No person {person_id}")
    access = access_to(user, person)
    readable = access.readable
    if not readable:
        raise audit.refuse(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            reason="No legitimate relationship to this person",
            request=request,
            message="You do not have a reason to see this person's record, such as supporting them or their agreement to share.",
        )
    record = PersonRecord(person=person, access=access)
    if Part.STORY in readable:
        from livingwell.access.selectors import person_introductions

        record.story = Story.objects.filter(person=person).first()
        record.introductions = person_introductions(person)
    if Part.NETWORK in readable:
        record.relationships = list(person.relationships.all())
    if Part.SHARING in readable:
        record.consents = list(person.sharing_consents.select_related("organisation").order_by("-given_at"))
    shown_parts = [p for p in readable if p in RECORD_PAGE_PARTS]
    if with_support and Part.SUPPORT in readable:
        record.support = support_now(person)
        shown_parts.append(Part.SUPPORT)
    if may_invite(access):
        record.online = online_status(person)
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        parts=shown_parts,
        basis=access.basis,
        request=request,
    )
    return record


@dataclass(frozen=True)
class PersonPart:
    """One person and what the caller may do, for a page that works on a single part of the record."""

    person: Person
    access: RecordAccess


def person_part(
    *,
    user: User,
    person_id: uuid.UUID | str,
    part: Part,
    change: bool = False,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> PersonPart:
    """Check that `user` may read (or, with `change`, change) one part; audit the view when it is `shown`.

    Unlike `person_record`, this loads and records only the part the page is about, so that a form to
    add someone to the network does not appear in the person's access log as a look at everything.
    """
    person = _get_person(person_id)
    if person is None:
        raise Person.DoesNotExist(f"No person {person_id}")
    access = access_to(user, person)
    allowed = access.can_change(part) if change else access.can_read(part)
    if not allowed:
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE if change else Action.VIEW,
            person_id=person.pk,
            parts=[part],
            reason="No legitimate relationship to this part of the record",
            request=request,
            message=f"You cannot {'change' if change else 'see'} {part.label} for this person.",
        )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[part],
            basis=access.basis_for(part, change=change),
            request=request,
        )
    return PersonPart(person=person, access=access)


def person_to_invite(
    *, user: User, person_id: uuid.UUID | str, shown: bool = True, request: HttpRequest | None = None
) -> PersonPart:
    """The person, for the page where their team or worker invites them to read their record online.

    The page shows their email address, so a look at it is recorded as a look at their contact details.
    """
    person = _get_person(person_id)
    if person is None:
        raise Person.DoesNotExist(f"No person {person_id}")
    access = access_to(user, person)
    if not may_invite(access):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.CONTACT],
            reason="Only the person's team or allocated worker may invite them to their record",
            request=request,
            message="Only the team or worker who supports this person can invite them to read their record online.",
        )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=person.pk,
            parts=[Part.CONTACT],
            basis=access.basis_for(Part.CONTACT, change=True),
            detail={"page": "invite to read their record"},
            request=request,
        )
    return PersonPart(person=person, access=access)


def own_access_log(*, user: User, request: HttpRequest | None = None, limit: int = 200) -> list[AuditEvent]:
    """The signed-in person's own access log, newest first (looking at it is itself recorded)."""
    person = own_person(user)
    if person is None:
        return []
    person_part(user=user, person_id=person.pk, part=Part.ACCESS_LOG, request=request)
    joined = list(JoinedRecord.objects.filter(person=person).values_list("former_person_id", flat=True))
    return list(access_log_for_person(person.pk, joined=joined)[:limit])


def own_person(user: User | AnonymousUser) -> Person | None:
    """The person record that belongs to a signed-in person, if any."""
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


@dataclass(frozen=True)
class EmergencyMatch:
    person_id: uuid.UUID
    name: str
    date_of_birth: dt.date | None


def emergency_lookup(
    *,
    user: User,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: dt.date | None = None,
    request: HttpRequest | None = None,
) -> list[EmergencyMatch]:
    """Find a person by exact identifiers so that a named role can ask for emergency access.

    Shows only name and date of birth. Needs the NHS number, or the full name and date of birth,
    so that it cannot be used to browse.
    """
    if not may_break_glass(user):
        raise audit.refuse(
            actor=user,
            action=Action.SEARCH,
            reason="Role may not use emergency access",
            request=request,
            message="Your role cannot use emergency access.",
        )
    if nhs_number:
        people = Person.objects.filter(nhs_number=normalise_nhs_number(nhs_number))
    elif given_name and family_name and date_of_birth:
        people = Person.objects.filter(
            given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip(), date_of_birth=date_of_birth
        )
    else:
        return []
    matches = [EmergencyMatch(p.pk, p.display_name, p.date_of_birth) for p in people[:5]]
    audit.record_many(
        actor=user,
        action=Action.SEARCH,
        people=[(m.person_id, Basis.BREAK_GLASS) for m in matches],
        parts=[Part.IDENTITY],
        detail={"search": "emergency access"},
        request=request,
    )
    return matches


def emergency_candidate(*, user: User, person_id: uuid.UUID | str, request: HttpRequest | None = None) -> Person:
    """The person a named role is asking emergency access to: name and date of birth only, audited."""
    if not may_break_glass(user):
        raise audit.refuse(
            actor=user,
            action=Action.BREAK_GLASS,
            person_id=uuid.UUID(str(person_id)),
            reason="Role may not use emergency access",
            request=request,
            message="Your role cannot use emergency access.",
        )
    person = _get_person(person_id)
    if person is None:
        raise Person.DoesNotExist(f"No person {person_id}")
    audit.record(
        actor=user,
        action=Action.VIEW,
        person_id=person.pk,
        parts=[Part.IDENTITY],
        detail={"page": "emergency access reason"},
        request=request,
    )
    return person
