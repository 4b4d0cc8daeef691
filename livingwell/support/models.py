"""Support: a period of Living Well support by a team, and the workers allocated to the person."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import Team, TimestampedModel
from livingwell.people.models import Person


class SupportPeriod(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_periods")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="support_periods")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["team", "ended_at"]), models.Index(fields=["person", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="support_period_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["person", "team"], condition=Q(ended_at__isnull=True), name="support_one_open_per_team"
            ),
        ]

    def __str__(self) -> str:
        return f"Support for {self.person} by {self.team}"


class Allocation(TimestampedModel):
    """A worker allocated to a person during a support period (the person's chosen worker)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_period = models.ForeignKey(SupportPeriod, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["worker", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} supporting {self.support_period.person}"
