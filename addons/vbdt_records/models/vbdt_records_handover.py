import hashlib
import io
import logging
import os
import tempfile
import uuid

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..archives import csip, validate
from .field_attachment import field_attachment
from .vbdt_records_file_retention import OFFICER_GROUP
from .vbdt_records_lifecycle import agency_field

_logger = logging.getLogger(__name__)

# Fields only the actions below write.
HANDOVER_LIFECYCLE = {
    "state",
    "package_id",
    "package_attachment_id",
    "package_sha256",
    "package_size",
    "file_count",
    "document_count",
    "content_bytes",
    "signed_pdf_count",
    "built_date",
    "done_date",
    "done_uid",
}
CHUNK = 1024 * 1024


def _date(value):
    return value.isoformat() if value else ""


class VbdtRecordsHandover(models.Model):
    """The hand-over of closed case files to the archive (giao nộp hồ sơ vào
    Lưu trữ): a validated E-ARK SIP, then an audited, irreversible state of
    the files. The package is built by the plain-Python ``archives.csip``
    core, streamed into the filestore."""

    _name = "vbdt.records.handover"
    _description = "Records Hand-over"
    _inherit = ["mail.thread", "vbdt.records.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = agency_field()
    archive_name = fields.Char(
        string="Receiving Archive",
        required=True,
        default=lambda self: self.env._(
            "Archive of %(agency)s", agency=self.env.company.name
        ),
    )
    file_ids = fields.Many2many(
        "vbdt.records.file",
        string="Case Files",
        check_company=True,
        domain="[('state', '=', 'closed')]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("built", "Package Built"), ("done", "Handed Over")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    package_id = fields.Char(string="Package ID", readonly=True, copy=False)
    package_attachment_id = fields.Many2one(
        "ir.attachment", string="Package", readonly=True, copy=False
    )
    package_sha256 = fields.Char(string="Package SHA-256", readonly=True, copy=False)
    package_size = fields.Integer(
        string="Package Size (bytes)", readonly=True, copy=False
    )
    file_count = fields.Integer(string="Files", readonly=True, copy=False)
    document_count = fields.Integer(string="Documents", readonly=True, copy=False)
    content_bytes = fields.Integer(string="Content (bytes)", readonly=True, copy=False)
    signed_pdf_count = fields.Integer(string="Signed PDFs", readonly=True, copy=False)
    built_date = fields.Datetime(readonly=True, copy=False)
    done_date = fields.Datetime(string="Handed Over On", readonly=True, copy=False)
    done_uid = fields.Many2one(
        "res.users", string="Handed Over By", readonly=True, copy=False
    )

    # ------------------------------------------------------------ guards
    _vbdt_lifecycle_fields = frozenset(HANDOVER_LIFECYCLE)

    def _vbdt_lifecycle_refusal(self):
        return self.env._(
            "A hand-over changes state only through its Build and Hand Over actions."
        )

    def write(self, vals):
        unlocked = self._vbdt_lifecycle_unlocked()
        if not unlocked and self.filtered(lambda handover: handover.state == "done"):
            raise UserError(self.env._("A completed hand-over no longer changes."))
        result = super().write(vals)
        if "file_ids" in vals and not unlocked:
            # A new selection of files needs a new package (sudo: the state is
            # the server's own consequence of the change just allowed).
            self.filtered(
                lambda handover: handover.state == "built"
            ).sudo()._vbdt_write_lifecycle({"state": "draft"})
        return result

    def unlink(self):
        if self.filtered(lambda handover: handover.state == "done"):
            raise UserError(self.env._("A completed hand-over is kept as evidence."))
        return super().unlink()

    def _check_officer(self):
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only a records officer hands case files over.")
            )
        self.check_access("write")

    def _check_files(self):
        self.ensure_one()
        files = self.file_ids
        if not files:
            raise UserError(self.env._("Select the closed case files to hand over."))
        not_closed = files.filtered(lambda case_file: case_file.state != "closed")
        if not_closed:
            raise UserError(
                self.env._(
                    "Only closed case files are handed over: %(codes)s.",
                    codes=", ".join(not_closed.mapped("code")),
                )
            )
        # The package carries every document in full: whoever builds it must
        # be allowed to read every one of them, secret ones included.
        hidden = files - files._title_visible()
        if hidden:
            raise AccessError(
                self.env._(
                    "Case file %(code)s holds a secret document you are not a named "
                    "reader of: ask one of its readers to hand it over.",
                    code=hidden[0].code,
                )
            )
        files._all_lines().document_id.with_env(self.env).check_access("read")
        files._all_lines().copy_id.with_env(self.env).check_access("read")

    # ------------------------------------------------------------ build
    def action_build_package(self):
        """Build and validate the SIP; keep it only when it is valid."""
        self._check_officer()
        for handover in self:
            if handover.state == "done":
                raise UserError(self.env._("This hand-over is already completed."))
            handover._check_files()
            handover._build_package()
        return True

    def _build_package(self):
        self.ensure_one()
        # sudo: the package is written to the filestore by the server, not by the user
        Attachment = self.env["ir.attachment"].sudo()
        root = Attachment._filestore()
        os.makedirs(root, exist_ok=True)
        package_id = f"uuid-{uuid.uuid4()}"
        handle, temp_path = tempfile.mkstemp(
            prefix="vbdt-sip-", suffix=".zip", dir=root
        )
        try:
            with os.fdopen(handle, "w+b") as stream:
                try:
                    summary = csip.build_sip(self._submission(package_id), stream)
                except csip.PackageError as error:
                    raise UserError(
                        self.env._(
                            "The package cannot be built: %(error)s", error=error
                        )
                    ) from error
            problems = validate.validate_package(temp_path)
            if problems:
                raise UserError(
                    self.env._(
                        "The package is not valid and was not kept:\n%(problems)s",
                        problems="\n".join(problems[:20]),
                    )
                )
            attachment, sha256, size = self._store_package(temp_path, package_id)
        finally:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
        old = self.package_attachment_id
        # sudo: the package fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {
                "state": "built",
                "package_id": package_id,
                "package_attachment_id": attachment.id,
                "package_sha256": sha256,
                "package_size": size,
                "file_count": summary.file_count,
                "document_count": summary.document_count,
                "content_bytes": summary.content_bytes,
                "signed_pdf_count": summary.signed_pdfs,
                "built_date": fields.Datetime.now(),
            }
        )
        # sudo: the previous package of this hand-over is replaced.
        old.sudo().unlink()
        self.message_post(
            body=self.env._(
                "Package %(package)s built and validated: %(files)s files, "
                "%(documents)s documents, %(bytes)s bytes.",
                package=package_id,
                files=summary.file_count,
                documents=summary.document_count,
                bytes=size,
            )
        )

    def _store_package(self, temp_path, package_id):
        """Move the package into the filestore under Odoo's content-addressed
        name (SHA-1) without reading it into memory, and attach it."""
        sha1, sha256, size = hashlib.sha1(), hashlib.sha256(), 0
        with open(temp_path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                sha1.update(chunk)
                sha256.update(chunk)
                size += len(chunk)
        # sudo: the package's attachment is kept only through its field (attachment
        # rule)
        Attachment = self.env["ir.attachment"].sudo()
        checksum = sha1.hexdigest()
        fname = f"{checksum[:2]}/{checksum}"
        full_path = Attachment._full_path(fname)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if not os.path.exists(full_path):
            os.replace(temp_path, full_path)
        # sudo: the package belongs to this hand-over record and is read
        # through it (attachment access follows the record).
        attachment = Attachment.create(
            {
                "name": f"{package_id}.zip",
                "res_model": self._name,
                "res_id": self.id,
                "type": "binary",
                "mimetype": "application/zip",
            }
        )
        # ir.attachment derives these three from bytes it holds in memory;
        # the package was streamed to its place instead, so they are set here.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s, file_size = %s, "
                "checksum = %s WHERE id = %s",
                fname,
                size,
                checksum,
                attachment.id,
            )
        )
        attachment.invalidate_recordset(["store_fname", "file_size", "checksum"])
        return attachment, sha256.hexdigest(), size

    # ------------------------------------------------------------ submission
    def _submission(self, package_id):
        company = self.company_id
        return csip.Submission(
            agency_name=company.name,
            agency_code=company.vbdt_agency_code or "",
            archive_name=self.archive_name,
            submitter=self.env.user.name,
            files=(self._record_file(case_file) for case_file in self.file_ids),
            package_id=package_id,
        )

    def _record_file(self, case_file, lines=None):
        """The file's Circular 05/2025 description with its documents: every
        item for the package (the builder reads them all, _check_files), or
        only ``lines`` for an export as the user (whole-file export), the
        file's title then as that user sees it. Counts, dates and the access
        mode are facts of the whole file either way."""
        # sudo: the builder was checked to read every document of these files
        # (_check_files); the package needs their stored files and metadata.
        all_lines = case_file._lines_of(case_file._all_lines()).sorted(
            key=lambda line: (line.ordinal, line.id)
        )
        title = case_file.sudo().stored_title if lines is None else case_file.title
        if lines is None:
            lines = all_lines
        # sudo: the file's access mode is a fact of the whole file (an export as the
        # user included); only the documents' levels are read here
        documents = case_file._originals(all_lines).sudo()
        restricted = any(doc.confidentiality != "normal" for doc in documents)
        pages = sum(line._page_total() for line in all_lines)
        retention = case_file.retention_id
        metadata = [
            ("fondsCode", case_file.company_id.vbdt_agency_code or ""),
            ("fileCode", case_file.code),
            (
                "fileIdentifier",
                f"{case_file.company_id.vbdt_agency_code}.{case_file.year}.{case_file.code}",
            ),
            ("title", title or ""),
            ("year", str(case_file.year)),
            ("retention", "permanent" if retention.permanent else f"{retention.years}"),
            ("retentionSource", retention.legal_source or ""),
            ("accessMode", "restricted" if restricted else "open"),
            ("language", "vi"),
            ("startDate", _date(case_file.start_date)),
            ("endDate", _date(case_file.end_date)),
            ("documentCount", str(case_file.document_count)),
            ("pageCount", str(pages)),
            ("reliability", "electronic original"),
            ("responsible", case_file.responsible_id.name or ""),
        ]
        return csip.RecordFile(
            case_file.code,
            title or "",
            metadata,
            [self._record_document(line) for line in lines],
        )

    def _record_document(self, line):
        # sudo: the package holds every document of the fond, secret ones included
        document = line.document_id.sudo()
        if line.copy_id:
            return self._record_copy(line)
        if not document:
            return self._record_item(line)
        metadata = [
            ("ordinal", str(line.ordinal)),
            ("identifier", document.edxml_document_id or document.code or ""),
            ("numberAndNotation", document.code or ""),
            ("date", _date(document.document_date or document.register_date)),
            ("type", document.document_type_id.name or ""),
            ("summary", document.subject or ""),
            ("author", document.sender_name or document.company_id.name or ""),
            ("signer", document.signer_name or ""),
            ("signerPosition", document.signer_position or ""),
            ("pageCount", str(line.page_count or document.page_count or 0)),
            ("language", "vi"),
            (
                "accessMode",
                "restricted" if document.confidentiality != "normal" else "open",
            ),
            ("confidentiality", document.confidentiality or "normal"),
        ]
        # Main text first, then attachments; each copy is checked against
        # the SHA-256 recorded when the office stored it.
        sources = [
            self._source(
                file.attachment_id, file.name, file.mimetype, file.checksum_sha256
            )
            for file in document.file_ids.sorted(
                lambda file: (file.role_sequence, file.sequence, file.id)
            )
        ]
        events = [csip.Event("creation", document.create_date, "", "")]
        if document.register_date:
            events.append(
                csip.Event("registration", document.register_date, document.code or "")
            )
        if (
            document.direction == "outgoing"
            and document.signer_name
            and document.document_date
        ):
            events.append(
                csip.Event(
                    "digital signature generation",
                    document.document_date,
                    document.signer_name,
                )
            )
        return csip.RecordDocument(
            line.ordinal,
            document.code or f"item-{line.ordinal}",
            metadata,
            sources,
            events,
        )

    def _record_copy(self, line):
        """A copy made by the agency: its original's description, the copy's
        form, number and date, and the copy's own PDF (checked against the
        SHA-256 recorded when it was made)."""
        # sudo: as for documents, the copy and its original are described in
        # full (the builder or exporter was checked to read the copy).
        copy = line.copy_id.sudo()
        original = copy.original_id
        forms = dict(copy._fields["form"]._description_selection(self.env))
        metadata = [
            ("ordinal", str(line.ordinal)),
            ("identifier", copy.name or ""),
            ("numberAndNotation", original.code or ""),
            ("date", _date(original.document_date or original.register_date)),
            ("type", original.document_type_id.name or ""),
            ("summary", original.subject or ""),
            ("author", original.sender_name or original.company_id.name or ""),
            ("pageCount", str(line._page_total())),
            ("language", "vi"),
            (
                "accessMode",
                "restricted" if original.confidentiality != "normal" else "open",
            ),
            ("confidentiality", original.confidentiality or "normal"),
            ("reliability", forms[copy.form]),
            ("copyNumber", copy.name or ""),
            ("copyDate", _date(copy.copy_date)),
        ]
        sources = []
        if copy.attachment_id:
            sources.append(
                self._source(
                    copy.attachment_id,
                    copy.attachment_id.name,
                    copy.attachment_id.mimetype,
                    copy.sha256 or "",
                )
            )
        return csip.RecordDocument(
            line.ordinal,
            copy.name or f"item-{line.ordinal}",
            metadata,
            sources,
            [csip.Event("creation", copy.create_date, copy.name or "", "")],
        )

    def _record_item(self, line):
        kinds = dict(line._fields["kind"]._description_selection(self.env))
        metadata = [
            ("ordinal", str(line.ordinal)),
            ("itemKind", kinds[line.kind]),
            ("summary", line.name or ""),
            ("date", _date(line.date)),
            ("pageCount", str(line.page_count or 0)),
        ]
        sources = []
        if line.attachment:
            # the item's stored file is packed whatever the officer may read
            attachment = field_attachment(line, "attachment")
            sources.append(
                self._source(
                    attachment, line.attachment_name or "item", attachment.mimetype
                )
            )
        return csip.RecordDocument(
            line.ordinal,
            f"item-{line.ordinal}",
            metadata,
            sources,
            [csip.Event("creation", line.create_date)],
        )

    @staticmethod
    def _source(attachment, name, mimetype, sha256=""):
        """A source that streams the stored bytes (filestore file or
        database value), read only while the package is written."""
        # sudo: the bytes are streamed into the package by the server
        attachment = attachment.sudo()

        def opener():
            if attachment.store_fname:
                return open(attachment._full_path(attachment.store_fname), "rb")
            return io.BytesIO(attachment.raw or b"")

        return csip.Source(
            name, mimetype or "application/octet-stream", opener, sha256 or ""
        )

    # ------------------------------------------------------------ hand over
    def action_hand_over(self):
        """Record the hand-over: the files become Handed Over, for good."""
        self._check_officer()
        for handover in self:
            if handover.state != "built":
                raise UserError(
                    self.env._("Build and validate the package before handing over.")
                )
            handover._check_files()
            handover._check_package_unchanged()
            files = handover.file_ids
            for case_file in files:
                case_file._log_event(
                    "records_handover", f"{case_file.code}: {handover.package_id}"
                )
            # sudo: the lifecycle fields are written only here, after the checks.
            files.sudo()._vbdt_write_lifecycle(
                {
                    "state": "handed_over",
                    "handover_id": handover.id,
                    "handed_over_date": fields.Date.context_today(self),
                }
            )
            # sudo: the hand-over's own state, written here only, after the checks
            handover.sudo()._vbdt_write_lifecycle(
                {
                    "state": "done",
                    "done_date": fields.Datetime.now(),
                    "done_uid": self.env.uid,
                }
            )
            handover.message_post(
                body=self.env._(
                    "%(count)s case files handed over to %(archive)s.",
                    count=len(files),
                    archive=handover.archive_name,
                )
            )
        return True

    def _check_package_unchanged(self):
        # sudo: the package's attachment is read only through its field (attachment
        # rule)
        attachment = self.package_attachment_id.sudo()
        digest = hashlib.sha256()
        path = attachment.store_fname and attachment._full_path(attachment.store_fname)
        if not path or not os.path.exists(path):
            raise UserError(self.env._("The package file is missing: build it again."))
        with open(path, "rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != self.package_sha256:
            raise UserError(self.env._("The package file changed since it was built."))
