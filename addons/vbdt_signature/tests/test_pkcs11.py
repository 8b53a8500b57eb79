import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VbdtSignatureCommon, b64

SOFTHSM_LIBRARY = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "vbdt-odoo-test"
TOKEN_PIN = "123456"


def _run(*command):
    subprocess.run(command, check=True, capture_output=True)


@tagged("vbdt", "vbdt_signature")
class TestPkcs11Certificate(VbdtSignatureCommon):
    """A person key on a SoftHSM2 token, registered by reference (module,
    token, key label, PIN) and used to sign from Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not (Path(SOFTHSM_LIBRARY).exists() and shutil.which("softhsm2-util")
                and shutil.which("pkcs11-tool")):
            raise unittest.SkipTest("softhsm2 and opensc are not installed")
        folder = Path(tempfile.mkdtemp(prefix="vbdt_softhsm_"))
        cls.addClassCleanup(shutil.rmtree, folder, True)
        (folder / "tokens").mkdir()
        conf = folder / "softhsm2.conf"
        conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nlog.level = ERROR\n")
        previous = os.environ.get("SOFTHSM2_CONF")
        os.environ["SOFTHSM2_CONF"] = str(conf)
        cls.addClassCleanup(cls._restore_env, previous)
        _run("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL,
             "--pin", TOKEN_PIN, "--so-pin", "654321")
        key_file, cert_file = folder / "person.pem", folder / "person.der"
        key_file.write_bytes(cls.pki.person.key_pem)
        cert_file.write_bytes(cls.pki.person.certificate_der)
        _run("softhsm2-util", "--import", str(key_file), "--token", TOKEN_LABEL,
             "--label", "person", "--id", "01", "--pin", TOKEN_PIN)
        key_file.unlink()
        _run("pkcs11-tool", "--module", SOFTHSM_LIBRARY, "--token-label", TOKEN_LABEL,
             "--login", "--pin", TOKEN_PIN, "--write-object", str(cert_file),
             "--type", "cert", "--label", "person", "--id", "01")
        # the token holds the leaf only: the issuing CA is a trust anchor too
        cls.env["vbdt.signature.trust.anchor"].create(
            {"certificate_file": b64(cls.pki.intermediate.certificate_pem)})

    @staticmethod
    def _restore_env(previous):
        if previous is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = previous

    def _token_certificate(self, pin=TOKEN_PIN):
        return self.Certificate.create({
            "kind": "person", "user_id": self.leader.id, "company_id": self.province.id,
            "backend": "pkcs11", "pkcs11_module": SOFTHSM_LIBRARY,
            "pkcs11_token_label": TOKEN_LABEL, "pkcs11_key_label": "person", "pin": pin,
        })

    def test_read_certificate_and_sign_with_the_token(self):
        certificate = self._token_certificate()
        self.assertNotIn(TOKEN_PIN, certificate.sudo().pin_secret)
        certificate.action_read_token_certificate()
        self.assertEqual(certificate.serial_number,
                         format(self.pki.person.certificate.serial_number, "X"))
        self.person_cert.active = False
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        self.assertEqual(document.main_file_id.signature_status, "incomplete")
        self.assertTrue(document.main_file_id.signature_check_ids.valid)

    def test_wrong_pin(self):
        certificate = self._token_certificate(pin="000000")
        with self.assertRaisesRegex(UserError, "token could not be used"):
            certificate.action_read_token_certificate()
