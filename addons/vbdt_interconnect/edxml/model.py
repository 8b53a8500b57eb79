"""In-memory form of edXML packages (QCVN 102:2016, docs/DOMAIN.md §B5).

Field names follow the XML element names in snake_case so that a reader of
the standard finds them; ``Bussiness`` keeps the standard's double "s".
Dates are ``datetime.date``; timestamps are naive ``datetime`` values holding
Asia/Ho_Chi_Minh wall time, because that is what edXML carries.  Optional
text defaults to ``""`` and optional values to ``None``; the builder omits
both, the parser returns them for absent elements.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any, BinaryIO

from ._notation import notation
from .errors import InvalidValueError, _


class Priority(IntEnum):
    """OtherInfo/Priority: urgency of the document (B4)."""

    NORMAL = 0  # thường
    URGENT = 1  # khẩn
    VERY_URGENT = 2  # thượng khẩn
    FLASH = 3  # hỏa tốc
    FLASH_SCHEDULED = 4  # hỏa tốc hẹn giờ


class SteeringType(IntEnum):
    """MessageHeader/SteeringType."""

    NONE = 0
    STEERING = 1  # văn bản chỉ đạo
    REPORT = 2  # báo cáo thực hiện chỉ đạo


class BussinessDocType(IntEnum):
    """TraceHeaderList/Bussiness/BussinessDocType."""

    NEW = 0
    REVOKE = 1
    UPDATE = 2
    REPLACE = 3


class Paper(IntEnum):
    """TraceHeaderList/Bussiness/Paper."""

    ELECTRONIC_ONLY = 0
    PAPER_ALSO_SENT = 1


class StatusCode(StrEnum):
    """StatusCode of a status package (B5)."""

    ARRIVED = "01"
    REJECTED = "02"
    REGISTERED = "03"
    ASSIGNED = "04"
    PROCESSING = "05"
    COMPLETED = "06"
    TAKE_BACK_REQUESTED = "13"
    TAKE_BACK_AGREED = "15"
    TAKE_BACK_REFUSED = "16"

    @property
    def requires_reason(self) -> bool:
        """Rejections and refusals must say why (Description)."""
        return self in (StatusCode.REJECTED, StatusCode.TAKE_BACK_REFUSED)

    @classmethod
    def from_code(cls, code: str) -> StatusCode:
        """Read a code as sent by any system: ``"3"`` means ``"03"`` and the
        legacy ``"14"`` means ``"15"`` (receiver agrees to take back/update)."""
        normalized = code.strip().zfill(2)
        try:
            return cls(STATUS_CODE_ALIASES.get(normalized, normalized))
        except ValueError:
            raise InvalidValueError(
                _("Element %(element)s: unknown status code %(value)r."),
                element="StatusCode",
                value=code,
            ) from None


STATUS_CODE_ALIASES = {"14": StatusCode.TAKE_BACK_AGREED.value}


XML_NAME = "edxml_name"
XML_ITEM = "edxml_item"


def xml(name: str, *, item: str | None = None, **options: Any) -> Any:
    """Declare the element a field maps to (see :mod:`.codec`).

    Fields are declared in the element order of the standard, which is the
    order the builder writes.  ``item`` marks a list wrapped in its own
    element (``ToPlaces/Place``); a list without ``item`` is written as
    repeated elements (``To``).
    """
    return field(metadata={XML_NAME: name, XML_ITEM: item}, **options)


@dataclass(kw_only=True)
class Organization:
    """From / To: an agency, identified by its OrganId (B6 identifier code)."""

    organ_id: str = xml("OrganId")
    organization_in_charge: str = xml("OrganizationInCharge", default="")
    organ_name: str = xml("OrganName", default="")
    organ_add: str = xml("OrganAdd", default="")
    email: str = xml("Email", default="")
    telephone: str = xml("Telephone", default="")
    fax: str = xml("Fax", default="")
    website: str = xml("Website", default="")


@dataclass(kw_only=True)
class Code:
    """Number and notation; the number stays a string (real packages carry
    non-numeric ones, and converting is the caller's business)."""

    code_number: str = xml("CodeNumber")
    code_notation: str = xml("CodeNotation")

    @classmethod
    def from_text(cls, code: str) -> Code:
        """The element for a document code such as ``09/2025/QĐ-TTg``, split
        where the notation core says (``notation.split_code``)."""
        number, rest = notation.split_code(code)
        return cls(code_number=number, code_notation=rest)

    def __str__(self) -> str:
        return notation.join_code(self.code_number, self.code_notation)


@dataclass(kw_only=True)
class PromulgationInfo:
    place: str = xml("Place", default="")
    promulgation_date: date = xml("PromulgationDate")


@dataclass(kw_only=True)
class DocumentType:
    """Map to Decree 30 types by ``type_name``, not by ``type`` (B5)."""

    type: int | None = xml("Type", default=None)
    type_detail: int | None = xml("TypeDetail", default=None)
    type_name: str = xml("TypeName", default="")


@dataclass(kw_only=True)
class SignerInfo:
    competence: str = xml("Competence", default="")
    position: str = xml("Position", default="")
    full_name: str = xml("FullName", default="")


@dataclass(kw_only=True)
class OtherInfo:
    priority: Priority | None = xml("Priority", default=None)
    sphere_of_promulgation: str = xml("SphereOfPromulgation", default="")
    typer_notation: str = xml("TyperNotation", default="")
    promulgation_amount: int | None = xml("PromulgationAmount", default=None)
    page_amount: int | None = xml("PageAmount", default=None)
    appendixes: list[str] = xml("Appendixes", item="Appendix", default_factory=list)


@dataclass(kw_only=True)
class ResponseFor:
    """The document a package answers; ``code`` is ``"number/notation"``."""

    organ_id: str = xml("OrganId")
    code: str = xml("Code", default="")
    promulgation_date: date | None = xml("PromulgationDate", default=None)
    document_id: str = xml("DocumentId", default="")


@dataclass(kw_only=True)
class StaffInfo:
    department: str = xml("Department", default="")
    staff: str = xml("Staff", default="")
    mobile: str = xml("Mobile", default="")
    email: str = xml("Email", default="")


@dataclass(kw_only=True)
class TraceHeader:
    organ_id: str = xml("OrganId")
    timestamp: datetime = xml("Timestamp")


@dataclass(kw_only=True)
class Receiver:
    """BussinessDocumentInfo/ReceiverList/Receiver of an update package."""

    receiver_type: int | None = xml("ReceiverType", default=None)
    organ_id: str = xml("OrganId")


@dataclass(kw_only=True)
class BussinessDocumentInfo:
    """What an update (BussinessDocType 2) changes: document info and/or receivers."""

    document_info: int | None = xml("DocumentInfo", default=None)
    document_receiver: int | None = xml("DocumentReceiver", default=None)
    receivers: list[Receiver] = xml(
        "ReceiverList", item="Receiver", default_factory=list
    )


@dataclass(kw_only=True)
class ReplacementInfo:
    """A document replaced by this one, and the agencies that received it."""

    document_id: str = xml("DocumentId")
    organ_ids: list[str] = xml("OrganIdList", item="OrganId", default_factory=list)


@dataclass(kw_only=True)
class Bussiness:
    bussiness_doc_type: BussinessDocType = xml(
        "BussinessDocType", default=BussinessDocType.NEW
    )
    bussiness_doc_reason: str = xml("BussinessDocReason", default="")
    bussiness_document_info: BussinessDocumentInfo | None = xml(
        "BussinessDocumentInfo", default=None
    )
    document_id: str = xml("DocumentId", default="")
    staff_info: StaffInfo | None = xml("StaffInfo", default=None)
    paper: Paper | None = xml("Paper", default=None)
    replacement_info_list: list[ReplacementInfo] = xml(
        "ReplacementInfoList", item="ReplacementInfo", default_factory=list
    )


@dataclass(kw_only=True)
class TraceHeaderList:
    trace_headers: list[TraceHeader] = xml("TraceHeader", default_factory=list)
    bussiness: Bussiness | None = xml("Bussiness", default=None)


@dataclass(kw_only=True)
class Reference:
    """A manifest entry (edXMLBody/edXMLManifest/Reference)."""

    content_id: str
    content_type: str
    description: str
    attachment_name: str


@dataclass(kw_only=True)
class Attachment:
    """A transmitted file.  ``content_id`` is stored without ``cid:``;
    ``content`` is the file itself (never the transport ZIP)."""

    content_id: str
    attachment_name: str
    content: bytes = field(repr=False)
    content_type: str = "application/octet-stream"
    description: str = ""
    declared_content_type: str = field(default="", compare=False)
    """What the package declared, when the parser settled on another type."""
    content_type_note: str = field(default="", compare=False)
    """Why ``content_type`` differs from ``declared_content_type``: an English
    template over ``%(declared)s`` and ``%(actual)s`` for the Odoo layer to
    translate (empty when they agree)."""
    source: BinaryIO | None = field(
        default=None, repr=False, compare=False, metadata={"transient": True}
    )
    """With ``parse(..., spool=True)``: the file, in a temporary file, in
    place of ``content`` (empty then); see :meth:`read_content`."""

    def read_content(self) -> bytes:
        """The file's bytes. A spooled file is read once, then closed and
        forgotten: a caller storing the attachments one by one holds one
        file in memory at a time."""
        if self.source is None:
            return self.content
        source, self.source = self.source, None
        try:
            source.seek(0)
            return source.read()
        finally:
            source.close()

    @property
    def content_type_reason(self) -> str:
        if not self.content_type_note:
            return ""
        return self.content_type_note % {
            "declared": self.declared_content_type,
            "actual": self.content_type,
        }

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def reference(self) -> Reference:
        return Reference(
            content_id=self.content_id,
            content_type=self.content_type,
            description=self.description,
            attachment_name=self.attachment_name,
        )


@dataclass(kw_only=True)
class DocumentPackage:
    """A document package.  The ``xml`` fields form MessageHeader, in order;
    ``trace_header_list`` and ``attachments`` live elsewhere in the package."""

    sender: Organization = xml("From")
    recipients: list[Organization] = xml("To")
    code: Code = xml("Code")
    promulgation_info: PromulgationInfo = xml("PromulgationInfo")
    document_type: DocumentType = xml("DocumentType", default_factory=DocumentType)
    subject: str = xml("Subject")
    content: str = xml("Content", default="")
    signer_info: SignerInfo | None = xml("SignerInfo", default=None)
    due_date: date | None = xml("DueDate", default=None)
    to_places: list[str] = xml("ToPlaces", item="Place", default_factory=list)
    other_info: OtherInfo | None = xml("OtherInfo", default=None)
    response_for: list[ResponseFor] = xml("ResponseFor", default_factory=list)
    steering_type: SteeringType | None = xml("SteeringType", default=None)
    document_id: str = xml("DocumentId", default="")
    trace_header_list: TraceHeaderList | None = None
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def references(self) -> list[Reference]:
        """The manifest, derived from the attachments so the two never disagree."""
        return [attachment.reference for attachment in self.attachments]

    @property
    def resolved_document_id(self) -> str:
        """DocumentId as sent, else the canonical one built from sender,
        promulgation date and number/notation (the identity used to
        recognise duplicates, docs/ARCHITECTURE.md §A4)."""
        if self.document_id:
            return self.document_id
        try:
            return notation.format_document_id(
                self.sender.organ_id,
                self.promulgation_info.promulgation_date,
                str(self.code),
            )
        except notation.NotationError as error:
            raise InvalidValueError(
                _("Element %(element)s cannot be built: %(reason)s"),
                element="DocumentId",
                reason=str(error),
            ) from error

    def is_addressed_to(self, organ_id: str) -> bool:
        return any(recipient.organ_id == organ_id for recipient in self.recipients)


@dataclass(kw_only=True)
class StatusPackage:
    """A status package (no body); the fields form MessageHeader, in order."""

    sender: Organization = xml("From")
    response_for: ResponseFor = xml("ResponseFor")
    staff_info: StaffInfo | None = xml("StaffInfo", default=None)
    status_code: StatusCode = xml("StatusCode")
    description: str = xml("Description", default="")
    timestamp: datetime = xml("Timestamp")


Package = DocumentPackage | StatusPackage
