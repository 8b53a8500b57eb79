import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .vbdt_signature_check_mixin import STATUS

VERIFY_BATCH = 100
"""Files verified per transaction by the background verification."""


class VbdtDocumentFile(models.Model):
    """Every PDF file is verified when it is created or its content changes;
    the status and one check line per signature are stored on the file."""

    _inherit = "vbdt.document.file"

    signature_status = fields.Selection(STATUS, readonly=True, copy=False, index=True)
    signature_message = fields.Text(readonly=True, copy=False)
    signature_verified_on = fields.Datetime(
        readonly=True, copy=False, index=True,
        help="When the file was last examined for signatures. Empty for files stored "
        "before digital signatures were installed and not examined yet.")
    signature_received_at = fields.Datetime(
        string="Received by the System", readonly=True, copy=False,
        help="When this system stored the current content of the file: the latest time "
        "its signatures are proven to exist. A signature without a trusted timestamp is "
        "judged at this time, never at the time the signer claims. Set by the server only.")
    signature_check_ids = fields.One2many("vbdt.signature.check", "file_id",
                                          string="Signatures", readonly=True)
    history_attachment_ids = fields.Many2many(
        "ir.attachment", "vbdt_document_file_history_rel", "file_id", "attachment_id",
        string="Previous Versions", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        # the receipt time is the server's clock, whatever a client sends
        files = super().create([{**vals, "signature_received_at": now} for vals in vals_list])
        files._vbdt_verify_signatures()
        return files

    def write(self, vals):
        if "signature_received_at" in vals:
            raise AccessError(self.env._(
                "The time a file was received is recorded by the system and cannot be changed."))
        if "datas" in vals:
            vals = {**vals, "signature_received_at": fields.Datetime.now()}
        result = super().write(vals)
        if {"datas", "role"} & set(vals):
            self._vbdt_verify_signatures()
        return result

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
            record = file.sudo()
            record.signature_check_ids.unlink()
            if not file._vbdt_is_pdf():
                record.write({"signature_status": False, "signature_message": False,
                              "signature_verified_on": fields.Datetime.now()})
                continue
            status, message, checks = Check._vbdt_verify(
                file._get_raw(), file.role == "main",
                existed_at=record.signature_received_at or record.create_date)
            record.write({
                "signature_status": status,
                "signature_message": message or False,
                "signature_verified_on": fields.Datetime.now(),
                "signature_check_ids": [(0, 0, vals) for vals in checks],
            })
        return True

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
        Files = self.sudo()
        files = Files.search(self._vbdt_unverified_domain(), limit=batch_size, order="id")
        files._vbdt_verify_signatures()
        remaining = Files.search_count(self._vbdt_unverified_domain())
        self.env["ir.cron"]._notify_progress(done=len(files), remaining=remaining)
        return len(files)

    def _vbdt_replace_content(self, raw, version_label):
        """New content for this file; the previous one is kept as a version."""
        self.ensure_one()
        record = self.sudo()
        previous = record.env["ir.attachment"].create({
            "name": f"{version_label} - {record.name}",
            "raw": record._get_raw(),
            "res_model": "vbdt.document",
            "res_id": record.document_id.id,
        })
        record.write({
            "history_attachment_ids": [(4, previous.id)],
            "datas": base64.b64encode(raw),
        })
        return previous
