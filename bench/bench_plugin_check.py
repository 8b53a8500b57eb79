#!/usr/bin/env python3
"""Benchmark: what the server spends on a browser signing plugin's PDF.

For a Decree 30 draft of 1 and 20 pages: preparing the document handed to
the plugin (number and date fields, ``/SigFlags``) and checking the PDF the
plugin returns (``pades.plugin.check_plugin_output``: prefix, one new
signature over the whole file, pyHanko difference analysis). The plugin is
simulated by pyHanko signing with the test PKI's person key, not timed. The
Odoo layer then verifies the signature as for any other (not measured here).
Figures are medians of ``--repeat`` runs.

Usage: .venv/bin/python bench/bench_plugin_check.py [--repeat K]
"""

import argparse
import os
import statistics
import sys
import time
from io import BytesIO

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "addons", "vbdt_signature"))

from demo import documents as demo  # noqa: E402
from demo import testpki  # noqa: E402
from pades.plugin import check_plugin_output, prepare_for_plugin  # noqa: E402
from pades.stamping import prepare_fields  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import signers  # noqa: E402


def _median_ms(action, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with testpki.serve_test_pki() as pki:
        signer = signers.SimpleSigner.load_pkcs12_data(
            pki.person.pkcs12(), [], passphrase=testpki.PKCS12_PASSWORD.encode()
        )
        for pages in (1, 20):
            draft = demo.demo_document_pdf(pages=pages)
            prepared = prepare_for_plugin(prepare_fields(draft))
            out = BytesIO()
            signers.sign_pdf(
                IncrementalPdfFileWriter(BytesIO(prepared)),
                signers.PdfSignatureMetadata(field_name="VGCA_Signature"),
                signer,
                output=out,
            )
            signed = out.getvalue()
            prepare_ms = _median_ms(
                lambda d=draft: prepare_for_plugin(prepare_fields(d)), args.repeat
            )
            check_ms = _median_ms(
                lambda p=prepared, s=signed: check_plugin_output(p, s), args.repeat
            )
            print(
                f"{pages:>2} page(s), signed PDF {len(signed) // 1024} KiB: "
                f"prepare {prepare_ms:.0f} ms, check {check_ms:.0f} ms"
            )


if __name__ == "__main__":
    main()
