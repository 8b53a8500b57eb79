from odoo import fields, models

from ..capture.export import MIMETYPES, cell_text, plain_text, write_docx, write_xlsx


class VbdtCaptureSearch(models.TransientModel):
    """Search inside the documents' files: the results with their snippet.

    The results are those of ``vbdt.capture.text.vbdt_search_fulltext``, run
    under the user's own rules; the lines are transient rows of this user,
    written by the server only. Searches, lines and exports are their
    creator's alone (``security/vbdt_capture_rules.xml``)."""

    _name = "vbdt.capture.search"
    _inherit = ["vbdt.capture.search.columns"]
    _description = "Full-Text Search"

    query = fields.Char(
        required=True,
        help='Words, or a "phrase" in quotes, or -word to exclude; accents optional.',
    )
    line_ids = fields.One2many("vbdt.capture.search.line", "search_id", readonly=True)
    result_count = fields.Integer(readonly=True)
    saved_search_id = fields.Many2one(
        "vbdt.capture.saved.search", string="Saved Search", ondelete="set null"
    )

    def _vbdt_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _vbdt_run(self):
        """Run the query as the user and keep the results as this search's
        lines."""
        self.ensure_one()
        hits = self.env["vbdt.capture.text"].vbdt_search_fulltext(self.query)
        # sudo: result lines are written by the server only, from the hits the
        # user's own rules returned just above (users cannot forge a line).
        Line = self.env["vbdt.capture.search.line"].sudo()
        Line.search([("search_id", "=", self.id)]).unlink()
        Line.create(
            [
                {
                    "search_id": self.id,
                    "document_id": hit["document_id"],
                    "rank": hit["rank"],
                    "snippet": hit["snippet"],
                    "sequence": index,
                }
                for index, hit in enumerate(hits)
            ]
        )
        self.result_count = len(hits)
        self.invalidate_recordset(["line_ids"])

    def action_search(self):
        self._vbdt_run()
        return self._vbdt_reopen()

    def action_save(self):
        """Keep this query and these columns as a private saved search (or
        update the saved search it came from, if it is the user's)."""
        self.ensure_one()
        values = {"query": self.query, **self._vbdt_column_values()}
        saved = self.saved_search_id
        if saved and saved.user_id == self.env.user:
            saved.write(values)
        else:
            self.saved_search_id = self.env["vbdt.capture.saved.search"].create(
                {"name": self.query, **values}
            )
        return self._vbdt_reopen()

    # ------------------------------------------------------------ export
    def _vbdt_export_rows(self):
        """``(headers, rows)`` of the results in the chosen columns, read
        under the user's rules (the search runs again first: an export never
        shows what the rules hide by now)."""
        self.ensure_one()
        self._vbdt_run()
        columns = self._vbdt_chosen_columns()
        rows = [
            [line._vbdt_cell(key) for key, _label in columns] for line in self.line_ids
        ]
        return [label for _key, label in columns], rows

    def _vbdt_export_title(self):
        return self.env._(
            "Search inside documents: %(query)s (%(date)s)",
            query=self.query,
            date=fields.Date.context_today(self).strftime("%d/%m/%Y"),
        )

    def _vbdt_export_byline(self):
        return self.env._(
            "Exported by %(user)s, %(agency)s",
            user=self.env.user.name,
            agency=self.env.company.name,
        )

    def _vbdt_export_download(self, extension):
        """Write the results as a ``extension`` file (xlsx or docx: the same
        title, byline and rows), keep it as an attachment of this search
        (its creator's alone) and download it."""
        headers, rows = self._vbdt_export_rows()
        title, byline = self._vbdt_export_title(), self._vbdt_export_byline()
        if extension == "docx":
            data = write_docx(
                title, headers, rows, byline=byline, author=self.env.user.name
            )
        else:
            data = write_xlsx(
                title, headers, rows, self.env._("Results"), byline=byline
            )
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"ket-qua-tim-kiem.{extension}",
                "raw": data,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": MIMETYPES[extension],
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_export_xlsx(self):
        return self._vbdt_export_download("xlsx")

    def action_export_docx(self):
        return self._vbdt_export_download("docx")

    def action_export_pdf(self):
        self._vbdt_run()
        return self.env.ref("vbdt_capture.vbdt_capture_search_report").report_action(
            self
        )

    def _vbdt_report_table(self):
        """For the PDF report: ``(headers, rows)`` without running again (the
        action just did), cells as text."""
        self.ensure_one()
        columns = self._vbdt_chosen_columns()
        rows = [
            [cell_text(line._vbdt_cell(key)) for key, _label in columns]
            for line in self.line_ids
        ]
        return [label for _key, label in columns], rows


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
    # Read as the user (compute_sudo=False): a line shows nothing its
    # document's rules hide.
    code = fields.Char(related="document_id.code", compute_sudo=False)
    document_date = fields.Date(related="document_id.document_date", compute_sudo=False)
    document_type_id = fields.Many2one(
        related="document_id.document_type_id", compute_sudo=False
    )
    sender_agency_id = fields.Many2one(
        related="document_id.sender_agency_id", compute_sudo=False
    )
    state = fields.Selection(related="document_id.state", compute_sudo=False)

    def _vbdt_cell(self, key):
        """The text of one column for an export, read under the user's rules."""
        self.ensure_one()
        document = self.document_id
        if key == "code":
            return document.code or ""
        if key == "document_date":
            date = document.document_date
            return date.strftime("%d/%m/%Y") if date else ""
        if key == "subject":
            return document.subject or ""
        if key == "document_type":
            return document.document_type_id.name or ""
        if key == "sender":
            return document.sender_agency_id.name or document.sender_name or ""
        if key == "state":
            states = dict(document._fields["state"]._description_selection(self.env))
            return states.get(document.state, "")
        if key == "snippet":
            return plain_text(str(self.snippet or ""))
        if key == "rank":
            return round(self.rank, 4)
        return ""
