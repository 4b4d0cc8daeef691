"""The audit trail, and break-glass access that the privacy officer reviews."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import TimestampedModel


class Part(models.TextChoices):
    """The parts of a person's record that the access policy decides on one by one."""

    IDENTITY = "identity", "name, date of birth and NHS number"
    ABOUT = "about", "about me"
    CONTACT = "contact", "contact details"
    EQUITY = "equity", "equality monitoring"
    STORY = "story", "my story"
    NETWORK = "network", "my network"
    SHARING = "sharing", "who I share my record with"
    SUPPORT = "support", "my support: team, worker and moving on"
    PLAN = "plan", "my Living Well plan and safety plan"
    NOTES = "notes", "contacts and notes"
    MEASURES = "measures", "my measures: how things are going"
    ACCESS_LOG = "access_log", "who has looked at my record"


class Basis(models.TextChoices):
    """Why someone may see a record: the legitimate relationship that the policy found."""

    SELF = "self", "their own record"
    TEAM = "team", "their team supports the person"
    ALLOCATED = "allocated", "allocated to the person"
    CONSENT = "consent", "the person agreed to share with their organisation"
    FRONT_DOOR = "front_door", "Hub coordinator for an open introduction"
    BREAK_GLASS = "break_glass", "emergency access"
    PRIVACY = "privacy", "privacy officer reviewing access"
    INTRODUCER = "introducer", "introduced the person, and sees only what happened next"


class Action(models.TextChoices):
    VIEW = "view", "looked at"
    LIST = "list", "saw in a list"
    SEARCH = "search", "found in a search"
    CREATE = "create", "created"
    CHANGE = "change", "changed"
    BREAK_GLASS = "break_glass", "used emergency access to"
    SIGN_IN = "sign_in", "signed in"
    SIGN_IN_FAILED = "sign_in_failed", "failed to sign in"
    LOCKED_OUT = "locked_out", "was locked out"
    SIGN_OUT = "sign_out", "signed out"
    NETWORK_CHANGE = "network_change", "changed the network"
    REVIEW = "review", "reviewed"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def about_person(self, person_id: uuid.UUID) -> AuditEventQuerySet:
        return self.filter(person_id=person_id)


class AuditEvent(models.Model):
    """One read, write or refusal. Append-only: rows are never changed or deleted by the platform.

    The actor's name, roles and organisation are copied at the time, so the trail stays true
    when people change jobs. `person_id` is not a foreign key so that the trail outlives records.
    A list or search that shows several people writes one event for each of them, so that each
    person's own access log is complete.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200, blank=True)
    actor_roles = models.CharField(max_length=300, blank=True)
    actor_organisation = models.CharField(max_length=300, blank=True)
    person_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    parts = models.JSONField(default=list, blank=True)
    basis = models.CharField(max_length=20, choices=Basis.choices, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    path = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person_id", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["outcome", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The trail is evidence: refuse to rewrite it.
        if not self._state.adding:
            raise ValueError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Audit events cannot be deleted.")


class ReviewOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlass(TimestampedModel):
    """Emergency access to one person's record, with a reason, for a limited time, always reviewed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="break_glass")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass access"
        indexes = [models.Index(fields=["user", "person", "expires_at"]), models.Index(fields=["reviewed_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("started_at")), name="break_glass_expires"),
            models.CheckConstraint(condition=~Q(reason=""), name="break_glass_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user} opened {self.person} at {self.started_at:%Y-%m-%d %H:%M}"
