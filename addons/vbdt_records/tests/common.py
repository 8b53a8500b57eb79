from odoo.tests import new_test_user

from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon

RECORDS = "vbdt_records.vbdt_records_group_"


class VbdtRecordsCommon(VbdtDocumentCommon):
    """The document office's agencies and roles, plus a records officer, a
    records administrator and the general retention schedule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = cls._records_user("archivist", "officer")
        cls.records_admin = cls._records_user("records_admin", "manager")
        cls.permanent = cls.env.ref("vbdt_records.vbdt_records_retention_tt10_th_03")
        cls.ten_years = cls.env.ref("vbdt_records.vbdt_records_retention_tt10_th_07")
        cls.File = cls.env["vbdt.records.file"]
        cls.Line = cls.env["vbdt.records.file.line"]

    @classmethod
    def _records_user(cls, login, role, company=None):
        company = company or cls.province
        return new_test_user(
            cls.env,
            login=login,
            groups=RECORDS + role,
            company_id=company.id,
            company_ids=[company.id],
        )

    @classmethod
    def _registered(cls, **vals):
        document = cls._incoming(**{"unit_id": cls.unit.id, **vals})
        document.action_register()
        return document

    @classmethod
    def _registered_letter(cls):
        """The registered three-page letter 40/VPCP-TTĐT of 02/03/2026 the
        export and index tests put in a case file."""
        return cls._registered(
            code="40/VPCP-TTĐT",
            subject="Về việc kết nối liên thông văn bản điện tử",
            document_date="2026-03-02",
            page_count=3,
        )

    @classmethod
    def _file(cls, documents=None, **vals):
        case_file = cls.File.create(
            {
                "code": "01.TH",
                "title": "Hồ sơ kết nối, liên thông văn bản năm 2026",
                "year": 2026,
                "company_id": cls.province.id,
                "unit_id": cls.unit.id,
                "retention_id": cls.ten_years.id,
                "responsible_id": cls.specialist.id,
                **vals,
            }
        )
        for document in documents or ():
            cls.Line.create({"file_id": case_file.id, "document_id": document.id})
        return case_file
