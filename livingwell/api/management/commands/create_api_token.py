"""`manage.py create_api_token --organisation NAME_OR_ID --name "EMIS at Brixton Hill Group Practice"`.

Prints the new token once. It is stored only as a hash, so keep it somewhere safe straight away.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.api import services
from livingwell.network.models import Organisation


def find_organisation(value: str) -> Organisation:
    value = value.strip()
    try:
        found = Organisation.objects.filter(pk=uuid.UUID(value)).select_related("site").first()
    except ValueError:
        found = None
    if found is not None:
        return found
    matches = list(Organisation.objects.filter(name__iexact=value).select_related("site"))
    if not matches:
        raise CommandError(f"No partner organisation is called {value!r}. Check the name, or give its id.")
    if len(matches) > 1:
        listed = "; ".join(f"{o.name} in {o.site.name}: {o.pk}" for o in matches)
        raise CommandError(
            f"More than one organisation is called {value!r}. Give the id of the one you mean ({listed})."
        )
    return matches[0]


class Command(BaseCommand):
    help = "Make an API token for a partner organisation's system, and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The organisation's name or id")
        parser.add_argument(
            "--name", required=True, help='Which system will use it, such as "EMIS at Brixton Hill Group Practice"'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = find_organisation(options["organisation"])
        try:
            new = services.api_token_create(actor=None, organisation=organisation, name=options["name"])
        except services.ApiTokenError as error:
            raise CommandError(error.message) from None
        self.stderr.write(
            f"Made the token {new.token.prefix} ({new.token.name}) for {organisation.name}, {organisation.site.name}.\n"
            "This is the only time it is shown: give it to the system's administrator now."
        )
        self.stdout.write(new.secret)
