from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..notation import NotationError, validate_agency_code

AGENCY_TIERS = [
    ("central", "Central"),
    ("province", "Province"),
    ("district", "District"),
    ("commune", "Commune"),
    ("other", "Other"),
]


class ResCompany(models.Model):
    """Each agency of the instance (UBND tỉnh, a Sở, a district, a commune) is a
    company: its own registers, numbering, staff and record-rule boundary."""

    _inherit = "res.company"

    vbdt_agency_code = fields.Char(
        string="Identifier Code",
        help="Legacy 13-character code of QCVN 102:2016, e.g. 000.00.00.H44.",
    )
    vbdt_agency_code_qd20 = fields.Char(
        string="Identifier Code (Decision 20)",
        help="Left-to-right code of Decision 20/2020, e.g. H01.151.",
    )
    vbdt_tier = fields.Selection(AGENCY_TIERS, string="Tier", default="other")
    vbdt_short_name = fields.Char(
        string="Short Name in Notations",
        help="Agency part of document notations, e.g. UBND in 15/QĐ-UBND.",
    )
    vbdt_place = fields.Char(
        string="Place Name", help="Place written on the date line, e.g. Phú Thọ."
    )
    vbdt_parent_agency_id = fields.Many2one(
        "res.company", string="Parent Agency", index=True
    )
    vbdt_agency_id = fields.Many2one(
        "vbdt.agency",
        string="Directory Entry",
        readonly=True,
        help="This agency's entry in the agency directory, used as sender "
        "and recipient of documents.",
    )
    vbdt_unit_ids = fields.One2many("vbdt.unit", "company_id", string="Units")
    vbdt_register_ids = fields.One2many(
        "vbdt.register", "company_id", string="Registers"
    )

    @api.constrains("vbdt_agency_code", "vbdt_agency_code_qd20")
    def _check_vbdt_agency_codes(self):
        for company in self:
            for code in (company.vbdt_agency_code, company.vbdt_agency_code_qd20):
                if not code:
                    continue
                try:
                    validate_agency_code(code)
                except NotationError as error:
                    raise ValidationError(
                        self.env._(error.template, **error.params)
                    ) from error

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._vbdt_setup_agency()
        return companies

    def write(self, vals):
        res = super().write(vals)
        synced = {
            "name",
            "vbdt_agency_code",
            "vbdt_agency_code_qd20",
            "vbdt_tier",
            "vbdt_parent_agency_id",
        }
        if synced & set(vals):
            for company in self.filtered("vbdt_agency_id"):
                company.vbdt_agency_id.sudo().write(company._vbdt_prepare_agency_vals())
        return res

    @api.model
    def _vbdt_setup_existing_agencies(self):
        """Run at install (data file) for the companies that already exist."""
        self.search([])._vbdt_setup_agency()

    def _vbdt_setup_agency(self):
        """Directory entry and default registers for agencies that lack them."""
        Register = self.env["vbdt.register"].sudo()
        for company in self:
            if not company.vbdt_agency_id:
                company.vbdt_agency_id = (
                    self.env["vbdt.agency"]
                    .sudo()
                    .create(company._vbdt_prepare_agency_vals())
                )
            if not Register.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                registers = Register.create(
                    company._vbdt_prepare_default_registers_vals()
                )
                company._vbdt_translate_default_registers(registers)

    def _vbdt_prepare_agency_vals(self):
        self.ensure_one()
        return {
            "name": self.name,
            "code": self.vbdt_agency_code or False,
            "code_qd20": self.vbdt_agency_code_qd20 or False,
            "tier": self.vbdt_tier,
            "email": self.email or False,
            "parent_id": self.vbdt_parent_agency_id.vbdt_agency_id.id,
            "internal_company_id": self.id,
        }

    def _vbdt_translate_default_registers(self, registers):
        """Name the new registers in every active language: agencies created
        at install time would otherwise keep English register names in a
        Vietnamese interface (and in the printed register books)."""
        self.ensure_one()
        for lang in self.env["res.lang"].get_installed():
            code = lang[0]
            if code == (self.env.lang or "en_US"):
                continue
            names = self.with_context(lang=code)._vbdt_prepare_default_registers_vals()
            for register, vals in zip(registers, names, strict=False):
                register.with_context(lang=code).name = vals["name"]

    def _vbdt_prepare_default_registers_vals(self):
        self.ensure_one()
        _ = self.env._
        return [
            {
                "name": name,
                "company_id": self.id,
                "direction": direction,
                "confidential": confidential,
            }
            for name, direction, confidential in (
                (_("Incoming documents"), "incoming", False),
                (_("Outgoing documents"), "outgoing", False),
                (_("Incoming secret documents"), "incoming", True),
                (_("Outgoing secret documents"), "outgoing", True),
            )
        ]
