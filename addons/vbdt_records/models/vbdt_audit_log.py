from odoo import fields, models


def _keep_entries(entries):
    """Audit entries are evidence: uninstalling the addon leaves them as they are."""


class VbdtAuditLog(models.Model):
    _inherit = "vbdt.audit.log"

    event = fields.Selection(
        selection_add=[
            ("records_close", "Case file closed"),
            ("records_reopen", "Case file re-opened"),
            ("records_hold", "Case file put on legal hold"),
            ("records_release", "Case file released from legal hold"),
            ("records_handover", "Case file handed over to the archive"),
            ("records_dispose", "Case file disposed of"),
            ("records_copy", "Copy made"),
        ],
        ondelete={
            event: _keep_entries
            for event in (
                "records_close",
                "records_reopen",
                "records_hold",
                "records_release",
                "records_handover",
                "records_dispose",
                "records_copy",
            )
        },
    )
