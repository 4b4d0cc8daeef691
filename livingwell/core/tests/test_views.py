"""The shell: public pages, each role's home page, health check and branded error pages."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client
from django.urls import reverse

from livingwell.audit.models import AuditEvent
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_landing_page_explains_living_well_in_plain_english() -> None:
    response = Client().get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Living Well: support with your mental health</h1>" in html
    assert "We never turn anyone away" in html
    assert "116 123" in html
    assert 'href="#maincontent"' in html  # skip link
    assert "Sign in" in html


def test_pages_send_security_headers() -> None:
    response = Client().get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_healthz_answers_200_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_does_not() -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_branded_404() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()


def test_branded_500(cast: Cast) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(cast.team_worker)
    with mock.patch("livingwell.core.home.home_for", side_effect=RuntimeError("boom")):
        response = client.get(reverse("core:home"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("team_worker", "People you support"),
        ("allocated_worker", "People you support"),
        ("team_leader", "North Living Well team: who we support"),
        ("coordinator", "Front door"),
        ("analyst", "Network figures"),
        ("stranger", "Welcome, Stranger"),
    ],
)
def test_each_role_has_its_home_page(cast: Cast, who: str, heading: str) -> None:
    response = client_for(getattr(cast, who)).get(reverse("core:home"))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_worker_home_lists_the_people_they_are_allocated_to_and_audits_it(cast: Cast) -> None:
    html = client_for(cast.allocated_worker).get(reverse("core:home")).content.decode()
    assert "Alex Morgan" in html
    assert AuditEvent.objects.filter(actor=cast.allocated_worker, person_id=cast.person.pk, action="list").exists()


def test_team_leader_sees_who_is_waiting_for_a_worker(cast: Cast) -> None:
    from livingwell.support.models import Allocation

    Allocation.objects.all().delete()
    html = client_for(cast.team_leader).get(reverse("core:home")).content.decode()
    assert "Waiting for a worker" in html


def test_coordinator_home_shows_the_queue_with_waiting_days(cast: Cast) -> None:
    html = client_for(cast.coordinator).get(reverse("core:home")).content.decode()
    assert "Sam Taylor" in html
    assert "3 days" in html
    assert "Alex Morgan" not in html  # met: no longer at the front door


def test_analyst_home_shows_aggregates_and_no_names(cast: Cast) -> None:
    html = client_for(cast.analyst).get(reverse("core:home")).content.decode()
    assert "People supported now" in html
    assert "Alex" not in html and "Sam" not in html
    assert not AuditEvent.objects.filter(actor=cast.analyst, person_id__isnull=False).exists()


def test_team_leader_caseload_is_paged_and_only_the_page_shown_is_audited(cast: Cast) -> None:
    from django.utils import timezone

    from livingwell.support.models import SupportPeriod
    from livingwell.testing import make_person

    for i in range(60):
        person = make_person(cast.site, f"Person{i:02d}", "Zed")
        SupportPeriod.objects.create(person=person, team=cast.team_a, started_at=timezone.now())
    client = client_for(cast.team_leader)
    html = client.get(reverse("core:home")).content.decode()
    assert "61 people, 60 waiting for a worker" in html
    assert "Page 2 of 2" in html
    assert AuditEvent.objects.filter(actor=cast.team_leader, action="list").count() == 50
    assert "Person59" in client.get(reverse("core:home"), {"page": 2}).content.decode()
