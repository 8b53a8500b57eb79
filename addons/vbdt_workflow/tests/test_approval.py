import base64
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import VbdtWorkflowCommon

REVIEW = "vbdt_workflow.vbdt_workflow_activity_type_review"
SIGN = "vbdt_workflow.vbdt_workflow_activity_type_sign"
REWORK = "vbdt_workflow.vbdt_workflow_activity_type_rework"


@tagged("post_install", "-at_install", "vbdt")
class TestApprovalRoute(VbdtWorkflowCommon):
    def test_route_selection_prefers_unit_and_type(self):
        generic = self.Route.create(
            {
                "name": "Generic",
                "company_id": self.province.id,
                "sequence": 1,
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Leader",
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, self.leader.ids)],
                        },
                    )
                ],
            }
        )
        unit_route = self.Route.create(
            {
                "name": "Office decisions",
                "company_id": self.province.id,
                "sequence": 50,
                "unit_id": self.unit.id,
                "document_type_ids": [(6, 0, self.doc_type.ids)],
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Leader",
                            "reviewer_type": "user",
                            "user_ids": [(6, 0, self.leader.ids)],
                        },
                    )
                ],
            }
        )
        self.assertEqual(self.Route._find_for(self._outgoing()), unit_route)
        self.assertEqual(
            self.Route._find_for(self._outgoing(unit_id=self.other_unit.id)), self.route
        )
        self.assertEqual(
            self.Route._find_for(self._outgoing(document_type_id=self.letter_type.id)),
            generic,
        )

    def test_step_needs_reviewers(self):
        with self.assertRaises(ValidationError):
            self.Route.create(
                {
                    "name": "Bad",
                    "step_ids": [(0, 0, {"name": "Nobody", "reviewer_type": "user"})],
                }
            )

    def test_route_form_adds_steps(self):
        with Form(self.Route) as form:
            form.name = "Reports"
            with form.step_ids.new() as step:
                step.name = "Agency leaders"
                step.reviewer_type = "group"
                step.group_id = self.env.ref("vbdt_document.vbdt_document_group_leader")
                step.mode = "all"
        route = form.save()
        self.assertEqual(route.step_ids.mode, "all")
        self.assertIn(self.leader, route.step_ids._get_reviewers(self._outgoing()))

    def test_no_route_blocks_submission(self):
        document = self._draft(document_type_id=self.letter_type.id)
        with self.assertRaisesRegex(UserError, "No approval route"):
            document.action_review_submit()


@tagged("post_install", "-at_install", "vbdt")
class TestApprovalActions(VbdtWorkflowCommon):
    def test_full_route_submit_approve_sign_issue(self):
        document = self._draft()
        document.file_ids = [
            (0, 0, {"name": "draft.pdf", "role": "main", "datas": self._pdf_b64()})
        ]
        document.action_review_submit()
        self.assertEqual(document.state, "review")
        self.assertEqual(document.validation_status, "pending")
        self.assertEqual(document.review_holder_ids, self.head)
        self.assertEqual(self._activity_users(document, REVIEW), self.head)
        self.assertEqual(
            len(document.version_ids), 1, "submission keeps the draft file"
        )
        self.assertIn(self.head, document.participant_ids)
        # only the current step's reviewers are notified
        self.assertFalse(self._activity_users(document, SIGN))

        document.with_user(self.head).action_review_approve("Fine")
        self.assertEqual(document.state, "to_sign")
        self.assertFalse(self._activity_users(document, REVIEW))
        self.assertEqual(self._activity_users(document, SIGN), self.leader)
        document.with_user(self.leader).action_review_sign()
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.validation_status, "signed")
        self.assertEqual(document.signer_id, self.leader)
        self.assertEqual(document.signer_name, self.leader.name)

        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        self.assertTrue(document.code.startswith("01/"))

    def test_issue_only_after_signature(self):
        document = self._draft()
        with self.assertRaisesRegex(UserError, "cannot be issued"):
            document.with_user(self.clerk).action_issue()
        document.action_review_submit()
        with self.assertRaisesRegex(UserError, "cannot be issued"):
            document.with_user(self.clerk).action_issue()

    def test_locked_while_under_review(self):
        document = self._submitted()
        with self.assertRaisesRegex(UserError, "under review"):
            document.with_user(self.head).recipient_note = "Changed by the reviewer"
        with self.assertRaisesRegex(UserError, "only through its actions"):
            document.with_user(self.head).state = "signed"

    def test_sign_is_not_approve(self):
        document = self._submitted()
        document.with_user(self.head).action_review_approve()
        with self.assertRaisesRegex(UserError, "not waiting"):
            document.with_user(self.leader).action_review_approve()

    def test_return_to_drafter_needs_comment_and_allows_resubmission(self):
        document = self._submitted()
        with self.assertRaisesRegex(UserError, "reason"):
            document.with_user(self.head).action_review_return("  ")
        document.with_user(self.head).action_review_return("Rewrite paragraph 2")
        self.assertEqual(document.state, "draft")
        self.assertEqual(document.validation_status, "returned")
        self.assertEqual(self._activity_users(document, REWORK), self.specialist)
        self.assertFalse(self._activity_users(document, REVIEW))
        document.subject = "Về việc thử nghiệm (sửa)"
        document.env["vbdt.document.version"].create(
            {
                "document_id": document.id,
                "name": "draft-v2.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 v2"),
                "note": "Rewritten",
            }
        )
        document.action_review_submit()
        self.assertEqual(document.review_round, 2)
        self.assertEqual(document.state, "review")
        self.assertFalse(self._activity_users(document, REWORK))
        first = document.review_ids.filtered(lambda r: r.round == 1)
        self.assertEqual(set(first.mapped("status")), {"returned", "cancelled"})
        self.assertEqual(document.version_ids.create_uid, self.specialist)

    def test_return_to_previous_step(self):
        document = self._submitted()
        document.with_user(self.head).action_review_approve()
        document.with_user(self.leader).action_review_return(
            "Check figures", "previous"
        )
        self.assertEqual(document.state, "review")
        self.assertEqual(document.review_holder_ids, self.head)
        document.with_user(self.head).action_review_approve()
        self.assertEqual(document.state, "to_sign")
        self.assertEqual(document.review_holder_ids, self.leader)

    def test_reject(self):
        document = self._submitted()
        with self.assertRaisesRegex(UserError, "reason"):
            document.with_user(self.head).action_review_reject("")
        document.with_user(self.head).action_review_reject("Not needed")
        self.assertEqual(document.state, "cancelled")
        self.assertEqual(document.validation_status, "rejected")
        self.assertFalse(
            document.sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(REVIEW)
            )
        )

    def test_forward(self):
        document = self._submitted()
        document.with_user(self.head).action_review_forward(
            self.other_head, "Your field"
        )
        self.assertEqual(document.review_holder_ids, self.other_head)
        self.assertEqual(self._activity_users(document, REVIEW), self.other_head)
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.head).action_review_approve()
        document.with_user(self.other_head).action_review_approve()
        self.assertEqual(document.state, "to_sign")
        self.assertEqual(
            document.review_ids.filtered(lambda r: r.sequence == 1).forwarded_from_id,
            self.head,
        )

    def _parallel_route(self, mode):
        self.route.step_ids[0].write(
            {
                "reviewer_type": "user",
                "user_ids": [(6, 0, (self.head | self.other_head).ids)],
                "mode": mode,
            }
        )

    def test_parallel_all(self):
        self._parallel_route("all")
        document = self._submitted()
        self.assertEqual(len(document._vbdt_review_current()), 2)
        document.with_user(self.head).action_review_approve()
        self.assertEqual(document.state, "review")
        self.assertEqual(document.review_holder_ids, self.other_head)
        with self.assertRaisesRegex(UserError, "not waiting for you"):
            document.with_user(self.head).action_review_approve()
        document.with_user(self.other_head).action_review_approve()
        self.assertEqual(document.state, "to_sign")

    def test_parallel_any(self):
        self._parallel_route("any")
        document = self._submitted()
        self.assertEqual(
            self._activity_users(document, REVIEW), self.head | self.other_head
        )
        document.with_user(self.other_head).action_review_approve()
        self.assertEqual(document.state, "to_sign")
        self.assertFalse(self._activity_users(document, REVIEW))

    def test_route_without_signer_step_uses_document_signer(self):
        self.route.step_ids.filtered("is_signer_step").unlink()
        with self.assertRaisesRegex(UserError, "no signer step"):
            self._submitted()
        document = self._submitted(signer_id=self.deputy.id)
        document.with_user(self.head).action_review_approve()
        self.assertEqual(document.state, "to_sign")
        document.with_user(self.deputy).action_review_sign()
        self.assertEqual(document.state, "signed")

    def test_review_wizard(self):
        document = self._submitted()
        wizard_action = (
            document.with_user(self.head)
            .with_context(review_action="return")
            .action_open_review_wizard()
        )
        with Form(
            self.env["vbdt.review.wizard"]
            .with_user(self.head)
            .with_context(**wizard_action["context"])
        ) as form:
            self.assertEqual(form.action, "return")
            form.comment = "Too long"
        form.save().action_confirm()
        self.assertEqual(document.state, "draft")

    def test_comment_posts_in_chatter(self):
        document = self._submitted()
        document.with_user(self.colleague).action_review_comment("Typo in line 3")
        self.assertIn("Typo in line 3", document.message_ids[0].body)

    def test_route_signer_is_expected_block_follows_who_signs(self):
        """The route names who is expected to sign; the signature block
        (signer, printed name) keeps what the drafter wrote until a
        signature is made, then names who signed, under their own name."""
        document = self._submitted(
            signer_id=self.deputy.id, signer_name="Trần Văn Dự Thảo"
        )
        document.with_user(self.head).action_review_approve()
        self.assertEqual(document.state, "to_sign")
        self.assertEqual(document._vbdt_expected_signers(), self.leader)
        self.assertEqual(
            (document.signer_id, document.signer_name),
            (self.deputy, "Trần Văn Dự Thảo"),
            "reaching the signer step does not rewrite the signature block",
        )
        document.with_user(self.leader).action_review_sign()
        self.assertEqual(
            (document.signer_id, document.signer_name),
            (self.leader, self.leader.name),
            "the leader signs under their own name, not the drafted one",
        )

    def test_expected_signer_without_route_is_the_drafted_signer(self):
        document = self._draft(signer_id=self.deputy.id)
        self.assertEqual(document._vbdt_expected_signers(), self.deputy)

    def test_digital_signature_completes_signer_step(self):
        document = self._submitted()
        document.with_user(self.head).action_review_approve()
        with patch.object(
            self.registry["vbdt.document"],
            "_vbdt_requires_digital_signature",
            autospec=True,
            return_value=True,
        ):
            document.invalidate_recordset(["review_confirm_sign"])
            self.assertFalse(document.review_confirm_sign)
            with self.assertRaisesRegex(UserError, "signed digitally"):
                document.with_user(self.leader).action_review_sign()
            # vbdt_signature calls this after a valid person signature
            document.with_user(self.leader)._vbdt_mark_signed()
        self.assertEqual(document.state, "signed")
        self.assertEqual(
            document.review_ids.filtered("is_signer_step").status, "approved"
        )
        self.assertEqual(document.signer_name, self.leader.name)
