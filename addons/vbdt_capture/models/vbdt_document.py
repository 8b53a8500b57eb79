from odoo import api, fields, models


class VbdtDocument(models.Model):
    _inherit = "vbdt.document"

    capture_content = fields.Char(
        string="Content",
        compute="_compute_capture_content",
        search="_search_capture_content",
        help='Words or a "phrase" inside the document\'s files (accents optional).',
    )

    def _compute_capture_content(self):
        self.capture_content = False

    @api.model
    def _search_capture_content(self, operator, value):
        if operator not in ("ilike", "=", "like") or not isinstance(value, str):
            return [("id", "=", False)]
        hits = self.env["vbdt.capture.text"].vbdt_search_fulltext(value, limit=200)
        return [("id", "in", [hit["document_id"] for hit in hits])]
