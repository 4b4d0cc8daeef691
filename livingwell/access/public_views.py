"""The open front door for the public: introduce yourself or someone else, and how long people wait.

No account is needed. The answers are kept in the session (see `livingwell.access.journey`) until
the person sends them from the check page; then `introduction_create` takes the introduction, with
a submission key made when the journey started, so that sending twice never makes two.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from markupsafe import Markup

from livingwell.access import public_forms as pf
from livingwell.access.clock import FOUR_WEEKS, WaitingFigures
from livingwell.access.journey import Answers, Journey, Step
from livingwell.access.models import PersonAware, UnsafeNow
from livingwell.access.selectors import public_site, waiting_figures
from livingwell.access.services import FrontDoorError, introduction_create
from livingwell.network.models import Site

SESSION_KEY = "introduce"


def _they(yours: str, theirs: str) -> Any:
    return lambda answers: theirs if pf.someone_else(answers) else yours


def _needs_network(answers: Answers) -> bool:
    return answers.extra.get("site") is None


def _unsafe(answers: Answers) -> bool:
    return bool(answers.value("feeling-unsafe", "unsafe_now") == UnsafeNow.YES)


def _asks_how_to_contact(answers: Answers) -> bool:
    # Someone introducing another person may not have their details: then we contact the introducer first.
    return not pf.someone_else(answers) or pf.has_contact_details(answers)


STEPS = (
    Step("network", pf.NetworkForm, "introduce/network.jinja", lambda a: "Which Living Well network?", _needs_network),
    Step("who", pf.WhoForm, "introduce/who.jinja", lambda a: "Who are you introducing?"),
    Step("about-you", pf.AboutYouForm, "introduce/about_you.jinja", lambda a: "About you", pf.someone_else),
    Step(
        "person-aware",
        pf.PersonAwareForm,
        "introduce/person_aware.jinja",
        lambda a: "Do they know about this introduction, and agree to it?",
        pf.someone_else,
    ),
    Step("name", pf.NameForm, "introduce/name.jinja", _they("What is your name?", "What is their name?")),
    Step(
        "contact",
        pf.ContactForm,
        "introduce/contact.jinja",
        _they("How can we get in touch with you?", "How can we get in touch with them?"),
    ),
    Step(
        "contact-preferences",
        pf.ContactPreferencesForm,
        "introduce/contact_preferences.jinja",
        _they("How and when is it OK to contact you?", "How and when is it OK to contact them?"),
        _asks_how_to_contact,
    ),
    Step(
        "what-brought-you-here",
        pf.InTheirWordsForm,
        "introduce/in_their_words.jinja",
        _they("What has brought you here?", "What has brought them here?"),
    ),
    Step(
        "feeling-unsafe",
        pf.UnsafeForm,
        "introduce/unsafe.jinja",
        _they("Is anything making you feel unsafe right now?", "Is anything making them feel unsafe right now?"),
        resets=("help-now",),
    ),
    Step("help-now", pf.HelpNowForm, "introduce/help_now.jinja", lambda a: "Help is available now", _unsafe),
    Step(
        "anything-we-should-know",
        pf.NeedsForm,
        "introduce/needs.jinja",
        lambda a: "Is there anything we should know?",
    ),
    Step("who-else", pf.OthersForm, "introduce/others.jinja", lambda a: "Is there anyone else we may talk to?"),
    Step(
        "agreement",
        pf.AgreementForm,
        "introduce/agreement.jinja",
        _they("Agreeing to be contacted", "Agreeing to contact and sharing"),
    ),
)


def _journey(request: HttpRequest, site: Site | None) -> Journey:
    return Journey(name=SESSION_KEY, steps=STEPS, session=request.session, extra={"site": site})


def _step_url(journey: Journey, step: Step, *, change: bool = False) -> str:
    first = journey.applicable()[0] if journey.applicable() else journey.first
    url = reverse("introduce:start") if step.slug == first.slug else reverse("introduce:question", args=[step.slug])
    return f"{url}?change=1" if change else url


def _caption(answers: Answers) -> str:
    if "who" not in answers:
        return "Introduce yourself or someone else"
    return "Introduce someone else" if pf.someone_else(answers) else "Introduce yourself"


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "introduce/unavailable.jinja")


def _attention_url(journey: Journey, step: Step, answers: Answers) -> str:
    """Where to send someone to put `step` right: as a change from the check page if it has an answer."""
    return _step_url(journey, step, change=step.slug in answers)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str = "") -> HttpResponse:
    site = public_site()
    if site is None and not Site.objects.exists():
        return _unavailable(request)
    journey = _journey(request, site)
    answers = journey.answers()
    first = journey.applicable(answers)[0]
    change = request.GET.get("change") == "1"
    if not slug:
        step = first
    elif (found := journey.step(slug)) is None:
        raise Http404("No such question")
    elif found.slug == first.slug:
        return redirect(_step_url(journey, found, change=change))
    else:
        step = found
    if not journey.applies(step, answers):
        later = journey.needs_attention(answers)
        return redirect(_attention_url(journey, later, answers) if later else reverse("introduce:check"))
    if (blocking := journey.blocking(step, answers)) is not None:
        return redirect(_step_url(journey, blocking))
    stored = answers.get(step.slug)
    if request.method == "POST":
        form = step.form_class(request.POST, answers=answers, stored=stored)
        if form.is_valid():
            journey.save(step, form.to_store())
            answers = journey.answers()
            following = journey.needs_attention(answers) if change else journey.after(step, answers)
            if following is None:
                return redirect("introduce:check")
            return redirect(_step_url(journey, following, change=change))
    else:
        # An answer that no longer fits (after an earlier one changed) is shown with its message.
        form = journey.recheck(step, answers) or step.form_class(answers=answers, stored=stored)
    previous = journey.before(step, answers)
    if change:
        back = reverse("introduce:check")
    elif previous is not None:
        back = _step_url(journey, previous)
    else:
        back = reverse("core:landing")
    return render(
        request,
        step.template,
        {
            "form": form,
            "title": step.title(answers),
            "caption": _caption(answers),
            "someone_else": pf.someone_else(answers),
            "is_start": step.slug == first.slug,
            "action": _step_url(journey, step, change=change),
            "back_href": back,
            "site": pf.journey_site(answers),
        },
    )


def _lines(text: str) -> Markup:
    """Text as typed, each line escaped, joined by line breaks (the summary list would indent raw newlines)."""
    return Markup("<br>").join(text.splitlines() or [""])


def _summary_rows(journey: Journey, answers: Answers) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for step in journey.applicable(answers):
        stored = answers.get(step.slug, {})
        form = step.form_class(answers=answers, stored=stored)
        for name, label, text in form.summary(stored):
            rows.append(
                {
                    "key": {"text": label},
                    "value": {"html": _lines(text or "Not given"), "classes": "lw-story-text"},
                    "actions": {
                        "items": [
                            {
                                "href": _step_url(journey, step, change=True),
                                "text": "Change",
                                "visuallyHiddenText": label.lower(),
                                "attributes": {"data-field": name},
                            }
                        ]
                    },
                }
            )
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    site = public_site()
    if site is None and not Site.objects.exists():
        return _unavailable(request)
    journey = _journey(request, site)
    answers = journey.answers()
    if not journey.started:
        # Sent already (a double click, or back and send again): show what happened, never send twice.
        if journey.outcome() is not None:
            return redirect("introduce:confirmation")
        return redirect("introduce:start")
    if (attention := journey.needs_attention(answers)) is not None:
        return redirect(_attention_url(journey, attention, answers))
    problems: list[dict[str, str]] = []
    chosen_site = pf.journey_site(answers)
    if chosen_site is None:  # the network chosen has gone since
        network = journey.step("network")
        problems.append(
            {
                "text": "Choose the Living Well network where the person lives",
                "href": _step_url(journey, network, change=True) if network else reverse("introduce:start"),
            }
        )
    if request.method == "POST" and not problems and chosen_site is not None:
        try:
            introduced = introduction_create(
                data=pf.introduction_input(journey.used_answers(answers), chosen_site),
                actor=None,
                submission_key=f"web:{journey.submission_key}",
                request=request,
            )
        except FrontDoorError as error:
            slug = pf.FIELD_STEPS.get(error.field or "")
            step = journey.step(slug) if slug else None
            href = _step_url(journey, step, change=True) if step and journey.applies(step, answers) else "#"
            problems.append({"text": error.message, "href": href})
        else:
            introduction = introduced.introduction
            ways = journey.used_answers(answers).get("contact-preferences", {}).get("ways", []) or []
            journey.finish(
                {
                    "reference": introduction.reference,
                    "urgent": introduction.urgent,
                    "site": str(introduction.site_id),
                    "someone_else": pf.someone_else(answers),
                    "person_aware": answers.value("person-aware", "person_aware", "") or "",
                    "ways": [pf.Way(w).label.lower() for w in ways if w in pf.Way.values],
                    "acknowledged": not pf.someone_else(answers) and bool({pf.Way.EMAIL, pf.Way.TEXT} & set(ways)),
                }
            )
            return redirect("introduce:confirmation")
    return render(
        request,
        "introduce/check.jinja",
        {
            "rows": _summary_rows(journey, answers),
            "problems": problems,
            "someone_else": pf.someone_else(answers),
            "caption": _caption(answers),
            "back_href": _step_url(journey, journey.applicable(answers)[-1]),
            "site": chosen_site,
        },
    )


def _figures_text(figures: WaitingFigures) -> dict[str, Any]:
    """Plain words for the figures: "12 days", "12.5 days", "15 of 20 people (75%)"."""

    def days(value: float | int | None) -> str:
        if value is None:
            return "Not known"
        number = f"{value:g}" if isinstance(value, float) else str(value)
        return "1 day" if number == "1" else f"{number} days"

    def share(value: float | None) -> str:
        if value is None or not figures.met:
            return "Not known"
        count = round(value * figures.met)
        percent = int(value * 100 + 0.5 + 1e-9)
        return f"{count} of {figures.met} {'person' if figures.met == 1 else 'people'} ({percent}%)"

    return {
        "median": days(figures.median_days),
        "p90": days(figures.p90_days),
        "within_target": share(figures.within_target_share),
        "within_28": share(figures.within_28_days_share),
        "target": days(figures.target_days),
        "second_median": days(figures.median_days_to_second_contact),
        "longest": days(figures.longest_wait_now_days),
    }


@never_cache
@require_GET
def confirmation(request: HttpRequest) -> HttpResponse:
    journey = _journey(request, None)
    outcome = journey.outcome()
    if outcome is None:
        return redirect("introduce:start")
    site = pf.site_by_id(outcome.get("site"))
    figures = waiting_figures(site=site) if site is not None else None
    return render(
        request,
        "introduce/confirmation.jinja",
        {
            "outcome": outcome,
            "figures": figures,
            "words": _figures_text(figures) if figures else None,
            "site": site,
            "does_not_know": outcome.get("person_aware") == PersonAware.DOES_NOT_KNOW,
        },
    )


# ---- how long are people waiting? (public, aggregates only) -----------------------------------------


def _waiting_site(request: HttpRequest) -> tuple[Site | None, list[Site]]:
    """The site asked for (?site=slug), else the public site; and every site, for choosing."""
    sites = list(Site.objects.order_by("name"))
    wanted = request.GET.get("site", "")
    if wanted:
        return next((s for s in sites if s.slug == wanted), None), sites
    return public_site(), sites


@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    site, sites = _waiting_site(request)
    if site is None:
        status = 404 if request.GET.get("site") else 200
        return render(request, "waiting/choose.jinja", {"sites": sites}, status=status)
    figures = waiting_figures(site=site)
    return render(
        request,
        "waiting/page.jinja",
        {
            "site": site,
            "figures": figures,
            "words": _figures_text(figures),
            "four_weeks": FOUR_WEEKS,
            "json_url": reverse("waiting:json") + (f"?site={site.slug}" if request.GET.get("site") else ""),
        },
    )


def figures_json(site: Site, figures: WaitingFigures, now: dt.datetime) -> dict[str, Any]:
    """The open data: plainly named keys, null when not known, no one's details."""
    return {
        "network": site.name,
        "network_slug": site.slug,
        "generated_at": now.isoformat(),
        "window_days": figures.window_days,
        "window_start": figures.window_start.isoformat(),
        "window_end": figures.window_end.isoformat(),
        "first_conversations": figures.met,
        "median_days_to_first_conversation": figures.median_days,
        "p90_days_to_first_conversation": figures.p90_days,
        "target_days": figures.target_days,
        "share_met_within_target": figures.within_target_share,
        "share_met_within_28_days": figures.within_28_days_share,
        "second_contacts": figures.second_contacts,
        "median_days_to_second_contact": figures.median_days_to_second_contact,
        "waiting_now": figures.waiting_now,
        "urgent_waiting_now": figures.urgent_waiting_now,
        "longest_wait_now_days": figures.longest_wait_now_days,
        "waiting_longer_than_target_now": figures.waiting_beyond_target_now,
    }


@require_GET
def waiting_json(request: HttpRequest) -> JsonResponse:
    site, sites = _waiting_site(request)
    if site is None:
        response = JsonResponse(
            {
                "detail": "Choose a Living Well network with ?site=<network_slug>",
                "networks": [{"network": s.name, "network_slug": s.slug} for s in sites],
            },
            status=404 if request.GET.get("site") else 400,
        )
    else:
        now = timezone.now()
        response = JsonResponse(figures_json(site, waiting_figures(site=site, now=now), now))
        response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
