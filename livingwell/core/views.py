"""The shell: public pages, each role's home page, the health check and branded error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from livingwell.core import home as home_pages
from livingwell.core.health import database_ok
from livingwell.core.requests import AuthenticatedRequest


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "core/landing.jinja")


@require_GET
def get_help_now(request: HttpRequest) -> HttpResponse:
    return render(request, "core/get_help_now.jinja")


@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy_notice.jinja")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.jinja")


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    page = home_pages.home_for(request)
    if page.redirect_to:
        return redirect(page.redirect_to)
    return render(request, page.template, page.context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    if not database_ok():
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, heading: str, paragraphs: list[str]) -> HttpResponse:
    context: dict[str, Any] = {"heading": heading, "paragraphs": paragraphs}
    return render(request, "core/error.jinja", context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = getattr(exception, "message", None)
    return _error(
        request,
        403,
        "You do not have access to this page",
        [
            message or "You need a reason to see this, such as supporting the person or their agreement to share.",
            "We have recorded that you tried, as we do for every look at a person's record.",
        ],
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        from livingwell.api.problems import problem

        return problem(request, status=404, title="Not found", detail="There is nothing at this address.")
    return _error(
        request,
        404,
        "Page not found",
        [
            "If you typed the web address, check it is correct.",
            "If you pasted the web address, check you copied the entire address.",
        ],
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        ["Try again later. Nothing you saved before this has been lost."],
    )
