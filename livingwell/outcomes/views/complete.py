"""Pages for completing a measure, one question to a page: /people/<person_id>/measures/…

- `start/`: choose the measure (and, for staff, when it is being completed); carries on with a draft;
- `<id>/goals/`: Goal Based Outcomes: up to three goals, from the Living Well plan or in new words;
- `<id>/questions/<position>/`: one question; Continue, Skip (optional questions), Save and come back later;
- `<id>/check/`: check the answers, then save them (which scores them);
- `<id>/talk-about/` and `<id>/talk-about/<key>/`: DIALOG+: choose up to three areas, then the four
  steps for each, whose agreed actions go into the Living Well plan;
- `<id>/discard/`: delete a draft.

The person and their workers use the same addresses; the words change with who is reading. Every
page checks the access policy through `measures_part` (refused and audited, a 403), an unknown measure
or another person's is a 404, and every save goes through livingwell.outcomes.services.measures.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess
from livingwell.core.concurrency import EditConflict, show_conflict
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.outcomes import selectors
from livingwell.outcomes.forms import complete as forms
from livingwell.outcomes.instruments import Instrument, all_instruments
from livingwell.outcomes.models import Measure, MeasureStatus, Occasion
from livingwell.outcomes.presenters import complete as presenters
from livingwell.outcomes.services import measures as services
from livingwell.outcomes.wording import Worded, worded
from livingwell.people.models import Person
from livingwell.people.presenters import record_header
from livingwell.support.models import Goal, GoalStatus, SupportPeriod
from livingwell.support.services.plans import workers_for


@dataclass(frozen=True)
class Page:
    """The person, what the viewer may do, and (on a measure's pages) the measure and its words."""

    person: Person
    access: RecordAccess
    own: bool
    measure: Measure | None = None
    instrument: Instrument | None = None
    words: Worded | None = None

    @property
    def name(self) -> str:
        return self.person.display_name

    def header(self, title: str) -> Any:
        return record_header(self.person, self.access, own=self.own, current="measures", title=title)

    def context(self, **extra: Any) -> dict[str, Any]:
        return {"person": self.person, "own": self.own, "name": self.name, "measure": self.measure, **extra}


def _person(request: AuthenticatedRequest, person_id: uuid.UUID) -> Page:
    try:
        found = selectors.measures_part(
            user=request.user, person_id=person_id, change=True, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return Page(found.person, found.access, services.is_own(request.user, found.person))


def _page(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> Page:
    page = _person(request, person_id)
    try:
        measure = selectors.measure_of(page.person, measure_id)
    except Measure.DoesNotExist:
        raise Http404("No such measure") from None
    measure.person = page.person
    instrument = services.instrument_of(measure)
    return Page(page.person, page.access, page.own, measure, instrument, worded(instrument))


def _data(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _not_worded(request: AuthenticatedRequest, page: Page) -> HttpResponse:
    assert page.instrument is not None
    messages.error(request, services.not_loaded_message(page.instrument))
    return redirect(presenters.overview_url(page.person.pk))


# Starting -----------------------------------------------------------------------------------------------


def _offered(person: Person, drafts: dict[str, Measure], asked: str, occasion: str) -> list[Instrument]:
    """The measures to offer. The experience questions are for moving on: offered when asked for, when
    the person has moved on (no open support), or to carry on with."""
    supported = SupportPeriod.objects.filter(person=person, ended_at__isnull=True).exists()
    experience = asked == "experience" or occasion == Occasion.MOVING_ON or not supported or "experience" in drafts
    return [i for i in all_instruments() if i.code != "experience" or experience]


@login_required
@require_http_methods(["GET", "POST"])
def start_view(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    page = _person(request, person_id)
    drafts = {m.instrument: m for m in selectors.drafts(page.person)}
    source = request.POST if request.method == "POST" else request.GET
    asked, occasion = source.get("instrument", ""), source.get("occasion", "")
    choices = presenters.start_choices(_offered(page.person, drafts, asked, occasion), drafts, own=page.own)
    initial = {"instrument": request.GET.get("instrument", ""), "occasion": request.GET.get("occasion", "")}
    form = forms.StartForm(
        _data(request),
        instruments=[(c.instrument.code, c.instrument.name) for c in choices],
        own=page.own,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.measure_start(
                actor=request.user,
                person=page.person,
                instrument=form.cleaned_data["instrument"],
                occasion=form.cleaned_data["occasion"] or None,
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(presenters.next_step_url(measure))
    title = "Say how things are going" if page.own else f"Complete a measure with {page.name}"
    return render(
        request,
        "outcomes/complete/start.jinja",
        page.context(
            form=form,
            title=title,
            record_head=page.header(title),
            instrument_items=presenters.start_items(form["instrument"], choices),
            drafts=[
                {"text": f"Carry on with {services.instrument_of(m).name}", "href": presenters.next_step_url(m)}
                for m in drafts.values()
            ],
            back_href=presenters.overview_url(page.person.pk),
        ),
    )


# Goal Based Outcomes: the goals -------------------------------------------------------------------------


def _draft(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> Page | HttpResponse:
    """A draft's page, or where to go instead: a finished measure's own page."""
    page = _page(request, person_id, measure_id)
    assert page.measure is not None
    if page.measure.status != MeasureStatus.DRAFT:
        messages.success(request, "These answers are already saved")
        return redirect(presenters.url("detail", page.measure))
    if page.words is None:
        return _not_worded(request, page)
    return page


def _plan_goals(request: AuthenticatedRequest, page: Page, keep: list[str]) -> Any:
    """The plan's goals being worked on (and those already chosen), when the viewer may read the plan;
    showing them is recorded as a look at the plan."""
    if not page.access.can_read(Part.PLAN):
        return Goal.objects.none()
    goals = Goal.objects.filter(plan__person=page.person)
    chosen = goals.filter(status=GoalStatus.WORKING_ON) | goals.filter(pk__in=keep)
    chosen = chosen.order_by("position", "created_at")
    if request.method == "GET" and chosen.exists():
        audit.record(
            actor=request.user,
            action=Action.VIEW,
            person_id=page.person.pk,
            parts=[Part.PLAN],
            basis=page.access.basis_for(Part.PLAN),
            request=request,
        )
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def goals_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> HttpResponse:
    page = _draft(request, person_id, measure_id)
    if isinstance(page, HttpResponse):
        return page
    measure, instrument = page.measure, page.instrument
    assert measure is not None and instrument is not None
    if instrument.code != "gbo":
        raise Http404("This measure has no goals")
    current = list((measure.goals or {}).values())
    keep = [str(g["goal_id"]) for g in current if g.get("goal_id")]
    goals = _plan_goals(request, page, keep)
    typed = [str(g.get("words", "")) for g in current if not g.get("goal_id")]
    initial: dict[str, Any] = {"plan_goals": keep, "add_to_plan": True}
    for n, words in enumerate(typed[: services.MAX_GOALS], start=1):
        initial[f"new_{n}"] = words
    form = forms.GoalsForm(_data(request), own=page.own, name=page.name, goals=goals, initial=initial)
    back_to_check = request.GET.get("change") == "1"
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_goals_set(
                actor=request.user,
                measure=measure,
                goals=form.goals(),
                add_to_plan=form.cleaned_data["add_to_plan"],
                request=request,
            )
        except DomainError as error:
            field = form.first_field if error.field == "goals" else error.field
            add_domain_error(form, DomainError(error.code, error.message, field=field))
        else:
            if back_to_check:
                return redirect(presenters.url("check", measure))
            first = services.answerable_positions(measure, instrument)[0]
            return redirect(presenters.question_url(measure, first))
    title = "What are your goals?" if page.own else f"What are {page.name}'s goals?"
    return render(
        request,
        "outcomes/complete/goals.jinja",
        page.context(
            form=form,
            title=title,
            caption=instrument.name if page.own else f"{page.name}: {instrument.name}",
            plan_goal_items=presenters.checked_items(form["plan_goals"]) if "plan_goals" in form.fields else [],
            back_href=presenters.url("check", measure) if back_to_check else presenters.overview_url(page.person.pk),
        ),
    )


# One question -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def question_view(
    request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID, position: int
) -> HttpResponse:
    page = _draft(request, person_id, measure_id)
    if isinstance(page, HttpResponse):
        return page
    measure, instrument, words = page.measure, page.instrument, page.words
    assert measure is not None and instrument is not None and words is not None
    positions = services.answerable_positions(measure, instrument)
    if position not in positions:
        if instrument.code == "gbo" and not measure.goals:
            return redirect(presenters.url("goals", measure))
        raise Http404("No such question")
    item = instrument.item_at(position)
    question = presenters.question_text(instrument, words, item, measure)
    given = measure.answers.get(item.key)
    said = measure.more_help.get(item.key)
    initial = {
        "answer": "" if given is None else str(given),
        "more_help": "" if said is None else ("yes" if said else "no"),
    }
    form = forms.QuestionForm(
        _data(request),
        question=instrument.question if instrument.code == "gbo" else question,
        options=presenters.options_for(instrument, words, item),
        missing=services.choose_message(instrument, item, words.text(item)),
        follow_up=instrument.follow_up,
        initial=initial,
    )
    back_to_check = request.GET.get("change") == "1"
    if request.method == "POST":
        choice = request.POST.get("choice", "continue")
        saved = _save_answer(request, page, form, position, choice)
        if saved:
            if choice == "later":
                messages.success(
                    request,
                    "Your answers are saved. You can carry on where you left off from this page"
                    if page.own
                    else f"The answers are saved. You or {page.name} can carry on where you left off from this page",
                )
                return redirect(presenters.overview_url(page.person.pk))
            return redirect(presenters.after_question_url(measure, position, instrument, back_to_check=back_to_check))
    number = positions.index(position) + 1
    kind = "Goal" if instrument.code == "gbo" else "Question"
    caption = f"{instrument.name}: {kind.lower()} {number} of {len(positions)}"
    if not page.own:
        caption = f"{page.name}, {caption}"
    return render(
        request,
        "outcomes/complete/question.jinja",
        page.context(
            form=form,
            title=question,
            caption=caption,
            instructions=words.instructions if number == 1 and instrument.code != "gbo" else "",
            goal=instrument.code == "gbo",
            optional=not item.required,
            answer_items=presenters.checked_items(form["answer"]),
            inline=instrument.code == "gbo",
            back_href=presenters.before_question_url(measure, position, instrument, back_to_check=back_to_check),
        ),
    )


def _save_answer(
    request: AuthenticatedRequest, page: Page, form: forms.QuestionForm, position: int, choice: str
) -> bool:
    """Save what this page says; False (with the reason on the form) when nothing could be saved."""
    assert page.measure is not None
    more_help = {"yes": True, "no": False}.get(request.POST.get("more_help", ""))
    if choice == "skip":
        value: int | None = None
    elif choice == "later" and not request.POST.get("answer") and more_help is None:
        return True  # nothing chosen on this page: everything before it is saved already
    elif form.is_valid():
        value, more_help = form.value(), form.wants_more_help()
    else:
        return False
    try:
        services.measure_answer(
            actor=request.user,
            measure=page.measure,
            position=position,
            value=value,
            more_help=more_help if page.instrument and page.instrument.follow_up else None,
            request=request,
        )
    except DomainError as error:
        form.is_valid()  # bind, so that the error shows with what was chosen
        form.errors.pop("answer", None)
        add_domain_error(form, error)
        return False
    return True


# Checking and saving ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> HttpResponse:
    page = _draft(request, person_id, measure_id)
    if isinstance(page, HttpResponse):
        return page
    measure, instrument, words = page.measure, page.instrument, page.words
    assert measure is not None and instrument is not None and words is not None
    if instrument.code == "gbo" and not measure.goals:
        return redirect(presenters.url("goals", measure))
    problems: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            services.measure_complete(actor=request.user, measure=measure, request=request)
        except services.AnswersMissing as error:
            problems = _problems(page, error)
        except DomainError as error:
            if error.code != "already_finished":
                problems = [{"text": error.message, "href": "#"}]
            # else: sent twice at once; the other request saved the answers, so go on as it did
        if request.method == "POST" and not problems:
            if instrument.extra.get("dialog_plus"):
                return redirect(presenters.url("topics", measure))
            messages.success(request, presenters.saved_message(instrument, own=page.own, name=page.name))
            return redirect(presenters.url("detail", measure))
    title = presenters.check_heading(instrument, own=page.own, name=page.name)
    return render(
        request,
        "outcomes/complete/check.jinja",
        page.context(
            title=title,
            record_head=page.header(title),
            instrument=instrument,
            experience=instrument.code == "experience",
            problems=problems,
            rows=presenters.check_rows(measure, instrument, words, own=page.own),
            discard_href=presenters.url("discard", measure),
            back_href=presenters.before_question_url(measure, 10_000, instrument, back_to_check=False),
        ),
    )


def _problems(page: Page, error: services.AnswersMissing) -> list[dict[str, str]]:
    assert page.measure is not None and page.instrument is not None and page.words is not None
    problems = []
    for position in error.positions:
        if position is None:
            problems.append({"text": error.message, "href": presenters.next_step_url(page.measure)})
            continue
        item = page.instrument.item_at(position)
        question = presenters.question_text(page.instrument, page.words, item, page.measure)
        problems.append(
            {
                "text": f"Answer question {position}: {question}",
                "href": presenters.question_url(page.measure, position, back_to_check=True),
            }
        )
    return problems


@login_required
@require_http_methods(["GET", "POST"])
def discard_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> HttpResponse:
    page = _page(request, person_id, measure_id)
    measure, instrument = page.measure, page.instrument
    assert measure is not None and instrument is not None
    if measure.status != MeasureStatus.DRAFT:
        messages.success(request, "These answers are saved, so they are kept")
        return redirect(presenters.url("detail", measure))
    if request.method == "POST":
        try:
            services.measure_discard(actor=request.user, measure=measure, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The {instrument.name} answers were deleted")
            return redirect(presenters.overview_url(page.person.pk))
    title = "Delete these answers?"
    return render(
        request,
        "outcomes/complete/discard.jinja",
        page.context(
            title=title,
            record_head=page.header(title),
            instrument=instrument,
            answered=sum(1 for v in measure.answers.values() if v is not None),
            started=measure.started_at,
            back_href=presenters.url("check", measure),
        ),
    )


# DIALOG+: talking about up to three areas ---------------------------------------------------------------


def _finished_dialog_plus(
    request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID
) -> Page | HttpResponse:
    page = _page(request, person_id, measure_id)
    assert page.measure is not None and page.instrument is not None
    if not page.instrument.extra.get("dialog_plus"):
        raise Http404("This measure has no areas to talk about")
    if page.measure.status == MeasureStatus.DRAFT:
        return redirect(presenters.url("check", page.measure))
    if page.words is None:
        return _not_worded(request, page)
    return page


@login_required
@require_http_methods(["GET", "POST"])
def topics_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID) -> HttpResponse:
    page = _finished_dialog_plus(request, person_id, measure_id)
    if isinstance(page, HttpResponse):
        return page
    measure, instrument, words = page.measure, page.instrument, page.words
    assert measure is not None and instrument is not None and words is not None
    found = presenters.areas(measure, instrument, words)
    limit = services.max_topics(instrument)
    form = forms.TopicsForm(
        _data(request),
        choices=[(a.key, a.name) for a in found],
        limit=limit,
        own=page.own,
        initial={"keys": [t["key"] for t in measure.topics or []]},
    )
    if request.method == "POST" and form.is_valid():
        keys = form.cleaned_data["keys"]
        try:
            services.dialog_topics_choose(actor=request.user, measure=measure, keys=keys, request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if keys:
                return redirect(presenters.url("topic", measure, keys[0]))
            messages.success(request, presenters.saved_message(instrument, own=page.own, name=page.name))
            return redirect(presenters.url("detail", measure))
    title = (
        "Which areas would you like to talk about?"
        if page.own
        else f"Which areas would {page.name} like to talk about?"
    )
    hints = {a.key: presenters.area_hint(a, own=page.own) for a in found}
    items = presenters.checked_items(form["keys"], hints)
    return render(
        request,
        "outcomes/complete/topics.jinja",
        page.context(
            form=form,
            title=title,
            record_head=page.header(title),
            limit=limit,
            area_items=items[:-1],
            not_today_item=items[-1],
            back_href=presenters.url("detail", measure),
        ),
    )


_ACTION_FIELD = re.compile(r"^action_(\d+)_(.+)$")
_ADDED_KEY = "lw-dialog-plus-added-{}"


def _agreed_count(measure: Measure) -> int:
    return sum(len(t.get("agreed", [])) for t in measure.topics or [])


def _action_error(form: forms.TopicForm, error: DomainError) -> DomainError:
    """The service numbers only the actions given; put its message by the row it is about."""
    match = _ACTION_FIELD.match(error.field or "")
    if not match:
        return error
    numbers = form.action_numbers()
    index = int(match.group(1)) - 1
    row = numbers[index] if 0 <= index < len(numbers) else 1
    return DomainError(error.code, error.message, field=f"action_{row}_{match.group(2)}")


@login_required
@require_http_methods(["GET", "POST"])
def topic_view(request: AuthenticatedRequest, person_id: uuid.UUID, measure_id: uuid.UUID, key: str) -> HttpResponse:
    page = _finished_dialog_plus(request, person_id, measure_id)
    if isinstance(page, HttpResponse):
        return page
    measure, instrument, words = page.measure, page.instrument, page.words
    assert measure is not None and instrument is not None and words is not None
    topics = measure.topics or []
    keys = [t["key"] for t in topics]
    if key not in keys:
        raise Http404("This area was not chosen")
    topic = topics[keys.index(key)]
    form = forms.TopicForm(
        _data(request),
        steps=dict(instrument.extra.get("steps", {})),
        own=page.own,
        name=page.name,
        workers=workers_for(page.person),
        initial={"version": measure.version, **{step: topic.get(step, "") for step in services.STEPS}},
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        before = _agreed_count(measure)
        try:
            saved = services.dialog_topic_record(
                actor=request.user,
                measure=measure,
                key=key,
                actions=form.actions(),
                expected_version=form.cleaned_data["version"],
                request=request,
                **form.steps(),
            )
        except EditConflict as error:
            show_conflict(form, error)
            conflict = error
        except DomainError as error:
            add_domain_error(form, _action_error(form, error))
        else:
            # Counted across the whole conversation: what this DIALOG+ added to the plan, once.
            request.session[_ADDED_KEY.format(measure.pk)] = (
                request.session.get(_ADDED_KEY.format(measure.pk), 0) + _agreed_count(saved) - before
            )
            position = keys.index(key)
            if position + 1 < len(keys):
                return redirect(presenters.url("topic", measure, keys[position + 1]))
            added = request.session.pop(_ADDED_KEY.format(measure.pk), 0)
            messages.success(request, presenters.actions_added_message(added, own=page.own))
            return redirect(presenters.url("detail", measure))
    item = instrument.item(key)
    area = next(a for a in presenters.areas(measure, instrument, words) if a.key == key)
    position = keys.index(key)
    return render(
        request,
        "outcomes/complete/topic.jinja",
        page.context(
            form=form,
            title=area.name,
            caption=f"Area {position + 1} of {len(keys)} to talk about"
            if page.own
            else f"{page.name}: area {position + 1} of {len(keys)} to talk about",
            rating=presenters.area_hint(area, own=page.own),
            question=words.text(item),
            agreed=topic.get("agreed", []),
            conflict=conflict,
            plan_href=reverse("plans:view", args=[page.person.pk]),
            back_href=presenters.url("topic", measure, keys[position - 1])
            if position
            else presenters.url("topics", measure),
        ),
    )
