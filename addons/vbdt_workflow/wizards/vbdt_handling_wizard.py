from odoo import api, fields, models


class VbdtHandlingWizard(models.TransientModel):
    """Progress report, completion, assignment inside a unit, extension request."""

    _name = "vbdt.handling.wizard"
    _description = "Handle an Incoming Document"

    document_id = fields.Many2one("vbdt.document", required=True)
    action = fields.Selection(
        [
            ("progress", "Report Progress"),
            ("complete", "Complete"),
            ("assign", "Assign Inside the Unit"),
            ("extend", "Ask for More Time"),
        ],
        required=True,
        default="progress",
    )
    assignment_id = fields.Many2one(
        "vbdt.document.assignment", domain="[('document_id', '=', document_id)]"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assign To",
        help="Member who leads the unit's part (chủ trì).",
    )
    unit_member_ids = fields.Many2many(related="assignment_id.unit_id.member_ids")
    helper_ids = fields.Many2many(
        "res.users",
        string="Helped By",
        help="Members of the unit who help with its part (phối hợp), each with their "
        "own "
        "activity, progress and completion.",
    )
    new_deadline = fields.Date()
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        """Assigning inside the unit starts from the unit's part the head
        holds, so that the dialog is done in one pass."""
        vals = super().default_get(fields_list)
        if vals.get("action") == "assign" and vals.get("document_id"):
            vals.setdefault("assignment_id", self._vbdt_my_unit_part(vals).id)
        return vals

    @api.model
    def _vbdt_my_unit_part(self, vals):
        document = self.env["vbdt.document"].browse(vals["document_id"])
        # sudo: only the id of the user's own open unit part is returned.
        return document.sudo().assignment_ids.filtered(
            lambda a: a.unit_id
            and not a.parent_id
            and a.responsible_id == self.env.user
            and a.state in ("assigned", "in_progress")
        )[:1]

    @api.onchange("assignment_id")
    def _onchange_assignment_id(self):
        """Start from how the unit's part is split now, keeping a person the
        head already chose when the part has nobody yet."""
        if self.action == "assign" and self.assignment_id:
            self.user_id = self.assignment_id.user_id or self.user_id
            self.helper_ids = self.assignment_id.child_ids.filtered(
                lambda a: a.state in ("assigned", "in_progress")
            ).user_id

    def action_confirm(self):
        self.ensure_one()
        document = self.document_id
        if self.action == "progress":
            document.action_report_progress(self.note)
        elif self.action == "complete":
            document.action_complete(self.note)
        elif self.action == "assign":
            self.assignment_id.action_assign_inside(
                self.user_id, self.note, self.helper_ids
            )
        else:
            assignment = self.assignment_id or document._vbdt_my_assignments()[:1]
            self.env["vbdt.deadline.extension"].create(
                {
                    "assignment_id": assignment.id,
                    "new_deadline": self.new_deadline,
                    "reason": self.note,
                }
            )
        return {"type": "ir.actions.act_window_close"}
