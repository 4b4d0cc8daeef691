"""The person: who they are, how to reach them, what they need, their story and their own network.

Every field beyond a name is optional: people tell us what they want to, when they want to.
Reads go through `Person.objects.visible_to(user)` (see livingwell.audit.policy); nothing else
in the platform may list people.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import Locality, Organisation, Site, TimestampedModel
from livingwell.people.nhs_number import validate_nhs_number

if TYPE_CHECKING:
    from livingwell.accounts.models import User


class EthnicGroup(models.TextChoices):
    """The 19 ethnic groups of the ONS 2021 Census for England and Wales."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian, Asian British or Asian Welsh: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian, Asian British or Asian Welsh: Other Asian"
    BLACK_AFRICAN = "black_african", "Black, Black British, Black Welsh, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Black Welsh, Caribbean or African: Other Black"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or Multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: Any other ethnic group"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    SELF_DESCRIBED = "self_described", "In another way"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class YesNoPreferNot(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class SexualOrientation(models.TextChoices):
    """ONS 2021 Census categories."""

    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Religion(models.TextChoices):
    """ONS 2021 Census categories."""

    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Another religion"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        """Only the people whose record `user` has a legitimate relationship to read."""
        from livingwell.audit.policy import people_visible_q

        return self.filter(people_visible_q(user))


class Person(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The person's own sign-in, when they have one.",
    )

    # Identity
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, validators=[validate_nhs_number])

    # About me
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    first_language = models.CharField(max_length=60, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    access_needs = models.TextField(blank=True)

    # Contact
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="people")
    may_phone = models.BooleanField("We may phone", default=False)
    may_text = models.BooleanField("We may send a text message", default=False)
    may_email = models.BooleanField("We may email", default=False)
    may_write = models.BooleanField("We may send a letter", default=False)
    may_leave_message = models.BooleanField("We may leave a message", default=False)
    contact_times = models.CharField("When it is OK to contact", max_length=200, blank=True)

    # Equity monitoring
    ethnicity = models.CharField(max_length=40, choices=EthnicGroup.choices, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    gender_description = models.CharField(max_length=60, blank=True)
    gender_same_as_at_birth = models.CharField(
        "Gender the same as sex registered at birth", max_length=20, choices=YesNoPreferNot.choices, blank=True
    )
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, blank=True)
    religion = models.CharField(max_length=20, choices=Religion.choices, blank=True)
    disability = models.CharField(
        "Disability or long-term condition", max_length=20, choices=YesNoPreferNot.choices, blank=True
    )
    unpaid_carer = models.CharField(max_length=20, choices=YesNoPreferNot.choices, blank=True)
    armed_forces_veteran = models.CharField(max_length=20, choices=YesNoPreferNot.choices, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["site", "family_name", "given_name"]),
            # Recognising returning people at the front door (livingwell.access.matching).
            models.Index(fields=["date_of_birth"]),
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"], condition=Q(nhs_number__isnull=False), name="person_unique_nhs_number"
            ),
            models.CheckConstraint(condition=~Q(given_name=""), name="person_has_a_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()


class Story(TimestampedModel):
    """*My story*: the person's own words, told once and carried everywhere they go."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="story", primary_key=True)
    what_brought_me_here = models.TextField("What brought me here", blank=True)
    going_well = models.TextField("What is going well", blank=True)
    hard = models.TextField("What is hard", blank=True)
    would_like_to_achieve = models.TextField("What I would like to achieve", blank=True)
    who_can_help = models.TextField("Who can help", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Checked and bumped by every save, so two people never overwrite each other (core.concurrency).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"Story of {self.person}"


class RelationshipKind(models.TextChoices):
    FAMILY = "family", "Family"
    PARTNER = "partner", "Partner"
    FRIEND = "friend", "Friend"
    CARER = "carer", "Carer"
    NEIGHBOUR = "neighbour", "Neighbour"
    PEER = "peer", "Peer"
    FAITH_COMMUNITY = "faith_community", "Faith or community"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Someone else"


class Connection(models.TextChoices):
    """How the connection feels to the person: drawn as the line on their ecomap."""

    STRONG = "strong", "Strong"
    SOME = "some", "Some connection"
    STRAINED = "strained", "Strained or stressful"


class Relationship(TimestampedModel):
    """Someone in the person's own network, and the part they play."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=RelationshipKind.choices)
    part_they_play = models.CharField(max_length=300, blank=True)
    contact = models.CharField("How to reach them", max_length=200, blank=True)
    wants_involved = models.BooleanField("I want them involved in my support", default=False)
    connection = models.CharField(max_length=20, choices=Connection.choices, default=Connection.SOME)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SharingConsentQuerySet(models.QuerySet["SharingConsent"]):
    def current(self) -> SharingConsentQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class SharingConsent(TimestampedModel):
    """The person agrees that staff of a partner organisation may read their record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sharing_consents")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sharing_consents")
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["organisation", "withdrawn_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_current_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} shares with {self.organisation}"


class JoinedRecord(models.Model):
    """A record made at the front door for someone we already knew, folded into their record.

    The audit trail keeps the id it had (the trail is never rewritten), so the person's own access
    log also reads the events of every record joined into theirs.
    """

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="joined_records")
    former_person_id = models.UUIDField(unique=True)
    joined_at = models.DateTimeField()
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return f"{self.former_person_id} joined into {self.person_id}"
