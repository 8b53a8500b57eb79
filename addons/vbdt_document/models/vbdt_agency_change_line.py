from odoo import fields, models


class VbdtAgencyChangeLine(models.Model):
    """One part of a split: the agency that takes it and the units (with
    their users and open work) that go to it."""

    _name = "vbdt.agency.change.line"
    _description = "Agency Split Line"
    _order = "sequence, id"

    change_id = fields.Many2one(
        "vbdt.agency.change",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    sequence = fields.Integer(default=10, readonly=True)
    successor_id = fields.Many2one(
        "res.company", string="Takes Over", required=True, readonly=True
    )
    unit_ids = fields.Many2many(
        "vbdt.unit",
        "vbdt_agency_change_line_unit_rel",
        "line_id",
        "unit_id",
        string="Units",
        readonly=True,
    )
