from odoo import fields, models


class VbdtRecordsFileReopen(models.TransientModel):
    """Asks the records administrator for the reason before re-opening a file."""

    _name = "vbdt.records.file.reopen"
    _description = "Re-open Case File"

    file_id = fields.Many2one("vbdt.records.file", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.file_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
