from odoo import fields, models


class VbdtReviewWizard(models.TransientModel):
    """Comment box of the approval actions (approve, return, reject, forward)."""

    _name = "vbdt.review.wizard"
    _description = "Review Action"

    document_id = fields.Many2one("vbdt.document", required=True)
    action = fields.Selection(
        [
            ("approve", "Approve"),
            ("return", "Return for Rework"),
            ("reject", "Reject"),
            ("forward", "Forward"),
            ("comment", "Comment"),
        ],
        required=True,
        default="approve",
    )
    return_to = fields.Selection(
        [("drafter", "The Drafter"), ("previous", "The Previous Step")],
        default="drafter",
    )
    company_id = fields.Many2one(related="document_id.company_id")
    user_id = fields.Many2one(
        "res.users",
        string="Forward To",
        domain=lambda self: self.env["vbdt.document"]._vbdt_staff_domain(),
    )
    comment = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        document = self.document_id
        if self.action == "approve":
            document.action_review_approve(self.comment)
        elif self.action == "return":
            document.action_review_return(self.comment, self.return_to)
        elif self.action == "reject":
            document.action_review_reject(self.comment)
        elif self.action == "forward":
            document.action_review_forward(self.user_id, self.comment)
        else:
            document.action_review_comment(self.comment)
        return {"type": "ir.actions.act_window_close"}
