"""Copies in case files: a clerk files a copy from its form; the item is
read by exactly those who read the copy's original, sits in order in the
contents, the document index and the whole-file export, and counts as a
document of the file; a secret original's copy is hidden (neutral title)
from its non-readers. The attacks go through the real JSON-RPC."""

import hashlib
import io
import zipfile

from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from ..archives import validate
from ..archives.csip import RECORDS_NS
from .common import VbdtRecordsCommon
from .test_copy import CopyFixtures

LINE = "vbdt.records.file.line"
COPY = "vbdt.records.copy"


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestFileCopy(CopyFixtures, VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Copy = cls.env[COPY]
        cls.original = cls._registered_pdf("90/VPCP-TTĐT", page_count=2)
        cls.secret = cls._secret_original("91/VPCP-TTĐT")
        cls.case_file = cls._file([cls.original])
        # The outsider's own file (another unit): writable by them.
        cls.outsider_file = cls._file(
            code="05.KT",
            title="Hồ sơ của Phòng Kinh tế",
            unit_id=cls.other_unit.id,
            responsible_id=cls.outsider.id,
        )
        cls.department_file = cls._file(
            code="01.STN",
            title="Hồ sơ của Sở",
            company_id=cls.department.id,
            unit_id=False,
            responsible_id=cls.other_clerk.id,
        )

    def setUp(self):
        super().setUp()
        self.copy = self._make(self.clerk, self.original)
        self.secret_copy = self._make(self.officer, self.secret)

    def _file_copy(self, user, copy, case_file=None):
        """What the "File This Copy" form does: its action, then saving the
        item it opens, as ``user``."""
        action = copy.with_user(user).action_records_file_copy()
        context = {
            key.removeprefix("default_"): value
            for key, value in action["context"].items()
            if key.startswith("default_")
        }
        return (
            self.env[LINE]
            .with_user(user)
            .create({**context, "file_id": (case_file or self.case_file).id})
        )

    def _copy_lines(self):
        return (
            self.env[LINE]
            .sudo()
            .search([("copy_id", "!=", False)])
            .mapped(lambda line: (line.id, line.file_id.id, line.copy_id.id))
        )

    # ------------------------------------------------------------ filing
    def test_clerk_files_a_copy_in_order_and_it_counts(self):
        line = self._file_copy(self.clerk, self.copy)
        self.assertEqual(
            (line.kind, line.copy_id, line.ordinal), ("copy", self.copy, 2)
        )
        self.assertEqual(line.date, self.original.document_date)
        self.assertEqual(self.copy.records_line_ids, line)
        self.assertEqual(
            self.case_file.with_user(self.specialist).line_ids.mapped("display_name"),
            [
                self.original.display_name,
                f"Copy {self.copy.name} of {self.original.display_name}",
            ],
        )
        self.case_file.invalidate_recordset()
        self.assertEqual(
            (self.case_file.document_count, self.case_file.item_count), (2, 2)
        )
        # A copy holds its place once in a file.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self._file_copy(self.clerk, self.copy)
        # A file holding only copies is complete enough to close.
        only_copies = self._file(code="06.TH", title="Tập bản sao")
        self._file_copy(self.clerk, self.copy, only_copies)
        self.assertNotIn(
            "The file holds no document.", only_copies._completeness_problems()
        )

    def test_index_lists_the_copy_by_its_original_and_hides_a_secret_one(self):
        self._file_copy(self.clerk, self.copy)
        self._file_copy(self.officer, self.secret_copy)
        as_clerk = self.case_file.with_user(self.clerk)
        rows = as_clerk._vbdt_document_index_rows()
        self.assertEqual([row[0] for row in rows], [1, 2, 3])
        self.assertEqual(rows[1][1], "90/VPCP-TTĐT")
        self.assertIn(self.copy.name, rows[1][6])
        self.assertIn("Full copy", rows[1][6])
        self.assertEqual(rows[1][5], 2, "a full copy has its original's pages")
        self.assertEqual(rows[2][4], "Restricted item")
        self.assertNotIn("91/VPCP", str(rows))
        self.assertNotIn("mục tiêu trọng yếu", str(rows))
        self.assertTrue(as_clerk.title_restricted, "the secret copy hides the title")
        self.assertIn("contains a restricted document", as_clerk.display_name)
        self.assertEqual(as_clerk.document_count, 3, "hidden items are counted")
        # The original's named reader reads it all.
        as_officer = self.case_file.with_user(self.officer)
        rows = as_officer._vbdt_document_index_rows()
        self.assertEqual(rows[2][1], "91/VPCP-TTĐT")
        self.assertIn(self.secret_copy.name, rows[2][6])
        self.assertFalse(as_officer.title_restricted)

    def test_whole_file_export_carries_readable_copies_and_counts_the_rest(self):
        self._file_copy(self.clerk, self.copy)
        self._file_copy(self.officer, self.secret_copy)
        as_clerk = self.case_file.with_user(self.clerk)
        lines, withheld = as_clerk._vbdt_export_lines()
        self.assertEqual(lines.mapped("ordinal"), [1, 2])
        self.assertEqual(withheld, 1)
        root = etree.fromstring(as_clerk._vbdt_export_xml())
        ns = {"r": RECORDS_NS}
        self.assertEqual(root.findtext("r:file/r:documentCount", namespaces=ns), "3")
        self.assertEqual(
            root.findtext("r:file/r:accessMode", namespaces=ns), "restricted"
        )
        self.assertEqual(
            root.xpath("//r:document/r:copyNumber/text()", namespaces=ns),
            [self.copy.name],
        )
        self.assertNotIn(b"91/VPCP", etree.tostring(root))
        stream = io.BytesIO()
        result = as_clerk._vbdt_export_pdf(stream)
        self.assertEqual(result.included, ["1", "2"])
        self.assertTrue(stream.getvalue().startswith(b"%PDF"))
        lines, withheld = self.case_file.with_user(self.officer)._vbdt_export_lines()
        self.assertEqual((len(lines), withheld), (3, 0))

    def test_a_closed_file_with_a_copy_hands_over_a_valid_package(self):
        self._file_copy(self.clerk, self.copy)
        self.case_file.with_user(self.officer).action_close()
        handover = self.env["vbdt.records.handover"].create(
            {
                "name": "Giao nộp hồ sơ có bản sao",
                "company_id": self.province.id,
                "file_ids": [(6, 0, self.case_file.ids)],
            }
        )
        handover.with_user(self.officer).action_build_package()
        self.assertEqual(handover.state, "built")
        self.assertEqual((handover.file_count, handover.document_count), (1, 2))
        attachment = handover.package_attachment_id.sudo()
        path = attachment._full_path(attachment.store_fname)
        self.assertEqual(validate.validate_package(path), [])
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            copies = [name for name in names if name.endswith(".pdf") and "SY" in name]
            self.assertEqual(len(copies), 1, names)
            raw = archive.read(copies[0])
            records = archive.read(
                next(name for name in names if name.endswith("records.xml"))
            )
        self.assertEqual(hashlib.sha256(raw).hexdigest(), self.copy.sha256)
        root = etree.fromstring(records)
        ns = {"r": RECORDS_NS}
        self.assertEqual(
            root.xpath("//r:document/r:copyNumber/text()", namespaces=ns),
            [self.copy.name],
        )
        self.assertEqual(
            root.xpath("//r:document/r:reliability/text()", namespaces=ns),
            ["Full copy (sao y)"],
        )

    def test_only_clerks_of_the_copys_agency_file_it(self):
        with self.assertRaises(AccessError):
            self.copy.with_user(self.specialist).action_records_file_copy()
        with self.assertRaises(AccessError):
            self.env[LINE].with_user(self.specialist).create(
                {"file_id": self.case_file.id, "kind": "copy", "copy_id": self.copy.id}
            )
        self.assertFalse(self._copy_lines())

    # ------------------------------------------------------------ attacks
    def test_rpc_users_who_cannot_read_the_original_file_nothing(self):
        vals = {"kind": "copy", "copy_id": self.copy.id}
        attempts = [
            # A specialist of another unit, into their own file and ours.
            (self.outsider, self.outsider_file),
            (self.outsider, self.case_file),
            # Another agency's clerk, into their agency's file and ours.
            (self.other_clerk, self.department_file),
            (self.other_clerk, self.case_file),
            # The clerk, with the secret copy they cannot read.
            (self.clerk, self.case_file),
        ]
        for user, case_file in attempts:
            copy = self.secret_copy if user == self.clerk else self.copy
            self.assertRefused(
                user,
                LINE,
                "create",
                [{**vals, "copy_id": copy.id, "file_id": case_file.id}],
                contexts=[None, {"vbdt_unlock": True, "active_test": False}],
                unchanged=self._copy_lines,
            )
        for user, copy in (
            (self.outsider, self.copy),
            (self.other_clerk, self.copy),
            (self.clerk, self.secret_copy),
            (self.specialist, self.copy),
        ):
            self.assertRefused(
                user,
                COPY,
                "action_records_file_copy",
                [copy.ids],
                unchanged=self._copy_lines,
            )
        self.assertFalse(self._copy_lines())

    def test_rpc_the_filed_copy_is_read_only_by_readers_of_its_original(self):
        line = self._file_copy(self.clerk, self.copy)
        secret_line = self._file_copy(self.officer, self.secret_copy)
        fields = ["copy_id", "display_name", "file_id"]
        # Readers: the clerk and the unit's specialist read the copy's item.
        for user in (self.clerk, self.specialist):
            rows = self.call_kw(
                user,
                LINE,
                "search_read",
                [[("file_id", "=", self.case_file.id)]],
                {"fields": fields},
            )
            self.assertIn(line.id, [row["id"] for row in rows])
            self.assertNotIn(secret_line.id, [row["id"] for row in rows])
        # Non-readers: neither found nor read by id, whatever the context.
        for user, hidden in (
            (self.outsider, line),
            (self.other_clerk, line),
            (self.clerk, secret_line),
        ):
            rows = self.call_kw(
                user,
                LINE,
                "search_read",
                [[("copy_id", "!=", False)]],
                {"fields": ["id"]},
                {"active_test": False},
            )
            self.assertNotIn(hidden.id, [row["id"] for row in rows])
            self.assertRefused(
                user,
                LINE,
                "read",
                [hidden.ids, fields],
                contexts=[None, {"vbdt_unlock": True}],
                unchanged=self._copy_lines,
            )
            # Nor moved away nor removed.
            for method, args in (
                ("write", [hidden.ids, {"file_id": self.outsider_file.id}]),
                ("unlink", [hidden.ids]),
            ):
                self.assertRefused(user, LINE, method, args, unchanged=self._copy_lines)
        self.assertEqual(
            self._copy_lines(),
            [
                (line.id, self.case_file.id, self.copy.id),
                (secret_line.id, self.case_file.id, self.secret_copy.id),
            ],
        )
