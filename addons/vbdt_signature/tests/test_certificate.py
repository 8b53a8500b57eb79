import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..demo import testpki
from ..demo.documents import demo_signature_png
from .common import VbdtSignatureCommon, b64


@tagged("vbdt", "vbdt_signature")
class TestCertificate(VbdtSignatureCommon):
    def test_upload_parses_the_certificate(self):
        cert = self.person_cert
        self.assertEqual(cert.subject_common_name, testpki.PERSON_NAME)
        self.assertEqual(cert.display_name, testpki.PERSON_NAME)
        self.assertIn("CA phục vụ", cert.issuer)
        self.assertEqual(
            cert.serial_number, format(self.pki.person.certificate.serial_number, "X")
        )
        self.assertTrue(cert.has_key_material)
        self.assertEqual(cert.validity, "valid")
        self.assertTrue(cert.chain_pem)

    def test_wrong_password(self):
        with self.assertRaisesRegex(UserError, "wrong password"):
            self._certificate(self.pki.person, user=self.leader, password="nope")

    def test_expired_certificate_refused(self):
        with self.assertRaisesRegex(UserError, "expired"):
            self._certificate(self.pki.expired, user=self.leader)

    def test_certificate_without_signing_usage_refused(self):
        with self.assertRaisesRegex(UserError, "not meant for signatures"):
            self._certificate(self.pki.no_signing_usage, user=self.leader)

    def test_secrets_encrypted_at_rest(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT pkcs12_secret, password_secret FROM vbdt_signature_certificate "
            "WHERE id = %s",
            [self.person_cert.id],
        )
        p12_token, password_token = self.env.cr.fetchone()
        self.assertTrue(p12_token and password_token)
        self.assertNotIn(testpki.PKCS12_PASSWORD, password_token)
        self.assertNotIn(testpki.PKCS12_PASSWORD, p12_token)
        raw_b64 = base64.b64encode(self.pki.person.pkcs12()).decode()
        self.assertNotIn(raw_b64[:40], p12_token)
        # and it still signs: the backend decrypts what it needs
        with self.person_cert._vbdt_backend(self.leader).open() as signer:
            self.assertEqual(
                signer.signing_cert.serial_number,
                self.pki.person.certificate.serial_number,
            )

    def test_secrets_hidden_from_non_administrators(self):
        with self.assertRaises(AccessError):
            self.person_cert.with_user(self.leader).read(["pkcs12_secret"])
        with self.assertRaises(AccessError):
            self.person_cert.with_user(self.leader).read(["password"])
        values = self.person_cert.read(["password", "pkcs12_file"])[0]
        self.assertFalse(
            values["password"] or values["pkcs12_file"], "inputs are write-only"
        )

    def test_only_the_owner_signs(self):
        with self.assertRaisesRegex(UserError, "only its owner"):
            self.person_cert._vbdt_backend(self.clerk)

    def test_only_clerks_seal(self):
        with self.assertRaisesRegex(UserError, "Only the clerk"):
            self.seal_cert._vbdt_backend(self.leader)
        with self.assertRaisesRegex(UserError, "Only the clerk"):
            self.seal_cert._vbdt_backend(self.other_clerk)
        self.assertTrue(self.seal_cert._vbdt_backend(self.clerk))

    def test_expiry_reminder(self):
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.province
        self.Certificate._cron_expiry_reminder()
        self.assertFalse(self.person_cert.activity_ids)
        with freeze_time(self.person_cert.not_after - timedelta(days=10)):
            self.Certificate._cron_expiry_reminder()
            self.assertIn(admin, self.person_cert.activity_ids.user_id)
            self.assertTrue(self.person_cert.expiry_reminder_sent)
            count = len(self.person_cert.activity_ids)
            self.Certificate._cron_expiry_reminder()
            self.assertEqual(len(self.person_cert.activity_ids), count, "reminded once")

    def test_trust_anchor_must_be_a_ca(self):
        with self.assertRaisesRegex(UserError, "not a certification authority"):
            self.env["vbdt.signature.trust.anchor"].create(
                {"certificate_file": b64(self.pki.person.certificate_pem)}
            )
        self.assertIn("RootCA", self.anchor.name)


@tagged("vbdt", "vbdt_signature")
class TestImages(VbdtSignatureCommon):
    def _png(self, mode, size=(300, 120), fmt="PNG"):
        import io

        from PIL import Image

        buffer = io.BytesIO()
        Image.new(mode, size, "white").save(buffer, format=fmt)
        return b64(buffer.getvalue())

    def test_signature_image_checks(self):
        self.specialist.vbdt_signature_image = b64(demo_signature_png())
        with self.assertRaisesRegex(ValidationError, "PNG"):
            self.specialist.vbdt_signature_image = self._png("RGB", fmt="JPEG")
        with self.assertRaisesRegex(ValidationError, "transparent"):
            self.specialist.vbdt_signature_image = self._png("RGB")
        with self.assertRaisesRegex(ValidationError, "pixels"):
            self.specialist.vbdt_signature_image = self._png("RGBA", size=(10, 10))
        # an alpha channel that is opaque everywhere is no transparent background
        with self.assertRaisesRegex(ValidationError, "border is opaque"):
            self.specialist.vbdt_signature_image = self._png("RGBA")
        with self.assertRaisesRegex(ValidationError, "readable"):
            self.specialist.vbdt_signature_image = b64(b"not an image")

    def test_users_set_their_own_signature_image(self):
        self.specialist.with_user(self.specialist).write(
            {"vbdt_signature_image": b64(demo_signature_png())}
        )
        self.assertTrue(self.specialist.vbdt_signature_image)

    def test_seal_image_checks(self):
        with self.assertRaisesRegex(ValidationError, "transparent"):
            self.province.vbdt_seal_image = self._png("RGB")
        with self.assertRaisesRegex(ValidationError, "border is opaque"):
            self.province.vbdt_seal_image = self._png("RGBA")
