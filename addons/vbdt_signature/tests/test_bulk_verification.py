from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..demo.documents import demo_signature_png
from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature")
class TestBulkVerification(VbdtSignatureCommon):
    """Files stored before vbdt_signature was installed carry no verification:
    a batched cron verifies them in the background (triggered at
    installation), and administrators can verify selected documents."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Files = cls.env["vbdt.document.file"]
        cls.manager = cls._user("bulk_manager", "manager")
        cls.signed = cls._signable()
        cls.signed.with_user(cls.leader).action_sign_person()
        cls.plain = cls._signable()
        cls.scan = cls.plain._vbdt_add_file(
            "scan.png", demo_signature_png(), role="attachment"
        )
        cls.old_files = (cls.signed | cls.plain).file_ids
        cls.cron = cls.env.ref("vbdt_signature.ir_cron_verify_unverified")

    def _forget_verification(self):
        """Make the files look like they were stored before the addon existed."""
        self.Files._cron_verify_unverified(batch_size=10_000)  # anything else first
        self.old_files.signature_check_ids.unlink()
        self.env.cr.execute(
            "UPDATE vbdt_document_file SET signature_status = NULL, "
            "signature_message = NULL,"
            " signature_verified_on = NULL WHERE id IN %s",
            [tuple(self.old_files.ids)],
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.Files.search(self.Files._vbdt_unverified_domain()), self.old_files
        )

    def _run_cron_batch(self, batch_size):
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.cron.id, "remaining": 0, "done": 0}
        )
        self.Files.with_context(
            ir_cron_progress_id=progress.id
        )._cron_verify_unverified(batch_size=batch_size)
        return progress.done, progress.remaining

    def test_cron_verifies_in_batches_until_none_remain(self):
        self.assertTrue(
            self.cron.active, "runs daily too, besides its trigger at install"
        )
        self._forget_verification()
        self.assertEqual(self._run_cron_batch(2), (2, 1))
        self.assertEqual(self._run_cron_batch(2), (1, 0))
        self.assertEqual(
            self._run_cron_batch(2), (0, 0), "nothing left, nothing redone"
        )
        self.assertEqual(self.signed.main_file_id.signature_status, "incomplete")
        self.assertEqual(self.signed.main_file_id.signature_check_ids.kind, "person")
        self.assertEqual(self.plain.main_file_id.signature_status, "unsigned")
        self.assertFalse(self.scan.signature_status, "no PDF, no status")
        self.assertTrue(
            self.scan.signature_verified_on, "but examined: not picked up again"
        )
        self.assertEqual(self.signed.signature_status, "incomplete", "document follows")

    def test_administrator_verifies_selected_documents(self):
        self._forget_verification()
        action = self.env.ref("vbdt_signature.vbdt_document_action_verify_signatures")
        self.assertIn(
            self.env.ref("vbdt_document.vbdt_document_group_manager"), action.groups_id
        )
        documents = (self.signed | self.plain).with_user(self.manager)
        result = documents.action_vbdt_verify_signatures()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("3", result["params"]["message"])
        self.assertEqual(self.signed.signature_status, "incomplete")
        self.assertEqual(self.plain.signature_status, "unsigned")
        self.assertFalse(self.Files.search(self.Files._vbdt_unverified_domain()))

    def test_only_administrators_verify_in_bulk(self):
        self._forget_verification()
        with self.assertRaises(AccessError):
            self.signed.with_user(self.clerk).action_vbdt_verify_signatures()
        self.assertFalse(self.signed.main_file_id.signature_status)

    def test_administrator_of_another_agency_verifies_nothing_here(self):
        """Forged ids of another agency's documents are refused before any
        file is verified."""
        self._forget_verification()
        outsider = self._user("bulk_manager_b", "manager", company=self.department)
        with self.assertRaises(AccessError):
            self.signed.with_user(outsider).action_vbdt_verify_signatures()
        self.assertFalse(self.signed.main_file_id.signature_status)
        self.assertFalse(self.signed.main_file_id.signature_check_ids)
