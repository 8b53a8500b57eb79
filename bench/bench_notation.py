"""Cost of the notation core's per-save and per-search helpers.

``fold_text`` runs on every document save (``search_text``) and every search;
``parse_code`` on every incoming document. Prints microseconds per call.

    .venv/bin/python bench/bench_notation.py
"""

import sys
import timeit
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent / "addons" / "vbdt_document")
)

from notation import fold_text, format_document_id, parse_code  # noqa: E402

SUBJECT = "V/v kết nối, liên thông phần mềm quản lý văn bản và điều hành " * 3
CASES = {
    f"fold_text ({len(SUBJECT)} chars)": lambda: fold_text(SUBJECT),
    "parse_code('15/QĐ-UBND')": lambda: parse_code("15/QĐ-UBND"),
    "parse_code('09/2025/NĐ-CP')": lambda: parse_code("09/2025/NĐ-CP"),
    "format_document_id": lambda: format_document_id(
        "000.00.00.H44", __import__("datetime").date(2026, 2, 5), "15/QĐ-UBND"
    ),
}


def main(rounds=20_000):
    print(f"{'call':40} {'µs/call (best of 5)':>20}")
    for name, call in CASES.items():
        best = min(timeit.repeat(call, number=rounds, repeat=5))
        print(f"{name:40} {best / rounds * 1e6:20.2f}")


if __name__ == "__main__":
    main()
