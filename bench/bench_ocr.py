#!/usr/bin/env python3
"""Benchmark: text capture of vbdt_capture on this machine.

1. OCR throughput: generated Vietnamese letters (Decree 30 layout, Liberation
   Serif), scanned at 300 dpi with ``pdftoppm``, rotated up to 2° and, one in
   three, speckled with noise (Pillow); read by ``capture.extract_pdf_text``
   (Tesseract ``vie``, one thread per page): pages per minute.
2. Born-digital throughput: the same letters as rendered (text layer,
   ``pdftotext``): pages per second — the baseline the OCR figure sits next to.
3. Scan-to-register: the proposals (``capture.proposal.propose``) scored per
   field on ``--letters`` letters, of which ``--scanned`` go through OCR:
   precision (correct / proposed) and recall (correct / letters).

Usage: .venv/bin/python bench/bench_ocr.py [--letters 30] [--scanned 9]
Give the load average with the figures: the machine may be shared.
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for folder in (
    "addons/vbdt_capture",
    "addons/vbdt_capture/tests",
    "addons/vbdt_document",
):
    sys.path.insert(0, os.path.join(ROOT, folder))

import letters  # noqa: E402
from capture import extract_pdf_text  # noqa: E402
from capture.proposal import propose  # noqa: E402

AGENCIES = [(code, name) for code, name, *_ in letters.AGENCIES]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=30)
    parser.add_argument("--scanned", type=int, default=9)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}  cpus: {os.cpu_count()}")
    letter_set = letters.make_letters(args.letters)
    texts = {}

    started = time.perf_counter()
    for letter in letter_set:
        texts[letter.number, letter.notation] = extract_pdf_text(letter.pdf).text
    digital = time.perf_counter() - started

    scanned = letter_set[: args.scanned]
    ocr_seconds, pages = 0.0, 0
    for index, letter in enumerate(scanned):
        angle = 0.0 if index % 3 == 0 else (-1.5 if index % 2 else 1.2)
        image_pdf = letters.scan(
            letter.pdf,
            dpi=300,
            angle=angle,
            noise=0.004 if index % 3 == 2 else 0.0,
            seed=index,
        )
        started = time.perf_counter()
        result = extract_pdf_text(image_pdf)
        ocr_seconds += time.perf_counter() - started
        pages += result.ocr_pages
        texts[letter.number, letter.notation] = result.text

    def proposals_of(letter):
        return propose(texts[letter.number, letter.notation], AGENCIES, letters.TYPES)

    print(
        f"\nborn-digital: {len(letter_set)} pages in {digital:.2f} s = "
        f"{len(letter_set) / digital:.1f} pages/s (text layer, pdftotext)"
    )
    if pages:
        print(
            f"OCR 300 dpi:  {pages} pages in {ocr_seconds:.1f} s = "
            f"{60 * pages / ocr_seconds:.2f} pages/min (tesseract vie, 1 thread)"
        )
    print(
        f"\nproposals on {len(letter_set)} letters ({len(scanned)} scanned, "
        "a third rotated, a third rotated and noisy):"
    )
    print(f"{'field':<16} {'precision':>10} {'recall':>8}   (correct/proposed/total)")
    table = letters.score(letter_set, proposals_of)
    for field, (correct, proposed, total) in table.items():
        precision = correct / proposed if proposed else 0.0
        print(
            f"{field:<16} {precision:>10.2f} {correct / total:>8.2f}   "
            f"({correct}/{proposed}/{total})"
        )
    scanned_only = letters.score(scanned, proposals_of)
    print(f"\nof which the {len(scanned)} scans:")
    for field, (correct, proposed, total) in scanned_only.items():
        precision = correct / proposed if proposed else 0.0
        print(
            f"{field:<16} {precision:>10.2f} {correct / total:>8.2f}   "
            f"({correct}/{proposed}/{total})"
        )
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
