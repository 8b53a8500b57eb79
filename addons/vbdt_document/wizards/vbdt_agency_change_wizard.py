from odoo import api, fields, models

from ..models.vbdt_agency_change import DRAFT_POLICY, INCOMING_POLICY, OPERATIONS


class VbdtAgencyChangeWizard(models.TransientModel):
    """The administrator's agency lifecycle wizard: choose the agencies, the
    successor, the effective date and the carry-over policies, read the
    preview of everything it will do, then apply (vbdt.agency.change)."""

    _name = "vbdt.agency.change.wizard"
    _description = "Agency Lifecycle Wizard"

    operation = fields.Selection(OPERATIONS, required=True, default="merge")
    agency_ids = fields.Many2many(
        "res.company",
        string="Agencies That End",
        domain="[('vbdt_date_end', '=', False)]",
        default=lambda self: self._default_agencies(),
    )
    successor_id = fields.Many2one(
        "res.company",
        string="Successor",
        domain="[('vbdt_date_end', '=', False), ('id', 'not in', agency_ids)]",
    )
    new_name = fields.Char(
        help="Name of the new agency, or the new name of the agency renamed."
    )
    code_from_id = fields.Many2one(
        "res.company",
        string="Keeps the Code Of",
        domain="[('id', 'in', agency_ids)]",
        help="The merged agency whose name the new agency takes: the new agency "
        "keeps its identifier code (Decision 09/2025/QĐ-TTg).",
    )
    unit_ids = fields.Many2many(
        "vbdt.unit",
        string="Units to Transfer",
        domain="[('company_id', 'in', agency_ids)]",
    )
    split_line_ids = fields.One2many(
        "vbdt.agency.change.wizard.line",
        "wizard_id",
        string="Parts of the Split",
        help="One line per agency that takes a part of the agency split, with "
        "the units (their users and open work) that go to it; the successor "
        "takes what no line names.",
    )
    date_effective = fields.Date(
        string="Effective Date", required=True, default=fields.Date.context_today
    )
    incoming_policy = fields.Selection(
        INCOMING_POLICY,
        string="Incoming Documents in Handling",
        required=True,
        default="move",
    )
    draft_policy = fields.Selection(
        DRAFT_POLICY, string="Drafts Not Yet Issued", required=True, default="move"
    )
    preview = fields.Html(
        string="What It Will Do", compute="_compute_preview", sanitize=True
    )

    @api.model
    def _default_agencies(self):
        if self.env.context.get("active_model") == "res.company":
            return self.env.context.get("active_ids") or []
        return []

    @api.depends(
        "operation",
        "agency_ids",
        "successor_id",
        "new_name",
        "code_from_id",
        "unit_ids",
        "split_line_ids",
        "split_line_ids.successor_id",
        "split_line_ids.unit_ids",
        "date_effective",
        "incoming_policy",
        "draft_policy",
    )
    def _compute_preview(self):
        Change = self.env["vbdt.agency.change"]
        for wizard in self:
            if not wizard.agency_ids or not self.env.user.has_group(
                "base.group_system"
            ):
                wizard.preview = False
                continue
            # sudo: the administrator (checked above) previews every agency.
            agencies = wizard.agency_ids._origin.sudo()
            successor = wizard.successor_id._origin
            if wizard.operation == "merge_new":
                # Not created before Apply: the preview names it only.
                successor = self.env["res.company"].new(
                    {"name": wizard.new_name or "?"}
                )
            # sudo: the units' members and open work are listed for the system
            # administrator, the only one who runs this wizard
            wizard.preview = Change._vbdt_preview(
                wizard._vbdt_change_vals(),
                agencies,
                successor,
                wizard.unit_ids._origin.sudo(),
            )

    def _vbdt_change_vals(self):
        self.ensure_one()
        return {
            "operation": self.operation,
            "agency_ids": self.agency_ids._origin.ids,
            "successor_id": self.successor_id._origin.id
            if self.operation != "merge_new"
            else False,
            "new_name": self.new_name,
            "code_from_id": self.code_from_id._origin.id,
            "unit_ids": self.unit_ids._origin.ids,
            "line_ids": [
                fields.Command.create(
                    {
                        "sequence": sequence,
                        "successor_id": line.successor_id._origin.id,
                        "unit_ids": [fields.Command.set(line.unit_ids._origin.ids)],
                    }
                )
                for sequence, line in enumerate(self.split_line_ids)
            ]
            if self.operation == "split"
            else [],
            "date_effective": self.date_effective,
            "incoming_policy": self.incoming_policy,
            "draft_policy": self.draft_policy,
        }

    def action_apply(self):
        self.ensure_one()
        change = self.env["vbdt.agency.change"]._vbdt_schedule(self._vbdt_change_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.agency.change",
            "res_id": change.id,
            "view_mode": "form",
            "target": "current",
        }
