"""The network services: rules, audit in the same transaction, and who may use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.conftest import Cast, make_user, refresh_user
from livingwell.core.errors import DomainError
from livingwell.network import services
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Team

START = dt.date(2025, 4, 1)


def last_event() -> AuditEvent:
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None
    return event


def network_changes() -> int:
    return AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, outcome=Outcome.ALLOWED).count()


# Site settings -------------------------------------------------------------------------------


def test_site_settings_are_saved_and_audited(cast: Cast) -> None:
    services.site_settings_update(
        actor=cast.site_admin, site=cast.site, target_days_to_first_conversation=21, weeks_before_not_seen_flag=8
    )
    cast.site.refresh_from_db()
    assert (cast.site.target_days_to_first_conversation, cast.site.weeks_before_not_seen_flag) == (21, 8)
    event = last_event()
    assert event.action == Action.NETWORK_CHANGE
    assert event.outcome == Outcome.ALLOWED
    assert event.actor == cast.site_admin
    assert event.detail["changes"] == {
        "target_days_to_first_conversation": [28, 21],
        "weeks_before_not_seen_flag": [6, 8],
    }


@pytest.mark.parametrize(
    ("days", "weeks", "field"),
    [
        (0, 6, "target_days_to_first_conversation"),
        (366, 6, "target_days_to_first_conversation"),
        (28, 0, "weeks_before_not_seen_flag"),
        (28, 53, "weeks_before_not_seen_flag"),
    ],
)
def test_site_settings_out_of_range_are_refused(cast: Cast, days: int, weeks: int, field: str) -> None:
    with pytest.raises(DomainError) as error:
        services.site_settings_update(
            actor=cast.site_admin,
            site=cast.site,
            target_days_to_first_conversation=days,
            weeks_before_not_seen_flag=weeks,
        )
    assert error.value.field == field
    assert "must be between" in error.value.message
    cast.site.refresh_from_db()
    assert cast.site.target_days_to_first_conversation == 28
    assert network_changes() == 0


def test_plan_review_and_coming_back_settings_are_saved_and_checked(cast: Cast) -> None:
    services.site_settings_update(
        actor=cast.site_admin,
        site=cast.site,
        target_days_to_first_conversation=28,
        weeks_before_not_seen_flag=6,
        weeks_between_plan_reviews=8,
        months_to_come_back=18,
    )
    cast.site.refresh_from_db()
    assert (cast.site.weeks_between_plan_reviews, cast.site.months_to_come_back) == (8, 18)
    assert last_event().detail["changes"] == {"weeks_between_plan_reviews": [12, 8], "months_to_come_back": [12, 18]}
    with pytest.raises(DomainError) as error:
        services.site_settings_update(
            actor=cast.site_admin,
            site=cast.site,
            target_days_to_first_conversation=28,
            weeks_before_not_seen_flag=6,
            months_to_come_back=61,
        )
    assert (error.value.field, error.value.message) == (
        "months_to_come_back",
        "Months to come back must be between 1 and 60",
    )


def test_site_settings_unchanged_write_nothing(cast: Cast) -> None:
    services.site_settings_update(
        actor=cast.site_admin, site=cast.site, target_days_to_first_conversation=28, weeks_before_not_seen_flag=6
    )
    assert network_changes() == 0


# Localities ----------------------------------------------------------------------------------


def test_locality_create_tidies_the_name_and_audits(cast: Cast) -> None:
    locality = services.locality_create(actor=cast.site_admin, site=cast.site, name="  South   Lambeth ")
    assert locality.name == "South Lambeth"
    assert locality.site == cast.site
    assert last_event().detail == {
        "site": str(cast.site.pk),
        "object": "locality",
        "id": str(locality.pk),
        "created": {"name": "South Lambeth"},
    }


def test_locality_needs_a_name(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.locality_create(actor=cast.site_admin, site=cast.site, name="   ")
    assert (error.value.message, error.value.field) == ("Enter a locality name", "name")


def test_locality_duplicate_is_refused_whatever_the_case(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.locality_create(actor=cast.site_admin, site=cast.site, name="north")
    assert error.value.message == "A locality called north already exists"
    assert Locality.objects.filter(site=cast.site).count() == 1
    assert network_changes() == 0


def test_locality_rename(cast: Cast) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    services.locality_create(actor=cast.site_admin, site=cast.site, name="South")
    with pytest.raises(DomainError, match="A locality called South already exists"):
        services.locality_rename(actor=cast.site_admin, locality=north, name="South")
    services.locality_rename(actor=cast.site_admin, locality=north, name="North Lambeth")
    north.refresh_from_db()
    assert north.name == "North Lambeth"
    assert last_event().detail["changes"] == {"name": ["North", "North Lambeth"]}


# Organisations -------------------------------------------------------------------------------


def test_organisation_create_normalises_and_audits(cast: Cast) -> None:
    organisation = services.organisation_create(
        actor=cast.site_admin,
        site=cast.site,
        name="Lambeth GP Federation",
        sector=Sector.PRIMARY_CARE,
        ods_code=" y0 2 ",
        website="www.example.org.uk",
    )
    assert organisation.ods_code == "Y02"
    assert organisation.website == "https://www.example.org.uk"
    assert organisation.is_active
    event = last_event()
    assert event.action == Action.NETWORK_CHANGE
    assert event.detail["object"] == "organisation"
    assert event.detail["created"]["name"] == "Lambeth GP Federation"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name of the organisation"),
        ({"name": "certitude"}, "name", "An organisation called certitude already exists"),
        ({"sector": ""}, "sector", "Select the kind of organisation"),
        ({"sector": "pharma"}, "sector", "Select the kind of organisation"),
        ({"ods_code": "R!"}, "ods_code", "Enter an ODS code in the right format, like RV5 or A81001"),
        (
            {"website": "not a website"},
            "website",
            "Enter a website address in the right format, like https://www.example.org.uk",
        ),
    ],
)
def test_organisation_rules(cast: Cast, fields: dict[str, str], field: str, message: str) -> None:
    values = {"name": "New Partner", "sector": Sector.VOLUNTARY, "ods_code": "", "website": ""} | fields
    with pytest.raises(DomainError) as error:
        services.organisation_create(actor=cast.site_admin, site=cast.site, **values)
    assert (error.value.field, error.value.message) == (field, message)
    assert network_changes() == 0


def test_organisation_ods_code_is_unique_in_the_site(cast: Cast) -> None:
    services.organisation_update(
        actor=cast.site_admin,
        organisation=cast.trust,
        name=cast.trust.name,
        sector=cast.trust.sector,
        ods_code="RV5",
        website="",
        is_active=True,
    )
    with pytest.raises(DomainError, match="An organisation with the ODS code RV5 already exists"):
        services.organisation_create(
            actor=cast.site_admin, site=cast.site, name="Another trust", sector=Sector.NHS_TRUST, ods_code="rv5"
        )


def test_organisation_update_records_what_changed(cast: Cast) -> None:
    services.organisation_update(
        actor=cast.site_admin,
        organisation=cast.charity,
        name="Certitude London",
        sector=Sector.VOLUNTARY,
        ods_code="",
        website="",
        is_active=False,
    )
    cast.charity.refresh_from_db()
    assert cast.charity.name == "Certitude London"
    assert not cast.charity.is_active
    assert last_event().detail["changes"] == {"name": ["Certitude", "Certitude London"], "is_active": [True, False]}


def test_organisation_may_keep_its_own_name(cast: Cast) -> None:
    services.organisation_update(
        actor=cast.site_admin,
        organisation=cast.charity,
        name="CERTITUDE",
        sector=Sector.VOLUNTARY,
        ods_code="",
        website="",
        is_active=True,
    )
    cast.charity.refresh_from_db()
    assert cast.charity.name == "CERTITUDE"


# Teams ---------------------------------------------------------------------------------------


def test_team_create(cast: Cast) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    team = services.team_create(
        actor=cast.site_admin, site=cast.site, name="Crisis Café", locality=north, description="Evenings."
    )
    assert (team.site, team.locality, team.description, team.is_active) == (cast.site, north, "Evenings.", True)
    event = last_event()
    assert event.action == Action.NETWORK_CHANGE
    assert event.detail["created"]["locality"] == "North"


def test_team_needs_a_name(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.team_create(actor=cast.site_admin, site=cast.site, name="")
    assert (error.value.field, error.value.message) == ("name", "Enter a team name")


def test_team_duplicate_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.team_create(actor=cast.site_admin, site=cast.site, name="north living well TEAM")
    assert error.value.code == "team_exists"
    assert error.value.message == "A team called north living well TEAM already exists"
    assert Team.objects.filter(site=cast.site).count() == 2


def test_team_locality_must_be_in_the_site(cast: Cast, other_site: Any) -> None:
    with pytest.raises(DomainError) as error:
        services.team_create(actor=cast.site_admin, site=cast.site, name="Mixed", locality=other_site.locality)
    assert error.value.field == "locality"


def test_team_update(cast: Cast) -> None:
    services.team_update(
        actor=cast.site_admin, team=cast.team_b, name="South team", locality=None, description="", is_active=False
    )
    cast.team_b.refresh_from_db()
    assert (cast.team_b.name, cast.team_b.is_active) == ("South team", False)
    assert last_event().detail["changes"] == {
        "name": ["South Living Well team", "South team"],
        "is_active": [True, False],
    }
    with pytest.raises(DomainError, match="A team called North Living Well team already exists"):
        services.team_update(
            actor=cast.site_admin,
            team=cast.team_b,
            name="North Living Well team",
            locality=None,
            description="",
            is_active=True,
        )


def test_the_change_and_its_audit_event_are_saved_together(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services.audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.team_create(actor=cast.site_admin, site=cast.site, name="Never saved")
    assert not Team.objects.filter(name="Never saved").exists()


# Staff ---------------------------------------------------------------------------------------


def test_staff_add_makes_an_account_without_a_password(cast: Cast) -> None:
    added = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email=" Jo.Bloggs@Example.test ",
        display_name="Jo Bloggs",
        organisation=cast.charity,
        team=cast.team_a,
        role=Role.PEER_WORKER,
        job_title="Senior peer worker",
        started_on=START,
    )
    assert added.new_account
    assert added.needs_invitation
    user = refresh_user(added.user)
    assert user.email == "jo.bloggs@example.test"
    assert user.display_name == "Jo Bloggs"
    assert not user.has_usable_password()
    membership = added.membership
    assert (membership.site, membership.organisation, membership.team, membership.role) == (
        cast.site,
        cast.charity,
        cast.team_a,
        Role.PEER_WORKER,
    )
    assert membership.started_on == START
    event = last_event()
    assert event.action == Action.NETWORK_CHANGE
    assert event.detail["created"]["email"] == "jo.bloggs@example.test"
    assert event.detail["created"]["new_account"] is True


def test_staff_add_reuses_an_existing_account(cast: Cast) -> None:
    added = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email=cast.team_worker.email.upper(),
        display_name="Someone Else",
        organisation=cast.council,
        role=Role.EMPLOYMENT_SPECIALIST,
        started_on=START,
    )
    assert not added.new_account
    assert added.user == cast.team_worker
    assert not added.needs_invitation  # they already have a password
    user = refresh_user(cast.team_worker)
    assert user.display_name == "Team Worker"
    assert Membership.objects.current().filter(user=user).count() == 2


@pytest.mark.parametrize("with_team", [True, False])
def test_staff_add_refuses_the_same_current_role_twice(cast: Cast, with_team: bool) -> None:
    values: dict[str, Any] = {
        "email": "sam@example.test",
        "display_name": "Sam",
        "organisation": cast.charity,
        "team": cast.team_a if with_team else None,
        "role": Role.RECOVERY_WORKER,
        "started_on": START,
    }
    services.staff_add(actor=cast.site_admin, site=cast.site, **values)
    with pytest.raises(DomainError) as error:
        services.staff_add(actor=cast.site_admin, site=cast.site, **values)
    assert error.value.code == "membership_exists"
    assert error.value.message.startswith("Sam already has this role: Recovery worker at Certitude")
    assert Membership.objects.filter(user__email="sam@example.test").count() == 1


def test_staff_add_allows_the_role_again_after_it_ended(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    services.membership_end(actor=cast.site_admin, membership=membership)
    services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email=cast.team_worker.email,
        display_name="",
        organisation=cast.charity,
        team=cast.team_a,
        role=Role.RECOVERY_WORKER,
        started_on=timezone.localdate(),
    )
    assert Membership.objects.current().filter(user=cast.team_worker).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"email": ""}, "email", "Enter their email address"),
        ({"email": "jo@"}, "email", "Enter an email address in the right format, like name@example.com"),
        ({"display_name": " "}, "display_name", "Enter their full name"),
        ({"role": "doctor"}, "role", "Select their role"),
        ({"role": Role.TEAM_LEADER, "team": None}, "team", "Select the team they lead"),
    ],
)
def test_staff_add_rules(cast: Cast, change: dict[str, Any], field: str, message: str) -> None:
    values: dict[str, Any] = {
        "email": "jo@example.test",
        "display_name": "Jo",
        "organisation": cast.charity,
        "team": cast.team_a,
        "role": Role.PEER_WORKER,
        "started_on": START,
    } | change
    with pytest.raises(DomainError) as error:
        services.staff_add(actor=cast.site_admin, site=cast.site, **values)
    assert (error.value.field, error.value.message) == (field, message)
    assert not Membership.objects.filter(user__email="jo@example.test").exists()


def test_staff_add_refuses_closed_or_other_sites_places(cast: Cast, other_site: Any) -> None:
    base: dict[str, Any] = {
        "email": "jo@example.test",
        "display_name": "Jo",
        "role": Role.PEER_WORKER,
        "started_on": START,
    }
    with pytest.raises(DomainError) as error:
        services.staff_add(actor=cast.site_admin, site=cast.site, organisation=other_site.organisation, **base)
    assert error.value.field == "organisation"
    with pytest.raises(DomainError) as error:
        services.staff_add(
            actor=cast.site_admin, site=cast.site, organisation=cast.charity, team=other_site.team, **base
        )
    assert error.value.field == "team"
    Team.objects.filter(pk=cast.team_b.pk).update(is_active=False)
    cast.team_b.refresh_from_db()
    with pytest.raises(DomainError, match="South Living Well team is closed"):
        services.staff_add(actor=cast.site_admin, site=cast.site, organisation=cast.charity, team=cast.team_b, **base)
    Organisation.objects.filter(pk=cast.housing.pk).update(is_active=False)
    cast.housing.refresh_from_db()
    with pytest.raises(DomainError, match="Homes for Lambeth is no longer a partner"):
        services.staff_add(actor=cast.site_admin, site=cast.site, organisation=cast.housing, **base)


def test_membership_end(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    today = timezone.localdate()
    services.membership_end(actor=cast.site_admin, membership=membership)
    membership.refresh_from_db()
    assert membership.ended_on == today
    event = last_event()
    assert event.action == Action.NETWORK_CHANGE
    assert event.detail["ended"]["ended_on"] == today.isoformat()
    with pytest.raises(DomainError) as error:
        services.membership_end(actor=cast.site_admin, membership=membership)
    assert error.value.code == "already_ended"


def test_membership_end_dates(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    with pytest.raises(DomainError) as error:
        services.membership_end(
            actor=cast.site_admin, membership=membership, ended_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert error.value.message == "The date the role ended must be today or in the past"
    with pytest.raises(DomainError) as error:
        services.membership_end(actor=cast.site_admin, membership=membership, ended_on=dt.date(2023, 12, 31))
    assert error.value.message == "The date the role ended must be on or after the day it started, 1 January 2024"
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_an_administrator_cannot_end_their_own_administrator_role(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.site_admin)
    with pytest.raises(DomainError) as error:
        services.membership_end(actor=cast.site_admin, membership=membership)
    assert error.value.code == "own_admin_role"


# Invitations ---------------------------------------------------------------------------------


def test_invitation_for_a_new_account(cast: Cast) -> None:
    added = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email="new@example.test",
        display_name="New Person",
        organisation=cast.charity,
        role=Role.PEER_WORKER,
        team=cast.team_a,
        started_on=START,
    )
    invitation = services.invitation_create(actor=cast.site_admin, membership=added.membership)
    assert invitation.path.startswith("/set-password/")
    assert invitation.user == added.user
    assert last_event().detail["object"] == "invitation"


def test_no_invitation_for_an_account_that_has_a_password(cast: Cast) -> None:
    membership = Membership.objects.get(user=cast.team_worker)
    with pytest.raises(DomainError) as error:
        services.invitation_create(actor=cast.site_admin, membership=membership)
    assert error.value.code == "password_set"


def test_no_invitation_for_someone_who_also_works_at_another_site(cast: Cast, other_site: Any) -> None:
    added = services.staff_add(
        actor=other_site.admin,
        site=other_site.site,
        email="both@example.test",
        display_name="Works Both",
        organisation=other_site.organisation,
        role=Role.PEER_WORKER,
        started_on=START,
    )
    here = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email="both@example.test",
        display_name="",
        organisation=cast.charity,
        role=Role.PEER_WORKER,
        started_on=START,
    )
    assert here.user == added.user
    with pytest.raises(DomainError) as error:
        services.invitation_create(actor=cast.site_admin, membership=here.membership)
    assert error.value.code == "other_site"
    assert services.invitation_create(actor=other_site.admin, membership=added.membership).path


def test_no_invitation_for_an_account_with_its_own_record(cast: Cast) -> None:
    cast.person_user.set_unusable_password()
    cast.person_user.save()
    added = services.staff_add(
        actor=cast.site_admin,
        site=cast.site,
        email=cast.person_user.email,
        display_name="",
        organisation=cast.charity,
        role=Role.PEER_WORKER,
        started_on=START,
    )
    with pytest.raises(DomainError) as error:
        services.invitation_create(actor=cast.site_admin, membership=added.membership)
    assert error.value.code == "own_record"


# Who may use the services --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["team_worker", "analyst", "privacy_officer", "stranger", "team_leader"])
def test_only_a_site_administrator_may_change_the_network(cast: Cast, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.team_create(actor=actor, site=cast.site, name="Not allowed")
    assert not Team.objects.filter(name="Not allowed").exists()
    event = last_event()
    assert (event.actor, event.action, event.outcome) == (actor, Action.NETWORK_CHANGE, Outcome.REFUSED)


def test_an_administrator_of_another_site_is_refused(cast: Cast, other_site: Any) -> None:
    with pytest.raises(AccessRefused):
        services.organisation_update(
            actor=other_site.admin,
            organisation=cast.charity,
            name="Taken over",
            sector=Sector.OTHER,
            ods_code="",
            website="",
            is_active=False,
        )
    with pytest.raises(AccessRefused):
        services.membership_end(actor=other_site.admin, membership=Membership.objects.get(user=cast.team_worker))
    with pytest.raises(AccessRefused):
        services.site_settings_update(
            actor=other_site.admin, site=cast.site, target_days_to_first_conversation=1, weeks_before_not_seen_flag=1
        )
    cast.charity.refresh_from_db()
    assert cast.charity.name == "Certitude"
    assert AuditEvent.objects.filter(actor=other_site.admin, outcome=Outcome.REFUSED).count() == 3


def test_an_ended_administrator_role_gives_no_access(cast: Cast) -> None:
    admin = make_user("Former Admin")
    Membership.objects.create(
        user=admin,
        site=cast.site,
        organisation=cast.council,
        role=Role.SITE_ADMINISTRATOR,
        started_on=dt.date(2024, 1, 1),
        ended_on=dt.date(2024, 6, 1),
    )
    with pytest.raises(AccessRefused):
        services.locality_create(actor=admin, site=cast.site, name="Anywhere")
