"""Reading packages: tolerant in form, strict in substance, safe, streaming.

Tolerant: elements are matched by local name in any namespace and order,
optional parts may be missing, status fields may sit in a ``Status`` element
or directly in ``MessageHeader``, content ids may carry ``cid:``, files may
arrive inside a single-member ZIP, DocumentIds may be UUIDs.

Strict where a clerk would otherwise register garbage: sender, at least one
recipient, number/notation, promulgation date, subject and decodable
attachments of documents; sender, document answered, status code and time
of statuses.  Failures raise :class:`~.errors.EdxmlError` subclasses naming
the element.

Safe and lean (docs/ARCHITECTURE.md §A5): the input is fed to lxml in 64 KiB
chunks through a parser *target*, so no DOCTYPE is ever accepted (refused at
the first callback), the header becomes a small tree, and each attachment's
base64 text is decoded as it streams in -- the full text never exists, only
the decoded bytes, once.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, NoReturn, TypeVar

from lxml import etree

from ._xml import (
    Element,
    child,
    child_text,
    children,
    descendant,
    first_child,
    local_name,
    malformed_error,
    safe_parser,
    unsafe_doctype_error,
)
from .attachments import (
    SNIFF_BYTES,
    Base64Decoder,
    Budget,
    _read_all,
    settle_content_type,
    unwrap_zip_file,
)
from .codec import decode
from .errors import (
    AttachmentError,
    EdxmlError,
    InvalidValueError,
    LimitExceededError,
    MissingElementError,
    NotAddressedError,
    _,
)
from .formats import parse_date, parse_timestamp, strip_cid
from .model import Attachment, DocumentPackage, Package, StatusPackage, TraceHeaderList

MiB = 1 << 20
# Small enough that the transient copies of one chunk (bytes, text, slice,
# decoded) stay negligible next to a 1 MB package, large enough that the
# per-call overhead does not show on a 50 MB one.
FEED_CHUNK = 64 << 10
CONTENT_ELEMENT = "ContentTransferEncoded"
T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Upper bounds for untrusted input; the Odoo layer may configure them."""

    max_package_bytes: int = 128 * MiB
    max_attachment_bytes: int = 96 * MiB  # decoded (and unzipped) size of one file
    max_attachments: int = 100
    # Decoded plus unzipped bytes of all attachments together: ten ZIP bombs
    # each under the per-file limit must not add up to a gigabyte.
    max_total_bytes: int = 192 * MiB
    # Real packages nest about 8 deep and hold a few hundred elements; the
    # bounds keep the whole-tree lookups of a hostile package cheap.
    max_depth: int = 64
    max_elements: int = 20_000


DEFAULT_LIMITS = Limits()


def parse(
    source: bytes | BinaryIO,
    *,
    limits: Limits = DEFAULT_LIMITS,
    expected_recipient: str | None = None,
    spool: bool = False,
) -> Package:
    """Read a document or status package from bytes or a binary file.

    ``expected_recipient`` (our OrganId) makes a document package that does
    not list it among its recipients an error. With ``spool``, each
    attachment's file stays in its temporary file (``Attachment.source``,
    read once with ``Attachment.read_content``) instead of ``content``: a
    caller storing the files one by one never holds them all in memory.
    """
    root, payloads, budget = _read_xml(source, limits)
    if local_name(root.tag) != "edXML":
        raise MissingElementError(
            _(
                "Element %(element)s: this is not an edXML package (root element is "
                "%(found)s)."
            ),
            element="edXML",
            found=local_name(root.tag),
        )
    header = descendant(root, "MessageHeader")
    if header is None:
        raise _missing("edXMLHeader/MessageHeader")
    if first_child(_status_sources(header), "StatusCode") is not None:
        return _read_status(header)
    package = _read_document(root, header, payloads, limits, budget, spool)
    if expected_recipient and not package.is_addressed_to(expected_recipient):
        raise NotAddressedError(
            _("Element %(element)s: the package is not addressed to %(organ_id)s."),
            element="To",
            organ_id=expected_recipient,
        )
    return package


# ------------------------------------------------------------ XML reading


def _read_xml(
    source: bytes | BinaryIO, limits: Limits
) -> tuple[Element, dict[Element, BinaryIO], Budget]:
    """Parse ``source`` into the header tree plus decoded attachment payloads."""
    reader = _PackageReader(limits)
    parser = safe_parser(target=reader)
    try:
        for chunk in _chunks(source, limits.max_package_bytes):
            parser.feed(chunk)
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        # lxml reports a failing target callback as a generic syntax error.
        raise reader.failure or malformed_error(exc) from None
    return root, reader.payloads, reader.budget


def _chunks(source: bytes | BinaryIO, max_bytes: int) -> Iterator[bytes]:
    read = source.read if hasattr(source, "read") else io.BytesIO(source).read
    total = 0
    while chunk := read(FEED_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise LimitExceededError(
                _("The package is larger than the limit of %(limit)s bytes."),
                limit=max_bytes,
            )
        yield chunk


def _remember_failure(method: Callable[..., T]) -> Callable[..., T]:
    """Keep our own exception: lxml replaces it by a generic syntax error."""

    @functools.wraps(method)
    def wrapper(self: _PackageReader, *args: object) -> T:
        try:
            return method(self, *args)
        except EdxmlError as exc:
            self.failure = self.failure or exc
            raise

    return wrapper


class _PackageReader:
    """lxml parser target: builds every element with a TreeBuilder, except
    that the text of ``ContentTransferEncoded`` goes to a base64 decoder."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._builder = etree.TreeBuilder()
        self._decoder: Base64Decoder | None = None
        self._attachment_count = 0
        self._shape = ShapeGuard(limits)
        self.budget = Budget(limits.max_total_bytes)
        self.payloads: dict[Element, BinaryIO] = {}
        self.failure: EdxmlError | None = None

    @_remember_failure
    def doctype(
        self, name: str | None, _public_id: str | None, _system_url: str | None
    ) -> NoReturn:
        raise unsafe_doctype_error(name or "")

    @_remember_failure
    def start(
        self,
        tag: str,
        attrib: dict[str, str],
        nsmap: dict[str | None, str] | None = None,
    ) -> None:
        self._shape.enter(tag)
        if local_name(tag) == CONTENT_ELEMENT:
            self._attachment_count += 1
            if self._attachment_count > self._limits.max_attachments:
                raise LimitExceededError(
                    _("Element %(element)s: more than %(limit)s attachments."),
                    element="AttachmentEncoded",
                    limit=self._limits.max_attachments,
                )
            self._decoder = Base64Decoder(
                max_bytes=self._limits.max_attachment_bytes,
                element=f"Attachment[{self._attachment_count}]/{CONTENT_ELEMENT}",
                budget=self.budget,
            )
        # Targets receive the default namespace under "", TreeBuilder wants None.
        self._builder.start(
            tag, attrib, {p or None: uri for p, uri in (nsmap or {}).items()}
        )

    @_remember_failure
    def data(self, text: str) -> None:
        if self._decoder is not None:
            self._decoder.feed(text)
        else:
            self._builder.data(text)

    @_remember_failure
    def end(self, tag: str) -> Element:
        self._shape.leave()
        element = self._builder.end(tag)
        if self._decoder is not None and local_name(tag) == CONTENT_ELEMENT:
            self.payloads[element] = self._decoder.finish_file()
            self._decoder = None
        return element

    def close(self) -> Element:
        return self._builder.close()


class ShapeGuard:
    """Counts elements and nesting as the parser reports them, and refuses
    a package deeper or larger than :class:`Limits` allows before the tree
    (or the time spent searching it) grows."""

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        self._depth = 0
        self._count = 0

    def enter(self, tag: str) -> None:
        self._depth += 1
        self._count += 1
        if self._depth > self._limits.max_depth:
            raise LimitExceededError(
                _(
                    "Element %(element)s: the package nests elements deeper than "
                    "%(limit)s levels."
                ),
                element=local_name(tag),
                limit=self._limits.max_depth,
            )
        if self._count > self._limits.max_elements:
            raise LimitExceededError(
                _("Element %(element)s: the package has more than %(limit)s elements."),
                element=local_name(tag),
                limit=self._limits.max_elements,
            )

    def leave(self) -> None:
        self._depth -= 1


class _SenderFound(Exception):
    def __init__(self, organ_id: str) -> None:
        super().__init__(organ_id)
        self.organ_id = organ_id


class _SenderReader:
    """Parser target that only follows the path to ``MessageHeader/From/
    OrganId`` (or ``Status/From/OrganId``) and stops there."""

    def __init__(self, limits: Limits) -> None:
        self._shape = ShapeGuard(limits)
        self._path: list[str] = []
        self._text: list[str] = []
        self.failure: EdxmlError | None = None

    @_remember_failure
    def doctype(self, name: str | None, *_ids: str | None) -> NoReturn:
        raise unsafe_doctype_error(name or "")

    @_remember_failure
    def start(self, tag: str, _attrib: dict[str, str], _nsmap: object = None) -> None:
        self._shape.enter(tag)
        self._path.append(local_name(tag))
        self._text = []

    def data(self, text: str) -> None:
        if self._path[-2:] == ["From", "OrganId"]:
            self._text.append(text)

    def end(self, _tag: str) -> None:
        self._shape.leave()
        if self._path[-2:] == ["From", "OrganId"] and "MessageHeader" in self._path:
            raise _SenderFound("".join(self._text).strip())
        self._path.pop()

    def close(self) -> str:
        return ""


def read_sender(source: bytes | BinaryIO, *, limits: Limits = DEFAULT_LIMITS) -> str:
    """The sender OrganId of a package (``MessageHeader/From/OrganId``),
    read from the start of the stream without decoding any attachment (the
    header comes first); ``""`` when the package has none."""
    reader = _SenderReader(limits)
    parser = safe_parser(target=reader)
    try:
        for chunk in _chunks(source, limits.max_package_bytes):
            parser.feed(chunk)
        parser.close()
    except _SenderFound as found:
        return found.organ_id
    except etree.XMLSyntaxError as exc:
        cause = exc.__context__
        if isinstance(cause, _SenderFound):
            return cause.organ_id
        raise reader.failure or malformed_error(exc) from None
    return ""


# --------------------------------------------------------------- packages


def _status_sources(header: Element) -> list[Element | None]:
    """Status fields live in ``MessageHeader/Status`` or in ``MessageHeader``."""
    return [child(header, "Status"), header]


def _read_status(header: Element) -> StatusPackage:
    sources = _status_sources(header)
    _require_text(sources, "From", "OrganId")
    _require_text(sources, "ResponseFor", "OrganId")
    timestamp_text = _require_text(sources, "Timestamp")
    if parse_timestamp(timestamp_text) is None:
        raise _invalid("Timestamp", timestamp_text)
    return _decoded(decode(StatusPackage, sources), "MessageHeader")


def _read_document(
    root: Element,
    header: Element,
    payloads: dict[Element, BinaryIO],
    limits: Limits,
    budget: Budget,
    spool: bool = False,
) -> DocumentPackage:
    _require_document_fields(header)
    trace_list = descendant(root, "TraceHeaderList")
    package = decode(
        DocumentPackage,
        [header],
        trace_header_list=None
        if trace_list is None
        else decode(TraceHeaderList, [trace_list]),
        attachments=_read_attachments(root, payloads, limits, budget, spool),
    )
    return _decoded(package, "MessageHeader")


def _require_document_fields(header: Element) -> None:
    sources = [header]
    _require_text(sources, "From", "OrganId")
    if not any(
        child_text(recipient, "OrganId") for recipient in children(header, "To")
    ):
        raise _missing("To/OrganId")
    _require_text(sources, "Code", "CodeNumber")
    _require_text(sources, "Code", "CodeNotation")
    date_text = _require_text(sources, "PromulgationInfo", "PromulgationDate")
    if parse_date(date_text) is None:
        raise _invalid("PromulgationInfo/PromulgationDate", date_text)
    _require_text(sources, "Subject")


def _require_text(sources: list[Element | None], *path: str) -> str:
    """Text at ``path`` below the first source holding its first step."""
    node = first_child(sources, path[0])
    for name in path[1:]:
        node = child(node, name)
    text = (node.text or "").strip() if node is not None else ""
    if not text:
        raise _missing("/".join(path))
    return text


def _decoded(package: T | None, element: str) -> T:
    """``decode`` drops objects with unreadable required fields; the checks
    above make that impossible for packages, but never return ``None``."""
    if package is None:
        raise InvalidValueError(
            _("Element %(element)s cannot be read."), element=element
        )
    return package


def _missing(element: str) -> MissingElementError:
    return MissingElementError(
        _("Element %(element)s is missing or empty."), element=element
    )


def _invalid(element: str, value: str) -> InvalidValueError:
    return InvalidValueError(
        _("Element %(element)s: cannot read the value %(value)r."),
        element=element,
        value=value,
    )


# ------------------------------------------------------------ attachments


def _read_attachments(
    root: Element,
    payloads: dict[Element, BinaryIO],
    limits: Limits,
    budget: Budget,
    spool: bool = False,
) -> list[Attachment]:
    """Join manifest References and Attachments by content id.

    Every attachment must decode and every reference must have its file:
    registering a document with a file silently missing is worse than
    refusing it (the sender is told through status 02).
    """
    references = {
        strip_cid(child_text(reference, "ContentId")): reference
        for reference in children(descendant(root, "edXMLManifest"), "Reference")
    }
    elements = children(descendant(root, "AttachmentEncoded"), "Attachment")
    attachments = [
        _read_attachment(element, index, references, payloads, limits, budget, spool)
        for index, element in enumerate(elements, start=1)
    ]
    if not attachments:
        raise _missing("AttachmentEncoded/Attachment")
    unmatched = sorted(
        references.keys() - {attachment.content_id for attachment in attachments}
    )
    if unmatched:
        raise AttachmentError(
            _(
                "Element %(element)s: the manifest lists %(content_id)s but no "
                "attachment has it."
            ),
            element="edXMLManifest/Reference",
            content_id=unmatched[0],
        )
    return attachments


def _read_attachment(
    element: Element,
    index: int,
    references: dict[str, Element],
    payloads: dict[Element, BinaryIO],
    limits: Limits,
    budget: Budget,
    spool: bool = False,
) -> Attachment:
    content_id = strip_cid(child_text(element, "ContentId")) or str(index)
    reference = references.get(content_id)

    def text(name: str) -> str:
        return child_text(element, name) or child_text(reference, name)

    name = text("AttachmentName") or content_id
    path = f"Attachment[{index}]"
    encoded = child(element, CONTENT_ELEMENT)
    payload = payloads.get(encoded) if encoded is not None else None
    if payload is None or not payload.read(1):
        raise AttachmentError(
            _("Element %(element)s: attachment %(name)s has no content."),
            element=f"{path}/{CONTENT_ELEMENT}",
            name=name,
        )
    declared_type = text("ContentType") or "application/octet-stream"
    unzipped = unwrap_zip_file(
        payload,
        name,
        max_bytes=limits.max_attachment_bytes,
        element=path,
        budget=budget,
    )
    if unzipped is not None:
        payload.close()
    file = payload if unzipped is None else unzipped
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    settled = settle_content_type(
        declared_type, name, head, unzipped=unzipped is not None
    )
    return Attachment(
        content_id=content_id,
        attachment_name=settled.attachment_name,
        description=text("Description"),
        content=b"" if spool else _read_all(file),
        source=file if spool else None,
        content_type=settled.content_type,
        declared_content_type=declared_type if settled.note else "",
        content_type_note=settled.note,
    )
