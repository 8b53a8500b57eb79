"""Building: canonical form, strict validation, round trips through the parser."""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from edxml import (
    Bussiness,
    BussinessDocType,
    Code,
    DocumentPackage,
    InvalidValueError,
    MissingElementError,
    ReplacementInfo,
    StatusCode,
    TraceHeaderList,
    ValidationError,
    assert_valid,
    build_document,
    build_status,
    detailed_report,
    parse,
    validate,
)
from edxml.errors import AttachmentError
from edxml_samples import PDF, SENDER_ID, full_document, minimal_document, status
from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
E = f"{{{NS}}}"


def test_round_trip_of_every_field() -> None:
    package = full_document()

    assert parse(build_document(package)) == package


def test_round_trip_zipped_attachments() -> None:
    package = full_document()
    data = build_document(package, zip_attachments=True)

    root = etree.fromstring(data)
    assert {node.text for node in root.iter(f"{E}ContentType")} == {"application/zip"}
    encoded = next(root.iter(f"{E}ContentTransferEncoded")).text
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as archive:
        assert archive.namelist() == ["15-QD-UBND.pdf"]
    # The parser unwraps the ZIP and recovers the type from the name.
    assert parse(data) == package


def test_zipped_build_is_reproducible() -> None:
    package = full_document()

    assert build_document(package, zip_attachments=True) == build_document(
        package, zip_attachments=True
    )


def test_status_round_trip() -> None:
    package = status()

    assert parse(build_status(package)) == package


def test_canonical_namespace_form_like_real_packages() -> None:
    data = build_document(minimal_document())

    assert data.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">\n'
        b'  <edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">\n'
        b"    <edXML:edXMLHeader>\n"
    )
    root = etree.fromstring(data)
    assert [child.tag for child in root] == [
        f"{E}edXMLEnvelope",
        f"{E}AttachmentEncoded",
    ]
    assert [child.tag for child in root[0]] == [f"{E}edXMLHeader", f"{E}edXMLBody"]


def test_header_elements_follow_the_standard_order() -> None:
    root = etree.fromstring(build_document(full_document()))
    header = next(root.iter(f"{E}MessageHeader"))

    assert [etree.QName(child).localname for child in header] == [
        "From", "To", "To", "Code", "PromulgationInfo", "DocumentType", "Subject",
        "Content", "SignerInfo", "DueDate", "ToPlaces", "OtherInfo", "ResponseFor",
        "SteeringType", "DocumentId",
    ]  # fmt: skip
    bussiness = next(root.iter(f"{E}Bussiness"))
    assert [etree.QName(child).localname for child in bussiness] == [
        "BussinessDocType", "BussinessDocReason", "BussinessDocumentInfo", "DocumentId",
        "StaffInfo", "Paper", "ReplacementInfoList",
    ]  # fmt: skip


def test_value_formats() -> None:
    root = etree.fromstring(build_document(full_document()))

    assert next(root.iter(f"{E}PromulgationDate")).text == "2026/02/05"
    assert next(root.iter(f"{E}DueDate")).text == "2026/03/01"
    assert next(root.iter(f"{E}Timestamp")).text == "2026/02/05 14:30:05"
    assert next(root.iter(f"{E}Priority")).text == "1"
    assert [node.text for node in root.iter(f"{E}ContentId")] == [
        "cid:1",
        "cid:2",
        "cid:1",
        "cid:2",
    ]


def test_document_id_is_derived_when_absent() -> None:
    package = minimal_document(document_id="")
    root = etree.fromstring(build_document(package))

    assert next(root.iter(f"{E}DocumentId")).text == f"{SENDER_ID},2026/01/09,7/UBND-VP"
    assert package.resolved_document_id == f"{SENDER_ID},2026/01/09,7/UBND-VP"


def test_attachment_content_is_base64_of_the_file() -> None:
    root = etree.fromstring(build_document(minimal_document()))

    assert base64.b64decode(next(root.iter(f"{E}ContentTransferEncoded")).text) == PDF


def test_large_attachment_is_written_in_several_chunks_and_round_trips() -> None:
    content = bytes(range(256)) * 12_000  # 3 MB: many 48 KiB encoding slices
    package = minimal_document()
    package.attachments[0].content = content

    assert parse(build_document(package)).attachments[0].content == content


def test_build_refuses_package_without_attachment() -> None:
    with pytest.raises(MissingElementError) as caught:
        build_document(minimal_document(attachments=[]))

    assert caught.value.element == "AttachmentEncoded/Attachment"


def test_build_refuses_empty_attachment() -> None:
    package = minimal_document()
    package.attachments[0].content = b""

    with pytest.raises(AttachmentError, match="empty"):
        build_document(package)


@pytest.mark.parametrize(
    ("change", "element"),
    [
        ({"code": Code(code_number="15a", code_notation="QĐ-UBND")}, "CodeNumber"),
        ({"subject": "   "}, "Subject"),
    ],
)
def test_build_validates_against_the_schema(
    change: dict[str, object], element: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        build_document(minimal_document(**change))

    assert caught.value.element == element
    assert caught.value.issues[0].line > 0


def test_build_refuses_characters_xml_cannot_carry() -> None:
    with pytest.raises(InvalidValueError) as caught:
        build_document(minimal_document(subject="Kế hoạch\x0bnăm 2026"))

    assert caught.value.element == "Subject"


def test_build_refuses_duplicate_content_ids() -> None:
    package = minimal_document()
    package.attachments.append(replace(package.attachments[0], attachment_name="b.pdf"))

    with pytest.raises(ValidationError, match="Duplicate key-sequence"):
        build_document(package)


def _revision(kind: BussinessDocType, **bussiness: object) -> DocumentPackage:
    return minimal_document(
        trace_header_list=TraceHeaderList(
            bussiness=Bussiness(bussiness_doc_type=kind, **bussiness)  # type: ignore[arg-type]
        )
    )


@pytest.mark.parametrize(
    "kind", [BussinessDocType.REVOKE, BussinessDocType.UPDATE, BussinessDocType.REPLACE]
)
def test_revisions_need_a_reason_and_the_document_they_concern(
    kind: BussinessDocType,
) -> None:
    original = f"{SENDER_ID},2026/01/09,6/UBND-VP"
    with pytest.raises(MissingElementError) as caught:
        build_document(_revision(kind, bussiness_doc_reason=" ", document_id=original))
    assert caught.value.element == "BussinessDocReason"

    with pytest.raises(MissingElementError) as caught:
        build_document(_revision(kind, bussiness_doc_reason="Sai sót"))
    assert caught.value.element == "Bussiness/DocumentId"

    package = _revision(kind, bussiness_doc_reason="Sai sót", document_id=original)
    assert parse(build_document(package)).trace_header_list == package.trace_header_list


def test_replacement_named_by_its_replacement_info_only() -> None:
    package = _revision(
        BussinessDocType.REPLACE,
        bussiness_doc_reason="Thay thế văn bản ban hành sai thẩm quyền",
        replacement_info_list=[
            ReplacementInfo(
                document_id=f"{SENDER_ID},2026/01/09,6/UBND-VP", organ_ids=["H01.151"]
            )
        ],
    )

    parsed = parse(build_document(package))

    assert parsed.trace_header_list.bussiness.replacement_info_list[0].organ_ids == [
        "H01.151"
    ]


def test_new_documents_need_no_reason() -> None:
    package = _revision(BussinessDocType.NEW)

    assert parse(build_document(package)).trace_header_list == package.trace_header_list


@pytest.mark.parametrize("code", [StatusCode.REJECTED, StatusCode.TAKE_BACK_REFUSED])
def test_rejections_need_a_reason(code: StatusCode) -> None:
    with pytest.raises(MissingElementError) as caught:
        build_status(status(code, description=""))

    assert caught.value.element == "Description"
    assert caught.value.params["code"] == code.value


def test_status_code_14_is_read_as_15() -> None:
    data = build_status(status(StatusCode.TAKE_BACK_AGREED)).replace(
        b"<edXML:StatusCode>15<", b"<edXML:StatusCode>14<"
    )

    assert parse(data).status_code is StatusCode.TAKE_BACK_AGREED


def test_validate_reports_element_and_line() -> None:
    data = build_document(minimal_document()).replace(b"2026/01/09", b"09/01/2026")

    [issue] = validate(data)
    assert issue.element == "PromulgationDate"
    assert issue.line == data[: data.index(b"09/01/2026")].count(b"\n") + 1
    assert "09/01/2026" in issue.message
    with pytest.raises(ValidationError):
        assert_valid(data)


def test_validate_reports_malformed_xml_as_an_issue() -> None:
    [issue] = validate(b"<edXML><unclosed></edXML>")

    assert issue.line == 1
    assert "mismatch" in issue.message.lower()


def test_detailed_report_uses_xmlschema_wording() -> None:
    data = build_document(minimal_document()).replace(b"2026/01/09", b"09/01/2026")

    [issue] = detailed_report(data)
    assert issue.element == "PromulgationDate"
    assert issue.line == 17
    assert "/MessageHeader/PromulgationInfo/PromulgationDate" in issue.message


def test_aware_timestamps_are_written_as_vietnam_wall_time() -> None:
    package = status()
    package.timestamp = datetime(2026, 2, 5, 8, 0, tzinfo=UTC)
    root = etree.fromstring(build_status(package))

    assert next(root.iter(f"{E}Timestamp")).text == "2026/02/05 15:00:00"


def test_minimal_document_round_trip_keeps_defaults() -> None:
    package = minimal_document()
    back = parse(build_document(package))

    assert isinstance(back, DocumentPackage)
    assert back == replace(package, document_id=package.resolved_document_id)
    assert back.other_info is None and back.trace_header_list is None
    assert back.promulgation_info.promulgation_date == date(2026, 1, 9)


def test_edxml_uses_the_notation_core_itself() -> None:
    """One notation owner: edXML reaches the same module the tests (and,
    inside Odoo, the models) import, not a copy (edxml/_notation.py)."""
    import notation
    from edxml import _notation

    assert _notation.notation is notation


def test_document_id_cannot_be_derived_from_an_invalid_sender_code() -> None:
    package = minimal_document(document_id="")
    package.sender.organ_id = "UBND tỉnh"

    with pytest.raises(InvalidValueError) as caught:
        build_document(package)
    assert caught.value.element == "DocumentId"
    assert "contains a space" in str(caught.value)
