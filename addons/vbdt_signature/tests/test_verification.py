import base64

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from ..demo import testpki
from ..demo.documents import demo_seal_png, demo_signature_png
from ..pades import sign_pdf
from ..pades.backends import Pkcs12Backend
from ..pades.signer import OrganisationAppearance, PersonAppearance, SigningOptions
from ..pades.stamping import prepare_fields, stamp_number_date
from .common import VbdtSignatureCommon, test_pki


def _sealed_pdf(draft):
    pki = test_pki()
    person = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
    seal = Pkcs12Backend(pki.organisation.pkcs12(), testpki.PKCS12_PASSWORD)
    options = SigningOptions(trust_anchors=pki.trust_anchors)
    pdf = sign_pdf(
        prepare_fields(draft),
        person,
        PersonAppearance(demo_signature_png()),
        options=options,
    )
    pdf = stamp_number_date(pdf, "Số: 15/QĐ-UBND", "Phú Thọ, ngày 05 tháng 02 năm 2026")
    return sign_pdf(
        pdf,
        seal,
        OrganisationAppearance(demo_seal_png(), testpki.AGENCY_NAME),
        options=options,
    )


@tagged("vbdt", "vbdt_signature")
class TestIncomingVerification(VbdtSignatureCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sealed = _sealed_pdf(cls.draft_pdf)

    def _received(self, raw, name="van_ban.pdf"):
        document = self._incoming()
        document._vbdt_add_file(name, raw, role="main")
        return document

    def test_valid_incoming(self):
        document = self._received(self.sealed)
        self.assertEqual(document.signature_status, "valid")
        checks = document.signature_check_ids
        self.assertEqual(len(checks), 2)
        person = checks.filtered(lambda c: c.kind == "person")
        self.assertEqual(person.signer_name, testpki.PERSON_NAME)
        self.assertEqual(person.organisation, testpki.AGENCY_NAME)
        self.assertTrue(person.intact and person.trusted and person.key_usage_ok)
        self.assertEqual(person.revocation, "not_checked")
        self.assertTrue(person.signing_time)
        self.assertIn(
            document, self.Document.search([("signature_status", "=", "valid")])
        )

    def test_tampered_incoming_flagged(self):
        tampered = self.sealed.replace(b"841.89", b"841.88", 1)
        document = self._received(tampered)
        self.assertEqual(document.signature_status, "invalid")
        self.assertFalse(all(document.signature_check_ids.mapped("intact")))
        self.assertIn(
            "altered", "\n".join(document.signature_check_ids.mapped("problems"))
        )

    @mute_logger("pyhanko.sign.validation.generic_cms")
    def test_untrusted_chain_flagged(self):
        self.anchor.active = False
        document = self._received(self.sealed)
        self.assertEqual(document.signature_status, "invalid")
        self.assertFalse(any(document.signature_check_ids.mapped("trusted")))

    def test_unsigned_broken_and_incomplete(self):
        self.assertEqual(self._received(self.draft_pdf).signature_status, "unsigned")
        broken = self._received(b"%PDF-1.7\nthis is not a pdf at all\n%%EOF\n")
        self.assertEqual(broken.signature_status, "error")
        self.assertTrue(broken.main_file_id.signature_message)
        pki = test_pki()
        person = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
        person_only = sign_pdf(
            self.draft_pdf, person, PersonAppearance(demo_signature_png())
        )
        self.assertEqual(self._received(person_only).signature_status, "incomplete")

    def test_non_pdf_files_not_verified(self):
        document = self._incoming()
        file = document._vbdt_add_file(
            "scan.png", demo_signature_png(), role="attachment"
        )
        self.assertFalse(file.signature_status)

    def test_verify_wizard(self):
        wizard_form = Form(self.env["vbdt.signature.verify"].with_user(self.specialist))
        wizard_form.pdf_file = base64.b64encode(self.sealed)
        wizard = wizard_form.save()
        wizard.action_verify()
        self.assertEqual(wizard.status, "valid")
        self.assertEqual(len(wizard.line_ids), 2)
        self.assertTrue(all(wizard.line_ids.mapped("valid")))
        wizard.pdf_file = base64.b64encode(self.sealed.replace(b"841.89", b"841.88", 1))
        wizard.action_verify()
        self.assertEqual(wizard.status, "invalid")
