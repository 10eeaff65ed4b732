"""Every test module stands alone: none imports another test module (``test_*``) or a
``conftest``. What tests share lives in modules of their own (``tests/<app>/factories.py``,
``tests/browser/support.py``, ``tests/documents.py``) or in fixtures, which pytest hands over
without an import."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _forbidden(name: str) -> bool:
    return name == "conftest" or name.startswith("test_")


def leaning_imports(source: str, package: str = "tests") -> list[str]:
    """The imports in ``source`` (a module of the package ``package``) of a test module or a
    conftest of the tests, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                alias.name
                for alias in node.names
                if alias.name.split(".")[0] == "tests"
                and any(_forbidden(part) for part in alias.name.split("."))
            ]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: inside the tests' package
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{module}" if module else base
            if module.split(".")[0] != "tests":
                continue
            if any(_forbidden(part) for part in module.split(".")):
                found.append(module)
            found += [f"{module}.{a.name}" for a in node.names if _forbidden(a.name)]
    return found


def test_the_check_finds_a_test_module_or_a_conftest_imported():
    sample = "\n".join(
        [
            "import os",
            "from tests.pacts.factories import PactFactory",
            "from tests.pacts.test_workflow import Rollback",
            "from tests.browser.conftest import screenshot",
            "import tests.api.test_tokens",
            "from tests.pacts import test_permissions",
            "from .conftest import upload",
            "from . import test_views",
            "def f():",
            "    from tests.commons.conftest import add_commons",
        ]
    )

    assert leaning_imports(sample, package="tests.commons") == [
        "tests.pacts.test_workflow",
        "tests.browser.conftest",
        "tests.api.test_tokens",
        "tests.pacts.test_permissions",
        "tests.commons.conftest",
        "tests.commons.test_views",
        "tests.commons.conftest",
    ]
    assert leaning_imports("from tests.documents import pdf_bytes\nimport pytest\n") == []


def test_no_test_imports_another_test_module_or_a_conftest():
    leaning = {}
    for path in sorted(TESTS.rglob("*.py")):
        package = ".".join(("tests", *path.parent.relative_to(TESTS).parts))
        found = leaning_imports(path.read_text(encoding="utf-8"), package=package)
        if found:
            leaning[str(path.relative_to(TESTS.parent))] = found

    assert not leaning, "move what they share to a support module or a fixture:\n" + "\n".join(
        f"{path}: {', '.join(names)}" for path, names in leaning.items()
    )
