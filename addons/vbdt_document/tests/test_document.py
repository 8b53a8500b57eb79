import base64
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PDF, VbdtDocumentCommon


@tagged("vbdt")
class TestDocument(VbdtDocumentCommon):
    def test_issue_locks_document_and_sets_edxml_id(self):
        document = self._outgoing()
        document.action_issue()
        self.assertEqual(
            document.edxml_document_id,
            f"000.00.00.H99,{document.document_date:%Y/%m/%d},01/QĐ-UBND",
        )
        with self.assertRaises(UserError):
            document.subject = "Changed after issue"
        with self.assertRaises(UserError):
            document.action_issue()

    def test_signer_block_has_one_writer(self):
        """``_vbdt_write_signer_block`` writes the signature block (docs/HOOKS.md):
        the named signer keeps the drafted printed name, another signer prints
        their own, a name already printed in a signed PDF wins, and writing
        the same block again writes nothing."""
        document = self._outgoing(
            signer_id=self.leader.id, signer_name="Nguyễn Văn Chủ Tịch"
        )
        self.assertEqual(
            document._vbdt_signer_block_vals(self.leader),
            {"signer_id": self.leader.id, "signer_name": "Nguyễn Văn Chủ Tịch"},
        )
        self.assertEqual(
            document._vbdt_signer_block_vals(self.clerk)["signer_name"],
            self.clerk.name,
        )
        document._vbdt_write_signer_block(self.leader, printed_name="NGUYỄN VĂN A")
        self.assertEqual(
            (document.signer_id, document.signer_name), (self.leader, "NGUYỄN VĂN A")
        )
        writes = []
        write_lifecycle = type(document)._vbdt_write_lifecycle

        def spy(records, vals):
            writes.append(vals)
            return write_lifecycle(records, vals)

        with patch.object(type(document), "_vbdt_write_lifecycle", spy):
            document._vbdt_write_signer_block(self.leader)
        self.assertEqual(writes, [])
        self.assertEqual(document.signer_name, "NGUYỄN VĂN A")

    def test_issue_requires_clerk(self):
        document = self._outgoing().with_user(self.specialist)
        with self.assertRaisesRegex(UserError, "clerk"):
            document.action_issue()
        self.assertEqual(document.state, "draft")

    def test_incoming_code_is_parsed_into_number_and_notation(self):
        document = self._incoming(code="15/QĐ-UBND")
        self.assertEqual((document.number, document.notation), (15, "QĐ-UBND"))
        odd = self._incoming(code="74fass22/VPCP-TTĐT", document_date="2026-01-16")
        self.assertEqual((odd.number, odd.notation), (0, "VPCP-TTĐT"))

    def test_duplicate_is_linked_and_cannot_be_registered(self):
        original = self._incoming()
        original.action_register()
        again = self._incoming()
        self.assertEqual(again.duplicate_of_id, original)
        with self.assertRaisesRegex(UserError, "already in the system"):
            again.action_register()
        by_id = self._incoming(
            code="99/X-Y", edxml_document_id=original.edxml_document_id
        )
        self.assertEqual(by_id.duplicate_of_id, original)
        other_date = self._incoming(document_date="2026-10-01")
        self.assertFalse(other_date.duplicate_of_id)

    def test_duplicate_warning_in_form(self):
        original = self._incoming()
        form = Form(
            self.Document.with_company(self.province).with_context(
                default_direction="incoming"
            )
        )
        form.subject = "Again"
        form.sender_agency_id = self.sender
        form.document_date = "2026-09-30"
        form.code = "7816/VPCP-TTĐT"
        # Shown inline on the form (an alert above the sheet), not in a
        # dialog the clerk must click away.
        self.assertEqual(form.duplicate_of_id, original)

    def test_register_requires_metadata_and_return_needs_reason(self):
        document = self._incoming(code=False)
        with self.assertRaisesRegex(UserError, "Fill in"):
            document.action_register()
        wizard = self.env["vbdt.document.return"].create(
            {"document_ids": document.ids, "reason": "Thiếu chữ ký số của cơ quan"}
        )
        wizard.action_confirm()
        self.assertEqual(document.state, "returned")
        self.assertIn("Thiếu chữ ký số", document.message_ids[0].body)

    def test_secret_documents_use_secret_registers(self):
        secret = self.Document.with_user(self.clerk).create(
            {
                "direction": "outgoing",
                "subject": "Báo cáo mật",
                "confidentiality": "secret",
                "company_id": self.province.id,
            }
        )
        self.assertTrue(secret.register_id.confidential)
        self.assertEqual(secret.confidential_user_ids, self.clerk)
        normal_register = self.env["vbdt.register"]._default_for(
            self.province, "outgoing"
        )
        with self.assertRaises(ValidationError):
            secret.register_id = normal_register

    def test_register_direction_is_checked(self):
        incoming_register = self.env["vbdt.register"]._default_for(
            self.province, "incoming"
        )
        with self.assertRaises(ValidationError):
            self._outgoing(register_id=incoming_register.id)

    def test_files_record_sha256_and_refuse_bad_content(self):
        document = self._incoming()
        file = document._vbdt_add_file("vanban.pdf", PDF, role="main")
        self.assertEqual(len(file.checksum_sha256), 64)
        self.assertEqual(file.mimetype, "application/pdf")
        self.assertTrue(document.has_main_file)
        self.assertEqual(document.main_file_id, file)
        with self.assertRaisesRegex(ValidationError, "cannot be registered"):
            document._vbdt_add_file("virus.exe", b"MZ\x90\x00" + b"\x00" * 64)
        with self.assertRaisesRegex(ValidationError, "empty"):
            self.env["vbdt.document.file"].create(
                {
                    "document_id": document.id,
                    "name": "empty.pdf",
                    "datas": base64.b64encode(b""),
                }
            )
        self.env["ir.config_parameter"].set_param("vbdt_document.max_file_size_mb", "0")
        with self.assertRaisesRegex(ValidationError, "larger than"):
            document._vbdt_add_file("big.pdf", PDF)

    def test_accent_insensitive_search(self):
        document = self._outgoing(subject="Quyết định thành lập Đề án chuyển đổi số")
        for query in ("quyet dinh", "QUYẾT ĐỊNH", "de an chuyen doi"):
            found = self.Document.search([("display_name", "ilike", query)])
            self.assertIn(document, found, query)
        self.assertNotIn(
            document, self.Document.search([("display_name", "ilike", "ke hoach")])
        )

    def test_urgent_documents_rank_first_within_a_day(self):
        normal = self._incoming(code="1/A-B")
        urgent = self._incoming(code="2/A-B", urgency="flash")
        found = self.Document.search([("id", "in", (normal | urgent).ids)])
        self.assertEqual(found.ids, [urgent.id, normal.id])

    def test_audit_log_chain_detects_tampering(self):
        document = self._incoming()
        document.action_register()
        self._outgoing().action_issue()
        Log = self.env["vbdt.audit.log"]
        Log._vbdt_seal_in_transaction()
        self.assertFalse(Log._verify_chain())
        entry = Log.search(
            [("document_id", "=", document.id), ("event", "=", "register")]
        )
        self.assertEqual(len(entry), 1)
        self.assertTrue(entry.hash)
        with self.assertRaises(UserError):
            entry.write({"description": "forged"})
        # Only with the append-only trigger switched off (what the table's
        # owner could do in SQL) can a row change, and the chain shows it.
        self.env.cr.execute(
            "ALTER TABLE vbdt_audit_log DISABLE TRIGGER vbdt_audit_log_append_only"
        )
        self.env.cr.execute(
            "UPDATE vbdt_audit_log SET description = 'forged' WHERE id = %s", [entry.id]
        )
        self.env.cr.execute(
            "ALTER TABLE vbdt_audit_log ENABLE TRIGGER vbdt_audit_log_append_only"
        )
        entry.invalidate_recordset()
        self.assertEqual(Log._verify_chain(), entry)

    def test_cancel_and_unlink_rules(self):
        issued = self._outgoing()
        issued.action_issue()
        with self.assertRaises(UserError):
            issued.action_cancel()
        with self.assertRaises(UserError):
            issued.unlink()
        draft = self._outgoing()
        draft.action_cancel()
        draft.action_reset_draft()
        self.assertEqual(draft.state, "draft")
