from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.common import PDF

from .common import VbdtRecordsCommon


@tagged("post_install", "-at_install", "vbdt")
class TestRecordsTour(VbdtRecordsCommon, HttpCase):
    def test_clerk_files_an_issued_document_and_closes_the_file(self):
        document = self._outgoing(
            subject="Kế hoạch Tour lập hồ sơ năm 2026",
            signer_name="Nguyễn Văn A",
            signer_position="Chủ tịch",
        )
        document._vbdt_add_file("ke-hoach.pdf", PDF, "main")
        self._issue_as(document, self.clerk)
        self.assertEqual(document.state, "issued")
        case_file = self._file(code="09.TOUR", responsible_id=self.clerk.id)
        self.start_tour("/odoo", "vbdt_records_file_tour", login=self.clerk.login)
        self.assertEqual(case_file.state, "closed")
        self.assertEqual(case_file.line_ids.document_id, document)
        self.assertEqual(case_file.line_ids.ordinal, 1)
        entries = self.env["vbdt.audit.log"].search(
            [("event", "=", "records_close"), ("document_id", "=", document.id)]
        )
        self.assertEqual(entries.user_id, self.clerk)

    def test_clerk_makes_a_copy_and_a_sao_luc_of_it(self):
        document = self._registered(code="80/VPCP-TTĐT", subject="Về việc tour sao lục")
        document._vbdt_add_file("van-ban.pdf", PDF, "main")
        Copy = self.env["vbdt.records.copy"]
        before = Copy.search([])
        self.start_tour(
            f"/odoo/vbdt.document/{document.id}",
            "vbdt_records_copy_tour",
            login=self.clerk.login,
        )
        copies = Copy.search([("original_id", "=", document.id)]) - before
        sao_y = copies.filtered(lambda copy: copy.form == "sao_y")
        sao_luc = copies.filtered(lambda copy: copy.form == "sao_luc")
        self.assertEqual((len(sao_y), len(sao_luc)), (1, 1))
        self.assertEqual(sao_luc.source_copy_id, sao_y)
        self.assertEqual(sao_luc.number, sao_y.number + 1)
        self.assertTrue(sao_luc.attachment_id.raw.startswith(b"%PDF"))

    def test_clerk_files_a_copy_from_its_form(self):
        document = self._registered(code="81/VPCP-TTĐT", subject="Về việc tour bản sao")
        document._vbdt_add_file("van-ban.pdf", PDF, "main")
        copy = (
            self.env["vbdt.records.copy"]
            .with_user(self.clerk)
            .with_company(self.province)
            ._vbdt_make_copy(document, "sao_y")
        )
        case_file = self._file(code="07.TOUR", responsible_id=self.clerk.id)
        self.start_tour(
            f"/odoo/vbdt.records.copy/{copy.id}",
            "vbdt_records_file_copy_tour",
            login=self.clerk.login,
        )
        self.assertEqual(case_file.line_ids.copy_id, copy)
        self.assertEqual(case_file.line_ids.kind, "copy")
        self.assertEqual(case_file.document_count, 1)
