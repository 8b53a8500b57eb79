from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import config

from .common import VbdtSignatureCommon, b64
from .softhsm import SOFTHSM_LIBRARY, TOKEN_LABEL, TOKEN_PIN, softhsm_token


@tagged("vbdt", "vbdt_signature")
class TestPkcs11Certificate(VbdtSignatureCommon):
    """A person key on a SoftHSM2 token, registered by reference (module,
    token, key label, PIN) and used to sign from Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        softhsm_token(cls.pki)
        # the server's allow-list (vbdt_pkcs11_modules): the test token only
        cls.startClassPatcher(
            patch.dict(
                config.options, {"vbdt_pkcs11_modules": f"softhsm:{SOFTHSM_LIBRARY}"}
            )
        )
        # the token holds the leaf only: the issuing CA is a trust anchor too
        cls.env["vbdt.signature.trust.anchor"].create(
            {"certificate_file": b64(cls.pki.intermediate.certificate_pem)}
        )

    def _token_certificate(self, pin=TOKEN_PIN):
        return self.Certificate.create(
            {
                "kind": "person",
                "user_id": self.leader.id,
                "company_id": self.province.id,
                "backend": "pkcs11",
                "pkcs11_module": "softhsm",
                "pkcs11_token_label": TOKEN_LABEL,
                "pkcs11_key_label": "person",
                "pin": pin,
            }
        )

    def test_read_certificate_and_sign_with_the_token(self):
        certificate = self._token_certificate()
        self.assertNotIn(TOKEN_PIN, certificate.sudo().pin_secret)
        certificate.action_read_token_certificate()
        self.assertEqual(
            certificate.serial_number,
            format(self.pki.person.certificate.serial_number, "X"),
        )
        self.person_cert.active = False
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        self.assertEqual(document.main_file_id.signature_status, "incomplete")
        self.assertTrue(document.main_file_id.signature_check_ids.valid)

    def test_wrong_pin(self):
        certificate = self._token_certificate(pin="000000")
        with self.assertRaisesRegex(UserError, "token could not be used"):
            certificate.action_read_token_certificate()
