"""Secret drafts and secret incoming documents attacked through JSON-RPC:
draft versions (whose PDF leaked to five non-readers), reviews, assignments
and their ``subject``, reviewers' notifications."""

import base64
import json

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.vbdt_document.tests.common import PDF
from odoo.addons.vbdt_document.tests.rpc import JsonRpcCase

from .common import VbdtWorkflowCommon

MARKER = "Phương án bảo vệ MẬT-3K"


class WorkflowSecrecyCommon(JsonRpcCase, VbdtWorkflowCommon):
    def assertNoMarker(self, payload, what):
        self.assertNotIn(
            MARKER, json.dumps(payload, ensure_ascii=False, default=str), what
        )

    def _attackers(self):
        """Users of the agency who are not readers, and another agency's clerk."""
        return (
            self.clerk
            | self.colleague
            | self.outsider
            | self.leader
            | self.deputy
            | self.other_clerk
        )


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretDraftVersions(WorkflowSecrecyCommon):
    def setUp(self):
        super().setUp()
        self.draft = self._outgoing(
            confidentiality="secret", subject=MARKER, drafter_id=self.specialist.id
        )
        self.version = self.env["vbdt.document.version"].create(
            {
                "document_id": self.draft.id,
                "name": "du-thao-v1.pdf",
                "datas": base64.b64encode(PDF),
            }
        )
        self.attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "vbdt.document.version"),
                ("res_id", "=", self.version.id),
            ]
        )

    def test_non_readers_cannot_reach_the_draft_pdf(self):
        urls = (
            f"/web/content/vbdt.document.version/{self.version.id}/datas",
            f"/web/content/{self.attachment.id}",
            f"/web/content/ir.attachment/{self.attachment.id}/datas",
        )
        for user in self._attackers():
            rows = self.call_kw(
                user,
                "vbdt.document.version",
                "search_read",
                [[("document_id", "=", self.draft.id)]],
                {"fields": ["name"]},
            )
            self.assertEqual(
                rows, [], f"{user.login} lists the secret draft's versions"
            )
            for context in (None, {"vbdt_unlock": True, "active_test": False}):
                self.assertRefused(
                    user,
                    "vbdt.document.version",
                    "read",
                    [[self.version.id], ["datas", "name"]],
                    context=context,
                )
            attachments = self.call_kw(
                user,
                "ir.attachment",
                "search_read",
                [[("id", "=", self.attachment.id)]],
                {"fields": ["datas"]},
            )
            self.assertEqual(attachments, [])
            for url in urls:
                status, body = self.fetch(user, url)
                self.assertNotEqual(status, 200, f"{user.login} downloaded {url}")
                self.assertNotIn(b"%PDF", body)
        # Nothing was logged as an access, and the version is unchanged.
        self.assertFalse(
            self.env["vbdt.audit.log"].search(
                [("document_id", "=", self.draft.id), ("event", "=", "download")]
            )
        )
        self.assertEqual(base64.b64decode(self.version.datas), PDF)
        status, body = self.fetch(self.specialist, urls[0])
        self.assertEqual((status, body[:4]), (200, b"%PDF"))

    def test_reviewers_are_named_and_notified_in_odoo_only(self):
        """Submitting names the reviewers (head of unit) as readers: the head
        reads the draft and its version; the clerk still does not; the review
        request reaches the head in Odoo, never by e-mail, under the neutral
        label."""
        self.head.notification_type = "email"
        self.call_kw(
            self.specialist, "vbdt.document", "action_review_submit", [[self.draft.id]]
        )
        self.assertIn(self.head, self.draft.participant_ids)
        rows = self.call_kw(
            self.head,
            "vbdt.document.version",
            "search_read",
            [[("document_id", "=", self.draft.id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(len(rows), 1)
        for user in (self.clerk, self.colleague, self.other_clerk):
            reviews = self.call_kw(
                user,
                "vbdt.review",
                "search_read",
                [[("res_id", "=", self.draft.id)]],
                {"fields": ["res_name", "comment", "name"]},
            )
            self.assertEqual(
                reviews, [], f"{user.login} reads the secret draft's reviews"
            )
        messages = self.env["mail.message"].search(
            [("model", "=", "vbdt.document"), ("res_id", "=", self.draft.id)]
        )
        self.assertFalse(
            any(MARKER in (m.record_name or "") + (m.subject or "") for m in messages)
        )
        notifications = messages.notification_ids
        self.assertIn(self.head.partner_id, notifications.res_partner_id)
        self.assertEqual(set(notifications.mapped("notification_type")), {"inbox"})
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        activities = self.call_kw(
            self.head,
            "mail.activity",
            "search_read",
            [[("res_id", "=", self.draft.id), ("res_model", "=", "vbdt.document")]],
            {"fields": ["res_name"]},
        )
        self.assertTrue(activities)
        self.assertNoMarker(
            activities, "the reviewer's activity names the secret summary"
        )


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretAssignments(WorkflowSecrecyCommon):
    def setUp(self):
        super().setUp()
        self.document = self._incoming(
            confidentiality="secret",
            subject=MARKER,
            directing_leader_id=self.leader.id,
            confidential_user_ids=[Command.set((self.clerk | self.leader).ids)],
        )
        self.document.with_user(self.clerk).action_register()
        self.document.with_user(self.clerk).action_present()
        self.document.with_user(self.leader)._vbdt_direct(
            "Xử lý",
            "2026-12-20",
            [{"role": "lead", "unit_id": self.unit.id, "user_id": self.specialist.id}],
        )

    def test_assignment_subject_hidden_from_non_readers(self):
        for user in (
            self.colleague,
            self.outsider,
            self.deputy,
            self.other_clerk,
            self._extra_user("clerk2", "clerk"),
        ):
            for context in (None, {"vbdt_unlock": True, "active_test": False}):
                rows = self.call_kw(
                    user,
                    "vbdt.document.assignment",
                    "search_read",
                    [[("document_id", "=", self.document.id)]],
                    {"fields": ["subject", "document_id"]},
                    context=context,
                )
                self.assertEqual(rows, [], f"{user.login} reads the secret assignment")
            grouped = self.call_kw(
                user,
                "vbdt.document.assignment",
                "read_group",
                [[], ["subject"], ["document_id"]],
            )
            self.assertNoMarker(grouped, f"grouping assignments leaks to {user.login}")
        # The assignee is named by the flow and reads their assignment.
        rows = self.call_kw(
            self.specialist,
            "vbdt.document.assignment",
            "search_read",
            [[("document_id", "=", self.document.id)]],
            {"fields": ["subject"]},
        )
        self.assertEqual(rows[0]["subject"], MARKER)
        self.assertTrue(
            self.call_kw(
                self.specialist,
                "vbdt.document",
                "search",
                [[("id", "=", self.document.id)]],
            )
        )


@tagged("post_install", "-at_install", "vbdt", "access_rights", "secrecy")
class TestSecretPrint(WorkflowSecrecyCommon):
    def test_printing_is_audited_and_refused_to_non_readers(self):
        document = self._incoming(
            confidentiality="secret",
            subject=MARKER,
            confidential_user_ids=[Command.set(self.clerk.ids)],
        )
        url = f"/report/html/vbdt_workflow.vbdt_handling_slip/{document.id}"
        access = [("document_id", "=", document.id), ("event", "=", "print")]
        Log = self.env["vbdt.audit.log"]
        for user in (self.leader, self.colleague, self.other_clerk):
            with mute_logger("odoo.http"):  # the refusal is logged as an error
                status, body = self.fetch(user, url)
            self.assertNotEqual(
                status, 200, f"{user.login} printed the secret document"
            )
            self.assertNotIn(MARKER.encode(), body)
        self.assertEqual(Log.search_count(access), 0)
        status, body = self.fetch(self.clerk, url)
        self.assertEqual(status, 200)
        self.assertIn(MARKER.encode(), body)
        self.assertEqual(Log.search(access).user_id, self.clerk)
