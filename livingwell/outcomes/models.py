"""Outcomes: measures a person completes (DIALOG+, Goal Based Outcomes, SWEMWBS, ReQoL-10, and the
experience questions at moving on), the licensed wording a site loads, and the site's thresholds.

The instruments themselves are data files (livingwell.outcomes.instruments); a measure names the
instrument and version it was completed on, and keeps the answers by item key, so that a later
version that orders items differently still compares item by item.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from livingwell.network.models import Site, TimestampedModel
from livingwell.people.models import Person


class Occasion(models.TextChoices):
    FIRST_CONVERSATION = "first_conversation", "At the first conversation"
    REVIEW = "review", "At a review of the plan"
    MOVING_ON = "moving_on", "At moving on"
    CHECK_IN = "check_in", "At another time"


class MeasureStatus(models.TextChoices):
    DRAFT = "draft", "Started, not finished"
    COMPLETE = "complete", "Finished"


class CompletedHow(models.TextChoices):
    OWN = "own", "By the person on their own"
    TOGETHER = "together", "By the person together with a worker"


class Measure(TimestampedModel):
    """One completion of one instrument by one person: a draft until it is finished and scored.

    `answers` holds each response as given on the form, keyed by item key (not position). For
    DIALOG+, `more_help` holds "do you need more help in this area?" by item key and `topics` the
    areas chosen to talk about with the four steps and the plan actions they became. For Goal Based
    Outcomes, `goals` holds each goal's words (and the plan goal it is, when it is one) by item key.
    Scores are written when the measure is finished, by the one scoring routine.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measures")
    support_period = models.ForeignKey(
        "support.SupportPeriod", on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    instrument = models.CharField(max_length=20)
    instrument_version = models.CharField(max_length=10)
    occasion = models.CharField(max_length=20, choices=Occasion.choices, default=Occasion.CHECK_IN)
    how = models.CharField(max_length=20, choices=CompletedHow.choices, default=CompletedHow.OWN)
    status = models.CharField(max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.DRAFT)
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    more_help = models.JSONField(default=dict, blank=True)
    goals = models.JSONField(default=dict, blank=True)
    topics = models.JSONField(default=list, blank=True)
    total = models.IntegerField(null=True, blank=True)
    metric = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["person", "instrument", "completed_at", "started_at"]
        indexes = [
            models.Index(fields=["person", "instrument", "status", "completed_at"], name="measure_person_instrument"),
            models.Index(fields=["instrument", "status", "completed_at"], name="measure_instrument_done"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MeasureStatus.DRAFT, completed_at__isnull=True)
                | Q(status=MeasureStatus.COMPLETE, completed_at__isnull=False),
                name="measure_completed_when_complete",
            ),
            models.UniqueConstraint(
                fields=["person", "instrument"],
                condition=Q(status=MeasureStatus.DRAFT),
                name="measure_one_draft_per_instrument",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.person_id} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == MeasureStatus.DRAFT


class InstrumentWording(TimestampedModel):
    """A licensed instrument's wording, loaded by the site from its own licensed copy.

    Never shipped in the repository (see `manage.py load_instrument_text`). `items` maps position to
    the item's words and `options` the response value to its words.
    """

    instrument = models.CharField(max_length=20)
    instrument_version = models.CharField(max_length=10)
    title = models.CharField(max_length=200, blank=True)
    instructions = models.TextField(blank=True)
    items = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    source = models.CharField("Where the licensed wording came from", max_length=300, blank=True)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["instrument", "instrument_version"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "instrument_version"], name="wording_one_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.instrument_version} wording"


class MeasureSettings(TimestampedModel):
    """A site's thresholds for reliable change and the ReQoL-10 cut-off; NHS England's figures by default."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, primary_key=True, related_name="measure_settings")
    dialog_reliable_change = models.DecimalField(
        "DIALOG: points per item for a reliable change",
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.1), MaxValueValidator(6)],
    )
    gbo_reliable_change = models.DecimalField(
        "Goal Based Outcomes: points per goal for a reliable change",
        max_digits=4,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0.1), MaxValueValidator(10)],
    )
    reqol10_reliable_change = models.DecimalField(
        "ReQoL-10: points for a reliable change",
        max_digits=4,
        decimal_places=2,
        default=5,
        validators=[MinValueValidator(0.1), MaxValueValidator(40)],
    )
    swemwbs_reliable_change = models.DecimalField(
        "SWEMWBS: metric points for a reliable change",
        max_digits=4,
        decimal_places=2,
        default=3,
        validators=[MinValueValidator(0.1), MaxValueValidator(28)],
    )
    reqol10_cutoff = models.PositiveSmallIntegerField(
        "ReQoL-10: clinical cut-off",
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )

    class Meta:
        ordering = ["site"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dialog_reliable_change__gt=0)
                & Q(gbo_reliable_change__gt=0)
                & Q(reqol10_reliable_change__gt=0)
                & Q(swemwbs_reliable_change__gt=0),
                name="measure_settings_thresholds_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Measure settings for {self.site_id}"
