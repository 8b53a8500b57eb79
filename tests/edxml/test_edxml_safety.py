"""Safe and strict reading: hostile or broken input fails with a clear error."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest
from edxml import (
    AttachmentError,
    EdxmlError,
    InvalidValueError,
    LimitExceededError,
    Limits,
    MalformedXmlError,
    MissingElementError,
    UnsafeXmlError,
    build_document,
    parse,
    validate,
)
from edxml.errors import _
from edxml_samples import minimal_document
from test_edxml_tolerant import attachment_xml, bare_package, single_attachment

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<edXML><edXMLEnvelope><edXMLHeader><MessageHeader><Subject>&xxe;</Subject>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<edXML>&lol9;</edXML>"""


@pytest.mark.parametrize("data", [XXE, BILLION_LAUGHS], ids=["xxe", "billion-laughs"])
def test_doctype_is_refused_by_parse_and_validate(data: bytes) -> None:
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse(data)
    with pytest.raises(UnsafeXmlError):
        validate(data)


def test_malformed_xml() -> None:
    with pytest.raises(MalformedXmlError) as caught:
        parse(b"<edXML>\n<edXMLEnvelope></edXML>")

    assert caught.value.params["line"] == 2
    assert "mismatch" in caught.value.params["detail"]


def test_not_an_edxml_package() -> None:
    with pytest.raises(MissingElementError, match="root element is html"):
        parse(b"<html><body/></html>")


def test_package_over_the_size_limit() -> None:
    data = build_document(minimal_document())

    with pytest.raises(LimitExceededError) as caught:
        parse(data, limits=Limits(max_package_bytes=len(data) - 1))
    assert caught.value.params["limit"] == len(data) - 1
    with pytest.raises(LimitExceededError):
        parse(io.BytesIO(data), limits=Limits(max_package_bytes=1000))


def test_attachment_over_the_size_limit() -> None:
    package = minimal_document()
    package.attachments[0].content = b"x" * 300_000

    with pytest.raises(LimitExceededError) as caught:
        parse(build_document(package), limits=Limits(max_attachment_bytes=200_000))
    assert caught.value.element == "Attachment[1]/ContentTransferEncoded"


def test_too_many_attachments() -> None:
    package = minimal_document()
    first = package.attachments[0]
    package.attachments = [
        type(first)(
            content_id=str(n), attachment_name=f"{n}.pdf", content=first.content
        )
        for n in range(1, 5)
    ]

    with pytest.raises(LimitExceededError, match="more than 3 attachments"):
        parse(build_document(package), limits=Limits(max_attachments=3))


def test_zip_bomb_is_stopped_at_the_limit() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.pdf", b"\0" * 5_000_000)  # ~5 KB compressed
    encoded = base64.b64encode(buffer.getvalue()).decode()
    assert len(encoded) < 20_000

    with pytest.raises(LimitExceededError) as caught:
        parse(
            single_attachment("bomb.pdf", encoded),
            limits=Limits(max_attachment_bytes=1_000_000),
        )
    assert caught.value.element == "Attachment[1]"


def test_corrupt_single_file_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("qd.pdf", b"%PDF" * 1000)
    damaged = bytearray(buffer.getvalue())
    data_start = 30 + len("qd.pdf")  # local file header, then the deflated data
    damaged[data_start + 2 : data_start + 12] = b"\xff" * 10

    with pytest.raises(AttachmentError, match="cannot be extracted"):
        parse(single_attachment("qd.pdf", base64.b64encode(bytes(damaged)).decode()))


@pytest.mark.parametrize(
    "encoded",
    ["JVBERi0x*LjcK", "JVB=Ri0xLjcK", "JVBERi0xLj"],
    ids=["char", "padding", "length"],
)
def test_bad_base64(encoded: str) -> None:
    with pytest.raises(AttachmentError, match="not valid base64") as caught:
        parse(bare_package(attachments=attachment_xml(encoded)))
    assert caught.value.element == "Attachment[1]/ContentTransferEncoded"


def test_empty_attachment() -> None:
    with pytest.raises(AttachmentError, match="has no content"):
        parse(bare_package(attachments=attachment_xml("")))


def test_manifest_reference_without_its_file() -> None:
    manifest = "".join(
        f"<Reference><ContentId>cid:{n}</ContentId></Reference>" for n in (1, 2)
    )

    with pytest.raises(AttachmentError, match="lists 2") as caught:
        parse(bare_package(manifest=manifest))
    assert caught.value.params["content_id"] == "2"


def test_document_without_attachments() -> None:
    data = (
        bare_package()
        .replace(b"<Attachment>", b"<Ignored>")
        .replace(b"</Attachment>", b"</Ignored>")
    )

    with pytest.raises(MissingElementError) as caught:
        parse(data)
    assert caught.value.element == "AttachmentEncoded/Attachment"


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        (b"<OrganId>000.00.00.H44</OrganId>", b"", "From/OrganId"),
        (b"<OrganId>000.00.24.H44</OrganId>", b"<OrganId> </OrganId>", "To/OrganId"),
        (b"<CodeNumber>07</CodeNumber>", b"", "Code/CodeNumber"),
        (b"<CodeNotation>UBND-VP</CodeNotation>", b"", "Code/CodeNotation"),
        (
            b"<Subject> V/v th\xe1\xbb\xad nghi\xe1\xbb\x87m </Subject>",
            b"<Subject/>",
            "Subject",
        ),
        (
            b"<PromulgationDate>2026/01/09</PromulgationDate>",
            b"",
            "PromulgationInfo/PromulgationDate",
        ),
    ],
)
def test_required_document_fields(old: bytes, new: bytes, element: str) -> None:
    data = bare_package()
    assert old in data

    with pytest.raises(MissingElementError) as caught:
        parse(data.replace(old, new))
    assert caught.value.element == element


def test_unreadable_promulgation_date() -> None:
    with pytest.raises(InvalidValueError) as caught:
        parse(bare_package(date_text="tomorrow"))

    assert caught.value.element == "PromulgationInfo/PromulgationDate"
    assert caught.value.params["value"] == "tomorrow"


STATUS = b"""<edXML><edXMLEnvelope><edXMLHeader><MessageHeader>
  <From><OrganId>000.00.24.H44</OrganId></From>
  <ResponseFor><OrganId>000.00.00.H44</OrganId></ResponseFor>
  <StatusCode>03</StatusCode><Timestamp>2026/02/05 15:00:00</Timestamp>
</MessageHeader></edXMLHeader></edXMLEnvelope></edXML>"""


@pytest.mark.parametrize(
    ("old", "new", "error", "element"),
    [
        (
            b"<From><OrganId>000.00.24.H44</OrganId></From>",
            b"",
            MissingElementError,
            "From/OrganId",
        ),
        (
            b"<ResponseFor><OrganId>000.00.00.H44</OrganId></ResponseFor>",
            b"",
            MissingElementError,
            "ResponseFor/OrganId",
        ),
        (b"2026/02/05 15:00:00", b"soon", InvalidValueError, "Timestamp"),
        (
            b"<StatusCode>03</StatusCode>",
            b"<StatusCode>07</StatusCode>",
            InvalidValueError,
            "StatusCode",
        ),
    ],
)
def test_required_status_fields(
    old: bytes, new: bytes, error: type[EdxmlError], element: str
) -> None:
    assert parse(STATUS).status_code == "03"

    with pytest.raises(error) as caught:
        parse(STATUS.replace(old, new))
    assert caught.value.element == element


def test_error_messages_are_translatable_templates() -> None:
    with pytest.raises(MissingElementError) as caught:
        parse(
            bare_package().replace(
                b"<Subject> V/v th\xe1\xbb\xad nghi\xe1\xbb\x87m </Subject>", b""
            )
        )

    error = caught.value
    assert error.template == "Element %(element)s is missing or empty."
    assert error.params == {"element": "Subject"}
    assert str(error) == error.template % error.params
    assert _("text") == "text"
