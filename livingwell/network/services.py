"""Changes to the network by a site administrator: settings, localities, organisations, teams and staff.

Each service is keyword-only, checks that the actor administers the site, validates before
saving, and writes a `network_change` audit event in the same transaction as the change. Rule
failures raise DomainError with a message for the person and the name of the field it is about.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.accounts.invitations import set_password_path
from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.core.presenters import date as format_date
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Site, Team
from livingwell.network.selectors import administered_site_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

TARGET_DAYS_RANGE = (1, 365)
NOT_SEEN_WEEKS_RANGE = (1, 52)
PLAN_REVIEW_WEEKS_RANGE = (1, 104)
COME_BACK_MONTHS_RANGE = (1, 60)
_ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")


class NetworkError(DomainError):
    pass


def _require_administrator(actor: User | AnonymousUser, site: Site, request: HttpRequest | None) -> None:
    if site.pk not in administered_site_ids(actor):
        raise audit.refuse(
            actor=actor,
            action=Action.NETWORK_CHANGE,
            reason=f"Not a site administrator of {site.name}",
            request=request,
            message="Only a site administrator of this site can change its network.",
        )


def _record_change(
    *,
    actor: User | AnonymousUser,
    site_id: object,
    kind: str,
    object_id: object = None,
    request: HttpRequest | None,
    **what: Any,
) -> None:
    """One network_change audit event: which site, what kind of thing, which one, and what happened."""
    detail: dict[str, Any] = {"site": str(site_id), "object": kind}
    if object_id is not None:
        detail["id"] = str(object_id)
    audit.record(actor=actor, action=Action.NETWORK_CHANGE, detail={**detail, **what}, request=request)


def _tidy(value: str) -> str:
    """Trim and collapse runs of spaces, so that 'North  team ' and 'North team' are one name."""
    return " ".join(value.split())


def _name(value: str, *, missing: str, label: str, max_length: int, field: str = "name") -> str:
    name = _tidy(value)
    if not name:
        raise NetworkError(f"{field}_missing", missing, field=field)
    if len(name) > max_length:
        raise NetworkError(f"{field}_too_long", f"{label} must be {max_length} characters or fewer", field=field)
    return name


def _changes(instance: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Field -> [before, after] for each value that differs, in a form the audit trail can store."""

    def plain(value: Any) -> Any:
        if isinstance(value, Locality | Organisation | Team):
            return value.name
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return {
        field: [plain(getattr(instance, field)), plain(value)]
        for field, value in values.items()
        if getattr(instance, field) != value
    }


def _save_unique(save: Any, error: NetworkError) -> None:
    """Run `save`; if a unique constraint fails (two administrators at once), raise `error`."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise error from None


# Site settings -------------------------------------------------------------------------------


def site_settings_update(
    *,
    actor: User,
    site: Site,
    target_days_to_first_conversation: int,
    weeks_before_not_seen_flag: int,
    weeks_between_plan_reviews: int | None = None,
    months_to_come_back: int | None = None,
    request: HttpRequest | None = None,
) -> Site:
    """Change the site's local settings; a setting left as None keeps its value."""
    _require_administrator(actor, site, request)
    low, high = TARGET_DAYS_RANGE
    if not low <= target_days_to_first_conversation <= high:
        raise NetworkError(
            "target_days_range",
            f"Days to first conversation must be between {low} and {high}",
            field="target_days_to_first_conversation",
        )
    low, high = NOT_SEEN_WEEKS_RANGE
    if not low <= weeks_before_not_seen_flag <= high:
        raise NetworkError(
            "not_seen_weeks_range",
            f"Weeks before someone is shown as not seen must be between {low} and {high}",
            field="weeks_before_not_seen_flag",
        )
    values = {
        "target_days_to_first_conversation": target_days_to_first_conversation,
        "weeks_before_not_seen_flag": weeks_before_not_seen_flag,
    }
    for name, value, (low, high), label in (
        ("weeks_between_plan_reviews", weeks_between_plan_reviews, PLAN_REVIEW_WEEKS_RANGE, "Weeks between reviews"),
        ("months_to_come_back", months_to_come_back, COME_BACK_MONTHS_RANGE, "Months to come back"),
    ):
        if value is None:
            continue
        if not low <= value <= high:
            raise NetworkError(f"{name}_range", f"{label} must be between {low} and {high}", field=name)
        values[name] = value
    changes = _changes(site, values)
    if not changes:
        return site
    with transaction.atomic():
        for field, value in values.items():
            setattr(site, field, value)
        site.save(update_fields=[*values, "updated_at"])
        _record_change(actor=actor, site_id=site.pk, kind="site settings", changes=changes, request=request)
    return site


# Localities ----------------------------------------------------------------------------------


def _locality_name(site: Site, value: str, *, exclude: Locality | None = None) -> str:
    name = _name(value, missing="Enter a locality name", label="Locality name", max_length=120)
    others = Locality.objects.filter(site=site, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise NetworkError("locality_exists", f"A locality called {name} already exists", field="name")
    return name


def _postcode_areas(site: Site, values: list[str], *, exclude: Locality | None = None) -> list[str]:
    """The areas tidied ("sw9 0" -> "SW9 0"), each once, in the order given; every one must be a postcode
    district or sector that no other locality of the site already covers."""
    from livingwell.community.localities import is_full_postcode, normalise_area

    areas: list[str] = []
    for value in values:
        text = " ".join(value.split())
        if not text:
            continue
        area = normalise_area(text)
        if not area:
            if is_full_postcode(text):
                compact = text.upper().replace(" ", "")
                outward = compact[:-3]
                raise NetworkError(
                    "postcode_area_full",
                    f"{text} is a full postcode. Enter its district ({outward}) or sector ({outward} {compact[-3]})",
                    field="postcode_areas",
                )
            raise NetworkError(
                "postcode_area_invalid",
                f"{text} is not a postcode district or sector. Enter districts like SE1 and sectors like SW9 0",
                field="postcode_areas",
            )
        if area not in areas:
            areas.append(area)
    others = Locality.objects.filter(site=site)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other_name, other_areas in others.order_by("name").values_list("name", "postcode_areas"):
        taken = [a for a in areas if a in (other_areas or [])]
        if taken:
            raise NetworkError(
                "postcode_area_taken",
                f"{taken[0]} is already in {other_name}. Take it out of {other_name} first",
                field="postcode_areas",
            )
    return areas


def _place_offers(site: Site) -> int:
    """Move the site's community offers to the localities that now cover their postcodes."""
    from livingwell.community.localities import assign_localities

    return assign_localities(site)


def locality_create(
    *,
    actor: User,
    site: Site,
    name: str,
    postcode_areas: list[str] | None = None,
    request: HttpRequest | None = None,
) -> Locality:
    _require_administrator(actor, site, request)
    name = _locality_name(site, name)
    areas = _postcode_areas(site, postcode_areas or [])
    locality = Locality(site=site, name=name, postcode_areas=areas)
    with transaction.atomic():
        _save_unique(
            locality.save, NetworkError("locality_exists", f"A locality called {name} already exists", field="name")
        )
        created: dict[str, Any] = {"name": name}
        if areas:
            created["postcode_areas"] = areas
            created["offer_places_moved"] = _place_offers(site)
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="locality",
            object_id=locality.pk,
            created=created,
            request=request,
        )
    return locality


def locality_update(
    *,
    actor: User,
    locality: Locality,
    name: str,
    postcode_areas: list[str] | None = None,
    request: HttpRequest | None = None,
) -> Locality:
    """Rename a locality and, unless `postcode_areas` is None, set the postcode areas it covers; the
    site's community offers then move to the localities that cover their postcodes."""
    site = locality.site
    _require_administrator(actor, site, request)
    name = _locality_name(site, name, exclude=locality)
    values: dict[str, Any] = {"name": name}
    if postcode_areas is not None:
        values["postcode_areas"] = _postcode_areas(site, postcode_areas, exclude=locality)
    changes = _changes(locality, values)
    if not changes:
        return locality
    with transaction.atomic():
        for field, value in values.items():
            setattr(locality, field, value)
        _save_unique(
            lambda: locality.save(update_fields=[*values, "updated_at"]),
            NetworkError("locality_exists", f"A locality called {name} already exists", field="name"),
        )
        moved = _place_offers(site) if "postcode_areas" in changes else None
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="locality",
            object_id=locality.pk,
            changes=changes,
            request=request,
            **({"offer_places_moved": moved} if moved is not None else {}),
        )
    return locality


def locality_rename(*, actor: User, locality: Locality, name: str, request: HttpRequest | None = None) -> Locality:
    """Rename a locality, keeping its postcode areas."""
    return locality_update(actor=actor, locality=locality, name=name, request=request)


# Organisations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OrganisationValues:
    name: str
    sector: str
    ods_code: str
    website: str


def _organisation_values(
    site: Site, *, name: str, sector: str, ods_code: str, website: str, exclude: Organisation | None = None
) -> _OrganisationValues:
    name = _name(name, missing="Enter the name of the organisation", label="Name", max_length=200)
    if sector not in Sector.values:
        raise NetworkError("sector_missing", "Select the kind of organisation", field="sector")
    ods_code = ods_code.replace(" ", "").upper()
    if ods_code and not _ODS_CODE.match(ods_code):
        raise NetworkError(
            "ods_code_format", "Enter an ODS code in the right format, like RV5 or A81001", field="ods_code"
        )
    website = website.strip()
    if website:
        if "://" not in website:
            website = f"https://{website}"
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise NetworkError(
                "website_format",
                "Enter a website address in the right format, like https://www.example.org.uk",
                field="website",
            ) from None
        if len(website) > 200:
            raise NetworkError("website_too_long", "Website address must be 200 characters or fewer", field="website")
    others = Organisation.objects.filter(site=site)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.filter(name__iexact=name).exists():
        raise NetworkError("organisation_exists", f"An organisation called {name} already exists", field="name")
    if ods_code and others.filter(ods_code=ods_code).exists():
        raise NetworkError(
            "ods_code_exists", f"An organisation with the ODS code {ods_code} already exists", field="ods_code"
        )
    return _OrganisationValues(name=name, sector=sector, ods_code=ods_code, website=website)


def organisation_create(
    *,
    actor: User,
    site: Site,
    name: str,
    sector: str,
    ods_code: str = "",
    website: str = "",
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Organisation:
    _require_administrator(actor, site, request)
    values = _organisation_values(site, name=name, sector=sector, ods_code=ods_code, website=website)
    organisation = Organisation(
        site=site,
        name=values.name,
        sector=values.sector,
        ods_code=values.ods_code,
        website=values.website,
        is_active=is_active,
    )
    with transaction.atomic():
        _save_unique(
            organisation.save,
            NetworkError("organisation_exists", f"An organisation called {values.name} already exists", field="name"),
        )
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="organisation",
            object_id=organisation.pk,
            created={
                "name": values.name,
                "sector": values.sector,
                "ods_code": values.ods_code,
                "website": values.website,
                "is_active": is_active,
            },
            request=request,
        )
    return organisation


def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    sector: str,
    ods_code: str,
    website: str,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Organisation:
    site = organisation.site
    _require_administrator(actor, site, request)
    values = _organisation_values(
        site, name=name, sector=sector, ods_code=ods_code, website=website, exclude=organisation
    )
    fields = {
        "name": values.name,
        "sector": values.sector,
        "ods_code": values.ods_code,
        "website": values.website,
        "is_active": is_active,
    }
    changes = _changes(organisation, fields)
    if not changes:
        return organisation
    with transaction.atomic():
        for field, value in fields.items():
            setattr(organisation, field, value)
        _save_unique(
            lambda: organisation.save(update_fields=[*fields, "updated_at"]),
            NetworkError("organisation_exists", f"An organisation called {values.name} already exists", field="name"),
        )
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="organisation",
            object_id=organisation.pk,
            changes=changes,
            request=request,
        )
    return organisation


# Teams ---------------------------------------------------------------------------------------


def _team_values(
    site: Site, *, name: str, locality: Locality | None, description: str, exclude: Team | None = None
) -> tuple[str, str]:
    name = _name(name, missing="Enter a team name", label="Team name", max_length=200)
    if locality is not None and locality.site_id != site.pk:
        raise NetworkError("locality_other_site", f"Select a locality in {site.name}", field="locality")
    others = Team.objects.filter(site=site, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise NetworkError("team_exists", f"A team called {name} already exists", field="name")
    description = description.strip()
    if len(description) > 2000:
        raise NetworkError("description_too_long", "Description must be 2,000 characters or fewer", field="description")
    return name, description


def team_create(
    *,
    actor: User,
    site: Site,
    name: str,
    locality: Locality | None = None,
    description: str = "",
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Team:
    _require_administrator(actor, site, request)
    name, description = _team_values(site, name=name, locality=locality, description=description)
    team = Team(site=site, name=name, locality=locality, description=description, is_active=is_active)
    with transaction.atomic():
        _save_unique(team.save, NetworkError("team_exists", f"A team called {name} already exists", field="name"))
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="team",
            object_id=team.pk,
            created={
                "name": name,
                "locality": locality.name if locality else None,
                "description": description,
                "is_active": is_active,
            },
            request=request,
        )
    return team


def team_update(
    *,
    actor: User,
    team: Team,
    name: str,
    locality: Locality | None,
    description: str,
    is_active: bool,
    request: HttpRequest | None = None,
) -> Team:
    site = team.site
    _require_administrator(actor, site, request)
    name, description = _team_values(site, name=name, locality=locality, description=description, exclude=team)
    fields: dict[str, Any] = {"name": name, "locality": locality, "description": description, "is_active": is_active}
    changes = _changes(team, fields)
    if not changes:
        return team
    with transaction.atomic():
        for field, value in fields.items():
            setattr(team, field, value)
        _save_unique(
            lambda: team.save(update_fields=[*fields, "updated_at"]),
            NetworkError("team_exists", f"A team called {name} already exists", field="name"),
        )
        _record_change(actor=actor, site_id=site.pk, kind="team", object_id=team.pk, changes=changes, request=request)
    return team


# Staff ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAdded:
    membership: Membership
    user: User
    new_account: bool

    @property
    def needs_invitation(self) -> bool:
        """True until the person has set a password of their own."""
        return not self.user.has_usable_password()


def _email(value: str) -> str:
    email = value.strip().lower()
    if not email:
        raise NetworkError("email_missing", "Enter their email address", field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise NetworkError(
            "email_format", "Enter an email address in the right format, like name@example.com", field="email"
        ) from None
    return email


def staff_add(
    *,
    actor: User,
    site: Site,
    email: str,
    display_name: str,
    organisation: Organisation,
    role: str,
    started_on: dt.date,
    team: Team | None = None,
    job_title: str = "",
    request: HttpRequest | None = None,
) -> StaffAdded:
    """Give someone a role at `site`, making their account first if their email address is new.

    An existing account keeps its name and password: the administrator only adds the role.
    """
    _require_administrator(actor, site, request)
    email = _email(email)
    user_model = get_user_model()
    user: User | None = user_model.objects.filter(email__iexact=email).first()  # type: ignore[assignment]
    display_name = _tidy(display_name)
    if user is None:
        display_name = _name(
            display_name, missing="Enter their full name", label="Full name", max_length=150, field="display_name"
        )
    if organisation.site_id != site.pk:
        raise NetworkError("organisation_other_site", f"Select an organisation in {site.name}", field="organisation")
    if not organisation.is_active:
        raise NetworkError(
            "organisation_closed", f"{organisation.name} is no longer a partner. Select another", field="organisation"
        )
    if team is not None and team.site_id != site.pk:
        raise NetworkError("team_other_site", f"Select a team in {site.name}", field="team")
    if team is not None and not team.is_active:
        raise NetworkError("team_closed", f"{team.name} is closed. Select an open team", field="team")
    if role not in Role.values:
        raise NetworkError("role_missing", "Select their role", field="role")
    if role == Role.TEAM_LEADER and team is None:
        raise NetworkError("team_needed", "Select the team they lead", field="team")
    job_title = _tidy(job_title)
    if len(job_title) > 120:
        raise NetworkError("job_title_too_long", "Job title must be 120 characters or fewer", field="job_title")
    role_label = Role(role).label
    where = f"{organisation.name}, {team.name}" if team else organisation.name
    duplicate = NetworkError(
        "membership_exists",
        f"{user.name if user else display_name} already has this role: {role_label} at {where}",
        field="role",
    )
    if (
        user is not None
        and Membership.objects.current().filter(user=user, organisation=organisation, team=team, role=role).exists()
    ):
        raise duplicate
    with transaction.atomic():
        new_account = user is None
        if user is None:
            user = user_model.objects.create_user(email, None, display_name=display_name)  # type: ignore[assignment]
        assert user is not None
        membership = Membership(
            user=user,
            site=site,
            organisation=organisation,
            team=team,
            role=role,
            job_title=job_title,
            started_on=started_on,
        )
        _save_unique(membership.save, duplicate)
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="membership",
            object_id=membership.pk,
            created={
                "user": str(user.pk),
                "email": user.email,
                "new_account": new_account,
                "organisation": organisation.name,
                "team": team.name if team else None,
                "role": role,
                "job_title": job_title,
                "started_on": started_on.isoformat(),
            },
            request=request,
        )
    return StaffAdded(membership=membership, user=user, new_account=new_account)


def membership_end(
    *, actor: User, membership: Membership, ended_on: dt.date | None = None, request: HttpRequest | None = None
) -> Membership:
    """End someone's role; their account stays, with any other roles they hold."""
    site = membership.site
    _require_administrator(actor, site, request)
    ended_on = ended_on or timezone.localdate()
    name = membership.user.name
    if membership.ended_on is not None:
        raise NetworkError("already_ended", f"This role of {name} has already ended", field="ended_on")
    if ended_on > timezone.localdate():
        raise NetworkError("end_in_future", "The date the role ended must be today or in the past", field="ended_on")
    if ended_on < membership.started_on:
        raise NetworkError(
            "end_before_start",
            f"The date the role ended must be on or after the day it started, {format_date(membership.started_on)}",
            field="ended_on",
        )
    if membership.user_id == actor.pk and membership.role == Role.SITE_ADMINISTRATOR:
        raise NetworkError(
            "own_admin_role",
            "You cannot end your own site administrator role. Ask another site administrator",
            field="ended_on",
        )
    with transaction.atomic():
        membership.ended_on = ended_on
        membership.save(update_fields=["ended_on", "updated_at"])
        _record_change(
            actor=actor,
            site_id=site.pk,
            kind="membership",
            object_id=membership.pk,
            ended={
                "user": str(membership.user_id),
                "email": membership.user.email,
                "role": membership.role,
                "organisation": membership.organisation.name,
                "ended_on": ended_on.isoformat(),
            },
            request=request,
        )
    return membership


# Invitations ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    user: User
    path: str  # the set-password page, to be made absolute by the caller


def invitation_create(*, actor: User, membership: Membership, request: HttpRequest | None = None) -> Invitation:
    """A one-time link for someone to set their first password, for the administrator to pass on.

    Only for an account that has never had a password, whose first current role is at a site the
    actor administers, and that has no record of its own: otherwise the link would let an
    administrator take over someone else's account. The link stops working once a password is set
    (Django's token covers the password hash), or after PASSWORD_RESET_TIMEOUT.
    """
    _require_administrator(actor, membership.site, request)
    user = membership.user
    if membership.ended_on is not None:
        raise NetworkError("role_ended", f"This role of {user.name} has ended")
    if user.has_usable_password():
        raise NetworkError(
            "password_set", f"{user.name} has already set a password. They can sign in with {user.email}"
        )
    # Setting someone's password is signing in as them, so only the site that first gave them a
    # current role may do it, and never for an account with a person's own record.
    first = Membership.objects.current().filter(user=user).order_by("created_at", "pk").first()
    if first is not None and first.site_id not in administered_site_ids(actor):
        raise NetworkError(
            "other_site", f"{user.name} was first added by another site. Ask a site administrator there for a link"
        )
    if hasattr(user, "person"):
        raise NetworkError(
            "own_record", f"{user.name} has their own Living Well record, so only they can set their password"
        )
    path = set_password_path(user)
    with transaction.atomic():
        _record_change(
            actor=actor,
            site_id=membership.site_id,
            kind="invitation",
            user=str(user.pk),
            email=user.email,
            request=request,
        )
    return Invitation(user=user, path=path)
