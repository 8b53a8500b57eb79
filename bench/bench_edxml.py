#!/usr/bin/env python3
"""Benchmark: build, validate and parse edXML packages with large attachments.

For each attachment size (default 1, 10 and 50 MB of random, PDF-like,
incompressible bytes), three phases each run in a fresh child process, so
that the peak RSS (``ru_maxrss``) belongs to that phase alone:

- ``build``: ``edxml.build_document`` (includes the XSD check), written to a
  temporary file;
- ``raw``: the baseline -- read the file, lxml-parse it with the same safe
  parser settings, base64-decode the attachment text
  (``binascii.a2b_base64``, the fastest stock decoder);
- ``ours``: read the file, ``edxml.validate`` then ``edxml.parse``.

Each child first warms up on a small package (XSD compiled, caches filled,
as in a running server).  Times are the best of ``--repeat`` runs in CPU
seconds (stable on a shared machine; the wall-clock ratio is shown too);
memory is the peak RSS growth of the first run, measured from before the
package is read (so it includes the bytes the caller holds), plus
tracemalloc's peak of Python allocations (libxml2's own buffers are
invisible to tracemalloc, hence RSS).  Targets:
parse+validate at least 0.5x the raw speed, peak RSS under 3x the package.
The report is printed and written to bench/out/bench_edxml.txt.

Usage: .venv/bin/python bench/bench_edxml.py [--sizes 1 10 50] [--repeat 7]
"""

from __future__ import annotations

import argparse
import binascii
import gc
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "addons" / "vbdt_interconnect"))

from edxml import (  # noqa: E402  (the addon folder must be on the path first)
    Attachment,
    Code,
    DocumentPackage,
    Organization,
    PromulgationInfo,
    build_document,
    parse,
    validate,
)
from edxml._xml import safe_parser  # noqa: E402
from lxml import etree  # noqa: E402

MB = 1 << 20
SPEED_TARGET = 0.5
MEMORY_TARGET = 3.0


def main() -> None:
    args = _arguments()
    if args.child:
        print(json.dumps(_run_phase(args.child, Path(args.file), args.repeat)))
        return
    rows = [_measure_size(size, args.repeat) for size in args.sizes]
    report = _report(rows)
    print(report)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "bench_edxml.txt").write_text(report + "\n", encoding="utf-8")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1, 10, 50], help="in MB"
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--child", choices=["build", "raw", "ours"], help=argparse.SUPPRESS
    )
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


# ----------------------------------------------------------- parent side


def _measure_size(size_mb: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench_edxml_") as tmp:
        path = Path(tmp) / f"{size_mb}.edxml"
        path.write_text(
            str(size_mb)
        )  # the build child reads the size, writes the package
        build = _child("build", path, repeat)
        raw = _child("raw", path, repeat)
        ours = _child("ours", path, repeat)
    package = build["package_bytes"]
    return {
        "size_mb": size_mb,
        "package_mb": package / MB,
        "build_s": build["cpu_seconds"],
        "raw_mbps": package / MB / raw["cpu_seconds"],
        "ours_mbps": package / MB / ours["cpu_seconds"],
        "ratio": raw["cpu_seconds"] / ours["cpu_seconds"],
        "wall_ratio": raw["wall_seconds"] / ours["wall_seconds"],
        "ours_rss_mb": ours["rss_bytes"] / MB,
        "ours_rss_x": ours["rss_bytes"] / package,
        "raw_rss_mb": raw["rss_bytes"] / MB,
        "ours_py_peak_mb": ours["python_peak_bytes"] / MB,
        "build_rss_mb": build["rss_bytes"] / MB,
    }


def _child(phase: str, path: Path, repeat: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        phase,
        "--file",
        str(path),
        "--repeat",
        str(repeat),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def _report(rows: list[dict[str, float]]) -> str:
    header = (
        f"{'attachment':>10} {'package':>8} {'build':>7} {'raw':>9} {'parse+val':>9} "
        f"{'ratio':>6} "
        f"{'wall':>5} {'peak RSS':>9} {'x pkg':>6} {'raw RSS':>8} {'py peak':>8} "
        f"{'build RSS':>9}"
    )
    lines = [header, "-" * len(header)]
    verdicts = []
    for row in rows:
        lines.append(
            f"{row['size_mb']:>7} MB {row['package_mb']:>5.1f} MB "
            f"{row['build_s']:>6.2f}s "
            f"{row['raw_mbps']:>4.0f} MB/s {row['ours_mbps']:>4.0f} MB/s "
            f"{row['ratio']:>5.2f}x "
            f"{row['wall_ratio']:>4.2f}x {row['ours_rss_mb']:>6.1f} MB "
            f"{row['ours_rss_x']:>5.2f}x "
            f"{row['raw_rss_mb']:>5.1f} MB {row['ours_py_peak_mb']:>5.1f} MB "
            f"{row['build_rss_mb']:>6.1f} MB"
        )
        passed = row["ratio"] >= SPEED_TARGET and row["ours_rss_x"] < MEMORY_TARGET
        verdicts.append(f"{row['size_mb']} MB {'PASS' if passed else 'FAIL'}")
    lines += [
        "",
        "raw = lxml parse + base64 decode of the attachment (baseline); parse+val = "
        "edxml.validate then edxml.parse.",
        "Speeds: MB of package per CPU second (best of the runs; CPU time because the "
        "machine may be shared); ratio = parse+val speed / raw speed; wall = the same "
        "ratio in wall-clock time.",
        "peak RSS = growth of the child's peak RSS from before the package was read "
        "(so it includes the package bytes); py peak = tracemalloc peak; build: CPU "
        "seconds and RSS growth of build_document incl. its XSD check (attachment "
        "already in memory).",
        f"targets: ratio >= {SPEED_TARGET}, peak RSS < {MEMORY_TARGET}x package: "
        + ", ".join(verdicts),
        f"python {sys.version.split()[0]}, lxml {etree.__version__}, libxml2 "
        + ".".join(map(str, etree.LIBXML_VERSION)),
    ]
    return "\n".join(lines)


# ------------------------------------------------------------ child side


def _run_phase(phase: str, path: Path, repeat: int) -> dict[str, float]:
    """Measure one phase.  For raw/ours the RSS growth counts from before the
    package is read, so it includes the package bytes; for build it counts
    from after the attachment exists (the caller holds it anyway)."""
    if phase == "build":
        _warm_up(build_document)
        package = _sample_package(int(path.read_text()) * MB)
        gc.collect()
        results = _measured(lambda: build_document(package), repeat, _max_rss())
        data = build_document(package)
        path.write_bytes(data)
        return {**results, "package_bytes": len(data)}
    work = {"raw": _raw_baseline, "ours": _validate_and_parse}[phase]
    _warm_up(lambda package: work(build_document(package)))
    rss_before = _max_rss()
    data = path.read_bytes()
    return _measured(lambda: work(data), repeat, rss_before)


def _warm_up(work: Callable[[DocumentPackage], object]) -> None:
    """Pay one-time costs (XSD compilation, caches) as a running server has."""
    work(_sample_package(64 << 10))
    gc.collect()


def _sample_package(attachment_bytes: int) -> DocumentPackage:
    """A package with one random (incompressible, like a scanned PDF) file,
    written piecewise so that making it does not itself double the memory."""
    content = io.BytesIO()
    content.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for _ in range(attachment_bytes // MB):
        content.write(os.urandom(MB))
    content.write(os.urandom(attachment_bytes % MB) + b"\n%%EOF\n")
    return DocumentPackage(
        sender=Organization(organ_id="000.00.00.H44", organ_name="UBND tỉnh Phú Thọ"),
        recipients=[
            Organization(organ_id="000.00.24.H44", organ_name="UBND huyện Lâm Thao")
        ],
        code=Code(code_number="15", code_notation="QĐ-UBND"),
        promulgation_info=PromulgationInfo(
            place="Phú Thọ", promulgation_date=date(2026, 2, 5)
        ),
        subject="Benchmark package",
        attachments=[
            Attachment(
                content_id="1",
                attachment_name="scan.pdf",
                content=content.getvalue(),
                content_type="application/pdf",
            )
        ],
    )


def _raw_baseline(data: bytes) -> None:
    root = etree.fromstring(data, safe_parser())
    text = next(root.iter("{*}ContentTransferEncoded")).text
    binascii.a2b_base64(text)


def _validate_and_parse(data: bytes) -> None:
    assert validate(data) == []
    parse(data)


def _measured(
    work: Callable[[], object], repeat: int, rss_before: int
) -> dict[str, float]:
    """Peak RSS growth after the first run; best CPU and wall times of
    ``repeat`` runs; then tracemalloc's peak over one more run (tracing
    slows it down, so it is not timed)."""
    cpu_times, wall_times = [], []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        cpu_times.append(time.process_time() - cpu)
        wall_times.append(time.perf_counter() - wall)
        if len(cpu_times) == 1:
            rss_growth = _max_rss() - rss_before
        gc.collect()
    tracemalloc.start()
    work()
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "cpu_seconds": min(cpu_times),
        "wall_seconds": min(wall_times),
        "rss_bytes": rss_growth,
        "python_peak_bytes": python_peak,
    }


def _max_rss() -> int:
    """Peak resident set size of this process in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    main()
