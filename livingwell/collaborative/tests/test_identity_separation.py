"""A member's Collaborative identity is separate from any support record (ADR 10).

The first guard is structural: no module of the Collaborative imports the apps that hold people's
records, so no page, service or selector here can read them by mistake. (The behavioural guard, which
renders the Collaborative's pages for a member who is also supported and looks for their record's
details, is in test_identity_pages.py.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import livingwell.collaborative

FORBIDDEN = (
    "livingwell.people",
    "livingwell.support",
    "livingwell.outcomes",
    "livingwell.community.connections",
    "livingwell.community.presenters_connections",
    "livingwell.access.models",
)
ROOT = Path(livingwell.collaborative.__file__).parent


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_collaborative_module_imports_a_support_record() -> None:
    modules = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]
    assert len(modules) > 5
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules
        for name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert not offending, sorted(offending)


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from livingwell.people.models import Person\nimport livingwell.support.models\n")
    names = _imports(sample)
    assert "livingwell.people.models" in names and "livingwell.support.models" in names
