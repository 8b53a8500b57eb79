"""Writing packages in the canonical form, validated before they leave.

The form is the one real packages use (docs/DOMAIN.md §B5): UTF-8, the edXML
namespace as default namespace on ``<edXML>``, the ``edXML:`` prefix bound
to the same URI on the envelope, elements in the standard's order, the
manifest inside the envelope and ``AttachmentEncoded`` after it, content ids
written as ``cid:<id>`` in both places.

The header is small and built as a tree; the attachments are streamed with
lxml's incremental writer, base64 slice by slice, so a 50 MB file never
exists as one 67 MB base64 string.  Every package is checked against the
project XSD before it is returned (strict writing).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from ._xml import NAMESPACE, PREFIX, XML_DECLARATION, Element, qname
from .attachments import ZIP_CONTENT_TYPE, base64_chunks, zip_single
from .codec import encode_fields, encode_value
from .errors import AttachmentError, MissingElementError, _
from .formats import format_cid, strip_cid
from .model import (
    Attachment,
    BussinessDocType,
    DocumentPackage,
    Reference,
    StatusPackage,
)
from .validate import assert_valid

MANIFEST_VERSION = "1.0"


@dataclass(frozen=True)
class _Transfer:
    """An attachment as transmitted: wire reference and (maybe zipped) bytes."""

    reference: Reference
    payload: bytes


def build_document(package: DocumentPackage, *, zip_attachments: bool = False) -> bytes:
    """Serialize a document package; ``zip_attachments`` sends each file
    inside a single-member ZIP (declared ``application/zip``), as some axes do.

    Raises :class:`~.errors.EdxmlError` subclasses for missing attachments
    and :class:`~.errors.ValidationError` when the result fails the XSD.
    """
    _check_attachments(package.attachments)
    _check_bussiness(package)
    transfers = [
        _transfer(attachment, zip_attachments) for attachment in package.attachments
    ]
    envelope, header = _envelope()
    message_header = etree.SubElement(header, qname("MessageHeader"))
    encode_fields(
        message_header, replace(package, document_id=package.resolved_document_id)
    )
    if package.trace_header_list is not None:
        encode_value(header, "TraceHeaderList", package.trace_header_list)
    _add_manifest(envelope, transfers)
    return _serialize(envelope, transfers)


def build_status(package: StatusPackage) -> bytes:
    """Serialize a status package (no body, no attachments).

    Rejections (02) and refusals (16) must carry their reason in
    ``description``.
    """
    if package.status_code.requires_reason and not package.description.strip():
        raise MissingElementError(
            _("Element %(element)s: status %(code)s requires a reason."),
            element="Description",
            code=package.status_code.value,
        )
    envelope, header = _envelope()
    encode_fields(etree.SubElement(header, qname("MessageHeader")), package)
    return _serialize(envelope, [])


def _check_bussiness(package: DocumentPackage) -> None:
    """A revocation, update or replacement (BussinessDocType 1-3) must say
    why and name the document it concerns (Bussiness/DocumentId, or the
    replaced documents in ReplacementInfoList): the receiver cannot review
    it otherwise."""
    trace = package.trace_header_list
    bussiness = trace.bussiness if trace else None
    if bussiness is None or bussiness.bussiness_doc_type == BussinessDocType.NEW:
        return
    if not bussiness.bussiness_doc_reason.strip():
        raise MissingElementError(
            _("Element %(element)s: a revocation, update or replacement must say why."),
            element="BussinessDocReason",
        )
    if not bussiness.document_id.strip() and not bussiness.replacement_info_list:
        raise MissingElementError(
            _(
                "Element %(element)s: a revocation, update or replacement must name "
                "the document it concerns."
            ),
            element="Bussiness/DocumentId",
        )


def _check_attachments(attachments: list[Attachment]) -> None:
    if not attachments:
        raise MissingElementError(
            _("Element %(element)s: a document package needs at least one attachment."),
            element="AttachmentEncoded/Attachment",
        )
    for attachment in attachments:
        if not attachment.content:
            raise AttachmentError(
                _("Element %(element)s: attachment %(name)s is empty."),
                element="Attachment",
                name=attachment.attachment_name,
            )


def _transfer(attachment: Attachment, zipped: bool) -> _Transfer:
    reference = replace(
        attachment.reference, content_id=format_cid(strip_cid(attachment.content_id))
    )
    if not zipped:
        return _Transfer(reference, attachment.content)
    return _Transfer(
        replace(reference, content_type=ZIP_CONTENT_TYPE),
        zip_single(attachment.attachment_name, attachment.content),
    )


def _envelope() -> tuple[Element, Element]:
    envelope = etree.Element(qname("edXMLEnvelope"), nsmap={PREFIX: NAMESPACE})
    return envelope, etree.SubElement(envelope, qname("edXMLHeader"))


def _add_manifest(envelope: Element, transfers: list[_Transfer]) -> None:
    body = etree.SubElement(envelope, qname("edXMLBody"))
    manifest = etree.SubElement(body, qname("edXMLManifest"), version=MANIFEST_VERSION)
    for transfer in transfers:
        reference = etree.SubElement(manifest, qname("Reference"))
        for name, value in _reference_fields(transfer.reference):
            encode_value(reference, name, value)


def _reference_fields(reference: Reference) -> Iterator[tuple[str, str]]:
    """Manifest order: ContentId, ContentType, Description, AttachmentName."""
    yield "ContentId", reference.content_id
    yield "ContentType", reference.content_type
    if reference.description:
        yield "Description", reference.description
    yield "AttachmentName", reference.attachment_name


def _attachment_fields(reference: Reference) -> Iterator[tuple[str, str]]:
    """Attachment order: ContentId, AttachmentName, Description, ContentType."""
    yield "ContentId", reference.content_id
    yield "AttachmentName", reference.attachment_name
    if reference.description:
        yield "Description", reference.description
    yield "ContentType", reference.content_type


def _serialize(envelope: Element, transfers: list[_Transfer]) -> bytes:
    etree.indent(envelope, space="  ", level=1)
    out = io.BytesIO()
    out.write(XML_DECLARATION)
    with (
        etree.xmlfile(out, encoding="utf-8") as writer,
        writer.element(qname("edXML"), nsmap={None: NAMESPACE}),
    ):
        writer.write("\n  ", envelope)
        if transfers:
            writer.write("\n  ")
            _write_attachments(writer, transfers)
        writer.write("\n")
    data = out.getvalue()
    assert_valid(data)
    return data


def _write_attachments(
    writer: etree._IncrementalFileWriter, transfers: list[_Transfer]
) -> None:
    with writer.element(qname("AttachmentEncoded")):
        for transfer in transfers:
            writer.write("\n    ")
            with writer.element(qname("Attachment")):
                for name, value in _attachment_fields(transfer.reference):
                    writer.write("\n      ")
                    with writer.element(qname(name)):
                        writer.write(value)
                writer.write("\n      ")
                with writer.element(qname("ContentTransferEncoded")):
                    for chunk in base64_chunks(transfer.payload):
                        writer.write(chunk)
                writer.write("\n    ")
        writer.write("\n  ")
