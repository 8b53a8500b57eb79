import base64

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import PDF, VbdtExchangeCommon


@tagged("post_install", "-at_install")
class TestRevision(VbdtExchangeCommon):
    """The sender revokes (BussinessDocType 1), updates (2) or replaces (3)
    a document it issued and sent; the recipient's clerk answers 15 or 16,
    which the sender's delivery lines show."""

    def setUp(self):
        super().setUp()
        self.sent = self._issued(self.district.vbdt_agency_id)
        self._run()
        self.incoming = self._received(self.sent)
        self.delivery = self.sent.delivery_ids

    def _received(self, document):
        return self.Document.search(
            [
                ("company_id", "=", self.district.id),
                ("direction", "=", "incoming"),
                ("edxml_document_id", "=", document.edxml_document_id),
            ]
        )

    def _wizard(self, kind, reason, document=None, **vals):
        action = (
            (document or self.sent)
            .with_user(self.clerk)
            .with_context(vbdt_revision_kind=kind)
            .action_vbdt_revision_wizard()
        )
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.clerk)
            .with_context(**action["context"])
        )
        self.assertEqual(wizard.kind, kind)
        self.assertEqual(wizard.recipient_count, 1)
        wizard.reason = reason
        for name, value in vals.items():
            setattr(wizard, name, value)
        return wizard.save()

    def _outbox(self, document, kind):
        return self.Record.search(
            [
                ("company_id", "=", self.province.id),
                ("direction", "=", "out"),
                ("document_id", "=", document.id),
                ("bussiness_doc_type", "=", kind),
            ]
        )

    def _answer(self, document, agree, reason=""):
        request = document._vbdt_pending_exchange_requests()
        self.assertEqual(len(request), 1)
        document.with_user(self.district_clerk)._vbdt_answer_exchange_request(
            request, agree, reason
        )
        self._run()
        return request

    def test_revoke_agreed(self):
        wizard = self._wizard("revoke", " ")
        with self.assertRaisesRegex(UserError, "why"):
            wizard.action_confirm()
        wizard.reason = "Ban hành sai thẩm quyền"
        wizard.action_confirm()
        record = self._outbox(self.sent, "1")
        self.assertEqual((record.message_type, record.state), ("edoc", "out_queued"))
        self.assertEqual(record.recipient_agency_ids, self.district.vbdt_agency_id)
        self.assertEqual(record.transport, "local")
        package = edxml.parse(record._vbdt_raw())
        bussiness = package.trace_header_list.bussiness
        self.assertEqual(bussiness.bussiness_doc_type, edxml.BussinessDocType.REVOKE)
        self.assertEqual(bussiness.bussiness_doc_reason, "Ban hành sai thẩm quyền")
        self.assertEqual(bussiness.document_id, self.sent.edxml_document_id)
        self.assertEqual(package.document_id, self.sent.edxml_document_id)
        self.assertEqual(
            (self.delivery.status_code, self.delivery.record_id), ("revoke", record)
        )
        self.assertTrue(self.sent.exchange_revoked)
        self.assertEqual(self.sent.state, "issued")
        log = self.env["vbdt.audit.log"].search([("document_id", "=", self.sent.id)])
        self.assertIn("revoke", log.mapped("event"))
        self.env["vbdt.audit.log"]._vbdt_seal_in_transaction()
        self.assertFalse(self.env["vbdt.audit.log"]._verify_chain())
        # Through the normal outbox; the district reviews and agrees.
        self._run()
        self.assertEqual(record.state, "out_sent")
        self.assertTrue(self.incoming.exchange_review)
        request = self._answer(self.incoming, True)
        self.assertEqual(request.request_kind, "revoke")
        self.assertEqual(self.incoming.state, "cancelled")
        self.assertEqual(self.delivery.status_code, "15")
        # A revoked document is not revoked, updated or replaced again.
        with self.assertRaisesRegex(UserError, "not revoked"):
            self.sent.with_user(self.clerk)._vbdt_revoke("Lần nữa")

    def test_update_refused(self):
        attachment = self.env["ir.attachment"].create(
            {"name": "phu-luc-sua.pdf", "datas": base64.b64encode(PDF + b"v2")}
        )
        wizard = self._wizard("update", "Bổ sung phụ lục", attachment_ids=attachment)
        wizard.action_confirm()
        record = self._outbox(self.sent, "2")
        package = edxml.parse(record._vbdt_raw())
        bussiness = package.trace_header_list.bussiness
        self.assertEqual(bussiness.bussiness_doc_type, edxml.BussinessDocType.UPDATE)
        self.assertEqual(bussiness.bussiness_document_info.document_info, 1)
        # Only the corrected file travels; it is kept on the document too.
        self.assertEqual(
            [a.description for a in package.attachments], ["phu-luc-sua.pdf"]
        )
        self.assertIn("phu-luc-sua.pdf", self.sent.file_ids.mapped("name"))
        self.assertEqual(self.delivery.status_code, "update")
        self.assertFalse(self.sent.exchange_revoked)
        self._run()
        self._answer(self.incoming, False, "Văn bản đã được xử lý xong")
        self.assertEqual(self.incoming.state, "received")
        self.assertEqual(
            (self.delivery.status_code, self.delivery.description),
            ("16", "Văn bản đã được xử lý xong"),
        )
        self.assertTrue(self.sent.exchange_review)

    def test_update_needs_files(self):
        with self.assertRaisesRegex(UserError, "files"):
            self.sent.with_user(self.clerk)._vbdt_send_update(
                "Sửa", self.env["ir.attachment"]
            )

    def test_replace_with_issued_document(self):
        replacement = self._issued(self.env["vbdt.agency"])
        self.assertFalse(replacement.exchange_record_ids)
        self._wizard(
            "replace", "Thay thế do sai sót nội dung", replacement_id=replacement
        ).action_confirm()
        self.assertEqual(replacement.replaced_document_id, self.sent)
        self.assertEqual(self.sent.replaced_by_ids, replacement)
        self.assertEqual(replacement.recipient_agency_ids, self.district.vbdt_agency_id)
        record = self._outbox(replacement, "3")
        self.assertEqual(record.state, "out_generate")  # built when it first leaves
        self.assertEqual(self.delivery.status_code, "replace")
        self.assertEqual(replacement.delivery_ids.status_code, "queued")
        self._run()
        package = edxml.parse(record._vbdt_raw())
        bussiness = package.trace_header_list.bussiness
        self.assertEqual(bussiness.bussiness_doc_type, edxml.BussinessDocType.REPLACE)
        self.assertEqual(bussiness.bussiness_doc_reason, "Thay thế do sai sót nội dung")
        self.assertEqual(
            bussiness.replacement_info_list,
            [
                edxml.ReplacementInfo(
                    document_id=self.sent.edxml_document_id, organ_ids=["000.00.24.H99"]
                )
            ],
        )
        self.assertEqual(package.document_id, replacement.edxml_document_id)
        new_incoming = self._received(replacement)
        self.assertEqual(new_incoming.state, "received")
        self.assertEqual(replacement.delivery_ids.status_code, "01")
        request = self._answer(self.incoming, True)
        self.assertEqual(
            (request.request_kind, request.document_id), ("replace", new_incoming)
        )
        self.assertEqual(
            (self.incoming.state, new_incoming.state), ("cancelled", "received")
        )
        self.assertEqual(self.delivery.status_code, "15")

    def test_replace_with_draft_sent_at_issue(self):
        draft = self._outgoing(signer_name="Nguyễn Văn A", signer_position="Chủ tịch")
        draft._vbdt_add_file("thay-the.pdf", PDF, "main")
        self.sent.with_user(self.clerk)._vbdt_replace_with(draft, "Thay thế")
        self.assertFalse(self._outbox(draft, "3"))
        self.assertEqual(self.delivery.status_code, "01")
        issuable = draft._vbdt_issuable_states()
        if "draft" not in issuable:
            draft.sudo()._vbdt_write_lifecycle({"state": sorted(issuable)[0]})
        draft.with_user(self.clerk).action_issue()
        self.assertEqual(len(self._outbox(draft, "3")), 1)
        self.assertEqual(self.delivery.status_code, "replace")
        self._run()
        self.assertTrue(self.incoming.exchange_review)
        self.assertEqual(len(self._received(draft)), 1)

    def test_replacement_already_received_is_not_created_twice(self):
        replacement = self._issued(self.district.vbdt_agency_id)
        self._run()
        new_incoming = self._received(replacement)
        self.assertEqual(len(new_incoming), 1)
        self.sent.with_user(self.clerk)._vbdt_replace_with(replacement, "Thay thế")
        self._run()
        self.assertEqual(self._received(replacement), new_incoming)
        inbox = self.Record.search([("review_document_id", "=", self.incoming.id)])
        self.assertEqual(
            (inbox.request_kind, inbox.document_id), ("replace", new_incoming)
        )

    def test_only_clerks_revise_issued_documents_that_left(self):
        with self.assertRaises(UserError):
            self.sent.with_user(self.specialist).action_vbdt_revision_wizard()
        with self.assertRaises(UserError):
            self.sent.with_user(self.specialist)._vbdt_revoke("x")
        draft = self._outgoing()
        with self.assertRaisesRegex(UserError, "issued"):
            draft.with_user(self.clerk)._vbdt_revoke("x")
        paper_only = self._issued(self.env["vbdt.agency"])
        with self.assertRaisesRegex(UserError, "electronically"):
            paper_only.with_user(self.clerk)._vbdt_revoke("x")
        with self.assertRaisesRegex(UserError, "replacement"):
            self.sent.with_user(self.clerk)._vbdt_replace_with(self.sent, "x")
        self.assertFalse(self.sent.exchange_revoked)
