"""Export a case file of many PDFs as one PDF with vbdt_records'
``archives.export.merge_pdfs`` (the core of /vbdt_records/export/<id>.pdf)
and print its time and peak memory next to a baseline measured in the same
run: poppler's ``pdfunite`` joining the same files.

    .venv/bin/python bench/bench_records_export.py [--pdfs 300] [--pages 4]
            [--out DIR]

The input PDFs (text pages drawn by reportlab, each with an embedded image
of ~40 KiB so that a page is not trivially small) are written to disk
first; each measurement runs in a fresh process that reads them from disk
and writes the result to disk (peak RSS is per process, from
``resource.getrusage``). The cover is a one-page PDF, as the QWeb cover
would be (wkhtmltopdf is not timed here). Give the load average with the
figures: the machine may be shared."""

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "addons" / "vbdt_records"))

from archives import export  # noqa: E402


def make_inputs(folder, pdfs, pages):
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    paths = []
    for number in range(1, pdfs + 1):
        image = Image.frombytes("L", (200, 200), os.urandom(200 * 200))
        path = folder / f"{number:04d}.pdf"
        pdf = canvas.Canvas(str(path))
        for page in range(1, pages + 1):
            pdf.drawString(72, 720, f"Văn bản {number}, trang {page}")
            pdf.drawImage(ImageReader(image), 72, 400, 200, 200)
            pdf.showPage()
        pdf.save()
        paths.append(path)
    return paths


def cover_pdf(_result):
    from reportlab.pdfgen import canvas

    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    pdf.drawString(72, 720, "HO SO / CASE FILE")
    pdf.showPage()
    pdf.save()
    return stream.getvalue()


def run_merge(inputs, out):
    parts = [
        export.Part(path.name, lambda path=path: open(path, "rb")) for path in inputs
    ]
    with open(out, "wb") as stream:
        result = export.merge_pdfs(parts, stream, cover_pdf)
    return result.page_count


def run_pdfunite(inputs, out):
    subprocess.run(["pdfunite", *map(str, inputs), str(out)], check=True)
    return 0


def child(mode, folder, out):
    inputs = sorted(Path(folder).glob("*.pdf"))
    start = time.perf_counter()
    pages = {"merge": run_merge, "pdfunite": run_pdfunite}[mode](inputs, out)
    elapsed = time.perf_counter() - start
    usage = resource.RUSAGE_SELF if mode == "merge" else resource.RUSAGE_CHILDREN
    rss = resource.getrusage(usage).ru_maxrss / 1024
    print(f"{elapsed:.2f} {rss:.1f} {pages}")


def measure(mode, folder, out):
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--path", str(folder)]
        + ["--out-file", str(out)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), float(output[1]), int(output[2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=300)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--out")
    parser.add_argument("--child")
    parser.add_argument("--path")
    parser.add_argument("--out-file")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.path, args.out_file)
        return
    folder = Path(args.out or tempfile.mkdtemp(prefix="vbdt-bench-export-"))
    inputs_dir = folder / "inputs"
    inputs_dir.mkdir(parents=True, exist_ok=True)
    inputs = make_inputs(inputs_dir, args.pdfs, args.pages)
    size = sum(path.stat().st_size for path in inputs) / 2**20
    print(
        f"{args.pdfs} PDFs x {args.pages} pages ({size:.1f} MiB in); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    merged, united = folder / "export.pdf", folder / "pdfunite.pdf"
    rows = []
    if shutil.which("pdfunite"):
        rows.append(("pdfunite (baseline)", *measure("pdfunite", inputs_dir, united)))
    rows.append(("export.merge_pdfs + cover", *measure("merge", inputs_dir, merged)))
    print(f"{'':28} {'seconds':>9} {'peak RSS MiB':>13} {'pages':>6} {'MiB out':>8}")
    for label, seconds, rss, pages in rows:
        path = merged if "merge" in label else united
        out_size = path.stat().st_size / 2**20
        shown = str(pages) if pages else "-"
        print(f"{label:28} {seconds:9.2f} {rss:13.1f} {shown:>6} {out_size:8.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if not args.out:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
