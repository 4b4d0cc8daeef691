"""Settings come from the environment and fail loudly on bad values."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from livingwell.config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[3]


def test_env_str_required_and_choices() -> None:
    with pytest.raises(ImproperlyConfigured, match="X must be set"):
        env_str("X", environ={})
    assert env_str("X", "d", environ={}) == "d"
    assert env_str("X", environ={"X": " v "}) == "v"
    with pytest.raises(ImproperlyConfigured, match="not allowed"):
        env_str("X", choices=("a", "b"), environ={"X": "c"})


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False)]
)
def test_env_bool_reads_yes_and_no(raw: str, expected: bool) -> None:
    assert env_bool("B", not expected, environ={"B": raw}) is expected


@pytest.mark.parametrize("raw", ["ture", "2", "maybe"])
def test_env_bool_refuses_anything_else(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="not a yes/no value"):
        env_bool("B", False, environ={"B": raw})


def test_env_int_bounds_and_format() -> None:
    assert env_int("N", 5, environ={}) == 5
    assert env_int("N", 5, minimum=1, environ={"N": "7"}) == 7
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 5, minimum=1, environ={"N": "0"})
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_int("N", 5, maximum=9, environ={"N": "10"})


def test_env_list() -> None:
    assert env_list("L", ["a"], environ={}) == ["a"]
    assert env_list("L", environ={"L": "a, b,,c "}) == ["a", "b", "c"]


def _run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LIVINGWELL_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "livingwell.config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "LIVINGWELL_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "livingwell.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        **extra,
    }


def test_production_passes_the_deployment_checklist(tmp_path: Path) -> None:
    result = _run_settings(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_hashes_passwords_with_argon2_first(tmp_path: Path) -> None:
    result = _run_settings(
        _production(tmp_path), "shell", "-c", "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must list"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be false"),
        ({"DJANGO_DEBUG": "perhaps"}, "not a yes/no value"),
        ({"DATABASE_URL": "mysql://db/x"}, "DATABASE_URL must start with"),
        ({"LIVINGWELL_BREAK_GLASS_MINUTES": "0"}, "below the minimum"),
        ({"LIVINGWELL_ENV": "prod"}, "is not allowed"),
    ],
)
def test_bad_settings_stop_the_platform_with_a_clear_message(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    result = _run_settings(_production(tmp_path, **change), "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_test_settings_use_sqlite_wal_with_foreign_keys(settings) -> None:  # type: ignore[no-untyped-def]
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
        assert "foreign_keys=ON" in db["OPTIONS"]["init_command"]
    assert settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"
