"""Fixtures for the community directory tests: the official ORUK 3.0 standards folder and validators.

The schemas and examples are read from `LIVINGWELL_ORUK_STANDARDS`, else `<repo>/../shared/standards/oruk`,
else `/work/shared/standards/oruk` (they are CC BY-SA and not copied into the repository). A missing folder fails the tests: it never skips them.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO = Path(__file__).resolve().parents[3]


# Where the standards are kept beside a checkout on the project's machines, when not next to this one.
WORKSPACE_STANDARDS = Path("/work/shared/standards/oruk")


def standards_folder() -> Path:
    configured = os.environ.get("LIVINGWELL_ORUK_STANDARDS")
    if configured:
        return Path(configured)
    beside = REPO.parent / "shared" / "standards" / "oruk"
    return beside if beside.is_dir() or not WORKSPACE_STANDARDS.is_dir() else WORKSPACE_STANDARDS


@pytest.fixture(scope="session")
def oruk() -> Path:
    """The ORUK standards folder (schema/, examples/); fails when it is missing."""
    folder = standards_folder()
    if not (folder / "schema" / "compiled" / "service.json").is_file():
        pytest.fail(
            f"The ORUK 3.0 standards folder was not found at {folder}. Set LIVINGWELL_ORUK_STANDARDS "
            "to the uk-profile folder (with schema/ and examples/) or put it at ../shared/standards/oruk."
        )
    return folder


@pytest.fixture(scope="session")
def oruk_example(oruk: Path) -> Callable[[str], Any]:
    """Load an example by name (`service_full`), a fresh copy each time."""
    cache: dict[str, Any] = {}

    def load(name: str) -> Any:
        if name not in cache:
            cache[name] = json.loads((oruk / "examples" / f"{name}.json").read_text(encoding="utf-8"))
        return copy.deepcopy(cache[name])

    return load


@pytest.fixture(scope="session")
def oruk_registry(oruk: Path) -> Registry:
    """Every source schema, registered under its file name (they refer to each other that way)."""
    resources = []
    for path in sorted((oruk / "schema").glob("*.json")):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, DRAFT202012.create_resource(contents)))
    registry: Registry = Registry().with_resources(resources)
    return registry


@pytest.fixture(scope="session")
def compiled_validator(oruk: Path) -> Callable[[str], Draft202012Validator]:
    """A validator with the format checker for `schema/compiled/<name>.json`."""

    def make(name: str) -> Draft202012Validator:
        schema = json.loads((oruk / "schema" / "compiled" / f"{name}.json").read_text(encoding="utf-8"))
        return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)

    return make


@pytest.fixture(scope="session")
def source_validator(oruk_registry: Registry) -> Callable[[str], Draft202012Validator]:
    """A validator with the format checker for a source schema (`taxonomy`, `taxonomy_term`)."""

    def make(name: str) -> Draft202012Validator:
        resource: Resource[Any] = oruk_registry.get_or_retrieve(f"{name}.json").value
        return Draft202012Validator(
            resource.contents, registry=oruk_registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    return make


def errors_of(validator: Draft202012Validator, instance: object) -> list[str]:
    """Readable schema errors: `path: message`."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}" for error in validator.iter_errors(instance)
    ]


def assert_no_none(value: object, where: str = "$") -> None:
    """Fail when a None appears anywhere in `value` (ORUK never allows null)."""
    assert value is not None, f"None at {where}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert_no_none(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_none(item, f"{where}[{index}]")
