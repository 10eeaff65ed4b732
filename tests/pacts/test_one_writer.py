"""Only the pact services write a pact's status and its events (docs/architecture.md, "Every
pact write in one place"): the importer, the seeders, the views and every other app go through
``cocity.pacts.services``. The check reads the source: a direct write anywhere else fails it
with the file and line."""

from __future__ import annotations

import ast
from pathlib import Path

import cocity

ROOT = Path(cocity.__file__).parent
WRITER = ROOT / "pacts" / "services"
WRITES = {"create", "bulk_create", "update", "bulk_update", "get_or_create", "update_or_create"}


def _chain(node: ast.expr) -> list[str]:
    """``Pact.objects.filter(...).update`` as ["Pact", "objects", "filter", "update"]."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names[::-1]
        else:
            return names[::-1]


def direct_writes(source: str) -> list[tuple[int, str]]:
    """The lines of ``source`` that write a pact's status or a ``PactEvent`` themselves."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            chain = _chain(node.func)
            keywords = {k.arg for k in node.keywords}
            if chain[:1] == ["PactEvent"] and (len(chain) == 1 or chain[-1] in WRITES):
                found.append((node.lineno, "writes a PactEvent"))
            elif chain[:1] == ["Pact"] and "status" in keywords:
                if len(chain) == 1 or chain[-1] in WRITES:
                    found.append((node.lineno, "writes Pact.status"))
            elif chain[-1:] in (["bulk_insert"], ["bulk_insert_rows"]) and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id in {"Pact", "PactEvent"}:
                    found.append((node.lineno, f"bulk-writes {first.id}"))
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "status"
                    and "pact" in ast.unparse(target.value).lower()
                ):
                    found.append((node.lineno, "sets a pact's status"))
    return found


def test_no_code_outside_the_pact_services_writes_a_status_or_an_event():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if WRITER in path.parents or "migrations" in path.parts:
            continue
        for line, what in direct_writes(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT.parent)}:{line}: {what}")
    assert offenders == []


def test_the_check_sees_each_kind_of_direct_write():
    source = """
PactEvent.objects.create(pact=pact, action="x")
events.append(PactEvent(pact=pact, action="x"))
Pact.objects.filter(pk=1).update(status="active")
Pact(municipality=m, status="active")
pact.status = "active"
self.pact.status = "active"
bulk_insert(PactEvent, events)
adhesion.status = "accepted"
Pact.objects.filter(status="active").count()
"""
    assert sorted(line for line, _what in direct_writes(source)) == [2, 3, 4, 5, 6, 7, 8]
