import datetime

import pytz

from odoo import api, fields, models


class VbdtWorkflowDemo(models.AbstractModel):
    """Demo scenario of ``demo/vbdt_document_demo.xml``.

    Every step is done by the model's own action, as the user who does it in
    real life (clerk, specialist, head of unit, leader), so reviews,
    activities, chatter, delegations and processing events are exactly what
    use would produce. Steps of the past are then dated back by a number of
    working days (``ago``), and deadlines are counted from those days, so
    that on-time, late and overdue work reads the same whatever the day the
    demo is installed. Nothing here runs outside demo data."""

    _name = "vbdt.workflow.demo"
    _description = "Workflow Demo Scenario"

    # ------------------------------------------------------------ helpers
    @api.model
    def _demo_doc(self, document_id, user_id):
        user = self.env["res.users"].browse(user_id)
        return self.env["vbdt.document"].browse(document_id).with_user(user)

    @api.model
    def _demo_day(self, document, ago):
        """The working day ``ago`` working days before the user's today."""
        today = fields.Date.context_today(document)
        return document.company_id._vbdt_subtract_working_days(today, ago)

    @api.model
    def _demo_moment(self, document, day, hour):
        """UTC datetime of ``hour`` o'clock on ``day`` in the agency."""
        tz = pytz.timezone(
            document.company_id.resource_calendar_id.tz or "Asia/Ho_Chi_Minh"
        )
        local = tz.localize(datetime.datetime.combine(day, datetime.time(hour)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    # ------------------------------------------------------------ agencies
    @api.model
    def _demo_share_holidays(self, company_id):
        """Every agency works on Vietnam's calendar: the public holidays of
        ``company_id``'s calendar are copied to the other agencies'."""
        source = self.env["res.company"].browse(company_id).resource_calendar_id
        holidays = source.global_leave_ids
        companies = self.env["res.company"].search([("vbdt_agency_code", "!=", False)])
        calendars = companies.resource_calendar_id
        calendars.write({"tz": "Asia/Ho_Chi_Minh"})
        for calendar in calendars - source:
            known = set(calendar.global_leave_ids.mapped("date_from"))
            self.env["resource.calendar.leaves"].create(
                [
                    {
                        "name": holiday.name,
                        "calendar_id": calendar.id,
                        "date_from": holiday.date_from,
                        "date_to": holiday.date_to,
                    }
                    for holiday in holidays
                    if holiday.date_from not in known
                ]
            )
        return True

    # ------------------------------------------------------------ outgoing
    @api.model
    def _demo_review(self, document_id, steps):
        """``steps``: [(user_id, action, comment)], action one of submit,
        approve, return, reject, sign. A signature that must be digital
        (vbdt_signature and the agency's flag) is left to the signer."""
        for user_id, action, comment in steps:
            document = self._demo_doc(document_id, user_id)
            if action == "submit":
                document.action_review_submit()
            elif action == "approve":
                document.action_review_approve(comment or None)
            elif action == "return":
                document.action_review_return(comment)
            elif action == "reject":
                document.action_review_reject(comment)
            elif action == "sign":
                if document._vbdt_requires_digital_signature():
                    return False
                document.action_review_sign()
        return True

    @api.model
    def _demo_issue(self, document_id, clerk_id):
        document = self._demo_doc(document_id, clerk_id)
        if document.state in document._vbdt_issuable_states():
            document.action_issue()
        return True

    # ------------------------------------------------------------ incoming
    @api.model
    def _demo_present(self, document_id, clerk_id, leader_id, ago=0):
        document = self._demo_doc(document_id, clerk_id)
        document.directing_leader_id = leader_id
        document.action_present()
        day = self._demo_day(document, ago)
        document.sudo()._vbdt_write_lifecycle(
            {"presented_date": self._demo_moment(document, day, 8)}
        )
        return True

    @api.model
    def _demo_direct(self, document_id, leader_id, note, ago, days, assignments):
        """The leader directs ``ago`` working days ago with ``days`` working
        days to handle. ``assignments``: [(role, unit_id, user_id)]."""
        document = self._demo_doc(document_id, leader_id)
        day = self._demo_day(document, ago)
        deadline = document.company_id._vbdt_add_working_days(day, days)
        created = document._vbdt_direct(
            note,
            deadline,
            [
                {"role": role, "unit_id": unit_id or False, "user_id": user_id or False}
                for role, unit_id, user_id in assignments
            ],
        )
        document.sudo()._vbdt_write_lifecycle(
            {"directed_date": self._demo_moment(document, day, 10)}
        )
        created.sudo().assigned_date = day
        return True

    @api.model
    def _demo_assign_inside(self, document_id, head_id, user_id, note=False):
        document = self._demo_doc(document_id, head_id)
        assignment = document.assignment_ids.filtered(
            lambda a: a.unit_id.manager_id == document.env.user
            and not a.user_id
            and a.state == "assigned"
        )[:1]
        assignment.action_assign_inside(self.env["res.users"].browse(user_id), note)
        return True

    @api.model
    def _demo_progress(self, document_id, user_id, note):
        self._demo_doc(document_id, user_id).action_report_progress(note)
        return True

    @api.model
    def _demo_complete(self, document_id, user_id, result, ago=0):
        document = self._demo_doc(document_id, user_id)
        before = document.sudo().assignment_ids.filtered(lambda a: a.state == "done")
        document.action_complete(result)
        day = self._demo_day(document, ago)
        closed = (
            document.sudo().assignment_ids.filtered(lambda a: a.state == "done")
            - before
        )
        closed.done_date = day
        if document.state == "done":
            document.sudo()._vbdt_write_lifecycle({"done_date": day})
        return True

    @api.model
    def _demo_ask_extension(self, document_id, user_id, days, reason):
        document = self._demo_doc(document_id, user_id)
        assignment = document._vbdt_my_assignments()[:1]
        self.env["vbdt.deadline.extension"].with_user(document.env.user).create(
            {
                "assignment_id": assignment.id,
                "reason": reason,
                "new_deadline": document.company_id._vbdt_add_working_days(
                    assignment.deadline, days
                ),
            }
        )
        return True

    @api.model
    def _demo_follow_up(self):
        """Today's reminders and escalations, and fresh dashboard figures."""
        self.env["vbdt.document.assignment"]._cron_vbdt_deadlines()
        self.env["vbdt.document.statistics"]._refresh()
        return True
