"""E-ARK CSIP submission information packages (SIP) for the hand-over of
closed case files to the archive (Circular 05/2025/TT-BNV, read as E-ARK
CSIP 2.1: METS, PREMIS 3, SHA-256 per file).

The package is a ZIP written to a seekable binary stream, one entry at a
time: document bytes are copied in chunks from their sources (never held
whole, never converted: a signed PDF keeps its signatures and validation
data), hashed on the way, and the XML metadata is written incrementally
with ``lxml.etree.xmlfile``. Only per-file facts (path, size, digest) stay in
memory.

Layout::

    <package id>/METS.xml
    <package id>/metadata/descriptive/records.xml      Circular 05/2025 fields
    <package id>/metadata/preservation/premis.xml      PREMIS 3
    <package id>/representations/rep1/data/<file code>/<nnn>-<name>
    <package id>/documentation/handover-record.xml     biên bản giao nhận
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from lxml import etree

METS_NS = "http://www.loc.gov/METS/"
CSIP_NS = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
SIP_NS = "https://DILCIS.eu/XML/METS/SIPExtensionMETS"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_NS = "http://www.loc.gov/premis/v3"
RECORDS_NS = "urn:vbdt:records:tt05-2025:1"
SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
SOFTWARE = "vbdt (Document Office, Odoo 18)"
CHUNK = 1024 * 1024
SIGNED_PDF_MARK = b"/ByteRange"

METS_ENTRY = "METS.xml"
DESCRIPTIVE_ENTRY = "metadata/descriptive/records.xml"
PRESERVATION_ENTRY = "metadata/preservation/premis.xml"
RECORD_ENTRY = "documentation/handover-record.xml"
DATA_PREFIX = "representations/rep1/data/"
SCHEMA_PREFIX = "schemas/"
# The XML schemas the package uses travel with it (CSIP113).
SCHEMA_FILES = (
    "mets.xsd",
    "xlink.xsd",
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
    "premis-v3-0.xsd",
)
SCHEMA_DIR = Path(__file__).parent / "schemas"
CONTENT_TYPE = "Vietnamese case files (Circular 05/2025/TT-BNV)"


class PackageError(ValueError):
    """The package cannot be built from what was given."""


@dataclass(frozen=True)
class Event:
    """A PREMIS event of a document: creation, signing, registration."""

    kind: str
    moment: datetime
    detail: str = ""
    agent: str = ""


@dataclass(frozen=True)
class Source:
    """One file of a document: ``opener`` returns a fresh binary stream."""

    name: str
    mimetype: str
    opener: Callable[[], BinaryIO]
    # The SHA-256 recorded when the file was stored, if any: the copy must
    # match it, or the package is not built.
    sha256: str = ""


@dataclass
class RecordDocument:
    """A document of a case file; ``metadata`` holds the Circular 05/2025
    document fields, in order (element name, text)."""

    ordinal: int
    identifier: str
    metadata: list[tuple[str, str]]
    sources: list[Source] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass
class RecordFile:
    """A closed case file; ``metadata`` holds the Circular 05/2025 file
    fields, in order (element name, text)."""

    code: str
    title: str
    metadata: list[tuple[str, str]]
    documents: list[RecordDocument] = field(default_factory=list)


@dataclass
class Submission:
    agency_name: str
    agency_code: str
    archive_name: str
    submitter: str
    files: Iterable[RecordFile]
    created: datetime | None = None
    package_id: str = ""


@dataclass(frozen=True)
class StoredFile:
    path: str  # inside the package root
    size: int
    sha256: str
    mimetype: str
    identifier: str  # PREMIS object identifier
    signed: bool = False


@dataclass
class PackageSummary:
    package_id: str
    file_count: int = 0
    document_count: int = 0
    content_files: int = 0
    content_bytes: int = 0
    signed_pdfs: int = 0
    stored: list[StoredFile] = field(default_factory=list)


# ---------------------------------------------------------------- helpers
def safe_segment(text: str, limit: int = 80) -> str:
    """A path segment from user text: ASCII letters, digits, '.', '-', '_'
    only; never empty, never '.' or '..'."""
    plain = (
        unicodedata.normalize("NFKD", text or "").replace("đ", "d").replace("Đ", "D")
    )
    plain = plain.encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.")[:limit]
    return plain or "x"


def _iso(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.isoformat(timespec="seconds")
    return moment.isoformat()


class _HashingWriter:
    """File-like wrapper: counts and hashes what goes through."""

    def __init__(self, target):
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data):  # pylint: disable=method-required-super
        self.digest.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self):
        pass


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, root: str, created: datetime):
        self.archive = archive
        self.root = root
        self.created = created
        self.stored: list[StoredFile] = []
        self.names: set[str] = set()

    def _info(self, path):
        if path in self.names:
            raise PackageError(f"duplicate path in package: {path}")
        self.names.add(path)
        info = zipfile.ZipInfo(f"{self.root}/{path}", self.created.timetuple()[:6])
        # Stored, not deflated: the bytes in the package are the documents'
        # bytes, and PDFs are compressed already.
        info.compress_type = zipfile.ZIP_STORED
        return info

    def add_file(self, path, source: Source, identifier, listed=True) -> StoredFile:
        signed, tail = False, b""
        with self.archive.open(self._info(path), "w", force_zip64=True) as entry:
            out = _HashingWriter(entry)
            with source.opener() as stream:
                while chunk := stream.read(CHUNK):
                    signed = signed or SIGNED_PDF_MARK in tail + chunk
                    tail = chunk[-len(SIGNED_PDF_MARK) :]
                    out.write(chunk)
        if source.sha256 and source.sha256 != out.digest.hexdigest():
            raise PackageError(f"{source.name} no longer matches its recorded SHA-256")
        stored = StoredFile(
            path,
            out.size,
            out.digest.hexdigest(),
            source.mimetype,
            identifier,
            signed and source.mimetype == "application/pdf",
        )
        if listed:
            self.stored.append(stored)
        return stored

    def xml(self, path, write: Callable[[etree.xmlfile], None]) -> StoredFile:
        with self.archive.open(self._info(path), "w", force_zip64=True) as entry:
            out = _HashingWriter(entry)
            with etree.xmlfile(out, encoding="utf-8") as xf:
                xf.write_declaration()
                write(xf)
        return StoredFile(path, out.size, out.digest.hexdigest(), "text/xml", path)


def _text(xf, tag, value, **attrs):
    with xf.element(tag, attrs):
        xf.write(str(value))


# ---------------------------------------------------------------- build
def build_sip(submission: Submission, stream: BinaryIO) -> PackageSummary:
    """Write the SIP of ``submission`` to ``stream`` (seekable, binary)."""
    created = submission.created or datetime.now(UTC)
    package_id = submission.package_id or f"uuid-{uuid.uuid4()}"
    if safe_segment(package_id, 120) != package_id:
        raise PackageError(f"unsafe package id: {package_id!r}")
    summary = PackageSummary(package_id)
    files: list[tuple[RecordFile, list[tuple[RecordDocument, list[StoredFile]]]]] = []
    with zipfile.ZipFile(stream, "w", allowZip64=True) as archive:
        writer = _Writer(archive, package_id, created)
        folders: set[str] = set()
        for record_file in submission.files:
            folder = safe_segment(record_file.code)
            while folder in folders:  # the same code in two years
                folder += "_"
            folders.add(folder)
            documents = []
            for document in record_file.documents:
                stored = []
                for index, source in enumerate(document.sources, start=1):
                    name = f"{document.ordinal:03d}-{index}-{safe_segment(source.name)}"
                    identifier = f"{folder}-{document.ordinal:03d}-{index}"
                    stored.append(
                        writer.add_file(
                            f"{DATA_PREFIX}{folder}/{name}", source, identifier
                        )
                    )
                documents.append((_slim(document), stored))
            files.append((_slim_file(record_file), documents))
            summary.file_count += 1
            summary.document_count += len(documents)
        schemas = [
            writer.add_file(
                f"{SCHEMA_PREFIX}{name}",
                Source(name, "application/xml", partial(open, SCHEMA_DIR / name, "rb")),
                f"schema-{name}",
                listed=False,
            )
            for name in SCHEMA_FILES
        ]
        summary.stored = writer.stored
        summary.content_files = len(writer.stored)
        summary.content_bytes = sum(item.size for item in writer.stored)
        summary.signed_pdfs = sum(item.signed for item in writer.stored)
        if not summary.content_files:
            raise PackageError("the case files hold no electronic file to hand over")
        descriptive = writer.xml(
            DESCRIPTIVE_ENTRY, lambda xf: _write_descriptive(xf, submission, files)
        )
        record = writer.xml(
            RECORD_ENTRY,
            lambda xf: _write_record(xf, submission, summary, package_id, created),
        )
        preservation = writer.xml(
            PRESERVATION_ENTRY,
            lambda xf: _write_premis(
                xf, submission, files, package_id, created, record
            ),
        )
        writer.xml(
            METS_ENTRY,
            lambda xf: _write_mets(
                xf,
                submission,
                summary,
                (descriptive, preservation, record),
                schemas,
                created,
            ),
        )
    return summary


def _slim(document: RecordDocument) -> RecordDocument:
    # The sources (openers) are not needed after copying.
    return RecordDocument(
        document.ordinal, document.identifier, document.metadata, [], document.events
    )


def _slim_file(record_file: RecordFile) -> RecordFile:
    return RecordFile(record_file.code, record_file.title, record_file.metadata)


def write_metadata(submission: Submission, stream: BinaryIO) -> None:
    """The Circular 05/2025 descriptive metadata of ``submission.files``
    alone, as in a package's ``metadata/descriptive/records.xml`` but
    without its computer files: the whole-file export's XML."""
    files = [
        (
            _slim_file(record_file),
            [(_slim(document), []) for document in record_file.documents],
        )
        for record_file in submission.files
    ]
    with etree.xmlfile(stream, encoding="utf-8") as xf:
        xf.write_declaration()
        _write_descriptive(xf, submission, files)


# ---------------------------------------------------------------- descriptive
def _write_descriptive(xf, submission, files):
    with xf.element(f"{{{RECORDS_NS}}}fonds", nsmap={None: RECORDS_NS}):
        _text(xf, f"{{{RECORDS_NS}}}agencyCode", submission.agency_code)
        _text(xf, f"{{{RECORDS_NS}}}agencyName", submission.agency_name)
        for record_file, documents in files:
            with xf.element(f"{{{RECORDS_NS}}}file"):
                for name, value in record_file.metadata:
                    _text(xf, f"{{{RECORDS_NS}}}{name}", value)
                for document, stored in documents:
                    with xf.element(f"{{{RECORDS_NS}}}document"):
                        for name, value in document.metadata:
                            _text(xf, f"{{{RECORDS_NS}}}{name}", value)
                        for item in stored:
                            _text(
                                xf,
                                f"{{{RECORDS_NS}}}computerFile",
                                item.path,
                                sha256=item.sha256,
                                size=str(item.size),
                            )


# ---------------------------------------------------------------- PREMIS
def _p(name):
    return f"{{{PREMIS_NS}}}{name}"


def _write_premis(xf, submission, files, package_id, created, record):
    agency_id = f"agency-{safe_segment(submission.agency_code)}"
    with xf.element(
        _p("premis"), {"version": "3.0"}, nsmap={"premis": PREMIS_NS, "xsi": XSI_NS}
    ):
        for _record_file, documents in files:
            for _document, stored in documents:
                for item in stored:
                    _premis_object(xf, item)
        _premis_object(xf, record)
        for record_file, documents in files:
            for document, stored in documents:
                for number, event in enumerate(document.events, start=1):
                    _premis_event(
                        xf,
                        f"{safe_segment(record_file.code)}-{document.ordinal:03d}-e{number}",
                        event.kind,
                        event.moment,
                        event.detail,
                        agency_id,
                        [item.identifier for item in stored],
                    )
        _premis_event(
            xf,
            f"transfer-{package_id}",
            "transfer",
            created,
            f"Hand-over to {submission.archive_name} by {submission.submitter}",
            agency_id,
            [record.identifier],
        )
        _premis_agent(xf, agency_id, submission.agency_name, "organization")
        _premis_agent(xf, "software-vbdt", SOFTWARE, "software")


def _premis_object(xf, item: StoredFile):
    with xf.element(_p("object"), {f"{{{XSI_NS}}}type": "premis:file"}):
        with xf.element(_p("objectIdentifier")):
            _text(xf, _p("objectIdentifierType"), "local")
            _text(xf, _p("objectIdentifierValue"), item.identifier)
        with xf.element(_p("objectCharacteristics")):
            with xf.element(_p("fixity")):
                _text(xf, _p("messageDigestAlgorithm"), "SHA-256")
                _text(xf, _p("messageDigest"), item.sha256)
                _text(xf, _p("messageDigestOriginator"), SOFTWARE)
            _text(xf, _p("size"), item.size)
            with xf.element(_p("format")):
                with xf.element(_p("formatDesignation")):
                    _text(xf, _p("formatName"), item.mimetype)
        _text(xf, _p("originalName"), item.path)


def _premis_event(xf, identifier, kind, moment, detail, agent_id, objects):
    with xf.element(_p("event")):
        with xf.element(_p("eventIdentifier")):
            _text(xf, _p("eventIdentifierType"), "local")
            _text(xf, _p("eventIdentifierValue"), identifier)
        _text(xf, _p("eventType"), kind)
        _text(xf, _p("eventDateTime"), _iso(moment))
        if detail:
            with xf.element(_p("eventDetailInformation")):
                _text(xf, _p("eventDetail"), detail)
        with xf.element(_p("eventOutcomeInformation")):
            _text(xf, _p("eventOutcome"), "success")
        with xf.element(_p("linkingAgentIdentifier")):
            _text(xf, _p("linkingAgentIdentifierType"), "local")
            _text(xf, _p("linkingAgentIdentifierValue"), agent_id)
        for object_id in objects:
            with xf.element(_p("linkingObjectIdentifier")):
                _text(xf, _p("linkingObjectIdentifierType"), "local")
                _text(xf, _p("linkingObjectIdentifierValue"), object_id)


def _premis_agent(xf, identifier, name, kind):
    with xf.element(_p("agent")):
        with xf.element(_p("agentIdentifier")):
            _text(xf, _p("agentIdentifierType"), "local")
            _text(xf, _p("agentIdentifierValue"), identifier)
        _text(xf, _p("agentName"), name)
        _text(xf, _p("agentType"), kind)


# ---------------------------------------------------------------- record
def _write_record(xf, submission, summary, package_id, created):
    """The hand-over record (biên bản giao nhận): who, to whom, how much."""
    with xf.element(f"{{{RECORDS_NS}}}handoverRecord", nsmap={None: RECORDS_NS}):
        _text(xf, f"{{{RECORDS_NS}}}packageId", package_id)
        _text(xf, f"{{{RECORDS_NS}}}date", _iso(created))
        _text(xf, f"{{{RECORDS_NS}}}fromAgency", submission.agency_name)
        _text(xf, f"{{{RECORDS_NS}}}toArchive", submission.archive_name)
        _text(xf, f"{{{RECORDS_NS}}}submitter", submission.submitter)
        _text(xf, f"{{{RECORDS_NS}}}fileCount", summary.file_count)
        _text(xf, f"{{{RECORDS_NS}}}documentCount", summary.document_count)
        _text(xf, f"{{{RECORDS_NS}}}computerFileCount", summary.content_files)
        _text(xf, f"{{{RECORDS_NS}}}bytes", summary.content_bytes)
        _text(xf, f"{{{RECORDS_NS}}}signedPdfCount", summary.signed_pdfs)


# ---------------------------------------------------------------- METS
def _m(name):
    return f"{{{METS_NS}}}{name}"


def _file_attrs(item: StoredFile, created, identifier):
    return {
        "ID": identifier,
        "MIMETYPE": item.mimetype,
        "SIZE": str(item.size),
        "CREATED": _iso(created),
        "CHECKSUM": item.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }


def _flocat(xf, path):
    with xf.element(
        _m("FLocat"),
        {
            "LOCTYPE": "URL",
            f"{{{XLINK_NS}}}type": "simple",
            f"{{{XLINK_NS}}}href": path,
        },
    ):
        pass


def _md_ref(xf, item: StoredFile, created, mdtype, other=None):
    attrs = {
        "LOCTYPE": "URL",
        f"{{{XLINK_NS}}}type": "simple",
        f"{{{XLINK_NS}}}href": item.path,
        "MDTYPE": mdtype,
        "MIMETYPE": item.mimetype,
        "SIZE": str(item.size),
        "CREATED": _iso(created),
        "CHECKSUM": item.sha256,
        "CHECKSUMTYPE": "SHA-256",
    }
    if other:
        attrs["OTHERMDTYPE"] = other
    with xf.element(_m("mdRef"), attrs):
        pass


def _write_mets(xf, submission, summary, metadata, schemas, created):
    descriptive, preservation, record = metadata
    package_id = summary.package_id
    nsmap = {
        "mets": METS_NS,
        "csip": CSIP_NS,
        "sip": SIP_NS,
        "xlink": XLINK_NS,
        "xsi": XSI_NS,
    }
    root_attrs = {
        "OBJID": package_id,
        "LABEL": f"Hand-over of {summary.file_count} case files of "
        f"{submission.agency_name}",
        "TYPE": "Mixed",
        f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "MIXED",
        "PROFILE": SIP_PROFILE,
    }
    with xf.element(_m("mets"), root_attrs, nsmap=nsmap):
        with xf.element(
            _m("metsHdr"),
            {
                "CREATEDATE": _iso(created),
                "RECORDSTATUS": "NEW",
                f"{{{CSIP_NS}}}OAISPACKAGETYPE": "SIP",
            },
        ):
            with xf.element(
                _m("agent"),
                {"ROLE": "CREATOR", "TYPE": "OTHER", "OTHERTYPE": "SOFTWARE"},
            ):
                _text(xf, _m("name"), SOFTWARE)
                _text(
                    xf,
                    _m("note"),
                    "18.0",
                    **{f"{{{CSIP_NS}}}NOTETYPE": "SOFTWARE VERSION"},
                )
            # E-ARK SIP 2.1, SIP9-SIP17: the submitting agency.
            with xf.element(
                _m("agent"),
                {"ROLE": "OTHER", "OTHERROLE": "SUBMITTER", "TYPE": "ORGANIZATION"},
            ):
                _text(xf, _m("name"), submission.agency_name)
                _text(
                    xf,
                    _m("note"),
                    submission.agency_code,
                    **{f"{{{CSIP_NS}}}NOTETYPE": "IDENTIFICATIONCODE"},
                )
            with xf.element(_m("agent"), {"ROLE": "ARCHIVIST", "TYPE": "ORGANIZATION"}):
                _text(xf, _m("name"), submission.archive_name)
        with xf.element(
            _m("dmdSec"),
            {"ID": "dmd-records", "CREATED": _iso(created), "STATUS": "CURRENT"},
        ):
            _md_ref(xf, descriptive, created, "OTHER", "TT05-2025")
        with xf.element(_m("amdSec")):
            with xf.element(
                _m("digiprovMD"), {"ID": "digiprov-premis", "STATUS": "CURRENT"}
            ):
                _md_ref(xf, preservation, created, "PREMIS")
        with xf.element(_m("fileSec"), {"ID": "filesec"}):
            with xf.element(
                _m("fileGrp"),
                {
                    "ID": "grp-documentation",
                    "USE": "Documentation",
                    f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
                    f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE,
                },
            ):
                with xf.element(
                    _m("file"), _file_attrs(record, created, "file-record")
                ):
                    _flocat(xf, record.path)
            with xf.element(
                _m("fileGrp"),
                {
                    "ID": "grp-schemas",
                    "USE": "Schemas",
                    f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
                    f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE,
                },
            ):
                for item in schemas:
                    with xf.element(
                        _m("file"),
                        _file_attrs(item, created, f"file-{item.identifier}"),
                    ):
                        _flocat(xf, item.path)
            with xf.element(
                _m("fileGrp"),
                {
                    "ID": "grp-rep1",
                    "USE": "Representations/rep1",
                    f"{{{CSIP_NS}}}CONTENTINFORMATIONTYPE": "OTHER",
                    f"{{{CSIP_NS}}}OTHERCONTENTINFORMATIONTYPE": CONTENT_TYPE,
                },
            ):
                for item in summary.stored:
                    with xf.element(
                        _m("file"),
                        _file_attrs(item, created, f"file-{item.identifier}"),
                    ):
                        _flocat(xf, item.path)
        with xf.element(
            _m("structMap"), {"ID": "struct-csip", "TYPE": "PHYSICAL", "LABEL": "CSIP"}
        ):
            with xf.element(_m("div"), {"ID": "div-root", "LABEL": package_id}):
                with xf.element(
                    _m("div"),
                    {
                        "ID": "div-metadata",
                        "LABEL": "Metadata",
                        "DMDID": "dmd-records",
                        "ADMID": "digiprov-premis",
                    },
                ):
                    pass
                with xf.element(
                    _m("div"), {"ID": "div-documentation", "LABEL": "Documentation"}
                ):
                    with xf.element(_m("fptr"), {"FILEID": "grp-documentation"}):
                        pass
                with xf.element(_m("div"), {"ID": "div-schemas", "LABEL": "Schemas"}):
                    with xf.element(_m("fptr"), {"FILEID": "grp-schemas"}):
                        pass
                with xf.element(
                    _m("div"), {"ID": "div-rep1", "LABEL": "Representations"}
                ):
                    with xf.element(_m("fptr"), {"FILEID": "grp-rep1"}):
                        pass
