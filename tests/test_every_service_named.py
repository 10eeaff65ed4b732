"""Every service is named in a test: each public function of ``cocity/<app>/services.py`` and
of ``cocity/<app>/services/*.py`` (defined there, not imported) appears by name in some file
under ``tests/`` besides this one. A service that no test names is a write that no test was
written for."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def public_functions(path: Path) -> list[str]:
    """The public functions that the module at ``path`` defines (at its top level)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and not node.name.startswith("_")
    ]


def service_modules() -> list[Path]:
    cocity = ROOT / "cocity"
    return sorted([*cocity.glob("*/services.py"), *cocity.glob("*/services/*.py")])


def test_the_services_are_found():
    names = {name for path in service_modules() for name in public_functions(path)}

    assert {"pact_create_draft", "pact_transition", "commons_create", "user_create"} <= names


def test_every_service_is_named_in_a_test():
    this = Path(__file__).resolve()
    tests = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.resolve() != this
    )
    named = set(re.findall(r"\w+", tests))
    unnamed = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in service_modules()
        for name in public_functions(path)
        if name not in named
    ]

    assert not unnamed, "services no test names:\n" + "\n".join(unnamed)
