from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install", "vbdt")
class TestDelegation(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Delegation = cls.env["vbdt.delegation"]

    def _delegate(self, **vals):
        return self.Delegation.create(
            {
                "company_id": self.province.id,
                "delegator_id": self.leader.id,
                "delegate_id": self.deputy.id,
                "authority": "kt",
                "delegate_position": "PHÓ CHỦ TỊCH",
                "date_from": "2026-03-02",
                "date_to": "2026-03-13",
                **vals,
            }
        )

    def _to_sign(self):
        document = self._submitted()
        document.with_user(self.head).action_review_approve()
        return document

    @freeze_time("2026-03-05")
    def test_delegate_signs_with_prefix_and_position(self):
        delegation = self._delegate()
        document = self._to_sign()
        self.assertIn(self.deputy, document.review_ids.delegate_ids)
        self.assertIn(self.deputy, document.participant_ids)
        document.with_user(self.deputy).action_review_sign()
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_id, self.deputy)
        self.assertEqual(document.signer_authority, "kt")
        self.assertEqual(document.signer_position, "PHÓ CHỦ TỊCH")
        self.assertEqual(document.signer_name, self.deputy.name)
        signed = document.review_ids.filtered("is_signer_step")
        self.assertEqual(signed.delegation_id, delegation)
        self.assertEqual(signed.done_by_id, self.deputy)
        self.assertTrue(
            any("under delegation" in (m.body or "") for m in document.message_ids)
        )

    @freeze_time("2026-03-16")
    def test_expired_delegation_does_not_allow(self):
        self._delegate()
        document = self._to_sign()
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.deputy).action_review_sign()

    @freeze_time("2026-03-01")
    def test_future_delegation_does_not_allow(self):
        self._delegate()
        document = self._to_sign()
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.deputy).action_review_sign()

    @freeze_time("2026-03-05")
    def test_scope_by_document_type(self):
        self._delegate(scope="types", document_type_ids=[(6, 0, self.letter_type.ids)])
        document = self._to_sign()
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.deputy).action_review_sign()

    @freeze_time("2026-03-05")
    def test_approve_only_delegation_cannot_sign(self):
        self._delegate(can_sign=False)
        document = self._to_sign()
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.deputy).action_review_sign()

    @freeze_time("2026-03-05")
    def test_delegate_approves_for_head(self):
        self.Delegation.create(
            {
                "company_id": self.province.id,
                "delegator_id": self.head.id,
                "delegate_id": self.colleague.id,
                "authority": "tl",
                "date_from": "2026-03-01",
                "date_to": "2026-03-31",
            }
        )
        document = self._submitted()
        self.assertTrue(document.with_user(self.colleague).review_can_act)
        document.with_user(self.colleague).action_review_approve()
        self.assertEqual(document.state, "to_sign")

    def test_tuq_cannot_be_redelegated(self):
        self._delegate(authority="tuq")
        with self.assertRaisesRegex(ValidationError, "TUQ"):
            self.Delegation.create(
                {
                    "company_id": self.province.id,
                    "delegator_id": self.deputy.id,
                    "delegate_id": self.head.id,
                    "authority": "kt",
                    "date_from": "2026-03-10",
                    "date_to": "2026-03-20",
                }
            )
        # outside the TUQ. period the deputy may delegate their own authority
        self.Delegation.create(
            {
                "company_id": self.province.id,
                "delegator_id": self.deputy.id,
                "delegate_id": self.head.id,
                "authority": "kt",
                "date_from": "2026-04-01",
                "date_to": "2026-04-10",
            }
        )

    def test_period_and_self_delegation(self):
        with self.assertRaises(ValidationError):
            self._delegate(date_to="2026-03-01")
        with self.assertRaises(ValidationError):
            self._delegate(delegate_id=self.leader.id)

    def test_name_shows_prefix(self):
        self.assertIn("TUQ.", self._delegate(authority="tuq").name)

    @freeze_time("2026-03-05")
    def test_delegations_do_not_chain(self):
        """Rule: a delegate acts for the person who delegated to them only.
        The deputy's own delegate (B → C) does not sign for the head who
        delegated to the deputy (A → B): the chain is not followed."""
        self._delegate()  # leader → deputy, KT.
        second = self._extra_user("second_deputy", "leader")
        self._delegate(
            delegator_id=self.deputy.id, delegate_id=second.id
        )  # deputy → second
        document = self._to_sign()
        self.assertNotIn(second, document.review_ids.delegate_ids)
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(second).action_review_sign()
        # ... but acts on the deputy's own reviews: the head hands the
        # signature to the deputy, whose delegate may then sign for them.
        document.with_user(self.leader).action_review_forward(self.deputy)
        self.assertIn(second, document.review_ids.delegate_ids)
        document.with_user(second).action_review_sign()
        self.assertEqual(document.signer_id, second)
        self.assertEqual(
            document.sudo()
            .review_ids.filtered("is_signer_step")
            .delegation_id.delegator_id,
            self.deputy,
        )
