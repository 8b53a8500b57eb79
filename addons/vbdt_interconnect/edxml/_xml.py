"""XML plumbing shared by the builder, parser, validator and signer.

Everything that parses goes through :func:`safe_parser`: no DTD loading, no
entity expansion, no network (docs/ARCHITECTURE.md §A5).  ``huge_tree`` is on because a
single base64 text node of a real attachment exceeds libxml2's 10 MB default;
the byte limits of :mod:`.parse` bound the input instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from lxml import etree

from .errors import MalformedXmlError, UnsafeXmlError, _

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PREFIX = "edXML"
_NAMESPACE_PREFIX = f"{{{NAMESPACE}}}"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
Element: TypeAlias = etree._Element


def qname(local: str) -> str:
    return _NAMESPACE_PREFIX + local


def local_name(tag: object) -> str:
    """Local part of a tag; comments and processing instructions give ``""``."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def safe_parser(**options: object) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        **options,
    )


def unsafe_doctype_error(name: str) -> UnsafeXmlError:
    return UnsafeXmlError(
        _(
            "Element %(element)s: DOCTYPE and ENTITY declarations are refused "
            "(they allow XXE and entity-expansion attacks)."
        ),
        element=f"!DOCTYPE {name}".strip(),
    )


def malformed_error(exc: etree.XMLSyntaxError) -> MalformedXmlError:
    """Report libxml2's fatal error: with a feed parser the exception itself
    often only says "missing end tags" at line 0.  The log may still hold
    errors of earlier parses in this thread, so take the latest."""
    fatals = list(exc.error_log.filter_from_fatals())
    fatal = fatals[-1] if fatals else None
    return MalformedXmlError(
        _("The package is not well-formed XML (line %(line)s): %(detail)s"),
        line=fatal.line if fatal else exc.lineno,
        detail=fatal.message if fatal else exc.msg,
    )


def parse_tree(data: bytes) -> Element:
    """Parse a whole package into a tree (validation, signing) and refuse DTDs.

    Entities are never expanded by :func:`safe_parser`, so a billion-laughs
    document is harmless to parse; it is still refused with a clear error.
    """
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise malformed_error(exc) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise unsafe_doctype_error(docinfo.root_name or "")
    return root


def children(parent: Element | None, name: str) -> list[Element]:
    """Children of ``parent`` with local name ``name``, in any namespace."""
    if parent is None:
        return []
    return [node for node in parent if local_name(node.tag) == name]


def child(parent: Element | None, name: str) -> Element | None:
    """First child named ``name``, preferring the edXML namespace, falling
    back to any other (real packages mix namespaced and bare elements)."""
    matches = children(parent, name)
    preferred = (node for node in matches if node.tag.startswith(_NAMESPACE_PREFIX))
    return next(preferred, matches[0] if matches else None)


def first_child(parents: Sequence[Element | None], name: str) -> Element | None:
    """:func:`child` looked up in each of ``parents`` in turn."""
    return next(
        (node for node in (child(p, name) for p in parents) if node is not None), None
    )


def child_text(parent: Element | None, name: str) -> str:
    node = child(parent, name)
    return (node.text or "").strip() if node is not None else ""


def descendant(root: Element | None, name: str) -> Element | None:
    """First element named ``name`` anywhere below ``root``: packages that
    skip or reorder wrapper elements are still read."""
    if root is None:
        return None
    return next((node for node in root.iter() if local_name(node.tag) == name), None)
