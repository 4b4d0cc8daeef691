"""Our OpenAPI 3.1 description of the Open Referral UK API under /oruk/ (served at /oruk/openapi.json).

Written here rather than copied from the standard (whose files are CC BY-SA and not part of this
repository). Response bodies point at the ORUK compiled schemas by their public addresses, as the
official description does; the `Page` wrapper, the problem body and every parameter we accept are
described here, including our extensions (`age`, `open_at`, and `postcode`/`proximity` on /services).
"""

from __future__ import annotations

from typing import Any

SCHEMAS = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


PARAMETERS: dict[str, dict[str, Any]] = {
    "page": _query("page", "Page number of the results, from 1 (default 1).", {"type": "integer", "minimum": 1}),
    "per_page": _query(
        "per_page",
        "Number of results on a page (default 50, at most 1000).",
        {"type": "integer", "minimum": 1, "maximum": 1000},
    ),
    "search": _query("search", "Words that must all appear in the offer's text.", {"type": "string"}),
    "taxonomy_term_id": _query("taxonomy_term_id", "Offers with this taxonomy term.", {"type": "string"}),
    "taxonomy_id": _query("taxonomy_id", "Offers with any term in this taxonomy.", {"type": "string"}),
    "organization_id": _query("organization_id", "Offers run by this organisation.", {"type": "string"}),
    "modified_after": _query(
        "modified_after",
        "Offers changed on or after this date and time (ISO 8601).",
        {"type": "string", "format": "date-time"},
    ),
    "minimal": _query(
        "minimal", "Items are just id, name, status and last_modified.", {"type": "boolean", "default": False}
    ),
    "full": _query("full", "Items are fully nested services.", {"type": "boolean", "default": False}),
    "minimum_age": _query("minimum_age", "Offers whose minimum age is at least this.", {"type": "number"}),
    "maximum_age": _query("maximum_age", "Offers whose maximum age is this or below.", {"type": "number"}),
    "age": _query(
        "age", "Extension: offers open to someone of this age (a missing limit is no limit).", {"type": "number"}
    ),
    "day": _query(
        "day",
        "Offers open on this day: MO, TU, WE, TH, FR, SA or SU (or the day's English name).",
        {"type": "string"},
    ),
    "start_time": _query(
        "start_time", "Offers with an opening that starts at or after this time (HH:MM).", {"type": "string"}
    ),
    "end_time": _query(
        "end_time", "Offers with an opening that ends at or before this time (HH:MM).", {"type": "string"}
    ),
    "open_at": _query("open_at", "Extension: offers open at this time (HH:MM), on `day` if given.", {"type": "string"}),
    "postcode": _query(
        "postcode", "A UK postcode: results are ordered by distance from its centre.", {"type": "string"}
    ),
    "proximity": _query(
        "proximity", "Only results within this many metres of the postcode's centre.", {"type": "number", "minimum": 0}
    ),
    "parent_id": _query("parent_id", "Terms whose parent is this term.", {"type": "string"}),
    "top_only": _query("top_only", "Only terms without a parent.", {"type": "boolean", "default": False}),
}

SERVICE_FILTERS = [
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "minimum_age",
    "maximum_age",
    "age",
    "day",
    "start_time",
    "end_time",
    "open_at",
    "postcode",
    "proximity",
]


def _refs(names: list[str]) -> list[dict[str, str]]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _json(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(item_schema: str) -> dict[str, Any]:
    return {
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": item_schema}}},
    }


PROBLEM = {"$ref": "#/components/schemas/Problem"}
NOT_FOUND = {"404": _json("There is no such record in the directory.", PROBLEM)}
BAD_PARAMETER = {"400": _json("A parameter is not valid; the detail says which and why.", PROBLEM)}
ID = [{"in": "path", "name": "id", "required": True, "description": "The record's id.", "schema": {"type": "string"}}]


def _get(operation_id: str, summary: str, responses: dict[str, Any], parameters: list[str] | None = None) -> dict:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary, "responses": responses}
    if parameters:
        operation["parameters"] = _refs(parameters)
    return {"get": operation}


def openapi_document(base_url: str) -> dict[str, Any]:
    """The OpenAPI description of our ORUK API, with `base_url` (…/oruk) as its server."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Living Well community directory: Open Referral UK 3.0",
            "version": "3.0",
            "description": (
                "The community offers in this Living Well network, as Open Referral UK 3.0 (a profile of "
                "HSDS 3.0). Open to anyone, read only, with Access-Control-Allow-Origin: *. Optional fields "
                "are left out, never null. Full services may carry HSDS 3.1 `capacities`."
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/": _get(
                "getAPIMetaInformation",
                "About this API and its profile of HSDS.",
                {
                    "200": _json(
                        "About this API.",
                        {
                            "type": "object",
                            "required": ["version", "profile", "openapi_url"],
                            "properties": {
                                "version": {"type": "string"},
                                "profile": {"type": "string", "format": "uri"},
                                "openapi_url": {"type": "string", "format": "uri"},
                            },
                        },
                    )
                },
            ),
            "/services": _get(
                "getPaginatedListOfServices",
                "A page of services (their one-to-one fields, or full with full=true).",
                {
                    "200": _json("A page of services.", _page_of(f"{SCHEMAS}compiled/service_list.json")),
                    **BAD_PARAMETER,
                },
                [*SERVICE_FILTERS, "minimal", "full"],
            ),
            "/services/{id}": {
                "parameters": ID,
                **_get(
                    "getFullyNestedServiceById",
                    "A fully nested service.",
                    {"200": _json("The service.", {"$ref": f"{SCHEMAS}compiled/service.json"}), **NOT_FOUND},
                ),
            },
            "/service_at_locations": _get(
                "getPaginatedListOfServiceAtLocation",
                "A page of services at locations, nearest first when a postcode is given.",
                {
                    "200": _json(
                        "A page of services at locations.",
                        _page_of(f"{SCHEMAS}compiled/service_at_location_list.json"),
                    ),
                    **BAD_PARAMETER,
                },
                SERVICE_FILTERS,
            ),
            "/service_at_locations/{id}": {
                "parameters": ID,
                **_get(
                    "getServiceAtLocationWithNestedDataById",
                    "A fully nested service at a location.",
                    {
                        "200": _json(
                            "The service at a location.", {"$ref": f"{SCHEMAS}compiled/service_at_location.json"}
                        ),
                        **NOT_FOUND,
                    },
                ),
            },
            "/taxonomies": _get(
                "getPaginatedListOfTaxonomies",
                "A page of taxonomies.",
                {"200": _json("A page of taxonomies.", _page_of(f"{SCHEMAS}taxonomy.json")), **BAD_PARAMETER},
                ["page", "per_page"],
            ),
            "/taxonomies/{id}": {
                "parameters": ID,
                **_get(
                    "getTaxonomyById",
                    "A taxonomy, with its terms.",
                    {"200": _json("The taxonomy.", {"$ref": f"{SCHEMAS}taxonomy.json"}), **NOT_FOUND},
                ),
            },
            "/taxonomy_terms": _get(
                "getPaginatedListOfTaxonomyTerms",
                "A page of taxonomy terms.",
                {"200": _json("A page of terms.", _page_of(f"{SCHEMAS}taxonomy_term.json")), **BAD_PARAMETER},
                ["page", "per_page", "taxonomy_id", "parent_id", "top_only"],
            ),
            "/taxonomy_terms/{id}": {
                "parameters": ID,
                **_get(
                    "getTaxonomyTermById",
                    "A taxonomy term.",
                    {"200": _json("The term.", {"$ref": f"{SCHEMAS}taxonomy_term.json"}), **NOT_FOUND},
                ),
            },
        },
        "components": {
            "parameters": PARAMETERS,
            "schemas": {
                "Page": {
                    "type": "object",
                    "required": [
                        "total_items",
                        "total_pages",
                        "page_number",
                        "size",
                        "first_page",
                        "last_page",
                        "empty",
                        "contents",
                    ],
                    "properties": {
                        "total_items": {"type": "integer", "description": "How many results there are in all."},
                        "total_pages": {"type": "integer", "description": "How many pages there are."},
                        "page_number": {"type": "integer", "description": "This page's number, from 1."},
                        "size": {"type": "integer", "description": "How many results are on this page."},
                        "first_page": {"type": "boolean", "description": "Whether this is the first page."},
                        "last_page": {"type": "boolean", "description": "Whether this is the last page (or beyond)."},
                        "empty": {"type": "boolean", "description": "Whether this page has no results."},
                        "contents": {"type": "array"},
                    },
                },
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string", "format": "uri"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                    },
                },
            },
        },
    }
