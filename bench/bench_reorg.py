#!/usr/bin/env python3
"""Benchmark: merging an agency (issue 12) over N documents — the time of the
preview and of the merger itself (schedule + carry-over of its open work),
and the web client's search calls before and after it.

What it does (reusing bench_document_search.py's loader and its calls):

1. a fresh database ``--db`` (name starts with ``vbdt_bench``) with
   ``vbdt_document`` only, 25 agencies, their units and users, and N
   documents loaded straight into PostgreSQL, with every index;
2. times the search calls of ``bench_document_search`` (baseline);
3. merges the agency with the most documents but the first into the first
   (``vbdt.agency.change._vbdt_schedule``, effective today: registers close,
   units, users and every open incoming document and draft move, each with
   its chatter message and audit entry), timing the preview and the merger
   separately, then the refresh of the Decision 28 statistics;
4. times the same search calls again and prints both, side by side, with
   the counts (documents of the ended agency, items moved, items per second).

Usage: .venv/bin/python bench/bench_reorg.py [--documents N] [--db vbdt_bench_reorg]
       [--repeat K] [--keep]
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_document_search as search_bench  # noqa: E402


def merge(registry, info):
    """Merge the agency with the most documents (but the first) into the
    first; returns the figures."""
    from odoo import SUPERUSER_ID, api, fields

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tz": "Asia/Ho_Chi_Minh"})
        Company = env["res.company"]
        successor = Company.browse(info["companies"][0]["company_id"])
        cr.execute(
            "SELECT company_id, count(*) FROM vbdt_document WHERE company_id = ANY(%s)"
            " GROUP BY company_id ORDER BY 2 DESC",
            [[c["company_id"] for c in info["companies"][1:]]],
        )
        ended_id, documents = cr.fetchone()
        ended = Company.browse(ended_id)
        Change = env["vbdt.agency.change"]
        vals = {
            "operation": "merge",
            "agency_ids": ended.ids,
            "successor_id": successor.id,
            "date_effective": fields.Date.context_today(Change),
            "incoming_policy": "move",
            "draft_policy": "move",
        }
        t0 = time.perf_counter()
        plan = Change._vbdt_plan(ended, successor, "move", "move")[0]
        Change._vbdt_preview(vals, ended, successor, env["vbdt.unit"])
        preview = time.perf_counter() - t0
        moving = len(plan["move"] | plan["return"])
        t0 = time.perf_counter()
        change = Change._vbdt_schedule(vals)
        env.flush_all()
        merged = time.perf_counter() - t0
        cr.execute(
            "SELECT count(*) FROM vbdt_document WHERE origin_company_id = %s",
            [ended_id],
        )
        moved = cr.fetchone()[0]
        t0 = time.perf_counter()
        env["vbdt.document.statistics"]._refresh()
        refresh = time.perf_counter() - t0
        assert change.state == "done", change.state
        names = ended.name, successor.name
        cr.commit()
    return {
        "ended": names[0],
        "successor": names[1],
        "documents": documents,
        "planned": moving,
        "moved": moved,
        "preview_s": preview,
        "merge_s": merged,
        "statistics_refresh_s": refresh,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--db", default="vbdt_bench_reorg")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    if not args.db.startswith("vbdt_bench"):
        parser.error("--db must start with vbdt_bench")
    started = time.perf_counter()
    load_start = search_bench.loadavg()
    search_bench.create_and_install(args.db)
    try:
        registry = search_bench.odoo_start(args.db)
        info = search_bench.setup_orm(registry)
        definitions = search_bench.load_documents(args.db, info, args.documents)
        conn = search_bench.pg_connect(args.db)
        conn.autocommit = True
        with conn.cursor() as cr:
            search_bench.create_indexes(cr, definitions)
            cr.execute("ANALYZE vbdt_document")
        conn.close()
        search_bench.log("timing the search calls BEFORE the merger (baseline)")
        queries, before = search_bench.time_queries(
            registry, info, args.repeat, "before"
        )
        search_bench.log("merging")
        figures = merge(registry, info)
        search_bench.log(f"merged: {figures}")
        search_bench.log("timing the search calls AFTER the merger")
        _queries, after = search_bench.time_queries(
            registry, info, args.repeat, "after"
        )
        print()
        print(
            f"# vbdt agency merger benchmark — N = {args.documents} documents; "
            f"load average {load_start} at start, {search_bench.loadavg()} at end"
        )
        print()
        print(
            f"- merged {figures['ended']} ({figures['documents']} documents, "
            f"{figures['planned']} open items) into {figures['successor']}"
        )
        print(f"- preview: {figures['preview_s']:.2f} s")
        rate = figures["planned"] / figures["merge_s"] if figures["merge_s"] else 0
        print(
            f"- merger (schedule + carry-over, one transaction): "
            f"{figures['merge_s']:.2f} s, {rate:.0f} open items/s; "
            f"{figures['moved']} documents now name it as their origin"
        )
        print(
            f"- Decision 28 statistics refresh: {figures['statistics_refresh_s']:.2f} s"
        )
        print()
        print("| call | user | before (ms) | after (ms) |")
        print("|---|---|---:|---:|")
        ratios = []
        for name, users, _func, _domain in queries:
            for user in users:
                b = before[(name, user)]["median"]
                a = after[(name, user)]["median"]
                ratios.append(a / b if b else 1.0)
                print(f"| {name} | {user} | {b:.1f} | {a:.1f} |")
        print()
        print(
            f"median after/before ratio: {statistics.median(ratios):.2f}; "
            f"total {time.perf_counter() - started:.0f} s"
        )
    finally:
        search_bench.release_database(args.db, args.keep)


if __name__ == "__main__":
    main()
