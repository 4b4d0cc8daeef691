"""The Collaborative: people with lived experience, carers, staff, commissioners and citizens who
co-produce the network, with their groups, sessions, decisions, prototypes, stories, reflections
and ideas fund.

A member's identity here is their own and separate (ADR 10): a `Member` belongs to a sign-in, never
to a person's record, and nothing in this app reads the records of people who are supported. A
member who is also supported by the network is known here only by the name they chose and the
perspectives they told the Collaborative.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from livingwell.network.models import Locality, Organisation, Sector, Site, TimestampedModel

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# ---- members --------------------------------------------------------------------------------------


class Perspective(models.TextChoices):
    """What someone brings to the Collaborative. A member may bring several (a peer worker has lived
    experience and works in the network)."""

    LIVED_EXPERIENCE = "lived_experience", "Lived experience of mental health"
    CARER = "carer", "Carer, family member or friend"
    STAFF = "staff", "Works in the network"
    COMMISSIONER = "commissioner", "Commissioner"
    CITIZEN = "citizen", "Citizen or neighbour"


PERSPECTIVE_FIELDS: dict[Perspective, str] = {
    Perspective.LIVED_EXPERIENCE: "lived_experience",
    Perspective.CARER: "carer",
    Perspective.STAFF: "staff",
    Perspective.COMMISSIONER: "commissioner",
    Perspective.CITIZEN: "citizen",
}


class PerspectivesMixin(models.Model):
    lived_experience = models.BooleanField("Lived experience of mental health", default=False)
    carer = models.BooleanField("Carer, family member or friend", default=False)
    staff = models.BooleanField("Works in the network", default=False)
    commissioner = models.BooleanField("Commissioner", default=False)
    citizen = models.BooleanField("Citizen or neighbour", default=False)

    class Meta:
        abstract = True

    @property
    def perspectives(self) -> list[Perspective]:
        return [p for p, name in PERSPECTIVE_FIELDS.items() if getattr(self, name)]


def _some_perspective() -> Q:
    return Q(lived_experience=True) | Q(carer=True) | Q(staff=True) | Q(commissioner=True) | Q(citizen=True)


class MemberQuerySet(models.QuerySet["Member"]):
    def current(self) -> MemberQuerySet:
        return self.filter(left_on__isnull=True)


class Member(PerspectivesMixin, TimestampedModel):
    """Someone in a site's Collaborative, known by the name they chose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="collaborative_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collaborative_memberships"
    )
    known_as = models.CharField(
        "The name you want to be known by here",
        max_length=80,
        help_text="Your first name, a nickname or your full name. Other members and the public (if you agree) see this name.",
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="collaborative_members"
    )
    organisation_name = models.CharField(
        "Organisation or group (optional)",
        max_length=200,
        blank=True,
        help_text="For example a community group you belong to.",
    )
    about = models.TextField("What you would like to bring or work on (optional)", max_length=2000, blank=True)
    access_needs = models.TextField("What helps you take part (optional)", max_length=1000, blank=True)
    listed = models.BooleanField("Show me in the list of members", default=True)
    public_name = models.BooleanField("Show my name on public pages, such as the decisions log", default=False)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["known_as", "id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "user"], name="collaborative_member_one_per_site"),
            models.CheckConstraint(condition=_some_perspective(), name="collaborative_member_has_perspective"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="collaborative_member_leaves_after_joining",
            ),
        ]
        indexes = [models.Index(fields=["site", "left_on"])]

    def __str__(self) -> str:
        return self.known_as

    @property
    def name(self) -> str:
        """The only name the Collaborative ever shows (also in edit conflicts)."""
        return self.known_as

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class JoinRequestStatus(models.TextChoices):
    NEW = "new", "Waiting for a welcome"
    WELCOMED = "welcomed", "Welcomed"
    DECLINED = "declined", "Not taken forward"


class JoinRequest(PerspectivesMixin, TimestampedModel):
    """Someone without a sign-in asked to join from the public pages; a steward welcomes them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="collaborative_join_requests")
    known_as = models.CharField("Your name", max_length=80)
    email = models.EmailField("Email address")
    about = models.TextField("What would you like to bring or work on? (optional)", max_length=2000, blank=True)
    access_needs = models.TextField("What would help you take part? (optional)", max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.NEW)
    handled_by = models.ForeignKey(
        "Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="join_requests_handled"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    member = models.ForeignKey("Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["site", "status"])]
        constraints = [models.CheckConstraint(condition=_some_perspective(), name="collaborative_join_has_perspective")]

    def __str__(self) -> str:
        return f"{self.known_as} ({self.get_status_display()})"


# ---- groups ---------------------------------------------------------------------------------------


class GroupKind(models.TextChoices):
    COLLABORATIVE = "collaborative", "The Collaborative"
    DESIGN_TEAM = "design_team", "Design Team"
    PROTOTYPING_TEAM = "prototyping_team", "Prototyping Team"
    PROTOTYPING_LAB = "prototyping_lab", "Prototyping Lab"
    GOVERNANCE = "governance", "Governance group"
    COMMUNITY_OF_PRACTICE = "community_of_practice", "Community of practice"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood collaborative"


# A Design Team works best with 12 to 15 people (Living Well UK).
DESIGN_TEAM_SIZE = (12, 15)


class Group(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="collaborative_groups")
    kind = models.CharField(max_length=30, choices=GroupKind.choices)
    name = models.CharField(max_length=150)
    purpose = models.TextField("What the group is for", max_length=3000)
    locality = models.ForeignKey(
        Locality, on_delete=models.SET_NULL, null=True, blank=True, related_name="collaborative_groups"
    )
    anyone_can_join = models.BooleanField(
        "Any member can join", default=True, help_text="If not, a chair or coordinator adds members."
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="collaborative_group_unique_name"),
            models.UniqueConstraint(
                fields=["site"], condition=Q(kind="collaborative"), name="collaborative_one_whole_per_site"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="collaborative_group_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    CO_CHAIR = "co_chair", "Co-chair"
    COORDINATOR = "coordinator", "Coordinator"
    MEMBER = "member", "Member"


# Roles that run a group: they plan its sessions, record its decisions and close its cycles.
LEAD_ROLES = frozenset({GroupRole.CHAIR, GroupRole.CO_CHAIR, GroupRole.COORDINATOR})


class GroupMembershipQuerySet(models.QuerySet["GroupMembership"]):
    def current(self) -> GroupMembershipQuerySet:
        return self.filter(ended_on__isnull=True)


class GroupMembership(TimestampedModel):
    """A member is in a group, in a role, from a date; a change of role ends one row and starts another,
    so the group's history shows who held which role and for how long."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["group", "ended_on"]), models.Index(fields=["member", "ended_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"], condition=Q(ended_on__isnull=True), name="collaborative_one_current_role"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="collaborative_membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_role_display()}) in {self.group}"


# ---- sessions and actions -------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Session(TimestampedModel):
    """A meeting of a group. Open events are listed publicly, hosted in turn by the network's organisations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField("Where", max_length=300, help_text="The name and address of the place.")
    postcode = models.CharField(max_length=10, blank=True)
    online_link = models.URLField("Link to join online (optional)", blank=True)
    how_to_get_there = models.TextField(
        "Getting there and access (optional)",
        max_length=2000,
        blank=True,
        help_text="Step-free access, hearing loop, buses, what to expect when you arrive.",
    )
    agenda = models.TextField(max_length=5000, blank=True)
    is_open_event = models.BooleanField(
        "Open event: anyone may come", default=False, help_text="Open events are listed on the public pages."
    )
    host_organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="collaborative_sessions_hosted"
    )
    host_member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions_hosted"
    )
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    notes = models.TextField(max_length=20000, blank=True)
    cancelled_reason = models.TextField("Why it is cancelled", max_length=1000, blank=True)
    guests = models.PositiveIntegerField(
        "People who came who are not members", default=0, validators=[MaxValueValidator(10000)]
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["is_open_event", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="collaborative_session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Reply(models.TextChoices):
    COMING = "coming", "Coming"
    NOT_COMING = "not_coming", "Sent apologies"


class Attendance(TimestampedModel):
    """A member's reply to a session and whether they came (recorded by whoever runs it)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendance")
    reply = models.CharField(max_length=12, choices=Reply.choices, blank=True)
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["member__known_as", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="collaborative_one_attendance")]
        indexes = [models.Index(fields=["member", "attended"])]

    def __str__(self) -> str:
        return f"{self.member} at {self.session}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionPoint(TimestampedModel):
    """Something a member agreed to do, with a date, followed to done (accountability)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="actions")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    decision = models.ForeignKey("Decision", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    description = models.TextField("What will be done", max_length=1000)
    owner = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField("By when")
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    done_on = models.DateField(null=True, blank=True)
    outcome = models.TextField("What happened (optional)", max_length=2000, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "status"]), models.Index(fields=["group", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True) | (~Q(status="open") & Q(done_on__isnull=False)),
                name="collaborative_action_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]


class ActionStep(models.Model):
    """One step in an action's life, kept with it: added, then marked done, dropped or open again, by whom
    and with what note. The action's page shows them as its history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    added = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=ActionStatus.choices)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.action_id}: {'added' if self.added else self.status}"


# ---- decisions ------------------------------------------------------------------------------------


class DecisionMethod(models.TextChoices):
    CONSENT = "consent", "Consent: it goes ahead unless someone has a reasoned objection"
    VOTE = "vote", "Vote: the option with most votes"
    CONSENSUS = "consensus", "Consensus: everyone agrees"


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open for views"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DecisionResult(models.TextChoices):
    AGREED = "agreed", "Agreed"
    AGREED_WITH_CHANGES = "agreed_with_changes", "Agreed with changes"
    NOT_AGREED = "not_agreed", "Not agreed"
    DEFERRED = "deferred", "Put off to a later date"


class Decision(TimestampedModel):
    """A decision with its power made visible: who took part and how, the method, the result and why,
    the share of people with lived experience, and the money involved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="decisions")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions")
    title = models.CharField("What is being decided", max_length=200)
    proposal = models.TextField(max_length=5000)
    method = models.CharField(max_length=12, choices=DecisionMethod.choices)
    status = models.CharField(max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    result = models.CharField(max_length=24, choices=DecisionResult.choices, blank=True)
    chosen_option = models.ForeignKey(
        "DecisionOption", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    why = models.TextField("Why", max_length=5000, blank=True)
    objections_addressed = models.TextField("How objections were addressed", max_length=5000, blank=True)
    money = models.DecimalField("Money involved (£)", null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    money_note = models.CharField("Where the money comes from (optional)", max_length=300, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    is_public = models.BooleanField("Show in the public decisions log", default=True)
    not_public_why = models.CharField(max_length=300, blank=True)
    # Counted when the decision is made, so the log stays true when members change later.
    participant_count = models.PositiveIntegerField(default=0)
    lived_experience_count = models.PositiveIntegerField(default=0)
    proposed_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        indexes = [
            models.Index(fields=["group", "status"]),
            models.Index(fields=["is_public", "status", "decided_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_on__isnull=False) & ~Q(result="")),
                name="collaborative_decided_has_result",
            ),
            models.CheckConstraint(
                condition=Q(lived_experience_count__lte=F("participant_count")),
                name="collaborative_decision_share_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DecisionOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ParticipantRole(models.TextChoices):
    PROPOSER = "proposer", "Proposed it"
    FACILITATOR = "facilitator", "Facilitated"
    PARTICIPANT = "participant", "Took part"


class Stance(models.TextChoices):
    """Where a participant stands. Consent: consent, stand aside or object (with a reason);
    consensus: agree, stand aside or block; vote: an option or abstain."""

    CONSENT = "consent", "I consent"
    AGREE = "agree", "I agree"
    STAND_ASIDE = "stand_aside", "I stand aside"
    OBJECT = "object", "I object"
    BLOCK = "block", "I block"
    VOTE = "vote", "I vote for an option"
    ABSTAIN = "abstain", "I abstain"


class DecisionParticipant(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="decisions_taken_part")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT)
    stance = models.CharField(max_length=12, choices=Stance.choices, blank=True)
    option = models.ForeignKey(DecisionOption, on_delete=models.SET_NULL, null=True, blank=True, related_name="votes")
    comment = models.TextField("Why (optional, but needed for an objection or a block)", max_length=3000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="collaborative_one_say_per_decision")
        ]

    def __str__(self) -> str:
        return f"{self.member} on {self.decision}"


# ---- insights that prototypes and stories link to ------------------------------------------------


class Insight(models.TextChoices):
    """The figures the platform already keeps, which a prototype can say it will move."""

    WAIT_TO_FIRST_CONVERSATION = "wait_to_first_conversation", "Days from introduction to first conversation"
    INTRODUCTIONS = "introductions", "Introductions a month"
    SELF_INTRODUCTIONS = "self_introductions", "Share of people who introduced themselves"
    CHOSEN_WORKER = "chosen_worker", "Share of people with the worker they chose"
    PLANS_IN_OWN_WORDS = "plans_agreed", "Living Well plans the person has agreed"
    DIALOG_IMPROVEMENT = "dialog_improvement", "Reliable improvement in DIALOG"
    COMMUNITY_CONNECTIONS = "community_connections", "Connections to community offers that went well"
    GAPS = "gaps", "Needs no community offer met"
    COMING_BACK = "coming_back", "People who came back and were picked up where they left off"
    EXPERIENCE = "experience", "People who felt listened to"


# ---- prototypes and learning cycles --------------------------------------------------------------


class PrototypeStatus(models.TextChoices):
    TESTING = "testing", "Being tested"
    ADOPTED = "adopted", "Adopted"
    ADAPTED = "adapted", "Adapted into something new"
    STOPPED = "stopped", "Stopped"


class Prototype(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="prototypes")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="prototypes")
    title = models.CharField(max_length=200)
    idea = models.TextField("The idea", max_length=5000)
    hypothesis = models.TextField(
        "What we think will happen", max_length=3000, help_text="We believe that … will lead to … We will know when …"
    )
    measures = models.TextField("What we will measure", max_length=3000)
    insights = models.JSONField("Figures it should move", default=list, blank=True)
    status = models.CharField(max_length=10, choices=PrototypeStatus.choices, default=PrototypeStatus.TESTING)
    outcome_why = models.TextField("Why we adopted, adapted or stopped it", max_length=5000, blank=True)
    outcome_decision = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="prototypes_decided"
    )
    adapted_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="adapted_from"
    )
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["site", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="testing", ended_on__isnull=True)
                | (~Q(status="testing") & Q(ended_on__isnull=False)),
                name="collaborative_prototype_end_matches_status",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CycleStage(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    CLOSED = "closed", "Closed"


class CycleAct(models.TextChoices):
    ADOPT = "adopt", "Adopt: keep doing it"
    ADAPT = "adapt", "Adapt: change it and test again"
    ABANDON = "abandon", "Abandon: stop testing it"


class Cycle(TimestampedModel):
    """One plan-do-study-act test of a prototype. The learning is captured in a Lab session."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prototype = models.ForeignKey(Prototype, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=8, choices=CycleStage.choices, default=CycleStage.PLAN)
    plan = models.TextField("Plan: what we will try, with whom, where and when", max_length=5000)
    prediction = models.TextField("What we predict will happen", max_length=3000, blank=True)
    do = models.TextField("Do: what happened, including what we did not expect", max_length=5000, blank=True)
    study = models.TextField("Study: what we learnt, compared with what we predicted", max_length=5000, blank=True)
    act = models.CharField(max_length=8, choices=CycleAct.choices, blank=True)
    act_note = models.TextField("Act: what we will do next", max_length=3000, blank=True)
    lab_session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="cycles_studied"
    )
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["prototype", "number"]
        constraints = [
            models.UniqueConstraint(fields=["prototype", "number"], name="collaborative_cycle_number"),
            models.CheckConstraint(
                condition=(Q(stage="closed") & Q(closed_on__isnull=False) & ~Q(act=""))
                | (~Q(stage="closed") & Q(closed_on__isnull=True)),
                name="collaborative_closed_cycle_has_act",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prototype} cycle {self.number}"


class Figure(TimestampedModel):
    """A number a prototype's team measured, as evidence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prototype = models.ForeignKey(Prototype, on_delete=models.CASCADE, related_name="figures")
    cycle = models.ForeignKey(Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="figures")
    label = models.CharField("What was measured", max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField("Unit (optional)", max_length=40, blank=True)
    baseline = models.DecimalField("Before the test (optional)", max_digits=14, decimal_places=2, null=True, blank=True)
    insight = models.CharField(max_length=40, choices=Insight.choices, blank=True)
    measured_on = models.DateField()
    source = models.CharField("Where the figure comes from (optional)", max_length=300, blank=True)

    class Meta:
        ordering = ["measured_on", "id"]

    def __str__(self) -> str:
        return self.label


# ---- stories --------------------------------------------------------------------------------------


class ConsentLevel(models.TextChoices):
    TEAM = "team", "The group that gathered it"
    COLLABORATIVE = "collaborative", "Members of the Collaborative"
    PUBLIC = "public", "Anyone, on the public pages"


class StoryKind(models.TextChoices):
    STORY = "story", "Story"
    FEEDBACK = "feedback", "Feedback"


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "Not shared yet"
    SHARED = "shared", "Shared"
    WITHDRAWN = "withdrawn", "Withdrawn by the teller"


class Theme(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="story_themes")
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="collaborative_theme_unique")]

    def __str__(self) -> str:
        return self.name


class Story(TimestampedModel):
    """An ethnographic story or a piece of feedback, shared only as far as the teller agreed, and only
    after a de-identification check of the words as they are now."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stories")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="stories")
    kind = models.CharField(max_length=10, choices=StoryKind.choices, default=StoryKind.STORY)
    title = models.CharField(max_length=200)
    body = models.TextField("The story", max_length=20000)
    teller_perspective = models.CharField(
        "The teller is (optional)", max_length=20, choices=Perspective.choices, blank=True
    )
    gathered_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="stories_gathered")
    gathered_on = models.DateField()
    consent_level = models.CharField(
        "How far the teller agreed it may be shared", max_length=14, choices=ConsentLevel.choices
    )
    consent_note = models.CharField("How the teller agreed", max_length=300)
    status = models.CharField(max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    # The check is of exact words: `checked_hash` is the hash of the title and body it passed for.
    checked_hash = models.CharField(max_length=64, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    check_findings = models.JSONField(default=list, blank=True)
    shared_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=1000, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="stories")
    prototypes = models.ManyToManyField(Prototype, blank=True, related_name="stories")
    decisions = models.ManyToManyField(Decision, blank=True, related_name="stories")
    insights = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-gathered_on", "-created_at"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["site", "status", "consent_level"])]

    def __str__(self) -> str:
        return self.title


# ---- reflections: co-production principles and relational or mechanistic -------------------------


class ReflectionRound(TimestampedModel):
    """A period in which members reflect together (for example the annual "renewing the juices")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="reflection_rounds")
    title = models.CharField(max_length=120)
    opens_on = models.DateField()
    closes_on = models.DateField()
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "title"], name="collaborative_round_unique_title"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="collaborative_round_dates"),
        ]

    def __str__(self) -> str:
        return self.title


class Principle(models.TextChoices):
    """The six principles of co-production (NEF and NESTA)."""

    ASSETS = "assets", "Recognising people as assets"
    CAPABILITIES = "capabilities", "Building on people's existing capabilities"
    MUTUALITY = "mutuality", "Mutuality and reciprocity"
    PEER_SUPPORT = "peer_support", "Peer support networks"
    BLURRING = "blurring", "Blurring distinctions between professionals and recipients"
    FACILITATING = "facilitating", "Facilitating rather than delivering"


class PrincipleView(models.TextChoices):
    GREAT = "great", "Something we were great at"
    CHALLENGED = "challenged", "Something we were challenged by"


class PrincipleRating(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReflectionRound, on_delete=models.CASCADE, related_name="principle_ratings")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="principle_ratings")
    principle = models.CharField(max_length=14, choices=Principle.choices)
    view = models.CharField(max_length=10, choices=PrincipleView.choices)
    why = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["principle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member", "principle"], name="collaborative_one_rating")
        ]

    def __str__(self) -> str:
        return f"{self.get_principle_display()}: {self.get_view_display()}"


class BalconyPlacement(TimestampedModel):
    """Where a member places the system between the relational and mechanistic poles of one row of
    the table (seed 000): 0 is wholly mechanistic, 10 wholly relational."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReflectionRound, on_delete=models.CASCADE, related_name="balcony_placements")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="balcony_placements")
    statement = models.CharField(max_length=40)
    position = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["statement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member", "statement"], name="collaborative_one_placement"),
            models.CheckConstraint(condition=Q(position__lte=10), name="collaborative_placement_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: {self.position}"


# ---- the ideas fund -------------------------------------------------------------------------------


class FundStage(models.TextChoices):
    PITCHING = "pitching", "Taking pitches"
    PANEL = "panel", "With the panel"
    VOTING = "voting", "Members are voting"
    AWARDED = "awarded", "Awarded"
    CLOSED = "closed", "Closed"


class FundRound(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="fund_rounds")
    name = models.CharField(max_length=150)
    about = models.TextField("What the round is for", max_length=3000)
    budget = models.DecimalField("Budget (£)", **MONEY)  # type: ignore[arg-type]
    largest_award = models.DecimalField("Most a pitch may ask for (£, optional)", null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    pitches_close_on = models.DateField()
    voting_closes_on = models.DateField()
    min_lived_experience_panel = models.PositiveSmallIntegerField(
        "Panel members with lived experience, at least", default=2, validators=[MinValueValidator(1)]
    )
    stage = models.CharField(max_length=10, choices=FundStage.choices, default=FundStage.PITCHING)
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-pitches_close_on"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="collaborative_fund_round_unique"),
            models.CheckConstraint(
                condition=Q(voting_closes_on__gte=F("pitches_close_on")), name="collaborative_fund_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FundPanelist(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FundRound, on_delete=models.CASCADE, related_name="panel")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="fund_panels")
    is_chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["member__known_as", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="collaborative_one_panel_seat")]

    def __str__(self) -> str:
        return f"{self.member} on {self.round}"


class PitchStatus(models.TextChoices):
    DRAFT = "draft", "Not sent yet"
    SUBMITTED = "submitted", "Sent to the panel"
    SHORTLISTED = "shortlisted", "On the shortlist"
    NOT_SHORTLISTED = "not_shortlisted", "Not on the shortlist"
    FUNDED = "funded", "Funded"
    NOT_FUNDED = "not_funded", "Not funded this time"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Pitch(TimestampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FundRound, on_delete=models.PROTECT, related_name="pitches")
    title = models.CharField("Name of your idea", max_length=150)
    summary = models.TextField("Your idea", max_length=5000)
    who_benefits = models.TextField("Who it is for and how it helps", max_length=3000)
    how_money_is_spent = models.TextField("What the money pays for", max_length=3000)
    amount = models.DecimalField("How much you are asking for (£)", **MONEY)  # type: ignore[arg-type]
    peer_led = models.BooleanField("Peer-led: people with lived experience lead it", default=False)
    group_name = models.CharField("Who is behind it (optional)", max_length=200, blank=True)
    pitched_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="pitches")
    wants_help = models.BooleanField("I would like help to write or present my pitch", default=False)
    help_note = models.CharField("What help would be useful (optional)", max_length=500, blank=True)
    helper = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="pitches_helped")
    status = models.CharField(max_length=16, choices=PitchStatus.choices, default=PitchStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    panel_note = models.TextField(max_length=3000, blank=True)
    award = models.DecimalField(null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    report_back = models.TextField("What happened", max_length=10000, blank=True)
    reported_on = models.DateField(null=True, blank=True)
    spent = models.DecimalField(null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    offer = models.ForeignKey(
        "community.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="funded_by_pitches"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["submitted_at", "created_at"]
        verbose_name_plural = "pitches"
        indexes = [models.Index(fields=["round", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="funded") | Q(award__isnull=False), name="collaborative_funded_has_award"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ApprovalVote(models.Model):
    """Approval voting: a member approves as many shortlisted pitches as they like."""

    id = models.BigAutoField(primary_key=True)
    round = models.ForeignKey(FundRound, on_delete=models.CASCADE, related_name="votes")
    pitch = models.ForeignKey(Pitch, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="approval_votes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["pitch", "member"], name="collaborative_one_approval")]
        indexes = [models.Index(fields=["round", "member"])]

    def __str__(self) -> str:
        return f"{self.member} approves {self.pitch}"
