#!/usr/bin/env python3
"""Benchmark: the edXML parser on the hostile packages of issue 10.

For each package of ``tests/edxml/hostile_packages.py`` (ten ZIP bombs of
95 MiB each in a 1.3 MB package, 25,000 and 200,000 nested elements, 200,000
sibling elements), ``edxml.parse`` runs in a fresh child process, once with
this tree's parser and once with the baseline parser of another git
revision (default ``main``, exported with ``git archive``).  The child reads
the package from a file, notes its RSS, parses (or is refused), and reports
the wall time, the outcome and the growth of its peak RSS (``ru_maxrss``)
over the RSS it had with the package in memory.  A child still running after
``--timeout`` seconds is killed and reported as such.

Target (issue 10): each package refused or parsed within 1 s and within
64 MiB above the package size.  The report is printed and written to
``bench/out/bench_edxml_hostile.txt``.

Usage: .venv/bin/python bench/bench_edxml_hostile.py [--baseline main] [--timeout 60]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MiB = 1 << 20
TARGET_SECONDS = 1.0
TARGET_MIB = 64

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import edxml
data = open(sys.argv[2], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
try:
    edxml.parse(data)
    outcome = "parsed"
except edxml.EdxmlError as error:
    outcome = "refused: " + str(error)[:90]
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(
    json.dumps(
        {"seconds": seconds, "growth_kib": max(peak - before, 0), "outcome": outcome}
    )
)
"""


def run(addon_dir: Path, package: Path, timeout: float) -> dict:
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(addon_dir), str(package)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {
            "seconds": None,
            "growth_kib": None,
            "outcome": f"killed after {timeout:.0f} s",
        }
    if done.returncode:
        return {
            "seconds": None,
            "growth_kib": None,
            "outcome": f"crashed ({done.stderr.strip().splitlines()[-1][:80]})",
        }
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_baseline(revision: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "addons/vbdt_interconnect/edxml"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "addons" / "vbdt_interconnect"


def fmt(result: dict, size: int) -> str:
    if result["seconds"] is None:
        return f"{result['outcome']:<52}"
    growth = result["growth_kib"] / 1024
    ok = result["seconds"] <= TARGET_SECONDS and growth <= TARGET_MIB + size / MiB
    return (
        f"{result['seconds']:7.3f} s {growth:8.1f} MiB {'ok ' if ok else 'MISS'} "
        f"{result['outcome'][:40]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--baseline", default="main", help="git revision of the baseline"
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    sys.path[:0] = [
        str(ROOT / "addons" / "vbdt_interconnect"),
        str(ROOT / "tests" / "edxml"),
    ]
    from hostile_packages import HOSTILE

    load = os.getloadavg()
    lines = [
        f"edXML parser on hostile packages (target: <= {TARGET_SECONDS:.0f} s and "
        f"<= {TARGET_MIB} MiB above the package size); load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        baseline = export_baseline(args.baseline, Path(tmp))
        for name, make in HOSTILE.items():
            data = make()
            package = Path(tmp) / "package.edxml"
            package.write_bytes(data)
            ours = run(ROOT / "addons" / "vbdt_interconnect", package, args.timeout)
            base = run(baseline, package, args.timeout)
            lines.append(f"{name} ({len(data) / MiB:.2f} MiB)")
            lines.append(f"  this tree : {fmt(ours, len(data))}")
            lines.append(f"  {args.baseline:<10}: {fmt(base, len(data))}")
    report = "\n".join(lines)
    print(report)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_edxml_hostile.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
