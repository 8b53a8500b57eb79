import base64

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import VbdtDocumentCommon


@tagged("vbdt")
class TestAgency(VbdtDocumentCommon):
    def test_company_gets_directory_entry_and_registers(self):
        agency = self.province.vbdt_agency_id
        self.assertEqual(agency.code, "000.00.00.H99")
        self.assertEqual(agency.internal_company_id, self.province)
        self.assertTrue(agency.is_internal)
        registers = self.province.vbdt_register_ids
        self.assertEqual(len(registers), 4)
        self.assertEqual(set(registers.mapped("direction")), {"incoming", "outgoing"})
        self.province.vbdt_agency_code = "000.00.01.H99"
        self.assertEqual(agency.code, "000.00.01.H99")

    def test_default_registers_are_named_in_every_active_language(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        company = (
            self.env["res.company"]
            .with_context(lang="en_US")
            .create({"name": "UBND xã Thử nghiệm ngôn ngữ", "vbdt_short_name": "UBND"})
        )
        register = company.vbdt_register_ids.filtered(
            lambda r: r.direction == "incoming" and not r.confidential
        )
        self.assertEqual(register.with_context(lang="en_US").name, "Incoming documents")
        self.assertEqual(register.with_context(lang="vi_VN").name, "Sổ văn bản đến")

    def test_codes_are_normalised_unique_and_validated(self):
        agency = self.env["vbdt.agency"].create(
            {"name": "Bộ Thử", "code": " 000.00.00.g98 "}
        )
        self.assertEqual(agency.code, "000.00.00.G98")
        self.assertEqual(agency.code_kind, "legacy")
        self.assertEqual(
            self.env["vbdt.agency"]._vbdt_find_by_code("000.00.00.g98"), agency
        )
        with self.assertRaises(ValidationError):
            self.env["vbdt.agency"].create({"name": "Sai", "code": "000 00"})
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["vbdt.agency"].create({"name": "Trùng", "code": "000.00.00.G98"})

    def test_csv_import_creates_updates_and_reports_errors(self):
        csv_text = (
            "code,name,parent_code,email,tier\n"
            "000.00.00.G98,Bộ Thử nghiệm,,bo@thu.gov.vn,central\n"
            "000.01.00.G98,Cục Thử nghiệm,000.00.00.G98,,central\n"
            "000.00.00.G99,Văn phòng Chính phủ (đổi tên),,,central\n"
            "bad code,Sai mã,,,\n"
        )
        wizard = self.env["vbdt.agency.import"].create(
            {"file": base64.b64encode(csv_text.encode()), "file_name": "agencies.csv"}
        )
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.updated_count), (2, 1))
        self.assertIn("Line 5", wizard.error_lines)
        child = self.env["vbdt.agency"]._vbdt_find_by_code("000.01.00.G98")
        self.assertEqual(child.parent_id.name, "Bộ Thử nghiệm")
        self.assertEqual(self.sender.name, "Văn phòng Chính phủ (đổi tên)")
