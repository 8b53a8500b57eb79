from odoo.exceptions import UserError
from odoo.tests import tagged

from ..demo.documents import demo_document_pdf
from ..pades import verify_pdf
from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature")
class TestSigning(VbdtSignatureCommon):
    def test_sign_issue_seal_verify(self):
        attachment = demo_document_pdf(pages=2)
        document = self._signable(attachment=attachment)
        main = document.main_file_id
        self.assertEqual(main.signature_status, "unsigned")

        document.with_user(self.leader).action_sign_person()
        self.assertEqual(
            main.signature_status, "incomplete", "person only, no seal yet"
        )
        self.assertEqual(document.signature_status, "incomplete")
        self.assertEqual(len(main.history_attachment_ids), 1, "the draft is kept")
        self.assertEqual(main.history_attachment_ids.raw, self.draft_pdf)
        (person,) = main.signature_check_ids
        self.assertEqual(
            (person.kind, person.valid, person.trusted), ("person", True, True)
        )
        signed = self._main_raw(document)

        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        self.assertTrue(document.code.startswith("01/QĐ-"))
        sealed = self._main_raw(document)
        self.assertTrue(sealed.startswith(signed), "incremental updates only")
        self.assertEqual(main.signature_status, "valid")
        self.assertEqual(document.signature_status, "valid")
        self.assertEqual(
            sorted(main.signature_check_ids.mapped("kind")), ["organisation", "person"]
        )
        self.assertTrue(all(main.signature_check_ids.mapped("valid")))
        self.assertEqual(len(main.history_attachment_ids), 2)
        report = verify_pdf(sealed, self.pki.trust_anchors)
        self.assertTrue(report.complete)
        person_report = next(s for s in report.signatures if s.kind == "person")
        self.assertTrue(person_report.intact and person_report.changes_permitted)

        annex = document.file_ids.filtered(lambda f: f.role == "attachment")
        self.assertEqual(annex.signature_status, "valid")
        self.assertEqual(annex.signature_check_ids.kind, "organisation")
        self.assertEqual(annex.history_attachment_ids.raw, attachment)
        self.assertIn(
            "sign",
            self.env["vbdt.audit.log"]
            .search([("document_id", "=", document.id)])
            .mapped("event"),
        )

    def test_only_the_signer_signs(self):
        document = self._signable()
        with self.assertRaisesRegex(UserError, "Only the signer"):
            document.with_user(self.clerk).action_sign_person()
        document.signer_id = self.head
        with self.assertRaisesRegex(UserError, "no valid signing certificate"):
            document.with_user(self.head).action_sign_person()
        self.assertEqual(document.main_file_id.signature_status, "unsigned")

    def test_signer_needs_signature_image(self):
        document = self._signable()
        self.leader.vbdt_signature_image = False
        with self.assertRaisesRegex(UserError, "signature image"):
            document.with_user(self.leader).action_sign_person()

    def test_seal_refused_without_person_signature(self):
        self.province.vbdt_signature_required = True
        document = self._signable()
        with self.assertRaisesRegex(UserError, "competent person"):
            document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "draft")
        self.assertFalse(document.number, "no number drawn")
        self.assertEqual(self._main_raw(document), self.draft_pdf)

    def test_seal_refused_on_a_tampered_person_signature(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        signed = self._main_raw(document)
        tampered = signed.replace(b"841.89", b"841.88", 1)
        self.assertNotEqual(tampered, signed)
        document.main_file_id.datas = __import__("base64").b64encode(tampered)
        self.assertEqual(document.signature_status, "invalid")
        with self.assertRaisesRegex(UserError, "competent person"):
            document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "draft")

    def test_paper_original_issued_without_seal(self):
        """An agency not requiring digital signatures issues an unsigned main
        text as before (paper original); nothing is signed."""
        document = self._signable()
        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        self.assertEqual(self._main_raw(document), self.draft_pdf)
        self.assertFalse(document._vbdt_requires_digital_signature())

    def test_unreadable_pdf(self):
        """An unreadable main PDF is issued as a paper original unless the
        agency requires digital signatures."""
        broken = b"%PDF-1.4\nnot really a PDF\n%%EOF\n"
        document = self._outgoing(signer_id=self.leader.id)
        document._vbdt_add_file("draft.pdf", broken, role="main")
        self.province.vbdt_signature_required = True
        with self.assertRaisesRegex(UserError, "not a readable PDF"):
            document.with_user(self.clerk).action_issue()
        self.province.vbdt_signature_required = False
        document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")

    def test_required_mode_needs_a_pdf(self):
        self.province.vbdt_signature_required = True
        document = self._outgoing(signer_id=self.leader.id)
        self.assertTrue(document._vbdt_requires_digital_signature())
        with self.assertRaisesRegex(UserError, "PDF signed by the competent person"):
            document.with_user(self.clerk).action_issue()

    def test_no_seal_certificate(self):
        """Decision: a signed document cannot be issued until the agency has a
        seal certificate; the clerk is told to have one registered."""
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        signed = self._main_raw(document)
        self.seal_cert.active = False
        with self.assertRaisesRegex(UserError, "no valid seal certificate"):
            document.with_user(self.clerk).action_issue()
        self.assertEqual(document.state, "draft")
        self.assertEqual(self._main_raw(document), signed)

    def test_only_the_clerk_issues_and_seals(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        with self.assertRaises(UserError):
            document.with_user(self.leader).action_issue()
        with self.assertRaisesRegex(UserError, "Only the clerk"):
            document.with_user(self.specialist)._vbdt_seal_plan()
        self.assertEqual(document.state, "draft")

    def test_no_second_person_signature(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        with self.assertRaisesRegex(UserError, "already signed"):
            document.with_user(self.leader).action_sign_person()
