"""Hostile edXML packages of issue 10, shared by the tests and
``bench/bench_edxml_hostile.py``: ZIP bombs, deep nesting, huge element
counts.  Each is a well-formed package around the minimal document."""

from __future__ import annotations

import base64
import io
import zipfile
from functools import lru_cache

from edxml import build_document
from edxml_samples import minimal_document

MiB = 1 << 20
_HEADER_OPEN = b"<edXML:MessageHeader>"


def _base() -> bytes:
    return build_document(minimal_document())


def with_header_content(fragment: bytes) -> bytes:
    """The minimal package with ``fragment`` inserted first in MessageHeader
    (a ``Content``-like extension element the parser must wade through)."""
    base = _base()
    at = base.index(_HEADER_OPEN) + len(_HEADER_OPEN)
    return base[:at] + fragment + base[at:]


def nested(depth: int) -> bytes:
    """``depth`` elements nested inside each other in a ``Content`` element."""
    return with_header_content(
        b"<Content>" + b"<a>" * depth + b"x" + b"</a>" * depth + b"</Content>"
    )


def wide(count: int) -> bytes:
    """``count`` sibling elements inside one ``Content`` element."""
    return with_header_content(b"<Content>" + b"<a/>" * count + b"</Content>")


@lru_cache(maxsize=4)
def _bomb_zip(inflated_mib: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("quyet-dinh.pdf", "w", force_zip64=True) as member:
            block = b"\0" * MiB
            for _i in range(inflated_mib):
                member.write(block)
    return buffer.getvalue()


def zip_bombs(count: int = 10, inflated_mib: int = 95) -> bytes:
    """``count`` attachments, each a single-file transport ZIP that inflates
    to ``inflated_mib`` MiB (about 0.1 % of that on the wire)."""
    encoded = base64.b64encode(_bomb_zip(inflated_mib)).decode()
    attachments = "".join(
        f"<Attachment><ContentId>cid:b{i}</ContentId>"
        f"<AttachmentName>qd{i}.pdf</AttachmentName>"
        f"<ContentType>application/zip</ContentType>"
        f"<ContentTransferEncoded>{encoded}</ContentTransferEncoded>"
        f"</Attachment>"
        for i in range(count)
    ).encode()
    base = _base()
    start = base.index(b"<AttachmentEncoded>") + len(b"<AttachmentEncoded>")
    end = base.index(b"</AttachmentEncoded>")
    manifest_open = b'<edXML:edXMLManifest version="1.0">'
    manifest_start = base.index(manifest_open) + len(manifest_open)
    manifest_end = base.index(b"</edXML:edXMLManifest>")
    references = "".join(
        f"<edXML:Reference><edXML:ContentId>cid:b{i}</edXML:ContentId></edXML:Reference>"
        for i in range(count)
    ).encode()
    return (
        base[:manifest_start]
        + references
        + base[manifest_end:start]
        + attachments
        + base[end:]
    )


HOSTILE = {
    "zip bombs 10 x 95 MiB": lambda: zip_bombs(10, 95),
    "nested 25,000": lambda: nested(25_000),
    "nested 200,000": lambda: nested(200_000),
    "wide 200,000": lambda: wide(200_000),
}
