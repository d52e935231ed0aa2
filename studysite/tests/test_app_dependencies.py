"""Apps depend downward only: rnnsim knows no content app, and quizzes borrows nothing from flashcards.

Writers both apps use live in studysite (note_exports, exchange); plot-spec fields are found through
Django's app registry. A test module may import what it tests against, so tests are not checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"rnnsim": {"quizzes", "flashcards"}, "quizzes": {"flashcards"}}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_no_app_above_it(app: str) -> None:
    offending = {
        str(path.relative_to(PROJECT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in (PROJECT / app).rglob("*.py")
        if "tests" not in path.parts and imported_apps(path) & FORBIDDEN[app]
    }
    assert offending == {}
