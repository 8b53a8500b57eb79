from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.vbdt_interconnect import edxml

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install")
class TestTakeBack(VbdtExchangeCommon):
    """The sender asks to take a document back (13); the receiving clerk
    agrees (15: document cancelled, kept) or refuses (16, with a reason)."""

    def setUp(self):
        super().setUp()
        self.sent = self._issued(self.district.vbdt_agency_id)
        self._run()
        self.incoming = self.Document.search(
            [("company_id", "=", self.district.id), ("direction", "=", "incoming")]
        )
        self.assertEqual(len(self.incoming), 1)
        self.delivery = self.sent.delivery_ids

    def _ask(self, reason="Ban hành nhầm"):
        wizard = Form(
            self.env["vbdt.document.take.back"]
            .with_user(self.clerk)
            .with_context(default_document_id=self.sent.id)
        )
        wizard.reason = reason
        wizard.save().action_confirm()
        request = self.Record.search(
            [
                ("company_id", "=", self.province.id),
                ("direction", "=", "out"),
                ("status_code", "=", "13"),
            ]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(self.delivery.status_code, "13")
        self._run()
        return request

    def _answer(self, answer, reason=""):
        action = self.incoming.with_user(
            self.district_clerk
        ).action_vbdt_exchange_answer()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.district_clerk)
            .with_context(**action["context"])
        )
        wizard.answer = answer
        if reason:
            wizard.reason = reason
        return wizard.save()

    def _answer_status(self, code):
        return self.Record.search(
            [
                ("company_id", "=", self.district.id),
                ("direction", "=", "out"),
                ("message_type", "=", "status"),
                ("status_code", "=", code),
            ]
        )

    def test_take_back_agreed(self):
        request = self._ask()
        self.assertIn(request.state, ("out_sent", "out_acknowledged"))
        self.assertTrue(self.incoming.exchange_review)
        inbox = self.Record.search([("review_document_id", "=", self.incoming.id)])
        self.assertEqual(
            (inbox.request_kind, inbox.status_description),
            ("take_back", "Ban hành nhầm"),
        )
        wizard = self._answer("agree")
        self.assertEqual(wizard.request_kind, "take_back")
        self.assertEqual(wizard.request_reason, "Ban hành nhầm")
        wizard.action_confirm()
        # Cancelled here, never deleted; reason in the chatter and the audit log.
        self.assertEqual(self.incoming.state, "cancelled")
        self.assertFalse(self.incoming.exchange_review)
        self.assertFalse(self.incoming.activity_ids)
        self.assertTrue(inbox.handled)
        bodies = " ".join(self.incoming.message_ids.mapped("body"))
        self.assertIn("Ban hành nhầm", bodies)
        log = self.env["vbdt.audit.log"].search(
            [("document_id", "=", self.incoming.id)]
        )
        self.assertEqual(log.mapped("event"), ["exchange_agree", "transition"])
        self.env["vbdt.audit.log"]._vbdt_seal_in_transaction()
        self.assertFalse(self.env["vbdt.audit.log"]._verify_chain())
        status = self._answer_status("15")
        self.assertEqual(status.state, "out_queued")
        self.assertEqual(status.parent_id, inbox)
        self.assertEqual(status.edxml_document_id, self.sent.edxml_document_id)
        package = edxml.parse(status._vbdt_raw())
        self.assertEqual(package.status_code, edxml.StatusCode.TAKE_BACK_AGREED)
        self.assertEqual(package.response_for.document_id, self.sent.edxml_document_id)
        # Through the normal outbox to the sender's delivery tracking.
        self._run()
        self.assertEqual(status.state, "out_sent")
        self.assertEqual(self.delivery.status_code, "15")
        with self.assertRaises(UserError):
            self.incoming.with_user(self.district_clerk).action_vbdt_exchange_answer()

    def test_take_back_refused_needs_reason(self):
        self.incoming.register_id = self.incoming._vbdt_default_register()
        self.incoming.with_user(self.district_clerk).action_register()
        self._ask()
        wizard = self._answer("refuse", "x")
        wizard.reason = " "
        with self.assertRaisesRegex(UserError, "refuse"):
            wizard.action_confirm()
        wizard.reason = "Văn bản đã được xử lý"
        wizard.action_confirm()
        self.assertEqual(self.incoming.state, "registered")
        self.assertFalse(self.incoming.exchange_review)
        status = self._answer_status("16")
        self.assertEqual(status.status_description, "Văn bản đã được xử lý")
        self.assertEqual(
            edxml.parse(status._vbdt_raw()).description, "Văn bản đã được xử lý"
        )
        log = self.env["vbdt.audit.log"].search(
            [("document_id", "=", self.incoming.id)]
        )
        self.assertEqual(
            log.mapped("event"), ["exchange_refuse", "register", "transition"]
        )
        self.assertIn(
            "Văn bản đã được xử lý", " ".join(self.incoming.message_ids.mapped("body"))
        )
        self._run()
        self.assertEqual(self.delivery.status_code, "16")
        self.assertEqual(self.delivery.description, "Văn bản đã được xử lý")
        self.assertTrue(self.sent.exchange_review)

    def test_only_clerks_answer_and_take_back(self):
        self._ask()
        with self.assertRaises(UserError):
            self.incoming.with_user(self.specialist).action_vbdt_exchange_answer()
        with self.assertRaises(UserError):
            self.sent.with_user(self.specialist).action_vbdt_take_back_wizard()
        draft = self._outgoing()
        with self.assertRaises(UserError):
            draft.with_user(self.clerk)._vbdt_take_back("x")

    def _revision(self, kind, number="12", document_id=None):
        return self._package(
            number=number,
            trace_header_list=edxml.TraceHeaderList(
                bussiness=edxml.Bussiness(
                    bussiness_doc_type=kind,
                    bussiness_doc_reason="Sửa sai sót",
                    document_id=document_id or self.external_document.edxml_document_id,
                )
            ),
        )

    def _receive(self, package, remote_id):
        record = self.Engine._vbdt_receive(
            self.district,
            edxml.build_document(package),
            "local",
            sender_code="000.00.00.G97",
            remote_id=remote_id,
        )
        record._vbdt_process_inbox()
        return record

    def _external(self):
        record = self._receive(self._package(), "x1")
        self.external_document = record.document_id
        return self.external_document

    def test_update_agreed_adds_files(self):
        document = self._external()
        package = self._revision(edxml.BussinessDocType.UPDATE)
        package.attachments[0].attachment_name = "tb-sua.pdf"
        package.attachments[0].description = "tb-sua.pdf"
        record = self._receive(package, "x2")
        self.assertEqual(record.request_kind, "update")
        self.assertEqual(record.review_document_id, document)
        action = document.with_user(self.district_clerk).action_vbdt_exchange_answer()
        self.assertEqual(action["context"]["default_request_id"], record.id)
        document.with_user(self.district_clerk)._vbdt_answer_exchange_request(
            record, True
        )
        self.assertEqual(document.state, "received")
        self.assertEqual(
            sorted(document.file_ids.mapped("name")), ["tb-sua.pdf", "tb.pdf"]
        )
        self.assertEqual(record.child_ids.mapped("status_code"), ["15"])

    def test_replacement_agreed_and_refused(self):
        document = self._external()
        record = self._receive(
            self._revision(edxml.BussinessDocType.REPLACE, number="13"), "x3"
        )
        replacement = record.document_id
        self.assertNotEqual(replacement, document)
        self.assertEqual(record.request_kind, "replace")
        clerk_document = document.with_user(self.district_clerk)
        with self.assertRaisesRegex(UserError, "refuse"):
            clerk_document._vbdt_answer_exchange_request(record, False, "")
        clerk_document._vbdt_answer_exchange_request(
            record, False, "Đã xử lý văn bản gốc"
        )
        self.assertEqual((document.state, replacement.state), ("received", "cancelled"))
        self.assertIn("16", record.child_ids.mapped("status_code"))
        # A second replacement, agreed: the original is cancelled, the new one stays.
        again = self._receive(
            self._revision(edxml.BussinessDocType.REPLACE, number="14"), "x4"
        )
        clerk_document._vbdt_answer_exchange_request(again, True)
        self.assertEqual(
            (document.state, again.document_id.state), ("cancelled", "received")
        )
        self.assertIn(
            again.document_id.display_name,
            " ".join(document.message_ids.mapped("body")),
        )
        with self.assertRaises(UserError):
            clerk_document._vbdt_answer_exchange_request(again, True)

    def test_revocation_agreed(self):
        document = self._external()
        record = self._receive(self._revision(edxml.BussinessDocType.REVOKE), "x5")
        self.assertEqual(record.request_kind, "revoke")
        document.with_user(self.district_clerk)._vbdt_answer_exchange_request(
            record, True, "OK"
        )
        self.assertEqual(document.state, "cancelled")
        status = record.child_ids
        self.assertEqual(
            (status.status_code, status.counterpart_code), ("15", "000.00.00.G97")
        )
        self.assertEqual(
            edxml.parse(status._vbdt_raw()).response_for.document_id,
            document.edxml_document_id,
        )
