#!/usr/bin/env python3
"""Measure how far one outgoing document travels through the code: the
repository files executed and the addon boundaries crossed from the draft to
the sender seeing the recipient's status 03 (registered).

The flow runs in-process on a database with the four addons and their demo
data (Phú Thọ), as the demo users would do it, inside one transaction that is
rolled back (the database is left as it was):

1. ``chuyenvien.vp`` drafts a Quyết định of the UBND tỉnh for Sở TT&TT (an
   agency of the same database: ``local`` transport) and submits it;
2. each reviewer of the route approves (``truongphong.vp`` …);
3. ``lanhdao.ubnd`` signs the PDF digitally (PKCS#12 demo certificate);
4. ``vanthu.ubnd`` issues it (number, stamp, seal, queued);
5. the outbox runs: the package is built, delivered, parsed at Sở TT&TT,
   status 01 goes back;
6. ``vanthu.stttt`` registers it: status 03 goes back and the sender's
   delivery line shows 03.

A profiler (``sys.setprofile``) records every Python call whose code lives in
``addons/`` (tests excluded). A *boundary crossing* is a call into addon X
whose nearest calling frame inside ``addons/`` belongs to another addon Y
(direct calls, ``super()`` chains and ORM-triggered computes alike). The
script prints: files executed (per addon), distinct crossing edges
(caller function → callee function), distinct addon pairs, pairs crossed in
both directions, the dynamic count, and the edges left when the callees the
ORM runs by itself (computes, constraints, inverses) are set aside. A
baseline in the same run: the same
figures for the steps 1–2 alone (drafting and review, one addon's business).

Usage: .venv/bin/python bench/flow_trace.py --db DB [--create] [--json OUT]
  --create  create DB first (project cluster, four addons with demo data;
            several minutes), else DB must already hold them (e.g. a database
            kept by ``VBDT_KEEP_DB=1 scripts/test``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ADDONS_DIR = str(ROOT / "addons") + os.sep
# Callees the ORM runs by itself (computes, constraints, inverses, searches,
# res.users properties, comprehensions): reported apart from explicit calls.
ORM_TRIGGERED = (
    "_compute_",
    "_check_confidential",
    "_check_register",
    "_inverse_",
    "_search_",
    "SELF_",
    "<",
)
ADDONS = "vbdt_document,vbdt_workflow,vbdt_signature,vbdt_interconnect"


def _lib(command: str) -> str:
    """Run ``command`` after sourcing scripts/lib.sh; return its stdout."""
    script = f'source "{ROOT}/scripts/lib.sh"; {command}'
    return subprocess.run(
        ["bash", "-c", script], check=True, capture_output=True, text=True
    ).stdout.strip()


class Tracer:
    """Collects repository calls and addon boundary crossings."""

    def __init__(self):
        self.files = set()
        self.edges = Counter()
        self.pdf_verifications = []

    @staticmethod
    def _callers(frame, depth=3):
        """The ``depth`` nearest repository functions that led to ``frame``."""
        names, caller = [], frame.f_back
        while caller is not None and len(names) < depth:
            if caller.f_code.co_filename.startswith(ADDONS_DIR):
                names.append(caller.f_code.co_name)
            caller = caller.f_back
        return " < ".join(names)

    @staticmethod
    def _addon(filename):
        rest = filename[len(ADDONS_DIR) :]
        return rest.split(os.sep, 1)[0]

    def __call__(self, frame, event, _arg):
        if event != "call":
            return
        filename = frame.f_code.co_filename
        if not filename.startswith(ADDONS_DIR) or f"{os.sep}tests{os.sep}" in filename:
            return
        self.files.add(filename[len(ADDONS_DIR) :])
        # every verification of a whole document: through verify_pdf and the
        # seal's own check of the person signature alike
        if frame.f_code.co_name == "verify_document" and filename.endswith("verify.py"):
            self.pdf_verifications.append(self._callers(frame))
        caller = frame.f_back
        while caller is not None and not caller.f_code.co_filename.startswith(
            ADDONS_DIR
        ):
            caller = caller.f_back
        if caller is None:
            return
        here, there = self._addon(filename), self._addon(caller.f_code.co_filename)
        if here != there:
            self.edges[
                (f"{there}:{caller.f_code.co_name}", f"{here}:{frame.f_code.co_name}")
            ] += 1

    def report(self):
        explicit = {
            edge: n
            for edge, n in self.edges.items()
            if not edge[1].split(":")[1].startswith(ORM_TRIGGERED)
        }
        pairs = Counter()
        for (src, dst), count in self.edges.items():
            pairs[(src.split(":")[0], dst.split(":")[0])] += count
        both = sorted({tuple(sorted(p)) for p in pairs if (p[1], p[0]) in pairs})
        per_addon = defaultdict(int)
        for name in self.files:
            per_addon[name.split(os.sep, 1)[0]] += 1
        return {
            "files": len(self.files),
            "files_per_addon": dict(sorted(per_addon.items())),
            "crossing_edges": len(self.edges),
            "addon_pairs": len(pairs),
            "pairs_both_ways": [f"{a} <-> {b}" for a, b in both],
            "dynamic_crossings": sum(self.edges.values()),
            "pdf_verifications": len(self.pdf_verifications),
            "pdf_verified_from": self.pdf_verifications,
            "explicit_edges": len(explicit),
            "explicit_pairs": len(
                {(s.split(":")[0], d.split(":")[0]) for s, d in explicit}
            ),
            "file_list": sorted(self.files),
            "edges": sorted(f"{s} -> {d} ({n})" for (s, d), n in self.edges.items()),
        }


def _user(env, login):
    return env["res.users"].search([("login", "=", login)], limit=1)


def _draft_and_review(env, pdf):
    specialist, leader = _user(env, "chuyenvien.vp"), _user(env, "lanhdao.ubnd")
    stttt = env.ref("vbdt_document.res_company_stttt_demo")
    recipient = env["vbdt.agency"].search(
        [("internal_company_id", "=", stttt.id)], limit=1
    )
    document = (
        env["vbdt.document"]
        .with_user(specialist)
        .create(
            {
                "direction": "outgoing",
                "company_id": specialist.company_id.id,
                "subject": "Quyết định đo luồng văn bản đi (bench)",
                "document_type_id": env.ref(
                    "vbdt_document.vbdt_document_type_quyet_dinh"
                ).id,
                "unit_id": env.ref("vbdt_document.vbdt_unit_ubnd_vp_demo").id,
                "signer_id": leader.id,
                "signer_name": leader.name,
                "signer_position": "Phó Chủ tịch",
                "signer_authority": "kt",
                "recipient_agency_ids": [(6, 0, recipient.ids)],
            }
        )
    )
    document._vbdt_add_file("qd_bench.pdf", pdf, "main")
    document.action_review_submit()
    for _step in range(10):
        reviewer = document.sudo()._vbdt_review_current()[:1].reviewer_ids[:1]
        if document.sudo().state != "review" or not reviewer:
            break
        document.with_user(reviewer).action_review_approve("Đồng ý.")
    assert document.sudo().state == "to_sign", document.sudo().state
    return document.sudo(), recipient


def _sign_issue_deliver_register(env, document, recipient):
    Engine = env["vbdt.exchange.engine"]
    document.with_user(_user(env, "lanhdao.ubnd")).action_sign_person()
    document.with_user(_user(env, "vanthu.ubnd")).action_issue()
    for _i in range(5):
        if not Engine._vbdt_run_outbox(commit=False):
            break
    incoming = env["vbdt.document"].search(
        [
            ("direction", "=", "incoming"),
            ("company_id", "=", recipient.internal_company_id.id),
            ("subject", "=", document.subject),
        ],
        limit=1,
    )
    assert incoming.state == "received", incoming.state
    incoming.with_user(_user(env, "vanthu.stttt")).action_register()
    for _i in range(5):
        if not Engine._vbdt_run_outbox(commit=False):
            break
    line = env["vbdt.document.delivery"].search([("document_id", "=", document.id)])
    assert line.status_code == "03", line.mapped("status_code")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--create", action="store_true")
    parser.add_argument("--json", help="write the full report (files, edges) here")
    args = parser.parse_args()

    if args.create:
        _lib(
            f'ensure_pg; create_db "{args.db}"; odoo_bin -d "{args.db}" -i {ADDONS} '
            "--stop-after-init --log-level=warn --max-cron-threads=0"
        )
    odoo_src = _lib("echo $ODOO_SRC")
    sys.path.insert(0, odoo_src)
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            f"--addons-path={_lib('addons_path')}",
            f"--db_host={_lib('echo $PGSOCK')}",
            f"--db_port={_lib('echo $PGPORT')}",
            f"--db_user={_lib('echo $DB_USER')}",
            "--log-level=warn",
        ]
    )
    registry = Registry(args.db)
    results = {}
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "vi_VN"})
        from odoo.addons.vbdt_signature.demo.documents import demo_document_pdf

        # The input PDF is made before tracing: it is the bench's, not the flow's.
        pdf = demo_document_pdf(
            signer_name=_user(env, "lanhdao.ubnd").name,
            authority_lines=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        )
        for label, steps in (
            ("baseline: draft + review only", 1),
            ("draft to status 03", 2),
        ):
            tracer = Tracer()
            start = time.perf_counter()
            sys.setprofile(tracer)
            try:
                document, recipient = _draft_and_review(env, pdf)
                if steps == 2:
                    _sign_issue_deliver_register(env, document, recipient)
            finally:
                sys.setprofile(None)
            results[label] = dict(
                tracer.report(), seconds=round(time.perf_counter() - start, 1)
            )
            cr.rollback()
    for label, report in results.items():
        print(f"== {label} ({report['seconds']} s traced)")
        files, per_addon = report["files"], report["files_per_addon"]
        print(f"repository files executed : {files}  {per_addon}")
        print(f"addon boundary edges      : {report['crossing_edges']} caller->callee")
        print(
            f"addon pairs crossed       : {report['addon_pairs']} "
            f"(both ways: {', '.join(report['pairs_both_ways']) or '-'})"
        )
        print(f"dynamic crossings         : {report['dynamic_crossings']}")
        print(f"PDF verifications (verify_document): {report['pdf_verifications']}")
        for callers in report["pdf_verified_from"]:
            print(f"    from {callers}")
        print(
            f"explicit calls (no ORM-triggered computes/constraints): "
            f"{report['explicit_edges']} edges, {report['explicit_pairs']} addon pairs"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
