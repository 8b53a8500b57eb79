from odoo import fields, models


class VbdtRecordsFileReopen(models.TransientModel):
    """Asks the records administrator for the reason before re-opening a
    closed file or placing a file on legal hold."""

    _name = "vbdt.records.file.reopen"
    _description = "Re-open Case File or Place It on Legal Hold"

    file_id = fields.Many2one("vbdt.records.file", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("reopen", "Re-open"), ("hold", "Legal Hold")],
        default="reopen",
        required=True,
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "hold":
            self.file_id.action_legal_hold(self.reason)
        else:
            self.file_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
