"""Contacts and notes pages: the timeline, the forms, the person's own view of withheld notes, asserted on the HTML."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Basis, Outcome
from livingwell.support.models import Contact, ContactMode, ContactStatus, Note, WithheldBecause
from livingwell.support.services import contacts as services
from livingwell.testing import Cast, make_person, refresh_user

pytestmark = pytest.mark.django_db

SECRET = "Their brother Sam told us about his court date."


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return htmllib.unescape(response.content.decode())


def list_url(cast: Cast) -> str:
    return reverse("contacts:list", args=[cast.person.pk])


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def a_contact(cast: Cast, note: str = "We walked to the park and talked about volunteering.", **kw: Any) -> Contact:
    values: dict[str, Any] = {
        "actor": refresh_user(cast.team_worker),
        "person": cast.person,
        "occurred_at": timezone.now() - dt.timedelta(days=1),
        "mode": ContactMode.IN_PERSON,
        "status": ContactStatus.HELD,
        "duration_minutes": 50,
        "place": "Brockwell Park",
        "note": note,
        **kw,
    }
    return services.contact_record(**values)


def a_withheld_note(cast: Cast) -> Note:
    return services.note_write(
        actor=refresh_user(cast.team_worker),
        person=cast.person,
        text=SECRET,
        withhold_because=WithheldBecause.SOMEONE_ELSE,
        withheld_reason="This is Sam's information and he has not agreed to share it.",
        withheld_review_on=in_a_month(),
    )


# The timeline -----------------------------------------------------------------------------------------


def test_team_worker_sees_contacts_and_notes_newest_first_with_who_took_part(cast: Cast) -> None:
    a_contact(
        cast,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        workers=[cast.team_worker, cast.allocated_worker],
        others="Jo, their sister",
        note="First walk.",
    )
    a_contact(cast, mode=ContactMode.PHONE, status=ContactStatus.NOT_HELD, note="No answer; left a message.")
    services.note_write(
        actor=refresh_user(cast.allocated_worker), person=cast.person, text="Called the GP <b>today</b>."
    )
    html = page(client_for(cast.team_worker), list_url(cast))
    assert "<h1>Contacts and notes</h1>" in html
    assert "Alex Morgan can read these notes when they sign in" in html
    assert "3 contacts and notes, newest first." in html
    note_at, phone_at, walk_at = (html.index(s) for s in ("Called the GP", "No answer", "First walk."))
    assert note_at < phone_at < walk_at
    assert "Phone call, " in html and "Did not take place" in html
    assert "Met in person, " in html and "50 minutes" in html and "Brockwell Park" in html
    assert "Allocated Peer, Team Worker" in html
    assert "Jo, their sister" in html
    assert "Note by Allocated Peer" in html
    assert "Called the GP <b>today</b>." in html  # shown as typed: escaped in the raw HTML
    raw = client_for(cast.team_worker).get(list_url(cast)).content.decode()
    assert "&lt;b&gt;today&lt;/b&gt;" in raw
    assert 'href="' + reverse("contacts:record", args=[cast.person.pk]) + '"' in raw
    assert "Record a contact" in html and "Write a note" in html
    assert "Correct this note" in html
    assert 'aria-current="page"' in raw or "Contacts and notes" in html
    event = AuditEvent.objects.filter(actor=cast.team_worker, action="view").latest("id")
    assert (event.parts, event.basis, event.outcome) == (["notes"], Basis.TEAM, Outcome.ALLOWED)


def test_staff_see_a_withheld_note_with_a_clear_tag_the_reason_and_the_review_date(cast: Cast) -> None:
    note = a_withheld_note(cast)
    html = page(client_for(cast.allocated_worker), list_url(cast))
    assert SECRET in html
    assert "Not shown to Alex Morgan: it is about someone else, who has not agreed to share it" in html
    assert "This is Sam's information and he has not agreed to share it." in html
    assert f"{in_a_month().day} {in_a_month():%B %Y}" in html
    assert "Kept from them by" in html and "Team Worker" in html
    # Not the author nor a team leader: may not show it to the person.
    assert reverse("contacts:release", args=[cast.person.pk, note.pk]) not in html
    author_html = page(client_for(cast.team_worker), list_url(cast))
    assert reverse("contacts:release", args=[cast.person.pk, note.pk]) in author_html
    assert "Show this note to Alex Morgan" in author_html


def test_the_person_reads_every_note_except_a_withheld_one_and_sees_that_it_exists_and_why(cast: Cast) -> None:
    a_contact(cast, note="We agreed you would try the Tuesday walking group.")
    a_withheld_note(cast)
    response = client_for(cast.person_user).get(list_url(cast))
    raw = response.content.decode()
    html = htmllib.unescape(raw)
    assert response.status_code == 200
    assert "<h1>Contacts and notes about you</h1>" in html
    assert "You can read every note, unless one is kept from you for a reason we tell you." in html
    assert "We agreed you would try the Tuesday walking group." in html  # everything else in full
    assert "Brockwell Park" in html and "50 minutes" in html
    today = timezone.localdate()
    assert f"A note written on {today.day} {today:%B %Y} by Team Worker is not shown to you." in html
    assert "Why: It is about someone else, who has not agreed to share it." in html
    assert "talk to your worker, or ask to speak to the privacy officer" in html
    assert "subject access request" in html
    # Never the text, nor the staff's words about it, anywhere in the page.
    assert SECRET not in html
    assert "court date" not in raw
    assert "Sam's information" not in html and "he has not agreed" not in html
    assert "Not shown to Alex Morgan" not in html
    # The person reads but does not write.
    assert "Record a contact" not in html and "Write a note" not in html and "Correct this note" not in html
    event = AuditEvent.objects.filter(actor=cast.person_user, action="view").latest("id")
    assert (event.parts, event.basis) == (["notes"], Basis.SELF)


def test_a_withheld_correction_of_a_shown_note_is_hidden_from_the_person_under_the_original(cast: Cast) -> None:
    first = services.note_write(actor=refresh_user(cast.team_worker), person=cast.person, text="Met at home.")
    services.note_write(
        actor=refresh_user(cast.team_worker),
        person=cast.person,
        text=SECRET,
        corrects=first,
        withhold_because=WithheldBecause.LEGAL,
        withheld_reason="Police asked us to wait.",
        withheld_review_on=in_a_month(),
    )
    html = page(client_for(cast.person_user), list_url(cast))
    assert "Met at home." in html
    assert "A later note corrects this one." in html
    assert "is not shown to you" in html
    assert "The law says it cannot be shared yet" in html
    assert SECRET not in html


def test_releasing_a_note_makes_it_visible_to_the_person(cast: Cast) -> None:
    note = a_withheld_note(cast)
    person = client_for(cast.person_user)
    assert SECRET not in page(person, list_url(cast))
    url = reverse("contacts:release", args=[cast.person.pk, note.pk])
    confirm = page(client_for(cast.team_worker), url)
    assert "<h1>Show this note to Alex Morgan</h1>" in confirm
    assert SECRET in confirm
    response = client_for(cast.team_worker).post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{list_url(cast)}#note-{note.pk}"
    html = page(person, list_url(cast))
    assert SECRET in html
    assert "by Team Worker is not shown to you" not in html
    event = AuditEvent.objects.filter(actor=cast.team_worker, action="change").latest("id")
    assert event.detail["released"] is True and event.parts == ["notes"]


def test_nothing_recorded_yet(cast: Cast) -> None:
    assert "No contacts or notes have been recorded yet." in page(client_for(cast.team_worker), list_url(cast))
    assert "There are no contacts or notes about you yet." in page(client_for(cast.person_user), list_url(cast))


def test_the_timeline_is_paged_25_at_a_time(cast: Cast) -> None:
    now = timezone.now()
    for i in range(30):
        a_contact(cast, occurred_at=now - dt.timedelta(days=i + 1), note=f"Walk number {i}.")
    client = client_for(cast.team_worker)
    first = page(client, list_url(cast))
    assert "Walk number 0." in first and "Walk number 24." in first and "Walk number 25." not in first
    assert "Page 2 of 2" in first
    second = page(client, list_url(cast) + "?page=2")
    assert "Walk number 25." in second and "Walk number 29." in second and "Walk number 0." not in second


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["team_worker", "person_user"])
def test_query_count_does_not_grow_with_contacts_and_notes(cast: Cast, who: str) -> None:
    client = client_for(getattr(cast, who))
    client.get(list_url(cast))  # warm the session
    now = timezone.now()

    def add(n: int) -> None:
        for i in range(n):
            contact = a_contact(
                cast, occurred_at=now - dt.timedelta(days=i + 1), workers=[cast.team_worker, cast.allocated_worker]
            )
            note = services.note_write(actor=cast.team_worker, person=cast.person, text=f"Note {i}", contact=contact)
            services.note_write(actor=cast.team_worker, person=cast.person, text=f"Fix {i}", corrects=note)

    add(2)
    a_withheld_note(cast)
    small = _count_queries(client, list_url(cast))
    add(10)
    large = _count_queries(client, list_url(cast))
    assert small == large, (small, large)
    assert large <= 16, large


# Recording a contact ----------------------------------------------------------------------------------


def contact_form(cast: Cast, **overrides: Any) -> dict[str, Any]:
    when = timezone.localtime() - dt.timedelta(hours=2)
    data: dict[str, Any] = {
        "date_0": when.day,
        "date_1": when.month,
        "date_2": when.year,
        "time": f"{when:%H:%M}",
        "mode": ContactMode.HOME_VISIT,
        "status": ContactStatus.HELD,
        "duration_minutes": "40",
        "place": "Their flat",
        "workers": [str(cast.team_worker.pk), str(cast.allocated_worker.pk)],
        "others": "Their neighbour Pat",
        "note": "Talked about sleep.",
        "withhold_because": "shown",
        "withheld_reason": "",
    }
    data.update(overrides)
    return data


def test_record_contact_form_offers_the_team_s_workers_with_the_worker_ticked(cast: Cast) -> None:
    raw = client_for(cast.team_worker).get(reverse("contacts:record", args=[cast.person.pk])).content.decode()
    html = htmllib.unescape(raw)
    assert "<h1>Record a contact</h1>" in html
    for label in (
        "Date of the contact",
        "Time of the contact",
        "How were you in touch?",
        "Did it take place?",
        "How long it lasted, in minutes (optional)",
        "Which workers took part (optional)",
        "Anyone else who took part (optional)",
        "Keep this note from Alex Morgan",
        "Can Alex Morgan read this note?",
        "Needed only if you keep the note from them.",
        "Yes, Alex Morgan can read it",
        "No: it is about someone else, who has not agreed to share it",
        "Date to look again",
    ):
        assert label in html, label
    assert "Team Worker (Recovery worker, you)" in html
    assert "Team Leader (Team leader)" in html
    assert "Allocated Peer (Peer worker)" in html  # allocated, though in another team
    assert "Other Team" not in html and "Housing Officer" not in html  # not the person's workers
    assert "Why, in your words (optional)" not in html and "Date to look again (optional)" not in html
    assert f'value="{cast.team_worker.pk}" checked' in raw


def test_recording_a_contact_saves_it_and_returns_to_the_timeline(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    response = client.post(reverse("contacts:record", args=[cast.person.pk]), contact_form(cast))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert response["Location"] == f"{list_url(cast)}#contact-{contact.pk}"
    assert (contact.mode, contact.duration_minutes, contact.place, contact.others) == (
        ContactMode.HOME_VISIT,
        40,
        "Their flat",
        "Their neighbour Pat",
    )
    assert set(contact.workers.all()) == {cast.team_worker, cast.allocated_worker}
    assert contact.notes.get().text == "Talked about sleep."
    html = page(client, list_url(cast))
    assert "Contact recorded" in html
    assert "Home visit, " in html and "Talked about sleep." in html


def test_recording_a_withheld_note_with_a_contact(cast: Cast) -> None:
    review = in_a_month()
    data = contact_form(
        cast,
        note=SECRET,
        withhold_because=WithheldBecause.SOMEONE_ELSE,
        withheld_reason="Sam has not agreed.",
        withheld_review_on_0=review.day,
        withheld_review_on_1=review.month,
        withheld_review_on_2=review.year,
    )
    response = client_for(cast.team_worker).post(reverse("contacts:record", args=[cast.person.pk]), data)
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.withheld_because, note.withheld_reason, note.withheld_review_on) == (
        WithheldBecause.SOMEONE_ELSE,
        "Sam has not agreed.",
        review,
    )
    assert SECRET not in page(client_for(cast.person_user), list_url(cast))


def test_recording_a_contact_shows_each_problem_by_its_field_and_keeps_the_answers(cast: Cast) -> None:
    future = timezone.localdate() + dt.timedelta(days=2)
    data = contact_form(
        cast,
        date_0=future.day,
        date_1=future.month,
        date_2=future.year,
        mode="",
        duration_minutes="2000",
        place="Their flat <again>",
        withhold_because="",
        withheld_reason="Only words",
    )
    response = client_for(cast.team_worker).post(reverse("contacts:record", args=[cast.person.pk]), data)
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Date of the contact must be in the past" in html
    assert "Select how you were in touch" in html
    assert "How long it lasted must be 1,440 minutes (24 hours) or less" in html
    assert 'value="Their flat <again>"' in html or "Their flat <again>" in html
    assert "Only words" in html
    assert "Select whether Alex Morgan can read this note" in html
    assert not Contact.objects.exists()


def test_every_problem_with_keeping_the_note_from_them_is_shown_at_once(cast: Cast) -> None:
    past = timezone.localdate() - dt.timedelta(days=1)
    data = contact_form(
        cast,
        mode="",
        withhold_because=WithheldBecause.SERIOUS_HARM,
        withheld_reason="  ",
        withheld_review_on_0=past.day,
        withheld_review_on_1=past.month,
        withheld_review_on_2=past.year,
    )
    response = client_for(cast.team_worker).post(reverse("contacts:record", args=[cast.person.pk]), data)
    html = htmllib.unescape(response.content.decode())
    assert "Select how you were in touch" in html
    assert "Say why the person must not see this note, in your own words" in html
    assert "The date to look again must be in the future" in html
    assert 'href="#id_withheld_review_on_0"' in html  # the summary links to the day box
    assert not Contact.objects.exists()


def test_withholding_words_without_grounds_are_refused_by_the_field(cast: Cast) -> None:
    data = contact_form(cast, withhold_because="shown", withheld_reason="About Sam")
    response = client_for(cast.team_worker).post(reverse("contacts:record", args=[cast.person.pk]), data)
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Select why the person must not see this note, or clear the words and date" in html
    assert not Contact.objects.exists()


def test_a_time_that_is_not_a_time_is_named(cast: Cast) -> None:
    response = client_for(cast.team_worker).post(
        reverse("contacts:record", args=[cast.person.pk]), contact_form(cast, time="25:99")
    )
    assert "Enter a real time, like 14:30" in response.content.decode()


# Writing, correcting, withholding -----------------------------------------------------------------------


def test_writing_a_note_on_its_own(cast: Cast) -> None:
    url = reverse("contacts:write_note", args=[cast.person.pk])
    html = page(client_for(cast.allocated_worker), url)
    assert "<h1>Write a note</h1>" in html
    assert "Alex Morgan can read this note, unless you keep it from them below." in html
    response = client_for(cast.allocated_worker).post(url, {"text": "", "withhold_because": "shown"})
    assert "Enter the note" in response.content.decode()
    response = client_for(cast.allocated_worker).post(
        url, {"text": "Alex asked for help with a housing form.", "withhold_because": "shown"}
    )
    note = Note.objects.get()
    assert response["Location"] == f"{list_url(cast)}#note-{note.pk}"
    assert note.contact is None and note.author == cast.allocated_worker


def test_correcting_a_note_keeps_both_and_shows_them_together(cast: Cast) -> None:
    first = services.note_write(actor=refresh_user(cast.team_worker), person=cast.person, text="Moved to Stockwell.")
    url = reverse("contacts:correct", args=[cast.person.pk, first.pk])
    html = page(client_for(cast.allocated_worker), url)
    assert "<h1>Correct a note</h1>" in html
    assert "Moved to Stockwell." in html
    assert "Notes are never changed once written" in html
    response = client_for(cast.allocated_worker).post(
        url, {"text": "Moved to Streatham, not Stockwell.", "withhold_because": "shown"}
    )
    assert response.status_code == 302
    correction = Note.objects.get(corrects=first)
    first.refresh_from_db()
    assert first.text == "Moved to Stockwell."
    for reader in (cast.team_worker, cast.person_user):
        timeline = page(client_for(reader), list_url(cast))
        assert "Moved to Stockwell." in timeline
        assert "A later note corrects this one." in timeline
        assert timeline.count("Moved to Streatham, not Stockwell.") == 2  # its own entry, and under the original
        assert f"This corrects the note written on {timezone.localdate().day}" in timeline
    assert correction.author == cast.allocated_worker


def test_correcting_a_withheld_note_starts_from_the_same_grounds(cast: Cast) -> None:
    note = a_withheld_note(cast)
    raw = client_for(cast.team_worker).get(reverse("contacts:correct", args=[cast.person.pk, note.pk])).content.decode()
    assert 'value="someone_else" checked' in raw
    assert "This is Sam&#x27;s information" in raw or "This is Sam's information" in htmllib.unescape(raw)


def test_withholding_a_note_from_the_page(cast: Cast) -> None:
    note = services.note_write(actor=refresh_user(cast.team_worker), person=cast.person, text=SECRET)
    url = reverse("contacts:withhold", args=[cast.person.pk, note.pk])
    client = client_for(cast.team_worker)
    html = page(client, url)
    assert "<h1>Keep this note from Alex Morgan</h1>" in html
    assert "Why must Alex Morgan not see this note?" in html
    response = client.post(url, {"withhold_because": WithheldBecause.SERIOUS_HARM, "withheld_reason": ""})
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Say why Alex Morgan must not see this note, in your own words" in html
    assert "Enter a date to look again at keeping this note from them" in html
    review = in_a_month()
    response = client.post(
        url,
        {
            "withhold_because": WithheldBecause.SERIOUS_HARM,
            "withheld_reason": "Their psychiatrist asked us to talk it through with them first.",
            "withheld_review_on_0": review.day,
            "withheld_review_on_1": review.month,
            "withheld_review_on_2": review.year,
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.withheld_because == WithheldBecause.SERIOUS_HARM
    person_html = page(client_for(cast.person_user), list_url(cast))
    assert SECRET not in person_html
    assert "Why: Seeing it now could cause serious harm to you or someone else." in person_html


def test_a_note_of_someone_else_or_unknown_is_not_found(cast: Cast) -> None:
    other = make_person(cast.site, "Jo", "Bloggs")
    note = Note.objects.create(person=other, written_at=timezone.now(), author_name="X", text="About Jo")
    client = client_for(cast.team_worker)
    for name in ("correct", "withhold", "release"):
        assert client.get(reverse(f"contacts:{name}", args=[cast.person.pk, note.pk])).status_code == 404
    assert client.get("/people/00000000-0000-4000-8000-000000000000/contacts/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(cast: Cast) -> None:
    response = Client().get(list_url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# The access cast, for every page and every POST ----------------------------------------------------------

READERS = {"team_worker": Basis.TEAM, "allocated_worker": Basis.ALLOCATED, "team_leader": Basis.TEAM}
# (The privacy officer and site administrator must give a second factor first; the policy gives them no basis either.)
REFUSED = ["consent_worker", "other_team_worker", "psychiatrist", "stranger", "coordinator", "analyst"]


@pytest.mark.parametrize("who", [*READERS, "person_user"])
def test_cast_who_may_read_the_timeline_and_the_view_is_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    a_contact(cast)
    assert client_for(user).get(list_url(cast)).status_code == 200
    event = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk).latest("id")
    assert (event.action, event.outcome, event.parts) == ("view", Outcome.ALLOWED, ["notes"])
    assert event.basis == READERS.get(who, Basis.SELF)


@pytest.mark.parametrize("who", REFUSED)
def test_cast_without_notes_is_refused_the_timeline_and_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    a_contact(cast)
    response = client_for(user).get(list_url(cast))
    assert response.status_code == 403
    assert "court date" not in response.content.decode()
    event = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk).latest("id")
    assert (event.outcome, event.parts) == (Outcome.REFUSED, ["notes"])


def _write_pages(cast: Cast, note: Note) -> list[tuple[str, dict[str, Any]]]:
    return [
        (reverse("contacts:record", args=[cast.person.pk]), contact_form(cast, workers=[])),
        (reverse("contacts:write_note", args=[cast.person.pk]), {"text": "A note", "withhold_because": "shown"}),
        (reverse("contacts:correct", args=[cast.person.pk, note.pk]), {"text": "A fix", "withhold_because": "shown"}),
    ]


@pytest.mark.parametrize("who", list(READERS))
def test_cast_who_may_write_opens_and_posts_every_form_with_audit(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    note = services.note_write(actor=refresh_user(cast.team_worker), person=cast.person, text="Original")
    client = client_for(user)
    for url, data in _write_pages(cast, note):
        assert client.get(url).status_code == 200, url
        viewed = AuditEvent.objects.filter(actor=user).latest("id")
        assert (viewed.action, viewed.parts, viewed.basis) == ("view", ["notes"], READERS[who])
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.content.decode()[:2000])
        created = AuditEvent.objects.filter(actor=user).latest("id")
        assert (created.action, created.outcome, created.parts, created.basis) == (
            "create",
            Outcome.ALLOWED,
            ["notes"],
            READERS[who],
        )
    assert Contact.objects.get().workers.get() == user  # nobody ticked: the one recording took part


@pytest.mark.parametrize("who", ["person_user", *REFUSED])
def test_cast_who_may_not_write_is_refused_every_form_and_post_and_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    note = a_withheld_note(cast)
    client = client_for(user)
    pages = [
        *_write_pages(cast, note),
        (reverse("contacts:withhold", args=[cast.person.pk, note.pk]), {"withhold_because": "legal"}),
        (reverse("contacts:release", args=[cast.person.pk, note.pk]), {}),
    ]
    for url, data in pages:
        for method in ("get", "post"):
            before = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).count()
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code == 403, (method, url)
            assert SECRET not in htmllib.unescape(response.content.decode())
            refusal = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).latest("id")
            assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).count() == before + 1
            assert (refusal.parts, refusal.person_id) == (["notes"], cast.person.pk)
    assert Contact.objects.count() == 0
    assert Note.objects.count() == 1
    note.refresh_from_db()
    assert note.withheld


@pytest.mark.parametrize(
    ("who", "allowed"), [("team_worker", True), ("team_leader", True), ("allocated_worker", False)]
)
def test_cast_for_withholding_and_showing_only_the_author_or_a_team_leader(cast: Cast, who: str, allowed: bool) -> None:
    user = getattr(cast, who)
    note = services.note_write(actor=refresh_user(cast.team_worker), person=cast.person, text=SECRET)
    client = client_for(user)
    withhold = reverse("contacts:withhold", args=[cast.person.pk, note.pk])
    release = reverse("contacts:release", args=[cast.person.pk, note.pk])
    review = in_a_month()
    data = {
        "withhold_because": WithheldBecause.LEGAL,
        "withheld_reason": "Police asked us to wait.",
        "withheld_review_on_0": review.day,
        "withheld_review_on_1": review.month,
        "withheld_review_on_2": review.year,
    }
    if not allowed:
        services.note_withhold(
            actor=refresh_user(cast.team_worker),
            note=note,
            because=WithheldBecause.LEGAL,
            reason="Police asked us to wait.",
            review_on=review,
        )
        for method, url in (("get", withhold), ("post", withhold), ("get", release), ("post", release)):
            response = getattr(client, method)(url, data if url == withhold and method == "post" else None)
            assert response.status_code == 403, (method, url)
            refusal = AuditEvent.objects.filter(actor=user).latest("id")
            assert (refusal.outcome, refusal.parts) == (Outcome.REFUSED, ["notes"])
        note.refresh_from_db()
        assert note.withheld_by == cast.team_worker
        return
    assert client.get(withhold).status_code == 200
    assert client.post(withhold, data).status_code == 302
    note.refresh_from_db()
    assert note.withheld and note.withheld_by == user
    changed = AuditEvent.objects.filter(actor=user).latest("id")
    assert (changed.action, changed.parts, changed.detail["withheld"]) == ("change", ["notes"], True)
    assert client.get(release).status_code == 200
    assert client.post(release).status_code == 302
    note.refresh_from_db()
    assert not note.withheld
    assert AuditEvent.objects.filter(actor=user).latest("id").detail["released"] is True
