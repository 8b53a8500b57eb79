"""Bounded parsing (issue 10): depth, element count, total decoded budget,
ZIP bombs, content types checked against the bytes, the sender peek."""

from __future__ import annotations

import os

import pytest
from edxml import (
    Attachment,
    LimitExceededError,
    Limits,
    MalformedXmlError,
    UnsafeXmlError,
    build_document,
    parse,
    read_sender,
)
from edxml.attachments import settle_content_type, sniff_content_type
from edxml_samples import (
    FIXTURES,
    PDF,
    RECIPIENT_ID,
    SENDER_ID,
    minimal_document,
    status,
)
from hostile_packages import nested, wide, zip_bombs

DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def test_deep_nesting_is_refused_at_the_depth_limit() -> None:
    with pytest.raises(LimitExceededError, match="deeper than 64 levels"):
        parse(nested(25_000))


def test_nesting_within_the_limit_is_read() -> None:
    assert parse(nested(40)).subject == "V/v thử nghiệm"


def test_element_count_is_bounded() -> None:
    with pytest.raises(LimitExceededError, match="more than 20000 elements") as caught:
        parse(wide(200_000))
    assert caught.value.element == "a"
    assert parse(wide(1_000)).subject == "V/v thử nghiệm"


def test_ten_zip_bombs_are_refused_at_the_first() -> None:
    data = zip_bombs(10, 20)
    assert len(data) < 400_000

    with pytest.raises(
        LimitExceededError, match="expands more than 100 times"
    ) as caught:
        parse(data)
    assert caught.value.element == "Attachment[1]"


def test_total_budget_over_all_attachments() -> None:
    files = [os.urandom(300_000) for _i in range(4)]
    package = minimal_document(
        attachments=[
            Attachment(
                content_id=str(i),
                attachment_name=f"{i}.pdf",
                content=b"%PDF-" + content,
            )
            for i, content in enumerate(files, start=1)
        ]
    )
    data = build_document(package)

    assert len(parse(data, limits=Limits(max_total_bytes=2_000_000)).attachments) == 4
    with pytest.raises(LimitExceededError, match="more than 1000000 bytes in total"):
        parse(data, limits=Limits(max_total_bytes=1_000_000))


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "x.pdf", "application/pdf"),
        (DOC, "to-trinh.doc", "application/msword"),
        (DOC, "bang.xls", "application/vnd.ms-excel"),
        (b"PK\x03\x04rest", "bao-cao.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (b"\x89PNG\r\n\x1a\n....", "anh.bin", "image/png"),
    ],
)  # fmt: skip
def test_sniffed_types(content: bytes, name: str, expected: str) -> None:
    assert sniff_content_type(content, name)[0] == expected


def test_plain_text_cannot_be_sniffed_and_keeps_its_declaration() -> None:
    settled = settle_content_type("text/plain", "ghi-chu.txt", b"hello", unzipped=False)
    assert (settled.content_type, settled.attachment_name, settled.note) == (
        "text/plain",
        "ghi-chu.txt",
        "",
    )


def test_contradicting_declaration_is_corrected_with_a_reason() -> None:
    package = minimal_document(
        attachments=[
            Attachment(
                content_id="1",
                attachment_name="quyet-dinh.doc",
                content=PDF,
                content_type="application/msword",
            )
        ]
    )
    [attachment] = parse(build_document(package)).attachments

    assert attachment.content_type == "application/pdf"
    assert attachment.attachment_name == "quyet-dinh.pdf"
    assert attachment.declared_content_type == "application/msword"
    assert attachment.content_type_reason == (
        "The declared type is application/msword but the content is application/pdf; "
        "the file name was corrected."
    )


def test_same_family_declaration_is_kept() -> None:
    settled = settle_content_type(
        "application/vnd.ms-excel", "bang.doc", DOC, unzipped=False
    )
    assert (settled.content_type, settled.note) == ("application/vnd.ms-excel", "")


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.edxml")), ids=lambda p: p.name)
def test_real_samples_keep_the_declared_type_or_say_why(path) -> None:
    from lxml import etree

    package = parse(path.read_bytes())
    declared = {
        node.findtext("{*}ContentId", "").removeprefix("cid:"): node.findtext(
            "{*}ContentType"
        )
        for node in etree.fromstring(path.read_bytes()).iter("{*}Attachment")
    }
    for attachment in getattr(package, "attachments", []):
        if attachment.content_type_note:
            # The one real sample zips a file named .doc that is XML, and
            # declares the wrapper's type: the bytes win, with the reason.
            assert attachment.declared_content_type == declared[attachment.content_id]
            assert (
                attachment.content_type
                == sniff_content_type(attachment.content, attachment.attachment_name)[0]
            )
            assert "transport ZIP" in attachment.content_type_reason
        else:
            assert attachment.content_type == declared[attachment.content_id]


def test_read_sender_stops_at_the_header() -> None:
    data = build_document(minimal_document())
    assert read_sender(data) == SENDER_ID
    assert read_sender(build_document_status()) == RECIPIENT_ID  # the status' sender
    # The attachments after the header are never decoded: garbage there is not seen.
    assert read_sender(data.replace(b"JVBERi0", b"!!!!")) == SENDER_ID


def build_document_status() -> bytes:
    from edxml import build_status

    return build_status(status())


def test_read_sender_is_bounded_and_safe() -> None:
    with pytest.raises(LimitExceededError):
        read_sender(b"<edXML>" + b"<a>" * 100 + b"</a>" * 100 + b"</edXML>")
    with pytest.raises(UnsafeXmlError):
        read_sender(b'<!DOCTYPE x [<!ENTITY e "x">]><edXML/>')
    with pytest.raises(MalformedXmlError):
        read_sender(b"<edXML><broken")
    assert read_sender(b"<edXML/>") == ""
