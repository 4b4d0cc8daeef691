"""A site's settings for measures: how big a change counts as reliable, and the ReQoL-10 cut-off.

NHS England's figures are the defaults (DIALOG 1 point per item, Goal Based Outcomes 3 points per
goal, ReQoL-10 5 points, SWEMWBS 3 metric points; ReQoL-10 cut-off 25). Only a site administrator of
the site may change them; the change is written to the audit trail as a network change, the same
way as the site's other local settings (livingwell.network.services.site_settings_update).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.network.selectors import administered_site_ids
from livingwell.outcomes.models import MeasureSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.network.models import Site

# The ranges the model allows (its validators), with the words for each figure.
RELIABLE_CHANGE: dict[str, tuple[Decimal, Decimal, str]] = {
    "dialog_reliable_change": (Decimal("0.1"), Decimal(6), "DIALOG points for a reliable change"),
    "gbo_reliable_change": (Decimal("0.1"), Decimal(10), "Goal Based Outcomes points for a reliable change"),
    "reqol10_reliable_change": (Decimal("0.1"), Decimal(40), "ReQoL-10 points for a reliable change"),
    "swemwbs_reliable_change": (Decimal("0.1"), Decimal(28), "SWEMWBS points for a reliable change"),
}
CUTOFF_RANGE = (1, 40)


class MeasureSettingsError(DomainError):
    pass


def settings_of(site: Site) -> MeasureSettings:
    """The site's settings, or NHS England's defaults (unsaved) when the site has not set its own."""
    found = MeasureSettings.objects.filter(site=site).first()
    return found if found is not None else MeasureSettings(site=site)


def _reliable(name: str, value: Decimal | int | float | str) -> Decimal:
    low, high, label = RELIABLE_CHANGE[name]
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MeasureSettingsError(f"{name}_invalid", f"{label} must be a number, like 1.5", field=name) from None
    if not number.is_finite():
        raise MeasureSettingsError(f"{name}_invalid", f"{label} must be a number, like 1.5", field=name)
    if not low <= number <= high:
        raise MeasureSettingsError(f"{name}_range", f"{label} must be between {low} and {high}", field=name)
    if number != number.quantize(Decimal("0.01")):
        raise MeasureSettingsError(
            f"{name}_places", f"{label} must have no more than 2 numbers after the decimal point", field=name
        )
    return number.quantize(Decimal("0.01"))


def _stored(settings: MeasureSettings, name: str) -> Decimal | int:
    value = getattr(settings, name)
    return int(value) if name == "reqol10_cutoff" else Decimal(str(value))


def _plain(value: Decimal | int) -> str | int:
    """A value the audit trail can store as JSON: figures as they are written ('1.50' as '1.5')."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def measure_settings_update(
    *,
    actor: User | AnonymousUser,
    site: Site,
    dialog_reliable_change: Decimal | int | float | str,
    gbo_reliable_change: Decimal | int | float | str,
    reqol10_reliable_change: Decimal | int | float | str,
    swemwbs_reliable_change: Decimal | int | float | str,
    reqol10_cutoff: int,
    request: HttpRequest | None = None,
) -> MeasureSettings:
    """Save the site's figures for reliable change and its ReQoL-10 cut-off (site administrators of the site only)."""
    if site.pk not in administered_site_ids(actor):
        raise audit.refuse(
            actor=actor,
            action=Action.NETWORK_CHANGE,
            reason=f"Not a site administrator of {site.name}",
            request=request,
            message="Only a site administrator of this site can change its settings for measures.",
        )
    values: dict[str, Any] = {
        "dialog_reliable_change": _reliable("dialog_reliable_change", dialog_reliable_change),
        "gbo_reliable_change": _reliable("gbo_reliable_change", gbo_reliable_change),
        "reqol10_reliable_change": _reliable("reqol10_reliable_change", reqol10_reliable_change),
        "swemwbs_reliable_change": _reliable("swemwbs_reliable_change", swemwbs_reliable_change),
    }
    low, high = CUTOFF_RANGE
    if isinstance(reqol10_cutoff, bool) or not isinstance(reqol10_cutoff, int) or not low <= reqol10_cutoff <= high:
        raise MeasureSettingsError(
            "reqol10_cutoff_range",
            f"The ReQoL-10 cut-off must be a whole number from {low} to {high}",
            field="reqol10_cutoff",
        )
    values["reqol10_cutoff"] = reqol10_cutoff
    with transaction.atomic():
        current = MeasureSettings.objects.select_for_update().filter(site=site).first()
        settings = current if current is not None else MeasureSettings(site=site)
        before = {name: _stored(settings, name) for name in values}
        changes = {
            name: [_plain(before[name]), _plain(value)] for name, value in values.items() if before[name] != value
        }
        if not changes:
            return settings  # nothing differs (from the defaults either, when the site has not saved its own)
        for name, value in values.items():
            setattr(settings, name, value)
        settings.save()
        audit.record(
            actor=actor,
            action=Action.NETWORK_CHANGE,
            detail={"site": str(site.pk), "object": "measure settings", "changes": changes},
            request=request,
        )
    # Anything that read the settings before (the site caches them) sees the new figures.
    site.measure_settings = settings
    return settings
