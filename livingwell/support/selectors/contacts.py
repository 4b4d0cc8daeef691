"""Reads of contacts and notes: one person's timeline, scoped to who is reading and always audited.

The person reads every note about them except those withheld with a reason: for those the selector
hands on only that a note exists, when and by whom it was written, and why it is withheld, never its
text or the staff's words about it. Staff who may read notes see everything, with the withholding
marked.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Prefetch, Q, Value

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess, current_memberships
from livingwell.network.models import SUPPORT_ROLES, Membership, Role
from livingwell.people.models import Person
from livingwell.people.selectors import person_part
from livingwell.support.models import Allocation, Contact, Note, SupportPeriod

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

PAGE_SIZE = 25


def leads_a_team_supporting(user: User, person: Person) -> bool:
    """Whether `user` is a team leader of a team that supports `person` now."""
    team_ids = {m.team_id for m in current_memberships(user) if m.role == Role.TEAM_LEADER and m.team_id}
    if not team_ids:
        return False
    return SupportPeriod.objects.filter(person=person, ended_at__isnull=True, team_id__in=team_ids).exists()


def may_manage_withholding(user: User, note: Note, *, leads_team: bool) -> bool:
    """Only the note's author, whoever withheld it, or a team leader of the person's team may withhold or release it."""
    return leads_team or (user.pk is not None and user.pk in (note.author_id, note.withheld_by_id))


@dataclass(frozen=True)
class NoteRef:
    """A note that another note corrects: enough to name it."""

    id: uuid.UUID
    written_at: dt.datetime
    author_name: str


@dataclass
class NoteView:
    """One note as this reader may see it. `text` is None when the note is withheld from the reader."""

    id: uuid.UUID
    written_at: dt.datetime
    author_name: str
    text: str | None
    withheld_because: str
    # Only for staff: their words on why, who withheld it, and when to look again.
    withheld_reason: str = ""
    withheld_by_name: str = ""
    withheld_review_on: dt.date | None = None
    corrects: NoteRef | None = None
    corrections: list[NoteView] = field(default_factory=list)
    may_correct: bool = False
    may_manage_withholding: bool = False

    @property
    def withheld(self) -> bool:
        return bool(self.withheld_because)


@dataclass
class ContactView:
    id: uuid.UUID
    occurred_at: dt.datetime
    mode: str
    mode_label: str
    status: str
    status_label: str
    place: str
    duration_minutes: int | None
    workers: list[str]
    others: str
    recorded_by_name: str
    notes: list[NoteView]


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: a contact (with its notes), or a note written on its own."""

    at: dt.datetime
    contact: ContactView | None = None
    note: NoteView | None = None


@dataclass(frozen=True)
class ContactsPage:
    person: Person
    access: RecordAccess
    own: bool
    page: Page[Any]
    entries: list[Entry]
    may_write: bool


def _note_view(
    note: Note, *, user: User, own: bool, may_write: bool, leads_team: bool, nested: bool = False
) -> NoteView:
    hidden = own and note.withheld
    corrections: list[NoteView] = []
    if not nested:
        corrections = [
            _note_view(c, user=user, own=own, may_write=may_write, leads_team=leads_team, nested=True)
            for c in note.corrections.all()
        ]
    corrects = note.corrects
    return NoteView(
        id=note.pk,
        written_at=note.written_at,
        author_name=note.author_name,
        text=None if hidden else note.text,
        withheld_because=note.withheld_because,
        withheld_reason="" if own else note.withheld_reason,
        withheld_by_name="" if own or note.withheld_by is None else note.withheld_by.name,
        withheld_review_on=None if own else note.withheld_review_on,
        corrects=NoteRef(corrects.pk, corrects.written_at, corrects.author_name) if corrects else None,
        corrections=corrections,
        may_correct=may_write,
        may_manage_withholding=may_write and may_manage_withholding(user, note, leads_team=leads_team),
    )


def _notes_queryset() -> Any:
    return Note.objects.select_related("corrects", "withheld_by").prefetch_related(
        Prefetch("corrections", queryset=Note.objects.select_related("corrects", "withheld_by").order_by("written_at"))
    )


def contacts_page(*, user: User, person_id: uuid.UUID | str, request: HttpRequest, page: int | str = 1) -> ContactsPage:
    """The person's contacts and notes, newest first, a page at a time (audited as a look at the notes).

    Refused and audited by `person_part` for anyone who may not read notes. The number of queries
    does not grow with the number of contacts or notes on the page.
    """
    found = person_part(user=user, person_id=person_id, part=Part.NOTES, shown=request.method == "GET", request=request)
    person, access = found.person, found.access
    own = person.user_id is not None and person.user_id == user.pk
    may_write = not own and access.can_change(Part.NOTES)
    leads_team = may_write and leads_a_team_supporting(user, person)

    text = CharField()
    contacts = (
        Contact.objects.filter(person=person)
        .annotate(at=F("occurred_at"), kind=Value("contact", output_field=text))
        .values("id", "at", "kind")
        .order_by()
    )
    notes = (
        Note.objects.filter(person=person, contact__isnull=True)
        .annotate(at=F("written_at"), kind=Value("note", output_field=text))
        .values("id", "at", "kind")
        .order_by()
    )
    timeline = contacts.union(notes, all=True).order_by("-at", "-id")
    result = Paginator(timeline, PAGE_SIZE).get_page(page)
    rows = list(result.object_list)
    contact_ids = [r["id"] for r in rows if r["kind"] == "contact"]
    note_ids = [r["id"] for r in rows if r["kind"] == "note"]
    contact_rows: dict[Any, Contact] = {}
    if contact_ids:
        contact_rows = {
            c.pk: c
            for c in Contact.objects.filter(pk__in=contact_ids)
            .select_related("recorded_by")
            .prefetch_related(
                Prefetch("workers"),
                Prefetch("notes", queryset=_notes_queryset().order_by("written_at")),
            )
        }
    note_rows: dict[Any, Note] = {}
    if note_ids:
        note_rows = {n.pk: n for n in _notes_queryset().filter(pk__in=note_ids)}

    def view_note(note: Note) -> NoteView:
        return _note_view(note, user=user, own=own, may_write=may_write, leads_team=leads_team)

    entries: list[Entry] = []
    for row in rows:
        if row["kind"] == "contact" and row["id"] in contact_rows:
            c = contact_rows[row["id"]]
            entries.append(
                Entry(
                    at=c.occurred_at,
                    contact=ContactView(
                        id=c.pk,
                        occurred_at=c.occurred_at,
                        mode=c.mode,
                        mode_label=c.get_mode_display(),
                        status=c.status,
                        status_label=c.get_status_display(),
                        place=c.place,
                        duration_minutes=c.duration_minutes,
                        workers=sorted(w.name for w in c.workers.all()),
                        others=c.others,
                        recorded_by_name=c.recorded_by.name if c.recorded_by else "",
                        notes=[view_note(n) for n in c.notes.all()],
                    ),
                )
            )
        elif row["kind"] == "note" and row["id"] in note_rows:
            n = note_rows[row["id"]]
            entries.append(Entry(at=n.written_at, note=view_note(n)))
    return ContactsPage(person=person, access=access, own=own, page=result, entries=entries, may_write=may_write)


@dataclass(frozen=True)
class NoteForChange:
    person: Person
    access: RecordAccess
    note: Note
    may_manage_withholding: bool


def note_for_change(
    *,
    user: User,
    person_id: uuid.UUID | str,
    note_id: uuid.UUID | str,
    request: HttpRequest,
    manage_withholding: bool = False,
) -> NoteForChange:
    """A note of the person, for a page that corrects, withholds or shows it (needs the right to change notes).

    With `manage_withholding`, also refused (and audited) unless the user wrote the note, withheld it,
    or leads a team supporting the person. Raises Person.DoesNotExist or Note.DoesNotExist when either
    is unknown (or the note is about someone else).
    """
    found = person_part(user=user, person_id=person_id, part=Part.NOTES, change=True, shown=False, request=request)
    note = Note.objects.select_related("corrects", "withheld_by").get(pk=note_id, person=found.person)
    allowed = may_manage_withholding(user, note, leads_team=leads_a_team_supporting(user, found.person))
    if manage_withholding and not allowed:
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE,
            person_id=found.person.pk,
            parts=[Part.NOTES],
            reason="Only the author of a note or a team leader may withhold or show it",
            request=request,
            message="Only the person who wrote this note, or a team leader, can choose whether it is shown.",
        )
    if request.method == "GET":
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=found.person.pk,
            parts=[Part.NOTES],
            basis=found.access.basis_for(Part.NOTES, change=True),
            detail={"note": str(note.pk)},
            request=request,
        )
    return NoteForChange(person=found.person, access=found.access, note=note, may_manage_withholding=allowed)


@dataclass(frozen=True)
class WorkerChoice:
    user: User
    label: str


def contact_worker_choices(*, user: User, person: Person) -> list[WorkerChoice]:
    """Who can be named as taking part in a contact: the workers of the person's teams, their allocated
    workers, and the one recording it. All are current support-role staff of the person's site."""
    team_ids = SupportPeriod.objects.filter(person=person, ended_at__isnull=True).values("team_id")
    allocated = Allocation.objects.filter(
        support_period__person=person, support_period__ended_at__isnull=True, ended_at__isnull=True
    ).values("worker_id")
    memberships = (
        Membership.objects.current()
        .filter(site_id=person.site_id, role__in=SUPPORT_ROLES)
        .filter(Q(team_id__in=team_ids) | Q(user_id__in=allocated) | Q(user_id=user.pk))
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    roles: dict[Any, list[str]] = {}
    users: dict[Any, User] = {}
    for m in memberships:
        users.setdefault(m.user_id, m.user)
        label = m.get_role_display()
        if label not in roles.setdefault(m.user_id, []):
            roles[m.user_id].append(label)
    return [
        WorkerChoice(u, f"{u.name} ({', '.join(roles[pk])}{', you' if pk == user.pk else ''})")
        for pk, u in users.items()
    ]
