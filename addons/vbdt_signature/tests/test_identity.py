from odoo import fields
from odoo.tests import tagged

from ..demo import testpki
from ..demo.documents import demo_signature_png
from ..pades import sign_pdf
from ..pades.backends import Pkcs12Backend
from ..pades.signer import PersonAppearance, SigningOptions
from ..pades.stamping import prepare_fields
from .common import VbdtSignatureCommon

FORMER_NAME = "Sở Thông tin và Truyền thông tỉnh Thử nghiệm"
CURRENT_NAME = "Sở Khoa học và Công nghệ tỉnh Thử nghiệm"


@tagged("vbdt", "vbdt_signature")
class TestCertificatesAcrossAgencyChange(VbdtSignatureCommon):
    """Issue 12, item 3: a signer holds several certificate generations; a
    signature whose certificate names the former agency is accepted (valid
    when it signed), and a title or agency that differs from the document's
    is a warning on the check, never a refusal (Decree 68/2024/NĐ-CP)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Agency = cls.env["vbdt.agency"]
        cls.current = Agency.create({"name": CURRENT_NAME, "code": "000.00.13.H98"})
        cls.former = Agency.create(
            {
                "name": FORMER_NAME,
                "code": "000.00.12.H98",
                "date_end": "2025-03-01",
                "successor_id": cls.current.id,
            }
        )
        signer = testpki.PERSON_NAME
        cls.old_generation = testpki.issue_person(
            cls.pki, signer, organisation=FORMER_NAME, title="Giám đốc"
        )
        cls.new_generation = testpki.issue_person(
            cls.pki, signer, organisation=CURRENT_NAME, title="Giám đốc"
        )
        cls.elsewhere = testpki.issue_person(
            cls.pki, signer, organisation="Sở Y tế tỉnh Khác", title="Giám đốc"
        )

    def _signed(self, credential):
        backend = Pkcs12Backend(credential.pkcs12(), testpki.PKCS12_PASSWORD)
        return sign_pdf(
            prepare_fields(self.draft_pdf),
            backend,
            PersonAppearance(demo_signature_png()),
            options=SigningOptions(trust_anchors=self.pki.trust_anchors),
        )

    def _received(self, credential, title="Giám đốc", sender=None, code="1/STTTT"):
        document = self._incoming(
            sender_agency_id=(sender or self.current).id,
            signer_position=title,
            code=code,
        )
        document._vbdt_add_file("van_ban.pdf", self._signed(credential), role="main")
        check = document.signature_check_ids.filtered(lambda c: c.kind == "person")
        self.assertEqual(len(check), 1)
        return document, check

    def test_former_agency_certificate_is_accepted_with_a_note(self):
        document, check = self._received(self.old_generation)
        current_document, current = self._received(self.new_generation, code="2/S")
        self.assertTrue(check.valid)
        self.assertTrue(check.valid_at_signing_time)
        self.assertEqual(document.signature_status, current_document.signature_status)
        self.assertEqual(check.organisation, FORMER_NAME)
        self.assertEqual(check.certificate_title, "Giám đốc")
        self.assertEqual(check.identity_status, "former")
        self.assertIn(FORMER_NAME, check.identity_warning)
        self.assertIn(CURRENT_NAME, check.identity_warning)
        # The current generation simply matches.
        self.assertTrue(current.valid)
        self.assertEqual(current.identity_status, "match")
        self.assertFalse(current.identity_warning)

    def test_title_mismatch_is_a_warning_not_a_refusal(self):
        document, check = self._received(self.new_generation, title="Phó Giám đốc")
        _same, reference = self._received(self.new_generation, code="3/S")
        self.assertTrue(check.valid)
        self.assertEqual(document.signature_status, _same.signature_status)
        self.assertEqual(check.identity_status, "mismatch")
        self.assertIn("Phó Giám đốc", check.identity_warning)
        self.assertIn("68/2024", check.identity_warning)
        self.assertNotIn("68/2024", document.main_file_id.signature_message or "")
        self.assertEqual(reference.identity_status, "match")
        # The verification report shows the warning, as a warning.
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "vbdt_signature.vbdt_signature_document_report", document.ids
        )
        html = html.decode()
        self.assertIn("Signer Identity (warning, not a refusal)", html)
        self.assertIn("Phó Giám đốc", html)
        # The clerk corrects the printed title: the warning goes with it.
        document.signer_position = "KT. GIÁM ĐỐC\nGIÁM ĐỐC"
        self.assertEqual(check.identity_status, "match")

    def test_other_agency_is_a_warning_not_a_refusal(self):
        document, check = self._received(self.elsewhere)
        self.assertTrue(check.valid)
        self.assertEqual(check.identity_status, "mismatch")
        self.assertIn("Sở Y tế tỉnh Khác", check.identity_warning)
        self.assertIn(CURRENT_NAME, check.identity_warning)

    def test_merged_agency_signature_on_the_successors_document(self):
        """An agency of this database merged into the province: a draft
        carried over and signed with the certificate naming the former
        agency is accepted as the successor's."""
        department_name = "Sở Thử nghiệm Ba"
        department = self.env["res.company"].create(
            {
                "name": department_name,
                "vbdt_agency_code": "000.00.14.H99",
                "vbdt_short_name": "STNB",
                "vbdt_tier": "province",
                "vbdt_parent_agency_id": self.province.id,
            }
        )
        self.env["vbdt.agency.change"]._vbdt_schedule(
            {
                "operation": "merge",
                "agency_ids": department.ids,
                "successor_id": self.province.id,
                "date_effective": fields.Date.context_today(department),
                "incoming_policy": "move",
                "draft_policy": "move",
            }
        )
        credential = testpki.issue_person(
            self.pki,
            testpki.PERSON_NAME,
            organisation=department_name,
            title="Giám đốc",
        )
        document = self._outgoing(signer_position="Giám đốc")
        document._vbdt_add_file("du_thao.pdf", self._signed(credential), role="main")
        check = document.signature_check_ids.filtered(lambda c: c.kind == "person")
        self.assertTrue(check.valid)
        self.assertEqual(check.identity_status, "former")
        self.assertIn(department_name, check.identity_warning)
        # Read by the signer (no right on the ended agency nor on the change).
        self.assertEqual(
            check.with_user(self.leader).read(["identity_status"])[0][
                "identity_status"
            ],
            "former",
        )

    def test_a_signer_holds_several_certificate_generations(self):
        old = self._certificate(self.old_generation, user=self.leader)
        new = self._certificate(self.new_generation, user=self.leader)
        mine = self.Certificate.search([("user_id", "=", self.leader.id)])
        self.assertLessEqual(old | new | self.person_cert, mine)
        self.assertEqual(old.subject_common_name, new.subject_common_name)
        self.assertIn(FORMER_NAME, old.subject)
        self.assertIn(CURRENT_NAME, new.subject)
