"""The network: Living Well sites, partner organisations, teams and who works where, in what role."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Site(TimestampedModel):
    """A Living Well place (a borough or city) with its own local settings ("adopt and adapt")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    target_days_to_first_conversation = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days from introduction to first conversation this site aims for.",
    )
    weeks_before_not_seen_flag = models.PositiveSmallIntegerField(
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="The team huddle lists people not seen for this many weeks.",
    )
    weeks_between_plan_reviews = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text="When a Living Well plan is next due for review, unless the review says otherwise.",
    )
    months_to_come_back = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Someone who moved on less than this long ago is picked up where they left off.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_days_to_first_conversation__gte=1) & Q(target_days_to_first_conversation__lte=365),
                name="site_target_days_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Locality(TimestampedModel):
    """A neighbourhood of a site, such as North Lambeth; used for teams, people and reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="localities")
    name = models.CharField(max_length=120)
    postcode_areas = models.JSONField(
        "Postcode areas",
        default=list,
        blank=True,
        help_text="The postcode districts or sectors the locality covers, upper case with a space before a"
        " sector digit (SE1, SW9 0); the longest match places a community offer in a locality",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="locality_unique_name_per_site")]

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    NHS_TRUST = "nhs_trust", "NHS trust"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary and community"
    PEER_LED = "peer_led", "Peer-led"
    PRIMARY_CARE = "primary_care", "Primary care"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class Organisation(TimestampedModel):
    """A partner in the network: an NHS trust, the council, a charity, a GP practice…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    ods_code = models.CharField(
        "ODS code", max_length=10, blank=True, help_text="The NHS Organisation Data Service code, if it has one."
    )
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="organisation_unique_name_per_site")]

    def __str__(self) -> str:
        return self.name


class Team(TimestampedModel):
    """A multidisciplinary team whose members come from several organisations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams")
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="team_unique_name_per_site")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PEER_WORKER = "peer_worker", "Peer worker"
    RECOVERY_WORKER = "recovery_worker", "Recovery worker"
    MENTAL_HEALTH_PRACTITIONER = "mental_health_practitioner", "Mental health practitioner"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    PSYCHIATRIST = "psychiatrist", "Psychiatrist"
    SOCIAL_WORKER = "social_worker", "Social worker"
    HOUSING_OFFICER = "housing_officer", "Housing officer"
    EMPLOYMENT_SPECIALIST = "employment_specialist", "Employment specialist"
    TEAM_LEADER = "team_leader", "Team leader"
    HUB_COORDINATOR = "hub_coordinator", "Hub coordinator"
    ANALYST = "analyst", "Analyst"
    SITE_ADMINISTRATOR = "site_administrator", "Site administrator"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    INTRODUCER = "introducer", "Introducer (GP or partner staff)"


# Roles whose holders work with people directly and may be part of their support.
SUPPORT_ROLES = frozenset(
    {
        Role.PEER_WORKER,
        Role.RECOVERY_WORKER,
        Role.MENTAL_HEALTH_PRACTITIONER,
        Role.PSYCHOLOGIST,
        Role.PSYCHIATRIST,
        Role.SOCIAL_WORKER,
        Role.HOUSING_OFFICER,
        Role.EMPLOYMENT_SPECIALIST,
        Role.TEAM_LEADER,
    }
)
# Roles that must sign in with a second factor: they can change who sees what.
TWO_FACTOR_ROLES = frozenset({Role.SITE_ADMINISTRATOR, Role.PRIVACY_OFFICER})
# Roles that may open a record in an emergency, with a reason, for a limited time.
BREAK_GLASS_ROLES = frozenset(
    {Role.MENTAL_HEALTH_PRACTITIONER, Role.PSYCHIATRIST, Role.TEAM_LEADER, Role.HUB_COORDINATOR}
)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        return self.filter(ended_on__isnull=True)


class Membership(TimestampedModel):
    """Someone works for an organisation in a role, in a team where the role is a team role."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    job_title = models.CharField(max_length=120, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__display_name", "role"]
        indexes = [models.Index(fields=["user", "ended_on"]), models.Index(fields=["team", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"  # noqa: RUF001 (typographic dash)
