"""Support: a period of Living Well support by a team, the chosen worker, the team huddle, the Living
Well plan (goals, actions, reviews, versions, agreement and the safety plan), contacts and notes, and
moving on.

Rows that two people may edit at once (a goal, an action, the safety plan) carry a `version` that
each save checks and bumps (see livingwell.core.concurrency), so nobody overwrites another's words
without seeing them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from livingwell.network.models import Role, Team, TimestampedModel
from livingwell.people.models import Person, Relationship


class WorkerKind(models.TextChoices):
    """The kind of worker a person asks for. Each maps to the roles that can be that worker."""

    PEER = "peer", "A peer worker, who has their own experience of mental health problems"
    RECOVERY = "recovery", "A recovery worker"
    CLINICAL = "clinical", "A mental health practitioner, such as a nurse or occupational therapist"
    PSYCHOLOGY = "psychology", "A psychologist"
    PSYCHIATRY = "psychiatry", "A psychiatrist"
    SOCIAL_WORK = "social_work", "A social worker"
    HOUSING = "housing", "Someone who knows about housing"
    EMPLOYMENT = "employment", "Someone who knows about work, training and benefits"
    NO_PREFERENCE = "no_preference", "No preference"


KIND_ROLES: dict[WorkerKind, frozenset[Role]] = {
    WorkerKind.PEER: frozenset({Role.PEER_WORKER}),
    WorkerKind.RECOVERY: frozenset({Role.RECOVERY_WORKER}),
    WorkerKind.CLINICAL: frozenset({Role.MENTAL_HEALTH_PRACTITIONER}),
    WorkerKind.PSYCHOLOGY: frozenset({Role.PSYCHOLOGIST}),
    WorkerKind.PSYCHIATRY: frozenset({Role.PSYCHIATRIST}),
    WorkerKind.SOCIAL_WORK: frozenset({Role.SOCIAL_WORKER}),
    WorkerKind.HOUSING: frozenset({Role.HOUSING_OFFICER}),
    WorkerKind.EMPLOYMENT: frozenset({Role.EMPLOYMENT_SPECIALIST}),
}


class SupportPeriod(TimestampedModel):
    """A time of Living Well support by one team, from the first conversation (or coming back) to moving on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_periods")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="support_periods")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the person asked for in a worker (at the first conversation, or later).
    wanted_kind = models.CharField(
        "Kind of worker wanted", max_length=20, choices=WorkerKind.choices, default=WorkerKind.NO_PREFERENCE
    )
    wanted_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Worker asked for by name",
    )
    wanted_note = models.CharField("Anything else about the worker", max_length=300, blank=True)
    # Coming back within the site's time: the period picked up from.
    resumed_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resumed_by"
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["team", "ended_at"]),
            models.Index(fields=["person", "ended_at"]),
            models.Index(fields=["team", "started_at"]),
        ]
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

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class Allocation(TimestampedModel):
    """The person's chosen worker during a support period. One at a time; changes are kept as history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_period = models.ForeignKey(SupportPeriod, on_delete=models.CASCADE, related_name="allocations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    honours_choice = models.BooleanField("Is who the person asked for", default=True)
    why_not_as_chosen = models.TextField("Why not who the person asked for", blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["worker", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="allocation_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["support_period"], condition=Q(ended_at__isnull=True), name="allocation_one_current"
            ),
            models.CheckConstraint(
                condition=Q(honours_choice=True) | ~Q(why_not_as_chosen=""), name="allocation_says_why_not_as_chosen"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} supporting {self.support_period.person}"


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for the team"
    DONE = "done", "Changed"
    NOT_POSSIBLE = "not_possible", "Not possible yet"


class WorkerChangeRequest(TimestampedModel):
    """The person asks for a different worker. The team answers; nobody has to give a reason for asking."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_period = models.ForeignKey(SupportPeriod, on_delete=models.CASCADE, related_name="change_requests")
    asked_at = models.DateTimeField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    wanted_kind = models.CharField(max_length=20, choices=WorkerKind.choices, default=WorkerKind.NO_PREFERENCE)
    wanted_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField("Anything you want to tell us", blank=True)
    status = models.CharField(max_length=20, choices=ChangeRequestStatus.choices, default=ChangeRequestStatus.OPEN)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(blank=True)
    allocation = models.ForeignKey(Allocation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-asked_at"]
        indexes = [models.Index(fields=["status", "asked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_possible") | ~Q(answer=""), name="change_request_says_why_not"
            )
        ]

    def __str__(self) -> str:
        return f"Change of worker asked on {self.asked_at:%d %B %Y}"


class Flag(TimestampedModel):
    """An urgent flag for the team huddle: something the team must talk about today."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_period = models.ForeignKey(SupportPeriod, on_delete=models.CASCADE, related_name="flags")
    reason = models.TextField()
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["support_period", "cleared_at"])]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="flag_has_reason")]

    def __str__(self) -> str:
        return f"Urgent: {self.reason[:40]}"


class Huddle(TimestampedModel):
    """A team's daily multidisciplinary meeting. 'New since last huddle' counts from the one before."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="huddles")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["team", "-started_at"])]

    def __str__(self) -> str:
        return f"Huddle of {self.team} on {self.started_at:%d %B %Y}"


class HuddleTopic(models.TextChoices):
    NEW = "new", "New since last huddle"
    WAITING = "waiting", "Waiting for a worker"
    REVIEW = "review", "Plan due for review"
    NOT_SEEN = "not_seen", "Not seen recently"
    URGENT = "urgent", "Urgent"
    CHANGE = "change", "Asked for a change of worker"
    OTHER = "other", "Something else"


class HuddleDecision(TimestampedModel):
    """What the team decided about one person at a huddle."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    huddle = models.ForeignKey(Huddle, on_delete=models.CASCADE, related_name="decisions")
    support_period = models.ForeignKey(SupportPeriod, on_delete=models.CASCADE, related_name="huddle_decisions")
    topic = models.CharField(max_length=20, choices=HuddleTopic.choices)
    decision = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at"]
        constraints = [models.CheckConstraint(condition=~Q(decision=""), name="huddle_decision_has_words")]

    def __str__(self) -> str:
        return self.decision[:60]


# The Living Well plan ---------------------------------------------------------------------------------


class BigThree(models.TextChoices):
    """Lambeth's Big Three outcomes, which every goal serves."""

    RECOVER = "recover", "Recover and stay well"
    CHOICES = "choices", "Make my own choices and achieve my goals"
    PARTICIPATE = "participate", "Participate on an equal footing in daily life"


class Plan(TimestampedModel):
    """The person's Living Well plan: one per person, kept across support periods so coming back picks it up."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="plan")
    review_due = models.DateField(null=True, blank=True, db_index=True)
    version_number = models.PositiveIntegerField(default=0, help_text="How many versions have been saved.")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Living Well plan of {self.person}"


class GoalStatus(models.TextChoices):
    WORKING_ON = "working_on", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    SET_ASIDE = "set_aside", "Set aside for now"


class Goal(TimestampedModel):
    """A goal in the person's own words, for one of the Big Three."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    words = models.TextField("The goal, in the person's own words")
    outcome = models.CharField(max_length=20, choices=BigThree.choices)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.WORKING_ON)
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [models.CheckConstraint(condition=~Q(words=""), name="goal_has_words")]

    def __str__(self) -> str:
        return self.words[:60]


class ActionOwner(models.TextChoices):
    PERSON = "person", "The person themself"
    WORKER = "worker", "A Living Well worker"
    NETWORK = "network", "Someone in the person's own network"
    COMMUNITY = "community", "A community offer"


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", "To do"
    DONE = "done", "Done"
    NOT_DOING = "not_doing", "Not doing now"


class PlanAction(TimestampedModel):
    """A step towards a goal: what, who does it, and by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    what = models.TextField()
    owner = models.CharField(max_length=20, choices=ActionOwner.choices)
    owner_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions"
    )
    owner_relationship = models.ForeignKey(
        Relationship, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_actions"
    )
    owner_name = models.CharField(
        "Who, in words", max_length=200, blank=True, help_text="The community offer, or the name when the row is gone."
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.TO_DO)
    done_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "created_at"]
        indexes = [models.Index(fields=["owner_worker", "status", "due"])]
        constraints = [models.CheckConstraint(condition=~Q(what=""), name="plan_action_has_words")]

    def __str__(self) -> str:
        return self.what[:60]


class SafetyPlan(TimestampedModel):
    """The co-produced safety plan: what the person and their network do when things get hard."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="safety_plan", primary_key=True)
    warning_signs = models.TextField("Signs that things are getting hard", blank=True)
    what_helps = models.TextField("Things I can do that help", blank=True)
    people_and_places = models.TextField("People and places that help", blank=True)
    crisis_contacts = models.TextField("Who to contact in a crisis", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Safety plan of {self.plan.person}"


class Review(TimestampedModel):
    """A review of the plan with the person: how it is going and when to look again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    with_person = models.BooleanField("The person took part", default=True)
    how_it_is_going = models.TextField("How it is going, in the person's words", blank=True)
    what_changes = models.TextField("What changes in the plan", blank=True)
    next_review_due = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_due__gt=models.F("held_on")), name="review_next_after_this_one"
            )
        ]

    def __str__(self) -> str:
        return f"Review on {self.held_on:%d %B %Y}"


class PlanVersion(models.Model):
    """Every saved version of the plan: who changed what, when, and the whole plan as it then stood."""

    id = models.BigAutoField(primary_key=True)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_name = models.CharField(max_length=200, blank=True)
    summary = models.CharField("What changed", max_length=500)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan}"


class AgreedHow(models.TextChoices):
    SIGNED_IN = "signed_in", "Agreed by the person, signed in to their record"
    IN_CONVERSATION = "in_conversation", "Agreed with the person in conversation"


class PlanAgreement(TimestampedModel):
    """The person agreed to a version of their plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    version_number = models.PositiveIntegerField()
    agreed_at = models.DateTimeField()
    how = models.CharField(max_length=20, choices=AgreedHow.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField("Anything the person wants to add", blank=True)

    class Meta:
        ordering = ["-agreed_at"]

    def __str__(self) -> str:
        return f"Version {self.version_number} agreed on {self.agreed_at:%d %B %Y}"


# Contacts and notes -----------------------------------------------------------------------------------


class ContactMode(models.TextChoices):
    IN_PERSON = "in_person", "Met in person"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Text or message"
    EMAIL = "email", "Email"
    GROUP = "group", "Group session"


class ContactStatus(models.TextChoices):
    HELD = "held", "Took place"
    NOT_HELD = "not_held", "Did not take place"


class Contact(TimestampedModel):
    """A time the person and the network were in touch: when, how, for how long and who took part."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="contacts")
    support_period = models.ForeignKey(
        SupportPeriod, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )
    occurred_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=ContactMode.choices)
    status = models.CharField(max_length=20, choices=ContactStatus.choices, default=ContactStatus.HELD)
    place = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="contacts_taken_part", blank=True)
    others = models.CharField("Others who took part", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"]),
            models.Index(fields=["support_period", "status", "-occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=1440),
                name="contact_duration_within_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} on {self.occurred_at:%d %B %Y}"


class WithheldBecause(models.TextChoices):
    """The only grounds on which a note is kept from the person (UK GDPR and the Data Protection Act 2018)."""

    SOMEONE_ELSE = "someone_else", "It is about someone else, who has not agreed to share it"
    SERIOUS_HARM = "serious_harm", "Seeing it now could cause serious harm to the person or someone else"
    LEGAL = "legal", "The law says it cannot be shared, for example during a police investigation"


class Note(TimestampedModel):
    """What was written about the person. The person reads every note unless it is withheld, with a reason.

    Notes are never changed once written: a correction is a new note that says so.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="notes")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes")
    written_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    text = models.TextField()
    corrects = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="corrections")
    withheld_because = models.CharField(max_length=20, choices=WithheldBecause.choices, blank=True)
    withheld_reason = models.TextField("Why it is withheld", blank=True)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withheld_review_on = models.DateField("Look again at withholding on", null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["person", "-written_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_has_text"),
            models.CheckConstraint(
                condition=Q(withheld_because="") | ~Q(withheld_reason=""), name="note_withheld_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Note of {self.written_at:%d %B %Y}"

    @property
    def withheld(self) -> bool:
        return bool(self.withheld_because)


# Moving on --------------------------------------------------------------------------------------------


class MovingOnReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", "The person reached what they came for"
    PERSON_CHOSE = "person_chose", "The person chose to stop for now"
    OTHER_SUPPORT = "other_support", "Support from somewhere else suits the person better now"
    MOVED_AWAY = "moved_away", "The person moved away"
    LOST_TOUCH = "lost_touch", "We lost touch, and the door stays open"
    OTHER = "other", "Something else"


class MovingOn(TimestampedModel):
    """The farewell summary written with the person when a support period ends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    support_period = models.OneToOneField(SupportPeriod, on_delete=models.CASCADE, related_name="moving_on")
    moved_on_at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=MovingOnReason.choices)
    what_helped = models.TextField("What helped")
    if_things_get_hard = models.TextField("What to do if things get hard")
    how_to_come_back = models.TextField("How to come back")
    person_words = models.TextField("Anything the person wants to say", blank=True)
    written_with_person = models.BooleanField("Written together with the person", default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-moved_on_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(what_helped=""), name="moving_on_says_what_helped"),
            models.CheckConstraint(condition=~Q(if_things_get_hard=""), name="moving_on_says_what_if_hard"),
        ]

    def __str__(self) -> str:
        return f"Moved on on {self.moved_on_at:%d %B %Y}"
