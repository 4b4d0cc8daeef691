"""The Jinja2 environment: NHS.UK frontend macros, Django's url and static, and our filters."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from livingwell.core import presenters
from livingwell.core.forms import error_summary, nhs_field


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    loader = options.pop("loader")
    options["undefined"] = ChainableUndefined  # the NHS.UK macros read optional nested params
    options["autoescape"] = True
    env = Environment(loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]), **options)  # noqa: S701 (autoescape is set above)
    env.globals.update({"url": url, "static": static, "nhs_field": nhs_field, "error_summary": error_summary})
    env.filters.update(presenters.JINJA_FILTERS)
    return env
