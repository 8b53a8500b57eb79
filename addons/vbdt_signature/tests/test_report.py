import base64

from odoo.tests import tagged

from .common import VbdtSignatureCommon


@tagged("vbdt", "vbdt_signature")
class TestVerificationReport(VbdtSignatureCommon):
    """The verification report (Circular 15/2025/TT-BKHCN) is printable from a
    document and from the "Verify a Signed PDF" tool."""

    def _signed_document(self):
        document = self._signable()
        document.with_user(self.leader).action_sign_person()
        return document

    def test_document_report_shows_signer_time_basis_and_trust_path(self):
        document = self._signed_document()
        html = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_html(
                "vbdt_signature.vbdt_signature_document_report", document.ids
            )[0]
            .decode()
        )
        check = document.main_file_id.signature_check_ids
        self.assertIn(check.signer_name, html)
        self.assertIn(
            "Test RootCA chuyên dùng Chính phủ", html
        )  # end of the trust path
        self.assertIn("Receipt by This System", html)  # B-B: judged when stored
        self.assertIn(
            dict(check._fields["revocation"].selection)[check.revocation], html
        )

    def test_verify_tool_prints_the_report(self):
        document = self._signed_document()
        wizard = (
            self.env["vbdt.signature.verify"]
            .with_user(self.specialist)
            .create(
                {
                    "pdf_file": base64.b64encode(document.main_file_id._get_raw()),
                    "pdf_filename": "quyet_dinh.pdf",
                }
            )
        )
        wizard.action_verify()
        # HTML, as Odoo renders every PDF report during tests: wkhtmltopdf
        # would wait for assets built inside this uncommitted transaction
        html = (
            self.env["ir.actions.report"]
            .with_user(self.specialist)
            ._render_qweb_html(
                "vbdt_signature.vbdt_signature_verify_report", wizard.ids
            )[0]
            .decode()
        )
        self.assertIn("quyet_dinh.pdf", html)
        self.assertIn(wizard.line_ids.signer_name, html)
        self.assertIn("Test RootCA chuyên dùng Chính phủ", html)
