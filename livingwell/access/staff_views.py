"""Pages for signed-in partner staff and GPs: introduce someone, and see what happened to them.

"Introductions I made" shows the reference, the name given, the dates and where each has got to:
nothing more (no story, contact details or notes), because making an introduction is not a
reason to read someone's record.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from livingwell.access import selectors
from livingwell.access.models import source_for_sector
from livingwell.access.presenters import state_tag
from livingwell.access.services import IntroductionInput, introduction_create
from livingwell.access.staff_forms import IntroducerForm
from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.audit.policy import current_memberships
from livingwell.audit.services import AccessRefused
from livingwell.core import presenters as fmt
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Membership, Organisation

# The one-time keys of the introducer forms this session was given (the newest last).
SESSION_KEY = "lw_introduction_forms"
KEYS_KEPT = 20


def _refuse(request: AuthenticatedRequest, action: Action) -> AccessRefused:
    return audit.refuse(
        actor=request.user,
        action=action,
        reason="Introducing through the staff form needs a current role at a partner organisation",
        request=request,
        message=(
            "Only staff of a Living Well partner organisation can use this page. "
            "Anyone can introduce themselves, or someone they know, through the Living Well front door."
        ),
    )


def _issue_key(request: AuthenticatedRequest) -> str:
    key = str(uuid.uuid4())
    kept: list[str] = list(request.session.get(SESSION_KEY, []))[-(KEYS_KEPT - 1) :]
    request.session[SESSION_KEY] = [*kept, key]
    return key


def _organisations(memberships: list[Membership]) -> list[Organisation]:
    by_id = {m.organisation_id: m.organisation for m in memberships}
    return sorted(by_id.values(), key=lambda o: o.name)


def _membership_for(memberships: list[Membership], organisation: Organisation) -> Membership:
    """The membership that best describes the introducer at `organisation` (one with a job title first)."""
    theirs = [m for m in memberships if m.organisation_id == organisation.pk]
    return next((m for m in theirs if m.job_title), theirs[0])


def _submission_hash(form: IntroducerForm) -> str:
    answers = {k: v for k, v in form.cleaned_data.items() if k != "submission"}
    canonical = json.dumps(answers, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


# Not never_cache: going back to a sent form should show the same form (and its one-time key), so
# that sending it again finds the introduction already made instead of making a second one.
@login_required
@require_http_methods(["GET", "POST"])
def introduction_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not selectors.may_introduce(user):
        raise _refuse(request, Action.CREATE)
    memberships = current_memberships(user)
    organisations = _organisations(memberships)
    choices = [(str(o.pk), o.name) for o in organisations]
    reused = False
    if request.method == "POST":
        data = request.POST.copy()
        expired = str(data.get("submission", "")) not in request.session.get(SESSION_KEY, [])
        if expired:
            # Not a form this session was given (or one from long ago): nothing is saved, answers are kept.
            data["submission"] = _issue_key(request)
        form = IntroducerForm(data, organisations=choices)
        if form.is_valid() and expired:
            form.add_error(None, "This form had expired, so nothing was sent. Check the answers and send it again")
        elif form.is_valid():
            chosen = form.cleaned_data.get("organisation")
            organisation = next((o for o in organisations if str(o.pk) == chosen), organisations[0])
            membership = _membership_for(memberships, organisation)
            try:
                result = introduction_create(
                    data=IntroductionInput(
                        site=organisation.site,
                        source=form.cleaned_data["source"],
                        person=form.person(),
                        in_their_words=form.cleaned_data["in_their_words"],
                        unsafe_now=form.cleaned_data["unsafe_now"],
                        urgent=form.cleaned_data["urgent"],
                        preferred_places=form.cleaned_data["preferred_places"],
                        worker_preferences=form.cleaned_data["worker_preferences"],
                        # Someone who knows about and agrees to an introduction agrees to be contacted about it.
                        agrees_to_contact=form.cleaned_data["person_aware"] == "agrees",
                        agrees_to_share=form.cleaned_data["agrees_to_share"],
                        person_aware=form.cleaned_data["person_aware"],
                        introducer_name=user.name[:150],
                        introducer_relationship=(membership.job_title or membership.get_role_display())[:100],
                        introducer_phone=form.cleaned_data["introducer_phone"],
                        introducer_email=user.email,
                        organisation=organisation,
                    ),
                    actor=user,
                    submission_key=f"staff:{form.cleaned_data['submission']}",
                    submission_hash=_submission_hash(form),
                    request=request,
                )
            except DomainError as error:
                if error.code == "idempotency_key_reused":
                    reused = True
                    form.add_error(
                        None,
                        "You have already sent this introduction, with different answers, so these were not sent",
                    )
                else:
                    add_domain_error(form, error)
            else:
                reference = result.introduction.reference
                if result.created:
                    messages.success(request, f"Introduction sent. The reference is {reference}")
                else:
                    messages.success(request, f"You had already sent this introduction. The reference is {reference}")
                return redirect("introductions:mine")
    else:
        form = IntroducerForm(
            initial={"submission": _issue_key(request), "source": source_for_sector(organisations[0].sector)},
            organisations=choices,
        )
    membership = _membership_for(memberships, organisations[0])
    return render(
        request,
        "introductions/new.jinja",
        {
            "form": form,
            "reused": reused,
            "about_you": [
                {"key": {"text": key}, "value": {"text": value}}
                for key, value in (
                    ("Name", user.name),
                    ("Job", membership.job_title or membership.get_role_display()),
                    ("Organisation", ", ".join(o.name for o in organisations)),
                    ("Email", user.email),
                )
            ],
            "back_href": reverse("introductions:mine"),
        },
    )


@dataclass(frozen=True)
class MadeRow:
    reference: str
    name: str
    introduced_on: str
    tag: dict[str, str]
    first_conversation_on: str


@login_required
@require_GET
def introductions_mine(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_introduce(request.user):
        raise _refuse(request, Action.LIST)
    page = selectors.my_introductions(user=request.user, page=request.GET.get("page", 1), request=request)
    rows = [
        MadeRow(
            reference=i.reference,
            name=i.name,
            introduced_on=fmt.date(i.introduced_at),
            tag=state_tag(i.state),
            first_conversation_on=fmt.date(i.first_conversation_on, "Not yet"),
        )
        for i in page.object_list
    ]
    return render(request, "introductions/mine.jinja", {"page": page, "rows": rows})
