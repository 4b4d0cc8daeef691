"""Only a site administrator may use the network pages, and only for their own site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.conftest import Cast
from livingwell.network.models import Locality, Membership, Organisation, Team

Verified = Callable[[User], Client]

# Each page, with how to find the thing it is about in the cast.
PAGES: list[tuple[str, Callable[[Cast], list[Any]]]] = [
    ("network:index", lambda c: []),
    ("network:site_settings", lambda c: []),
    ("network:organisations", lambda c: []),
    ("network:organisation_add", lambda c: []),
    ("network:organisation_change", lambda c: [c.charity.pk]),
    ("network:teams", lambda c: []),
    ("network:team_add", lambda c: []),
    ("network:team_change", lambda c: [c.team_a.pk]),
    ("network:localities", lambda c: []),
    ("network:locality_add", lambda c: []),
    ("network:locality_change", lambda c: [Locality.objects.get(site=c.site).pk]),
    ("network:staff", lambda c: []),
    ("network:staff_add", lambda c: []),
    ("network:membership_end", lambda c: [Membership.objects.get(user=c.team_worker).pk]),
    ("network:invitation", lambda c: [Membership.objects.get(user=c.team_worker).pk]),
]
POST_ONLY = [("network:choose_site", lambda c: [])]
OUTSIDERS = ["team_worker", "analyst", "privacy_officer", "stranger"]


def assert_refused(response: Any, actor: User, action: Action) -> None:
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    event = AuditEvent.objects.filter(actor=actor, outcome=Outcome.REFUSED).order_by("-id").first()
    assert event is not None, "the refusal was not recorded"
    assert event.action == action
    assert event.path == response.wsgi_request.path


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("name", "args"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_refuses_anyone_but_a_site_administrator(
    cast: Cast, verified_client: Verified, who: str, name: str, args: Callable[[Cast], list[Any]]
) -> None:
    actor = getattr(cast, who)
    response = verified_client(actor).get(reverse(name, args=args(cast)))
    assert_refused(response, actor, Action.VIEW)


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("name", "args"), PAGES[1:] + POST_ONLY, ids=[p[0] for p in PAGES[1:] + POST_ONLY])
def test_every_change_refuses_anyone_but_a_site_administrator(
    cast: Cast, verified_client: Verified, who: str, name: str, args: Callable[[Cast], list[Any]]
) -> None:
    actor = getattr(cast, who)
    response = verified_client(actor).post(reverse(name, args=args(cast)), {"name": "Changed"})
    assert response.status_code in (403, 405)
    if response.status_code == 403:
        assert_refused(response, actor, Action.NETWORK_CHANGE)
    assert not AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, outcome=Outcome.ALLOWED).exists()


def test_the_network_is_unchanged_after_refusals(cast: Cast, verified_client: Verified) -> None:
    client = verified_client(cast.team_leader)
    client.post(reverse("network:team_add"), {"name": "Sneaky team"})
    client.post(reverse("network:team_change", args=[cast.team_a.pk]), {"name": "Renamed", "is_active": ""})
    client.post(
        reverse("network:membership_end", args=[Membership.objects.get(user=cast.team_worker).pk]),
        {"ended_on_0": "1", "ended_on_1": "1", "ended_on_2": "2025"},
    )
    assert not Team.objects.filter(name="Sneaky team").exists()
    cast.team_a.refresh_from_db()
    assert cast.team_a.name == "North Living Well team"
    assert Membership.objects.get(user=cast.team_worker).ended_on is None


# Another site's administrator ----------------------------------------------------------------


def _other_sites_pages(cast: Cast) -> list[str]:
    return [
        reverse("network:organisation_change", args=[cast.charity.pk]),
        reverse("network:team_change", args=[cast.team_a.pk]),
        reverse("network:locality_change", args=[Locality.objects.get(site=cast.site).pk]),
        reverse("network:membership_end", args=[Membership.objects.get(user=cast.team_worker).pk]),
        reverse("network:invitation", args=[Membership.objects.get(user=cast.team_worker).pk]),
    ]


def test_an_administrator_of_another_site_cannot_open_this_sites_things(
    cast: Cast, other_site: Any, verified_client: Verified
) -> None:
    client = verified_client(other_site.admin)
    for url in _other_sites_pages(cast):
        response = client.get(url)
        assert_refused(response, other_site.admin, Action.VIEW)
    for url in _other_sites_pages(cast)[:-1]:
        response = client.post(url, {"name": "Taken over", "sector": "other", "is_active": ""})
        assert_refused(response, other_site.admin, Action.NETWORK_CHANGE)
    cast.charity.refresh_from_db()
    cast.team_a.refresh_from_db()
    assert (cast.charity.name, cast.team_a.name) == ("Certitude", "North Living Well team")
    assert Membership.objects.get(user=cast.team_worker).ended_on is None


def test_an_administrator_of_another_site_sees_only_their_own_site(
    cast: Cast, other_site: Any, verified_client: Verified
) -> None:
    client = verified_client(other_site.admin)
    pages = "".join(
        client.get(reverse(name)).content.decode()
        for name in ("network:index", "network:organisations", "network:teams", "network:localities", "network:staff")
    )
    assert "Southwark Mind" in pages
    assert "Peckham Living Well team" in pages
    for lambeth in ("Certitude", "North Living Well team", "Team Worker", cast.team_worker.email, "Lambeth network"):
        assert lambeth not in pages


def test_an_administrator_of_another_site_cannot_use_this_sites_organisations(
    cast: Cast, other_site: Any, verified_client: Verified
) -> None:
    client = verified_client(other_site.admin)
    response = client.post(
        reverse("network:staff_add"),
        {
            "email": "jo@example.test",
            "display_name": "Jo",
            "organisation": str(cast.charity.pk),
            "team": str(cast.team_a.pk),
            "role": "peer_worker",
            "started_on_0": "1",
            "started_on_1": "4",
            "started_on_2": "2025",
        },
    )
    assert response.status_code == 200
    assert "Select an organisation from the list" in response.content.decode()
    assert "Select a team from the list" in response.content.decode()
    assert not Membership.objects.filter(user__email="jo@example.test").exists()
    response = client.post(reverse("network:choose_site"), {"site": str(cast.site.pk)})
    assert client.get(reverse("network:index")).content.decode().count("Southwark network") == 1
    assert Organisation.objects.filter(site=cast.site).count() == 4


def test_an_ended_administrator_role_is_refused(cast: Cast, verified_client: Verified) -> None:
    Membership.objects.filter(user=cast.site_admin).update(ended_on="2025-01-01")
    response = verified_client(cast.site_admin).get(reverse("network:index"))
    assert_refused(response, cast.site_admin, Action.VIEW)
