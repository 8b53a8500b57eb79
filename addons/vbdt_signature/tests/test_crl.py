from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VbdtSignatureCommon, b64


@tagged("vbdt", "vbdt_signature")
class TestRevocationLists(VbdtSignatureCommon):
    """Revocation lists as data: loaded from a file or downloaded from an
    address, they serve revocation checks before signing (Circular 15/2025)
    and when verifying, without fetching anything a certificate names."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Crl = cls.env["vbdt.signature.crl"]
        cls.env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.allow_fetching", "False"
        )

    def test_loaded_from_a_file(self):
        crl = self.Crl.create({"crl_file": b64(self.pki.crl)})
        self.assertEqual(crl.name, "Test CA phục vụ các cơ quan Nhà nước")
        self.assertEqual(crl.revoked_count, 1)
        self.assertTrue(crl.this_update < crl.next_update)
        with self.assertRaises(UserError) as caught:
            self.Crl.create({"crl_file": b64(b"not a revocation list")})
        self.assertIn("not a certificate revocation list", str(caught.exception))

    def test_downloaded_from_the_cas_address(self):
        """From the test PKI's CRL repository over HTTP on 127.0.0.1; an
        address that does not answer keeps the previous list and says why."""
        crl = self.Crl.create({"url": f"{self.pki.url}/vbdt/crls/ca/latest.crl"})
        self.assertFalse(crl.crl_pem)
        crl.action_download()
        self.assertEqual(crl.revoked_count, 1)
        loaded = crl.crl_pem
        crl.url = f"{self.pki.url}/vbdt/crls/nowhere/latest.crl"
        self.Crl._cron_download()
        self.assertEqual(crl.crl_pem, loaded)
        self.assertIn("could not be downloaded", crl.download_error)
        crl.url = "file:///etc/passwd"
        with self.assertRaises(UserError) as caught:
            crl.action_download()
        self.assertIn("http:// or https://", str(caught.exception))

    def test_revoked_certificate_refused_before_signing(self):
        document = self._signable()
        draft = self._main_raw(document)
        self.person_cert.unlink()
        self._certificate(self.pki.revoked, user=self.leader)
        self.Crl.create([{"crl_file": b64(crl)} for crl in self.pki.crls])
        with self.assertRaises(UserError) as caught:
            document.with_user(self.leader).action_sign_person()
        self.assertIn("was revoked on", str(caught.exception))
        self.assertEqual(self._main_raw(document), draft)
        self.assertEqual(document.state, "draft")

    def test_verification_uses_them(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        (check,) = document.main_file_id.signature_check_ids
        self.assertEqual(check.revocation, "not_checked")
        self.Crl.create([{"crl_file": b64(crl)} for crl in self.pki.crls])
        document.main_file_id._vbdt_verify_signatures()
        (check,) = document.main_file_id.signature_check_ids
        self.assertEqual((check.revocation, check.valid), ("good", True))
