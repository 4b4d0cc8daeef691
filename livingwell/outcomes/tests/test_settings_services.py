"""The site's settings for measures (services.settings.measure_settings_update): site administrators of that
site only, the model's ranges, NHS England's figures by default, and the change written to the audit trail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.network.models import Organisation, Role, Sector, Site
from livingwell.outcomes.change import cutoff_for, threshold_for
from livingwell.outcomes.instruments import get_instrument
from livingwell.outcomes.models import MeasureSettings
from livingwell.outcomes.services.settings import measure_settings_update, settings_of
from livingwell.testing import Cast, make_member, refresh_user

pytestmark = pytest.mark.django_db

DEFAULTS: dict[str, Any] = {
    "dialog_reliable_change": Decimal("1"),
    "gbo_reliable_change": Decimal("3"),
    "reqol10_reliable_change": Decimal("5"),
    "swemwbs_reliable_change": Decimal("3"),
    "reqol10_cutoff": 25,
}


def update(cast: Cast, actor: Any = None, site: Site | None = None, **changes: Any) -> MeasureSettings:
    return measure_settings_update(
        actor=refresh_user(actor or cast.site_admin), site=site or cast.site, **{**DEFAULTS, **changes}
    )


def changes_recorded() -> int:
    return AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, outcome=Outcome.ALLOWED).count()


def test_until_a_site_sets_its_own_the_figures_are_nhs_englands(cast: Cast) -> None:
    current = settings_of(cast.site)
    assert current._state.adding
    assert (
        Decimal(current.dialog_reliable_change),
        Decimal(current.gbo_reliable_change),
        Decimal(current.reqol10_reliable_change),
        Decimal(current.swemwbs_reliable_change),
        current.reqol10_cutoff,
    ) == (1, 3, 5, 3, 25)
    # Saving NHS England's figures as they are changes nothing and records nothing.
    update(cast)
    assert not MeasureSettings.objects.exists()
    assert changes_recorded() == 0


def test_the_site_administrator_saves_the_figures_and_the_change_is_audited(cast: Cast) -> None:
    saved = update(cast, dialog_reliable_change="1.5", reqol10_cutoff=22, swemwbs_reliable_change=Decimal("3.10"))
    assert MeasureSettings.objects.get(site=cast.site) == saved
    stored = MeasureSettings.objects.get(site=cast.site)
    assert (stored.dialog_reliable_change, stored.swemwbs_reliable_change, stored.reqol10_cutoff) == (
        Decimal("1.50"),
        Decimal("3.10"),
        22,
    )
    event = AuditEvent.objects.filter(action=Action.NETWORK_CHANGE).latest("id")
    assert (event.actor, event.outcome) == (cast.site_admin, Outcome.ALLOWED)
    assert event.detail == {
        "site": str(cast.site.pk),
        "object": "measure settings",
        "changes": {
            "dialog_reliable_change": ["1", "1.5"],
            "swemwbs_reliable_change": ["3", "3.1"],
            "reqol10_cutoff": [25, 22],
        },
    }
    # The new figures are used straight away.
    site = Site.objects.get(pk=cast.site.pk)
    assert threshold_for(get_instrument("dialog"), site) == Decimal("1.5")
    assert cutoff_for(get_instrument("reqol10"), site) == 22
    assert threshold_for(get_instrument("dialog"), cast.site) == Decimal("1.5")  # the site passed in too
    # Saving the same again records nothing.
    update(cast, dialog_reliable_change="1.50", reqol10_cutoff=22, swemwbs_reliable_change="3.1")
    assert changes_recorded() == 1
    update(cast, dialog_reliable_change="1.5", reqol10_cutoff=22, swemwbs_reliable_change="3.1", gbo_reliable_change=4)
    assert AuditEvent.objects.filter(action=Action.NETWORK_CHANGE).latest("id").detail["changes"] == {
        "gbo_reliable_change": ["3", "4"]
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("dialog_reliable_change", "0", "DIALOG points for a reliable change must be between 0.1 and 6"),
        ("dialog_reliable_change", "6.01", "DIALOG points for a reliable change must be between 0.1 and 6"),
        ("gbo_reliable_change", "0.09", "Goal Based Outcomes points for a reliable change must be between 0.1 and 10"),
        ("gbo_reliable_change", "10.5", "Goal Based Outcomes points for a reliable change must be between 0.1 and 10"),
        ("reqol10_reliable_change", "-5", "ReQoL-10 points for a reliable change must be between 0.1 and 40"),
        ("reqol10_reliable_change", "41", "ReQoL-10 points for a reliable change must be between 0.1 and 40"),
        ("swemwbs_reliable_change", "28.01", "SWEMWBS points for a reliable change must be between 0.1 and 28"),
        ("swemwbs_reliable_change", "3.125", "SWEMWBS points for a reliable change must have no more than 2 numbers"),
        ("swemwbs_reliable_change", "three", "SWEMWBS points for a reliable change must be a number, like 1.5"),
        ("swemwbs_reliable_change", "NaN", "SWEMWBS points for a reliable change must be a number, like 1.5"),
        ("reqol10_cutoff", 0, "The ReQoL-10 cut-off must be a whole number from 1 to 40"),
        ("reqol10_cutoff", 41, "The ReQoL-10 cut-off must be a whole number from 1 to 40"),
        ("reqol10_cutoff", True, "The ReQoL-10 cut-off must be a whole number from 1 to 40"),
    ],
)
def test_figures_outside_the_ranges_are_refused_by_the_field(cast: Cast, field: str, value: Any, message: str) -> None:
    with pytest.raises(DomainError) as error:
        update(cast, **{field: value})
    assert error.value.field == field
    assert error.value.message.startswith(message)
    assert "threshold" not in error.value.message.lower()
    assert not MeasureSettings.objects.exists()
    assert changes_recorded() == 0


def test_the_edges_of_each_range_are_allowed(cast: Cast) -> None:
    update(
        cast,
        dialog_reliable_change="0.1",
        gbo_reliable_change="10",
        reqol10_reliable_change="40",
        swemwbs_reliable_change="28",
        reqol10_cutoff=1,
    )
    update(cast, dialog_reliable_change="6", reqol10_cutoff=40)
    stored = MeasureSettings.objects.get(site=cast.site)
    assert (stored.dialog_reliable_change, stored.reqol10_cutoff) == (Decimal("6.00"), 40)


@pytest.mark.parametrize("who", ["team_leader", "analyst", "privacy_officer", "person_user", "stranger"])
def test_only_a_site_administrator_may_change_them_and_a_refusal_is_audited(cast: Cast, who: str) -> None:
    with pytest.raises(AccessRefused):
        update(cast, getattr(cast, who), dialog_reliable_change="2")
    assert not MeasureSettings.objects.exists()
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.action, event.outcome) == (getattr(cast, who), Action.NETWORK_CHANGE, Outcome.REFUSED)


def test_an_administrator_of_another_site_may_not_change_this_ones(cast: Cast) -> None:
    southwark = Site.objects.create(name="Southwark", slug="southwark")
    mind = Organisation.objects.create(site=southwark, name="Southwark Mind", sector=Sector.VOLUNTARY)
    their_admin = make_member(southwark, mind, Role.SITE_ADMINISTRATOR, name="Southwark Admin")
    with pytest.raises(AccessRefused):
        update(cast, their_admin, dialog_reliable_change="2")
    update(cast, their_admin, site=southwark, dialog_reliable_change="2")
    assert MeasureSettings.objects.get(site=southwark).dialog_reliable_change == 2
    assert not MeasureSettings.objects.filter(site=cast.site).exists()
