"""Hand-over to the archive: the E-ARK SIP is built and validated, unpacked
and re-checked file by file (SHA-256, bytes, signatures), and the hand-over
is an audited, irreversible state reached only through its actions."""

import base64
import hashlib
import os
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import PDF
from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from ..archives import csip, validate
from .common import VbdtRecordsCommon

METS = {"mets": csip.METS_NS, "xlink": csip.XLINK_NS}


def signed_pdf():
    """A PAdES-signed PDF and its trust anchor when vbdt_signature's plain
    core is importable (it ships with the suite); else None."""
    try:
        from odoo.addons.vbdt_signature.demo import documents as demo
        from odoo.addons.vbdt_signature.demo import testpki
        from odoo.addons.vbdt_signature.pades.backends import Pkcs12Backend
        from odoo.addons.vbdt_signature.pades.signer import (
            AttachmentAppearance,
            sign_pdf,
        )
    except ImportError:
        return None, None
    pki = testpki.build_test_pki()
    backend = Pkcs12Backend(pki.organisation.pkcs12(), testpki.PKCS12_PASSWORD)
    pdf = sign_pdf(
        demo.demo_document_pdf(), backend, AttachmentAppearance("15/QĐ-UBND")
    )
    return pdf, pki.root.certificate_pem


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsHandover(VbdtRecordsCommon, JsonRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signed, cls.anchor = signed_pdf()
        cls.document = cls._registered(
            code="40/VPCP-TTĐT", subject="Về việc kết nối liên thông văn bản"
        )
        cls.document._vbdt_add_file("van-ban.pdf", cls.signed or PDF, "main")
        cls.document._vbdt_add_file("phu-luc.pdf", PDF, "attachment")
        cls.case_file = cls._file([cls.document])
        cls.Line.create(
            {
                "file_id": cls.case_file.id,
                "kind": "scan",
                "name": "Bản quét biên bản họp",
                "attachment": base64.b64encode(b"%PDF-1.4 scan"),
                "attachment_name": "bien-ban.pdf",
            }
        )
        cls.case_file.with_user(cls.officer).action_close()
        cls.handover = cls.env["vbdt.records.handover"].create(
            {
                "name": "Giao nộp hồ sơ năm 2026",
                "company_id": cls.province.id,
                "file_ids": [(6, 0, cls.case_file.ids)],
            }
        )

    def _refused_with(self, user, record, method, message):
        """Refused over JSON-RPC (which only names the exception class), and
        for the stated reason (read in-process, rolled back)."""
        self.assertRefused(user, record._name, method, [record.ids])
        with self.assertRaises(UserError) as caught:
            getattr(record.with_user(user), method)()
        self.assertIn(message, str(caught.exception))

    def _package_path(self, handover):
        attachment = handover.package_attachment_id.sudo()
        return attachment._full_path(attachment.store_fname)

    def test_package_validates_and_every_file_checks_out_after_unpacking(self):
        self.call_kw(
            self.officer,
            self.handover._name,
            "action_build_package",
            [self.handover.ids],
        )
        self._vbdt_sync()
        handover = self.handover
        self.assertEqual(handover.state, "built")
        self.assertEqual((handover.file_count, handover.document_count), (1, 2))
        path = self._package_path(handover)
        self.assertEqual(validate.validate_package(path), [])
        self.assertEqual(
            hashlib.sha256(Path(path).read_bytes()).hexdigest(), handover.package_sha256
        )
        with tempfile.TemporaryDirectory() as folder:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(folder)
            root = Path(folder) / handover.package_id
            mets = etree.parse(str(root / "METS.xml"))
            checked = 0
            for element in mets.iterfind(".//mets:file", METS):
                href = element.find("mets:FLocat", METS).get(f"{{{csip.XLINK_NS}}}href")
                raw = (root / href).read_bytes()
                self.assertEqual(
                    hashlib.sha256(raw).hexdigest(), element.get("CHECKSUM")
                )
                self.assertEqual(len(raw), int(element.get("SIZE")))
                checked += 1
            self.assertEqual(checked, 3 + 1 + len(csip.SCHEMA_FILES))
            data = root / "representations/rep1/data/01.TH"
            main = data / "001-1-van-ban.pdf"
            # Byte for byte: the signed PDF is never converted.
            self.assertEqual(main.read_bytes(), self.signed or PDF)
            self.assertEqual(
                (data / "002-1-bien-ban.pdf").read_bytes(), b"%PDF-1.4 scan"
            )
            if self.signed:
                self.assertEqual(handover.signed_pdf_count, 1)
                from odoo.addons.vbdt_signature.pades.verify import verify_pdf

                report = verify_pdf(main.read_bytes(), [self.anchor])
                self.assertTrue(report.signatures)
                self.assertTrue(
                    all(s.valid for s in report.signatures), report.to_dict()
                )
            descriptive = (root / csip.DESCRIPTIVE_ENTRY).read_text()
            for field in (
                "fileCode",
                "retention",
                "accessMode",
                "startDate",
                "pageCount",
            ):
                self.assertIn(f"<{field}>", descriptive)
            premis = (root / csip.PRESERVATION_ENTRY).read_text()
            for event in ("creation", "registration", "transfer"):
                self.assertIn(f"<premis:eventType>{event}</premis:eventType>", premis)

    def test_a_tampered_package_fails_validation_and_cannot_be_handed_over(self):
        self.handover.with_user(self.officer).action_build_package()
        path = self._package_path(self.handover)
        with tempfile.TemporaryDirectory() as folder:
            copy = os.path.join(folder, "copy.zip")
            with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
                for info in source.infolist():
                    raw = source.read(info)
                    if info.filename.endswith("001-1-van-ban.pdf"):
                        raw = raw.replace(b"%PDF", b"%PDX", 1)
                    target.writestr(info, raw)
            problems = validate.validate_package(copy)
        self.assertTrue(any("SHA-256 mismatch" in problem for problem in problems))
        with open(path, "ab") as stream:
            stream.write(b"tampered")
        self._refused_with(
            self.officer,
            self.handover,
            "action_hand_over",
            "changed since it was built",
        )
        self._vbdt_sync()
        self.assertEqual(self.case_file.state, "closed")
        self.assertEqual(self.handover.state, "built")

    def test_hand_over_is_audited_and_irreversible(self):
        self.handover.with_user(self.officer).action_build_package()
        self.call_kw(
            self.officer, self.handover._name, "action_hand_over", [self.handover.ids]
        )
        self._vbdt_sync()
        self.assertEqual(self.case_file.state, "handed_over")
        self.assertEqual(self.handover.state, "done")
        entries = self.env["vbdt.audit.log"].search(
            [("event", "=", "records_handover"), ("document_id", "=", self.document.id)]
        )
        self.assertEqual(len(entries), 1)
        self.assertIn(self.handover.package_id, entries.description)
        # Nothing takes it back: not re-opening, not writing the state, not
        # editing the hand-over, not deleting it.
        self.assertRefused(
            self.records_admin,
            "vbdt.records.file",
            "action_reopen",
            [self.case_file.ids, "Sửa"],
        )
        self.assertRefused(
            self.records_admin,
            "vbdt.records.file",
            "write",
            [self.case_file.ids, {"state": "closed"}],
        )
        self.assertRefused(
            self.officer,
            self.handover._name,
            "write",
            [self.handover.ids, {"name": "X"}],
        )
        self.assertRefused(
            self.officer, self.handover._name, "unlink", [self.handover.ids]
        )
        self.assertRefused(
            self.officer,
            "vbdt.records.file.line",
            "unlink",
            [self.case_file.line_ids.ids],
        )
        self._vbdt_sync()
        self.assertEqual(self.case_file.state, "handed_over")
        self.assertEqual(len(self.case_file.sudo()._all_lines()), 2)
        self.assertEqual(self.handover.state, "done")

    def test_refusals_leave_nothing_built(self):
        # A clerk without the records officer role, and a specialist.
        for user in (self.clerk, self.specialist):
            self.assertRefused(
                user, self.handover._name, "action_build_package", [self.handover.ids]
            )
        # Nobody writes the package fields directly.
        self.assertRefused(
            self.officer,
            self.handover._name,
            "write",
            [self.handover.ids, {"state": "done", "package_id": "x"}],
        )
        # A secret document whose named reader is someone else blocks the build.
        secret = self._registered(
            code="41/VPCP-TTĐT",
            confidentiality="secret",
            confidential_user_ids=[(6, 0, self.records_admin.ids)],
        )
        other = self._file([secret], code="02.TH")
        other.with_user(self.records_admin).action_close()
        self.handover.file_ids = [(4, other.id)]
        self._refused_with(
            self.officer, self.handover, "action_build_package", "named reader"
        )
        # An open file is refused too.
        self.handover.file_ids = [(6, 0, self._file(code="03.TH").ids)]
        self._refused_with(
            self.officer,
            self.handover,
            "action_build_package",
            "Only closed case files",
        )
        self._vbdt_sync()
        self.assertEqual(self.handover.state, "draft")
        self.assertFalse(self.handover.package_attachment_id)
