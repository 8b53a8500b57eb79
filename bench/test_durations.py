#!/usr/bin/env python3
"""Where the time of an Odoo test run goes, read from its log (the
``odoo-tests.log`` that ``scripts/test`` writes, at ``--log-level=info`` or
``test``): the install, the asset bundles Odoo builds before the first
browser test, the tests per addon and the slowest test classes.

A test's time runs from its "Starting Class.test ..." line to the next one,
so the ``setUpClass`` of a class is counted in the last test of the class
before it; the time of the last test of an addon's at_install suite includes
the install of the next addon (shown apart as "install").

Usage: .venv/bin/python bench/test_durations.py [LOG] [--top N]
  LOG defaults to .run/odoo-tests.log.
"""

from __future__ import annotations

import argparse
import collections
import re
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) ")
STARTING = re.compile(r" odoo\.addons\.(\w+)\.tests\.\S+: Starting (\w+)\.\w+ ")
LOADING = re.compile(r" odoo\.modules\.loading: Loading module (\w+) ")
ASSETS = re.compile(r"(JS|CSS) Assets bundles generated in ([0-9.]+) seconds")


def _time(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f")


def read_events(path):
    """[(time, kind, addon, test class)] in log order, and the last time."""
    events, last = [], None
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            stamp = STAMP.match(line)
            if not stamp:
                continue
            last = _time(stamp.group(1))
            if started := STARTING.search(line):
                events.append((last, "test", started.group(1), started.group(2)))
            elif loading := LOADING.search(line):
                events.append((last, "install", loading.group(1), ""))
            elif "Starting post tests" in line:
                events.append((last, "post", "", ""))
    return events, last


def summarise(path):
    events, end = read_events(path)
    per_addon, per_class, tests = (collections.Counter() for _ in range(3))
    install = 0.0
    for index, (moment, kind, addon, test_class) in enumerate(events):
        following = events[index + 1][0] if index + 1 < len(events) else end
        seconds = (following - moment).total_seconds()
        if kind == "test":
            per_addon[addon] += seconds
            per_class[f"{addon}:{test_class}"] += seconds
            tests[f"{addon}:{test_class}"] += 1
        else:
            install += seconds
    assets = sum(
        float(match.group(2))
        for match in ASSETS.finditer(Path(path).read_text("utf-8", "replace"))
    )
    first = events[0][0] if events else end
    return {
        "total": (end - first).total_seconds() if events else 0.0,
        "install_and_post_setup": install,
        "assets": assets,
        "per_addon": per_addon,
        "per_class": per_class,
        "tests": tests,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", nargs="?", default=str(ROOT / ".run/odoo-tests.log"))
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    figures = summarise(args.log)
    print(f"log: {args.log}")
    print(f"from the first install step to the end : {figures['total']:7.1f} s")
    print(
        f"installs, then post-install set-up       : "
        f"{figures['install_and_post_setup']:7.1f} s"
        f" (of which asset bundles for the tours: {figures['assets']:.1f} s)"
    )
    print("tests per addon:")
    for addon, seconds in figures["per_addon"].most_common():
        print(f"  {seconds:7.1f} s  {addon}")
    print(f"slowest test classes (seconds, tests, class), top {args.top}:")
    for name, seconds in figures["per_class"].most_common(args.top):
        print(f"  {seconds:7.1f} s  {figures['tests'][name]:3d}  {name}")


if __name__ == "__main__":
    main()
