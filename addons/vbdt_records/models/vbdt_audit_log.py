from odoo import fields, models


def _keep_entries(entries):
    """Audit entries are evidence: uninstalling the addon leaves them as they are."""


class VbdtAuditLog(models.Model):
    _inherit = "vbdt.audit.log"

    event = fields.Selection(
        selection_add=[
            ("records_close", "Case file closed"),
            ("records_reopen", "Case file re-opened"),
        ],
        ondelete={"records_close": _keep_entries, "records_reopen": _keep_entries},
    )
