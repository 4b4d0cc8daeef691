"""Completing measures: starting (or carrying on with) a draft, answering, finishing, and DIALOG+'s talk.

A measure is completed by the person themself, in their own record, or together with a worker of
the team that supports them. Every answer is saved as it is given, so that a person can stop half-way
and come back: a measure stays a draft (one per person and instrument) until it is finished, when the
one scoring routine (livingwell.outcomes.instruments) writes its scores.

DIALOG+ goes on after the ratings: the person chooses up to three areas to talk about, and for each the
four steps (understanding, looking forward, exploring options, agreeing actions) are written down; each
agreed action becomes an action in their Living Well plan (livingwell.support.services.plans).

Goal Based Outcomes rate up to three goals in the person's own words. A goal can be one of the goals
in their Living Well plan, or new words; new words are also added to the plan as a goal (unless the
person says not to), so that there is one list of goals to work on and add actions to, and a rating
stays linked to the same plan goal from one time to the next.

Every service checks the access policy (Part.MEASURES: the person, their team and their allocated
worker may complete measures; refusals are audited) and writes its audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.core.concurrency import ConflictField, EditConflict
from livingwell.core.errors import DomainError
from livingwell.outcomes.instruments import Instrument, InvalidAnswers, Item, UnknownInstrument, get_instrument
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.outcomes.wording import worded
from livingwell.support.models import ActionOwner, BigThree, Goal, SupportPeriod
from livingwell.support.services import plans

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.people.models import Person

MEASURES = Part.MEASURES
GOAL_WORDS_MAX = 300
STEP_WORDS_MAX = 2000
MAX_GOALS = 3
MAX_ACTIONS_PER_TOPIC = 3
STEPS = ("understanding", "looking_forward", "exploring_options", "agreeing_actions")


# Who is acting ------------------------------------------------------------------------------------------


def is_own(actor: Any, person: Person) -> bool:
    """Whether `actor` is the person themself (their own sign-in)."""
    return person.user_id is not None and person.user_id == getattr(actor, "pk", None)


def _access(actor: User, person: Person, action: Action, request: HttpRequest | None) -> RecordAccess:
    access = access_to(actor, person)
    if not access.can_change(MEASURES):
        raise audit.refuse(
            actor=actor,
            action=action,
            person_id=person.pk,
            parts=[MEASURES],
            reason="No legitimate relationship to complete measures with this person",
            request=request,
            message="You cannot complete measures with this person.",
        )
    return access


def _audit(
    actor: User,
    access: RecordAccess,
    person: Person,
    action: Action,
    detail: dict[str, Any],
    request: HttpRequest | None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        person_id=person.pk,
        parts=[MEASURES],
        basis=access.basis_for(MEASURES, change=True),
        detail=detail,
        request=request,
    )


def _locked(measure: Measure) -> Measure:
    """The measure as saved now, locked for this transaction (two tabs answering at once queue up)."""
    return Measure.objects.select_for_update().select_related("person").get(pk=measure.pk)


def _refresh(measure: Measure, saved: Measure) -> Measure:
    """Copy what was saved onto the caller's instance, so that it never holds stale answers."""
    for field in Measure._meta.concrete_fields:
        setattr(measure, field.attname, getattr(saved, field.attname))
    return measure


def _how(actor: User, person: Person, current: str) -> str:
    """A measure a worker helped with was completed together, whoever started it."""
    return current if is_own(actor, person) else CompletedHow.TOGETHER


# Instruments and their words ----------------------------------------------------------------------------


def instrument_of(measure: Measure) -> Instrument:
    """The instrument (and the version) that a measure was started on."""
    return get_instrument(measure.instrument, measure.instrument_version)


def not_loaded_message(instrument: Instrument) -> str:
    return f"This site has not loaded the wording of {instrument.name} yet. Ask your site administrator to load it."


def _satisfied_with(text: str) -> str:
    """'How satisfied are you with your friendships?' -> 'your friendships'."""
    start = "How satisfied are you with "
    words = text[len(start) :] if text.startswith(start) else text
    return words.rstrip("?").strip()


def choose_message(instrument: Instrument, item: Item, text: str = "") -> str:
    """What to say when a question is left without an answer (or the answer is not one of its options)."""
    if instrument.code == "dialog":
        return f"Choose how satisfied you are with {_satisfied_with(text or item.text)}"
    if instrument.code == "gbo":
        return f"Choose a number from {item.minimum} to {item.maximum} for how close you are to this goal"
    return "Choose an answer"


def required_message(instrument: Instrument) -> str:
    return f"Answer this question: {instrument.name} cannot be scored without it"


# Starting -----------------------------------------------------------------------------------------------


def default_occasion(person: Person, instrument: Instrument) -> Occasion:
    """Experience questions are asked at moving on; the first of an instrument is at the first
    conversation; any later one is a check-in."""
    if instrument.code == "experience":
        return Occasion.MOVING_ON
    done = Measure.objects.filter(person=person, instrument=instrument.code, status=MeasureStatus.COMPLETE)
    return Occasion.CHECK_IN if done.exists() else Occasion.FIRST_CONVERSATION


def startable(instrument_code: str) -> Instrument:
    """The instrument with this code, if a measure can be started on it here; DomainError otherwise."""
    try:
        instrument = get_instrument(instrument_code)
    except UnknownInstrument:
        raise DomainError("unknown_instrument", "Choose a measure to complete", field="instrument") from None
    if instrument.licensed and worded(instrument) is None:
        raise DomainError("wording_not_loaded", not_loaded_message(instrument), field="instrument")
    return instrument


def _occasion(value: str | None) -> Occasion | None:
    if value in (None, ""):
        return None
    try:
        return Occasion(value)
    except ValueError:
        raise DomainError("unknown_occasion", "Choose when this measure is being completed", field="occasion") from None


def _goals_carried_over(person: Person) -> dict[str, dict[str, Any]]:
    """The goals of the person's latest finished Goal Based Outcomes, without their ratings.

    A plan goal that has since gone from the plan is carried over by its words.
    """
    latest = (
        Measure.objects.filter(person=person, instrument="gbo", status=MeasureStatus.COMPLETE)
        .order_by("-completed_at")
        .first()
    )
    if latest is None or not latest.goals:
        return {}
    ids = {str(g.get("goal_id")) for g in latest.goals.values() if g.get("goal_id")}
    in_plan = {str(pk) for pk in Goal.objects.filter(plan__person=person, pk__in=ids).values_list("pk", flat=True)}
    carried = {}
    for key, goal in latest.goals.items():
        goal_id = goal.get("goal_id")
        carried[key] = {"words": goal.get("words", ""), "goal_id": goal_id if goal_id in in_plan else None}
    return carried


def measure_start(
    *,
    actor: User,
    person: Person,
    instrument: str,
    occasion: str | None = None,
    request: HttpRequest | None = None,
) -> Measure:
    """Start a measure, or carry on with the draft of that instrument the person already has.

    Refuses an instrument that does not exist, and a licensed one whose wording the site has not
    loaded. Without an occasion: experience questions are at moving on, an instrument's first measure
    at the first conversation, any later one a check-in. The measure belongs to the person's open
    support (at moving on, after it ended: the support that ended last). Goal Based Outcomes start
    with the goals of the latest one (not their ratings), to rate the same goals again.
    """
    access = _access(actor, person, Action.CREATE, request)
    chosen = startable(instrument)
    asked = _occasion(occasion)
    draft = Measure.objects.filter(person=person, instrument=chosen.code, status=MeasureStatus.DRAFT).first()
    if draft is not None:
        return _carry_on(actor, access, draft, asked, request)
    now = timezone.now()
    when = asked or default_occasion(person, chosen)
    periods = SupportPeriod.objects.filter(person=person)
    period = periods.filter(ended_at__isnull=True).order_by("-started_at").first()
    if period is None and when == Occasion.MOVING_ON:
        # Asked after support ended (the experience questions, from the farewell summary): that support.
        period = periods.filter(ended_at__isnull=False).order_by("-ended_at").first()
    measure = Measure(
        person=person,
        support_period=period,
        instrument=chosen.code,
        instrument_version=chosen.version,
        occasion=when,
        how=CompletedHow.OWN if is_own(actor, person) else CompletedHow.TOGETHER,
        status=MeasureStatus.DRAFT,
        started_at=now,
        started_by=actor,
        goals=_goals_carried_over(person) if chosen.code == "gbo" else {},
    )
    try:
        with transaction.atomic():
            measure.save(force_insert=True)
            _audit(
                actor,
                access,
                person,
                Action.CREATE,
                {"measure": str(measure.pk), "instrument": chosen.code, "occasion": measure.occasion},
                request,
            )
    except IntegrityError:
        # Someone started the same instrument at the same moment (another tab): carry on with theirs.
        draft = Measure.objects.filter(person=person, instrument=chosen.code, status=MeasureStatus.DRAFT).first()
        if draft is None:
            raise
        return _carry_on(actor, access, draft, asked, request)
    return measure


def _carry_on(
    actor: User, access: RecordAccess, draft: Measure, asked: Occasion | None, request: HttpRequest | None
) -> Measure:
    """Carry on with a draft: when it is now being done on a named occasion, or together, say so."""
    person = draft.person
    with transaction.atomic():
        saved = _locked(draft)
        changed: dict[str, str] = {}
        if asked is not None and saved.occasion != asked:
            changed["occasion"] = asked
        how = _how(actor, person, saved.how)
        if how != saved.how:
            changed["how"] = how
        if changed:
            for name, value in changed.items():
                setattr(saved, name, value)
            saved.version += 1
            saved.save(update_fields=[*changed, "version", "updated_at"])
            _audit(actor, access, person, Action.CHANGE, {"measure": str(saved.pk), "carried_on": changed}, request)
    return _refresh(draft, saved)


# Answering ----------------------------------------------------------------------------------------------


def _draft(measure: Measure) -> Measure:
    saved = _locked(measure)
    if saved.status != MeasureStatus.DRAFT:
        raise DomainError("already_finished", "These answers are already saved, so they cannot be changed")
    return saved


def answerable_positions(measure: Measure, instrument: Instrument | None = None) -> list[int]:
    """The questions of this measure in order: for Goal Based Outcomes, one for each goal."""
    instrument = instrument or instrument_of(measure)
    if instrument.code == "gbo":
        return [item.position for item in instrument.items if item.key in (measure.goals or {})]
    return [item.position for item in instrument.items]


def measure_answer(
    *,
    actor: User,
    measure: Measure,
    position: int,
    value: int | None,
    more_help: bool | None = None,
    request: HttpRequest | None = None,
) -> Measure:
    """Save one answer of a draft. `value` None skips the question, which only optional questions allow.

    For DIALOG+, `more_help` is the answer to "Do you need more help in this area?" (None: not said).
    """
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    instrument = instrument_of(measure)
    try:
        item = instrument.item_at(position)
    except KeyError:
        raise DomainError("no_such_question", f"{instrument.name} has no question {position}") from None
    if position not in answerable_positions(measure, instrument):
        raise DomainError("no_goal", "Choose the goals to rate first", field="answer")
    words = worded(instrument)
    text = words.text(item) if words is not None else ""
    if value is None:
        if item.required:
            raise DomainError("answer_required", required_message(instrument), field="answer")
    elif isinstance(value, bool) or not isinstance(value, int) or not item.minimum <= value <= item.maximum:
        raise DomainError("answer_out_of_range", choose_message(instrument, item, text), field="answer")
    if more_help is not None and not instrument.follow_up:
        raise DomainError("no_follow_up", f"{instrument.name} does not ask whether you need more help")
    with transaction.atomic():
        saved = _draft(measure)
        saved.answers = {**saved.answers, item.key: value}
        if instrument.follow_up:
            wants = dict(saved.more_help)
            if more_help is None:
                wants.pop(item.key, None)
            else:
                wants[item.key] = bool(more_help)
            saved.more_help = wants
        saved.how = _how(actor, person, saved.how)
        saved.version += 1
        saved.save(update_fields=["answers", "more_help", "how", "version", "updated_at"])
        _audit(
            actor,
            access,
            person,
            Action.CHANGE,
            {"measure": str(saved.pk), "instrument": instrument.code, "answered": item.key, "skipped": value is None},
            request,
        )
    return _refresh(measure, saved)


# Goal Based Outcomes: the goals -------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalWords:
    """One goal to rate: a plan goal (`goal_id`), or new words, with the Big Three outcome a new goal is for."""

    words: str
    goal_id: uuid.UUID | None = None
    outcome: BigThree | str = BigThree.RECOVER


def _as_goal(entry: GoalWords | tuple[Any, ...]) -> GoalWords:
    if isinstance(entry, GoalWords):
        return entry
    words, goal_id, *rest = entry
    return GoalWords(words=words or "", goal_id=goal_id, outcome=rest[0] if rest else BigThree.RECOVER)


def _identity(goal: Mapping[str, Any]) -> str:
    if goal.get("goal_id"):
        return f"goal:{goal['goal_id']}"
    return "words:" + " ".join(str(goal.get("words", "")).split()).casefold()


def measure_goals_set(
    *,
    actor: User,
    measure: Measure,
    goals: Sequence[GoalWords | tuple[Any, ...]],
    add_to_plan: bool = True,
    request: HttpRequest | None = None,
) -> Measure:
    """Choose the one to three goals of a Goal Based Outcomes draft, in the order they are rated.

    Each goal is a goal of the person's plan (by id) or new words (up to 300 characters). New words
    that are the words of a plan goal are that goal; other new words are added to the plan as a goal
    (for the Big Three outcome given) when `add_to_plan`. A goal that stays keeps its rating; the
    ratings of goals taken out are dropped.
    """
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    instrument = instrument_of(measure)
    if instrument.code != "gbo":
        raise DomainError("not_goals", f"{instrument.name} has no goals to choose")
    chosen = [_as_goal(entry) for entry in goals]
    chosen = [g for g in chosen if g.goal_id is not None or g.words.strip()]
    if not chosen:
        raise DomainError("goals_missing", "Choose or write at least one goal", field="goals")
    if len(chosen) > MAX_GOALS:
        raise DomainError("too_many_goals", f"Choose up to {MAX_GOALS} goals", field="goals")
    for goal in chosen:
        if goal.goal_id is None and len(goal.words) > GOAL_WORDS_MAX:
            raise DomainError("goal_too_long", f"Each goal must be {GOAL_WORDS_MAX} characters or fewer", field="goals")
    with transaction.atomic():
        # Locked first, so that two pages sending the same new goal at once add it to the plan once.
        saved = _draft(measure)
        plan_goals = {
            str(g.pk): g for g in Goal.objects.filter(plan__person=person).only("pk", "words", "outcome", "plan_id")
        }
        by_words = {" ".join(g.words.split()).casefold(): g for g in plan_goals.values()}
        resolved: list[tuple[str, Goal | None, GoalWords]] = []
        for goal in chosen:
            if goal.goal_id is not None:
                found = plan_goals.get(str(goal.goal_id))
                if found is None:
                    raise DomainError("goal_not_in_plan", "Choose goals from the Living Well plan", field="goals")
                resolved.append((found.words, found, goal))
            else:
                same = by_words.get(" ".join(goal.words.split()).casefold())
                resolved.append((same.words if same else goal.words, same, goal))
        identities = [f"goal:{found.pk}" if found else _identity({"words": words}) for words, found, _ in resolved]
        if len(set(identities)) != len(identities):
            raise DomainError("goal_twice", "Choose each goal only once", field="goals")
        if add_to_plan:
            for _, found, goal in resolved:
                if found is None:
                    try:
                        BigThree(goal.outcome)
                    except ValueError:
                        raise DomainError(
                            "outcome_missing", "Choose which of the Big Three each new goal is for", field="goals"
                        ) from None
        old_goals = saved.goals or {}
        ratings = {_identity(g): saved.answers.get(key) for key, g in old_goals.items() if key in saved.answers}
        added: list[str] = []
        new_goals: dict[str, dict[str, Any]] = {}
        answers: dict[str, Any] = {}
        for item, (words, found, goal) in zip(instrument.items, resolved, strict=False):
            plan_goal = found
            if plan_goal is None and add_to_plan:
                plan_goal = plans.goal_add(
                    actor=actor, person=person, words=words, outcome=goal.outcome, request=request
                )
                added.append(str(plan_goal.pk))
            entry = {"words": words, "goal_id": str(plan_goal.pk) if plan_goal else None}
            new_goals[item.key] = entry
            # A goal keeps its rating when it stays, whether it was chosen by its plan goal or its words.
            for identity in (_identity(entry), _identity({"words": words})):
                if identity in ratings:
                    answers[item.key] = ratings[identity]
                    break
        saved.goals = new_goals
        saved.answers = answers
        saved.how = _how(actor, person, saved.how)
        saved.version += 1
        saved.save(update_fields=["goals", "answers", "how", "version", "updated_at"])
        _audit(
            actor,
            access,
            person,
            Action.CHANGE,
            {"measure": str(saved.pk), "goals": len(new_goals), "added_to_plan": added},
            request,
        )
    return _refresh(measure, saved)


# Finishing ----------------------------------------------------------------------------------------------


class AnswersMissing(DomainError):
    """The answers cannot be scored yet; `positions` names the questions to answer (None: the whole form)."""

    def __init__(self, message: str, positions: list[int | None]) -> None:
        super().__init__("answers_missing", message)
        self.positions = positions


def _missing(instrument: Instrument, error: InvalidAnswers) -> AnswersMissing:
    positions: list[int | None] = []
    named: list[str] = []
    for problem in error.problems:
        if isinstance(problem.position, int):
            positions.append(problem.position)
            named.append(f"question {problem.position} ({instrument.item_at(problem.position).short})")
        else:
            positions.append(None)
    if named:
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        return AnswersMissing(f"Answer {listed} before you save", positions)
    return AnswersMissing("Answer at least one question before you save", positions)


def measure_complete(*, actor: User, measure: Measure, request: HttpRequest | None = None) -> Measure:
    """Finish a draft: score its answers with the one scoring routine and save the scores.

    Raises AnswersMissing (a DomainError) naming each question still to answer.
    """
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    instrument = instrument_of(measure)
    with transaction.atomic():
        saved = _draft(measure)
        if instrument.code == "gbo" and not saved.goals:
            raise AnswersMissing("Choose the goals to rate before you save", [None])
        given = {key: value for key, value in saved.answers.items() if value is not None}
        try:
            score = instrument.score_by_key(given)
        except InvalidAnswers as error:
            raise _missing(instrument, error) from None
        now = timezone.now()
        saved.status = MeasureStatus.COMPLETE
        saved.completed_at = now
        saved.completed_by = actor
        saved.total = score.total
        saved.metric = score.metric_decimal
        saved.subscales = score.subscales
        saved.how = _how(actor, person, saved.how)
        saved.version += 1
        saved.save(
            update_fields=[
                "status",
                "completed_at",
                "completed_by",
                "total",
                "metric",
                "subscales",
                "how",
                "version",
                "updated_at",
            ]
        )
        _audit(
            actor,
            access,
            person,
            Action.CHANGE,
            {"measure": str(saved.pk), "instrument": instrument.code, "completed": True, "answered": score.answered},
            request,
        )
    return _refresh(measure, saved)


def measure_discard(*, actor: User, measure: Measure, request: HttpRequest | None = None) -> None:
    """Delete a draft (finished measures are kept: they are part of the record)."""
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    with transaction.atomic():
        saved = _draft(measure)
        detail = {"measure": str(saved.pk), "instrument": saved.instrument, "discarded": True}
        saved.delete()
        _audit(actor, access, person, Action.CHANGE, detail, request)


# DIALOG+: areas to talk about, and the four steps -------------------------------------------------------


def _dialog_plus(measure: Measure) -> tuple[Measure, Instrument]:
    saved = _locked(measure)
    instrument = instrument_of(saved)
    if not instrument.extra.get("dialog_plus"):
        raise DomainError("not_dialog_plus", f"{instrument.name} has no areas to talk about")
    if saved.status != MeasureStatus.COMPLETE:
        raise DomainError("not_finished", "Save the answers before choosing what to talk about")
    return saved, instrument


def max_topics(instrument: Instrument) -> int:
    return int(instrument.extra.get("max_topics", 3))


def _empty_topic(key: str) -> dict[str, Any]:
    return {**{"key": key}, **dict.fromkeys(STEPS, ""), "actions": [], "agreed": [], "recorded_at": None}


def dialog_topics_choose(
    *, actor: User, measure: Measure, keys: Sequence[str], request: HttpRequest | None = None
) -> Measure:
    """Choose up to three areas of a finished DIALOG+ to talk about (none: not today).

    An area already talked about stays, with what was written and the actions it became, even when
    it is not chosen again: a conversation that happened is not unsaid. It counts towards the three.
    """
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    with transaction.atomic():
        saved, instrument = _dialog_plus(measure)
        limit = max_topics(instrument)
        if len(set(keys)) != len(keys):
            raise DomainError("topic_twice", "Choose each area only once", field="keys")
        if len(keys) > limit:
            raise DomainError("too_many_topics", f"Choose up to {limit} areas to talk about", field="keys")
        unknown = [key for key in keys if key not in instrument.keys]
        if unknown:
            raise DomainError("unknown_topic", "Choose areas from the list", field="keys")
        kept = {topic["key"]: topic for topic in saved.topics or []}
        talked = [topic["key"] for topic in saved.topics or [] if topic.get("recorded_at")]
        chosen = [*talked, *(key for key in keys if key not in talked)]
        if len(chosen) > limit:
            raise DomainError(
                "too_many_topics",
                f"You have already talked about {len(talked)} of the {limit} areas; choose up to {limit - len(talked)} more",
                field="keys",
            )
        saved.topics = [kept.get(key, _empty_topic(key)) for key in chosen]
        saved.version += 1
        saved.save(update_fields=["topics", "version", "updated_at"])
        _audit(actor, access, person, Action.CHANGE, {"measure": str(saved.pk), "topics": chosen}, request)
    return _refresh(measure, saved)


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed in DIALOG+'s fourth step: what, who does it (the person, or a worker), by when."""

    what: str
    owner: ActionOwner | str = ActionOwner.PERSON
    owner_worker: User | None = None
    due: dt.date | None = None


def _check_agreed(person: Person, number: int, action: AgreedAction) -> None:
    """The plan's own checks of an action (livingwell.support.services.plans), numbered for this page."""
    prefix = f"action_{number}_"
    if action.owner not in (ActionOwner.PERSON, ActionOwner.WORKER):
        raise DomainError("owner_missing", f"Choose who will do action {number}", field=prefix + "owner")
    try:
        plans.check_action(
            person=person,
            what=action.what,
            owner=action.owner,
            owner_worker=action.owner_worker if action.owner == ActionOwner.WORKER else None,
            owner_relationship=None,
            owner_name="",
            goal=None,
            due=action.due,
        )
    except DomainError as error:
        raise DomainError(
            error.code, f"Action {number}: {error.message}", field=prefix + (error.field or "what")
        ) from None


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _sent_again(topic: Mapping[str, Any], steps: Mapping[str, str], actions: Sequence[AgreedAction]) -> bool:
    """Whether this is the same page sent again: the words are already saved and so is every action."""
    agreed = [str(a.get("what", "")) for a in topic.get("agreed", [])]
    return all(_same_words(str(topic.get(name, "")), words) for name, words in steps.items()) and all(
        any(_same_words(what, action.what) for what in agreed) for action in actions
    )


def _topic_conflict(
    saved: Measure, topic: Mapping[str, Any], steps: Mapping[str, str], actions: Sequence[AgreedAction]
) -> EditConflict:
    labels = get_instrument(saved.instrument, saved.instrument_version).extra.get("steps", {})
    fields = [
        ConflictField(label=str(labels.get(name, name)), theirs=str(topic.get(name, "")), mine=words)
        for name, words in steps.items()
    ]
    fields.append(
        ConflictField(
            label="Actions",
            theirs="; ".join(str(a.get("what", "")) for a in topic.get("agreed", [])),
            mine="; ".join(a.what for a in actions),
        )
    )
    return EditConflict(
        what="what was written for this area",
        fields=fields,
        current_version=saved.version,
        changed_by="Someone else",
        changed_at=saved.updated_at,
    )


def dialog_topic_record(
    *,
    actor: User,
    measure: Measure,
    key: str,
    understanding: str = "",
    looking_forward: str = "",
    exploring_options: str = "",
    agreeing_actions: str = "",
    actions: Sequence[AgreedAction] = (),
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Measure:
    """Write the four steps for one chosen area; each agreed action is added to the Living Well plan.

    The words replace what was written for the area before; actions are added (the plan keeps the
    ones added earlier, where they are changed or marked done).

    With `expected_version` (the measure's version when the page was opened), a save after someone
    else's is refused with an EditConflict showing both, so nobody's words are lost; the same page
    sent twice (a double click, a reload) is recognised and adds nothing the second time.
    """
    person = measure.person
    access = _access(actor, person, Action.CHANGE, request)
    steps = {
        "understanding": understanding,
        "looking_forward": looking_forward,
        "exploring_options": exploring_options,
        "agreeing_actions": agreeing_actions,
    }
    for name, words in steps.items():
        if len(words) > STEP_WORDS_MAX:
            raise DomainError("words_too_long", f"This must be {STEP_WORDS_MAX} characters or fewer", field=name)
    if len(actions) > MAX_ACTIONS_PER_TOPIC:
        raise DomainError("too_many_actions", f"Agree up to {MAX_ACTIONS_PER_TOPIC} actions at a time")
    if not actions and not any(words.strip() for words in steps.values()):
        raise DomainError(
            "topic_empty", "Write something for at least one of the steps, or agree an action", field="understanding"
        )
    for number, action in enumerate(actions, start=1):
        _check_agreed(person, number, action)
    with transaction.atomic():
        saved, _ = _dialog_plus(measure)
        topics = [dict(topic) for topic in saved.topics or []]
        topic = next((t for t in topics if t["key"] == key), None)
        if topic is None:
            raise DomainError("topic_not_chosen", "Choose this area to talk about first")
        if expected_version is not None and saved.version != expected_version:
            if _sent_again(topic, steps, actions):
                return _refresh(measure, saved)
            raise _topic_conflict(saved, topic, steps, actions)
        agreed = list(topic.get("agreed", []))
        ids = list(topic.get("actions", []))
        for number, action in enumerate(actions, start=1):
            try:
                added = plans.action_add(
                    actor=actor,
                    person=person,
                    what=action.what,
                    owner=action.owner,
                    owner_worker=action.owner_worker if action.owner == ActionOwner.WORKER else None,
                    due=action.due,
                    request=request,
                )
            except DomainError as error:
                raise DomainError(error.code, error.message, field=f"action_{number}_{error.field or 'what'}") from None
            ids.append(str(added.pk))
            agreed.append(
                {
                    "id": str(added.pk),
                    "what": added.what,
                    "owner": added.owner,
                    "who": plans.owner_who(added),
                    "due": added.due.isoformat() if added.due else None,
                }
            )
        topic.update(steps)
        topic["actions"] = ids
        topic["agreed"] = agreed
        topic["recorded_at"] = timezone.now().isoformat()
        saved.topics = topics
        saved.version += 1
        saved.save(update_fields=["topics", "version", "updated_at"])
        _audit(
            actor,
            access,
            person,
            Action.CHANGE,
            {
                "measure": str(saved.pk),
                "topic": key,
                "actions_added": [a["id"] for a in agreed[len(agreed) - len(actions) :]],
            },
            request,
        )
    return _refresh(measure, saved)
