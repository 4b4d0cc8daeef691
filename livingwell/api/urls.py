"""The REST API under /api/v1/, documented at /api/v1/openapi.json."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status

from livingwell.api import introductions, measures, problems
from livingwell.core.health import database_ok

api = NinjaAPI(
    title="Living Well API",
    version="1",
    description=(
        "The Living Well platform's API. Errors are RFC 9457 problem details "
        "(`application/problem+json`) with an `errors` list naming each invalid field."
    ),
    urls_namespace="api",
    docs_url="/docs",
)
problems.install(api)
api.add_router("/introductions", introductions.router)
api.add_router("", measures.router)


class Health(Schema):
    status: str
    database: str


@api.get("/health", response={200: Health, 503: Health}, tags=["platform"], summary="Is the platform up?")
def health(request: HttpRequest) -> Status:
    ok = database_ok()
    return Status(
        200 if ok else 503, Health(status="ok" if ok else "unavailable", database="ok" if ok else "unreachable")
    )
