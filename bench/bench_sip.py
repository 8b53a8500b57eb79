"""Build an E-ARK SIP of many case files with vbdt_records' ``archives.csip``
core, streamed to a file, and print its time and peak memory next to a
baseline measured in the same run: a plain ZIP (stored, no metadata) of the
same bytes written entry by entry with ``zipfile``.

    .venv/bin/python bench/bench_sip.py [--files 1000] [--documents 20]
            [--size 16384] [--validate] [--out DIR]

Each measurement runs in a fresh process (peak RSS is per process, from
``resource.getrusage``); the document bytes are generated on the fly,
document by document, so that the input never sits in memory. ``--validate``
also times ``archives.validate.validate_package`` on the SIP (METS/PREMIS
schemas, E-ARK Schematron rules, every SHA-256). Give the load average with
the figures: the machine may be shared."""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "addons" / "vbdt_records"))

from archives import csip, validate  # noqa: E402


def document_bytes(file_no, doc_no, size):
    """Deterministic, incompressible-looking bytes of one document."""
    seed = f"{file_no:04d}-{doc_no:03d}".encode()
    block = (seed * (64 // len(seed) + 1))[:64]
    header = b"%PDF-1.7\n"
    body = (block * (size // len(block) + 1))[: size - len(header)]
    return header + body


def submission(files, documents, size):
    def record_files():
        for file_no in range(1, files + 1):
            docs = []
            for doc_no in range(1, documents + 1):
                code = f"{doc_no}/UBND-VP"
                docs.append(
                    csip.RecordDocument(
                        doc_no,
                        code,
                        [("numberAndNotation", code), ("summary", "Về việc …")],
                        [
                            csip.Source(
                                "van-ban.pdf",
                                "application/pdf",
                                lambda f=file_no, d=doc_no: io.BytesIO(
                                    document_bytes(f, d, size)
                                ),
                            )
                        ],
                        [csip.Event("creation", datetime(2026, 3, 2, tzinfo=UTC))],
                    )
                )
            yield csip.RecordFile(
                f"{file_no:04d}.TH",
                f"Hồ sơ số {file_no}",
                [("fileCode", f"{file_no:04d}.TH"), ("title", f"Hồ sơ số {file_no}")],
                docs,
            )

    return csip.Submission(
        "UBND tỉnh Phú Thọ",
        "000.00.00.H45",
        "Lưu trữ cơ quan",
        "Bench",
        record_files(),
        package_id="uuid-bench",
    )


def run_sip(path, files, documents, size):
    with open(path, "wb") as stream:
        summary = csip.build_sip(submission(files, documents, size), stream)
    return summary.content_files


def run_baseline(path, files, documents, size):
    count = 0
    with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
        for file_no in range(1, files + 1):
            for doc_no in range(1, documents + 1):
                info = zipfile.ZipInfo(f"plain/{file_no:04d}/{doc_no:03d}.pdf")
                with archive.open(info, "w", force_zip64=True) as entry:
                    entry.write(document_bytes(file_no, doc_no, size))
                count += 1
    return count


def run_validate(path, files, documents, size):
    problems = validate.validate_package(path)
    if problems:
        raise SystemExit(f"invalid package: {problems[:5]}")
    return 0


def child(mode, path, files, documents, size):
    start = time.perf_counter()
    count = {"sip": run_sip, "zip": run_baseline, "validate": run_validate}[mode](
        path, files, documents, size
    )
    elapsed = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {rss:.1f} {count}")


def measure(mode, path, args):
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--path", str(path)]
        + [
            f"--files={args.files}",
            f"--documents={args.documents}",
            f"--size={args.size}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), float(output[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--size", type=int, default=16384)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--out")
    parser.add_argument("--child")
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path, args.files, args.documents, args.size)
        return
    folder = Path(args.out or tempfile.mkdtemp(prefix="vbdt-bench-sip-"))
    folder.mkdir(parents=True, exist_ok=True)
    sip, plain = folder / "sip.zip", folder / "plain.zip"
    total = args.files * args.documents
    print(
        f"{args.files} files x {args.documents} documents = {total} documents of "
        f"{args.size} bytes ({total * args.size / 2**20:.0f} MiB); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    rows = [("plain ZIP (baseline)", *measure("zip", plain, args), plain)]
    rows.append(("E-ARK SIP (csip.build_sip)", *measure("sip", sip, args), sip))
    if args.validate:
        rows.append(("SIP validation", *measure("validate", sip, args), sip))
    print(f"{'':30} {'seconds':>9} {'peak RSS MiB':>13} {'file MiB':>9}")
    for label, seconds, rss, path in rows:
        size = path.stat().st_size / 2**20
        print(f"{label:30} {seconds:9.2f} {rss:13.1f} {size:9.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.out:
        for path in (sip, plain):
            path.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
