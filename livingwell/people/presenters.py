"""Display of people's records: summary-list rows for each part the viewer may read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.audit.policy import RecordAccess
from livingwell.core import presenters as fmt
from livingwell.people.ecomap import ecomap_svg
from livingwell.people.ecomap import ordered as ecomap_order
from livingwell.people.invitations import OnlineStatus
from livingwell.people.models import Connection, Person, Relationship
from livingwell.people.selectors import PersonRecord, SupportNow


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
    ("record", "Record", "Your record", Part.IDENTITY, "people:record"),
    ("plan", "Living Well plan", "Your Living Well plan", Part.PLAN, "plans:view"),
    ("contacts", "Contacts and notes", "Contacts and notes", Part.NOTES, "contacts:list"),
    ("measures", "Measures", "How things are going", Part.MEASURES, "measures:overview"),
    ("support", "Support", "Your support", Part.SUPPORT, "person_support:overview"),
    ("connections", "Community offers", "Your community offers", Part.NETWORK, "connections:list"),
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
                "text": "Who has looked at your record",
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


_STORY_LABELS = (
    ("what_brought_me_here", "What has brought me here"),
    ("going_well", "What is going well"),
    ("hard", "What is hard"),
    ("would_like_to_achieve", "What I would like to achieve"),
    ("who_can_help", "Who can help"),
)
_OWN_STORY_LABELS = (
    ("what_brought_me_here", "What has brought you here"),
    ("going_well", "What is going well"),
    ("hard", "What is hard"),
    ("would_like_to_achieve", "What you would like to achieve"),
    ("who_can_help", "Who can help"),
)


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
                "About you" if own else "About me",
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
        labels = _OWN_STORY_LABELS if own else _STORY_LABELS
        sections.append(
            Section(
                "Your story" if own else "My story",
                [(label, fmt.or_not_given(getattr(story, name, ""))) for name, label in labels],
                change(Part.STORY),
                part=Part.STORY.value,
                multiline={label for _, label in labels},
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
        network = network_context(person, record.relationships, own=own, can_change=access.can_change(Part.NETWORK))
    head = record_header(person, access, own=own, current="record", title="Your record" if own else person.display_name)
    if own:
        head = replace(head, caption=person.display_name)
    return {
        "person": person,
        "own": own,
        "title": "Your record" if own else person.display_name,
        "record_head": head,
        "sections": sections,
        "network": network,
        "online": online_context(person, record.online) if record.online is not None and not own else None,
        "support": [support_now_context(s) for s in record.support] if own else [],
        "cards": own_cards(person, access) if own else [],
        "basis": access.basis.label if access.basis and not own else None,
        "break_glass": access.basis == Basis.BREAK_GLASS,
        "sharing_href": reverse("people:sharing", args=[person.pk]) if access.can_read(Part.SHARING) else None,
        "sharing_count": sum(1 for c in record.consents if c.withdrawn_at is None),
        "access_log_href": reverse("people:my_access_log") if own else None,
    }


_CONNECTION_WORDS: dict[str, str] = {
    Connection.STRONG: "Strong",
    Connection.SOME: "Some",
    Connection.STRAINED: "Strained or stressful",
}


def network_context(
    person: Person, relationships: list[Relationship], *, own: bool, can_change: bool
) -> dict[str, Any]:
    """The network: the ecomap, and the table that is its alternative (and holds the change links)."""
    return {
        "ecomap": ecomap_svg(relationships, centre_name=person.display_name, own=own),
        "rows": [
            {
                "name": r.name,
                "kind": r.get_kind_display(),
                "part": r.part_they_play,
                "contact": r.contact,
                "connection": _CONNECTION_WORDS.get(r.connection, r.get_connection_display()),
                "involved": _yes_no(r.wants_involved),
                "change_href": reverse("people:change_relationship", args=[person.pk, r.pk]) if can_change else None,
                "remove_href": reverse("people:remove_relationship", args=[person.pk, r.pk]) if can_change else None,
            }
            for r in ecomap_order(relationships)
        ],
        "add_href": reverse("people:add_relationship", args=[person.pk]) if can_change else None,
    }


def online_context(person: Person, status: OnlineStatus) -> dict[str, Any]:
    """For their team and worker: whether the person reads their record online, and the invitation."""
    first = person.preferred_name or person.given_name
    rows: list[tuple[str, str]] = []
    if status.invited_at is not None:
        invited = fmt.date(status.invited_at)
        if status.times_sent > 1 and status.last_sent_at is not None:
            invited += f" (sent again on {fmt.date(status.last_sent_at)})"
        rows.append(("Invited on", invited))
    if status.has_sign_in:
        rows.append(("Signs in with", status.email))
        rows.append(("Has signed in", _yes_no(status.signed_in)))
    if not status.has_sign_in:
        link_text = f"Invite {first} to read their record online"
    elif status.may_send_again:
        link_text = "Send the invitation again"
    else:
        link_text = ""
    return {
        "rows": rows,
        "summary": "" if status.has_sign_in else f"{first} has not been invited to read their record online yet.",
        "failed": status.last_failed,
        "password_set": status.password_set,
        "invite_text": link_text,
        "invite_href": reverse("people:invite", args=[person.pk]) if link_text else None,
    }


def support_now_context(support: SupportNow) -> dict[str, Any]:
    if support.worker:
        worker = f"{support.worker}, {support.worker_role.lower()}" if support.worker_role else support.worker
    else:
        worker = "Your team is finding a worker for you" + (
            f". You asked for: {support.wanted_kind[0].lower()}{support.wanted_kind[1:]}" if support.wanted_kind else ""
        )
    return {
        "team": support.team,
        "since": fmt.date(support.since),
        "worker": worker,
        "change_asked": f"You asked for a different worker on {fmt.date(support.change_asked_at)}. "
        "Your team will talk with you about it."
        if support.change_asked_at
        else "",
    }


def own_cards(person: Person, access: RecordAccess) -> list[dict[str, str]]:
    """The start of the person's own record: a card for each thing they can read or do."""
    cards = [
        (
            "Your story",
            "What has brought you here, what is going well and what is hard, in your own words. You can change it.",
            "#story",
            Part.STORY,
        ),
        (
            "Your Living Well plan",
            "Your goals, what you and others will do, and your safety plan. You can add to it.",
            reverse("plans:view", args=[person.pk]),
            Part.PLAN,
        ),
        (
            "Contacts and notes",
            "When you met or talked with your team, and what was written.",
            reverse("contacts:list", args=[person.pk]),
            Part.NOTES,
        ),
        (
            "Your support",
            "Your team and your worker. You can ask for a different worker.",
            reverse("person_support:overview", args=[person.pk]),
            Part.SUPPORT,
        ),
        (
            "Your network",
            "The people who matter to you, with a map of your network. You can add people.",
            "#network",
            Part.NETWORK,
        ),
        (
            "Sharing",
            "Choose which partner organisations may read your record. Stopping takes effect at once.",
            reverse("people:sharing", args=[person.pk]),
            Part.SHARING,
        ),
        (
            "Who has looked at your record",
            "Everyone who has looked at or changed your record, and why they could.",
            reverse("people:my_access_log"),
            Part.ACCESS_LOG,
        ),
    ]
    shown = [{"heading": h, "description": d, "href": href} for h, d, href, part in cards if access.can_read(part)]
    shown.append(
        {
            "heading": "Your account",
            "description": "Your email address, and two-step sign-in if you want it.",
            "href": reverse("accounts:account"),
        }
    )
    return shown


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
