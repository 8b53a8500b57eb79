from odoo import fields, models

from .vbdt_exchange_record import STATUS_CODES


class VbdtDocumentDelivery(models.Model):
    """Where an outgoing document stands at one recipient (last status back)."""

    _name = "vbdt.document.delivery"
    _description = "Document Delivery"
    _order = "document_id, id"

    document_id = fields.Many2one(
        "vbdt.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True
    )
    agency_id = fields.Many2one("vbdt.agency", string="Recipient", required=True)
    status_code = fields.Selection(
        [
            ("queued", "Waiting to send"),
            ("not_sent", "Not sent: no axis connection configured"),
            ("failed", "Sending failed"),
            ("sent", "Sent"),
            ("revoke", "Revocation sent"),
            ("update", "Update sent"),
            ("replace", "Replacement sent"),
            *STATUS_CODES,
        ],
        string="Status",
        help="Last status of the document at this recipient: waiting to "
        "send, not sent or failed (what the transport confirmed), sent, the "
        "revocation, update or replacement the sender sent, then the recipient's "
        "status "
        "codes (15 agreed, 16 refused for take-backs, revocations, updates and "
        "replacements).",
    )
    status_date = fields.Datetime(string="Updated")
    description = fields.Text()
    record_id = fields.Many2one("vbdt.exchange.record", string="Exchange Record")
    transport_status = fields.Char(
        help="Delivery state reported by the axis (getSentEdocList): pending, "
        "delivered, done (fetched and acknowledged by the recipient), fail."
    )

    _sql_constraints = [
        (
            "document_agency_uniq",
            "unique(document_id, agency_id)",
            "One delivery line per recipient.",
        ),
    ]
