from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestApprovalAccess(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls._outgoing(drafter_id=cls.specialist.id)
        cls.document.with_user(cls.specialist).action_review_submit()

    @users("specialist", "colleague", "outsider")
    def test_specialist_cannot_approve(self):
        document = self.document.with_env(self.env)
        with self.assertRaises(UserError):
            document.action_review_approve()

    @users("leader")
    def test_signer_cannot_act_before_their_step(self):
        document = self.document.with_env(self.env)
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.action_review_approve()
        with self.assertRaisesRegex(UserError, "not waiting"):
            document.action_review_sign()

    @users("head")
    def test_reviewer_cannot_act_after_their_step(self):
        document = self.document.with_env(self.env)
        document.action_review_approve()
        with self.assertRaisesRegex(UserError, "not waiting"):
            document.action_review_approve()
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.action_review_sign()

    @users("other_head")
    def test_reviewer_reads_only_through_review(self):
        document = self.document.with_env(self.env)
        with self.assertRaises(AccessError):
            document.read(["subject"])

    @users("head")
    def test_reviewer_sees_review_rows(self):
        document = self.document.with_env(self.env)
        self.assertEqual(document.review_ids.reviewer_ids, self.head | self.leader)
        self.assertTrue(document.review_is_mine)
        mine = self.env["vbdt.document"].search([("review_is_mine", "=", True)])
        self.assertIn(document, mine)

    @users("other_clerk")
    def test_other_agency_sees_nothing(self):
        self.assertFalse(self.env["vbdt.review"].search([]))
        self.assertFalse(self.env["vbdt.approval.route"].search([]))

    @users("specialist")
    def test_specialist_cannot_edit_routes_or_reviews(self):
        with self.assertRaises(AccessError):
            self.env["vbdt.approval.route"].create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.document.with_env(self.env).review_ids[:1].status = "approved"


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestHandlingAccess(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls._incoming(directing_leader_id=cls.leader.id)
        cls.document.with_user(cls.clerk).action_register()

    @users("specialist", "head")
    def test_only_clerk_presents(self):
        with self.assertRaises(UserError):
            self.document.with_env(self.env).action_present()

    @users("specialist", "clerk")
    def test_only_leader_directs(self):
        document = self.document.with_env(self.env)
        with self.assertRaises(UserError):
            document._vbdt_direct(
                "Do it", False, [{"role": "lead", "user_id": self.specialist.id}]
            )

    @users("outsider")
    def test_unassigned_cannot_complete(self):
        self.document.with_user(self.clerk).action_present()
        self.document.with_user(self.leader)._vbdt_direct(
            "Handle", False, [{"role": "lead", "user_id": self.specialist.id}]
        )
        with self.assertRaises(UserError):
            self.document.with_env(self.env).action_complete("Done")


@tagged("post_install", "-at_install", "vbdt", "access_rights")
class TestSecretReviewAccess(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret = cls._outgoing(
            drafter_id=cls.specialist.id,
            confidentiality="secret",
            confidential_user_ids=[
                (6, 0, (cls.specialist | cls.head | cls.leader).ids)
            ],
        )
        cls.secret.with_user(cls.specialist).action_review_submit()

    @users("colleague", "outsider", "clerk")
    def test_reviews_of_secret_drafts_stay_hidden(self):
        self.assertFalse(
            self.env["vbdt.review"].search([("res_id", "=", self.secret.id)])
        )

    @users("head", "specialist")
    def test_reviewers_and_drafter_see_them(self):
        self.assertTrue(
            self.env["vbdt.review"].search([("res_id", "=", self.secret.id)])
        )
