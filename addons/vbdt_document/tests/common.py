import base64

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

GROUP = "vbdt_document.vbdt_document_group_"
# A minimal but valid one-page PDF, enough for type and checksum checks.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


class VbdtDocumentCommon(BaseCommon):
    """Two agencies of one province, a unit each and one user per role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province = cls.env["res.company"].create(
            {
                "name": "UBND tỉnh Thử nghiệm",
                "vbdt_agency_code": "000.00.00.H99",
                "vbdt_short_name": "UBND",
                "vbdt_tier": "province",
                "vbdt_place": "Thử nghiệm",
            }
        )
        cls.department = cls.env["res.company"].create(
            {
                "name": "Sở Thử nghiệm",
                "vbdt_agency_code": "000.00.12.H99",
                "vbdt_short_name": "STN",
                "vbdt_tier": "province",
                "vbdt_parent_agency_id": cls.province.id,
            }
        )
        cls.unit = cls.env["vbdt.unit"].create(
            {"name": "Văn phòng", "code": "VP", "company_id": cls.province.id}
        )
        cls.other_unit = cls.env["vbdt.unit"].create(
            {"name": "Phòng Kinh tế", "code": "KT", "company_id": cls.province.id}
        )
        cls.clerk = cls._user("clerk", "clerk")
        cls.specialist = cls._user("specialist", "specialist", cls.unit)
        cls.colleague = cls._user("colleague", "specialist", cls.unit)
        cls.outsider = cls._user("outsider", "specialist", cls.other_unit)
        cls.head = cls._user("head", "head", cls.unit)
        cls.leader = cls._user("leader", "leader")
        cls.other_clerk = cls._user("other_clerk", "clerk", company=cls.department)
        cls.doc_type = cls.env.ref("vbdt_document.vbdt_document_type_quyet_dinh")
        cls.letter_type = cls.env.ref("vbdt_document.vbdt_document_type_cong_van")
        cls.sender = cls.env["vbdt.agency"].create(
            {"name": "Văn phòng Chính phủ (thử)", "code": "000.00.00.G99"}
        )
        cls.Document = cls.env["vbdt.document"]

    @classmethod
    def _user(cls, login, role, unit=None, company=None):
        company = company or cls.province
        return new_test_user(
            cls.env,
            login=login,
            groups=GROUP + role,
            company_id=company.id,
            company_ids=[company.id],
            vbdt_unit_ids=unit.ids if unit else [],
        )

    @classmethod
    def _outgoing(cls, **vals):
        return cls.Document.create(
            {
                "direction": "outgoing",
                "company_id": cls.province.id,
                "subject": "Về việc thử nghiệm",
                "document_type_id": cls.doc_type.id,
                "unit_id": cls.unit.id,
                **vals,
            }
        )

    @classmethod
    def _incoming(cls, **vals):
        return cls.Document.create(
            {
                "direction": "incoming",
                "company_id": cls.province.id,
                "subject": "V/v kết nối, liên thông văn bản",
                "code": "7816/VPCP-TTĐT",
                "document_date": "2026-09-30",
                "sender_agency_id": cls.sender.id,
                "arrival_channel": "axis",
                **vals,
            }
        )

    @staticmethod
    def _issue_as(document, clerk):
        """Issue ``document`` as ``clerk`` whatever else is installed: with
        vbdt_workflow, its approval route (not what the caller tests) is
        skipped to the first state it issues from."""
        issuable = document._vbdt_issuable_states()
        if "draft" not in issuable:
            document.sudo()._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        document.with_user(clerk).action_issue()
        return document

    @staticmethod
    def _pdf_b64():
        return base64.b64encode(PDF)
