from odoo_test_helper import FakeModelLoader

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

ACTIVITY_REVIEW = "vbdt_workflow.vbdt_workflow_activity_type_review"
ACTIVITY_SIGN = "vbdt_workflow.vbdt_workflow_activity_type_sign"
ACTIVITY_REWORK = "vbdt_workflow.vbdt_workflow_activity_type_rework"


@tagged("post_install", "-at_install")
class TestReviewMixinHost(VbdtDocumentCommon):
    """``vbdt.review.mixin`` on a host model of its own (review_mixin_host.py):
    the approval engine works through its documented hooks only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .review_mixin_host import VbdtApprovalRoute, VbdtReviewHost

        cls.loader.update_registry((VbdtReviewHost, VbdtApprovalRoute))
        cls.env["ir.model.access"].create(
            {
                "name": "vbdt.review.host users",
                "perm_read": True,
                "perm_write": True,
                "perm_create": True,
                "perm_unlink": True,
                "model_id": cls.env["ir.model"]._get_id("vbdt.review.host"),
                "group_id": cls.env.ref("base.group_user").id,
            }
        )
        cls.route = cls.env["vbdt.approval.route"].create(
            {
                "name": "Host route",
                "model": "vbdt.review.host",
                "company_id": cls.province.id,
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Head approves",
                            "sequence": 1,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, cls.head.ids)],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Leader signs",
                            "sequence": 2,
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, cls.leader.ids)],
                            "is_signer_step": True,
                        },
                    ),
                ],
            }
        )

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _host(self, **vals):
        Host = self.env["vbdt.review.host"].with_user(self.specialist)
        return Host.create(
            {"name": "Tờ trình thử", "company_id": self.province.id, **vals}
        )

    def _activity_users(self, host, xmlid):
        kind = self.env.ref(xmlid)
        return (
            host.sudo()
            .activity_ids.filtered(lambda a: a.activity_type_id == kind)
            .user_id
        )

    def test_route_found_for_the_host(self):
        host = self._host()
        self.assertEqual(self.env["vbdt.approval.route"]._find_for(host), self.route)
        self.assertIn(
            ("vbdt.review.host", "Approval route host (tests)"),
            self.env["vbdt.approval.route"]._selection_model(),
        )

    def test_submit_approve_sign(self):
        host = self._host()
        host.action_review_submit()
        self.assertEqual(
            (host.state, host.validation_status, host.submissions),
            ("review", "pending", 1),
        )
        reviews = host.sudo().review_ids
        self.assertEqual(set(reviews.mapped("model")), {"vbdt.review.host"})
        self.assertEqual(reviews.mapped("res_id"), [host.id, host.id])
        self.assertEqual(host.review_holder_ids, self.head)
        self.assertEqual(self._activity_users(host, ACTIVITY_REVIEW), self.head)

        # Locked while under review; other fields stay editable.
        with self.assertRaisesRegex(UserError, "is under review or signed"):
            host.write({"name": "Đổi tên"})
        host.write({"note": "ghi chú"})
        self.assertEqual(host.name, "Tờ trình thử")

        # Only the current step's reviewer acts.
        with self.assertRaisesRegex(UserError, "is not waiting for you"):
            host.with_user(self.leader).action_review_approve()
        self.assertEqual(host.state, "review")

        host.with_user(self.head).action_review_approve("Đồng ý.")
        self.assertEqual((host.state, host.validation_status), ("to_sign", "to_sign"))
        self.assertEqual(host.signer_step_reviewer_ids, self.leader)
        self.assertEqual(self._activity_users(host, ACTIVITY_SIGN), self.leader)
        self.assertFalse(host.post_sign_user_id)

        host.with_user(self.leader).action_review_sign()
        self.assertEqual((host.state, host.validation_status), ("signed", "signed"))
        # _vbdt_review_post_sign runs after the state moved to signed.
        self.assertEqual(
            (host.post_sign_user_id, host.post_sign_state), (self.leader, "signed")
        )
        self.assertEqual(
            host.sudo().review_ids.mapped("status"), ["approved", "approved"]
        )
        self.assertFalse(host.sudo().activity_ids)

    def test_return_for_rework_and_resubmit(self):
        host = self._host()
        host.action_review_submit()
        with self.assertRaisesRegex(UserError, "Give the reason in a comment"):
            host.with_user(self.head).action_review_return("")
        host.with_user(self.head).action_review_return("Sửa trích yếu.")
        self.assertEqual((host.state, host.validation_status), ("draft", "returned"))
        self.assertEqual(self._activity_users(host, ACTIVITY_REWORK), self.specialist)
        host.write({"name": "Tờ trình đã sửa"})  # editable again
        host.action_review_submit()
        self.assertEqual(
            (host.state, host.review_round, host.submissions), ("review", 2, 2)
        )
        self.assertFalse(self._activity_users(host, ACTIVITY_REWORK))

    def test_default_signer_when_the_route_has_no_signer_step(self):
        self.route.step_ids.filtered("is_signer_step").unlink()
        host = self._host()
        with self.assertRaisesRegex(UserError, "has no signer step: set the signer"):
            host.action_review_submit()
        self.assertEqual(host.state, "draft")
        host.signer_id = self.leader
        host.action_review_submit()
        signer_row = host.sudo().review_ids.filtered("is_signer_step")
        self.assertEqual(signer_row.reviewer_ids, self.leader)

    def test_only_the_drafter_submits(self):
        host = self._host()
        with self.assertRaisesRegex(UserError, "Only the drafter can submit the draft"):
            host.with_user(self.head).action_review_submit()
        self.assertEqual((host.state, host.review_round), ("draft", 0))
