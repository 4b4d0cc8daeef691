from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_document_is_published() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Living Well API"
    assert "/api/v1/health" in document["paths"]


def test_health() -> None:
    assert Client().get("/api/v1/health").json() == {"status": "ok", "database": "ok"}


def test_errors_are_problem_json() -> None:
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["title"]
