from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

ROLES = [
    ("lead", "Lead (chủ trì)"),
    ("coordinate", "Co-ordinating (phối hợp)"),
    ("info", "For Information (để biết)"),
]
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

    document_id = fields.Many2one(
        "vbdt.document",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True
    )
    role = fields.Selection(ROLES, required=True, default="lead", index=True)
    unit_id = fields.Many2one("vbdt.unit", index=True, check_company=True)
    user_id = fields.Many2one("res.users", string="Handler", index=True)
    responsible_id = fields.Many2one(
        "res.users",
        compute="_compute_responsible_id",
        store=True,
        index=True,
        help="Handler, or head of the unit while the unit has not assigned it inside.",
    )
    parent_id = fields.Many2one(
        "vbdt.document.assignment",
        string="Assigned From",
        ondelete="cascade",
        index=True,
        help="For a member who helps with a unit's part: the unit's assignment, held "
        "by "
        "the member who leads that part.",
    )
    child_ids = fields.One2many(
        "vbdt.document.assignment", "parent_id", string="Helping Members"
    )
    helped_user_id = fields.Many2one(
        related="parent_id.responsible_id",
        string="Helps",
        help="Member who leads the unit's part this member helps with.",
    )
    assigned_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    assigned_date = fields.Date(
        string="Assigned On",
        default=fields.Date.context_today,
        readonly=True,
        copy=False,
    )
    deadline = fields.Date(index=True)
    state = fields.Selection(
        [
            ("assigned", "Assigned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="assigned",
        required=True,
        index=True,
    )
    progress_note = fields.Text()
    result = fields.Text()
    done_date = fields.Date(readonly=True)
    timeliness = fields.Selection(
        [("open", "Pending"), ("on_time", "On Time"), ("late", "Late")],
        compute="_compute_timeliness",
        store=True,
        index=True,
    )
    handling_days = fields.Integer(
        string="Handling Time (working days)",
        compute="_compute_timeliness",
        store=True,
        aggregator="avg",
        help="Working days of the agency's calendar from assignment to completion.",
    )
    reminder_date = fields.Date(
        string="Last Reminder",
        copy=False,
        readonly=True,
        help="Day of the last reminder: once before the deadline, then every working "
        "day while the handling is overdue.",
    )
    escalation_level = fields.Selection(
        [("0", "None"), ("1", "Directing Leader"), ("2", "Head of the Agency")],
        string="Escalated To",
        default="0",
        required=True,
        copy=False,
        readonly=True,
    )
    urgency = fields.Selection(related="document_id.urgency")
    subject = fields.Char(related="document_id.subject")

    @api.depends("user_id", "unit_id.manager_id")
    def _compute_responsible_id(self):
        for assignment in self:
            assignment.responsible_id = (
                assignment.user_id or assignment.unit_id.manager_id
            )

    @api.depends("state", "done_date", "deadline", "assigned_date")
    def _compute_timeliness(self):
        for assignment in self:
            if assignment.state != "done" or not assignment.done_date:
                assignment.timeliness = "open"
                assignment.handling_days = 0
                continue
            late = assignment.deadline and assignment.done_date > assignment.deadline
            assignment.timeliness = "late" if late else "on_time"
            start = (
                assignment.assigned_date
                or (assignment.create_date or fields.Datetime.now()).date()
            )
            assignment.handling_days = assignment.company_id._vbdt_count_working_days(
                start, assignment.done_date
            )

    def _vbdt_notify_assignee(self):
        for assignment in self.filtered(
            lambda a: a.role != "info" and a.responsible_id
        ):
            # The assignee's activity, in the assignee's language (the raw
            # selection label "Lead (chủ trì)" would be English).
            assignment = assignment.with_context(lang=assignment.responsible_id.lang)
            roles = assignment._fields["role"]._description_selection(assignment.env)
            summary = dict(roles)[assignment.role]
            if assignment.parent_id:
                summary = assignment.env._(
                    "Helping %(user)s (phối hợp)",
                    user=assignment.parent_id.responsible_id.name,
                )
            assignment.document_id.activity_schedule(
                ACTIVITY_HANDLE,
                date_deadline=assignment.deadline,
                user_id=assignment.responsible_id.id,
                summary=summary,
            )
        for assignment in self.filtered(
            lambda a: a.role == "info" and a.responsible_id
        ):
            assignment.document_id.message_subscribe(
                assignment.responsible_id.partner_id.ids
            )

    def _vbdt_close_activities(self):
        for assignment in self.filtered("responsible_id"):
            assignment.document_id.activity_unlink(
                [ACTIVITY_HANDLE, ACTIVITY_REMIND], user_id=assignment.responsible_id.id
            )

    def _vbdt_check_responsible(self):
        user = self.env.user
        for assignment in self:
            if user != assignment.responsible_id and not user.has_group(
                "vbdt_document.vbdt_document_group_leader"
            ):
                raise UserError(
                    self.env._(
                        "%(document)s is assigned to %(user)s, not to you.",
                        document=assignment.document_id.display_name,
                        user=assignment.responsible_id.name or "-",
                    )
                )

    def _vbdt_check_assign_inside(self, user, helpers):
        """Role checks of the unit head's assignment inside the unit."""
        self.ensure_one()
        if self.env.user != self.unit_id.manager_id and not self.env.user.has_group(
            "vbdt_document.vbdt_document_group_leader"
        ):
            raise UserError(
                self.env._(
                    "Only the head of %(unit)s can assign inside it.",
                    unit=self.unit_id.name or "-",
                )
            )
        if self.state in ("done", "cancelled"):
            raise UserError(self.env._("This assignment is closed."))
        if self.parent_id:
            raise UserError(
                self.env._(
                    "%(user)s helps with the part of %(unit)s: assign from the "
                    "unit's part.",
                    user=self.responsible_id.name or "-",
                    unit=self.unit_id.name or "-",
                )
            )
        # sudo: the unit's members decide; the list is not returned
        outside = helpers - self.unit_id.sudo().member_ids
        if outside:
            raise UserError(
                self.env._(
                    "Only members of %(unit)s can help with its part, not %(users)s.",
                    users=", ".join(outside.mapped("name")),
                    unit=self.unit_id.name or "-",
                )
            )

    def action_assign_inside(self, user, note=False, helpers=None):
        """The head of the assigned unit hands the work to a member, who then
        leads the unit's part; ``helpers`` (members of the unit) help with it,
        each with their own assignment (a child of this one). Assigning again
        replaces the helpers whose part is still open."""
        self.ensure_one()
        helpers = (helpers or self.env["res.users"]) - user
        self._vbdt_check_assign_inside(user, helpers)
        open_parts = self.child_ids.filtered(
            lambda a: a.state in ("assigned", "in_progress")
        )
        dropped = open_parts.filtered(lambda a: a.user_id not in helpers)
        dropped._vbdt_close_activities()
        # sudo: assignments change only through the split, written by the server
        dropped.sudo().state = "cancelled"
        self._vbdt_close_activities()
        # sudo: assignments change only through the split, written by the server
        self.sudo().write(
            {"user_id": user.id, "progress_note": note or self.progress_note}
        )
        # Helpers keep their open part; one who already finished is not asked again.
        new_helpers = (
            helpers
            - (open_parts - dropped).user_id
            - self.child_ids.filtered(lambda a: a.state == "done").user_id
        )
        # sudo: helpers' parts are created by the server for the split, whoever splits
        children = self.sudo().create(
            [
                {
                    "document_id": self.document_id.id,
                    "parent_id": self.id,
                    "role": "coordinate",
                    "unit_id": self.unit_id.id,
                    "user_id": helper.id,
                    "deadline": self.deadline,
                    "assigned_by_id": self.env.uid,
                    "progress_note": note or False,
                }
                for helper in new_helpers
            ]
        )
        (self | children)._vbdt_notify_assignee()
        if helpers:
            message = self.env._(
                "%(head)s assigned the work of %(unit)s to %(user)s (lead), helped by "
                "%(helpers)s.",
                head=self.env.user.name,
                unit=self.unit_id.name,
                user=user.name,
                helpers=", ".join(helpers.mapped("name")),
            )
            status = self.env._(
                "Assigned to %(user)s, helped by %(helpers)s",
                user=user.name,
                helpers=", ".join(helpers.mapped("name")),
            )
        else:
            message = self.env._(
                "%(head)s assigned the work of %(unit)s to %(user)s.",
                head=self.env.user.name,
                unit=self.unit_id.name,
                user=user.name,
            )
            status = self.env._("Assigned to %(user)s", user=user.name)
        self.document_id.message_post(body=message)
        self.document_id._vbdt_processing_event("04", status)
        return True

    def _vbdt_cancel_open_helpers(self):
        """Helpers' parts still open when the unit's part is closed are moot."""
        helpers = self.child_ids.filtered(
            lambda a: a.state in ("assigned", "in_progress")
        )
        helpers._vbdt_close_activities()
        # sudo: helpers' parts close with the lead's, by the server
        helpers.sudo().state = "cancelled"

    # ------------------------------------------------------------ cron
    @api.model
    def _vbdt_open_domain(self):
        return [
            ("state", "in", ("assigned", "in_progress")),
            ("role", "!=", "info"),
            ("deadline", "!=", False),
        ]

    @api.model
    def _cron_vbdt_deadlines(self, batch_size=200):
        """Follow-up of open assignments, at most once a day each, in batches:
        one reminder before the deadline; once it has passed, a reminder every
        working day to the handler and escalation up the chain (the directing
        leader, then the head of the agency). Activities are updated in place,
        never duplicated."""
        # Each agency's own day (UTC+7 in Vietnam), not the server's: a run
        # at 06:00 in Hà Nội belongs to that day.
        now = fields.Datetime.now()
        first = min(
            company._vbdt_local_date(now)
            # sudo: a system job over every agency's day; only dates are read
            for company in self.env["res.company"].sudo().search([])
        )
        not_today = ["|", ("reminder_date", "=", False), ("reminder_date", "<", first)]
        todo = self.search(
            self._vbdt_open_domain() + not_today, limit=batch_size, order="deadline, id"
        )
        done = self.browse()
        for assignment in todo:
            # Written in the reader's language, dates as they read them
            # (dd/mm/yyyy in Vietnamese), not in the cron user's.
            assignment = assignment.with_context(lang=assignment._vbdt_reader_lang())
            company = assignment.company_id
            today = company._vbdt_local_date(now)
            if assignment.reminder_date and assignment.reminder_date >= today:
                continue
            if assignment.deadline >= today:
                left = company._vbdt_count_working_days(today, assignment.deadline)
                if assignment.reminder_date or left > company.vbdt_reminder_days:
                    continue
                assignment._vbdt_remind(
                    assignment.env._(
                        "Deadline %(date)s",
                        date=format_date(assignment.env, assignment.deadline),
                    )
                )
            elif company._vbdt_is_working_day(today):
                late = company._vbdt_count_working_days(assignment.deadline, today)
                assignment._vbdt_remind(
                    assignment.env._(
                        "Overdue since %(date)s (%(days)s working days)",
                        date=format_date(assignment.env, assignment.deadline),
                        days=late,
                    )
                )
                assignment._vbdt_escalate(late, today)
            else:
                continue
            assignment.reminder_date = today
            done |= assignment
        # Ask for another run only while this one made progress (rows left
        # alone, e.g. on a holiday, would otherwise call it again and again).
        remaining = (
            self.search_count(
                self._vbdt_open_domain() + [("deadline", "<", first)] + not_today
            )
            if done
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(done), remaining=remaining)
        return True

    def _vbdt_reader_lang(self):
        """The language of who reads the follow-up: the handler, else the
        directing leader, else the agency's."""
        self.ensure_one()
        reader = self.responsible_id or self.document_id.directing_leader_id
        return reader.lang or self.company_id.partner_id.lang or self.env.lang

    def _vbdt_responsible_label(self):
        self.ensure_one()
        return self.responsible_id.name or self.unit_id.name or "-"

    def _vbdt_remind(self, summary):
        """Reminder activity of the handler, created once and then updated;
        repeated reminders also reach the handler's inbox."""
        self.ensure_one()
        if not self.responsible_id:
            return
        document = self.document_id
        repeated = document._vbdt_upsert_activity(
            ACTIVITY_REMIND, self.responsible_id, summary, self.deadline
        )
        if repeated:
            document.message_notify(
                partner_ids=self.responsible_id.partner_id.ids,
                subject=summary,
                body=self.env._(
                    "%(document)s: %(summary)s",
                    document=document.display_name,
                    summary=summary,
                ),
            )

    def _vbdt_escalation_chain(self):
        """Who hears of overdue handling, level by level: the leader who
        directed the document, then the head of the agency."""
        self.ensure_one()
        if self.parent_id:
            # A helper's delay is the unit's business; the unit's own part
            # goes up the chain when it is late.
            head = self.parent_id.unit_id.manager_id or self.assigned_by_id
            return [head, self.env["res.users"]]
        leader = self.document_id.directing_leader_id or self.assigned_by_id
        head = self.company_id.vbdt_head_user_id
        return [leader, head if head != leader else self.env["res.users"]]

    def _vbdt_escalate(self, late_days, today):
        self.ensure_one()
        document = self.document_id
        level = int(self.escalation_level)
        wanted = 1
        if (
            self.company_id.vbdt_escalation_days
            and late_days >= self.company_id.vbdt_escalation_days
        ):
            wanted = 2
        summary = self.env._(
            "Overdue: %(user)s (%(days)s working days)",
            user=self._vbdt_responsible_label(),
            days=late_days,
        )
        chain = self._vbdt_escalation_chain()
        for index, user in enumerate(chain[:wanted], start=1):
            if not user:
                continue
            document._vbdt_upsert_activity(ACTIVITY_ESCALATE, user, summary, today)
            if index > level:
                document.message_post(
                    body=self.env._(
                        "Handling by %(user)s is overdue (deadline %(date)s): "
                        "reported to "
                        "%(leader)s.",
                        user=self._vbdt_responsible_label(),
                        date=format_date(self.env, self.deadline),
                        leader=user.name,
                    ),
                    partner_ids=user.partner_id.ids,
                )
        if wanted > level:
            self.escalation_level = str(wanted)
