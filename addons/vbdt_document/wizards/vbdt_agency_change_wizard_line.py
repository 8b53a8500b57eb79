from odoo import fields, models


class VbdtAgencyChangeWizardLine(models.TransientModel):
    """A part of a split in the lifecycle wizard: the agency that takes it
    and its units."""

    _name = "vbdt.agency.change.wizard.line"
    _description = "Agency Lifecycle Wizard: Part of a Split"

    wizard_id = fields.Many2one(
        "vbdt.agency.change.wizard", required=True, ondelete="cascade"
    )
    successor_id = fields.Many2one(
        "res.company",
        string="Takes Over",
        required=True,
        domain="[('vbdt_date_end', '=', False)]",
    )
    unit_ids = fields.Many2many(
        "vbdt.unit",
        "vbdt_agency_change_wizard_line_unit_rel",
        "line_id",
        "unit_id",
        string="Units",
    )
