import base64
import logging
from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..pades.archive import archival_renewal_due, renew_archival_timestamp
from ..pades.errors import PadesError
from ..pades.verify import DOCUMENT_TIMESTAMP
from .vbdt_signature_check_mixin import STATUS, TONE

_logger = logging.getLogger(__name__)

VERIFY_BATCH = 100
"""Files verified per transaction by the background verification."""
RENEW_BATCH = 50
"""Files given a new archival timestamp per transaction."""
SERVER_FIELDS = frozenset({"signature_received_at", "archive_renewal_due"})
"""Set by the server from its clock and the content, never by a client."""


class VbdtDocumentFile(models.Model):
    """Every PDF file is verified when it is created or its content changes;
    the status and one check line per signature are stored on the file."""

    _inherit = "vbdt.document.file"

    signature_status = fields.Selection(STATUS, readonly=True, copy=False, index=True)
    signature_message = fields.Text(readonly=True, copy=False)
    signature_label = fields.Char(
        string="Signature",
        compute="_compute_signature_label",
        help="Where the file stands, in the words of the task: who signs next, "
        "or what the signatures found mean.",
    )
    signature_tone = fields.Selection(
        TONE,
        compute="_compute_signature_label",
    )
    signature_verified_on = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
        help="When the file was last examined for signatures. Empty for files stored "
        "before digital signatures were installed and not examined yet.",
    )
    signature_received_at = fields.Datetime(
        string="Received by the System",
        readonly=True,
        copy=False,
        help="When this system stored the current content of the file: the latest time "
        "its signatures are proven to exist. A signature without a trusted timestamp "
        "is "
        "judged at this time, never at the time the signer claims. Set by the server "
        "only.",
    )
    archive_renewal_due = fields.Datetime(
        string="Archival Timestamp Renewal",
        readonly=True,
        copy=False,
        index=True,
        help="When the last document timestamp of the file must be renewed (before its "
        "timestamp authority's certificate expires or its algorithm weakens). Computed "
        "from the content by the server.",
    )
    signature_check_ids = fields.One2many(
        "vbdt.signature.check", "file_id", string="Signatures", readonly=True
    )
    history_attachment_ids = fields.Many2many(
        "ir.attachment",
        "vbdt_document_file_history_rel",
        "file_id",
        "attachment_id",
        string="Previous Versions",
        readonly=True,
        copy=False,
    )

    @api.depends(
        "signature_status", "role", "document_id.direction", "document_id.state"
    )
    @api.depends_context("lang")
    def _compute_signature_label(self):
        """The status worded for people: an outgoing main text signed by the
        person but not sealed yet is on its way ("signed, waiting for the
        clerk to issue"), not an error; the raw status stays for filters."""
        for file in self:
            file.signature_label, file.signature_tone = file._vbdt_signature_wording()

    def _vbdt_signature_wording(self):
        self.ensure_one()
        _ = self.env._
        status = self.signature_status
        document = self.document_id
        if not status:
            return False, False
        if status == "invalid":
            return _("Invalid signature: altered or not trusted"), "danger"
        if status == "error":
            return _("Unreadable PDF"), "danger"
        if document.direction == "outgoing":
            issued = document.state == "issued"
            if status == "valid":
                return _("Signed and sealed"), "success"
            if not issued and self.role == "main":
                if status == "incomplete":
                    return _("Signed, waiting for the clerk to issue"), "info"
                return _("Not signed yet, waiting for the signer"), "info"
            if not issued:
                return _("Sealed by the clerk at issue"), "muted"
            if status == "incomplete":
                return _("The agency's seal is missing"), "warning"
            return _("Issued without a digital signature"), "muted"
        if status == "valid":
            return _("Valid signatures"), "success"
        if status == "incomplete":
            return _("A signature is missing: the signer's or the agency's"), "warning"
        return _("No digital signature: check it is an authentic copy"), "warning"

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        # the receipt time is the server's clock, whatever a client sends
        files = super().create(
            [{**vals, "signature_received_at": now} for vals in vals_list]
        )
        files._vbdt_verify_signatures()
        return files

    def write(self, vals):
        # computed from the server's clock and the content only: a client
        # (never superuser over RPC) backdating the receipt would make an
        # expired or revoked signature look valid
        if SERVER_FIELDS & set(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "The time a file was received is recorded by the system and "
                    "cannot be changed."
                )
            )
        if "datas" in vals and not (self.env.su and "signature_received_at" in vals):
            vals = {**vals, "signature_received_at": fields.Datetime.now()}
        result = super().write(vals)
        if {"datas", "role"} & set(vals):
            self._vbdt_verify_signatures()
        return result

    @api.model
    def _vbdt_evidence_fields(self):
        return super()._vbdt_evidence_fields() | {"history_attachment_ids"}

    def _vbdt_is_pdf(self):
        self.ensure_one()
        return bool(self.attachment_id) and (
            self.attachment_id.mimetype == "application/pdf"
            or (self._get_raw() or b"")[:5] == b"%PDF-"
        )

    def _vbdt_verify_signatures(self):
        """(Re)verify the signatures of these files and store the results.
        Files that are no PDF get no status, but are stamped as examined so
        that the background verification does not pick them up again."""
        Check = self.env["vbdt.signature.check.mixin"]
        for file in self:
            # sudo: verification results are written by the server only
            record = file.sudo()
            record.signature_check_ids.unlink()
            if not file._vbdt_is_pdf():
                record.write(
                    {
                        "signature_status": False,
                        "signature_message": False,
                        "signature_verified_on": fields.Datetime.now(),
                    }
                )
                continue
            raw = file._get_raw()
            status, message, checks = Check._vbdt_verify(
                raw, file.role == "main", existed_at=file._vbdt_existed_at()
            )
            record.write(
                {
                    "archive_renewal_due": _renewal_due(raw, checks),
                    "signature_status": status,
                    "signature_message": message or False,
                    "signature_verified_on": fields.Datetime.now(),
                    "signature_check_ids": [(0, 0, vals) for vals in checks],
                }
            )
        return True

    def _vbdt_existed_at(self):
        """Naive UTC time this system received the current content: the
        latest moment its signatures are proven to exist."""
        self.ensure_one()
        # sudo: the receipt time of a file the caller reads (self)
        record = self.sudo()
        return record.signature_received_at or record.create_date

    @api.model
    def _vbdt_unverified_domain(self):
        """Files never examined: stored before this addon was installed."""
        return [("signature_verified_on", "=", False)]

    @api.model
    def _cron_verify_unverified(self, batch_size=VERIFY_BATCH):
        """Verify one batch of the files never examined. The cron reports
        what is left, so Odoo runs it again at once until none remain (and
        commits between runs): a database with millions of files is
        verified in the background after installation, not during it."""
        # sudo: the background verification job covers every agency's files
        Files = self.sudo()
        files = Files.search(
            self._vbdt_unverified_domain(), limit=batch_size, order="id"
        )
        files._vbdt_verify_signatures()
        remaining = Files.search_count(self._vbdt_unverified_domain())
        self.env["ir.cron"]._notify_progress(done=len(files), remaining=remaining)
        return len(files)

    @api.model
    def _cron_renew_archival_timestamps(self, batch_size=RENEW_BATCH):
        """Add a new document timestamp (with the validation data of the
        previous one) to the files whose last one is due: before its TSA
        certificate expires or its algorithm weakens, so that every signature
        keeps its proof. Nothing is removed: each renewal is an incremental
        update, the previous content is kept as a version."""
        Files = self.sudo()  # a system job over every agency's archives
        due = Files.search(
            [("archive_renewal_due", "<=", fields.Datetime.now())],
            limit=batch_size,
            order="archive_renewal_due, id",
        )
        for file in due:
            options = file.document_id._vbdt_signing_options()
            try:
                renewed = renew_archival_timestamp(file._get_raw(), options)
            except PadesError as err:
                _logger.warning(
                    "Archival timestamp of file %s not renewed: %s", file.id, err
                )
                continue
            file._vbdt_replace_content(
                renewed, self.env._("Before archival timestamp renewal")
            )
            self.env["vbdt.audit.log"]._log(
                file.document_id, "sign", f"archival timestamp {file.checksum_sha256}"
            )
        remaining = Files.search_count(
            [("archive_renewal_due", "<=", fields.Datetime.now())]
        )
        self.env["ir.cron"]._notify_progress(done=len(due), remaining=remaining)
        return len(due)

    def _vbdt_replace_content(self, raw, version_label, received_at=None):
        """New content for this file; the previous one is kept as a version.
        ``received_at``: the receipt time the caller verified the new content
        with (default: now), so that storing it reuses that verification."""
        self.ensure_one()
        # sudo: the previous content is kept by the server as evidence
        record = self.sudo()
        previous = record.env["ir.attachment"].create(
            {
                "name": f"{version_label} - {record.name}",
                "raw": record._get_raw(),
                "res_model": "vbdt.document",
                "res_id": record.document_id.id,
            }
        )
        record._vbdt_write_content(
            {
                "history_attachment_ids": [(4, previous.id)],
                "datas": base64.b64encode(raw),
                "signature_received_at": received_at or fields.Datetime.now(),
            }
        )
        return previous


def _renewal_due(raw, checks):
    """Naive UTC time the last document timestamp is due for renewal."""
    if not any(check["kind"] == DOCUMENT_TIMESTAMP for check in checks):
        return False
    try:
        due = archival_renewal_due(raw)
    except PadesError:
        return False
    return due.astimezone(timezone.utc).replace(tzinfo=None) if due else False
