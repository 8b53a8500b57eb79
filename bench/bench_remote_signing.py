#!/usr/bin/env python3
"""Benchmark: the server's two phases of a remote signature, one and a batch.

Against the local fake providers (``vbdt_signature/demo/fake_remote.py``,
real HTTP on 127.0.0.1, confirmation delay 0: the human wait is excluded),
for a one-page Decree 30 draft:

- phase 1: prepare the PDF (``begin_signing``: fields, appearance, chain
  checks, digest) and send the request (``provider.start``);
- phase 2: fetch the result (``provider.poll``) and finish the PDF
  (``finish_signing``: embed, check the value against the certificate);

for one document and for a batch of ``--batch`` documents in one request,
per provider (VNPT SmartCA, Viettel MySign). The baseline, measured in the
same run, is server-side signing of the same draft with a PKCS#12 key in
memory (``sign_pdf``), per document. Figures are medians of ``--repeat``
runs; wall and CPU time (this process; the fake server's thread is inside
it). The Odoo layer adds verification of the signed PDF and the writes
(as for server-side signing), not measured here.

Usage: .venv/bin/python bench/bench_remote_signing.py [--repeat K] [--batch N]
"""

import argparse
import os
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "addons", "vbdt_signature"))

from demo import documents as demo  # noqa: E402
from demo import testpki  # noqa: E402
from demo.fake_remote import (  # noqa: E402
    CLIENT_ID,
    CLIENT_SECRET,
    FakeProviders,
    account_from_credential,
)
from pades.backends import Pkcs12Backend  # noqa: E402
from pades.deferred import begin_signing, finish_signing  # noqa: E402
from pades.remote import (  # noqa: E402
    Account,
    Connection,
    Job,
    provider_for,
    raw_signature,
)
from pades.signer import PersonAppearance, SigningOptions, sign_pdf  # noqa: E402

USER = "025090000123"
BASES = {"vnpt_smartca": "/sca/sp769", "viettel_mysign": ""}


def timed(action, repeat):
    action()
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def measure(provider, account, chain, draft, appearance, options, size):
    """The two phases of ``size`` documents in one request, as callables."""
    state = {}

    def phase1():
        pendings = [
            begin_signing(draft, chain, appearance, options=options)
            for _ in range(size)
        ]
        job = Job(
            "bench",
            tuple(p.digest for p in pendings),
            document_ids=tuple(f"VB-{i}" for i in range(size)),
        )
        state.update(pendings=pendings, job=job, progress=provider.start(account, job))

    def phase2():
        progress = provider.poll(account, state["progress"].transaction_id)
        values = progress.values_for(state["job"])
        for pending, value in zip(state["pendings"], values, strict=True):
            finish_signing(pending, raw_signature(value), options)

    return [("phase 1 (prepare + send)", phase1), ("phase 2 (fetch + finish)", phase2)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    pki = testpki.build_test_pki()
    draft = demo.demo_document_pdf(pages=1)
    appearance = PersonAppearance(
        demo.demo_signature_png(), printed_name="Nguyễn Văn An"
    )
    options = SigningOptions(trust_anchors=tuple(pki.trust_anchors))
    backend = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
    rows = []
    base_wall, base_cpu = timed(
        lambda: sign_pdf(draft, backend, appearance, options=options), args.repeat
    )
    rows.append(("baseline: sign_pdf, PKCS#12 in memory", 1, base_wall, base_cpu))
    with FakeProviders({USER: account_from_credential(pki.person)}, delay=0) as fake:
        for code, base in BASES.items():
            provider = provider_for(
                code,
                Connection(
                    fake.url + base, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
                ),
            )
            account = Account(
                USER,
                fake.accounts[USER].credential_id if code != "vnpt_smartca" else "",
            )
            chain = provider.certificate_chain(account)
            for size in (1, args.batch):
                phases = measure(
                    provider, account, chain, draft, appearance, options, size
                )
                for name, action in phases:
                    wall, cpu = timed(action, args.repeat)
                    rows.append((f"{provider.label}: {name}", size, wall, cpu))
    print(f"load average: {os.getloadavg()[0]:.2f} (machine may be shared)")
    columns = ("docs", "wall ms", "cpu ms", "ms/doc", "x base")
    print(f"{'what':48} " + " ".join(f"{c:>9}" for c in columns))
    for what, size, wall, cpu in rows:
        per_doc = wall / size
        print(
            f"{what:48} {size:9d} {wall:9.1f} {cpu:9.1f} {per_doc:9.1f} "
            f"{(cpu / size) / base_cpu:9.2f}"
        )


if __name__ == "__main__":
    main()
