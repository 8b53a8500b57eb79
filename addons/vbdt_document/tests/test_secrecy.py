"""Secret (Mật) documents attacked through the web client's JSON-RPC API:
each test is a leak reported on the demo, tried again by a user who is not a
reader, and asserts the refusal and that nothing changed."""

import json

from odoo import Command
from odoo.tests import tagged

from .common import VbdtDocumentCommon
from .rpc import JsonRpcCase

MARKER = "Kế hoạch diễn tập MẬT-7Q"


class SecrecyCommon(JsonRpcCase, VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The leader drafts a secret document and names the specialist.
        cls.secret = cls._outgoing(
            confidentiality="secret",
            subject=MARKER,
            drafter_id=cls.leader.id,
            confidential_user_ids=[Command.set(cls.specialist.ids)],
        )
        cls.secret.flush_recordset()

    def _label(self):
        return self.env["vbdt.document"]._vbdt_secret_label()

    def assertNoMarker(self, payload, what):
        self.assertNotIn(
            MARKER, json.dumps(payload, ensure_ascii=False, default=str), what
        )


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretNames(SecrecyCommon):
    def test_audit_log_shows_neutral_label_to_clerk(self):
        """The clerk reads the agency's audit log: the secret document's entries
        name it "Văn bản mật", never its summary."""
        entries = self.call_kw(
            self.clerk,
            "vbdt.audit.log",
            "search_read",
            [[("document_id", "=", self.secret.id)]],
            {"fields": ["document_id", "description", "event"]},
        )
        self.assertTrue(entries, "creating a secret document logs its named readers")
        self.assertNoMarker(entries, "audit log leaks the secret summary")
        self.assertEqual(entries[0]["document_id"][1], self._label())
        grouped = self.call_kw(
            self.clerk,
            "vbdt.audit.log",
            "read_group",
            [[], ["document_id"], ["document_id"]],
        )
        self.assertNoMarker(grouped, "grouping the audit log leaks the secret summary")

    def test_secret_document_not_found_by_name(self):
        for user in (self.clerk, self.head, self.colleague, self.other_clerk):
            found = self.call_kw(user, "vbdt.document", "name_search", [MARKER[:10]])
            self.assertNoMarker(found, f"name_search leaks to {user.login}")
            self.assertNotIn(self.secret.id, [row[0] for row in found])
        found = self.call_kw(
            self.specialist, "vbdt.document", "name_search", [MARKER[:10]]
        )
        self.assertIn(self.secret.id, [row[0] for row in found])

    def test_export_and_read_refused(self):
        for method, args in (
            ("read", [[self.secret.id], ["subject"]]),
            ("export_data", [[self.secret.id], ["subject"]]),
        ):
            self.assertRefused(self.clerk, "vbdt.document", method, args)
            self.assertRefused(
                self.clerk,
                "vbdt.document",
                method,
                args,
                context={"vbdt_unlock": True, "active_test": False},
            )

    def test_activity_res_name_neutral_for_non_reader(self):
        """An activity scheduled for a clerk who is not a reader shows the
        neutral label in their activity list, not the summary."""
        self.secret.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.clerk.id, summary="Kiểm tra"
        )
        activities = self.call_kw(
            self.clerk,
            "mail.activity",
            "search_read",
            [[("user_id", "=", self.clerk.id)]],
            {"fields": ["res_name", "summary", "display_name"]},
        )
        self.assertTrue(activities)
        self.assertNoMarker(activities, "activity res_name leaks the secret summary")
        self.assertEqual(activities[0]["res_name"], self._label())


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretChatter(SecrecyCommon):
    def test_follower_not_reader_gets_no_notification(self):
        """The clerk follows the document (subscribed before it became secret,
        or by mistake): a message posted by a reader reaches the readers only,
        never by e-mail, and the message names the neutral label."""
        self.secret.sudo().message_subscribe(
            partner_ids=(self.clerk | self.specialist).partner_id.ids
        )
        self.specialist.notification_type = "email"
        self.call_kw(
            self.leader,
            "vbdt.document",
            "message_post",
            [[self.secret.id]],
            {
                "body": "Ý kiến về dự thảo",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )
        message = self.env["mail.message"].search(
            [("model", "=", "vbdt.document"), ("res_id", "=", self.secret.id)], limit=1
        )
        self.assertIn("Ý kiến", message.body)
        notified = message.notification_ids.res_partner_id
        self.assertNotIn(self.clerk.partner_id, notified)
        self.assertIn(self.specialist.partner_id, notified)
        self.assertEqual(
            set(message.notification_ids.mapped("notification_type")), {"inbox"}
        )
        self.assertNotIn(MARKER, message.record_name or "")
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)]),
            "no e-mail of a secret document",
        )
        # The clerk's inbox and message search stay empty of it.
        inbox = self.call_kw(
            self.clerk,
            "mail.message",
            "search_read",
            [[("model", "=", "vbdt.document"), ("res_id", "=", self.secret.id)]],
            {"fields": ["body", "record_name", "subject"]},
        )
        self.assertEqual(inbox, [])


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestNamedReaders(SecrecyCommon):
    def test_reclassifying_keeps_the_receiving_clerk(self):
        """A leader reclassifies an incoming document as secret: the clerk who
        received it and the leader keep it, other clerks lose it, and the
        change of readers is audited."""
        received = self.call_kw(
            self.clerk,
            "vbdt.document",
            "create",
            [
                {
                    "direction": "incoming",
                    "company_id": self.province.id,
                    "subject": MARKER,
                    "code": "12/BC-UBND",
                    "document_date": "2026-11-02",
                    "sender_agency_id": self.sender.id,
                }
            ],
        )
        secret_register = self.env["vbdt.register"]._default_for(
            self.province, "incoming", confidential=True
        )
        self.call_kw(
            self.leader,
            "vbdt.document",
            "write",
            [
                [received],
                {"confidentiality": "secret", "register_id": secret_register.id},
            ],
        )
        found = self.call_kw(
            self.clerk, "vbdt.document", "search", [[("id", "=", received)]]
        )
        self.assertEqual(found, [received], "the receiving clerk lost the document")
        document = self.env["vbdt.document"].browse(received)
        self.assertIn(self.leader, document.confidential_user_ids)
        self.assertIn(self.clerk, document.confidential_user_ids)
        other = self._user("clerk2", "clerk")
        self.assertEqual(
            self.call_kw(other, "vbdt.document", "search", [[("id", "=", received)]]),
            [],
        )
        self.assertTrue(
            self.env["vbdt.audit.log"].search(
                [("document_id", "=", received), ("event", "=", "readers")]
            )
        )

    def test_removing_a_reader_is_audited(self):
        before = self.env["vbdt.audit.log"].search_count(
            [("document_id", "=", self.secret.id)]
        )
        self.call_kw(
            self.leader,
            "vbdt.document",
            "write",
            [
                [self.secret.id],
                {"confidential_user_ids": [Command.unlink(self.specialist.id)]},
            ],
        )
        entries = self.env["vbdt.audit.log"].search(
            [("document_id", "=", self.secret.id), ("event", "=", "readers")],
            order="id desc",
        )
        self.assertEqual(
            self.env["vbdt.audit.log"].search_count(
                [("document_id", "=", self.secret.id)]
            ),
            before + 1,
        )
        self.assertIn(self.specialist.name, entries[0].description)
        self.assertEqual(entries[0].user_id, self.leader)
        # The removed reader has lost the document.
        self.assertRefused(
            self.specialist, "vbdt.document", "read", [[self.secret.id], ["subject"]]
        )

    def test_non_reader_cannot_name_themselves(self):
        """A clerk who is not a reader tries to add themselves as a named
        reader: refused, and the readers are unchanged."""
        before = self.secret.sudo().confidential_user_ids
        for context in (None, {"vbdt_unlock": True}):
            self.assertRefused(
                self.clerk,
                "vbdt.document",
                "write",
                [
                    [self.secret.id],
                    {"confidential_user_ids": [Command.link(self.clerk.id)]},
                ],
                context=context,
            )
        self.secret.invalidate_recordset()
        self.assertEqual(self.secret.sudo().confidential_user_ids, before)


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretFiles(SecrecyCommon):
    def test_download_refused_to_non_reader_and_audited_for_reader(self):
        file = self.env["vbdt.document.file"].create(
            {
                "document_id": self.secret.id,
                "name": "du-thao.pdf",
                "role": "main",
                "datas": self._pdf_b64(),
            }
        )
        urls = (
            f"/web/content/{file.attachment_id.id}",
            f"/web/content/vbdt.document.file/{file.id}/datas",
        )
        Log = self.env["vbdt.audit.log"]
        access = [("document_id", "=", self.secret.id), ("event", "=", "download")]
        for url in urls:
            for user in (self.clerk, self.head, self.colleague, self.other_clerk):
                status, body = self.fetch(user, url)
                self.assertNotEqual(status, 200, f"{user.login} downloaded {url}")
                self.assertNotIn(b"%PDF", body)
        self.assertEqual(Log.search_count(access), 0)
        status, body = self.fetch(self.specialist, urls[0])
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertEqual(
            Log.search_count(access), 1, "downloading a secret file is audited"
        )

    def test_opening_the_form_is_audited(self):
        Log = self.env["vbdt.audit.log"]
        access = [("document_id", "=", self.secret.id), ("event", "=", "open")]
        self.call_kw(
            self.specialist,
            "vbdt.document",
            "web_read",
            [[self.secret.id]],
            {"specification": {"subject": {}}},
        )
        self.assertEqual(Log.search_count(access), 1)
        self.assertRefused(
            self.clerk,
            "vbdt.document",
            "web_read",
            [[self.secret.id]],
            {"specification": {"subject": {}}},
        )
        self.assertEqual(Log.search_count(access), 1)
