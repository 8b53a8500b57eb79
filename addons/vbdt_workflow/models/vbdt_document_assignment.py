from odoo import api, fields, models
from odoo.exceptions import UserError

ROLES = [("lead", "Lead (chủ trì)"), ("coordinate", "Co-ordinating (phối hợp)"),
         ("info", "For Information (để biết)")]
ACTIVITY_HANDLE = "vbdt_workflow.vbdt_workflow_activity_type_handle"
ACTIVITY_REMIND = "vbdt_workflow.vbdt_workflow_activity_type_reminder"
ACTIVITY_ESCALATE = "vbdt_workflow.vbdt_workflow_activity_type_escalation"


class VbdtDocumentAssignment(models.Model):
    """Who handles an incoming document (phân công): one lead, co-ordinating
    and for-information units or persons, each with a deadline."""

    _name = "vbdt.document.assignment"
    _description = "Document Assignment"
    _order = "deadline, id"
    _check_company_auto = True
    _rec_name = "document_id"

    document_id = fields.Many2one("vbdt.document", required=True, ondelete="cascade",
                                  index=True, check_company=True)
    company_id = fields.Many2one(related="document_id.company_id", store=True, index=True)
    role = fields.Selection(ROLES, required=True, default="lead", index=True)
    unit_id = fields.Many2one("vbdt.unit", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Handler", index=True)
    responsible_id = fields.Many2one(
        "res.users", compute="_compute_responsible_id", store=True, index=True,
        help="Handler, or head of the unit while the unit has not assigned it inside.")
    parent_id = fields.Many2one("vbdt.document.assignment", string="Assigned From",
                                ondelete="cascade", index=True)
    assigned_by_id = fields.Many2one("res.users", default=lambda self: self.env.user,
                                     readonly=True)
    deadline = fields.Date(index=True)
    state = fields.Selection(
        [("assigned", "Assigned"), ("in_progress", "In Progress"), ("done", "Done"),
         ("cancelled", "Cancelled")],
        default="assigned", required=True, index=True,
    )
    progress_note = fields.Text()
    result = fields.Text()
    done_date = fields.Date(readonly=True)
    timeliness = fields.Selection(
        [("open", "Pending"), ("on_time", "On Time"), ("late", "Late")],
        compute="_compute_timeliness", store=True, index=True,
    )
    handling_days = fields.Integer(
        compute="_compute_timeliness", store=True, aggregator="avg",
        help="Calendar days from assignment to completion.")
    reminded = fields.Boolean(copy=False, readonly=True)
    escalated = fields.Boolean(copy=False, readonly=True)
    urgency = fields.Selection(related="document_id.urgency")
    subject = fields.Char(related="document_id.subject")

    @api.depends("user_id", "unit_id.manager_id")
    def _compute_responsible_id(self):
        for assignment in self:
            assignment.responsible_id = assignment.user_id or assignment.unit_id.manager_id

    @api.depends("state", "done_date", "deadline", "create_date")
    def _compute_timeliness(self):
        for assignment in self:
            if assignment.state != "done" or not assignment.done_date:
                assignment.timeliness = "open"
                assignment.handling_days = 0
                continue
            late = assignment.deadline and assignment.done_date > assignment.deadline
            assignment.timeliness = "late" if late else "on_time"
            start = (assignment.create_date or fields.Datetime.now()).date()
            assignment.handling_days = (assignment.done_date - start).days

    def _vbdt_notify_assignee(self):
        for assignment in self.filtered(lambda a: a.role != "info" and a.responsible_id):
            assignment.document_id.activity_schedule(
                ACTIVITY_HANDLE, date_deadline=assignment.deadline,
                user_id=assignment.responsible_id.id,
                summary=dict(ROLES)[assignment.role])
        for assignment in self.filtered(lambda a: a.role == "info" and a.responsible_id):
            assignment.document_id.message_subscribe(assignment.responsible_id.partner_id.ids)

    def _vbdt_close_activities(self):
        for assignment in self.filtered("responsible_id"):
            assignment.document_id.activity_unlink(
                [ACTIVITY_HANDLE, ACTIVITY_REMIND], user_id=assignment.responsible_id.id)

    def _vbdt_check_responsible(self):
        user = self.env.user
        for assignment in self:
            if user != assignment.responsible_id and not user.has_group(
                    "vbdt_document.vbdt_document_group_leader"):
                raise UserError(self.env._(
                    "%(document)s is assigned to %(user)s, not to you.",
                    document=assignment.document_id.display_name,
                    user=assignment.responsible_id.name or "-"))

    def action_assign_inside(self, user, note=False):
        """The head of the assigned unit hands the work to a member."""
        self.ensure_one()
        if self.env.user != self.unit_id.manager_id and not self.env.user.has_group(
                "vbdt_document.vbdt_document_group_leader"):
            raise UserError(self.env._("Only the head of %(unit)s can assign inside it.",
                                       unit=self.unit_id.name or "-"))
        if self.state in ("done", "cancelled"):
            raise UserError(self.env._("This assignment is closed."))
        self._vbdt_close_activities()
        self.sudo().write({"user_id": user.id, "progress_note": note or self.progress_note})
        self._vbdt_notify_assignee()
        self.document_id.message_post(body=self.env._(
            "%(head)s assigned the work of %(unit)s to %(user)s.", head=self.env.user.name,
            unit=self.unit_id.name, user=user.name))
        self.document_id._vbdt_processing_event("04", self.env._(
            "Assigned to %(user)s", user=user.name))
        return True

    # ------------------------------------------------------------ cron
    @api.model
    def _vbdt_open_domain(self):
        return [("state", "in", ("assigned", "in_progress")), ("role", "!=", "info"),
                ("deadline", "!=", False)]

    @api.model
    def _cron_vbdt_deadlines(self, batch_size=200):
        """Reminders before the deadline and escalation to the directing
        leader once it has passed, in batches."""
        today = fields.Date.context_today(self)
        due = self.search(self._vbdt_open_domain() + [("reminded", "=", False),
                                                      ("deadline", ">=", today)],
                          limit=batch_size, order="deadline, id")
        reminded = due.filtered(lambda a: a.document_id.company_id._vbdt_count_working_days(
            today, a.deadline) <= a.document_id.company_id.vbdt_reminder_days)
        for assignment in reminded.filtered("responsible_id"):
            assignment.document_id.activity_schedule(
                ACTIVITY_REMIND, date_deadline=assignment.deadline,
                user_id=assignment.responsible_id.id,
                summary=self.env._("Deadline %(date)s", date=assignment.deadline))
        reminded.reminded = True
        overdue = self.search(self._vbdt_open_domain() + [("escalated", "=", False),
                                                          ("deadline", "<", today)],
                              limit=batch_size)
        for assignment in overdue:
            document = assignment.document_id
            leader = document.directing_leader_id or assignment.assigned_by_id
            document.activity_schedule(
                ACTIVITY_ESCALATE, date_deadline=today, user_id=leader.id,
                summary=self.env._("Overdue: %(user)s", user=assignment.responsible_id.name
                                   or assignment.unit_id.name or "-"))
            document.message_post(body=self.env._(
                "Handling by %(user)s is overdue (deadline %(date)s).",
                user=assignment.responsible_id.name or assignment.unit_id.name or "-",
                date=assignment.deadline))
        overdue.escalated = True
        remaining = self.search_count(self._vbdt_open_domain() + [
            ("escalated", "=", False), ("deadline", "<", today)])
        self.env["ir.cron"]._notify_progress(done=len(due) + len(overdue),
                                             remaining=remaining)
        return True
