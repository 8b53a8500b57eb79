"""A host model of its own for ``vbdt.review.mixin``, loaded only by
test_review_mixin_host.py through odoo-test-helper's FakeModelLoader (as OCA
tests ``tier.validation`` on ``tier.validation.tester``): nothing of
``vbdt.document`` is involved."""

from odoo import api, fields, models


class VbdtReviewHost(models.Model):
    _name = "vbdt.review.host"
    _description = "Approval route host (tests)"
    _inherit = ["mail.thread", "mail.activity.mixin", "vbdt.review.mixin"]

    name = fields.Char(required=True)
    note = fields.Char()
    company_id = fields.Many2one("res.company", required=True)
    participant_ids = fields.Many2many("res.users")
    signer_id = fields.Many2one("res.users")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("review", "Under Review"),
            ("to_sign", "To Sign"),
            ("signed", "Signed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
    )
    # What the hooks saw, so that the tests can check when they ran.
    submissions = fields.Integer()
    signer_step_reviewer_ids = fields.Many2many(
        "res.users", "vbdt_review_host_signer_step_rel", "host_id", "user_id"
    )
    post_sign_user_id = fields.Many2one("res.users")
    post_sign_state = fields.Char()

    def _vbdt_review_default_signer(self):
        return self.signer_id

    def _vbdt_review_locked_fields(self):
        return {"name"}

    def _vbdt_review_on_submit(self):
        for record in self:
            record.submissions += 1
        return super()._vbdt_review_on_submit()

    def _vbdt_review_on_signer_step(self, rows):
        self.signer_step_reviewer_ids = rows.reviewer_ids
        return super()._vbdt_review_on_signer_step(rows)

    def _vbdt_review_post_sign(self, review, delegation):
        self.write({"post_sign_user_id": self.env.uid, "post_sign_state": self.state})
        return super()._vbdt_review_post_sign(review, delegation)


class VbdtApprovalRoute(models.Model):
    _inherit = "vbdt.approval.route"

    @api.model
    def _get_vbdt_review_model_names(self):
        return [*super()._get_vbdt_review_model_names(), "vbdt.review.host"]
