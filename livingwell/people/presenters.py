"""Display of people's records: summary-list rows for each part the viewer may read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.audit.policy import RecordAccess
from livingwell.core import presenters as fmt
from livingwell.people.models import Person
from livingwell.people.selectors import PersonRecord


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]]
    change_href: str | None = None
    part: str = ""
    multiline: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class PersonRow:
    href: str
    name: str
    date_of_birth: str
    nhs_number: str
    postcode: str


@dataclass(frozen=True)
class RecordHeader:
    """The caption, heading and contents list at the top of each page of a record."""

    caption: str
    title: str
    nav: list[dict[str, Any]]
    nav_label: str


# The pages of a record, in order: (key, label for staff, label for the person, the part it needs, url name).
_RECORD_PAGES = (
    ("record", "Record", "My record", Part.IDENTITY, "people:record"),
    ("plan", "Living Well plan", "My Living Well plan", Part.PLAN, "plans:view"),
    ("contacts", "Contacts and notes", "Contacts and notes", Part.NOTES, "contacts:list"),
    ("support", "Support", "My support", Part.SUPPORT, "person_support:overview"),
)


def record_header(person: Person, access: RecordAccess, *, own: bool, current: str, title: str = "") -> RecordHeader:
    """Links to the parts of the record this viewer may open; `current` names the page being shown."""
    nav: list[dict[str, Any]] = []
    for key, staff_label, own_label, part, url_name in _RECORD_PAGES:
        if not access.can_read(part):
            continue
        href = reverse("people:me") if own and key == "record" else reverse(url_name, args=[person.pk])
        nav.append({"text": own_label if own else staff_label, "href": href, "current": key == current})
    if own:
        nav.append(
            {
                "text": "Who has looked at my record",
                "href": reverse("people:my_access_log"),
                "current": current == "access_log",
            }
        )
    page_title = title or next((item["text"] for item in nav if item["current"]), person.display_name)
    return RecordHeader(
        caption="Your record" if own else person.display_name,
        title=page_title,
        nav=nav,
        nav_label="Your record" if own else f"The record of {person.display_name}",
    )


def person_rows(people: Iterable[Person]) -> list[PersonRow]:
    return [
        PersonRow(
            reverse("people:record", args=[p.pk]),
            p.display_name,
            fmt.date(p.date_of_birth),
            fmt.nhs_number(p.nhs_number),
            p.postcode or "Not known",
        )
        for p in people
    ]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _contact_ways(person: Person) -> str:
    ways = [
        label
        for allowed, label in (
            (person.may_phone, "phone"),
            (person.may_text, "text message"),
            (person.may_email, "email"),
            (person.may_write, "letter"),
        )
        if allowed
    ]
    return ", ".join(ways).capitalize() if ways else "Not given"


def _address(person: Person) -> str:
    lines = [person.address_line_1, person.address_line_2, person.town, person.postcode]
    return "\n".join(line for line in lines if line) or "Not given"


def record_context(record: PersonRecord, *, own: bool) -> dict[str, Any]:
    person = record.person
    access = record.access

    def change(part: Part) -> str | None:
        if not access.can_change(part):
            return None
        return reverse("people:change_part", args=[person.pk, part.value])

    sections: list[Section] = []
    if access.can_read(Part.IDENTITY):
        sections.append(
            Section(
                "Name, date of birth and NHS number",
                [
                    ("Name", f"{person.given_name} {person.family_name}".strip()),
                    ("Date of birth", fmt.date(person.date_of_birth)),
                    ("NHS number", fmt.nhs_number(person.nhs_number)),
                ],
                change(Part.IDENTITY),
                part=Part.IDENTITY.value,
            )
        )
    if access.can_read(Part.ABOUT):
        sections.append(
            Section(
                "About me",
                [
                    ("Likes to be called", fmt.or_not_given(person.preferred_name)),
                    ("Pronouns", fmt.or_not_given(person.pronouns)),
                    ("First language", fmt.or_not_given(person.first_language)),
                    ("Interpreter needed", _yes_no(person.interpreter_needed)),
                    ("Access needs", fmt.or_not_given(person.access_needs)),
                ],
                change(Part.ABOUT),
                part=Part.ABOUT.value,
                multiline={"Access needs"},
            )
        )
    if access.can_read(Part.CONTACT):
        sections.append(
            Section(
                "Contact details",
                [
                    ("Phone", fmt.or_not_given(person.phone)),
                    ("Email", fmt.or_not_given(person.email)),
                    ("Address", _address(person)),
                    ("Ways we may contact", _contact_ways(person)),
                    ("May leave a message", _yes_no(person.may_leave_message)),
                    ("When to contact", fmt.or_not_given(person.contact_times)),
                ],
                change(Part.CONTACT),
                part=Part.CONTACT.value,
                multiline={"Address"},
            )
        )
    if access.can_read(Part.STORY):
        story = record.story
        sections.append(
            Section(
                "My story",
                [
                    ("What has brought me here", fmt.or_not_given(getattr(story, "what_brought_me_here", ""))),
                    ("What is going well", fmt.or_not_given(getattr(story, "going_well", ""))),
                    ("What is hard", fmt.or_not_given(getattr(story, "hard", ""))),
                    ("What I would like to achieve", fmt.or_not_given(getattr(story, "would_like_to_achieve", ""))),
                    ("Who can help", fmt.or_not_given(getattr(story, "who_can_help", ""))),
                ],
                change(Part.STORY),
                part=Part.STORY.value,
                multiline={
                    "What has brought me here",
                    "What is going well",
                    "What is hard",
                    "What I would like to achieve",
                    "Who can help",
                },
            )
        )
    if record.introductions:
        from livingwell.access.presenters import clock_text

        sections.append(
            Section(
                "Introductions and waiting times",
                [
                    (
                        f"{fmt.date(i.introduced_at)}, {i.get_source_display().lower()}",
                        f"{i.get_state_display()}. {clock_text(c)}",
                    )
                    for i, c in record.introductions
                ],
                part="front_door",
            )
        )
    if access.can_read(Part.EQUITY):
        sections.append(
            Section(
                "Equality monitoring",
                [
                    ("Ethnic group", fmt.or_not_given(person.get_ethnicity_display())),
                    ("Gender", fmt.or_not_given(person.gender_description or person.get_gender_display())),
                    ("Sexual orientation", fmt.or_not_given(person.get_sexual_orientation_display())),
                    ("Religion", fmt.or_not_given(person.get_religion_display())),
                    ("Disability or long-term condition", fmt.or_not_given(person.get_disability_display())),
                    ("Unpaid carer", fmt.or_not_given(person.get_unpaid_carer_display())),
                ],
                change(Part.EQUITY),
                part=Part.EQUITY.value,
            )
        )
    network = None
    if access.can_read(Part.NETWORK):
        network = {
            "rows": [
                {
                    "name": r.name,
                    "kind": r.get_kind_display(),
                    "part": r.part_they_play,
                    "contact": r.contact,
                    "involved": _yes_no(r.wants_involved),
                    "remove_href": reverse("people:remove_relationship", args=[person.pk, r.pk])
                    if access.can_change(Part.NETWORK)
                    else None,
                }
                for r in record.relationships
            ],
            "add_href": reverse("people:add_relationship", args=[person.pk])
            if access.can_change(Part.NETWORK)
            else None,
        }
    return {
        "person": person,
        "own": own,
        "title": "My record" if own else person.display_name,
        "record_head": record_header(
            person, access, own=own, current="record", title="My record" if own else person.display_name
        ),
        "sections": sections,
        "network": network,
        "basis": access.basis.label if access.basis and not own else None,
        "break_glass": access.basis == Basis.BREAK_GLASS,
        "sharing_href": reverse("people:sharing", args=[person.pk]) if access.can_read(Part.SHARING) else None,
        "sharing_count": sum(1 for c in record.consents if c.withdrawn_at is None),
        "access_log_href": reverse("people:my_access_log") if own else None,
    }


@dataclass(frozen=True)
class AccessLogRow:
    when: str
    who: str
    role: str
    organisation: str
    what: str
    why: str
    refused: bool


def _what(event: AuditEvent) -> str:
    parts = ", ".join(Part(p).label for p in event.parts if p in Part.values)
    verb = Action(event.action).label
    if event.outcome == Outcome.REFUSED:
        return f"Tried to see {parts or 'your record'} and was stopped"
    return f"{verb.capitalize()} {parts or 'your record'}"


def access_log_rows(events: Iterable[AuditEvent]) -> list[AccessLogRow]:
    return [
        AccessLogRow(
            fmt.datetime(e.occurred_at),
            e.actor_name,
            e.actor_roles or "",
            e.actor_organisation or "",
            _what(e),
            (Basis(e.basis).label if e.basis in Basis.values else "")
            + (f": {e.reason}" if e.reason and e.basis == Basis.BREAK_GLASS else ""),
            e.outcome == Outcome.REFUSED,
        )
        for e in events
    ]
