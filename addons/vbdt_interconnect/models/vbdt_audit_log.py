from odoo import fields, models


def _keep(records):
    """ondelete of the added events: audit entries are never changed (their
    hash covers the event), not even when this addon is uninstalled."""
    return None


class VbdtAuditLog(models.Model):
    """Answers to the sender's take-back, revocation, update and replacement
    requests (incoming documents) and the sender's own requests (outgoing
    documents) are legally relevant events; so is the hub's routing (which
    system receives the packages of an agency code), whose changes are
    logged on the directory entry (or on the claim when the code is not in
    the directory)."""

    _inherit = "vbdt.audit.log"

    event = fields.Selection(
        selection_add=[
            ("exchange_agree", "Sender's Request Agreed"),
            ("exchange_refuse", "Sender's Request Refused"),
            ("take_back", "Take-back Requested"),
            ("revoke", "Revoked at the Recipients"),
            ("update", "Update Sent"),
            ("replace", "Replaced by a New Document"),
            ("hub_routing", "Hub Routing Changed"),
        ],
        ondelete={
            "exchange_agree": _keep,
            "exchange_refuse": _keep,
            "take_back": _keep,
            "revoke": _keep,
            "update": _keep,
            "replace": _keep,
            "hub_routing": _keep,
        },
    )
