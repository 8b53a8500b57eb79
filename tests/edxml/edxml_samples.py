"""Sample packages for the edXML tests (imported by the test modules)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from edxml import (
    Attachment,
    Bussiness,
    BussinessDocType,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    Organization,
    OtherInfo,
    Paper,
    Priority,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusPackage,
    SteeringType,
    TraceHeader,
    TraceHeaderList,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "edxml"
SENDER_ID = "000.00.00.H44"
RECIPIENT_ID = "000.00.24.H44"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def full_document() -> DocumentPackage:
    """A document package with every optional part filled in."""
    return DocumentPackage(
        sender=Organization(
            organ_id=SENDER_ID,
            organization_in_charge="UBND tỉnh Phú Thọ",
            organ_name="Văn phòng UBND tỉnh Phú Thọ",
            organ_add="Đường Trần Phú, TP Việt Trì",
            email="vp@phutho.gov.vn",
            telephone="0210 3846 131",
            fax="0210 3846 132",
            website="phutho.gov.vn",
        ),
        recipients=[
            Organization(organ_id=RECIPIENT_ID, organ_name="UBND huyện Lâm Thao"),
            Organization(organ_id="H01.151", organ_name="Sở Nội vụ"),
        ],
        code=Code(code_number="15", code_notation="QĐ-UBND"),
        promulgation_info=PromulgationInfo(
            place="Phú Thọ", promulgation_date=date(2026, 2, 5)
        ),
        document_type=DocumentType(type=1, type_detail=2, type_name="Quyết định"),
        subject="Về việc phê duyệt kế hoạch chuyển đổi số năm 2026 & <giai đoạn 2>",
        content="Nội dung trích yếu",
        signer_info=SignerInfo(
            competence="KT. CHỦ TỊCH", position="PHÓ CHỦ TỊCH", full_name="Nguyễn Văn A"
        ),
        due_date=date(2026, 3, 1),
        to_places=["Như Điều 3", "Lưu: VT"],
        other_info=OtherInfo(
            priority=Priority.URGENT,
            sphere_of_promulgation="Liên thông văn bản quốc gia",
            typer_notation="NVB",
            promulgation_amount=5,
            page_amount=3,
            appendixes=["Phụ lục I", "Phụ lục II"],
        ),
        response_for=[
            ResponseFor(
                organ_id="000.00.00.G22",
                code="7816/VPCP-TTĐT",
                promulgation_date=date(2025, 9, 30),
                document_id="000.00.00.G22,2025/09/30,7816/VPCP-TTĐT",
            )
        ],
        steering_type=SteeringType.STEERING,
        document_id=f"{SENDER_ID},2026/02/05,15/QĐ-UBND",
        trace_header_list=TraceHeaderList(
            trace_headers=[
                TraceHeader(
                    organ_id=SENDER_ID, timestamp=datetime(2026, 2, 5, 14, 30, 5)
                )
            ],
            bussiness=Bussiness(
                bussiness_doc_type=BussinessDocType.UPDATE,
                bussiness_doc_reason="Cập nhật nơi nhận",
                bussiness_document_info=BussinessDocumentInfo(
                    document_info=0,
                    document_receiver=1,
                    receivers=[Receiver(receiver_type=1, organ_id="H01.151")],
                ),
                document_id=f"{SENDER_ID},2026/02/04,14/QĐ-UBND",
                staff_info=StaffInfo(
                    department="Phòng Hành chính",
                    staff="Trần Thị B",
                    mobile="0912000001",
                    email="b@phutho.gov.vn",
                ),
                paper=Paper.PAPER_ALSO_SENT,
                replacement_info_list=[
                    ReplacementInfo(
                        document_id=f"{SENDER_ID},2026/01/10,03/QĐ-UBND",
                        organ_ids=[RECIPIENT_ID],
                    )
                ],
            ),
        ),
        attachments=[
            Attachment(
                content_id="1",
                attachment_name="15-QD-UBND.pdf",
                content=PDF,
                content_type="application/pdf",
                description="Quyết định số 15/QĐ-UBND.pdf",
            ),
            Attachment(
                content_id="2",
                attachment_name="phu-luc.pdf",
                content=PDF + b"appendix",
                content_type="application/pdf",
            ),
        ],
    )


def minimal_document(**changes: object) -> DocumentPackage:
    package = DocumentPackage(
        sender=Organization(organ_id=SENDER_ID),
        recipients=[Organization(organ_id=RECIPIENT_ID)],
        code=Code(code_number="7", code_notation="UBND-VP"),
        promulgation_info=PromulgationInfo(promulgation_date=date(2026, 1, 9)),
        subject="V/v thử nghiệm",
        attachments=[
            Attachment(
                content_id="1",
                attachment_name="a.pdf",
                content=PDF,
                content_type="application/pdf",
            )
        ],
    )
    for name, value in changes.items():
        setattr(package, name, value)
    return package


def status(
    code: StatusCode = StatusCode.REGISTERED, description: str = "Đã vào sổ"
) -> StatusPackage:
    return StatusPackage(
        sender=Organization(organ_id=RECIPIENT_ID, organ_name="UBND huyện Lâm Thao"),
        response_for=ResponseFor(
            organ_id=SENDER_ID,
            code="15/QĐ-UBND",
            promulgation_date=date(2026, 2, 5),
            document_id=f"{SENDER_ID},2026/02/05,15/QĐ-UBND",
        ),
        staff_info=StaffInfo(department="Văn thư", staff="Lê Văn C"),
        status_code=code,
        description=description,
        timestamp=datetime(2026, 2, 5, 15, 0, 0),
    )
