"""The real packages in tests/fixtures/edxml parse into the right fields."""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import date, datetime

from edxml import (
    BussinessDocType,
    DocumentPackage,
    Paper,
    Priority,
    StatusCode,
    StatusPackage,
    SteeringType,
    parse,
)
from edxml_samples import fixture_bytes
from notation import parse_document_id, split_code


def test_document_fixture_header() -> None:
    package = parse(fixture_bytes("edoc_new.edxml"))

    assert isinstance(package, DocumentPackage)
    assert package.sender.organ_id == "000.00.00.A80"
    assert (
        package.sender.organ_name
        == "UBND xã Hòa Tiến - UBND huyện Hòa Vang - Thành phố Đà Nẵng"
    )
    assert package.sender.organ_add == "Số 1 Hoàng Hoa Thám, Quận Ba Đình, Hà Nội"
    assert package.sender.email == "vpcp@gov.vn"
    assert package.sender.website == "vpcp.vn"
    assert [r.organ_id for r in package.recipients] == ["28.22.H17"]
    assert package.recipients[0].telephone == "(84-4) 3821 5137"
    # A non-numeric number is kept verbatim: converting it is the caller's business.
    assert package.code.code_number == "74fass22"
    assert package.code.code_notation == "VPCP-TTĐT"
    assert package.promulgation_info.place == "Hà Nội"
    assert package.promulgation_info.promulgation_date == date(2019, 1, 16)
    assert package.document_type.type == 1
    assert package.document_type.type_detail == 0
    assert package.document_type.type_name == "Công văn"
    assert package.subject == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert package.content == "V/v kết nối, liên thông phần mềm quản lý văn bản"
    assert package.signer_info.competence == "TL. BO TRUONG"
    assert package.signer_info.full_name == "Nguyen Thanh Phuc"
    assert package.due_date == date(2018, 9, 28)
    assert package.to_places == [
        "Cac bo va co quan ngang bo",
        "Uy ban nhan dan cac tinh, TP",
    ]
    assert package.steering_type is SteeringType.STEERING
    assert package.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"


def test_document_fixture_other_info_and_trace() -> None:
    package = parse(fixture_bytes("edoc_new.edxml"))

    other = package.other_info
    assert other.priority is Priority.NORMAL
    assert other.sphere_of_promulgation == "Liên thông văn bản quốc gia"
    assert other.typer_notation == "TVC"
    assert (other.promulgation_amount, other.page_amount) == (2, 22)
    assert other.appendixes == [
        "Công văn về việc kết nối, liên thông phần mềm quản lý văn bản"
    ]

    trace = package.trace_header_list
    assert [(t.organ_id, t.timestamp) for t in trace.trace_headers] == [
        ("000.00.00.G22", datetime(2018, 9, 28, 0, 0, 0))
    ]
    assert trace.bussiness.bussiness_doc_type is BussinessDocType.NEW
    assert trace.bussiness.bussiness_doc_reason == "Văn bản điện tử mới"
    assert trace.bussiness.paper is Paper.ELECTRONIC_ONLY
    assert trace.bussiness.staff_info.staff == "Nguyễn Thị Ngọc Trâm"
    assert trace.bussiness.staff_info.mobile == "84912000001"
    # The fixture's own DocumentId names 30 February: kept and read, with no
    # calendar date.
    assert trace.bussiness.document_id == "000.00.00.G22,2014/02/30,7806/VPCP-TTĐT"
    parts = parse_document_id(trace.bussiness.document_id)
    assert (parts.date, parts.date_text) == (None, "2014/02/30")


def test_document_fixture_zipped_attachment_is_unwrapped() -> None:
    package = parse(fixture_bytes("edoc_new.edxml"))

    [attachment] = package.attachments
    assert attachment.content_id == "209"  # "cid:" stripped
    # Declared application/zip described the wrapper; the file inside is
    # named .doc but is XML: the bytes decide, the name follows, the reason
    # is kept (an independent edXML library keeps the declared type).
    assert attachment.content.startswith(b'<?xml version="1.0"')
    assert attachment.content_type == "application/xml"
    assert attachment.attachment_name == "1896_QD-TTg_m_294779.xml"
    assert attachment.declared_content_type == "application/zip"
    assert "transport ZIP" in attachment.content_type_reason
    assert attachment.description == "1896_QD-TTg_m_294779.doc"
    assert len(attachment.content) == 388347
    assert not attachment.content.startswith(b"PK\x03\x04")
    assert [ref.content_id for ref in package.references] == ["209"]


def test_document_fixture_content_equals_zip_member() -> None:
    data = fixture_bytes("edoc_new.edxml")
    start = data.index(b'QCVN_102_2016">', data.index(b"ContentTransferEncoded")) + len(
        b'QCVN_102_2016">'
    )
    encoded = data[start : data.index(b"</edXML:ContentTransferEncoded>")]

    with zipfile.ZipFile(
        io.BytesIO(base64.b64decode(b"".join(encoded.split())))
    ) as archive:
        member = archive.read(archive.namelist()[0])

    assert parse(data).attachments[0].content == member


def test_status_fixtures() -> None:
    arrived = parse(fixture_bytes("status_inbox_01.edxml"))
    registered = parse(fixture_bytes("status_acceptance_03.edxml"))

    assert isinstance(arrived, StatusPackage)
    assert arrived.status_code is StatusCode.ARRIVED
    assert registered.status_code is StatusCode.REGISTERED
    assert arrived.sender.organ_id == "000.00.00.H41"
    assert arrived.sender.organ_name == "UBND Tỉnh Nghệ An"
    assert arrived.response_for.organ_id == "000.00.00.G22"
    assert arrived.response_for.code == "7816/VPCP-TTĐT"
    assert arrived.response_for.promulgation_date == date(2015, 9, 30)
    assert arrived.response_for.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    assert arrived.staff_info.department == "Phong hanh chinh"
    assert arrived.staff_info.email == "ngoctram@nghean.vn"
    assert arrived.timestamp == datetime(2015, 9, 20, 11, 8, 36)
    assert arrived.description.startswith("Văn thư - Phòng Văn thư - Lưu trữ: Đã đến")
    assert registered.description.endswith("vào sổ văn bản đến của đơn vị")


def test_fixture_document_id_parts() -> None:
    parts = parse_document_id(parse(fixture_bytes("edoc_new.edxml")).document_id)

    assert parts.organ_id == "000.00.00.G22"
    assert parts.date == date(2015, 9, 30)
    assert split_code(parts.code) == ("7816", "VPCP-TTĐT")
