"""The pages of a person's community offers, asserted on the HTML: their connections in their record,
connecting them from an offer's page, moving a connection on (errors by each field, conflicts),
recording a need no offer met, the follow-ups on a worker's home page, the access cast on every
page, and query counts that stay the same with more connections."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.community import connections as svc
from livingwell.community.models import Connection, ConnectionStage, Gap, Postcode, Service
from livingwell.community.tests.test_search import ARTS, BRIXTON, add, document
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db
S = ConnectionStage


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def get(user: object, url: str, status: int = 200) -> str:
    response = client_for(user).get(url)
    assert response.status_code == status, response.content[:500]
    return htmllib.unescape(response.content.decode())


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def offer(cast: Cast) -> Service:
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    return add(cast.site, document("Brixton walking football", place=(51.4620, -0.1150), terms=(ARTS,)))


def list_url(cast: Cast) -> str:
    return reverse("connections:list", args=[cast.person.pk])


def add_url(cast: Cast, offer: Service) -> str:
    return reverse("connections:add", args=[cast.person.pk, offer.pk])


def update_url(cast: Cast, connection: Connection) -> str:
    return reverse("connections:update", args=[cast.person.pk, connection.pk])


def connected(cast: Cast, offer: Service, **kwargs: Any) -> Connection:
    kwargs.setdefault("stage", S.INTRODUCED)
    kwargs.setdefault("actor", cast.team_worker)
    return svc.connect(person_id=cast.person.pk, service_id=offer.pk, **kwargs)


def date_fields(prefix: str, day: dt.date) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


# --- The person's connections in their record ----------------------------------------------------


def test_a_worker_sees_the_connections_with_their_history_and_ways_to_find_and_record(
    cast: Cast, offer: Service
) -> None:
    connection = connected(cast, offer, note="Phoned ahead")
    svc.connection_move(
        actor=cast.allocated_worker,
        connection_id=connection.pk,
        stage=S.DID_NOT_SUIT,
        why_not="Too far on the bus",
        expected_version=1,
    )
    html = get(cast.team_worker, list_url(cast))
    page = text(html)
    assert '<span class="nhsuk-caption-l">Alex Morgan</span>' in html and "<h1>Community offers</h1>" in html
    assert f'href="{reverse("community:offer", args=[offer.pk])}?for={cast.person.pk}">Brixton walking football' in html
    assert '<strong class="nhsuk-tag nhsuk-tag--orange">Did not suit</strong>' in html
    assert "Why it did not suit Too far on the bus" in page
    assert re.search(r"Introduced : \d+ \w+ \d{4}, Team Worker Phoned ahead", page), page
    assert re.search(r"Did not suit : \d+ \w+ \d{4}, Allocated Peer Too far on the bus", page)
    assert "Team Worker" in page and "Allocated Peer" in page and "Phoned ahead" in page
    assert f'href="{update_url(cast, connection)}">Update' in html
    assert f'href="/community/?for={cast.person.pk}"' in html and "Find an offer near Alex Morgan’s home" in html  # noqa: RUF001
    assert (
        f'href="{reverse("connections:gap", args=[cast.person.pk])}"' in html and "Record a need no offer met" in html
    )
    event = AuditEvent.objects.filter(actor=cast.team_worker, action="view").get()
    assert event.parts == ["network"] and event.basis == "team"


def test_the_page_is_in_the_record_contents_for_staff_and_the_person(cast: Cast) -> None:
    staff = get(cast.team_worker, reverse("people:record", args=[cast.person.pk]))
    assert f'href="{list_url(cast)}"' in staff and "Community offers" in staff
    own = get(cast.person_user, reverse("people:me"))
    assert f'href="{list_url(cast)}"' in own and "Your community offers" in own


def test_the_person_sees_their_own_connections_worded_for_them(cast: Cast, offer: Service) -> None:
    connected(cast, offer, stage=S.SUGGESTED)
    html = get(cast.person_user, list_url(cast))
    assert "<h1>Your community offers</h1>" in html
    assert "You’d like to try this" in html  # noqa: RUF001
    assert 'href="/community/"' in html and "Find an offer near your home" in html
    assert "Follow up on" not in html  # reminders are for workers
    assert "Update" in html
    assert AuditEvent.objects.filter(actor=cast.person_user, action="view").get().basis == "self"


def test_no_connections_yet(cast: Cast) -> None:
    assert "Alex Morgan is not connected to any community offers yet." in get(cast.team_worker, list_url(cast))
    assert "You are not connected to any community offers yet." in get(cast.person_user, list_url(cast))


def test_consent_reads_but_cannot_change(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    html = get(cast.consent_worker, list_url(cast))
    assert "Brixton walking football" in html
    assert update_url(cast, connection) not in html and "Record a need no offer met" not in html
    assert AuditEvent.objects.filter(actor=cast.consent_worker, action="view").get().basis == "consent"
    for url in (update_url(cast, connection), add_url(cast, offer), reverse("connections:gap", args=[cast.person.pk])):
        get(cast.consent_worker, url, 403)
    assert AuditEvent.objects.filter(actor=cast.consent_worker, outcome=Outcome.REFUSED).count() == 3


@pytest.mark.parametrize("who", ["coordinator", "other_team_worker", "stranger", "analyst"])
def test_everyone_else_is_refused_every_page_and_the_refusal_is_audited(cast: Cast, offer: Service, who: str) -> None:
    connection = connected(cast, offer)
    user = getattr(cast, who)
    urls = [
        list_url(cast),
        add_url(cast, offer),
        update_url(cast, connection),
        reverse("connections:gap", args=[cast.person.pk]),
    ]
    for url in urls:
        get(user, url, 403)
    refused = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk)
    assert refused.count() == len(urls) and {e.outcome for e in refused} == {Outcome.REFUSED}
    assert {tuple(e.parts) for e in refused} == {("network",)}


def test_unknown_people_connections_and_offers_are_not_found(cast: Cast, offer: Service) -> None:
    import uuid

    get(cast.team_worker, reverse("connections:list", args=[uuid.uuid4()]), 404)
    get(cast.team_worker, reverse("connections:add", args=[cast.person.pk, "no-such-offer"]), 404)
    get(cast.team_worker, reverse("connections:update", args=[cast.person.pk, uuid.uuid4()]), 404)
    # A connection of someone else is not found under this person.
    from livingwell.testing import make_person

    other = make_person(cast.site, "Jo", "Bloggs")
    theirs = Connection.objects.create(person=other, service=offer, stage=S.SUGGESTED)
    get(cast.team_worker, reverse("connections:update", args=[cast.person.pk, theirs.pk]), 404)


def test_queries_stay_the_same_with_more_connections(
    cast: Cast, offer: Service, django_assert_max_num_queries: Any
) -> None:
    connected(cast, offer)
    client = client_for(cast.team_worker)
    client.get(list_url(cast))
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as few:
        assert client.get(list_url(cast)).status_code == 200
    for n in range(6):
        other = connected(cast, add(cast.site, document(f"Offer {n}")))
        svc.connection_move(actor=cast.team_worker, connection_id=other.pk, stage=S.WENT, expected_version=1)
        svc.gap_record(actor=cast.team_worker, site=cast.site, need=f"Need {n}", person_id=cast.person.pk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(list_url(cast)).content.decode()
    assert html.count('class="nhsuk-card"') == 7


# --- Connecting from an offer's page -------------------------------------------------------------


def test_search_results_for_a_person_link_to_offers_for_them(cast: Cast, offer: Service) -> None:
    html = get(cast.team_worker, f"/community/?for={cast.person.pk}")
    assert f'href="{reverse("community:offer", args=[offer.pk])}?for={cast.person.pk}"' in html
    own = get(cast.person_user, "/community/")
    assert f'href="{reverse("community:offer", args=[offer.pk])}"' in own


def test_the_offer_page_for_a_person_offers_to_connect_them_then_shows_the_connection(
    cast: Cast, offer: Service
) -> None:
    url = f"{reverse('community:offer', args=[offer.pk])}?for={cast.person.pk}"
    html = get(cast.team_worker, url)
    assert "Connect Alex Morgan to this offer" in html and f'href="{add_url(cast, offer)}"' in html
    event = AuditEvent.objects.filter(actor=cast.team_worker, parts=["network"], action="view").get()
    assert event.person_id == cast.person.pk and event.basis == "team"
    connection = connected(cast, offer)
    html = get(cast.team_worker, url)
    assert "Alex Morgan is already connected to this offer." in html and "Introduced" in html
    assert f'href="{update_url(cast, connection)}">Update the connection' in html
    assert "Connect Alex Morgan to this offer" not in html


def test_the_person_sees_i_would_like_to_try_this_on_an_offer(cast: Cast, offer: Service) -> None:
    html = get(cast.person_user, reverse("community:offer", args=[offer.pk]))
    assert "I’d like to try this" in html and f'href="{add_url(cast, offer)}"' in html  # noqa: RUF001


def test_the_offer_page_for_someone_they_only_read_or_cannot_see(cast: Cast, offer: Service) -> None:
    url = f"{reverse('community:offer', args=[offer.pk])}?for={cast.person.pk}"
    html = get(cast.consent_worker, url)
    assert "Alex Morgan is not connected to this offer." in html and "Connect Alex" not in html
    get(cast.coordinator, url, 403)
    get(cast.team_worker, f"{reverse('community:offer', args=[offer.pk])}?for=nonsense", 404)
    plain = get(cast.team_worker, reverse("community:offer", args=[offer.pk]))
    assert "Connect" not in plain


def test_connecting_a_person_with_a_follow_up_date(cast: Cast, offer: Service) -> None:
    html = get(cast.team_worker, add_url(cast, offer))
    in_two_weeks = timezone.localdate() + dt.timedelta(weeks=2)
    assert "<h1>Connect Alex Morgan to Brixton walking football</h1>" in html
    assert "Suggested: we talked about it" in html and "Introduced: I have put them in touch" in html
    assert f'value="{in_two_weeks.day}"' in html  # the follow-up is offered, in two weeks
    when = timezone.localdate() + dt.timedelta(days=10)
    client = client_for(cast.team_worker)
    response = client.post(
        add_url(cast, offer),
        {"stage": "introduced", "note": "Emailed the organiser", **date_fields("follow_up_on", when)},
    )
    connection = Connection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{list_url(cast)}#connection-{connection.pk}"
    assert (connection.stage, connection.follow_up_on, connection.note) == (S.INTRODUCED, when, "Emailed the organiser")
    followed = htmllib.unescape(client.get(response["Location"]).content.decode())
    assert "Alex Morgan connected to Brixton walking football" in followed


def test_the_connect_form_shows_errors_by_each_field_and_keeps_the_answers(cast: Cast, offer: Service) -> None:
    past = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(cast.team_worker).post(
        add_url(cast, offer), {"note": "Keep me", **date_fields("follow_up_on", past)}
    )
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html
    assert "Choose how you are connecting them" in html and "Keep me" in html
    response = client_for(cast.team_worker).post(
        add_url(cast, offer), {"stage": "suggested", "note": "Keep me", **date_fields("follow_up_on", past)}
    )
    html = htmllib.unescape(response.content.decode())
    assert "Follow-up date must be today or in the future" in html and 'href="#id_follow_up_on_0"' in html
    assert not Connection.objects.exists()


def test_the_connect_page_says_when_they_are_already_connected(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    html = get(cast.team_worker, add_url(cast, offer))
    assert "Alex Morgan is already connected to this offer" in html
    assert f'href="{update_url(cast, connection)}"' in html and "<form method" not in html.split("<main")[-1]
    response = client_for(cast.team_worker).post(add_url(cast, offer), {"stage": "suggested"})
    assert response.status_code == 200 and Connection.objects.count() == 1


def test_the_person_connects_themself(cast: Cast, offer: Service) -> None:
    html = get(cast.person_user, add_url(cast, offer))
    assert "<h1>Would you like to try this?</h1>" in html
    assert "I’d like to try this" in html and "I’ve been" in html and "Follow up on" not in html  # noqa: RUF001
    response = client_for(cast.person_user).post(add_url(cast, offer), {"stage": "went", "note": "Loved it"})
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert (connection.stage, connection.made_by, connection.follow_up_on) == (S.WENT, cast.person_user, None)


# --- Moving a connection on ----------------------------------------------------------------------


def test_the_update_form_offers_only_the_moves_from_here(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    html = get(cast.team_worker, update_url(cast, connection))
    assert "<h1>Update: Brixton walking football</h1>" in html
    assert re.findall(r'name="stage" type="radio" value="([a-z_]+)"', html) == ["went", "did_not_suit"]
    assert "Alex Morgan went" in html and "It did not suit" in html
    assert "If it did not suit, why not?" in html and 'name="version" value="1"' in html


def test_did_not_suit_without_why_is_an_error_by_the_field_then_saved_with_why(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    client = client_for(cast.team_worker)
    response = client.post(update_url(cast, connection), {"stage": "did_not_suit", "version": "1", "note": "Spoke"})
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html
    assert 'href="#id_why_not"' in html and "Say why it did not suit" in html and "Spoke" in html
    response = client.post(
        update_url(cast, connection), {"stage": "did_not_suit", "version": "1", "why_not": "The wrong time"}
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert (connection.stage, connection.why_not, connection.follow_up_on) == (S.DID_NOT_SUIT, "The wrong time", None)


def test_a_move_with_a_next_follow_up(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    when = timezone.localdate() + dt.timedelta(days=21)
    response = client_for(cast.allocated_worker).post(
        update_url(cast, connection), {"stage": "went", "version": "1", **date_fields("follow_up_on", when)}
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert (connection.stage, connection.follow_up_on, connection.version) == (S.WENT, when, 2)


def test_two_people_moving_it_at_once_see_a_conflict_with_both_versions(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer)
    client_for(cast.team_worker).post(update_url(cast, connection), {"stage": "went", "version": "1"})
    response = client_for(cast.allocated_worker).post(
        update_url(cast, connection), {"stage": "did_not_suit", "version": "1", "why_not": "Too far"}
    )
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200 and "Someone else changed this while you were editing" in html
    assert "Did not suit" in html and 'name="version" value="2"' in html and "Too far" in html
    connection.refresh_from_db()
    assert connection.stage == S.WENT


def test_the_person_moves_their_own_connection(cast: Cast, offer: Service) -> None:
    connection = connected(cast, offer, stage=S.SUGGESTED)
    html = get(cast.person_user, update_url(cast, connection))
    assert "I’ve been" in html and "It did not suit me" in html and "Introduced" not in html.split("<form")[-1]  # noqa: RUF001
    response = client_for(cast.person_user).post(
        update_url(cast, connection), {"stage": "went", "version": "1", "note": "It was friendly"}
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.stage == S.WENT


# --- Needs no offer met --------------------------------------------------------------------------


def test_recording_a_need_no_offer_met(cast: Cast, offer: Service) -> None:
    url = reverse("connections:gap", args=[cast.person.pk])
    html = get(cast.team_worker, url)
    assert "<h1>Record a need no offer met</h1>" in html and "What was needed?" in html and "Arts" in html
    response = client_for(cast.team_worker).post(url, {"need": ""})
    assert "Say what was needed" in htmllib.unescape(response.content.decode())
    response = client_for(cast.team_worker).post(url, {"need": "Evening swimming for women", "term": ARTS})
    assert response.status_code == 302 and response["Location"] == f"{list_url(cast)}#needs"
    gap = Gap.objects.get()
    assert (gap.need, gap.term_id, gap.person, gap.recorded_by) == (
        "Evening swimming for women",
        ARTS,
        cast.person,
        cast.team_worker,
    )
    assert "Evening swimming for women" in get(cast.team_worker, list_url(cast))


# --- Follow-ups on the worker's home page --------------------------------------------------------


def test_the_workers_home_page_lists_follow_ups_due_overdue_first(cast: Cast, offer: Service) -> None:
    late = Connection.objects.create(
        person=cast.person,
        service=offer,
        stage=S.INTRODUCED,
        follow_up_on=timezone.localdate() - dt.timedelta(days=2),
    )
    other = add(cast.site, document("Art club"))
    Connection.objects.create(
        person=cast.person, service=other, stage=S.WENT, follow_up_on=timezone.localdate() + dt.timedelta(days=3)
    )
    for user in (cast.allocated_worker, cast.team_leader):
        html = get(user, reverse("core:home"))
        assert "Follow-ups due" in html and "2 follow-ups due in the next week, 1 overdue" in html
        assert html.index("Brixton walking football") < html.index("Art club")
        assert f'href="{update_url(cast, late)}"' in html and "(overdue)" in html
    event = AuditEvent.objects.filter(actor=cast.allocated_worker, detail__list="follow-ups due").get()
    assert event.person_id == cast.person.pk and event.basis == "allocated"
    assert event.parts == ["identity", "network"]


def test_no_follow_ups_section_when_none_are_due(cast: Cast) -> None:
    assert "Follow-ups due" not in get(cast.allocated_worker, reverse("core:home"))


def test_the_home_page_queries_stay_the_same_with_more_follow_ups(
    cast: Cast, offer: Service, django_assert_max_num_queries: Any
) -> None:
    Connection.objects.create(person=cast.person, service=offer, stage=S.SUGGESTED, follow_up_on=timezone.localdate())
    client = client_for(cast.allocated_worker)
    client.get(reverse("core:home"))
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as few:
        client.get(reverse("core:home"))
    for n in range(5):
        Connection.objects.create(
            person=cast.person,
            service=add(cast.site, document(f"Offer {n}")),
            stage=S.WENT,
            follow_up_on=timezone.localdate(),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("core:home")).content.decode()
    assert "6 follow-ups due" in html


# --- A need no offer met, without a person ----------------------------------------------------------


def test_staff_record_a_need_without_naming_anyone_from_the_search_page(cast: Cast, offer: Service) -> None:
    url = reverse("community:gap_add")
    search = get(cast.team_worker, reverse("community:search"))
    assert f'href="{url}"' in search and "Record a need no offer met" in search
    page = get(cast.team_worker, url)
    assert "Record a need no offer met" in page and "without their name" in page
    client = client_for(cast.team_worker)
    response = client.post(url, {"need": "", "term": ARTS, "locality": ""})
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200 and "There is a problem" in html and "Say what was needed" in html
    assert Gap.objects.count() == 0
    response = client.post(url, {"need": "A Saturday choir in Norwood", "term": ARTS, "locality": ""})
    assert response.status_code == 302 and response["Location"] == reverse("community:search")
    gap = Gap.objects.get()
    assert (gap.need, gap.person, gap.site, gap.recorded_by) == (
        "A Saturday choir in Norwood",
        None,
        cast.site,
        cast.team_worker,
    )
    assert not AuditEvent.objects.filter(person_id__isnull=False, action="create").exists()


@pytest.mark.parametrize("who", ["person_user", "stranger"])
def test_only_staff_record_a_need_without_a_person(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    assert "Record a need no offer met" not in get(user, reverse("community:search"))
    for method in ("get", "post"):
        response = getattr(client_for(user), method)(reverse("community:gap_add"), {"need": "Anything"})
        assert response.status_code == 403
    assert Gap.objects.count() == 0
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED).count() == 2
