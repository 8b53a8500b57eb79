"""Batch issuing by the clerk: each signed document issued and sealed on its
own, a refused one left untouched, a summary; refusals over JSON-RPC."""

from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtSignatureCommon


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature")
class TestIssueBatch(JsonRpcMixin, VbdtSignatureCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province.vbdt_signature_required = True
        cls.signed = cls.env["vbdt.document"]
        for _index in range(3):
            document = cls._signable()
            cls._reach_signing_step(document)
            document.with_user(cls.leader).action_sign_person()
            cls.signed |= document
        cls.unsigned = cls._signable()
        cls.documents = cls.signed | cls.unsigned

    def _snapshot(self):
        self.env.invalidate_all()
        return [
            (d.state, d.number, d.code, d.signature_status, self._main_raw(d))
            for d in self.documents.sudo()
        ]

    def test_each_document_issued_on_its_own(self):
        unsigned_before = self._main_raw(self.unsigned)
        action = self.documents.with_user(self.clerk).action_issue_batch()

        self.assertEqual(set(self.signed.mapped("state")), {"issued"})
        self.assertEqual(set(self.signed.mapped("signature_status")), {"valid"})
        self.assertEqual(len(set(self.signed.mapped("number"))), 3)
        # the refused one: no number drawn, nothing written
        self.assertEqual(self.unsigned.state, "draft")
        self.assertFalse(self.unsigned.number)
        self.assertEqual(self._main_raw(self.unsigned), unsigned_before)
        numbers = sorted(self.signed.mapped("number"))
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)), "no gap")

        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertTrue(params["sticky"])
        self.assertIn("3 of 4 documents issued.", params["message"])
        for code in self.signed.mapped("code"):
            self.assertIn(code, params["message"])
        self.assertIn(self.unsigned.display_name, params["message"])
        self.assertIn("cannot be issued in its current state", params["message"])

    def test_summary_in_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["vbdt_signature"], ["vi_VN"])
        action = (
            self.signed.with_user(self.clerk)
            .with_context(lang="vi_VN")
            .action_issue_batch()
        )
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("3/3 văn bản đã phát hành.", action["params"]["message"])

    def test_only_the_clerk_issues(self):
        ids = self.documents.ids
        for login in ("leader", "specialist", "head"):
            self.assertRefused(
                login,
                "vbdt.document",
                "action_issue_batch",
                [ids],
                message="Only the clerk",
                unchanged=self._snapshot,
            )

    def test_at_most_fifty(self):
        self.assertRefused(
            "clerk",
            "vbdt.document",
            "action_issue_batch",
            [self.signed.ids * 17],
            message="At most 50 documents",
            unchanged=self._snapshot,
        )
