#!/usr/bin/env python3
"""Benchmark: peak memory of receiving a package with large attachments.

Builds one edXML package carrying ``--files`` attachments of ``--mib`` MiB
each (random bytes, so nothing compresses; default 10 x 15 MiB, a 200 MiB
package) and writes it to a temporary file.  A fresh child process then does
what the inbox does with it: reads the package's bytes (the inbox record's
evidence attachment), parses it, and stores each attachment as a file (one
file written per attachment, as ``ir.attachment`` writes the filestore).

- *before*: the parser of a baseline git revision (default ``main``), which
  decodes every attachment into memory, all of them held by the package
  while the files are stored;
- *after*: this tree's ``edxml.parse(..., spool=True)``: the attachments stay
  in temporary files and each is read only when it is stored, then released
  (``Attachment.read_content``), as ``_vbdt_create_from_edxml`` does.

Each child reports the wall time and the growth of its peak RSS (``VmHWM``,
reset through ``/proc/self/clear_refs`` once the package's bytes are in
memory) over its RSS at that moment.  Linux only.
The report is printed and written to ``bench/out/bench_edxml_inbox_memory.txt``.

Usage: .venv/bin/python bench/bench_edxml_inbox_memory.py [--files 10] [--mib 15]
       [--baseline main]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MiB = 1 << 20

CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])
import edxml
MiB = 1 << 20
addon, package_path, mode, store = sys.argv[1:5]
limits = edxml.Limits(max_package_bytes=1024 * MiB, max_total_bytes=1024 * MiB)
def status_kib(name):
    for line in open("/proc/self/status"):
        if line.startswith(name + ":"):
            return int(line.split()[1])
data = open(package_path, "rb").read()
# Reset the peak (VmHWM) once the package is in memory: reading it costs a
# transient second copy that is not the parser's.
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
before = status_kib("VmRSS")
start = time.perf_counter()
if mode == "spool":
    package = edxml.parse(data, limits=limits, spool=True)
else:
    package = edxml.parse(data, limits=limits)
for index, attachment in enumerate(package.attachments):
    content = attachment.read_content() if mode == "spool" else attachment.content
    with open(os.path.join(store, str(index)), "wb") as out:
        out.write(content)
    del content
seconds = time.perf_counter() - start
peak = status_kib("VmHWM")
print(json.dumps({"seconds": seconds, "growth_kib": max(peak - before, 0)}))
"""


def build_package(files: int, mib: int) -> bytes:
    import edxml

    return edxml.build_document(
        edxml.DocumentPackage(
            sender=edxml.Organization(organ_id="000.00.00.H44", organ_name="Sở"),
            recipients=[edxml.Organization(organ_id="000.00.24.H44")],
            code=edxml.Code(code_number="1", code_notation="CV-BENCH"),
            promulgation_info=edxml.PromulgationInfo(
                promulgation_date=datetime.date(2026, 12, 2)
            ),
            subject="Hồ sơ kèm tệp lớn",
            attachments=[
                edxml.Attachment(
                    content_id=str(index),
                    attachment_name=f"tep-{index}.bin",
                    content=os.urandom(mib * MiB),
                    content_type="application/octet-stream",
                )
                for index in range(1, files + 1)
            ],
        )
    )


def run(addon_dir: Path, package: Path, mode: str, store: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(addon_dir), str(package), mode, str(store)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1][:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--mib", type=int, default=15)
    parser.add_argument("--baseline", default="main")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT / "addons" / "vbdt_interconnect"), str(ROOT / "bench")]
    from bench_edxml_hostile import export_baseline

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "package.edxml"
        data = build_package(args.files, args.mib)
        package.write_bytes(data)
        size = len(data)
        del data
        store = Path(tmp) / "store"
        store.mkdir()
        (Path(tmp) / "baseline").mkdir()
        baseline = export_baseline(args.baseline, Path(tmp) / "baseline")
        ours = ROOT / "addons" / "vbdt_interconnect"
        rows = [
            (
                f"before ({args.baseline}, in memory)",
                run(baseline, package, "eager", store),
            ),
            ("after (this tree, spooled)", run(ours, package, "spool", store)),
        ]
    load = os.getloadavg()
    lines = [
        f"Receiving one package of {size / MiB:.0f} MiB with {args.files} attachments "
        f"of {args.mib} MiB: parse + store each file; peak RSS growth over the RSS "
        f"with the package's bytes in memory; load average "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        "",
    ]
    for label, result in rows:
        if "error" in result:
            lines.append(f"  {label:<36} failed: {result['error']}")
        else:
            lines.append(
                f"  {label:<36} {result['seconds']:7.2f} s "
                f"{result['growth_kib'] / 1024:8.1f} MiB"
            )
    report = "\n".join(lines)
    print(report)
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_edxml_inbox_memory.txt").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
