"""The directory feeds pages: the ORUK feeds a site imports, their refreshes and what each turned away.

For Hub coordinators and site administrators of the site; anyone else is refused (403) and the
refusal is audited. Writes go through `feeds` services; "Refresh now" queues a refresh for the task
worker (ADR 9).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest

from . import feeds, tasks
from . import presenters_feeds as present
from .forms_feeds import FeedForm
from .models import ImportRun, ImportSource

RUNS_PER_PAGE = 20
STARTED = "The refresh has started. It usually takes a few minutes."
ALREADY = "A refresh of this feed has already started. It usually takes a few minutes."
RAN = "The feed was refreshed."


def _sites_or_refuse(request: AuthenticatedRequest) -> frozenset[uuid.UUID]:
    ids = feeds.managed_site_ids(request.user)
    if not ids:
        raise feeds.refuse(actor=request.user, request=request, change=request.method == "POST")
    return ids


def _source(request: AuthenticatedRequest, source_id: uuid.UUID) -> ImportSource:
    _sites_or_refuse(request)
    try:
        return feeds.source_for(user=request.user, source_id=source_id, request=request)
    except ImportSource.DoesNotExist:
        raise Http404("No such feed") from None


def _page_number(text: str | None) -> int:
    try:
        return max(1, int(text or 1))
    except ValueError:
        return 1


@login_required
@require_http_methods(["GET"])
def feed_list(request: AuthenticatedRequest) -> HttpResponse:
    site_ids = _sites_or_refuse(request)
    sources = list(feeds.with_latest_run(feeds.sources_for(site_ids=site_ids)))
    runs = feeds.latest_runs(sources)
    waiting = tasks.waiting_source_ids() if tasks.uses_queue() else set()
    rows = [present.feed_row(s, runs.get(s.pk), str(s.pk) in waiting) for s in sources]
    return render(
        request,
        "community/feeds/list.jinja",
        {"rows": rows, "several_sites": len(site_ids) > 1, "add_href": reverse("community:feed_add")},
    )


def _form_page(request: AuthenticatedRequest, form: FeedForm, *, title: str, button: str, back: str) -> HttpResponse:
    return render(
        request,
        "community/feeds/form.jinja",
        {"form": form, "title": title, "button_text": button, "back_href": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def feed_add(request: AuthenticatedRequest) -> HttpResponse:
    _sites_or_refuse(request)
    sites = feeds.managed_sites(request.user)
    files_allowed = any(feeds.administers(request.user, s.pk) for s in sites)
    form = FeedForm(request.POST if request.method == "POST" else None, files_allowed=files_allowed, sites=sites)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("site")
        site = next((s for s in sites if str(s.pk) == chosen), sites[0])
        try:
            source = feeds.source_add(
                actor=request.user,
                site=site,
                name=form.cleaned_data["name"],
                location=form.cleaned_data["location"],
                refresh_hours=form.cleaned_data["refresh_hours"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{source.name} added. Refresh it now to import its offers.")
            return redirect("community:feeds")
    return _form_page(request, form, title="Add a directory feed", button="Add feed", back=reverse("community:feeds"))


@login_required
@require_http_methods(["GET", "POST"])
def feed_change(request: AuthenticatedRequest, source_id: uuid.UUID) -> HttpResponse:
    source = _source(request, source_id)
    form = FeedForm(
        request.POST if request.method == "POST" else None,
        files_allowed=feeds.administers(request.user, source.site_id) or "://" not in source.location,
        initial={"name": source.name, "location": source.location, "refresh_hours": source.refresh_hours},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = feeds.source_change(
                actor=request.user,
                source=source,
                name=form.cleaned_data["name"],
                location=form.cleaned_data["location"],
                refresh_hours=form.cleaned_data["refresh_hours"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("community:feeds")
    return _form_page(
        request, form, title=f"Change {source.name}", button="Save", back=reverse("community:feed", args=[source.pk])
    )


@login_required
@require_http_methods(["POST"])
def feed_refresh(request: AuthenticatedRequest, source_id: uuid.UUID) -> HttpResponse:
    source = _source(request, source_id)
    queued = feeds.refresh_now(actor=request.user, source=source, request=request)
    if not tasks.uses_queue():
        messages.success(request, RAN)
    else:
        messages.success(request, STARTED if queued else ALREADY)
    back = request.POST.get("next", "")
    return redirect(back if back in (reverse("community:feed", args=[source.pk]),) else "community:feeds")


@login_required
@require_http_methods(["GET"])
def feed(request: AuthenticatedRequest, source_id: uuid.UUID) -> HttpResponse:
    source = _source(request, source_id)
    runs = ImportRun.objects.filter(source=source).defer("problems").order_by("-started_at", "-id")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(_page_number(request.GET.get("page")))
    previous = next_ = None
    if page.has_previous():
        number = page.previous_page_number()
        previous = {"href": f"?page={number}", "labelText": f"Page {number} of {page.paginator.num_pages}"}
    if page.has_next():
        number = page.next_page_number()
        next_ = {"href": f"?page={number}", "labelText": f"Page {number} of {page.paginator.num_pages}"}
    waiting = tasks.uses_queue() and tasks.waiting_refresh(source_id=source.pk) is not None
    return render(
        request,
        "community/feeds/feed.jinja",
        {
            "source": source,
            "row": present.feed_row(source, None, waiting),
            "runs": [present.run_row(r) for r in page.object_list],
            "total": page.paginator.count,
            "previous": previous,
            "next": next_,
            "page_label": f"page {page.number} of {page.paginator.num_pages}" if page.paginator.num_pages > 1 else "",
            "back_href": reverse("community:feeds"),
        },
    )


@login_required
@require_http_methods(["GET"])
def feed_run(request: AuthenticatedRequest, run_id: int) -> HttpResponse:
    _sites_or_refuse(request)
    try:
        run = feeds.run_for(user=request.user, run_id=run_id, request=request)
    except ImportRun.DoesNotExist:
        raise Http404("No such refresh") from None
    assert run.source is not None
    return render(
        request,
        "community/feeds/run.jinja",
        {
            "run": run,
            "source": run.source,
            "back_href": reverse("community:feed", args=[run.source.pk]),
            "outcome": present.run_outcome(run),
            "started": present.core.datetime(run.started_at),
            "finished": present.core.datetime(run.finished_at, empty="Not yet"),
            "since": present.core.datetime(run.modified_after) if run.modified_after else "",
            "problems": present.problem_rows(run.problems),
        },
    )
