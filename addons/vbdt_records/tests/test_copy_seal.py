"""A copy signed with the agency's seal (vbdt_signature installed, as in the
suite): the copy line and the agency's text-only signature at the top right
of page 1, and the signature validated by pyHanko against the test PKI."""

import io
import tempfile
from pathlib import Path

from asn1crypto import pem, x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from odoo.tests import tagged

from odoo.addons.vbdt_signature.tests.common import VbdtSignatureCommon

from .common import VbdtRecordsCommon
from .test_copy import poppler, two_page_pdf


@tagged("vbdt", "post_install", "-at_install")
class TestRecordsCopySeal(VbdtRecordsCommon, VbdtSignatureCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.original = cls._registered(code="70/VPCP-TTĐT")
        cls.original._vbdt_add_file("van-ban.pdf", two_page_pdf(), "main")

    def _root(self):
        _type, _headers, der = pem.unarmor(self.pki.root.certificate_pem)
        return x509.Certificate.load(der)

    def test_copy_is_sealed_at_the_top_right_and_validates(self):
        copy = (
            self.env["vbdt.records.copy"]
            .with_user(self.clerk)
            .with_company(self.province)
            ._vbdt_make_copy(self.original, "sao_y", signer=self.leader)
        )
        self.assertTrue(copy.sealed)
        reader = PdfFileReader(io.BytesIO(copy.attachment_id.raw))
        signatures = reader.embedded_signatures
        self.assertEqual(len(signatures), 1)
        status = validate_pdf_signature(
            signatures[0],
            ValidationContext(
                trust_roots=[self._root()],
                allow_fetching=True,
                revocation_mode="soft-fail",
            ),
        )
        self.assertTrue(status.intact and status.valid, status.pretty_print_details())
        self.assertTrue(status.trusted, status.pretty_print_details())
        self.assertEqual(status.coverage.name, "ENTIRE_FILE")
        # The widget sits in the top right part of page 1, under the copy block.
        field = signatures[0].sig_field
        widget = field["/Kids"][0].get_object() if "/Kids" in field else field
        x0, y0, _x1, _y1 = (float(value) for value in widget["/Rect"])
        self.assertGreater(x0, 595 / 2)
        self.assertGreater(y0, 842 * 3 / 4)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "copy.pdf"
            path.write_bytes(copy.attachment_id.raw)
            text = poppler("pdftotext", "-f", "1", "-l", "1", str(path), "-").decode()
        self.assertIn("SAO Y", text)
        self.assertIn("01/SY", text)
        self.assertNotIn("not digitally signed", text)
