"""The public pages: what the Collaborative is and how to join, for anyone, showing only what is public."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent
from livingwell.collaborative.models import (
    Decision,
    DecisionMethod,
    DecisionResult,
    DecisionStatus,
    GroupKind,
    JoinRequest,
    Member,
    Session,
    SessionStatus,
)
from livingwell.collaborative.tests.conftest import Collab, make_group
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

ABOUT = reverse("collaborative:about")
JOIN = reverse("collaborative:how_to_join")


def _main(html: str) -> str:
    """The page's main content, without the header (which shows the signed-in account's own name)."""
    match = re.search(r"<main.*?</main>", html, re.S)
    assert match is not None
    return match.group(0)


def make_session(collab: Collab, title: str, *, days: int, open_event: bool = True, **fields: object) -> Session:
    starts = timezone.now() + dt.timedelta(days=days)
    return Session.objects.create(
        group=fields.pop("group", collab.whole),  # type: ignore[arg-type]
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="Brixton library",
        is_open_event=open_event,
        **fields,
    )


def make_decision(collab: Collab, title: str, *, on: dt.date, public: bool = True, **fields: object) -> Decision:
    values: dict[str, object] = {
        "group": collab.whole,
        "title": title,
        "proposal": "A proposal.",
        "method": DecisionMethod.CONSENT,
        "status": DecisionStatus.DECIDED,
        "result": DecisionResult.AGREED,
        "decided_on": on,
        "is_public": public,
        "participant_count": 8,
        "lived_experience_count": 5,
    }
    values.update(fields)
    return Decision.objects.create(**values)


def test_about_shows_only_what_is_public(collab: Collab) -> None:
    make_group(
        collab.site,
        name="Peer Community of Practice",
        kind=GroupKind.COMMUNITY_OF_PRACTICE,
        purpose="Peer workers learn together.",
    )
    ended = make_group(collab.site, name="Old Lab", kind=GroupKind.PROTOTYPING_LAB)
    ended.ended_on = dt.date(2025, 6, 1)
    ended.save()
    make_session(collab, "Open event in May", days=3, host_organisation=collab.cast.charity)
    make_session(collab, "Open event in June", days=10)
    make_session(collab, "Open event in July", days=20)
    make_session(collab, "Open event in August", days=30)  # the fourth: not on the page
    make_session(collab, "Design team meeting", days=2, open_event=False, group=collab.design)
    make_session(collab, "Cancelled open event", days=4, status=SessionStatus.CANCELLED)
    make_session(collab, "Past open event", days=-2)
    make_decision(collab, "Fund the peer café", on=dt.date(2026, 3, 1), money=Decimal("1250"))
    make_decision(collab, "Private staffing decision", on=dt.date(2026, 3, 2), public=False)
    make_decision(collab, "Still open decision", on=None, status=DecisionStatus.OPEN, result="")  # type: ignore[arg-type]
    for n in range(5):
        make_decision(collab, f"Older decision {n}", on=dt.date(2025, 1, 10 + n))
    html = Client().get(ABOUT).content.decode()
    assert "<h1>The Living Well Collaborative</h1>" in html
    assert "Open event in May" in html and "Open event in June" in html and "Open event in July" in html
    assert "Hosted by Certitude" in html
    assert "Open event in August" not in html
    for hidden in (
        "Design team meeting",
        "Cancelled open event",
        "Past open event",
        "Private staffing decision",
        "Still open decision",
    ):
        assert hidden not in html
    # The 5 latest public decisions: the café (1 March 2026) then older decisions 4, 3, 2, 1; not 0.
    assert "Fund the peer café" in html and "£1,250" in html
    assert "Older decision 1" in html and "Older decision 0" not in html
    assert "With lived experience: 5 of 8 (63%)" in html  # 5 * 100 / 8 = 62.5, halves up
    assert "Peer Community of Practice" in html and "Peer workers learn together." in html
    assert "Old Lab" not in html
    # 8 current members; lived experience: co-chair and Sunny = 2 of 8 (25%).
    assert "8 members. People with lived experience of mental health: 2 of 8 (25%)." in html
    for name in ("events", "decisions_log", "public_stories", "funded_ideas", "how_to_join"):
        assert f'href="{reverse(f"collaborative:{name}")}"' in html
    # No member is named on the public page.
    for member in Member.objects.all():
        assert member.known_as not in html


def test_about_links_each_event_and_decision_to_its_public_page(collab: Collab) -> None:
    session = make_session(collab, "Open event", days=3)
    decision = make_decision(collab, "Fund the peer café", on=dt.date(2026, 3, 1))
    html = Client().get(ABOUT).content.decode()
    assert f'href="{reverse("collaborative:event", args=[session.pk])}"' in html
    assert f'href="{reverse("collaborative:public_decision", args=[decision.pk])}"' in html


def test_without_a_site_the_page_says_it_is_not_set_up(db: None) -> None:
    response = Client().get(ABOUT)
    assert response.status_code == 404
    assert "The Collaborative has not been set up here yet." in response.content.decode()


# ---- asking to join, without a sign-in ------------------------------------------------------------


def _ask(client: Client, **overrides: object) -> object:
    data: dict[str, object] = {
        "known_as": "Sam",
        "email": "sam@example.org",
        "perspectives": ["carer", "citizen"],
        "about": "Carers' voice",
        "access_needs": "",
    }
    data.update(overrides)
    return client.post(JOIN, data)


def test_anyone_can_ask_to_join_and_is_told_what_happens_next(collab: Collab) -> None:
    client = Client()
    page = client.get(JOIN).content.decode()
    assert "<h1>How to join the Collaborative</h1>" in page
    assert 'name="email"' in page and "Ask to join" in page
    response = _ask(client)
    assert response.status_code == 302 and response["Location"] == reverse("collaborative:join_request_sent")  # type: ignore[attr-defined]
    asked = JoinRequest.objects.get()
    assert asked.known_as == "Sam" and asked.carer and asked.citizen and not asked.lived_experience
    sent = client.get(reverse("collaborative:join_request_sent")).content.decode()
    assert "What happens next" in sent
    event = AuditEvent.objects.get(detail__what="join_request")
    assert event.detail["area"] == "collaborative" and event.actor is None


def test_asking_without_a_perspective_shows_the_error_and_keeps_the_answers(collab: Collab) -> None:
    response = _ask(Client(), perspectives=[])
    html = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "<title>Error: " in html and "There is a problem" in html
    assert "Select at least one thing you bring to the Collaborative" in html
    assert 'value="sam@example.org"' in html and 'value="Sam"' in html
    assert not JoinRequest.objects.exists()


def test_asking_twice_does_not_make_a_second_request(collab: Collab) -> None:
    client = Client()
    _ask(client)
    response = _ask(client, email="SAM@example.org", known_as="Samantha")
    assert response["Location"] == reverse("collaborative:join_request_sent")  # type: ignore[index]
    assert JoinRequest.objects.count() == 1
    html = client.get(reverse("collaborative:join_request_sent")).content.decode()
    assert "We already have a request to join from this email address" in html


# ---- joining, signed in ---------------------------------------------------------------------------


def test_the_join_form_never_shows_the_sign_ins_real_name(cast: Cast) -> None:
    """Alex Morgan is supported by the network; the Collaborative must not learn their name from the sign-in."""
    assert cast.person_user.name == "Alex Morgan"
    client = Client()
    client.force_login(cast.person_user)
    html = client.get(JOIN).content.decode()
    main = _main(html)
    assert "<h1>Join the Collaborative</h1>" in main
    assert "Alex" not in main and "Morgan" not in main and cast.person_user.email not in main
    assert re.search(r'<input[^>]*id="id_known_as" name="known_as" type="text" value=""', main, re.S)
    assert "It need not be your full name" in main
    # Listed by default (members only see the list); the name on public pages only if they tick it.
    assert re.search(r'id="id_listed" name="listed" type="checkbox" value="on" checked', main)
    assert re.search(r'id="id_public_name" name="public_name" type="checkbox" value="on"\s*>', main)


def test_signed_in_join_makes_a_member_and_goes_home(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    response = client.post(
        JOIN,
        {
            "known_as": "Robin",
            "perspectives": ["staff"],
            "sector": "voluntary",
            "organisation_name": "Certitude",
            "listed": "on",
        },
    )
    assert response["Location"] == reverse("collaborative:home")
    member = Member.objects.get(user=collab.outsider)
    assert member.known_as == "Robin" and member.staff and member.listed and not member.public_name
    assert member.organisation == collab.cast.charity
    html = client.get(reverse("collaborative:home")).content.decode()
    assert "Welcome to the Collaborative, Robin" in html


def test_staff_must_give_a_sector(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.outsider)
    html = client.post(JOIN, {"known_as": "Robin", "perspectives": ["staff", "carer"]}).content.decode()
    assert "Select the sector you work in or commission for" in html
    assert not Member.objects.filter(user=collab.outsider).exists()


def test_a_member_is_sent_home_from_the_join_page(collab: Collab) -> None:
    client = Client()
    client.force_login(collab.carer.user)
    assert client.get(JOIN)["Location"] == reverse("collaborative:home")


def test_the_landing_page_points_to_the_collaborative(collab: Collab) -> None:
    html = Client().get(reverse("core:landing")).content.decode()
    assert "Shape Living Well with us" in html and f'href="{ABOUT}"' in html


def test_about_queries_do_not_grow_with_events_decisions_or_groups(
    collab: Collab, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with django_assert_max_num_queries(8):
        client.get(ABOUT)
    for n in range(6):
        make_group(collab.site, name=f"Neighbourhood {n}", kind=GroupKind.NEIGHBOURHOOD)
        make_session(collab, f"Open event {n}", days=n + 1, host_organisation=collab.cast.charity)
        make_decision(collab, f"Decision {n}", on=dt.date(2026, 1, n + 1))
    with django_assert_max_num_queries(8):
        html = client.get(ABOUT).content.decode()
    assert "Neighbourhood 5" in html and "Decision 5" in html
