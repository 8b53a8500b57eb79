from odoo import fields, models


class VbdtHubMessage(models.Model):
    """One package waiting at the hub for one recipient; re-delivered by
    ``getReceivedEdocList`` until the recipient answers ``updateStatus done``."""

    _name = "vbdt.hub.message"
    _description = "Hub Message"
    _order = "id"

    doc_id = fields.Char(string="DocId", required=True, index=True)
    sender_system_id = fields.Many2one("vbdt.hub.system", required=True, index=True)
    recipient_system_id = fields.Many2one("vbdt.hub.system", required=True, index=True)
    sender_code = fields.Char(required=True)
    recipient_code = fields.Char(required=True, index=True)
    message_type = fields.Selection(
        [("edoc", "Document"), ("status", "Status")], required=True, index=True)
    package = fields.Binary(attachment=True, required=True)
    package_hash = fields.Char()
    state = fields.Selection(
        [("pending", "Pending"), ("delivered", "Delivered"), ("done", "Done"),
         ("failed", "Failed")],
        default="pending", required=True, index=True,
    )
    delivered_date = fields.Datetime()
    done_date = fields.Datetime()
    fetch_count = fields.Integer()
