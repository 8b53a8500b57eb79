from odoo import api, fields, models


class VbdtDocumentFile(models.Model):
    _inherit = "vbdt.document.file"

    capture_text_ids = fields.One2many(
        "vbdt.capture.text", "file_id", string="Extracted Text", readonly=True
    )
    capture_state = fields.Selection(
        related="capture_text_ids.state", string="Text Extraction"
    )
    capture_error = fields.Char(
        related="capture_text_ids.error", string="Extraction Error"
    )

    @api.model_create_multi
    def create(self, vals_list):
        files = super().create(vals_list)
        # Uploading writes a queue row; the text is read by the cron, never
        # in the web request.
        self.env["vbdt.capture.text"]._vbdt_queue(files)
        return files
