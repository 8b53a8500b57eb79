"""Issue 9, item 1 for the approval route and the incoming flow: the old
``vbdt_review_transition`` bypass and direct writes, tried through JSON-RPC."""

from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.test_lifecycle_attacks import RpcAttackCase

from .common import VbdtWorkflowCommon


@tagged("post_install", "-at_install", "vbdt", "vbdt_attack")
class TestWorkflowAttacks(RpcAttackCase, VbdtWorkflowCommon):
    def _state(self, document):
        document = document.sudo()
        document.invalidate_recordset()
        return (
            document.state,
            document.validation_status,
            document.review_round,
            document.signer_id,
            [(r.status, r.reviewer_ids.ids) for r in document.review_ids],
        )

    def test_drafter_cannot_skip_the_approval_route(self):
        draft = self._draft()
        before = self._state(draft)
        for vals in (
            {"state": "review"},
            {"state": "signed", "validation_status": "signed"},
            {"validation_status": "signed"},
            {"review_round": 3},
            {"state": "issued"},
        ):
            self.assertRefused(
                "specialist", "vbdt.document", "write", [[draft.id], vals]
            )
        self.assertEqual(self._state(draft), before)

    def test_reviewers_and_administrators_cannot_rewrite_the_route(self):
        document = self._submitted()
        before = self._state(document)
        review = document.sudo().review_ids.filtered(lambda r: r.status == "pending")
        for login in ("head", "leader", "docadmin"):
            self.assertRefused(
                login, "vbdt.document", "write", [[document.id], {"state": "to_sign"}]
            )
            self.assertRefused(
                login, "vbdt.document", "write", [[document.id], {"state": "draft"}]
            )
            self.assertRefused(
                login, "vbdt.review", "write", [review.ids, {"status": "approved"}]
            )
            self.assertRefused(
                login,
                "vbdt.review",
                "write",
                [review.ids, {"reviewer_ids": [(6, 0, self.manager.ids)]}],
            )
            self.assertRefused(
                login,
                "vbdt.document",
                "write",
                [
                    [document.id],
                    {"review_ids": [(1, review.id, {"status": "approved"})]},
                ],
            )
        self.assertEqual(self._state(document), before)

    def test_assignee_cannot_close_the_handling_by_writing(self):
        document = self._registered_incoming()
        document.with_user(self.clerk).action_present()
        document.with_user(self.leader)._vbdt_direct(
            "Xử lý", False, [{"role": "lead", "user_id": self.specialist.id}]
        )
        before = (document.state, document.done_date, document.handling_result)
        for vals in (
            {"state": "done"},
            {"done_date": "2026-01-01"},
            {"handling_result": "Xong"},
            {"directed_date": "2026-01-01 00:00:00"},
        ):
            self.assertRefused(
                "specialist", "vbdt.document", "write", [[document.id], vals]
            )
        document.invalidate_recordset()
        self.assertEqual(
            (document.state, document.done_date, document.handling_result), before
        )

    def test_route_decisions_are_audited(self):
        document = self._submitted()
        self.call_kw("head", "vbdt.document", "action_review_approve", [[document.id]])
        log = self.env["vbdt.audit.log"].search(
            [("document_id", "=", document.id), ("event", "=", "review")]
        )
        self.assertEqual(log.user_id, self.head)
        self.assertIn("approved", log.description)
        self.assertEqual(
            self.env["vbdt.audit.log"]
            .search(
                [("document_id", "=", document.id), ("event", "=", "transition")],
                order="id",
            )
            .mapped("description"),
            ["draft -> review", "review -> to_sign"],
        )


@tagged("post_install", "-at_install", "vbdt", "vbdt_attack")
class TestExpectedSignerAttacks(RpcAttackCase, VbdtWorkflowCommon):
    """Who is expected to sign a draft (the signer step of its route) is
    decided by the route alone: the drafter, a reviewer of an earlier step,
    a leader without a delegation and another agency's clerk try to become
    the signer or to sign in the leader's place, over the real JSON-RPC with
    injected context keys; each is refused and nothing changes."""

    SIGNER_FIELDS = ("signer_id", "signer_name", "signer_position", "signer_authority")

    def rpc_context(self):
        # Each user works in their own agency (another agency's clerk is not
        # refused merely for naming this agency in allowed_company_ids).
        return {}

    def _to_sign(self):
        document = self._submitted()
        document.with_user(self.head).action_review_approve("Đồng ý")
        self.assertEqual(document.state, "to_sign")
        self.assertEqual(document.sudo()._vbdt_expected_signers(), self.leader)
        return document

    def _signing_state(self, document):
        document = document.sudo()
        document.invalidate_recordset()
        return (
            document.state,
            document.validation_status,
            *(document[name] for name in self.SIGNER_FIELDS),
            [
                (r.status, r.reviewer_ids.ids, r.delegate_ids.ids)
                for r in document.review_ids
            ],
        )

    def _sign_methods(self):
        methods = ["action_review_sign"]
        if hasattr(self.registry["vbdt.document"], "action_sign_person"):
            methods.append("action_sign_person")  # vbdt_signature installed
        return methods

    def test_nobody_but_the_expected_signer_signs(self):
        document = self._to_sign()
        before = self._signing_state(document)
        other_company = self.other_clerk
        for login in ("specialist", "head", "deputy", "clerk", other_company):
            for method in self._sign_methods():
                self.assertRefused(
                    login,
                    "vbdt.document",
                    method,
                    [[document.id]],
                    unchanged=lambda d=document: self._signing_state(d),
                )
        self.assertEqual(self._signing_state(document), before)
        # the expected signer still can: the refusals were not the draft's state
        self.call_kw("leader", "vbdt.document", "action_review_sign", [[document.id]])
        document.invalidate_recordset()
        self.assertEqual(document.state, "signed")
        self.assertEqual(document.signer_id, self.leader)

    def test_signer_fields_and_signer_step_cannot_be_written(self):
        document = self._to_sign()
        before = self._signing_state(document)
        signer_row = document.sudo().review_ids.filtered("is_signer_step")
        self.assertTrue(signer_row)
        attempts = [
            ("vbdt.document", [[document.id], {"signer_id": self.specialist.id}]),
            ("vbdt.document", [[document.id], {"signer_name": "Nguyễn Văn Giả"}]),
            ("vbdt.document", [[document.id], {"signer_authority": "KT."}]),
            (
                "vbdt.document",
                [
                    [document.id],
                    {
                        "review_ids": [
                            (
                                1,
                                signer_row.id,
                                {"reviewer_ids": [(4, self.specialist.id)]},
                            )
                        ]
                    },
                ],
            ),
            (
                "vbdt.review",
                [signer_row.ids, {"reviewer_ids": [(4, self.specialist.id)]}],
            ),
            (
                "vbdt.review",
                [signer_row.ids, {"delegate_ids": [(4, self.specialist.id)]}],
            ),
            ("vbdt.review", [signer_row.ids, {"status": "approved"}]),
        ]
        for login in ("specialist", "head", self.other_clerk):
            for model, args in attempts:
                self.assertRefused(login, model, "write", args)
        self.assertEqual(self._signing_state(document), before)
        self.assertEqual(document.sudo()._vbdt_expected_signers(), self.leader)

    def test_drafter_cannot_name_a_signer_without_authority(self):
        """A route without a signer step expects the drafted signer: the
        drafter can name neither themselves, another specialist nor someone
        of another agency, in draft or in review (found by this test: the
        drafter could name themselves and then sign their own draft)."""
        self.route.step_ids.filtered("is_signer_step").unlink()
        draft = self._draft(signer_id=self.leader.id)
        before = self._signing_state(draft)
        for user in (self.specialist, self.colleague, self.other_clerk):
            self.assertRefused(
                "specialist",
                "vbdt.document",
                "write",
                [[draft.id], {"signer_id": user.id}],
                message="cannot sign documents of",
            )
        self.assertEqual(self._signing_state(draft), before)
        draft.action_review_submit()
        self.assertRefused(
            "specialist",
            "vbdt.document",
            "write",
            [[draft.id], {"signer_id": self.specialist.id}],
        )
        draft.with_user(self.head).action_review_approve("Đồng ý")
        self.assertEqual(draft.state, "to_sign")
        self.assertEqual(draft.sudo()._vbdt_expected_signers(), self.leader)
        before = self._signing_state(draft)
        for method in self._sign_methods():
            self.assertRefused("specialist", "vbdt.document", method, [[draft.id]])
        self.assertEqual(self._signing_state(draft), before)
        # a head of unit of the agency may be named (TL. signatures)
        other = self._draft()
        self.call_kw(
            "specialist",
            "vbdt.document",
            "write",
            [[other.id], {"signer_id": self.head.id}],
        )
        other.invalidate_recordset()
        self.assertEqual(other.signer_id, self.head)
