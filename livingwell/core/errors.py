"""Domain errors: a code for machines, a message in plain English for people, and the field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was not met. Pages show it by the field; the API as problem JSON."""

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
