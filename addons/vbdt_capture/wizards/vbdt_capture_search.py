from odoo import fields, models


class VbdtCaptureSearch(models.TransientModel):
    """Search inside the documents' files: the results with their snippet.

    The results are those of ``vbdt.capture.text.vbdt_search_fulltext``, run
    under the user's own rules; the lines are transient rows of this user."""

    _name = "vbdt.capture.search"
    _description = "Full-Text Search"

    query = fields.Char(
        required=True,
        help='Words, or a "phrase" in quotes, or -word to exclude; accents optional.',
    )
    line_ids = fields.One2many("vbdt.capture.search.line", "search_id", readonly=True)
    result_count = fields.Integer(readonly=True)

    def action_search(self):
        self.ensure_one()
        hits = self.env["vbdt.capture.text"].vbdt_search_fulltext(self.query)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "document_id": hit["document_id"],
                    "rank": hit["rank"],
                    "snippet": hit["snippet"],
                    "sequence": index,
                }
            )
            for index, hit in enumerate(hits)
        ]
        self.result_count = len(hits)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }


class VbdtCaptureSearchLine(models.TransientModel):
    _name = "vbdt.capture.search.line"
    _description = "Full-Text Search Result"
    _order = "sequence"

    search_id = fields.Many2one(
        "vbdt.capture.search", required=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    document_id = fields.Many2one("vbdt.document", readonly=True)
    rank = fields.Float(readonly=True, digits=(6, 4))
    snippet = fields.Html(readonly=True, sanitize=True)
