import base64
import hashlib
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..pdfa import pdfa_claim
from .lifecycle import is_unlocked, unlocked

_logger = logging.getLogger(__name__)

DEFAULT_MAX_FILE_MB = 50
FIXITY_BATCH = 200
"""Files whose SHA-256 the fixity cron checks per run (it runs again until done)."""
PDFA_BATCH = 100
"""Files whose PDF/A claim the backfill cron reads per run (runs again until done)."""
PDF_MIMETYPE = "application/pdf"
PDFA_FIELDS = {"pdfa_level", "pdfa_checked"}
"""Read from the content by the server only: a user never sets them."""
# What a file is: nobody changes these once its document is past drafting.
EVIDENCE_FIELDS = {
    "datas",
    "attachment_id",
    "checksum_sha256",
    "document_id",
    "name",
    "role",
}
ALLOWED_MIMETYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/zip",
    "image/jpeg",
    "image/png",
    "image/tiff",
}


class VbdtDocumentFile(models.Model):
    """A file of a document: the main text or an attachment (phụ lục).

    The content is an ``ir.attachment`` (so Odoo's previews and file storage
    apply); this record adds the role, the SHA-256 that edXML and signatures
    refer to, and the type and size checks."""

    _name = "vbdt.document.file"
    _description = "Document File"
    _order = "document_id, role_sequence, sequence, id"

    document_id = fields.Many2one(
        "vbdt.document", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True
    )
    role = fields.Selection(
        [("main", "Main Text"), ("attachment", "Attachment")],
        required=True,
        default="attachment",
    )
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    datas = fields.Binary(
        string="File",
        attachment=False,
        required=True,
        store=False,
        compute="_compute_datas",
        inverse="_inverse_datas",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", readonly=True, ondelete="restrict", index=True
    )
    mimetype = fields.Char(related="attachment_id.mimetype")
    file_size = fields.Integer(related="attachment_id.file_size")
    checksum_sha256 = fields.Char(string="SHA-256", readonly=True, index=True)
    description = fields.Char()
    fixity_checked_on = fields.Datetime(
        string="Fingerprint Checked On",
        readonly=True,
        copy=False,
        help=(
            "When the scheduled fixity check last compared the bytes with the "
            "SHA-256."
        ),
    )

    pdfa_level = fields.Char(
        string="PDF/A Level",
        readonly=True,
        copy=False,
        index=True,
        help=(
            "The PDF/A part and conformance the PDF declares in its XMP metadata "
            "(e.g. 2b), read when the content is stored. Empty: not a PDF/A (or "
            "not yet read). A declaration, not a validation."
        ),
    )
    pdfa_checked = fields.Boolean(
        string="PDF/A Level Read",
        readonly=True,
        copy=False,
        help="The PDF/A level was read from the stored content.",
    )

    # ------------------------------------------------------------------ evidence
    def _vbdt_is_evidence(self):
        """Files of documents past drafting or registration are evidence."""
        editable = self.env["vbdt.document"]._vbdt_editable_states()
        # sudo: the document's state decides whether the file is evidence; nothing is
        # returned
        return self.filtered(lambda f: f.sudo().document_id.state not in editable)

    @api.model
    def _vbdt_evidence_fields(self):
        return set(EVIDENCE_FIELDS)

    @api.model_create_multi
    def create(self, vals_list):
        files = super().create(vals_list)
        # Files added to a document past drafting are new versions: who and
        # when are the record's own create_uid/create_date, and the log says.
        for file in files._vbdt_is_evidence():
            self.env["vbdt.audit.log"]._log(
                file.document_id,
                "file_add",
                f"{file.name} {file.checksum_sha256}"[:250],
            )
        return files

    def write(self, vals):
        if PDFA_FIELDS & set(vals) and not is_unlocked(self):
            raise UserError(
                self.env._(
                    "The PDF/A level is read from the file's content; it cannot be "
                    "set by hand."
                )
            )
        if self._vbdt_evidence_fields() & set(vals) and not is_unlocked(self):
            evidence = self._vbdt_is_evidence()
            if evidence:
                raise UserError(
                    self.env._(
                        "File %(name)s of %(document)s is evidence: it can no longer "
                        "be "
                        "replaced or changed. Add the new file next to it instead.",
                        name=evidence[0].name,
                        document=evidence[0].document_id.display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_evidence(self):
        evidence = self._vbdt_is_evidence()
        if evidence:
            raise UserError(
                self.env._(
                    "File %(name)s of %(document)s is evidence and cannot be deleted.",
                    name=evidence[0].name,
                    document=evidence[0].document_id.display_name,
                )
            )

    def _vbdt_write_content(self, vals):
        """The server's own path to replace a file's bytes (signature, seal):
        private, and the permission ends with the call."""
        with unlocked(self):
            return self.write(vals)

    @api.depends("role")
    def _compute_role_sequence(self):
        for file in self:
            file.role_sequence = 0 if file.role == "main" else 1

    @api.depends("attachment_id")
    def _compute_datas(self):
        for file in self:
            file.datas = file.attachment_id.datas

    def _inverse_datas(self):
        for file in self:
            raw = base64.b64decode(file.datas or b"")
            file._check_content(raw)
            vals = {
                "name": file.name,
                "raw": raw,
                "res_model": "vbdt.document",
                "res_id": file.document_id.id,
            }
            # Reached only from create() or from a write the file's guard let
            # through: store the bytes and their fingerprint together.
            with unlocked(file, file.attachment_id):
                if file.attachment_id:
                    file.attachment_id.write(vals)
                else:
                    file.attachment_id = self.env["ir.attachment"].create(vals)
                file.checksum_sha256 = hashlib.sha256(raw).hexdigest()
                file.update(file._vbdt_pdfa_vals(raw))

    def _check_content(self, raw):
        """Refuse empty, oversize and unexpected file types with a clear message."""
        max_mb = int(
            self.env["ir.config_parameter"]
            # sudo: the size limit is a system parameter; only its value is used
            .sudo()
            .get_param("vbdt_document.max_file_size_mb", DEFAULT_MAX_FILE_MB)
        )
        if not raw:
            raise ValidationError(self.env._("File %(name)s is empty.", name=self.name))
        if len(raw) > max_mb * 1024 * 1024:
            raise ValidationError(
                self.env._(
                    "File %(name)s is larger than the %(limit)s MB allowed.",
                    name=self.name,
                    limit=max_mb,
                )
            )
        mimetype = self.env["ir.attachment"]._compute_mimetype(
            {"raw": raw, "name": self.name}
        )
        if mimetype not in ALLOWED_MIMETYPES:
            raise ValidationError(
                self.env._(
                    "File %(name)s has a type that cannot be registered "
                    "(%(mimetype)s).",
                    name=self.name,
                    mimetype=mimetype,
                )
            )

    def _get_raw(self):
        """The file's bytes, checked against the SHA-256 recorded when they
        were stored: the one way signing, verification, exchange and
        archiving read a file, so altered bytes are never served."""
        self.ensure_one()
        raw = self.attachment_id.raw
        if (
            self.checksum_sha256
            and hashlib.sha256(raw or b"").hexdigest() != self.checksum_sha256
        ):
            _logger.warning("vbdt.document.file %s: SHA-256 mismatch", self.id)
            raise UserError(
                self.env._(
                    "File %(name)s of %(document)s no longer matches the fingerprint "
                    "(SHA-256) recorded when it was stored: it will not be used. "
                    "Tell the "
                    "administrator.",
                    name=self.name,
                    document=self.document_id.display_name,
                )
            )
        return raw

    # ------------------------------------------------------------------ PDF/A
    def _vbdt_pdfa_vals(self, raw):
        """Values of the PDF/A fields for these bytes: only PDFs are read."""
        is_pdf = raw[:1024].lstrip().startswith(b"%PDF-")
        return {
            "pdfa_level": (pdfa_claim(raw) if is_pdf else False) or False,
            "pdfa_checked": True,
        }

    @api.model
    def _cron_pdfa_backfill(self, batch_size=PDFA_BATCH):
        """Read the PDF/A level of one batch of files stored before the field
        existed. The cron runs again at once while files are left."""
        # sudo: the cron reads every agency's files; nothing is returned to a user.
        Files = self.sudo()
        files = Files.search([("pdfa_checked", "=", False)], limit=batch_size)
        for file in files:
            attachment = file.attachment_id
            if attachment.mimetype != PDF_MIMETYPE:
                vals = {"pdfa_level": False, "pdfa_checked": True}
            else:
                vals = file._vbdt_pdfa_vals(attachment.raw or b"")
            # Not evidence fields: the file's bytes and fingerprint are untouched.
            with unlocked(file):
                file.write(vals)
        remaining = Files.search_count([("pdfa_checked", "=", False)])
        self.env["ir.cron"]._notify_progress(done=len(files), remaining=remaining)
        return files

    # ------------------------------------------------------------------ fixity
    def _vbdt_fixity_mismatches(self):
        """Files among these whose stored bytes no longer match their SHA-256."""
        bad = self.browse()
        for file in self.filtered("checksum_sha256"):
            raw = file.attachment_id.raw or b""
            if hashlib.sha256(raw).hexdigest() != file.checksum_sha256:
                bad |= file
        return bad

    @api.model
    def _cron_fixity_check(self, batch_size=FIXITY_BATCH):
        """Compare one batch of files (least recently checked first) with
        their fingerprint and report mismatches to their agency's
        administrators. The cron runs again at once while files are left."""
        # sudo: the cron checks every agency's files; nothing is returned.
        Files = self.sudo()
        files = Files.search(
            [("checksum_sha256", "!=", False)],
            limit=batch_size,
            order="fixity_checked_on ASC NULLS FIRST, id",
        )
        bad = files._vbdt_fixity_mismatches()
        files.write({"fixity_checked_on": fields.Datetime.now()})
        for file in bad:
            file._vbdt_report_fixity_mismatch()
        cutoff = fields.Datetime.now().replace(hour=0, minute=0, second=0)
        remaining = Files.search_count(
            [
                ("checksum_sha256", "!=", False),
                "|",
                ("fixity_checked_on", "=", False),
                ("fixity_checked_on", "<", cutoff),
            ]
        )
        self.env["ir.cron"]._notify_progress(done=len(files), remaining=remaining)
        return bad

    def _vbdt_report_fixity_mismatch(self):
        self.ensure_one()
        document = self.document_id
        self.env["vbdt.audit.log"]._log(
            document, "fixity", f"{self.id} {self.name} {self.checksum_sha256}"[:250]
        )
        admins = self.env.ref(
            "vbdt_document.vbdt_document_group_manager"
        ).users.filtered(lambda u: document.company_id in u.company_ids)
        # The note names the file, never the document's subject (it may be secret).
        note = self.env._(
            "File %(name)s (No. %(file)s) no longer matches the SHA-256 recorded "
            "when it "
            "was stored: its bytes were altered outside the application. Restore it "
            "from "
            "the backup.",
            name=self.name,
            file=self.id,
        )
        for admin in admins:
            document.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=admin.id,
                summary=self.env._("File fingerprint mismatch"),
                note=note,
            )

    def action_open_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=false",
            "target": "new",
        }
