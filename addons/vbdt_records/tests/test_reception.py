"""Receiving a submission package: checked safely, every file's SHA-256
against METS, imported all or nothing as closed, read-only received files;
only a records officer of the agency receives, tested over JSON-RPC."""

import base64
import io
import zipfile
from datetime import UTC, datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from ..archives import csip
from .common import VbdtRecordsCommon

SECRET_SUMMARY = "Phương án bảo vệ mục tiêu trọng yếu"


def build_package(files):
    """A SIP of ``files`` [(code, retention, [(notation, summary, access)])]."""
    record_files = []
    for code, retention, documents in files:
        record_documents = [
            csip.RecordDocument(
                ordinal,
                notation,
                [
                    ("ordinal", str(ordinal)),
                    ("numberAndNotation", notation),
                    ("date", "2026-03-02"),
                    ("summary", summary),
                    ("pageCount", "3"),
                    ("accessMode", access),
                ],
                [
                    csip.Source(
                        "van-ban.pdf",
                        "application/pdf",
                        lambda ordinal=ordinal: io.BytesIO(
                            b"%PDF-1.7 " + bytes([ordinal])
                        ),
                    )
                ],
                [csip.Event("creation", datetime(2026, 3, 2, tzinfo=UTC))],
            )
            for ordinal, (notation, summary, access) in enumerate(documents, 1)
        ]
        record_files.append(
            csip.RecordFile(
                code,
                f"Hồ sơ {code} của xã cũ",
                [
                    ("fileCode", code),
                    ("title", f"Hồ sơ {code} của xã cũ"),
                    ("year", "2026"),
                    ("retention", retention),
                ],
                record_documents,
            )
        )
    submission = csip.Submission(
        "UBND xã Cũ",
        "000.00.00.X01",
        "UBND tỉnh Thử nghiệm",
        "Nguyễn Thị Lưu",
        record_files,
        created=datetime(2026, 12, 2, 9, 0, tzinfo=UTC),
        package_id="uuid-xa-cu",
    )
    stream = io.BytesIO()
    csip.build_sip(submission, stream)
    return stream.getvalue()


def rewrite(data, change=None, extra=()):
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as old,
        zipfile.ZipFile(out, "w") as new,
    ):
        for info in old.infolist():
            content = old.read(info)
            new.writestr(info, change(info.filename, content) if change else content)
        for name, content, compression in extra:
            new.writestr(name, content, compress_type=compression)
    return out.getvalue()


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsReception(VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Reception = cls.env["vbdt.records.reception"]
        cls.other_officer = cls._records_user(
            "other_archivist", "officer", company=cls.department
        )
        cls.package = build_package(
            [
                (
                    "01.NT",
                    str(cls.ten_years.years),
                    [
                        ("12/UBND-VP", "Về việc sáp nhập xã", "open"),
                        ("13/UBND-VP", SECRET_SUMMARY, "restricted"),
                    ],
                ),
                (
                    "02.NT",
                    "permanent",
                    [("14/QĐ-UBND", "Quyết định thành lập", "open")],
                ),
            ]
        )

    def _reception(self, data, user=None):
        return self.Reception.with_user(user or self.officer).create(
            {
                "name": "Tiếp nhận hồ sơ xã Cũ",
                "company_id": self.province.id,
                "package": base64.b64encode(data),
                "package_name": "sip.zip",
            }
        )

    def _received_files(self):
        return self.File.search(
            [("company_id", "=", self.province.id), ("code", "in", ["01.NT", "02.NT"])]
        )

    def test_officer_receives_package_as_read_only_closed_files(self):
        reception = self._reception(self.package)
        reception.action_receive()
        self.assertEqual(reception.state, "done")
        self.assertEqual(reception.package_ref, "uuid-xa-cu")
        self.assertEqual(reception.source_agency_code, "000.00.00.X01")
        files = reception.file_ids.sorted("code")
        self.assertEqual(files.mapped("code"), ["01.NT", "02.NT"])
        self.assertEqual(set(files.mapped("state")), {"closed"})
        self.assertEqual(files[0].retention_id.years, self.ten_years.years)
        self.assertTrue(files[1].retention_id.permanent)
        self.assertEqual(files[0].title, "Hồ sơ 01.NT của xã cũ")
        names = files[0].line_ids.sorted("ordinal").mapped("name")
        self.assertEqual(names[0], "12/UBND-VP – Về việc sáp nhập xã")
        # A restricted document's description did not travel into the office.
        self.assertEqual(names[1], "Restricted document (received)")
        self.assertNotIn(SECRET_SUMMARY, " ".join(names))
        self.assertEqual(files[0].line_ids[0].page_count, 3)
        # Read-only: no change, no new item, no re-opening.
        with self.assertRaises(UserError):
            files[0].with_user(self.officer).title = "Đổi tên"
        with self.assertRaises(UserError):
            self.Line.with_user(self.officer).create(
                {"file_id": files[0].id, "kind": "note", "name": "Ghi chú"}
            )
        with self.assertRaises(UserError):
            files[0].with_user(self.records_admin).action_reopen("Thử mở lại")
        with self.assertRaises(UserError):
            reception.action_receive()

    def test_altered_package_is_refused_and_imports_nothing(self):
        altered = rewrite(
            self.package,
            lambda name, content: content.replace(b"%PDF-1.7", b"%PDF-1.6")
            if name.endswith(".pdf")
            else content,
        )
        reception = self._reception(altered)
        reception.action_receive()
        self.assertEqual(reception.state, "refused")
        self.assertIn("differs from its SHA-256", reception.problems)
        self.assertFalse(self._received_files())

    def test_zip_bomb_traversal_and_nested_archive_are_refused(self):
        cases = {
            "ZIP bomb": (
                "uuid-xa-cu/documentation/zeros.bin",
                b"\0" * (20 << 20),
                zipfile.ZIP_DEFLATED,
            ),
            "leaves the package": ("../../etc/cron.d/evil", b"x", zipfile.ZIP_STORED),
            "another archive": (
                "uuid-xa-cu/documentation/inner.zip",
                b"PK\x03\x04",
                zipfile.ZIP_STORED,
            ),
        }
        for message, entry in cases.items():
            with self.subTest(message):
                reception = self._reception(rewrite(self.package, extra=[entry]))
                reception.action_receive()
                self.assertEqual(reception.state, "refused")
                self.assertIn(message, reception.problems)
                self.assertFalse(self._received_files())
        reception = self._reception(b"not a zip at all")
        reception.action_receive()
        self.assertIn("not a ZIP file", reception.problems)
        # Refused in the user's language.
        self.env["res.lang"]._activate_lang("vi_VN")
        reception = self._reception(
            rewrite(self.package, extra=[cases["another archive"]])
        )
        reception.with_context(lang="vi_VN").action_receive()
        self.assertIn("Gói chứa một tệp nén khác", reception.problems)
        self.assertFalse(self._received_files())

    def test_all_or_nothing(self):
        # The second file's code is taken: the first is not left behind.
        existing = self._file(code="02.NT", title="Hồ sơ đã có")
        reception = self._reception(self.package)
        reception.action_receive()
        self.assertEqual(reception.state, "refused")
        self.assertIn("already used", reception.problems)
        self.assertEqual(self._received_files(), existing)
        self.assertFalse(self.Line.search([("name", "like", "sáp nhập xã")]))

    def test_only_records_officers_of_the_agency_receive(self):
        reception = self._reception(self.package)

        def snapshot():
            return (reception.sudo().state, len(self._received_files()))

        for user in (self.clerk, self.specialist, self.other_officer):
            self.assertRefused(
                user,
                "vbdt.records.reception",
                "action_receive",
                [reception.ids],
                unchanged=snapshot,
            )
        # Nobody writes the outcome directly, whatever the context says.
        self.assertRefused(
            self.officer,
            "vbdt.records.reception",
            "write",
            [reception.ids, {"state": "done", "problems": False}],
            contexts=[None, {"vbdt_unlock": True, "sudo": True}],
            unchanged=snapshot,
        )
        self.assertRefused(
            self.specialist,
            "vbdt.records.reception",
            "create",
            [{"name": "x", "package": base64.b64encode(self.package).decode()}],
            unchanged=lambda: self.Reception.sudo().search_count([]),
        )
        # The officer of the agency does receive, over the same API.
        self.call_kw(
            self.officer, "vbdt.records.reception", "action_receive", [reception.ids]
        )
        self.assertEqual(reception.state, "done")
        self.assertEqual(len(self._received_files()), 2)
        with self.assertRaises(AccessError):
            reception.with_user(self.other_officer).read(["name"])
