"""Tolerant reading: packages other systems write differently still parse."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date, datetime

import pytest
from edxml import (
    Code,
    DocumentPackage,
    NotAddressedError,
    StatusCode,
    StatusPackage,
    build_document,
    parse,
    parse_date,
    parse_timestamp,
)
from edxml.formats import strip_cid
from edxml_samples import PDF, RECIPIENT_ID, SENDER_ID, minimal_document
from notation import format_document_id, parse_document_id, split_code

B64_PDF = base64.b64encode(PDF).decode()


def attachment_xml(encoded: str, content_id: str = "1", fields: str = "") -> str:
    """One ``Attachment`` element without namespace."""
    return (
        f"<Attachment><ContentId>{content_id}</ContentId>{fields}"
        f"<ContentTransferEncoded>{encoded}</ContentTransferEncoded></Attachment>"
    )


BARE_HEADER = f"""
    <DocumentId>6f1c2a0e-5d4b-4a8e-9c7d-1b2a3c4d5e6f</DocumentId>
    <Subject> V/v thử nghiệm </Subject>
    <Code><CodeNotation>UBND-VP</CodeNotation><CodeNumber>07</CodeNumber></Code>
    <PromulgationInfo><PromulgationDate>DATE</PromulgationDate></PromulgationInfo>
    <To><OrganId>{RECIPIENT_ID}</OrganId></To>
    <From><OrganName>UBND tỉnh</OrganName><OrganId>{SENDER_ID}</OrganId></From>"""
BARE_ATTACHMENTS = f"""
    <Attachment>
      <ContentTransferEncoded>{B64_PDF}</ContentTransferEncoded>
      <ContentId>1</ContentId>
    </Attachment>"""
BARE_MANIFEST = """
    <Reference><AttachmentName>qd.pdf</AttachmentName><ContentId>cid:1</ContentId>
      <ContentType>application/pdf</ContentType>
      <Description>Quyết định.pdf</Description></Reference>"""


def bare_package(
    *,
    attachments: str = BARE_ATTACHMENTS,
    manifest: str = BARE_MANIFEST,
    date_text: str = "2026/01/09",
) -> bytes:
    """A document package without namespace, elements in an unusual order."""
    header = BARE_HEADER.replace("DATE", date_text)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML>
  <AttachmentEncoded>{attachments}</AttachmentEncoded>
  <edXMLEnvelope>
    <edXMLBody><edXMLManifest>{manifest}</edXMLManifest></edXMLBody>
    <edXMLHeader><MessageHeader>{header}</MessageHeader></edXMLHeader>
  </edXMLEnvelope>
</edXML>""".encode()


def test_bare_names_any_order_uuid_document_id() -> None:
    package = parse(bare_package())

    assert isinstance(package, DocumentPackage)
    assert package.sender.organ_id == SENDER_ID
    assert package.sender.organ_name == "UBND tỉnh"
    assert package.code.code_number == "07"
    assert package.subject == "V/v thử nghiệm"
    assert package.document_id == "6f1c2a0e-5d4b-4a8e-9c7d-1b2a3c4d5e6f"
    assert parse_document_id(package.document_id).opaque


def test_attachment_fields_fall_back_to_the_manifest() -> None:
    [attachment] = parse(bare_package()).attachments

    assert attachment.content_id == "1"
    assert attachment.attachment_name == "qd.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.description == "Quyết định.pdf"
    assert attachment.content == PDF


@pytest.mark.parametrize(
    "date_text", ["2026-01-09", "09/01/2026", "2026/01/09 08:00:00"]
)
def test_other_date_forms_are_read(date_text: str) -> None:
    package = parse(bare_package(date_text=date_text))

    assert package.promulgation_info.promulgation_date == date(2026, 1, 9)


def test_status_fields_inside_a_status_element() -> None:
    data = f"""<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope><edXMLHeader>
      <MessageHeader>
        <From><OrganId>{RECIPIENT_ID}</OrganId></From>
        <Status>
          <StatusCode>4</StatusCode>
          <Description>Đã phân công</Description>
          <Timestamp>2026-02-05T15:00:00+07:00</Timestamp>
          <ResponseFor><OrganId>{SENDER_ID}</OrganId><Code>15/QĐ-UBND</Code></ResponseFor>
        </Status>
      </MessageHeader></edXMLHeader></edXMLEnvelope></edXML>""".encode()

    package = parse(data)

    assert isinstance(package, StatusPackage)
    assert package.status_code is StatusCode.ASSIGNED  # "4" read as "04"
    assert package.sender.organ_id == RECIPIENT_ID
    assert package.response_for.code == "15/QĐ-UBND"
    assert package.timestamp == datetime(2026, 2, 5, 15, 0, 0)


def test_line_wrapped_base64_with_crlf() -> None:
    content = bytes(range(256)) * 2000
    encoded = base64.encodebytes(content).decode().replace("\n", "\r\n")
    attachments = attachment_xml(encoded)

    assert (
        parse(bare_package(attachments=attachments)).attachments[0].content == content
    )


def test_file_object_input() -> None:
    data = build_document(minimal_document())

    assert parse(io.BytesIO(data)) == parse(data)


def zipped(members: dict[str, bytes]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return base64.b64encode(buffer.getvalue()).decode()


def single_attachment(
    name: str, encoded: str, content_type: str = "application/zip"
) -> bytes:
    fields = (
        f"<AttachmentName>{name}</AttachmentName>"
        f"<ContentType>{content_type}</ContentType>"
    )
    attachments = attachment_xml(encoded, "cid:1", fields)
    manifest = (
        "<Reference><ContentId>1</ContentId>"
        f"<AttachmentName>{name}</AttachmentName></Reference>"
    )
    return bare_package(attachments=attachments, manifest=manifest)


def test_single_file_zip_is_unwrapped() -> None:
    [attachment] = parse(
        single_attachment("qd.pdf", zipped({"inner.pdf": PDF}))
    ).attachments

    assert attachment.content == PDF
    assert attachment.content_type == "application/pdf"


def test_zip_with_several_files_is_the_file_itself() -> None:
    """DOCX/XLSX/ODT are ZIPs with many members: never unwrap them."""
    encoded = zipped(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    )
    docx_type = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )

    [attachment] = parse(
        single_attachment("to-trinh.docx", encoded, docx_type)
    ).attachments

    assert attachment.content == base64.b64decode(encoded)
    assert attachment.content_type == docx_type


def test_a_file_named_zip_is_kept_as_sent() -> None:
    encoded = zipped({"only.txt": b"hello"})

    [attachment] = parse(single_attachment("ho-so.zip", encoded)).attachments

    assert attachment.content == base64.b64decode(encoded)
    assert attachment.content_type == "application/zip"


def test_expected_recipient() -> None:
    data = build_document(minimal_document())

    assert parse(data, expected_recipient=RECIPIENT_ID).is_addressed_to(RECIPIENT_ID)
    with pytest.raises(NotAddressedError) as caught:
        parse(data, expected_recipient="000.00.99.H44")
    assert caught.value.element == "To"


def test_format_helpers() -> None:
    assert (
        format_document_id("G09.01", date(2025, 7, 1), "09/2025/QĐ-TTg")
        == "G09.01,2025/07/01,09/2025/QĐ-TTg"
    )
    parts = parse_document_id("G09.01,2025/07/01,09/2025/QĐ-TTg")
    # edXML's CodeNumber ends at the first "/": the year stays in CodeNotation.
    assert split_code(parts.code) == ("09", "2025/QĐ-TTg")
    assert Code.from_text(parts.code) == Code(
        code_number="09", code_notation="2025/QĐ-TTg"
    )
    assert str(Code.from_text(parts.code)) == "09/2025/QĐ-TTg"
    assert parse_document_id("") is None
    assert parse_date("31/12/2025") == date(2025, 12, 31)
    assert parse_date("not a date") is None
    assert parse_timestamp("2025/12/31 23:59:59") == datetime(2025, 12, 31, 23, 59, 59)
    assert parse_timestamp("2025-12-31T16:59:59Z") == datetime(2025, 12, 31, 23, 59, 59)
    assert [strip_cid(value) for value in ("cid:209", "CID:<209>", " 209 ")] == [
        "209"
    ] * 3
