"""The front door: introductions, contact attempts, bookings, first conversations and returns.

Nobody is turned away. An introduction moves new -> contacting -> booked -> met; it can also be
withdrawn by the person (with their reason) or marked unreachable after several recorded attempts,
and both of those can be reopened. No state, field or report here means "not eligible".
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import Locality, Organisation, Sector, Site, Team, TimestampedModel
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


# Sources open to partner staff and partner systems: organisations, never "self" or "family or friend".
PARTNER_SOURCES = (
    Source.GP,
    Source.HOUSING,
    Source.POLICE,
    Source.VOLUNTARY,
    Source.NHS_SERVICE,
    Source.LOCAL_AUTHORITY,
    Source.OTHER,
)

_SOURCE_FOR_SECTOR = {
    Sector.PRIMARY_CARE: Source.GP,
    Sector.HOUSING: Source.HOUSING,
    Sector.LOCAL_AUTHORITY: Source.LOCAL_AUTHORITY,
    Sector.VOLUNTARY: Source.VOLUNTARY,
    Sector.PEER_LED: Source.VOLUNTARY,
    Sector.NHS_TRUST: Source.NHS_SERVICE,
}


def source_for_sector(sector: str) -> Source:
    """The usual source for an organisation of this kind (a GP practice introduces as `gp`…)."""
    return _SOURCE_FOR_SECTOR.get(sector, Source.OTHER)  # type: ignore[call-overload]


class IntroductionState(models.TextChoices):
    NEW = "new", "New"
    CONTACTING = "contacting", "Contacting"
    BOOKED = "booked", "First conversation booked"
    MET = "met", "Met"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNREACHABLE = "unreachable", "Not reached yet"
    # Someone who moved on within the site's time came back and was picked up where they left off,
    # without a new first conversation (livingwell.support.services.moving_on.support_resume).
    RETURNED = "returned", "Back with their team"


# States in which an introduction is still at the front door, waiting for a first conversation.
OPEN_STATES = (IntroductionState.NEW, IntroductionState.CONTACTING, IntroductionState.BOOKED)
# States that a coordinator can reopen: the person is always welcome back.
REOPENABLE_STATES = (IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE)


class UnsafeNow(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure, or I'd rather not say"


class PersonAware(models.TextChoices):
    """When someone else makes the introduction: does the person know, and agree?"""

    AGREES = "agrees", "Yes, they know and agree"
    KNOWS = "knows", "They know, but have not agreed yet"
    DOES_NOT_KNOW = "does_not_know", "No, they do not know yet"


class Place(models.TextChoices):
    """Where a first conversation can happen: wherever the person chooses."""

    CAFE = "cafe", "A café"
    PARK = "park", "A park"
    GP_PRACTICE = "gp_practice", "Their GP practice"
    HOME = "home", "At home"
    PHONE = "phone", "By phone"
    VIDEO = "video", "By video call"
    DROP_IN = "drop_in", "A drop-in"


class WorkerPreference(models.TextChoices):
    PEER = "peer", "A peer worker, who has lived experience of mental health difficulties"
    WOMAN = "woman", "A woman"
    MAN = "man", "A man"
    SAME_LANGUAGE = "same_language", "Someone who speaks my language"


def new_reference() -> str:
    """A reference people can read out on the phone: LW- and 8 characters with no 0/O or 1/I/L."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"LW-{code[:4]}-{code[4:]}"


class IntroductionQuerySet(models.QuerySet["Introduction"]):
    def open(self) -> IntroductionQuerySet:
        return self.filter(state__in=OPEN_STATES)


class Introduction(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="introductions")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="introductions")
    locality = models.ForeignKey(Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    introducing_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions_made"
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions_made",
        help_text="The signed-in member of staff who made the introduction.",
    )
    introduced_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=20, choices=IntroductionState.choices, default=IntroductionState.NEW)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    first_conversation_at = models.DateTimeField(null=True, blank=True)
    second_contact_at = models.DateTimeField(null=True, blank=True)

    # What we were told, as it was typed.
    in_their_words = models.TextField("What has brought them here", blank=True)
    unsafe_now = models.CharField("Feeling unsafe right now", max_length=10, choices=UnsafeNow.choices, blank=True)
    preferred_places = models.JSONField(default=list, blank=True)
    worker_preferences = models.JSONField(default=list, blank=True)
    meeting_note = models.CharField("Anything else about meeting", max_length=300, blank=True)
    agrees_to_contact = models.BooleanField(default=False)
    agrees_to_share = models.BooleanField("Agrees to share within the Living Well network", default=False)

    # When someone else makes the introduction.
    person_aware = models.CharField(max_length=20, choices=PersonAware.choices, blank=True)
    introducer_name = models.CharField(max_length=150, blank=True)
    introducer_relationship = models.CharField(max_length=100, blank=True)
    introducer_phone = models.CharField(max_length=30, blank=True)
    introducer_email = models.EmailField(blank=True)

    # Why it was closed, when withdrawn or marked unreachable (kept when reopened, in the history).
    closed_reason = models.TextField(blank=True)

    # A retry of the same submission (double click, back-and-resubmit, API retry) finds this row.
    submission_key = models.CharField(max_length=200, null=True, blank=True, unique=True, editable=False)
    submission_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["-urgent", "introduced_at"]
        indexes = [
            models.Index(fields=["site", "state", "introduced_at"]),
            models.Index(fields=["site", "first_conversation_at"]),
            models.Index(fields=["introduced_by", "introduced_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_conversation_at__isnull=True)
                | Q(first_conversation_at__gte=models.F("introduced_at")),
                name="introduction_first_conversation_after_introduction",
            ),
            models.CheckConstraint(
                condition=Q(second_contact_at__isnull=True)
                | (
                    Q(first_conversation_at__isnull=False) & Q(second_contact_at__gte=models.F("first_conversation_at"))
                ),
                name="introduction_second_contact_after_first",
            ),
            models.CheckConstraint(
                condition=~Q(state=IntroductionState.MET) | Q(first_conversation_at__isnull=False),
                name="introduction_met_has_first_conversation",
            ),
        ]

    def __str__(self) -> str:
        return f"Introduction {self.reference} on {self.introduced_at:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def by_someone_else(self) -> bool:
        return self.source != Source.SELF


class EventKind(models.TextChoices):
    INTRODUCED = "introduced", "Introduced"
    ATTEMPT = "attempt", "Tried to get in touch"
    BOOKED = "booked", "First conversation booked"
    BOOKING_CANCELLED = "booking_cancelled", "Booking cancelled"
    NOT_ATTENDED = "not_attended", "First conversation did not happen"
    MET = "met", "First conversation held"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNREACHABLE = "unreachable", "Marked not reached yet"
    REOPENED = "reopened", "Reopened"
    MATCHED = "matched", "Recognised as someone we know"
    SECOND_CONTACT = "second_contact", "Second contact"
    RETURNED = "returned", "Picked up where they left off"


class IntroductionEvent(models.Model):
    """The history of an introduction: every change of state, in order, with who and why."""

    id = models.BigAutoField(primary_key=True)
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    from_state = models.CharField(max_length=20, choices=IntroductionState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=IntroductionState.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["introduction", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    VIA_INTRODUCER = "via_introducer", "Through the person who introduced them"


class AttemptOutcome(models.TextChoices):
    SPOKE = "spoke", "Spoke with them"
    LEFT_MESSAGE = "left_message", "Left a message"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_SENT = "message_sent", "Message sent, no reply yet"
    WRONG_DETAILS = "wrong_details", "Contact details did not work"


class ContactAttempt(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["attempted_at"]
        indexes = [models.Index(fields=["introduction", "attempted_at"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.get_outcome_display()}"

    @property
    def reached(self) -> bool:
        return self.outcome == AttemptOutcome.SPOKE


class NotifyBy(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    ALREADY_TOLD = "already_told", "Already told them (for example on the phone)"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    NOT_ATTENDED = "not_attended", "Did not happen"
    HELD = "held", "Held"


class Booking(TimestampedModel):
    """A first conversation, at a time and place of the person's choosing, with a worker who fits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="bookings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=20, choices=Place.choices)
    place_detail = models.CharField("Where exactly", max_length=200, blank=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notify_by = models.CharField(max_length=20, choices=NotifyBy.choices)
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    status_note = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["worker", "status", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["introduction"], condition=Q(status="booked"), name="booking_one_current_per_introduction"
            )
        ]

    def __str__(self) -> str:
        return f"First conversation at {self.starts_at:%Y-%m-%d %H:%M}"


class ConversationOutcome(models.TextChoices):
    SUPPORT = "support", "Living Well support"
    COMMUNITY = "community", "Connection with community offers"
    HANDOVER = "handover", "Warm handover to specialist or secondary care"
    NOTHING_FURTHER = "nothing_further", "Nothing further needed now"


class FirstConversation(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    introduction = models.OneToOneField(Introduction, on_delete=models.CASCADE, related_name="first_conversation")
    held_at = models.DateTimeField()
    place = models.CharField(max_length=20, choices=Place.choices)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=ConversationOutcome.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    support_period = models.ForeignKey(
        "support.SupportPeriod", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    community_offers = models.TextField("Community offers talked about", blank=True)
    note = models.TextField("What we agreed", blank=True)

    class Meta:
        ordering = ["-held_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="support") | Q(team__isnull=False), name="first_conversation_support_has_team"
            )
        ]

    def __str__(self) -> str:
        return f"First conversation on {self.held_at:%d %B %Y}"


class Handover(TimestampedModel):
    """A warm handover to specialist or secondary care, which the network goes on following."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="handovers")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="handovers")
    first_conversation = models.ForeignKey(
        FirstConversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="handovers"
    )
    to_service = models.CharField("Handed over to", max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField()
    handed_over_at = models.DateTimeField()
    follow_up_due = models.DateField()
    followed_up_at = models.DateTimeField(null=True, blank=True)
    follow_up_note = models.TextField(blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["follow_up_due"]
        indexes = [models.Index(fields=["site", "followed_up_at", "follow_up_due"])]

    def __str__(self) -> str:
        return f"Handover to {self.to_service}"


class MatchStatus(models.TextChoices):
    PENDING = "pending", "To check"
    CONFIRMED = "confirmed", "Same person"
    NOT_SAME = "not_same", "Not the same person"


class PossibleMatch(TimestampedModel):
    """A new introduction that may be someone we already know; a coordinator decides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="possible_matches")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=MatchStatus.choices, default=MatchStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["introduction", "candidate"], name="possible_match_once_per_candidate")
        ]

    def __str__(self) -> str:
        return f"Possible match {self.score:.2f}"
