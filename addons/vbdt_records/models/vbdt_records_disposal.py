from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from .vbdt_records_file_retention import MANAGER_GROUP
from .vbdt_records_lifecycle import agency_field

# Fields only the actions below write.
DISPOSAL_LIFECYCLE = {
    "state",
    "approved_uid",
    "approved_date",
    "done_uid",
    "done_date",
    "minutes",
}


class VbdtRecordsDisposal(models.Model):
    """A list of files whose value has expired (danh mục tài liệu hết giá
    trị): drafted by a records officer, approved by the head of the agency's
    records (or a leader), then carried out. Nothing is destroyed outside an
    approved list, and the list keeps the minutes of what was destroyed."""

    _name = "vbdt.records.disposal"
    _description = "Records Disposal List"
    _inherit = ["mail.thread", "vbdt.records.lifecycle.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = agency_field()
    decision = fields.Char(help="Number of the decision approving the disposal.")
    file_ids = fields.Many2many(
        "vbdt.records.file",
        string="Case Files",
        check_company=True,
        domain="[('state', '=', 'handed_over'), ('legal_hold', '=', False)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("done", "Disposed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True)
    approved_date = fields.Datetime(readonly=True)
    done_uid = fields.Many2one("res.users", string="Disposed By", readonly=True)
    done_date = fields.Datetime(readonly=True)
    minutes = fields.Text(
        readonly=True,
        help="The record of the disposal: each file with its code, title, years "
        "and item count, written when the files were destroyed.",
    )

    _vbdt_lifecycle_fields = frozenset(DISPOSAL_LIFECYCLE)

    def _vbdt_lifecycle_refusal(self):
        return self.env._(
            "A disposal list changes state only through its Approve and "
            "Dispose actions."
        )

    def write(self, vals):
        if not self._vbdt_lifecycle_unlocked() and self.filtered(
            lambda disposal: disposal.state != "draft"
        ):
            raise UserError(self.env._("An approved disposal list no longer changes."))
        return super().write(vals)

    def unlink(self):
        if self.filtered(lambda disposal: disposal.state != "draft"):
            raise UserError(
                self.env._("An approved disposal list is kept as evidence.")
            )
        return super().unlink()

    def _check_files(self):
        for disposal in self:
            if not disposal.file_ids:
                raise UserError(self.env._("The disposal list holds no case file."))
            problems = disposal.file_ids._disposal_problems()
            if problems:
                raise UserError("\n".join(problems.values()))

    def action_approve(self):
        """Approval by a records administrator or a leader of the agency."""
        user = self.env.user
        if not (
            user.has_group(MANAGER_GROUP)
            or user.has_group("vbdt_document.vbdt_document_group_leader")
        ):
            raise AccessError(
                self.env._(
                    "Only a leader or a records administrator may approve a "
                    "disposal list."
                )
            )
        self.check_access("write")
        if self.filtered(lambda disposal: disposal.state != "draft"):
            raise UserError(self.env._("Only a draft disposal list can be approved."))
        self._check_files()
        # sudo: the approval fields are written only here, after the checks.
        self.sudo()._vbdt_write_lifecycle(
            {
                "state": "approved",
                "approved_uid": user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        for disposal in self:
            disposal.message_post(body=self.env._("Disposal list approved."))
        return True

    def action_dispose(self):
        """Destroy the files' contents and keep their description and the
        minutes. The register documents themselves stay (they are evidence
        of the registers); the files lose their items and attachments."""
        if not self.env.user.has_group("vbdt_records.vbdt_records_group_officer"):
            raise AccessError(
                self.env._("Only a records officer carries out a disposal.")
            )
        self.check_access("write")
        if self.filtered(lambda disposal: disposal.state != "approved"):
            raise UserError(
                self.env._("Only an approved disposal list is carried out.")
            )
        # Checked again: a hold may have been placed since the approval.
        self._check_files()
        for disposal in self:
            files = disposal.file_ids
            minutes = disposal._minutes(files)
            for case_file in files:
                case_file._log_event(
                    "records_dispose", f"{case_file.code}: {disposal.name}"
                )
            # sudo: the items of files in an approved list are destroyed here
            # only, after the checks above; nothing of them is returned.
            files._all_lines().sudo().unlink()
            files.sudo()._vbdt_write_lifecycle(
                {"state": "disposed", "disposal_id": disposal.id}
            )
            disposal.sudo()._vbdt_write_lifecycle(
                {
                    "state": "done",
                    "done_uid": self.env.uid,
                    "done_date": fields.Datetime.now(),
                    "minutes": minutes,
                }
            )
            disposal.message_post(body=self.env._("Case files disposed of."))
        return True

    def _minutes(self, files):
        lines = [
            self.env._(
                "Disposal of %(count)s case file(s) of %(agency)s, list %(name)s, "
                "decision %(decision)s.",
                count=len(files),
                agency=self.company_id.name,
                name=self.name,
                decision=self.decision or "-",
            )
        ]
        for case_file in files:
            lines.append(
                self.env._(
                    "%(code)s (%(year)s) %(title)s: %(items)s item(s), "
                    "retention %(period)s",
                    code=case_file.code,
                    year=case_file.year,
                    title=case_file.title,
                    items=case_file.item_count,
                    period=case_file.retention_id.period_label,
                )
            )
        return "\n".join(lines)
