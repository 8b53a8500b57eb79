"""Validation of packages against the project's own XSD (``schema/edxml.xsd``).

lxml's validator is the default: it is an order of magnitude faster and
leaner than xmlschema on multi-megabyte packages (docs/DOMAIN.md §B7).  xmlschema is
used only on request, for its more explicit reports (expected elements,
paths) when someone debugs a failing package.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ._xml import NAMESPACE, local_name, parse_tree, safe_parser
from .errors import MalformedXmlError, ValidationError, _

SCHEMA_PATH = Path(__file__).parent / "schema" / "edxml.xsd"
_ELEMENT_IN_MESSAGE = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_local = threading.local()


@dataclass(frozen=True)
class ValidationIssue:
    line: int | None
    element: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.element or '-'}: {self.message}"


def validate(data: bytes) -> list[ValidationIssue]:
    """Every schema (or well-formedness) problem of ``data``; empty if valid.

    Unsafe input (DOCTYPE) still raises :class:`~.errors.UnsafeXmlError`.
    """
    root = _tree_or_issue(data)
    if isinstance(root, ValidationIssue):
        return [root]
    schema = _lxml_schema()
    if schema.validate(root):
        return []
    return [_issue_from_log_entry(entry) for entry in schema.error_log]


def assert_valid(data: bytes) -> None:
    """Raise :class:`ValidationError` (carrying all issues) unless ``data`` is valid."""
    issues = validate(data)
    if issues:
        first = issues[0]
        raise ValidationError(
            _(
                "The package fails the edXML schema with %(count)s problem(s); "
                "first at line %(line)s, element %(element)s: %(detail)s"
            ),
            issues=issues,
            count=len(issues),
            line=first.line,
            element=first.element,
            detail=first.message,
        )


def detailed_report(data: bytes) -> list[ValidationIssue]:
    """Like :func:`validate`, with xmlschema's wording (slow: small packages)."""
    import xmlschema  # noqa: PLC0415 -- diagnostic path only; keeps worker start-up lean

    root = _tree_or_issue(data)
    if isinstance(root, ValidationIssue):
        return [root]
    schema = xmlschema.XMLSchema(str(SCHEMA_PATH))
    return [
        ValidationIssue(
            getattr(error, "sourceline", None),
            local_name(error.elem.tag) if error.elem is not None else "",
            _strip_namespace(f"{error.reason} (path {error.path})"),
        )
        for error in schema.iter_errors(etree.ElementTree(root))
    ]


def _tree_or_issue(data: bytes) -> etree._Element | ValidationIssue:
    """The parsed package, or its well-formedness error as an issue."""
    try:
        return parse_tree(data)
    except MalformedXmlError as exc:
        return ValidationIssue(exc.params["line"], "", exc.params["detail"])


def _lxml_schema() -> etree.XMLSchema:
    """One compiled schema per thread: lxml keeps the error log on the schema
    object, so sharing it between Odoo worker threads would mix reports."""
    schema = getattr(_local, "schema", None)
    if schema is None:
        schema = _local.schema = etree.XMLSchema(
            etree.parse(str(SCHEMA_PATH), safe_parser())
        )
    return schema


def _issue_from_log_entry(entry: etree._LogEntry) -> ValidationIssue:
    match = _ELEMENT_IN_MESSAGE.search(entry.message)
    return ValidationIssue(
        entry.line, match.group(1) if match else "", _strip_namespace(entry.message)
    )


def _strip_namespace(message: str) -> str:
    return message.replace(f"{{{NAMESPACE}}}", "")
