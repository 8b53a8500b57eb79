from odoo.tests import TransactionCase, tagged

from odoo.addons.vbdt_signature.demo.data import DEMO_DRAFT

from ..hooks import post_init_hook


@tagged("post_install", "-at_install", "vbdt", "vbdt_signature_demo")
class TestSignatureDemoHook(TransactionCase):
    """What the hook leaves after its installation: the demo draft taken
    through its approval route to lanhdao.ubnd's signature; outside
    ``scripts/serve`` (no demo PKI) no remote signing service; and a second
    run changes nothing."""

    def setUp(self):
        super().setUp()
        self.draft = self.env.ref(
            f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False
        )
        if not self.draft:
            self.skipTest("database installed without demo data")
        self.leader = self.env.ref("vbdt_document.user_lanhdao_ubnd_demo")

    def test_demo_draft_waits_for_the_leader_signature(self):
        self.assertEqual(self.draft.state, "to_sign")
        self.assertEqual(self.draft.validation_status, "to_sign")
        self.assertTrue(self.draft.with_user(self.leader).vbdt_is_signer)
        self.assertFalse(self.draft.signature_status in ("incomplete", "valid"))

    def test_no_demo_remote_service_without_the_demo_pki(self):
        Provider = self.env["vbdt.signature.remote.provider"].with_context(
            active_test=False
        )
        self.assertFalse(Provider.search([("name", "ilike", "giả lập demo")]))
        self.assertFalse(
            self.env.ref(
                "vbdt_signature.document_out_ky_tu_xa_demo_1",
                raise_if_not_found=False,
            )
        )

    def _what_the_hook_touches(self):
        self.draft.invalidate_recordset()
        return (
            self.draft.state,
            self.draft.write_date,
            len(self.draft.message_ids),
            self.env["vbdt.document"].search_count([]),
            self.env["vbdt.signature.remote.provider"]
            .with_context(active_test=False)
            .search_count([]),
        )

    def test_running_the_hook_again_changes_nothing(self):
        before = self._what_the_hook_touches()
        post_init_hook(self.env)
        self.env.flush_all()
        self.assertEqual(self._what_the_hook_touches(), before)
