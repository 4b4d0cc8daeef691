"""The set-password link a site administrator passes on to someone new."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent
from livingwell.conftest import Cast
from livingwell.network import services
from livingwell.network.models import Role

NEW_PASSWORD = "violet-kettle-harbour-91"


@pytest.fixture
def link(cast: Cast) -> str:
    added = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email="jo@example.test",
        display_name="Jo Bloggs",
        organisation=cast.charity,
        team=cast.team_a,
        role=Role.PEER_WORKER,
        started_on=dt.date(2025, 4, 1),
    )
    return services.invitation_create(actor=cast.site_admin, membership=added.membership).path


def text(response: Any) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_link_works_once(client: Client, link: str) -> None:
    response = client.get(link)
    # The token moves into the session, out of the address bar and any Referer header.
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    assert link.rstrip("/").rsplit("/", 1)[-1] not in form_url
    response = client.get(form_url)
    assert response.status_code == 200
    page = text(response)
    assert "Choose a password" in page
    assert "jo@example.test" in page
    assert "novalidate" in response.content.decode()

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:sign_in")
    assert "Your password is saved" in text(response)
    user = User.objects.get(email="jo@example.test")
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        actor=user, action=Action.CHANGE, detail__account="password set from invitation"
    ).exists()

    # Used: neither the link nor the page behind it works again.
    for again in (link, form_url):
        response = client.get(again, follow=True)
        assert response.status_code == 200
        assert "This link does not work" in text(response)
        assert "<form" not in response.content.decode().split("<main", 1)[-1]
    response = client.post(form_url, {"new_password1": "another-long-pass-42", "new_password2": "another-long-pass-42"})
    assert "This link does not work" in text(response)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_fresh_browser_with_a_used_link_is_turned_away(client: Client, link: str) -> None:
    user = User.objects.get(email="jo@example.test")
    user.set_password(NEW_PASSWORD)
    user.save()
    response = Client().get(link)
    assert response.status_code == 200
    assert "This link does not work" in text(response)


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"new_password1": "", "new_password2": ""}, "id_new_password1", "Enter a password"),
        (
            {"new_password1": "short", "new_password2": "short"},
            "id_new_password1",
            "Password must be 12 characters or more",
        ),
        (
            {"new_password1": "123456789012345", "new_password2": "123456789012345"},
            "id_new_password1",
            "Password must include letters, not only numbers",
        ),
        (
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
            "id_new_password2",
            "The passwords do not match. Enter the same password twice",
        ),
    ],
)
def test_password_rules(client: Client, link: str, answers: dict[str, str], field: str, message: str) -> None:
    form_url = client.get(link)["Location"]
    response = client.post(form_url, answers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Choose a password" in html
    assert "There is a problem" in html
    assert re.search(
        rf'id="{field}-error"\s*>\s*<span class="nhsuk-u-visually-hidden">Error: </span>{re.escape(message)}', html
    )
    assert not User.objects.get(email="jo@example.test").has_usable_password()
    assert NEW_PASSWORD not in html  # passwords are never sent back


@pytest.mark.parametrize("tamper", ["token", "uid", "session-only"])
def test_a_wrong_link_does_not_work(client: Client, cast: Cast, link: str, tamper: str) -> None:
    _, _, uidb64, token, _ = link.split("/")
    if tamper == "token":
        # Change the last characters to something they are not (a real token ends in "abc" one time in 4,096).
        url = reverse("accounts:set_password", args=[uidb64, token[:-3] + ("xyz" if token.endswith("abc") else "abc")])
    elif tamper == "uid":
        url = reverse("accounts:set_password", args=["bm90LWEtdXNlcg", token])
    else:  # the form page, without having opened the link
        url = reverse("accounts:set_password", args=[uidb64, "set-password"])
    response = client.get(url)
    assert response.status_code == 200
    assert "This link does not work" in text(response)
