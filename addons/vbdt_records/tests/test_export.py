"""The whole case file exported as one PDF (cover with the index, then each
readable item's PDF) and as Circular 05/2025 XML metadata, through the
download route, as each role: what a user may not read is left out and only
counted, never named."""

import base64
import io

from lxml import etree
from PyPDF2 import PdfReader
from reportlab.pdfgen import canvas

from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.pdftext import pdf_text
from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from ..archives.csip import RECORDS_NS
from .common import VbdtRecordsCommon

SECRET_SUBJECT = "Phương án bảo vệ mục tiêu trọng yếu"


def pages_pdf(marker, count):
    """A PDF of ``count`` pages, each saying ``<marker>-PAGE-<n>``."""
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    for number in range(1, count + 1):
        pdf.drawString(72, 720, f"{marker}-PAGE-{number}")
        pdf.showPage()
    pdf.save()
    return stream.getvalue()


def page_count(pdf):
    """Pages of ``pdf`` counted by PyPDF2, independently of the export."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsExport(VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal = cls._registered_letter()
        cls.normal._vbdt_add_file("van-ban.pdf", pages_pdf("NORMAL", 3), "main")
        cls.normal._vbdt_add_file("phu-luc.pdf", pages_pdf("ANNEX", 4), "attachment")
        cls.secret = cls._registered(
            code="41/VPCP-TTĐT",
            subject=SECRET_SUBJECT,
            confidentiality="secret",
            confidential_user_ids=[(6, 0, cls.officer.ids)],
        )
        cls.secret._vbdt_add_file("mat.pdf", pages_pdf("SECRET", 2), "main")
        cls.paper = cls._registered(code="42/VPCP-TTĐT", subject="Về việc gửi bản giấy")
        cls.case_file = cls._file([cls.normal, cls.secret, cls.paper])
        cls.Line.create(
            {
                "file_id": cls.case_file.id,
                "kind": "scan",
                "name": "Bản quét biên bản họp",
                "attachment": base64.b64encode(pages_pdf("MINUTES", 2)),
                "attachment_name": "bien-ban.pdf",
                "page_count": 2,
            }
        )
        cls.Line.create(
            {
                "file_id": cls.case_file.id,
                "kind": "scan",
                "name": "Bản quét hỏng",
                "attachment": base64.b64encode(b"%PDF-1.4 broken"),
                "attachment_name": "hong.pdf",
            }
        )
        cls.url = f"/vbdt_records/export/{cls.case_file.id}"

    def _pdf(self, user):
        """The export as ``user``, rendered in the test's own process: the
        cover's wkhtmltopdf fetches the report assets from this server, which
        a request of the same test (holding the test cursor) would block;
        the route's refusals are tested over HTTP below."""
        stream = io.BytesIO()
        case_file = self.case_file.with_user(user)
        case_file.env.invalidate_all()
        result = case_file._vbdt_export_pdf(stream)
        body = stream.getvalue()
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertEqual(page_count(body), result.page_count)
        return body, pdf_text(body)

    def test_pdf_as_clerk_leaves_out_the_secret_and_counts_it(self):
        body, text = self._pdf(self.clerk)
        self.assertIn("CASE FILE", text)
        self.assertIn("01.TH", text)
        self.assertIn("40/VPCP-TTĐT", text)
        for number in (1, 2, 3):
            self.assertIn(f"NORMAL-PAGE-{number}", text)
        self.assertIn("MINUTES-PAGE-2", text)
        # Only the main file of a document; the secret neither named nor shown.
        self.assertNotIn("ANNEX-PAGE-1", text)
        self.assertNotIn("SECRET-PAGE", text)
        self.assertNotIn("mục tiêu trọng yếu", text)
        self.assertNotIn("41/VPCP-TTĐT", text)
        self.assertRegex(text, r"restricted for you: +1 item")
        # The paper document has no file; the broken scan is not readable.
        self.assertRegex(text, r"having no PDF file: +1 item")
        self.assertRegex(text, r"could not be read: +1 item")
        cover = text.split("NORMAL-PAGE-1")[0].count("\f") + 1
        self.assertEqual(page_count(body), cover - 1 + 3 + 2)
        # The documents follow the index in the file's order.
        self.assertLess(text.index("NORMAL-PAGE-3"), text.index("MINUTES-PAGE-1"))

    def test_pdf_as_named_reader_holds_the_secret(self):
        body, text = self._pdf(self.officer)
        self.assertIn("SECRET-PAGE-2", text)
        self.assertIn("mục tiêu trọng yếu", text)
        self.assertNotIn("restricted for you", text)
        cover = text.split("NORMAL-PAGE-1")[0].count("\f")
        self.assertEqual(page_count(body), cover + 3 + 2 + 2)
        self.assertLess(text.index("NORMAL-PAGE-3"), text.index("SECRET-PAGE-1"))

    def test_specialist_reads_the_file_of_his_unit(self):
        # The specialist is the file's responsible; the secret stays out.
        _body, text = self._pdf(self.specialist)
        self.assertIn("NORMAL-PAGE-1", text)
        self.assertNotIn("SECRET-PAGE", text)
        self.assertNotIn("mục tiêu trọng yếu", text)

    def test_xml_metadata_as_clerk_and_named_reader(self):
        status, body = self.fetch(self.clerk, f"{self.url}.xml")
        self.assertEqual(status, 200)
        root = etree.fromstring(body)
        ns = {"r": RECORDS_NS}
        self.assertEqual(root.findtext("r:file/r:fileCode", namespaces=ns), "01.TH")
        self.assertEqual(
            root.findtext("r:file/r:withheldItemCount", namespaces=ns), "1"
        )
        self.assertEqual(root.findtext("r:file/r:documentCount", namespaces=ns), "3")
        summaries = root.xpath("//r:document/r:summary/text()", namespaces=ns)
        self.assertIn("Về việc kết nối liên thông văn bản điện tử", summaries)
        self.assertEqual(len(root.xpath("//r:document", namespaces=ns)), 4)
        self.assertNotIn(SECRET_SUBJECT.encode(), body)
        self.assertNotIn(b"41/VPCP", body)
        # The same file read by its named reader.
        status, body = self.fetch(self.officer, f"{self.url}.xml")
        root = etree.fromstring(body)
        self.assertIn(SECRET_SUBJECT.encode(), body)
        self.assertEqual(
            root.findtext("r:file/r:withheldItemCount", namespaces=ns), "0"
        )
        self.assertEqual(len(root.xpath("//r:document", namespaces=ns)), 5)

    def test_another_agency_and_unknown_files_are_not_found(self):
        for fmt in ("pdf", "xml"):
            status, body = self.fetch(self.other_clerk, f"{self.url}.{fmt}")
            self.assertEqual(status, 404)
            self.assertNotIn(b"01.TH", body)
            self.assertNotIn("kết nối".encode(), body)
            self.assertNotIn(b"NORMAL-PAGE", body)
        status, _body = self.fetch(self.clerk, "/vbdt_records/export/999999999.pdf")
        self.assertEqual(status, 404)
        # A specialist of another unit, not responsible for it, reads nothing.
        status, body = self.fetch(self.outsider, f"{self.url}.pdf")
        self.assertEqual(status, 404)
        self.assertNotIn(b"NORMAL-PAGE", body)
