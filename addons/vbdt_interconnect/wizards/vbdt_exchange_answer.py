from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.vbdt_exchange_inbox_mixin import REQUEST_KINDS


class VbdtExchangeAnswer(models.TransientModel):
    """The clerk's answer to the sender's take-back, revocation, update or
    replacement request: agree (status 15) or refuse with a reason (16)."""

    _name = "vbdt.exchange.answer"
    _description = "Answer to the Sender's Request"

    document_id = fields.Many2one("vbdt.document", required=True, readonly=True)
    request_id = fields.Many2one(
        "vbdt.exchange.record", string="Request", required=True, readonly=True
    )
    request_kind = fields.Selection(REQUEST_KINDS, compute="_compute_request")
    request_reason = fields.Text(string="Sender's Reason", compute="_compute_request")
    sender_id = fields.Many2one(
        "vbdt.agency", string="Sender", compute="_compute_request"
    )
    answer = fields.Selection(
        [("agree", "Agree (status 15)"), ("refuse", "Refuse (status 16)")],
        required=True,
        default="agree",
    )
    reason = fields.Text(
        help="Required when refusing (for example: the document is already processed)."
    )

    @api.depends("request_id")
    def _compute_request(self):
        for wizard in self:
            # sudo: the sender's request on a document the clerk reads: its kind, reason
            # and sender
            request = wizard.request_id.sudo()
            wizard.request_kind = request.request_kind
            wizard.request_reason = request.status_description or False
            wizard.sender_id = request.agency_id

    def action_confirm(self):
        self.ensure_one()
        if self.answer == "refuse" and not (self.reason or "").strip():
            raise UserError(self.env._("Say why you refuse the sender's request."))
        self.document_id._vbdt_answer_exchange_request(
            self.request_id, self.answer == "agree", self.reason or ""
        )
        if self.document_id._vbdt_pending_exchange_requests():
            return self.document_id.action_vbdt_exchange_answer()
        return {"type": "ir.actions.act_window_close"}
