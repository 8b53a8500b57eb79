from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError


class VbdtRegister(models.Model):
    """A register (sổ đăng ký) numbers documents per agency, direction and year.

    Numbers come from an ``ir.sequence`` with ``no_gap`` implementation and
    yearly date ranges: drawing a number locks the year's row until commit,
    so two clerks issuing at once can neither get the same number nor leave a
    hole, and every register starts again from 1 on 1 January."""

    _name = "vbdt.register"
    _description = "Document Register"
    _order = "company_id, direction, confidential, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    direction = fields.Selection(
        [("incoming", "Incoming"), ("outgoing", "Outgoing"), ("internal", "Internal")],
        required=True,
    )
    confidential = fields.Boolean(
        string="Secret Documents",
        help="Secret documents (Mật and above) are numbered in their own register.",
    )
    document_type_ids = fields.Many2many(
        "vbdt.document.type",
        string="Document Types",
        help="Leave empty to register every type.",
    )
    sequence_id = fields.Many2one(
        "ir.sequence",
        string="Numbering Sequence",
        readonly=True,
        copy=False,
        ondelete="restrict",
    )
    carried_from_id = fields.Many2one(
        "vbdt.register",
        string="Carried Over From",
        readonly=True,
        copy=False,
        help="Register of an ended agency whose documents in handling this "
        "closed register holds, with their original numbers.",
    )
    next_number = fields.Integer(
        compute="_compute_next_number",
        help="Number the next document of the current year will get.",
    )

    def _compute_next_number(self):
        today = fields.Date.context_today(self)
        for register in self:
            date_range = register.sequence_id.date_range_ids.filtered(
                lambda r: r.date_from <= today <= r.date_to
            )[:1]
            register.next_number = date_range.number_next_actual if date_range else 1

    @api.model_create_multi
    def create(self, vals_list):
        registers = super().create(vals_list)
        for register in registers:
            register.sequence_id = (
                # sudo: a register's numbering sequence is technical data users may not
                # create
                self.env["ir.sequence"].sudo().create(register._prepare_sequence_vals())
            )
            register._ensure_year_ranges(fields.Date.context_today(register).year)
        return registers

    def _prepare_sequence_vals(self):
        self.ensure_one()
        return {
            "name": f"{self.company_id.name} - {self.name}",
            "implementation": "no_gap",
            "use_date_range": True,
            "padding": 1,
            "number_increment": 1,
            "company_id": self.company_id.id,
        }

    def _ensure_year_ranges(self, year):
        """Create the yearly ranges of ``year`` and the next one ahead of time.

        ``ir.sequence`` creates a missing range on first use, but two
        transactions doing that at once would both create one and number from
        1 twice; a range that already exists is only ever locked."""
        # sudo: yearly number ranges are technical data users may not read or create
        DateRange = self.env["ir.sequence.date_range"].sudo()
        for register in self:
            existing = set(register.sequence_id.date_range_ids.mapped("date_from"))
            for y in (year, year + 1):
                if date(y, 1, 1) not in existing:
                    DateRange.create(
                        {
                            "sequence_id": register.sequence_id.id,
                            "date_from": date(y, 1, 1),
                            "date_to": date(y, 12, 31),
                        }
                    )

    @api.model
    def _cron_prepare_next_year(self):
        today = fields.Date.context_today(self)
        self.search([])._ensure_year_ranges(today.year)

    def _allocate_number(self, on_date):
        """Draw the next number of ``on_date``'s year (gap-free, locks until commit)."""
        self.ensure_one()
        # From its end date an agency's registers are closed (CV 414/BNV-VTLTNN).
        self.company_id._vbdt_check_acting(on_date)
        if not self.sequence_id:
            raise UserError(
                self.env._(
                    "Register %(register)s has no numbering sequence.",
                    register=self.name,
                )
            )
        # sudo: numbering is the register's, not the user's right on ir.sequence
        return int(self.sequence_id.sudo().next_by_id(sequence_date=on_date))

    @api.model
    def _default_for(self, company, direction, confidential=False, document_type=None):
        """The register a document goes into when the user did not pick one."""
        registers = self.search(
            [
                ("company_id", "=", company.id),
                ("direction", "=", direction),
                ("confidential", "=", confidential),
            ]
        )
        if document_type:
            specific = registers.filtered(
                lambda r: document_type in r.document_type_ids
            )
            registers = specific or registers.filtered(
                lambda r: not r.document_type_ids
            )
        return registers[:1]
