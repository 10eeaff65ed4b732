"""Summarise wapiti's JSON reports by severity: ``python scripts/wapiti_summary.py OUT.md
LABEL=REPORT.json [LABEL=REPORT.json …]``.

Prints a Markdown table (and writes it to OUT.md): for each scan, the vulnerabilities and
anomalies (server errors, timeouts) by wapiti's levels (4 critical, 3 high, 2 medium, 1 low),
then every finding with its category, request and wapiti's words. Exits 1 when any finding is
medium or above, 0 otherwise. Used by ``scripts/security-scan``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low"}
FAIL_LEVEL = 2  # medium


@dataclass
class Finding:
    scan: str
    kind: str  # "vulnerability" or "anomaly"
    category: str
    level: int
    method: str
    path: str
    parameter: str
    info: str


def read_report(scan: str, path: Path) -> tuple[list[Finding], dict[str, str]]:
    report = json.loads(path.read_text())
    findings = []
    for section, kind in (("vulnerabilities", "vulnerability"), ("anomalies", "anomaly")):
        for category, items in report.get(section, {}).items():
            for item in items:
                findings.append(
                    Finding(
                        scan,
                        kind,
                        category,
                        int(item.get("level") or 1),
                        item.get("method", ""),
                        item.get("path", ""),
                        item.get("parameter", ""),
                        " ".join(str(item.get("info", "")).split()),
                    )
                )
    return findings, report.get("infos", {})


def render(scans: list[tuple[str, list[Finding], dict[str, str]]]) -> str:
    header = "| scan | " + " | ".join(LEVELS.values()) + " |"
    lines = [header, "|---" * (len(LEVELS) + 1) + "|"]
    for scan, findings, _infos in scans:
        counts = [sum(1 for f in findings if f.level == level) for level in LEVELS]
        lines.append(f"| {scan} | " + " | ".join(str(n) for n in counts) + " |")
    every = [f for _scan, findings, _infos in scans for f in findings]
    if every:
        lines += ["", "| scan | level | category | request | details |", "|---|---|---|---|---|"]
        for f in sorted(every, key=lambda f: (-f.level, f.scan, f.category, f.path)):
            where = f"{f.method} {f.path}" + (f" ({f.parameter})" if f.parameter else "")
            details = f.info.replace("|", "\\|")
            lines.append(
                f"| {f.scan} | {LEVELS.get(f.level, f.level)} | {f.category} | {where} | "
                f"{details} |"
            )
    for scan, _findings, infos in scans:
        if infos:
            lines.append("")
            lines.append(
                f"{scan}: {infos.get('version', 'wapiti')}, target {infos.get('target', '?')}, "
                f"scope {infos.get('scope', '?')}, {infos.get('date', '')}"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) < 2 or any("=" not in arg for arg in argv[1:]):
        print(__doc__, file=sys.stderr)
        return 2
    scans = []
    for arg in argv[1:]:
        label, path = arg.split("=", 1)
        findings, infos = read_report(label, Path(path))
        scans.append((label, findings, infos))
    text = render(scans)
    Path(argv[0]).write_text(text)
    print(text, end="")
    serious = sum(1 for _scan, findings, _infos in scans for f in findings if f.level >= FAIL_LEVEL)
    if serious:
        print(f"\n{serious} finding(s) of medium severity or above.")
        return 1
    print("\nNo finding of medium severity or above.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
