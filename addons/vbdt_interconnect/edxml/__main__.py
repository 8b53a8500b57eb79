"""Command line: ``python -m edxml validate|dump|build``.

    validate FILE [--detailed]            check FILE against the project XSD
    dump FILE [--attachments-dir DIR]     parse FILE, print it as JSON
    build SPEC.json [-o OUT] [--zip]      build a package from a JSON spec

The spec of ``build`` is what ``dump`` prints: ``kind`` ("document" or
"status") plus the model fields; each attachment names its file with
``path``, relative to the spec.  Exit status: 0 fine, 1 invalid package,
2 unreadable or unsafe input.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from .build import build_document, build_status
from .errors import EdxmlError
from .jsonio import from_dict, package_from_dict, package_to_dict, to_dict
from .model import Attachment, DocumentPackage
from .parse import parse
from .validate import detailed_report, validate

EXIT_INVALID = 1
EXIT_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    args = _argument_parser().parse_args(argv)
    try:
        return args.command(args)
    except EdxmlError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_ERROR


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m edxml", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(required=True)

    check = commands.add_parser(
        "validate", help="check a package against the project XSD"
    )
    check.add_argument("file", type=Path)
    check.add_argument(
        "--detailed", action="store_true", help="xmlschema's wording (slow)"
    )
    check.set_defaults(command=_validate)

    dump = commands.add_parser("dump", help="parse a package and print it as JSON")
    dump.add_argument("file", type=Path)
    dump.add_argument(
        "--attachments-dir", type=Path, help="also write the attached files here"
    )
    dump.set_defaults(command=_dump)

    build = commands.add_parser("build", help="build a package from a JSON spec")
    build.add_argument("spec", type=Path)
    build.add_argument("-o", "--output", type=Path, help="default: standard output")
    build.add_argument("--zip", action="store_true", help="send each file inside a ZIP")
    build.set_defaults(command=_build)
    return parser


def _validate(args: argparse.Namespace) -> int:
    data = args.file.read_bytes()
    issues = detailed_report(data) if args.detailed else validate(data)
    for issue in issues:
        sys.stdout.write(f"{args.file}: {issue}\n")
    if issues:
        return EXIT_INVALID
    sys.stdout.write(f"{args.file}: valid\n")
    return 0


def _dump(args: argparse.Namespace) -> int:
    with args.file.open("rb") as stream:
        package = parse(stream)
    if isinstance(package, DocumentPackage):
        output = package_to_dict(replace(package, attachments=[]))
        output["attachments"] = [
            _attachment_summary(item, index, args.attachments_dir)
            for index, item in enumerate(package.attachments, start=1)
        ]
    else:
        output = package_to_dict(package)
    json.dump(output, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _attachment_summary(
    attachment: Attachment, index: int, directory: Path | None
) -> dict[str, Any]:
    """Metadata of an attachment; the content goes to a file, never to JSON.
    File names come from untrusted input: keep the last path part only and
    prefix the position so equal names do not overwrite each other."""
    summary = to_dict(replace(attachment, content=b""))
    del summary["content"]
    summary.update(size=len(attachment.content), sha256=attachment.sha256)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        path = (
            directory
            / f"{index:02d}-{Path(attachment.attachment_name).name or 'attachment'}"
        )
        path.write_bytes(attachment.content)
        summary["path"] = str(path.resolve())
    return summary


def _build(args: argparse.Namespace) -> int:
    spec = json.loads(args.spec.read_text(encoding="utf-8"))
    attachment_specs = spec.pop("attachments", [])
    package = package_from_dict(spec)
    if isinstance(package, DocumentPackage):
        package.attachments = [
            _load_attachment(item, args.spec.parent) for item in attachment_specs
        ]
        data = build_document(package, zip_attachments=args.zip)
    else:
        data = build_status(package)
    if args.output:
        args.output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _load_attachment(item: dict[str, Any], base: Path) -> Attachment:
    """An attachment spec: metadata plus ``path`` (or inline base64 ``content``)."""
    metadata = {
        key: value
        for key, value in item.items()
        if key not in ("path", "size", "sha256")
    }
    attachment = from_dict(Attachment, {"content": "", **metadata})
    if "path" not in item:
        return attachment
    return replace(attachment, content=(base / item["path"]).read_bytes())


if __name__ == "__main__":
    sys.exit(main())
