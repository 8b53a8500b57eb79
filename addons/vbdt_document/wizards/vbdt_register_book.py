from odoo import api, fields, models
from odoo.exceptions import UserError


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

    def action_print(self):
        self.ensure_one()
        if not self._get_documents():
            raise UserError(self.env._("No document was registered in this period."))
        return self.env.ref("vbdt_document.vbdt_register_book_report").report_action(
            self
        )
