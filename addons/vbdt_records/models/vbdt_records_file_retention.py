from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# The agency's archive is told this many days before a file is due.
HANDOVER_NOTICE_DAYS = 30
# Law on Archives 2024, art. 21 (and Decree 30/2020, art. 31): files go to the
# agency's archive within one year after the work ends.
HANDOVER_WITHIN = relativedelta(years=1)
MANAGER_GROUP = "vbdt_records.vbdt_records_group_manager"
OFFICER_GROUP = "vbdt_records.vbdt_records_group_officer"


# One concern per file: the case file's lifecycle, its indexes, its retention.
class VbdtRecordsFile(models.Model):
    """Hand-over and disposal deadlines, legal hold."""

    _inherit = "vbdt.records.file"  # pylint: disable=consider-merging-classes-inherited

    handover_due_date = fields.Date(
        compute="_compute_handover_due_date",
        store=True,
        help="Last day to hand the closed file to the agency's archive: one year "
        "after the work ended.",
    )
    disposal_due_date = fields.Date(
        compute="_compute_disposal_due_date",
        store=True,
        help="First day the file may be proposed for disposal: the day after its "
        "retention period; empty for permanent files.",
    )
    handover_notified = fields.Boolean(readonly=True, copy=False)
    legal_hold = fields.Boolean(readonly=True, copy=False, tracking=True, index=True)
    legal_hold_reason = fields.Char(readonly=True, copy=False)
    handover_id = fields.Many2one(
        "vbdt.records.handover", string="Hand-over", readonly=True, copy=False
    )
    handed_over_date = fields.Date(readonly=True, copy=False)
    disposal_id = fields.Many2one(
        "vbdt.records.disposal", string="Disposal List", readonly=True, copy=False
    )

    @api.depends("state", "end_date", "closed_date")
    def _compute_handover_due_date(self):
        for case_file in self:
            ended = case_file.end_date or (
                case_file.closed_date and case_file.closed_date.date()
            )
            case_file.handover_due_date = (
                ended + HANDOVER_WITHIN
                if case_file.state == "closed" and ended
                else False
            )

    @api.depends("retention_end_year")
    def _compute_disposal_due_date(self):
        for case_file in self:
            case_file.disposal_due_date = (
                date(case_file.retention_end_year + 1, 1, 1)
                if case_file.retention_end_year
                else False
            )

    # ------------------------------------------------------------ legal hold
    def _check_records_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a records administrator may place or lift a legal hold."
                )
            )
        self.check_access("write")

    def action_legal_hold(self, reason):
        """Freeze the files: no disposal while the hold lasts (inspection,
        litigation, complaint)."""
        self._check_records_manager()
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(self.env._("Give the reason for the legal hold."))
        # sudo: the hold fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {"legal_hold": True, "legal_hold_reason": reason[:200]}
        )
        for case_file in self:
            case_file._log_event("records_hold", f"{case_file.code}: {reason[:200]}")
        return True

    def action_legal_hold_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "vbdt.records.file.reopen",
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Legal Hold"),
            "context": {"default_file_id": self.id, "default_mode": "hold"},
        }

    def action_release_hold(self):
        self._check_records_manager()
        # sudo: the hold fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {"legal_hold": False, "legal_hold_reason": False}
        )
        for case_file in self:
            case_file._log_event("records_release", case_file.code)
        return True

    # ------------------------------------------------------------ disposal
    def _disposal_problems(self, today=None):
        """Why each file may not be disposed of yet: {file: message}."""
        today = today or fields.Date.context_today(self)
        problems = {}
        for case_file in self:
            if case_file.legal_hold:
                problems[case_file] = self.env._(
                    "Case file %(code)s is on legal hold.", code=case_file.code
                )
            elif case_file.state != "handed_over":
                problems[case_file] = self.env._(
                    "Case file %(code)s has not been handed over to the archive.",
                    code=case_file.code,
                )
            elif case_file.retention_id.permanent:
                problems[case_file] = self.env._(
                    "Case file %(code)s is kept permanently.", code=case_file.code
                )
            elif not case_file.disposal_due_date or case_file.disposal_due_date > today:
                problems[case_file] = self.env._(
                    "Case file %(code)s must be kept until the end of %(year)s.",
                    code=case_file.code,
                    year=case_file.retention_end_year,
                )
        return problems

    # ------------------------------------------------------------ notice
    @api.model
    def _cron_notify_handover(self):
        """Tell each agency's records officers, 30 days ahead, which closed
        files are due for hand-over (one activity per file, once)."""
        limit = fields.Date.context_today(self) + timedelta(days=HANDOVER_NOTICE_DAYS)
        # sudo: the cron serves every agency; the activities name files by
        # their codes and dates only, and go to each agency's own officers.
        due = self.sudo().search(
            [
                ("state", "=", "closed"),
                ("handover_notified", "=", False),
                ("handover_due_date", "<=", limit),
            ],
            limit=1000,
        )
        officers = self.env.ref(OFFICER_GROUP).users
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for case_file in due:
            agency_officers = officers.filtered(
                lambda user, company=case_file.company_id: company in user.company_ids
            )
            for officer in agency_officers[:20]:
                case_file.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=officer.id,
                    date_deadline=case_file.handover_due_date,
                    summary=self.env._("Hand over to the archive"),
                    note=self.env._(
                        "Case file %(code)s is due at the agency's archive "
                        "by %(date)s.",
                        code=case_file.code,
                        date=case_file.handover_due_date.strftime("%d/%m/%Y"),
                    ),
                )
        # sudo (kept from the search): the flag is a lifecycle field.
        due._vbdt_write_lifecycle({"handover_notified": True})
        return len(due)
