"""RFC 9457 problem details for every API error, with field errors where input was invalid."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError

PROBLEM_TYPE_BASE = "https://livingwell.example/problems/"


def problem(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    detail: str = "",
    code: str = "",
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"{PROBLEM_TYPE_BASE}{code}" if code else "about:blank",
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type="application/problem+json")


def _location(loc: list[Any]) -> str:
    # ninja prefixes locations with the parameter source ("body", "query"…) and schema name.
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "data", "body"):
        parts = parts[1:]
    return ".".join(parts)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _location(list(e.get("loc", []))), "message": str(e.get("msg", "Invalid value"))}
            for e in exc.errors
        ]
        return problem(
            request, status=422, title="Some of the information is not valid", code="validation", errors=errors
        )

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else None
        return problem(request, status=422, title=exc.message, code=exc.code, errors=errors)

    @api.exception_handler(AccessRefused)
    def _refused(request: HttpRequest, exc: AccessRefused) -> HttpResponse:
        return problem(request, status=403, title="Access refused", detail=exc.message, code="access-refused")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(request, status=401, title="Sign in or give an API token", code="unauthenticated")
        response["WWW-Authenticate"] = 'Bearer realm="Living Well API"'
        return response

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, status=exc.status_code, title=str(exc))
