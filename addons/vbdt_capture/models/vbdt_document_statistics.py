from odoo import api, fields, models
from odoo.tools import SQL


class VbdtDocumentStatistics(models.Model):
    """The digitisation share from what was actually captured: a document
    counts once the text of one of its files has been read (its text layer,
    or OCR of a scan), not merely because a file is attached (an image-only
    scan no one can search is not yet digitised)."""

    _inherit = "vbdt.document.statistics"

    captured_count = fields.Integer("With Text Read", readonly=True)
    captured_rate = fields.Float(
        "Digitised, Text Read (%)", compute="_compute_captured_rate", digits=(5, 1)
    )

    @api.depends("captured_count", "document_count")
    def _compute_captured_rate(self):
        for row in self:
            row.captured_rate = (
                100.0 * row.captured_count / row.document_count
                if row.document_count
                else 0.0
            )

    def _figure_columns(self):
        return {
            **super()._figure_columns(),
            "captured_count": SQL(
                """count(*) FILTER (WHERE EXISTS (
                    SELECT 1 FROM vbdt_document_file f
                      JOIN vbdt_capture_text t ON t.file_id = f.id
                     WHERE f.document_id = d.id AND t.has_text))"""
            ),
        }

    def _figure_domains(self):
        return {
            **super()._figure_domains(),
            "captured_count": [
                ("file_ids", "any", [("capture_text_ids.has_text", "=", True)])
            ],
        }

    def _figure_of_rate(self):
        return {**super()._figure_of_rate(), "captured_rate": "captured_count"}
