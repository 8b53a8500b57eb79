import base64
import hashlib

from odoo import api, fields, models
from odoo.exceptions import ValidationError

DEFAULT_MAX_FILE_MB = 50
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
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    role = fields.Selection(
        [("main", "Main Text"), ("attachment", "Attachment")],
        required=True,
        default="attachment",
    )
    role_sequence = fields.Integer(compute="_compute_role_sequence", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    datas = fields.Binary(string="File", attachment=False, required=True, store=False,
                          compute="_compute_datas", inverse="_inverse_datas")
    attachment_id = fields.Many2one("ir.attachment", readonly=True, ondelete="restrict")
    mimetype = fields.Char(related="attachment_id.mimetype")
    file_size = fields.Integer(related="attachment_id.file_size")
    checksum_sha256 = fields.Char(string="SHA-256", readonly=True, index=True)
    description = fields.Char()

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
            if file.attachment_id:
                file.attachment_id.write(vals)
            else:
                file.attachment_id = self.env["ir.attachment"].create(vals)
            file.checksum_sha256 = hashlib.sha256(raw).hexdigest()

    def _check_content(self, raw):
        """Refuse empty, oversize and unexpected file types with a clear message."""
        max_mb = int(
            self.env["ir.config_parameter"].sudo().get_param(
                "vbdt_document.max_file_size_mb", DEFAULT_MAX_FILE_MB
            )
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
        mimetype = self.env["ir.attachment"]._compute_mimetype({"raw": raw, "name": self.name})
        if mimetype not in ALLOWED_MIMETYPES:
            raise ValidationError(
                self.env._(
                    "File %(name)s has a type that cannot be registered (%(mimetype)s).",
                    name=self.name,
                    mimetype=mimetype,
                )
            )

    def _get_raw(self):
        self.ensure_one()
        return self.attachment_id.raw

    def action_open_file(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=false",
            "target": "new",
        }
