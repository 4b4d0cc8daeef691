"""The account pages: what a worker says people can ask for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db


def test_a_worker_says_what_people_can_ask_for(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.team_worker)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Change what people can ask for" in page
    response = client.post(
        reverse("accounts:worker_profile"), {"gender": "woman", "languages": " Portuguese,  English, Portuguese "}
    )
    assert response.status_code == 302
    cast.team_worker.refresh_from_db()
    assert (cast.team_worker.gender, cast.team_worker.languages) == ("woman", "Portuguese, English")
    assert AuditEvent.objects.filter(actor=cast.team_worker, action=Action.NETWORK_CHANGE).exists()


def test_bad_answers_are_named_and_nothing_is_saved(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.team_worker)
    response = client.post(reverse("accounts:worker_profile"), {"gender": "robot", "languages": "x" * 201})
    html = response.content.decode()
    assert "<title>Error: What people can ask for" in html
    assert "Choose a gender from the list, or leave it empty" in html
    assert "Languages must be 200 characters or fewer" in html
    cast.team_worker.refresh_from_db()
    assert (cast.team_worker.gender, cast.team_worker.languages) == ("", "")
