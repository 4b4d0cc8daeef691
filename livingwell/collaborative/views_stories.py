"""The story bank's pages: the stories a member may read, a story, gathering and changing one, its
de-identification check, sharing and withdrawing it; and the public stories anyone may read.

Reads go through `selectors_stories` (scoped to the reader); writes through `stories` (which decides
who may do them and audits). Refusals are recorded by the guards and the services."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative import presenters_stories as show
from livingwell.collaborative import selectors_stories as select
from livingwell.collaborative import stories as services
from livingwell.collaborative.forms_stories import CheckForm, StoryFilterForm, StoryForm, WithdrawForm
from livingwell.collaborative.models import Story, StoryStatus
from livingwell.collaborative.presenters import crumbs, public_crumbs
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _story(site: Site, story_id: uuid.UUID) -> Story:
    story = select.story_to_change(site, story_id)
    if story is None:
        raise Http404("No such story")
    return story


def _story_crumbs(story: Story) -> list[dict[str, Any]]:
    return crumbs(
        ("Stories", reverse("collaborative:stories")), (story.title, reverse("collaborative:story", args=[story.pk]))
    )


def _form_choices(site: Site) -> dict[str, Any]:
    return {
        "prototypes": select.prototype_choices(site),
        "decisions": select.decision_choices(site),
        "known_themes": select.site_themes(site),
    }


# ---- the list and a story ------------------------------------------------------------------------


def _page_href(request: AuthenticatedRequest, number: int) -> str:
    """This page of the list, with the filters the reader chose."""
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


@login_required
@require_http_methods(["GET"])
def story_list(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    who = select.viewer(request.user, site, request=request)
    theme_counts_all = select.theme_counts(who, site, select.StoryFilters())
    form = StoryFilterForm(
        request.GET or None,
        themes=[(str(t.pk), t.name) for t, _ in theme_counts_all],
        groups=[(str(g.pk), g.name) for g in select.filter_groups(who, site)],
        linked=select.LINKED_CHOICES,
    )
    filters = select.StoryFilters(
        theme=form.uuid_of("theme"),
        group=form.uuid_of("group"),
        kind=form.value_of("kind"),
        linked=form.value_of("linked"),
    )
    page = Paginator(select.stories_for(who, site, filters), select.STORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [show.story_row(s) for s in page.object_list]
    counts = select.theme_counts(who, site, filters)
    return render(
        request,
        "collaborative/stories/list.jinja",
        {
            "rows": rows,
            "total": f"{page.paginator.count:,}",
            "one": page.paginator.count == 1,
            "shown": f"Showing {page.start_index():,} to {page.end_index():,}" if page.paginator.num_pages > 1 else "",
            "previous_href": _page_href(request, page.previous_page_number()) if page.has_previous() else "",
            "next_href": _page_href(request, page.next_page_number()) if page.has_next() else "",
            "theme_items": show.select_items(form["theme"], empty="Any theme"),
            "group_items": show.select_items(form["group"], empty="Any group"),
            "kind_items": show.select_items(form["kind"], empty="Both"),
            "linked_items": show.select_items(form["linked"], empty="Anything or nothing"),
            "theme_counts": [(t.name, n) for t, n in counts],
            "filtered": any([filters.theme, filters.group, filters.kind, filters.linked]),
            "add_links": [
                (g.name, reverse("collaborative:story_add", args=[g.pk])) for g in select.groups_to_gather_for(who)
            ],
            "crumbs": crumbs(),
        },
    )


def _story_page(request: AuthenticatedRequest, story: Story, *, share_error: DomainError | None = None) -> HttpResponse:
    state = services.check_state(story)
    gatherer_or_steward = services.is_gatherer(request.user, story) or access.is_steward(request.user, story.site)
    can_change = services.can_change(request.user, story)
    withdrawn = story.status == StoryStatus.WITHDRAWN
    return render(
        request,
        "collaborative/stories/story.jinja",
        {
            "story": story,
            "withdrawn": withdrawn,
            "show_words": not withdrawn or gatherer_or_steward,
            "status": show.status_text(story),
            "check": show.check_text(story, state),
            "state": state,
            "finding_rows": show.saved_finding_rows(state) if state.checked and state.current else [],
            "readiness": show.readiness(story, state),
            "share_button": show.share_button(story),
            "teller": show.teller_text(story),
            "consent_explained": show.CONSENT_EXPLAINED[story.consent_level],  # type: ignore[index]
            "insights": show.insights_text(story),
            "prototypes": [(p.title, reverse("collaborative:prototype", args=[p.pk])) for p in story.prototypes.all()],
            "decisions": [(d.title, reverse("collaborative:decision", args=[d.pk])) for d in story.decisions.all()],
            "themes": [t.name for t in story.themes.all()],
            "can_change": can_change and not withdrawn,
            "can_withdraw": services.can_withdraw(request.user, story) and not withdrawn,
            "share_error": share_error,
            "public_href": reverse("collaborative:public_story", args=[story.pk])
            if story.status == StoryStatus.SHARED and story.consent_level == "public" and state.passed
            else "",
            "crumbs": crumbs(("Stories", reverse("collaborative:stories"))),
        },
        status=400 if share_error else 200,
    )


@login_required
@require_http_methods(["GET"])
def story_page(request: AuthenticatedRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = select.story_for(request.user, site, story_id, request=request)
    if story is None:
        raise Http404("No such story")
    return _story_page(request, story)


# ---- gathering and changing ----------------------------------------------------------------------


def _form_page(request: AuthenticatedRequest, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("conflict", None)
    return render(request, "collaborative/stories/form.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def story_add(request: AuthenticatedRequest, group_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    group = select.group_of(site, group_id)
    if group is None:
        raise Http404("No such group")
    member = access.require_member(request.user, site, what="story", request=request, action=Action.CREATE)
    if not (access.in_group(member, group) or access.can_run(request.user, group)):
        raise access.refuse(
            actor=request.user,
            action=Action.CREATE,
            what="story",
            obj_id=group.pk,
            reason="Not in the group",
            request=request,
            message="Only members of this group can add its stories. You can ask to join the group from its page.",
        )
    form = StoryForm(request.POST if request.method == "POST" else None, **_form_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_add(actor=request.user, group=group, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"“{story.title}” saved. It is not shared yet.")
            return redirect("collaborative:story", story_id=story.pk)
    return _form_page(
        request,
        {
            "title": f"Add a story gathered by {group.name}",
            "form": form,
            "button": "Save the story",
            "crumbs": crumbs(
                ("Stories", reverse("collaborative:stories")),
                (group.name, reverse("collaborative:group", args=[group.pk])),
            ),
            "editing": False,
        },
    )


def _initial(story: Story) -> dict[str, Any]:
    return {
        "kind": story.kind,
        "title": story.title,
        "body": story.body,
        "teller_perspective": story.teller_perspective,
        "gathered_on": story.gathered_on,
        "consent_level": story.consent_level,
        "consent_note": story.consent_note,
        "themes": ", ".join(t.name for t in story.themes.all()),
        "prototypes": [str(p.pk) for p in story.prototypes.all()],
        "decisions": [str(d.pk) for d in story.decisions.all()],
        "insights": list(story.insights or []),
        "version": story.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def story_change(request: AuthenticatedRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = _story(site, story_id)
    if not services.can_change(request.user, story):
        services.require_change(request.user, story, request, doing="change")
    if story.status == StoryStatus.WITHDRAWN:
        raise Http404("The teller withdrew this story")
    form = StoryForm(
        request.POST if request.method == "POST" else None,
        initial=_initial(story),
        versioned=True,
        **_form_choices(site),
    )
    conflict: EditConflict | None = None
    was_shared = story.status == StoryStatus.SHARED
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: services.story_change(
                actor=request.user,
                story=story,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            if was_shared and story.status == StoryStatus.DRAFT:
                messages.success(request, "Changes saved. The story is not shared until its new words are checked.")
            else:
                messages.success(request, "Changes saved")
            return redirect("collaborative:story", story_id=story.pk)
    return _form_page(
        request,
        {
            "title": f"Change “{story.title}”",
            "form": form,
            "button": "Save changes",
            "crumbs": _story_crumbs(story),
            "conflict": conflict,
            "editing": True,
            "checked_levels_warning": story.status == StoryStatus.SHARED and story.consent_level != "team",
        },
    )


# ---- the check -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def story_check(request: AuthenticatedRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = _story(site, story_id)
    if not services.can_change(request.user, story):
        services.require_change(request.user, story, request, doing="check")
    if story.status == StoryStatus.WITHDRAWN:
        raise Http404("The teller withdrew this story")
    findings = services.run_check(story)
    state = services.check_state(story)
    previous = {(f.get("kind", ""), f.get("text", "")): f.get("reason", "") for f in state.findings}
    words = services.words_hash(story.title, story.body)
    form = CheckForm(
        request.POST if request.method == "POST" else None,
        findings=findings,
        previous=previous,
        initial={"words": words},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.story_check_save(
                actor=request.user,
                story=story,
                words_checked=form.cleaned_data["words"],
                acceptances=form.acceptances(),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if saved.passed:
                messages.success(
                    request, "Check saved. Every finding has a reason to stay, so the story can be shared."
                )
            else:
                messages.success(
                    request,
                    f"Check saved. {saved.open} still need the words changing: change the story, then check it again.",
                )
            return redirect("collaborative:story", story_id=story.pk)
    title_len = len(story.title)
    return render(
        request,
        "collaborative/stories/check.jinja",
        {
            "story": story,
            "form": form,
            "title_segments": show.segments(story.title, findings),
            "body_segments": show.segments(story.body, findings, offset=title_len + 1),
            "rows": show.finding_rows(findings, form.reason_fields()),
            "change_href": reverse("collaborative:story_change", args=[story.pk]),
            "crumbs": _story_crumbs(story),
        },
    )


# ---- sharing and withdrawing ---------------------------------------------------------------------


@login_required
@require_http_methods(["POST"])
def story_share(request: AuthenticatedRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = _story(site, story_id)
    try:
        story = services.story_share(actor=request.user, story=story, request=request)
    except DomainError as error:
        return _story_page(request, _story(site, story_id), share_error=error)
    messages.success(request, f"{show.status_text(story)}: “{story.title}”")
    return redirect("collaborative:story", story_id=story.pk)


@login_required
@require_http_methods(["GET", "POST"])
def story_withdraw(request: AuthenticatedRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = _story(site, story_id)
    if not services.can_withdraw(request.user, story):
        services.story_withdraw(actor=request.user, story=story, reason="", request=request)  # records the refusal
    if story.status == StoryStatus.WITHDRAWN:
        return redirect("collaborative:story", story_id=story.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.story_withdraw(
                actor=request.user, story=story, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"“{story.title}” is withdrawn. It no longer appears on any page.")
            return redirect("collaborative:story", story_id=story.pk)
    return render(
        request,
        "collaborative/stories/withdraw.jinja",
        {"story": story, "form": form, "crumbs": _story_crumbs(story)},
    )


# ---- the public pages ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def public_list(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    theme_id: uuid.UUID | None
    try:
        theme_id = uuid.UUID(request.GET.get("theme", ""))
    except ValueError:
        theme_id = None
    themes = select.public_themes(site)
    rows = [show.public_row(s) for s in select.public_stories(site, theme=theme_id)]
    chosen = next((t for t, _ in themes if t.pk == theme_id), None)
    return render(
        request,
        "collaborative/stories/public_list.jinja",
        {
            "rows": rows,
            "themes": [
                (t.name, n, f"{reverse('collaborative:public_stories')}?theme={t.pk}", t.pk == theme_id)
                for t, n in themes
            ],
            "chosen": chosen.name if chosen else "",
            "all_href": reverse("collaborative:public_stories"),
            "crumbs": public_crumbs(),
        },
    )


@require_http_methods(["GET"])
def public_story(request: HttpRequest, story_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    story = select.public_story(site, story_id)
    if story is None:
        raise Http404("No such story")
    return render(
        request,
        "collaborative/stories/public_story.jinja",
        {
            "story": story,
            "teller": show.teller_text(story) if story.teller_perspective else "",
            "themes": [t.name for t in story.themes.all()],
            "gathered": show.gathered_public(story),
            "crumbs": public_crumbs(("Stories", reverse("collaborative:public_stories"))),
        },
    )
