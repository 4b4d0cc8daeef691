"""The front door: introductions and where each one has got to.

Nobody is turned away: an introduction ends at a first conversation, or is withdrawn by the
person, or is marked unreachable after attempts; both of those can be reopened.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from livingwell.network.models import Locality, Organisation, Site, TimestampedModel
from livingwell.people.models import Person


class Source(models.TextChoices):
    SELF = "self", "The person themself"
    GP = "gp", "GP or primary care"
    FAMILY_FRIEND = "family_friend", "Family or friend"
    HOUSING = "housing", "Housing"
    POLICE = "police", "Police"
    VOLUNTARY = "voluntary", "Voluntary or community organisation"
    NHS_SERVICE = "nhs_service", "Another NHS service"
    LOCAL_AUTHORITY = "local_authority", "Council service"
    OTHER = "other", "Someone else"


class IntroductionState(models.TextChoices):
    NEW = "new", "New"
    CONTACTING = "contacting", "Contacting"
    BOOKED = "booked", "First conversation booked"
    MET = "met", "Met"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNREACHABLE = "unreachable", "Not reached yet"


# States in which an introduction is still at the front door, waiting for a first conversation.
OPEN_STATES = (IntroductionState.NEW, IntroductionState.CONTACTING, IntroductionState.BOOKED)


class Introduction(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="introductions")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="introductions")
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    introducing_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions_made"
    )
    introduced_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=20, choices=IntroductionState.choices, default=IntroductionState.NEW)
    urgent = models.BooleanField(default=False)
    first_conversation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-urgent", "introduced_at"]
        indexes = [models.Index(fields=["site", "state", "introduced_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_conversation_at__isnull=True)
                | Q(first_conversation_at__gte=models.F("introduced_at")),
                name="introduction_first_conversation_after_introduction",
            ),
        ]

    def __str__(self) -> str:
        return f"Introduction of {self.person} on {self.introduced_at:%d %B %Y}"
