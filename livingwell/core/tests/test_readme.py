"""The README stays true: it lists every demo sign-in and the two set-up commands."""

from __future__ import annotations

from pathlib import Path

from livingwell.core.synthetic.collaborative import COLLABORATIVE_SIGN_INS
from livingwell.core.synthetic.demo import DEMO_PASSWORD, DEMO_SIGN_INS

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


def test_readme_lists_every_demo_sign_in_and_the_password() -> None:
    for sign_in in DEMO_SIGN_INS:
        assert sign_in.email in README, sign_in.email
    for collaborative in COLLABORATIVE_SIGN_INS:
        assert collaborative.email in README, collaborative.email
    assert DEMO_PASSWORD in README


def test_readme_gives_the_two_commands() -> None:
    assert "make demo" in README
    assert "make test" in README
    assert "SCALE=500000 make bench" in README
