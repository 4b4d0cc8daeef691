"""Contacts and notes services: who may record, what is checked, what is audited, and withholding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Basis, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.network.models import Membership, Organisation, Role, Sector, Site
from livingwell.support.models import (
    Contact,
    ContactMode,
    ContactStatus,
    Note,
    SupportPeriod,
    WithheldBecause,
)
from livingwell.support.services import contacts as services
from livingwell.testing import Cast, make_member, make_person, refresh_user

pytestmark = pytest.mark.django_db


def an_hour_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def record(cast: Cast, actor: object | None = None, **overrides: object) -> Contact:
    values: dict[str, object] = {
        "actor": refresh_user(actor or cast.team_worker),  # type: ignore[arg-type]
        "person": cast.person,
        "occurred_at": an_hour_ago(),
        "mode": ContactMode.IN_PERSON,
        "status": ContactStatus.HELD,
        "duration_minutes": 45,
    }
    values.update(overrides)
    return services.contact_record(**values)  # type: ignore[arg-type]


def last_event(actor: object) -> AuditEvent:
    event = AuditEvent.objects.filter(actor=actor).order_by("-id").first()
    assert event is not None
    return event


def test_team_worker_records_a_contact_with_a_note_linked_to_the_open_period_and_audited(cast: Cast) -> None:
    contact = record(cast, place="The café at Brixton Library", others="Jo, their sister", note="We talked about work.")
    period = SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    assert contact.support_period == period
    assert list(contact.workers.all()) == [cast.team_worker]  # the one recording took part, by default
    assert contact.recorded_by == cast.team_worker
    assert (contact.place, contact.others, contact.duration_minutes) == (
        "The café at Brixton Library",
        "Jo, their sister",
        45,
    )
    note = Note.objects.get(contact=contact)
    assert note.text == "We talked about work."
    assert note.author == cast.team_worker
    assert note.author_name == "Team Worker"
    assert not note.withheld
    event = last_event(cast.team_worker)
    assert (event.action, event.outcome, event.basis, event.parts) == ("create", Outcome.ALLOWED, Basis.TEAM, ["notes"])
    assert event.person_id == cast.person.pk
    assert event.detail["contact"] == str(contact.pk)
    assert event.detail["note"] == str(note.pk)


def test_allocated_worker_records_and_names_other_workers_who_took_part(cast: Cast) -> None:
    contact = record(cast, actor=cast.allocated_worker, workers=[cast.allocated_worker, cast.team_worker])
    assert set(contact.workers.all()) == {cast.allocated_worker, cast.team_worker}
    assert not Note.objects.filter(contact=contact).exists()  # no note given, none written
    assert last_event(cast.allocated_worker).basis == Basis.ALLOCATED


def test_naming_workers_leaves_out_the_one_recording_when_they_did_not_take_part(cast: Cast) -> None:
    contact = record(cast, actor=cast.team_leader, workers=[cast.team_worker])
    assert list(contact.workers.all()) == [cast.team_worker]
    assert contact.recorded_by == cast.team_leader


@pytest.mark.parametrize("who", ["person_user", "consent_worker", "other_team_worker", "stranger", "coordinator"])
def test_only_the_team_or_allocated_worker_may_record_and_refusals_are_audited(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        record(cast, actor=actor, note="Should not be saved")
    assert not Contact.objects.exists()
    assert not Note.objects.exists()
    refusal = last_event(actor)
    assert (refusal.outcome, refusal.parts, refusal.person_id) == (Outcome.REFUSED, ["notes"], cast.person.pk)


def test_a_contact_cannot_be_in_the_future(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        record(cast, occurred_at=timezone.now() + dt.timedelta(hours=2))
    assert error.value.field == "occurred_at"
    record(cast, occurred_at=timezone.now() + dt.timedelta(minutes=2))  # clocks differ a little: allowed


@pytest.mark.parametrize("minutes", [0, 1441, 5000])
def test_duration_must_be_between_a_minute_and_a_day(cast: Cast, minutes: int) -> None:
    with pytest.raises(DomainError) as error:
        record(cast, duration_minutes=minutes)
    assert error.value.field == "duration_minutes"
    assert not Contact.objects.exists()


@pytest.mark.parametrize("minutes", [1, 1440, None])
def test_durations_at_the_edges_and_none_are_accepted(cast: Cast, minutes: int | None) -> None:
    assert record(cast, duration_minutes=minutes).duration_minutes == minutes


def test_a_contact_that_did_not_take_place_has_no_duration(cast: Cast) -> None:
    contact = record(cast, status=ContactStatus.NOT_HELD, mode=ContactMode.PHONE, duration_minutes=30)
    assert contact.status == ContactStatus.NOT_HELD
    assert contact.duration_minutes is None


@pytest.mark.parametrize(("field", "value"), [("mode", "carrier_pigeon"), ("status", "maybe")])
def test_mode_and_status_must_be_known(cast: Cast, field: str, value: str) -> None:
    with pytest.raises(DomainError) as error:
        record(cast, **{field: value})
    assert error.value.field == field


def test_workers_must_be_current_support_staff_of_the_site(cast: Cast) -> None:
    elsewhere = Site.objects.create(name="Elsewhere", slug="elsewhere")
    org = Organisation.objects.create(site=elsewhere, name="Far away trust", sector=Sector.NHS_TRUST)
    far_worker = make_member(elsewhere, org, Role.PEER_WORKER, name="Far Worker")
    for outsider in (cast.analyst, cast.stranger, far_worker):
        with pytest.raises(DomainError) as error:
            record(cast, workers=[cast.team_worker, outsider])
        assert error.value.field == "workers"
        assert outsider.name in error.value.message
    assert not Contact.objects.exists()
    # A worker of another team of the same site may take part (for example a psychiatrist joining a visit).
    assert cast.psychiatrist in record(cast, workers=[cast.team_worker, cast.psychiatrist]).workers.all()


def test_the_contact_links_the_period_of_the_recording_worker_s_own_team(cast: Cast) -> None:
    period_b = SupportPeriod.objects.create(person=cast.person, team=cast.team_b, started_at=timezone.now())
    assert record(cast, actor=cast.other_team_worker).support_period == period_b
    period_a = SupportPeriod.objects.get(person=cast.person, team=cast.team_a)
    assert record(cast, actor=cast.team_worker).support_period == period_a


def test_withholding_needs_grounds_words_and_a_date_to_look_again(cast: Cast) -> None:
    cases: list[tuple[dict[str, object], str]] = [
        ({"withhold_because": WithheldBecause.SOMEONE_ELSE, "withheld_review_on": in_a_month()}, "withheld_reason"),
        ({"withhold_because": WithheldBecause.SOMEONE_ELSE, "withheld_reason": "  "}, "withheld_reason"),
        ({"withheld_reason": "About their brother", "withheld_review_on": in_a_month()}, "withhold_because"),
        ({"withhold_because": "because_i_said_so", "withheld_reason": "x"}, "withhold_because"),
        ({"withhold_because": WithheldBecause.LEGAL, "withheld_reason": "Police asked"}, "withheld_review_on"),
        (
            {
                "withhold_because": WithheldBecause.LEGAL,
                "withheld_reason": "Police asked",
                "withheld_review_on": timezone.localdate(),
            },
            "withheld_review_on",
        ),
        (
            {
                "withhold_because": WithheldBecause.LEGAL,
                "withheld_reason": "Police asked",
                "withheld_review_on": timezone.localdate() + dt.timedelta(days=400),
            },
            "withheld_review_on",
        ),
    ]
    for values, field in cases:
        with pytest.raises(DomainError) as error:
            services.note_write(actor=cast.team_worker, person=cast.person, text="About their brother.", **values)  # type: ignore[arg-type]
        assert error.value.field == field, values
    assert not Note.objects.exists()


def test_a_contact_cannot_withhold_a_note_it_does_not_have(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        record(
            cast,
            withhold_because=WithheldBecause.SOMEONE_ELSE,
            withheld_reason="About their brother",
            withheld_review_on=in_a_month(),
        )
    assert error.value.field == "note"


def test_a_note_written_withheld_records_who_why_and_when_to_look_again(cast: Cast) -> None:
    note = services.note_write(
        actor=refresh_user(cast.team_worker),
        person=cast.person,
        text="Their brother told us about his own debts.",
        withhold_because=WithheldBecause.SOMEONE_ELSE,
        withheld_reason="It is the brother's information; he has not agreed.",
        withheld_review_on=in_a_month(),
    )
    assert note.withheld
    assert note.withheld_by == cast.team_worker
    event = last_event(cast.team_worker)
    assert event.detail == {
        "note": str(note.pk),
        "withheld_because": "someone_else",
        "withheld_review_on": in_a_month().isoformat(),
    }
    assert event.reason == "It is the brother's information; he has not agreed."


def test_notes_must_have_words(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.note_write(actor=cast.team_worker, person=cast.person, text=" \n ")
    assert error.value.field == "text"


def test_a_correction_is_a_new_note_and_the_old_one_stays_as_it_was(cast: Cast) -> None:
    first = services.note_write(actor=cast.team_worker, person=cast.person, text="Alex said they moved to Stockwell.")
    correction = services.note_write(
        actor=refresh_user(cast.allocated_worker),
        person=cast.person,
        text="Alex moved to Streatham, not Stockwell.",
        corrects=first,
    )
    first.refresh_from_db()
    assert first.text == "Alex said they moved to Stockwell."
    assert correction.corrects == first
    assert list(first.corrections.all()) == [correction]
    assert Note.objects.count() == 2
    assert last_event(cast.allocated_worker).detail["corrects"] == str(first.pk)


def test_a_note_cannot_correct_or_belong_to_someone_else(cast: Cast) -> None:
    other = make_person(cast.site, "Jo", "Bloggs")
    SupportPeriod.objects.create(person=other, team=cast.team_a, started_at=timezone.now())
    theirs = services.note_write(actor=refresh_user(cast.team_worker), person=other, text="About Jo.")
    with pytest.raises(DomainError) as error:
        services.note_write(actor=cast.team_worker, person=cast.person, text="Correction", corrects=theirs)
    assert error.value.field == "corrects"
    contact = record(cast)
    with pytest.raises(DomainError) as error:
        services.note_write(actor=cast.team_worker, person=other, text="Wrong contact", contact=contact)
    assert error.value.field == "contact"


def test_the_author_withholds_a_note_with_a_reason_and_it_is_audited_with_detail(cast: Cast) -> None:
    note = services.note_write(actor=cast.team_worker, person=cast.person, text="Their neighbour's story.")
    services.note_withhold(
        actor=refresh_user(cast.team_worker),
        note=note,
        because=WithheldBecause.SOMEONE_ELSE,
        reason="The neighbour has not agreed to share.",
        review_on=in_a_month(),
    )
    note.refresh_from_db()
    assert note.withheld_because == WithheldBecause.SOMEONE_ELSE
    assert note.withheld_reason == "The neighbour has not agreed to share."
    assert note.withheld_by == cast.team_worker
    assert note.text == "Their neighbour's story."  # withholding never changes the words
    event = last_event(cast.team_worker)
    assert (event.action, event.basis, event.parts) == ("change", Basis.TEAM, ["notes"])
    assert event.detail["withheld"] is True
    assert event.detail["withheld_because"] == "someone_else"


def test_a_team_leader_may_withhold_anyone_s_note(cast: Cast) -> None:
    note = services.note_write(actor=cast.allocated_worker, person=cast.person, text="Something serious.")
    services.note_withhold(
        actor=refresh_user(cast.team_leader),
        note=note,
        because=WithheldBecause.SERIOUS_HARM,
        reason="Reading this now would put them at risk.",
        review_on=in_a_month(),
    )
    note.refresh_from_db()
    assert note.withheld_by == cast.team_leader


def test_other_workers_may_not_withhold_or_show_someone_else_s_note_and_are_audited(cast: Cast) -> None:
    note = services.note_write(actor=cast.allocated_worker, person=cast.person, text="A note.")
    with pytest.raises(AccessRefused):
        services.note_withhold(
            actor=refresh_user(cast.team_worker),
            note=note,
            because=WithheldBecause.SOMEONE_ELSE,
            reason="Why not",
            review_on=in_a_month(),
        )
    note.refresh_from_db()
    assert not note.withheld
    refusal = last_event(cast.team_worker)
    assert (refusal.outcome, refusal.parts) == (Outcome.REFUSED, ["notes"])
    services.note_withhold(
        actor=refresh_user(cast.allocated_worker),
        note=note,
        because=WithheldBecause.LEGAL,
        reason="Police investigation",
        review_on=in_a_month(),
    )
    with pytest.raises(AccessRefused):
        services.note_release(actor=refresh_user(cast.team_worker), note=note)
    note.refresh_from_db()
    assert note.withheld


def test_withholding_an_existing_note_needs_grounds_and_words(cast: Cast) -> None:
    note = services.note_write(actor=cast.team_worker, person=cast.person, text="A note.")
    with pytest.raises(DomainError) as error:
        services.note_withhold(actor=cast.team_worker, note=note, because="", reason="x", review_on=in_a_month())
    assert error.value.field == "withhold_because"
    with pytest.raises(DomainError) as error:
        services.note_withhold(
            actor=cast.team_worker, note=note, because=WithheldBecause.LEGAL, reason="", review_on=in_a_month()
        )
    assert error.value.field == "withheld_reason"
    note.refresh_from_db()
    assert not note.withheld


def test_the_person_cannot_withhold_or_show_notes(cast: Cast) -> None:
    note = services.note_write(
        actor=cast.team_worker,
        person=cast.person,
        text="Kept.",
        withhold_because=WithheldBecause.LEGAL,
        withheld_reason="Police asked us to wait.",
        withheld_review_on=in_a_month(),
    )
    with pytest.raises(AccessRefused):
        services.note_release(actor=refresh_user(cast.person_user), note=note)
    assert AuditEvent.objects.filter(actor=cast.person_user, outcome=Outcome.REFUSED, parts=["notes"]).exists()


def test_releasing_shows_the_note_and_records_what_was_withheld(cast: Cast) -> None:
    note = services.note_write(
        actor=cast.team_worker,
        person=cast.person,
        text="Kept for now.",
        withhold_because=WithheldBecause.LEGAL,
        withheld_reason="Police asked us to wait.",
        withheld_review_on=in_a_month(),
    )
    services.note_release(actor=refresh_user(cast.team_leader), note=note)
    note.refresh_from_db()
    assert not note.withheld
    assert (note.withheld_reason, note.withheld_by, note.withheld_review_on) == ("", None, None)
    event = last_event(cast.team_leader)
    assert event.detail == {
        "note": str(note.pk),
        "released": True,
        "was_withheld_because": "legal",
        "was_withheld_by": "Team Worker",
    }
    assert event.reason == "Police asked us to wait."
    with pytest.raises(DomainError):
        services.note_release(actor=cast.team_leader, note=note)


def test_a_worker_who_left_the_network_cannot_be_named(cast: Cast) -> None:
    leaver = make_member(cast.site, cast.charity, Role.PEER_WORKER, team=cast.team_a, name="Left Last Year")
    Membership.objects.filter(user=leaver).update(ended_on=dt.date(2025, 1, 1))
    with pytest.raises(DomainError) as error:
        record(cast, workers=[leaver])
    assert error.value.field == "workers"
