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
