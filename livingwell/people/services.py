"""Writes to a person's record. Each checks the access policy and audits in the same transaction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import Organisation, Site
from livingwell.people.models import JoinedRecord, Person, Relationship, SharingConsent, Story
from livingwell.people.nhs_number import normalise_nhs_number

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

# Which fields of Person belong to which part of the record.
PART_FIELDS: dict[Part, tuple[str, ...]] = {
    Part.IDENTITY: ("given_name", "family_name", "date_of_birth", "nhs_number"),
    Part.ABOUT: ("preferred_name", "pronouns", "first_language", "interpreter_needed", "access_needs"),
    Part.CONTACT: (
        "email",
        "phone",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "may_phone",
        "may_text",
        "may_email",
        "may_write",
        "may_leave_message",
        "contact_times",
    ),
    Part.EQUITY: (
        "ethnicity",
        "gender",
        "gender_description",
        "gender_same_as_at_birth",
        "sexual_orientation",
        "religion",
        "disability",
        "unpaid_carer",
        "armed_forces_veteran",
    ),
}
STORY_FIELDS = ("what_brought_me_here", "going_well", "hard", "would_like_to_achieve", "who_can_help")
STORY_LABELS = {
    "what_brought_me_here": "What has brought you here?",
    "going_well": "What is going well?",
    "hard": "What is hard at the moment?",
    "would_like_to_achieve": "What would you like to achieve?",
    "who_can_help": "Who can help?",
}

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """'sw98ab' -> 'SW9 8AB'. Raises ValidationError when it is not a UK postcode."""
    cleaned = re.sub(r"\s+", "", value.upper())
    match = _POSTCODE.match(cleaned)
    if not match:
        raise ValidationError("Enter a full UK postcode, like SW9 8AB", code="postcode")
    return f"{match.group(1)} {match.group(2)}"


def _require_change(actor: User, person: Person, part: Part, request: HttpRequest | None) -> RecordAccess:
    access = access_to(actor, person)
    if not access.can_change(part):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[part],
            reason="No legitimate relationship to change this part",
            request=request,
            message=f"You cannot change {part.label} for this person.",
        )
    return access


def person_create(
    *,
    actor: User | None,
    site: Site,
    given_name: str,
    request: HttpRequest | None = None,
    story: dict[str, str] | None = None,
    relationships: Sequence[dict[str, Any]] = (),
    **fields: Any,
) -> Person:
    """Create a person, their (possibly empty) story and the people they say we may talk to.

    Used by the front door and imports, which check who may introduce; the caller audits.
    """
    allowed = {f for part_fields in PART_FIELDS.values() for f in part_fields} | {"locality", "user"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    if not given_name.strip():
        raise DomainError("name_missing", "Enter a first name", field="given_name")
    if fields.get("nhs_number"):
        fields["nhs_number"] = normalise_nhs_number(fields["nhs_number"])
    if fields.get("postcode"):
        fields["postcode"] = normalise_postcode(fields["postcode"])
    person = Person(site=site, given_name=given_name.strip(), **fields)
    person.full_clean(exclude=["user", "locality", "site"])
    network = [Relationship(person=person, **data) for data in relationships]
    for relationship in network:
        relationship.full_clean(exclude=["person"])
    with transaction.atomic():
        person.save()
        Story.objects.create(person=person, updated_by=actor, **(story or {}))
        Relationship.objects.bulk_create(network)
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.IDENTITY, *([Part.STORY] if story else []), *([Part.NETWORK] if network else [])],
            request=request,
        )
    return person


def person_absorb(*, actor: User, duplicate: Person, into: Person, request: HttpRequest | None = None) -> list[str]:
    """Fold a record made at the front door into the record of the person we already knew.

    Their story, network and history stay as they were: what the new introduction added is kept
    beside it (new words in the story with the date, new people in the network, contact details we
    did not have). The caller moves what it owns (introductions) first and deletes `duplicate` after.
    Returns the names of the fields of `into` that were filled in.
    """
    if duplicate.pk == into.pk or duplicate.site_id != into.site_id:
        raise DomainError("cannot_merge", "These records cannot be joined", field=None)
    if duplicate.user_id is not None:
        raise DomainError("cannot_merge", "This record has its own sign-in, so it cannot be joined", field=None)
    filled = [
        name
        for part in (Part.IDENTITY, Part.ABOUT, Part.CONTACT)
        for name in PART_FIELDS[part]
        if name != "nhs_number" and not getattr(into, name) and getattr(duplicate, name)
    ]
    if duplicate.nhs_number and not into.nhs_number:
        filled.append("nhs_number")
    for name in filled:
        setattr(into, name, getattr(duplicate, name))
    if duplicate.locality_id and not into.locality_id:
        into.locality_id = duplicate.locality_id
        filled.append("locality")
    new_story = Story.objects.filter(person=duplicate).first()
    story, _ = Story.objects.get_or_create(person=into)
    added_story = []
    if new_story is not None:
        day = timezone.localdate()
        today = f"{day.day} {day:%B %Y}"
        for name in STORY_FIELDS:
            words = getattr(new_story, name).strip()
            if words and words not in getattr(story, name):
                current = getattr(story, name).rstrip()
                setattr(story, name, f"{current}\n\n{today}: {words}" if current else words)
                added_story.append(name)
    with transaction.atomic():
        if "nhs_number" in filled:
            duplicate.nhs_number = None
            duplicate.save(update_fields=["nhs_number", "updated_at"])
        if filled:
            into.save(update_fields=[*filled, "updated_at"])
        if added_story:
            story.updated_by = actor
            story.save(update_fields=[*added_story, "updated_by", "updated_at"])
        Relationship.objects.filter(person=duplicate).update(person=into)
        JoinedRecord.objects.filter(person=duplicate).update(person=into)
        JoinedRecord.objects.create(
            person=into, former_person_id=duplicate.pk, joined_at=timezone.now(), joined_by=actor
        )
        SharingConsent.objects.filter(person=duplicate).exclude(
            organisation__in=SharingConsent.objects.current().filter(person=into).values("organisation")
        ).update(person=into)
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=into.pk,
            parts=[Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.NETWORK],
            detail={"joined_record": str(duplicate.pk), "filled": filled, "story_added": added_story},
            request=request,
        )
    return filled


def person_change(
    *, actor: User, person: Person, part: Part, data: dict[str, Any], request: HttpRequest | None = None
) -> list[str]:
    """Change the fields of one part of the record; returns the names of the fields that changed."""
    if part not in PART_FIELDS:
        raise ValueError(f"{part} is not a part held on the person")
    access = _require_change(actor, person, part, request)
    fields = PART_FIELDS[part]
    if data.get("nhs_number"):
        data["nhs_number"] = normalise_nhs_number(data["nhs_number"])
    if "nhs_number" in data and not data["nhs_number"]:
        data["nhs_number"] = None
    if data.get("postcode"):
        data["postcode"] = normalise_postcode(data["postcode"])
    changed = [f for f in fields if f in data and getattr(person, f) != data[f]]
    if not changed:
        return []
    for name in changed:
        setattr(person, name, data[name])
    if person.nhs_number and Person.objects.filter(nhs_number=person.nhs_number).exclude(pk=person.pk).exists():
        raise DomainError(
            "nhs_number_taken",
            "Another person already has this NHS number. Check it, or ask a coordinator to link the records",
            field="nhs_number",
        )
    person.full_clean(exclude=["user", "locality", "site"])
    with transaction.atomic():
        person.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[part],
            basis=access.basis_for(part, change=True),
            detail={"fields": changed},
            request=request,
        )
    return changed


def story_change(
    *,
    actor: User,
    person: Person,
    data: dict[str, str],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change *my story*; the person's words are kept exactly as typed.

    `expected_version` is the story's version when the editor opened it: if someone saved in
    between, nothing is saved and EditConflict shows both versions. Callers that do not edit from
    a form opened earlier (the first conversation) leave it out.
    """
    access = _require_change(actor, person, Part.STORY, request)
    story, _ = Story.objects.get_or_create(person=person)
    changed = [f for f in STORY_FIELDS if f in data and getattr(story, f) != data[f]]
    if not changed:
        return []
    values: dict[str, Any] = {f: data[f] for f in STORY_FIELDS if f in data}
    with transaction.atomic():
        save_if_unchanged(
            story,
            expected_version=story.version if expected_version is None else expected_version,
            values={**values, "updated_by": actor},
            what="the story",
            labels=STORY_LABELS,
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.STORY],
            basis=access.basis_for(Part.STORY, change=True),
            detail={"fields": changed, "version": story.version},
            request=request,
        )
    return changed


def relationship_add(
    *, actor: User, person: Person, data: dict[str, Any], request: HttpRequest | None = None
) -> Relationship:
    access = _require_change(actor, person, Part.NETWORK, request)
    relationship = Relationship(person=person, **data)
    relationship.full_clean()
    with transaction.atomic():
        relationship.save()
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NETWORK],
            basis=access.basis_for(Part.NETWORK, change=True),
            detail={"added": relationship.get_kind_display()},
            request=request,
        )
    return relationship


RELATIONSHIP_FIELDS = ("name", "kind", "part_they_play", "contact", "connection", "wants_involved")


def relationship_change(
    *, actor: User, relationship: Relationship, data: dict[str, Any], request: HttpRequest | None = None
) -> list[str]:
    """Change what the record says about someone in the person's network; returns the fields that changed."""
    person = relationship.person
    access = _require_change(actor, person, Part.NETWORK, request)
    changed = [f for f in RELATIONSHIP_FIELDS if f in data and getattr(relationship, f) != data[f]]
    if not changed:
        return []
    for name in changed:
        setattr(relationship, name, data[name])
    relationship.full_clean()
    with transaction.atomic():
        relationship.save(update_fields=[*changed, "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NETWORK],
            basis=access.basis_for(Part.NETWORK, change=True),
            detail={"changed": relationship.get_kind_display(), "fields": changed},
            request=request,
        )
    return changed


def relationship_remove(*, actor: User, relationship: Relationship, request: HttpRequest | None = None) -> None:
    person = relationship.person
    access = _require_change(actor, person, Part.NETWORK, request)
    with transaction.atomic():
        relationship.delete()
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NETWORK],
            basis=access.basis_for(Part.NETWORK, change=True),
            detail={"removed": relationship.get_kind_display()},
            request=request,
        )


def consent_give(
    *, actor: User, person: Person, organisation: Organisation, request: HttpRequest | None = None
) -> SharingConsent:
    """The person agrees to share their record with an organisation; takes effect at once."""
    access = _require_change(actor, person, Part.SHARING, request)
    if organisation.site_id != person.site_id:
        raise DomainError("other_site", "Choose an organisation in this Living Well network", field="organisation")
    existing = SharingConsent.objects.current().filter(person=person, organisation=organisation).first()
    if existing:
        return existing
    with transaction.atomic():
        consent = SharingConsent.objects.create(
            person=person, organisation=organisation, given_at=timezone.now(), recorded_by=actor
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SHARING],
            basis=access.basis_for(Part.SHARING, change=True),
            detail={"shared_with": organisation.name},
            request=request,
        )
    return consent


def consent_withdraw(
    *, actor: User, consent: SharingConsent, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> SharingConsent:
    """Stop sharing with an organisation; from this moment its staff can no longer see the record."""
    person = consent.person
    access = _require_change(actor, person, Part.SHARING, request)
    if consent.withdrawn_at is not None:
        return consent
    with transaction.atomic():
        consent.withdrawn_at = now or timezone.now()
        consent.save(update_fields=["withdrawn_at", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SHARING],
            basis=access.basis_for(Part.SHARING, change=True),
            detail={"stopped_sharing_with": consent.organisation.name},
            request=request,
        )
    return consent
