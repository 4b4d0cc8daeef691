"""Display of contacts and notes, worded for staff ("Alex Morgan") or for the person ("you").

The person's view of a withheld note is built from the selector's NoteView, which never carries its
text for them; this module only words what it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from livingwell.core import presenters as fmt
from livingwell.people.models import Person
from livingwell.people.presenters import RecordHeader, record_header
from livingwell.support.models import ContactStatus, WithheldBecause
from livingwell.support.selectors.contacts import ContactsPage, ContactView, NoteForChange, NoteRef, NoteView

# Why a note is withheld, as the person reads it about themself.
OWN_REASONS = {
    WithheldBecause.SOMEONE_ELSE: "It is about someone else, who has not agreed to share it.",
    WithheldBecause.SERIOUS_HARM: "Seeing it now could cause serious harm to you or someone else.",
    WithheldBecause.LEGAL: "The law says it cannot be shared yet, for example during a police investigation.",
}
ASK_ANCHOR = "asking-about-notes"


def duration(minutes: int | None) -> str:
    """'45 minutes', '1 hour', '1 hour 30 minutes'."""
    if minutes is None:
        return "Not recorded"
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append("1 hour" if hours == 1 else f"{hours} hours")
    if rest or not hours:
        parts.append("1 minute" if rest == 1 else f"{rest} minutes")
    return " ".join(parts)


def _sentence_start(text: str) -> str:
    return text[:1].lower() + text[1:]


@dataclass
class Link:
    text: str
    href: str
    hidden: str = ""


@dataclass
class NoteDisplay:
    id: str
    heading: str
    text: str | None
    corrects: str = ""
    # Staff: the tag and the details of withholding. The person: that it is not shown, and why.
    withheld_tag: str = ""
    withheld_details: list[tuple[str, str]] = field(default_factory=list)
    not_shown: str = ""
    not_shown_why: str = ""
    corrections: list[NoteDisplay] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


@dataclass
class ContactDisplay:
    id: str
    heading: str
    not_held: bool
    status: str
    rows: list[tuple[str, str]]
    notes: list[NoteDisplay]


@dataclass
class EntryDisplay:
    contact: ContactDisplay | None = None
    note: NoteDisplay | None = None


def note_display(note: NoteView, *, person: Person, own: bool, links: bool = True) -> NoteDisplay:
    name = person.display_name
    when = fmt.datetime(note.written_at)
    written = f"written on {fmt.date(note.written_at)} by {note.author_name}"
    display = NoteDisplay(
        id=f"note-{note.id}",
        heading=f"{'Correction' if note.corrects else 'Note'} by {note.author_name}, {when}",
        text=note.text,
    )
    if note.corrects:
        display.corrects = (
            f"This corrects the note written on {fmt.date(note.corrects.written_at)} by {note.corrects.author_name}."
        )
    if note.withheld:
        because = WithheldBecause(note.withheld_because)
        if own:
            display.not_shown = f"A note {written} is not shown to you."
            display.not_shown_why = OWN_REASONS[because]
        else:
            display.withheld_tag = f"Not shown to {name}: {_sentence_start(str(because.label))}"
            display.withheld_details = [
                ("Why, in their words", note.withheld_reason),
                ("Kept from them by", note.withheld_by_name or "Not known"),
                ("Look again on", fmt.date(note.withheld_review_on)),
            ]
    display.corrections = [note_display(c, person=person, own=own, links=False) for c in note.corrections]
    if links and not own:
        hidden = f" {written}"
        if note.may_correct:
            display.links.append(
                Link("Correct this note", reverse("contacts:correct", args=[person.pk, note.id]), hidden)
            )
        if note.may_manage_withholding:
            if note.withheld:
                display.links.append(
                    Link(f"Show this note to {name}", reverse("contacts:release", args=[person.pk, note.id]), hidden)
                )
            else:
                display.links.append(
                    Link(f"Keep this note from {name}", reverse("contacts:withhold", args=[person.pk, note.id]), hidden)
                )
    return display


def note_being_changed(found: NoteForChange) -> NoteDisplay:
    """The note at the top of a page that corrects, withholds or shows it (staff only: those pages need the right to write)."""
    note = found.note
    corrects = note.corrects
    view = NoteView(
        id=note.pk,
        written_at=note.written_at,
        author_name=note.author_name,
        text=note.text,
        withheld_because=note.withheld_because,
        withheld_reason=note.withheld_reason,
        withheld_by_name=note.withheld_by.name if note.withheld_by else "",
        withheld_review_on=note.withheld_review_on,
        corrects=NoteRef(corrects.pk, corrects.written_at, corrects.author_name) if corrects else None,
    )
    return note_display(view, person=found.person, own=False, links=False)


def contact_display(contact: ContactView, *, person: Person, own: bool) -> ContactDisplay:
    workers = ", ".join(contact.workers) or "Not recorded"
    not_held = contact.status == ContactStatus.NOT_HELD
    rows = [
        ("Did it take place", contact.status_label),
        *([] if not_held else [("How long", duration(contact.duration_minutes))]),
        ("Where", fmt.or_not_given(contact.place, "Not recorded")),
        ("Workers who took part", workers),
        ("Others who took part", fmt.or_not_given(contact.others, "Nobody else")),
        ("Recorded by", contact.recorded_by_name or "Not known"),
    ]
    return ContactDisplay(
        id=f"contact-{contact.id}",
        heading=f"{contact.mode_label}, {fmt.datetime(contact.occurred_at)}",
        not_held=not_held,
        status=contact.status_label,
        rows=rows,
        notes=[note_display(n, person=person, own=own) for n in contact.notes],
    )


def list_context(result: ContactsPage) -> dict[str, Any]:
    person, own = result.person, result.own
    title = "Contacts and notes about you" if own else "Contacts and notes"
    head: RecordHeader = record_header(person, result.access, own=own, current="contacts", title=title)
    entries = [
        EntryDisplay(
            contact=contact_display(e.contact, person=person, own=own) if e.contact else None,
            note=note_display(e.note, person=person, own=own) if e.note else None,
        )
        for e in result.entries
    ]
    any_withheld = any(
        n.not_shown or any(c.not_shown for c in n.corrections)
        for e in entries
        for n in ([e.note] if e.note else e.contact.notes if e.contact else [])
    )
    page = result.page
    pagination = None
    if page.has_previous() or page.has_next():
        total = page.paginator.num_pages
        pagination = {
            "previous": {
                "href": f"?page={page.previous_page_number()}",
                "labelText": f"Page {page.previous_page_number()} of {total}",
            }
            if page.has_previous()
            else None,
            "next": {
                "href": f"?page={page.next_page_number()}",
                "labelText": f"Page {page.next_page_number()} of {total}",
            }
            if page.has_next()
            else None,
        }
    return {
        "title": title,
        "record_head": head,
        "own": own,
        "name": person.display_name,
        "entries": entries,
        "total": page.paginator.count,
        "pagination": pagination,
        "ask_anchor": ASK_ANCHOR,
        "any_withheld": any_withheld,
        "record_contact_href": reverse("contacts:record", args=[person.pk]) if result.may_write else None,
        "write_note_href": reverse("contacts:write_note", args=[person.pk]) if result.may_write else None,
    }
