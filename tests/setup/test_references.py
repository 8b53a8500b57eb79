"""Every reference in the project points into the repository: no code or
document cites a design file that is not in it, or a folder of one
machine, and the relative links of the Markdown documents resolve."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("addons", "scripts", "tests", "bench", "docs", ".ci", "docker")
SUFFIXES = {".py", ".xml", ".md", ".rst", ".sh", ".js", ".csv", ".yml", ".toml", ""}
# A design file that lived outside the project, and folders of one machine.
OUTSIDE = re.compile(r"DESIGN\.md|/work/(?:main|wt|shared)\b|\bshared/STYLE\.md")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _files():
    for top in SCANNED:
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and path.suffix in SUFFIXES and "i18n" not in path.parts:
                yield path
    yield from (ROOT / "README.md", ROOT / "CONTRIBUTING.md")


def test_no_reference_outside_the_repository():
    this = Path(__file__).resolve()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _files()
        if path.resolve() != this
        for number, line in enumerate(
            path.read_text("utf-8", errors="replace").splitlines(), start=1
        )
        if OUTSIDE.search(line)
    ]
    assert not found, "references outside the repository:\n" + "\n".join(found)


def test_markdown_links_resolve():
    broken = []
    for path in _files():
        if path.suffix != ".md":
            continue
        for target in MARKDOWN_LINK.findall(path.read_text("utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # a URL
            if not (path.parent / target).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, "broken links:\n" + "\n".join(broken)
