"""Pages render with the hashed static files used in demo and production (manifest storage).

The other tests serve static files straight from the finders, where any path resolves; the manifest
only knows real files, so a template that names a directory or a missing file fails only here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "livingwell.core.storage.StaticStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_pages_render_with_hashed_static_files(collected: Path, cast: Cast) -> None:
    worker = Client()
    worker.force_login(cast.team_worker)
    pages = [(Client(), "/"), (Client(), "/sign-in/"), (Client(), "/no-such-page/")]
    pages += [(worker, "/home/"), (worker, "/people/"), (worker, f"/people/{cast.person.pk}/")]
    with override_settings(STATIC_ROOT=collected, STORAGES=STORAGES, WHITENOISE_USE_FINDERS=False):
        for client, path in pages:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            html = response.content.decode()
            assert re.search(r"/static/nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.css", html), path
            assert re.search(r"/static/nhsuk/assets/images/favicon\.[0-9a-f]{12}\.ico", html), path


def test_the_module_import_points_at_the_hashed_frontend(collected: Path) -> None:
    init = next((collected / "livingwell").glob("init.*.js"))
    assert re.search(r'from "\.\./nhsuk/nhsuk-frontend\.min\.[0-9a-f]{12}\.js"', init.read_text())
