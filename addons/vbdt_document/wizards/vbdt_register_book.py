from odoo import api, fields, models
from odoo.exceptions import UserError

from ..printing import PageGeometry, paginate

# Shares of the table width of each column of the register books, as the
# report's <th style="width: …"> set them ("Type and Summary" takes the rest).
INCOMING_COLUMNS = (0.07, 0.05, 0.14, 0.10, 0.07, 0.28, 0.12, 0.08, 0.09)
OUTGOING_COLUMNS = (0.10, 0.07, 0.21, 0.11, 0.15, 0.10, 0.05, 0.07, 0.07, 0.07)
# A4 landscape, 11 pt Times, the report's margins: measured with wkhtmltopdf
# 0.12.6 and lowered by a safety margin (printing/paginate.py explains why).
CHARS_PER_LINE = 190
LINES_PER_PAGE = 31
FIRST_PAGE_LINES = 26
DATE_CHARS = "00/00/0000"
# The longest printed form of the incoming book's deadline note.
DEADLINE_NOTE = "Thời hạn giải quyết: 00/00/0000"


class VbdtRegisterBook(models.TransientModel):
    """Print a register book (sổ đăng ký văn bản đến/đi) for a period."""

    _name = "vbdt.register.book"
    _description = "Print Register Book"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    register_id = fields.Many2one("vbdt.register", required=True, check_company=True)
    date_from = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.onchange("company_id")
    def _onchange_company_id(self):
        if self.register_id.company_id != self.company_id:
            self.register_id = False

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for book in self:
            if book.date_from > book.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    def _get_documents(self):
        self.ensure_one()
        number = (
            "number" if self.register_id.direction == "outgoing" else "arrival_number"
        )
        return self.env["vbdt.document"].search(
            [
                ("register_id", "=", self.register_id.id),
                (number, ">", 0),
                ("register_date", ">=", self.date_from),
                ("register_date", "<=", self.date_to),
            ],
            order=f"register_year, {number}",
        )

    def _vbdt_row_cells(self, doc):
        """The text of each printed cell of ``doc``'s row, in column order,
        as the report prints it (dates by their printed length)."""
        if self.register_id.direction == "outgoing":
            return (
                doc.code,
                DATE_CHARS,
                (doc.document_type_id.name, doc.subject),
                (doc.signer_name or doc.signer_id.name, doc.signer_position),
                (
                    ", ".join(doc.recipient_agency_ids.mapped("name")),
                    doc.recipient_note,
                ),
                doc.unit_id.name,
                str(doc.copy_count or ""),
                DATE_CHARS,
                "",
                (
                    doc.urgency != "normal" and doc.urgency,
                    doc.confidentiality != "normal" and doc.confidentiality,
                ),
            )
        return (
            DATE_CHARS,
            str(doc.arrival_number),
            doc.sender_name or doc.sender_agency_id.name,
            doc.code,
            DATE_CHARS,
            (doc.document_type_id.name, doc.subject),
            doc.unit_id.name,
            "",
            (
                doc.due_date and DEADLINE_NOTE,
                doc.urgency != "normal" and doc.urgency,
            ),
        )

    def _vbdt_pages(self, documents):
        """``documents`` split into printed pages: each page repeats the
        table header and no row is split across a page break."""
        self.ensure_one()
        columns = (
            OUTGOING_COLUMNS
            if self.register_id.direction == "outgoing"
            else INCOMING_COLUMNS
        )
        geometry = PageGeometry(
            lines_per_page=LINES_PER_PAGE,
            first_page_lines=FIRST_PAGE_LINES,
            chars_per_line=CHARS_PER_LINE,
            column_widths=columns,
        )
        return paginate(documents, geometry, cells=self._vbdt_row_cells)

    def action_print(self):
        self.ensure_one()
        if not self._get_documents():
            raise UserError(self.env._("No document was registered in this period."))
        return self.env.ref("vbdt_document.vbdt_register_book_report").report_action(
            self
        )
