"""The "Archived Files Not in PDF/A" list, read through the real JSON-RPC API
as each role with the action's own domain."""

import base64

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.vbdt_document.pdfa.samples import PDFA_2B
from odoo.addons.vbdt_document.tests.common import PDF
from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtRecordsCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsPdfaReport(JsonRpcMixin, VbdtRecordsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.filed = cls._incoming(code="50/VPCP-TTĐT", unit_id=cls.unit.id)
        cls.pdfa, cls.plain = cls.env["vbdt.document.file"].create(
            [
                {
                    "document_id": cls.filed.id,
                    "name": "van-ban.pdf",
                    "role": "main",
                    "datas": base64.b64encode(PDFA_2B),
                },
                {
                    "document_id": cls.filed.id,
                    "name": "phu-luc-scan.pdf",
                    "role": "attachment",
                    "datas": base64.b64encode(PDF),
                },
            ]
        )
        cls.filed.action_register()
        # A non-PDF/A file of a document in no case file is not listed.
        cls.unfiled = cls._incoming(code="51/VPCP-TTĐT", unit_id=cls.unit.id)
        cls.unfiled_file = cls.env["vbdt.document.file"].create(
            {
                "document_id": cls.unfiled.id,
                "name": "khong-luu.pdf",
                "role": "main",
                "datas": base64.b64encode(PDF),
            }
        )
        cls.case_file = cls._file([cls.filed])
        cls.action = cls.env.ref(
            "vbdt_records.vbdt_records_document_file_not_pdfa_action"
        )

    def _listed(self, login):
        domain = safe_eval(self.action.domain)
        rows = self.call_kw(
            login,
            "vbdt.document.file",
            "web_search_read",
            [domain],
            {"specification": {"name": {}, "pdfa_level": {}}},
        )["records"]
        return {row["id"] for row in rows}

    def _snapshot(self):
        files = (self.pdfa | self.plain).sudo()
        files.invalidate_recordset()
        return [
            (f.name, f.pdfa_level, f.checksum_sha256, f.document_id.id) for f in files
        ]

    def test_officer_sees_only_the_filed_non_pdfa_file(self):
        self.assertEqual(self.pdfa.pdfa_level, "2b")
        self.assertFalse(self.plain.pdfa_level)
        listed = self._listed("archivist")
        self.assertIn(self.plain.id, listed)
        self.assertNotIn(self.pdfa.id, listed)
        self.assertNotIn(self.unfiled_file.id, listed)
        # The menu is the records officer's.
        menu = self.env.ref("vbdt_records.vbdt_records_document_file_not_pdfa_menu")
        self.assertIn(
            self.env.ref("vbdt_records.vbdt_records_group_officer"), menu.groups_id
        )

    def test_specialist_of_another_unit_does_not_see_it(self):
        # The unit's own specialist sees the file, the other unit's does not.
        self.assertIn(self.plain.id, self._listed("specialist"))
        self.assertNotIn(self.plain.id, self._listed("outsider"))
        before = self._snapshot()
        self.assertRefused(
            "outsider",
            "vbdt.document.file",
            "read",
            [self.plain.ids, ["name", "pdfa_level"]],
            error=ACCESS_ERROR,
            unchanged=self._snapshot,
        )
        self.assertRefused(
            "outsider",
            "vbdt.document.file",
            "write",
            [self.plain.ids, {"pdfa_level": "2b"}],
            unchanged=self._snapshot,
        )
        self.assertEqual(self._snapshot(), before)

    def test_nobody_takes_a_file_off_the_list_by_hand(self):
        # Not even the officer, who reads the file: the level comes from the bytes.
        for login in ("archivist", "specialist"):
            self.assertRefused(
                login,
                "vbdt.document.file",
                "write",
                [self.plain.ids, {"pdfa_level": "2b", "pdfa_checked": True}],
                unchanged=self._snapshot,
            )
        self.assertIn(self.plain.id, self._listed("archivist"))
