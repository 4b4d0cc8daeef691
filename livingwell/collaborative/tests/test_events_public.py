"""The public open events pages: anyone, signed in or not, sees upcoming open events and how to come;
never other sessions, and no member's name unless they agreed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.collaborative import sessions as services
from livingwell.collaborative.models import SessionStatus
from livingwell.collaborative.tests.conftest import Collab
from livingwell.collaborative.tests.test_sessions_support import make_session

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return response.content.decode()


def test_anyone_sees_upcoming_open_events_and_how_to_come(collab: Collab) -> None:
    open_event = make_session(
        collab.whole,
        title="Collaborative open event",
        is_open_event=True,
        host_organisation=collab.cast.charity,
        host_member=collab.lived,  # Sunny did not agree to be named publicly
        how_to_get_there="Step-free entrance on Brixton Oval",
        postcode="SW2 1JQ",
    )
    make_session(collab.design, title="Design Team meeting")  # not open: never public
    make_session(
        collab.whole,
        title="Last year's open event",
        is_open_event=True,
        starts_at=timezone.now() - dt.timedelta(days=300),
        status=SessionStatus.HELD,
    )
    html = _html(Client().get(reverse("collaborative:events")))
    assert "<h1>Open events</h1>" in html
    assert "Collaborative open event" in html and "Design Team meeting" not in html
    assert "Last year&#39;s open event" not in html
    assert "You do not need to book. Just come along" in html
    assert "Hosted by Certitude, welcomed by a member with lived experience" in html
    assert "Sunny" not in html
    page = _html(Client().get(reverse("collaborative:event", args=[open_event.pk])))
    assert "<h1>Collaborative open event</h1>" in page
    assert "Step-free entrance on Brixton Oval" in page and "SW2 1JQ" in page
    assert "How to come" in page and "Sunny" not in page


def test_a_host_who_agreed_is_named(collab: Collab) -> None:
    collab.co_chair.public_name = True
    collab.co_chair.save()
    make_session(collab.whole, is_open_event=True, host_member=collab.co_chair)
    html = _html(Client().get(reverse("collaborative:events")))
    assert "Welcomed by Pat (co-chair)" in html


def test_cancelled_upcoming_event_says_so_and_old_ones_are_gone(collab: Collab) -> None:
    upcoming = make_session(collab.whole, title="March open event", is_open_event=True)
    services.session_cancel(actor=collab.chair.user, session=upcoming, reason="Sunny is away")  # reason is for members
    html = _html(Client().get(reverse("collaborative:events")))
    assert "March open event" in html and "Cancelled" in html
    page = _html(Client().get(reverse("collaborative:event", args=[upcoming.pk])))
    assert "This event is cancelled" in page and "Sunny is away" not in page and "How to come" not in page
    old = make_session(
        collab.whole,
        is_open_event=True,
        starts_at=timezone.now() - dt.timedelta(days=60),
        status=SessionStatus.CANCELLED,
    )
    assert Client().get(reverse("collaborative:event", args=[old.pk])).status_code == 404


def test_other_sessions_are_not_public(collab: Collab) -> None:
    private = make_session(collab.design, title="Design Team meeting")
    assert Client().get(reverse("collaborative:event", args=[private.pk])).status_code == 404
    assert (
        Client().get(reverse("collaborative:event", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404
    )


def test_held_open_event_page_says_it_has_taken_place(collab: Collab) -> None:
    held = make_session(
        collab.whole, is_open_event=True, starts_at=timezone.now() - dt.timedelta(days=3), status=SessionStatus.HELD
    )
    page = _html(Client().get(reverse("collaborative:event", args=[held.pk])))
    assert "This event has taken place." in page and "How to come" not in page
