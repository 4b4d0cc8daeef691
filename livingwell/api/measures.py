"""The instruments as data, scoring, and a person's measures, for partner systems.

- `GET /api/v1/instruments` and `GET /api/v1/instruments/{code}`: each instrument's definition (items
  with their stable keys, scale, scoring, reliable-change and cut-off defaults, SNOMED CT concepts).
  The wording of licensed instruments (SWEMWBS, ReQoL-10) is never given out: a partner system shows
  the words from its own licence.
- `POST /api/v1/instruments/{code}/score`: score answers exactly as Living Well does, with the same
  routine (livingwell.outcomes.instruments); nothing is stored and no person is involved.
- `GET /api/v1/people/{id}/measures`: one person's finished measures and their change, first against
  latest, for an organisation whose staff support them. Every answer and every refusal is recorded in
  the person's access log.

Who may read a person's measures through the API: a token belongs to an organisation, not to a
member of staff, so the access policy's bases are worked out for the organisation as a whole. The
organisation has the *team* basis when it has a current member in a support role in a team with an
open support period for the person, and the *allocated* basis when one of its current support-role
members is the person's allocated worker in an open support period; *consent* (the person shares with
the organisation) is worked out too. The policy's own table (livingwell.audit.policy.READ) then decides,
so measures are open to team and allocated, and refused to consent, as they are on the pages.
"""

from __future__ import annotations

import datetime as dt
import uuid
from fractions import Fraction
from typing import Annotated, Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from livingwell.api.auth import ApiTokenAuth, token_of
from livingwell.api.introductions import Problem
from livingwell.api.models import ApiToken
from livingwell.api.problems import problem
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Outcome, Part
from livingwell.audit.policy import RecordAccess
from livingwell.network.models import SUPPORT_ROLES, Membership
from livingwell.outcomes.change import ChangeLine, change_lines, cutoff_for, threshold_for
from livingwell.outcomes.instruments import (
    CODES,
    Instrument,
    InvalidAnswers,
    Item,
    Score,
    UnknownInstrument,
    all_instruments,
    get_instrument,
)
from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.people.models import Person, SharingConsent
from livingwell.support.models import Allocation, SupportPeriod

router = Router(tags=["measures"], auth=ApiTokenAuth())

# ---- schemas -----------------------------------------------------------------------------------------


class OptionOut(Schema):
    value: int
    label: str


class ItemOut(Schema):
    position: int = Field(description="Where the item is on the form, from 1. Answers are sent by position.")
    key: str = Field(description="The item's stable key (DIALOG's `friendships`): measures keep answers by key.")
    short: str = Field(description="A short name for the item, for charts and error messages (not its wording).")
    group: str = Field(description="DIALOG: `life` or `treatment`; empty where the instrument has no groups.")
    required: bool
    reverse: bool = Field(description="Scored from the other end of the scale (ReQoL-10's items 1, 3, 6 and 9).")
    min: int
    max: int
    snomed: str | None = Field(description="The SNOMED CT concept for this item's score, where there is one.")
    snomed_term: str | None = None
    text: str | None = Field(
        description="The item's wording. Only for instruments that are free to use; null for licensed ones."
    )
    options: list[OptionOut] | None = Field(
        None, description="Responses of this item's own, where they differ from the instrument's scale."
    )


class SubscaleOut(Schema):
    key: str
    label: str
    method: str = Field(description="`mean` or `sum` of the items answered.")
    items: list[str] = Field(description="The keys of the items it is made of.")


class ScoringOut(Schema):
    total_items: list[str] | None = Field(description="The keys of the items added up for the total; null: no total.")
    total_range: list[int] | None = Field(description="The lowest and highest possible total.")
    subscales: list[SubscaleOut]
    metric_table: bool = Field(description="The total is converted to a metric score (SWEMWBS).")
    min_answered: int = Field(description="How many items must be answered for a score.")


class ChangeRuleOut(Schema):
    on: str = Field(description="`items` (each item, as DIALOG), `goals` (each goal), `total` or `metric`.")
    also: list[str] = Field(description="Subscales judged with the same figure (DIALOG's two means).")
    reliable_change_default: float = Field(description="NHS England's figure for a reliable change.")
    reliable_change: float = Field(description="The figure this Living Well site uses (the default unless changed).")


class SnomedOut(Schema):
    instrument: str | None
    instrument_term: str | None
    total: str | None
    also_accepted: list[str]


class InstrumentSummaryOut(Schema):
    code: str
    version: str
    name: str
    title: str
    licensed: bool
    measures_change: bool = Field(description="Living Well judges reliable change on it.")


class InstrumentOut(Schema):
    code: str
    version: str
    name: str
    title: str
    about: str
    licensed: bool = Field(description="Its wording is licensed: `text` and response labels are not given out.")
    licence: str
    question: str | None = Field(description="The question the items answer (null for licensed instruments).")
    scale: dict[str, int] = Field(description="`min` and `max` of the response scale.")
    options: list[OptionOut] | None = Field(description="The responses, worded (null for licensed instruments).")
    items: list[ItemOut]
    scoring: ScoringOut
    change: ChangeRuleOut | None = Field(description="Null where the instrument does not measure change.")
    cutoff_default: int | None = Field(description="The clinical cut-off on the total (ReQoL-10: 25).")
    cutoff: int | None = Field(description="The cut-off this site uses.")
    higher_is_better: bool
    snomed: SnomedOut
    follow_up: str | None = Field(description="DIALOG+: asked after each item, not scored.")


_ANSWER = Annotated[Any, WithJsonSchema({"type": ["integer", "null"]})]


class AnswersIn(Schema):
    """Answers by the item's position on the form; null (or leaving an item out) is no answer."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"answers": {"1": 4, "2": 5, "3": 3, "6": 6}}]}
    )

    answers: dict[str, _ANSWER] = Field(description="Position (as a string, as JSON keys are) to the response given.")


class ScoreOut(Schema):
    instrument: str
    version: str
    total: int | None = Field(description="Null where the instrument has no total (DIALOG, Goal Based Outcomes).")
    metric: float | None = Field(description="SWEMWBS's metric score from the conversion table; otherwise null.")
    subscales: dict[str, float | None] = Field(
        description="DIALOG's two means; null where none of a mean's items was answered."
    )
    items: dict[str, int] = Field(description="Each answered item's score by key, after any reversal.")
    answered: int


class AnswerProblemOut(Schema):
    field: str = Field(description="`answers.<position>`, or `answers` for the form as a whole.")
    message: str
    item: int | str | None = Field(description="The position of the item (as sent, where it is not one).")
    code: str = Field(description="`missing`, `extra`, `out_of_range`, `not_a_number` or `too_few`.")


class AnswersProblem(Schema):
    """RFC 9457 problem details naming each answer that cannot be scored."""

    type: str
    title: str
    status: int
    instance: str
    detail: str | None = None
    errors: list[AnswerProblemOut]


class GoalOut(Schema):
    words: str
    goal_id: str | None = Field(description="The goal in the person's Living Well plan, when it is one.")


class MeasureOut(Schema):
    id: uuid.UUID
    instrument: str
    version: str
    occasion: str = Field(description="`first_conversation`, `review`, `moving_on` or `check_in`.")
    how: str = Field(description="`own` (the person on their own) or `together` (with their worker).")
    completed_at: dt.datetime
    answers: dict[str, int | None] = Field(description="The response given to each item, by key; null: skipped.")
    more_help: dict[str, bool] = Field(description="DIALOG+: whether the person wants more help in each area.")
    goals: dict[str, GoalOut] = Field(description="Goal Based Outcomes: each goal in the person's words, by key.")
    total: int | None
    metric: float | None
    subscales: dict[str, float | None]


class PointOut(Schema):
    completed_at: dt.datetime
    value: float


class ChangeLineOut(Schema):
    key: str = Field(description="`item:<key>`, a subscale's key, `total`, `metric`, or a goal (`goal:<id>`).")
    label: str
    first: PointOut
    latest: PointOut
    measures: int = Field(description="How many finished measures have a value for it.")
    difference: float = Field(description="Latest less first.")
    reliable_change: float
    direction: str | None = Field(
        description="`reliable_improvement`, `no_reliable_change` or `reliable_deterioration`; "
        "null until there are two measures."
    )


class InstrumentChangeOut(Schema):
    instrument: str
    lines: list[ChangeLineOut]


class PersonMeasuresOut(Schema):
    person_id: uuid.UUID
    measures: list[MeasureOut] = Field(description="Finished measures, oldest first. Drafts are not included.")
    change: list[InstrumentChangeOut] = Field(description="First against latest, for each instrument with change.")


# ---- the definitions as data ----------------------------------------------------------------------------


def _options(options: tuple[Any, ...]) -> list[OptionOut]:
    return [OptionOut(value=o.value, label=o.label) for o in options]


def _item(instrument: Instrument, item: Item) -> ItemOut:
    return ItemOut(
        position=item.position,
        key=item.key,
        short=item.short,
        group=item.group,
        required=item.required,
        reverse=item.reverse,
        min=item.minimum,
        max=item.maximum,
        snomed=item.snomed,
        snomed_term=item.snomed_term,
        # Licensed definitions carry no wording, and the site's loaded wording is never given out.
        text=None if instrument.licensed else item.text,
        options=None if instrument.licensed or not item.options else _options(item.options),
    )


def _definition(instrument: Instrument, token: ApiToken) -> InstrumentOut:
    site = token.organisation.site
    change = None
    if instrument.change is not None:
        change = ChangeRuleOut(
            on=instrument.change.on,
            also=list(instrument.change.also),
            reliable_change_default=float(instrument.change.threshold),
            reliable_change=float(threshold_for(instrument, site)),
        )
    low = min(i.minimum for i in instrument.items)
    high = max(i.maximum for i in instrument.items)
    return InstrumentOut(
        code=instrument.code,
        version=instrument.version,
        name=instrument.name,
        title=instrument.title,
        about=instrument.about,
        licensed=instrument.licensed,
        licence=instrument.licence,
        question=None if instrument.licensed else (instrument.question or None),
        scale={"min": low, "max": high},
        options=None if instrument.licensed or not instrument.options else _options(instrument.options),
        items=[_item(instrument, item) for item in instrument.items],
        scoring=ScoringOut(
            total_items=list(instrument.total_items) if instrument.total_items is not None else None,
            total_range=list(instrument.total_range) if instrument.total_range is not None else None,
            subscales=[
                SubscaleOut(key=s.key, label=s.label, method=s.method, items=list(s.items))
                for s in instrument.subscales
            ],
            metric_table=instrument.metric_table is not None,
            min_answered=instrument.min_answered,
        ),
        change=change,
        cutoff_default=instrument.cutoff.default if instrument.cutoff else None,
        cutoff=cutoff_for(instrument, site),
        higher_is_better=instrument.higher_is_better,
        snomed=SnomedOut(
            instrument=instrument.snomed,
            instrument_term=instrument.snomed_term,
            total=instrument.total_snomed,
            also_accepted=list(instrument.snomed_also),
        ),
        follow_up=instrument.follow_up,
    )


def _instrument(request: HttpRequest, code: str, version: str | None) -> Instrument | HttpResponse:
    try:
        return get_instrument(code, version)
    except UnknownInstrument as error:
        return problem(request, status=404, title="Not found", detail=str(error), code="instrument-unknown")


def _score_out(score: Score) -> ScoreOut:
    return ScoreOut(
        instrument=score.instrument,
        version=score.version,
        total=score.total,
        metric=score.metric,
        subscales=score.subscales,
        items=score.items,
        answered=score.answered,
    )


def invalid_answers_problem(request: HttpRequest, error: InvalidAnswers) -> HttpResponse:
    """422, naming each answer that cannot be scored, in the shape of every other API error."""
    errors = [
        {
            "field": "answers" if p.position is None else f"answers.{p.position}",
            "message": p.message,
            "item": p.position if p.position is None or isinstance(p.position, int) else str(p.position),
            "code": p.code,
        }
        for p in error.problems
    ]
    return problem(
        request,
        status=422,
        title="Some of the answers cannot be scored",
        code="invalid-answers",
        errors=errors,
    )


# ---- who may read a person's measures -------------------------------------------------------------------


def organisation_access(token: ApiToken, person: Person) -> RecordAccess:
    """The access policy's bases for the token's organisation as a whole (see the module docstring)."""
    organisation = token.organisation
    if person.site_id != organisation.site_id:
        return RecordAccess(frozenset())
    support_staff = Membership.objects.current().filter(organisation=organisation, role__in=SUPPORT_ROLES)
    open_periods = SupportPeriod.objects.filter(person_id=OuterRef("pk"), ended_at__isnull=True)
    flags = (
        Person.objects.filter(pk=person.pk)
        .annotate(
            team=Exists(open_periods.filter(team_id__in=support_staff.filter(team__isnull=False).values("team_id"))),
            allocated=Exists(
                Allocation.objects.filter(
                    support_period__person_id=OuterRef("pk"),
                    support_period__ended_at__isnull=True,
                    ended_at__isnull=True,
                    worker_id__in=support_staff.values("user_id"),
                )
            ),
            consent=Exists(
                SharingConsent.objects.filter(
                    person_id=OuterRef("pk"), organisation=organisation, withdrawn_at__isnull=True
                )
            ),
        )
        .values("team", "allocated", "consent")
        .get()
    )
    bases = {Basis.TEAM: flags["team"], Basis.ALLOCATED: flags["allocated"], Basis.CONSENT: flags["consent"]}
    return RecordAccess(frozenset(basis for basis, has in bases.items() if has))


def _token_name(token: ApiToken) -> str:
    """How the person's access log names a partner system: its token's name and organisation."""
    return f"{token.name} ({token.organisation.name}, API token {token.prefix})"


def _audit(
    request: HttpRequest,
    token: ApiToken,
    person: Person,
    *,
    basis: Basis | None,
    outcome: Outcome = Outcome.ALLOWED,
    reason: str = "",
    **detail: Any,
) -> None:
    audit.record(
        actor=None,
        actor_name=_token_name(token),
        action=Action.VIEW,
        outcome=outcome,
        person_id=person.pk,
        parts=[Part.MEASURES],
        basis=basis,
        reason=reason,
        detail={"api_token": token.prefix, "organisation": token.organisation.name, **detail},
        request=request,
    )


def _measure_out(measure: Measure) -> MeasureOut:
    score = get_instrument(measure.instrument, measure.instrument_version).score_by_key(measure.answers)
    goals = {
        key: GoalOut(words=str(goal.get("words", "")), goal_id=goal.get("goal_id") or None)
        for key, goal in (measure.goals or {}).items()
        if isinstance(goal, dict)
    }
    assert measure.completed_at is not None
    return MeasureOut(
        id=measure.pk,
        instrument=measure.instrument,
        version=measure.instrument_version,
        occasion=measure.occasion,
        how=measure.how,
        completed_at=measure.completed_at.astimezone(dt.UTC),
        answers=measure.answers,
        more_help=measure.more_help or {},
        goals=goals,
        total=score.total,
        metric=score.metric,
        subscales=score.subscales,
    )


def _value(value: Fraction) -> float:
    return float(value)


def _line_out(line: ChangeLine) -> ChangeLineOut:
    return ChangeLineOut(
        key=line.key,
        label=line.label,
        first=PointOut(completed_at=line.first.when.astimezone(dt.UTC), value=_value(line.first.value)),
        latest=PointOut(completed_at=line.latest.when.astimezone(dt.UTC), value=_value(line.latest.value)),
        measures=len(line.points),
        difference=_value(line.difference),
        reliable_change=float(line.threshold),
        direction=line.direction.value if line.direction is not None else None,
    )


# ---- the operations --------------------------------------------------------------------------------------


@router.get(
    "/instruments",
    response={200: list[InstrumentSummaryOut], 401: Problem},
    url_name="instruments",
    summary="The instruments Living Well uses",
)
def instrument_list_endpoint(request: HttpRequest) -> Any:
    return [
        InstrumentSummaryOut(
            code=i.code,
            version=i.version,
            name=i.name,
            title=i.title,
            licensed=i.licensed,
            measures_change=i.change is not None,
        )
        for i in all_instruments()
    ]


@router.get(
    "/instruments/{code}",
    response={200: InstrumentOut, 401: Problem, 404: Problem},
    url_name="instrument",
    summary="One instrument's definition",
    description=(
        "Items (by position and stable key), scale, scoring, figure for a reliable change (NHS England's default "
        "and this site's), cut-off and SNOMED CT concepts. The latest version, or `?version=` for an older one. "
        "The wording of licensed instruments (SWEMWBS, ReQoL-10) is never given: `text` is null."
    ),
)
def instrument_endpoint(request: HttpRequest, code: str, version: Query[str | None] = None) -> Any:
    found = _instrument(request, code, version)
    if isinstance(found, HttpResponse):
        return found
    return _definition(found, token_of(request))


@router.post(
    "/instruments/{code}/score",
    response={200: ScoreOut, 401: Problem, 404: Problem, 422: AnswersProblem},
    url_name="instrument_score",
    summary="Score answers",
    description=(
        "Score one form's answers with the routine Living Well uses itself. Send answers by the item's "
        'position: `{"answers": {"1": 4, "2": 5}}`; `null` or leaving an item out is no answer. Nothing is '
        "stored. Answers that cannot be scored are `422`, with `errors` naming every bad item at once: "
        "`missing` (a required item), `extra` (no such item), `out_of_range`, `not_a_number` (true and false "
        "are not numbers), or `too_few` answered."
    ),
)
def score_endpoint(request: HttpRequest, code: str, body: AnswersIn, version: Query[str | None] = None) -> Any:
    found = _instrument(request, code, version)
    if isinstance(found, HttpResponse):
        return found
    try:
        score = found.score(body.answers)
    except InvalidAnswers as error:
        return invalid_answers_problem(request, error)
    return _score_out(score)


@router.get(
    "/people/{uuid:person_id}/measures",
    response={200: PersonMeasuresOut, 401: Problem, 403: Problem, 404: Problem},
    url_name="person_measures",
    summary="A person's measures and their change",
    description=(
        "The person's finished measures (oldest first) and, for each instrument, first against latest with "
        "the site's figures for a reliable change. Only for an organisation whose staff support the person: a "
        "support-role member of a team with an open support period for them, or their allocated worker. "
        "Anyone else is refused with `403`. Every answer and every refusal is recorded in the person's "
        "access log, naming the token."
    ),
)
def person_measures_endpoint(request: HttpRequest, person_id: uuid.UUID) -> Any:
    token = token_of(request)
    person = Person.objects.select_related("site").filter(pk=person_id).first()
    if person is None:
        return problem(request, status=404, title="Not found", detail="There is no such person.")
    access = organisation_access(token, person)
    if not access.can_read(Part.MEASURES):
        _audit(
            request,
            token,
            person,
            basis=None,
            outcome=Outcome.REFUSED,
            reason="The organisation's staff do not support this person (no team or allocated worker)",
        )
        return problem(
            request,
            status=403,
            title="Access refused",
            detail="Your organisation's staff do not support this person, so you cannot see their measures.",
            code="access-refused",
        )
    measures = list(Measure.objects.filter(person=person, status=MeasureStatus.COMPLETE).order_by("completed_at", "id"))
    by_instrument: dict[str, list[Measure]] = {}
    for measure in measures:
        by_instrument.setdefault(measure.instrument, []).append(measure)
    change = [
        InstrumentChangeOut(instrument=code, lines=[_line_out(line) for line in lines])
        for code in CODES
        if code in by_instrument and (lines := change_lines(by_instrument[code], site=person.site))
    ]
    _audit(request, token, person, basis=access.basis_for(Part.MEASURES), measures=len(measures))
    return Status(
        200,
        PersonMeasuresOut(person_id=person.pk, measures=[_measure_out(m) for m in measures], change=change),
    )
