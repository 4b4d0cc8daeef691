"""Fixtures live in livingwell.testing (a pytest plugin loaded by the root conftest.py, so that the
browser tests under tests/ share them). These names are re-exported for tests that import them."""

from livingwell.testing import PASSWORD, Cast, make_member, make_person, make_user, refresh_user

__all__ = ["PASSWORD", "Cast", "make_member", "make_person", "make_user", "refresh_user"]
