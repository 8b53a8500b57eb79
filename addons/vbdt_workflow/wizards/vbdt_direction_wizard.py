from odoo import api, fields, models


class VbdtDirectionWizard(models.TransientModel):
    """The leader's direction (ý kiến chỉ đạo) and assignment."""

    _name = "vbdt.direction.wizard"
    _description = "Direct an Incoming Document"

    document_id = fields.Many2one("vbdt.document", required=True)
    company_id = fields.Many2one(related="document_id.company_id")
    mode = fields.Selection(
        [
            ("direct", "Direct and Assign"),
            ("pass", "Pass to Another Leader"),
            ("inform", "Add for Information"),
        ],
        required=True,
        default="direct",
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Leader",
        domain=lambda self: self.env["vbdt.document"]._vbdt_leader_domain(),
    )
    info_unit_ids = fields.Many2many(
        "vbdt.unit",
        "vbdt_direction_wizard_info_unit_rel",
        string="Units for Information",
        domain="[('company_id', '=', company_id)]",
    )
    note = fields.Text(string="Direction")
    lead_unit_id = fields.Many2one(
        "vbdt.unit", string="Lead Unit", domain="[('company_id', '=', company_id)]"
    )
    lead_user_id = fields.Many2one(
        "res.users",
        string="Lead Person",
        domain=lambda self: self.env["vbdt.document"]._vbdt_staff_domain(
            "lead_unit_id"
        ),
    )
    coordinate_unit_ids = fields.Many2many(
        "vbdt.unit",
        "vbdt_direction_wizard_coordinate_unit_rel",
        string="Co-ordinating Units",
        domain="[('company_id', '=', company_id)]",
    )
    coordinate_user_ids = fields.Many2many(
        "res.users",
        "vbdt_direction_wizard_coordinate_user_rel",
        string="Co-ordinating Persons",
        domain=lambda self: self.env["vbdt.document"]._vbdt_staff_domain(),
    )
    info_user_ids = fields.Many2many(
        "res.users",
        "vbdt_direction_wizard_info_user_rel",
        string="For Information",
        domain=lambda self: self.env["vbdt.document"]._vbdt_staff_domain(),
    )
    days = fields.Integer(
        string="Time (working days)",
        default=lambda self: self.env.company.vbdt_direction_days,
    )
    deadline = fields.Date(compute="_compute_deadline", store=True, readonly=False)

    @api.depends("days", "document_id")
    def _compute_deadline(self):
        for wizard in self:
            company = wizard.document_id.company_id or self.env.company
            wizard.deadline = (
                company._vbdt_add_working_days(
                    fields.Date.context_today(wizard), wizard.days
                )
                if wizard.days
                else False
            )

    def _prepare_assignments(self):
        self.ensure_one()
        lines = []
        if self.lead_unit_id or self.lead_user_id:
            lines.append(
                {
                    "role": "lead",
                    "unit_id": self.lead_unit_id.id,
                    "user_id": self.lead_user_id.id,
                }
            )
        lines += [
            {"role": "coordinate", "unit_id": unit.id}
            for unit in self.coordinate_unit_ids
        ]
        lines += [
            {"role": "coordinate", "user_id": user.id}
            for user in self.coordinate_user_ids
        ]
        lines += [{"role": "info", "user_id": user.id} for user in self.info_user_ids]
        return lines

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "pass":
            self.document_id.action_pass_to_leader(self.leader_id, self.note)
            return {"type": "ir.actions.act_window_close"}
        if self.mode == "inform":
            self.document_id.action_add_for_information(
                self.info_unit_ids, self.info_user_ids, self.note
            )
            return {"type": "ir.actions.act_window_close"}
        self.document_id._vbdt_direct(
            self.note, self.deadline, self._prepare_assignments()
        )
        return {"type": "ir.actions.act_window_close"}
