from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

ACTIVITY_EXTENSION = "vbdt_workflow.vbdt_workflow_activity_type_extension"
ACTIVITY_REMIND = "vbdt_workflow.vbdt_workflow_activity_type_reminder"


class VbdtDeadlineExtension(models.Model):
    """A handler asks the directing leader for more time (gia hạn)."""

    _name = "vbdt.deadline.extension"
    _description = "Deadline Extension Request"
    _order = "id desc"
    _check_company_auto = True

    assignment_id = fields.Many2one(
        "vbdt.document.assignment",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    document_id = fields.Many2one(
        related="assignment_id.document_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="assignment_id.company_id", store=True, index=True
    )
    requested_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    current_deadline = fields.Date(readonly=True)
    new_deadline = fields.Date(required=True)
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("requested", "Requested"), ("approved", "Approved"), ("refused", "Refused")],
        default="requested",
        required=True,
        index=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            assignment = self.env["vbdt.document.assignment"].browse(
                vals["assignment_id"]
            )
            vals["current_deadline"] = assignment.deadline
        requests = super().create(vals_list)
        for request in requests:
            assignment = request.assignment_id
            assignment._vbdt_check_responsible()
            if assignment.state in ("done", "cancelled"):
                raise UserError(self.env._("This assignment is closed."))
            if assignment.deadline and request.new_deadline <= assignment.deadline:
                raise ValidationError(
                    self.env._(
                        "The new deadline must come after %(date)s.",
                        date=format_date(self.env, assignment.deadline),
                    )
                )
            leader = request._vbdt_decider()
            request.document_id.activity_schedule(
                ACTIVITY_EXTENSION,
                user_id=leader.id,
                date_deadline=fields.Date.context_today(self),
                summary=self.env._(
                    "Extension to %(date)s",
                    date=format_date(request.env, request.new_deadline),
                ),
                note=request.reason,
            )
            request.document_id.message_post(
                body=self.env._(
                    "%(user)s asks to extend the deadline to %(date)s: %(reason)s",
                    user=request.requested_by_id.name,
                    date=format_date(request.env, request.new_deadline),
                    reason=request.reason,
                )
            )
        return requests

    def _vbdt_decider(self):
        self.ensure_one()
        return self.document_id.directing_leader_id or self.assignment_id.assigned_by_id

    def _vbdt_check_decider(self):
        for request in self:
            if request.state != "requested":
                raise UserError(self.env._("This request has already been decided."))
            if self.env.user != request._vbdt_decider() and not self.env.user.has_group(
                "vbdt_document.vbdt_document_group_leader"
            ):
                raise UserError(
                    self.env._(
                        "Only the leader who directed the document decides on "
                        "extensions."
                    )
                )

    def _vbdt_decide(self, state):
        self._vbdt_check_decider()
        for request in self:
            # sudo: the decision is written by the server after _vbdt_check_decider
            request.sudo().write({"state": state, "approver_id": self.env.uid})
            request.document_id.activity_feedback(
                [ACTIVITY_EXTENSION], user_id=request._vbdt_decider().id
            )
            if state == "approved":
                # Helpers of a unit's part get the extra time with it.
                extended = (
                    request.assignment_id
                    | request.assignment_id.child_ids.filtered(
                        lambda a, deadline=request.current_deadline: (
                            a.state in ("assigned", "in_progress")
                            and a.deadline == deadline
                        )
                    )
                )
                # sudo: the assignment's deadline follows the decision, by the server
                extended.sudo().write(
                    {
                        "deadline": request.new_deadline,
                        "reminder_date": False,
                        "escalation_level": "0",
                    }
                )
                for assignment in extended:
                    request.document_id.activity_unlink(
                        [ACTIVITY_REMIND], user_id=assignment.responsible_id.id
                    )
                document = request.document_id
                if request.assignment_id.role == "lead":
                    # sudo: the document's deadline follows the decision, by the server
                    document.sudo().due_date = request.new_deadline
            request.document_id.message_post(
                body=self.env._(
                    "Extension to %(date)s %(decision)s by %(user)s.",
                    date=format_date(request.env, request.new_deadline),
                    decision=dict(
                        self._fields["state"]._description_selection(self.env)
                    )[state],
                    user=self.env.user.name,
                )
            )

    def action_approve(self):
        self._vbdt_decide("approved")
        return True

    def action_refuse(self):
        self._vbdt_decide("refused")
        return True
