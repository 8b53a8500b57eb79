import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class ResCompany(models.Model):
    _inherit = "res.company"

    vbdt_reminder_days = fields.Integer(
        string="Remind Before Deadline (working days)",
        default=1,
        help="Handlers get a reminder activity this many working days before "
        "their deadline.",
    )
    vbdt_direction_days = fields.Integer(
        string="Default Handling Time (working days)",
        default=7,
        help="Deadline proposed to the leader when directing an incoming document.",
    )
    vbdt_due_soon_days = fields.Integer(
        string="Warn Before Deadline (working days)",
        default=2,
        help="Open documents due within this many working days show in amber in "
        "lists, kanban and work queues; overdue ones show in red.",
    )
    vbdt_head_user_id = fields.Many2one(
        "res.users",
        string="Head of the Agency",
        help="Thủ trưởng cơ quan: second level of escalation of overdue handling, "
        "after the leader who directed the document.",
    )
    vbdt_escalation_days = fields.Integer(
        string="Escalate to the Head After (working days)",
        default=3,
        help="Overdue handling goes to the head of the agency once it is this many "
        "working days late; 0 never escalates that far.",
    )

    def _vbdt_working_days(self, start, stop):
        """Working dates of the agency's calendar in [start, stop], public
        holidays (global resource.calendar.leaves) excluded."""
        self.ensure_one()
        calendar = self.resource_calendar_id
        if not calendar:
            return [
                start + datetime.timedelta(days=i)
                for i in range((stop - start).days + 1)
                if (start + datetime.timedelta(days=i)).weekday() < 5
            ]
        tz = pytz.timezone(calendar.tz or "Asia/Ho_Chi_Minh")
        start_dt = tz.localize(datetime.datetime.combine(start, datetime.time.min))
        stop_dt = tz.localize(datetime.datetime.combine(stop, datetime.time.max))
        intervals = calendar._work_intervals_batch(start_dt, stop_dt)[False]
        return sorted({interval[0].astimezone(tz).date() for interval in intervals})

    def _vbdt_add_working_days(self, day, days):
        """The date ``days`` working days after ``day`` (which itself does not
        count): the deadline of a task given on ``day``."""
        self.ensure_one()
        if days <= 0:
            return day
        horizon = day + datetime.timedelta(days=days * 2 + 30)
        for _attempt in range(10):
            workdays = self._vbdt_working_days(
                day + datetime.timedelta(days=1), horizon
            )
            if len(workdays) >= days:
                return workdays[days - 1]
            horizon += datetime.timedelta(days=days + 60)
        raise UserError(
            self.env._(
                "The working calendar of %(agency)s has no working days.",
                agency=self.name,
            )
        )

    def _vbdt_local_date(self, moment):
        """Date of a UTC datetime in the agency's time zone."""
        self.ensure_one()
        tz = pytz.timezone(self.resource_calendar_id.tz or "Asia/Ho_Chi_Minh")
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _vbdt_is_working_day(self, day):
        self.ensure_one()
        return bool(self._vbdt_working_days(day, day))

    def _vbdt_subtract_working_days(self, day, days):
        """The working date ``days`` working days before ``day``."""
        self.ensure_one()
        if days <= 0:
            return day
        horizon = day - datetime.timedelta(days=days * 2 + 30)
        workdays = self._vbdt_working_days(horizon, day - datetime.timedelta(days=1))
        if len(workdays) < days:
            raise UserError(
                self.env._(
                    "The working calendar of %(agency)s has no working days.",
                    agency=self.name,
                )
            )
        return workdays[-days]

    def _vbdt_count_working_days(self, start, stop):
        """Working days after ``start`` up to and including ``stop``."""
        self.ensure_one()
        if stop <= start:
            return 0
        return len(self._vbdt_working_days(start + datetime.timedelta(days=1), stop))

    @api.model
    def _vbdt_demo_step(self, step, *args):
        """Demo data only: one step of the demo scenario, ``step`` being a
        name of ``demo.scenario.STEPS``, called from the demo XML with
        ``<function>``. The demo code is imported here, when the demo data
        loads, so that the runtime never loads it."""
        from ..demo.scenario import run_step

        return run_step(self.env, step, *args)
