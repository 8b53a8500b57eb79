"""The handling slip (phiếu xử lý) as it is printed: wkhtmltopdf, read back
with pdftotext."""

import shutil

from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.pdftext import pdf_pages

from .common import VbdtWorkflowCommon


def render_pdf(test, report, records):
    for tool in ("wkhtmltopdf", "pdftotext"):
        if not shutil.which(tool):
            test.fail(f"{tool} is required to test the printouts (.ci/run installs it)")
    Report = test.env["ir.actions.report"].with_context(
        records.env.context, force_report_rendering=True
    )
    pdf, kind = Report._render_qweb_pdf(report, records.ids)
    test.assertEqual(kind, "pdf")
    return pdf_pages(pdf)


@tagged("vbdt", "post_install", "-at_install")
class TestHandlingSlipPdf(VbdtWorkflowCommon, HttpCase):
    def test_slip_has_the_fields_of_the_practice_on_one_page(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        document = self._registered_incoming()
        document.urgency = "urgent"
        document.with_user(self.clerk).action_present()
        document.with_user(self.leader)._vbdt_direct(
            "Văn phòng chủ trì, báo cáo trước hạn",
            "2026-12-20",
            [
                {
                    "role": "lead",
                    "unit_id": self.unit.id,
                    "user_id": self.specialist.id,
                },
                {"role": "coordinate", "unit_id": self.other_unit.id},
            ],
        )
        action = document.with_user(self.leader).action_print_handling_slip()
        pages = render_pdf(
            self, action["report_name"], document.with_context(lang="vi_VN")
        )
        self.assertEqual(len(pages), 1, "one slip, one sheet")
        text = " ".join(pages[0].split())
        for expected in (
            "PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN",
            document.subject,
            "Độ khẩn Khẩn",
            "Văn phòng chủ trì, báo cáo trước hạn",
            self.leader.name,
            "20/12/2026",
            "Chủ trì",
            "Phối hợp",
            self.unit.name,
            self.other_unit.name,
            "Kết quả giải quyết",
            "Lãnh đạo chỉ đạo",
            "Người chủ trì xử lý",
            "(ký, ghi rõ họ tên)",
            self.specialist.name,
        ):
            with self.subTest(expected=expected):
                self.assertIn(" ".join(expected.split()), text)
        self.assertNotRegex(text, r"\b\d{4}-\d{2}-\d{2}\b", "dates read dd/mm/yyyy")
