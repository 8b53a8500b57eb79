"""Full-text search and file texts, attacked through the real JSON-RPC API:
a user of another agency and a user who is not a named reader of a secret
document get no hit, no snippet, no text; nobody writes a text."""

import json

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.models.lifecycle import unlocked
from odoo.addons.vbdt_document.tests.common import VbdtDocumentCommon
from odoo.addons.vbdt_document.tests.rpc import INJECTED_CONTEXT, JsonRpcMixin

from . import letters
from .common import CaptureDocumentsMixin

SECRET_WORDS = "phương án di dời kho vũ khí"


@tagged("vbdt", "access_rights", "post_install", "-at_install", "vbdt_capture")
class TestCaptureAccess(
    CaptureDocumentsMixin, JsonRpcMixin, VbdtDocumentCommon, HttpCase
):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        letter = letters.make_letters(1)[0]
        secret_letter = letters.render(
            letter, "UBND TỈNH PHÚ THỌ", "Kế hoạch", None, None, "Phú Thọ"
        )
        cls.texts, cls.secret_text = cls._normal_and_secret(
            {"subject": "Công văn thường"},
            letter.pdf,
            {"subject": "Văn bản mật"},
            secret_letter,
            SECRET_WORDS,
        )

    def _search(self, user, query):
        return self.call_kw(
            user,
            "vbdt.capture.text",
            "vbdt_search_fulltext",
            [query],
            context=INJECTED_CONTEXT,
        )

    def _doc_ids(self, user, query):
        return {hit["document_id"] for hit in self._search(user, query)}

    def test_readers_find_by_content_with_snippet(self):
        self.assertIn(self.normal.id, self._doc_ids(self.clerk, "quan ly van ban"))
        hits = self._search(self.specialist, f'"{SECRET_WORDS}"')
        self.assertEqual([hit["document_id"] for hit in hits], [self.secret.id])
        self.assertIn("<mark>", hits[0]["snippet"])

    def test_other_agency_gets_no_hit_and_no_snippet(self):
        for query in ("quan ly van ban", f'"{SECRET_WORDS}"'):
            self.assertEqual(self._search(self.other_clerk, query), [])
        found = self.call_kw(
            self.other_clerk,
            "vbdt.document",
            "search_read",
            [[("capture_content", "ilike", "quan ly van ban")]],
            {"fields": ["id"]},
        )
        self.assertEqual(found, [])

    def test_non_reader_of_a_secret_document_gets_no_hit_and_no_word(self):
        for user in (self.clerk, self.leader, self.colleague, self.head):
            hits = self._search(user, f'"{SECRET_WORDS}"')
            self.assertEqual(hits, [], user.login)
            self.assertNotIn(self.secret.id, self._doc_ids(user, "quan ly van ban"))
            texts = self.call_kw(
                user,
                "vbdt.capture.text",
                "search_read",
                [[]],
                {"fields": ["content"]},
                context=INJECTED_CONTEXT,
            )
            self.assertNotIn(SECRET_WORDS, json.dumps(texts, ensure_ascii=False))
            self.assertNotIn(self.secret_text.id, [row["id"] for row in texts])
            wizard = self.call_kw(
                user, "vbdt.capture.search", "create", [{"query": SECRET_WORDS}]
            )
            self.call_kw(user, "vbdt.capture.search", "action_search", [[wizard]])
            lines = self.call_kw(
                user,
                "vbdt.capture.search.line",
                "search_read",
                [[]],
                {"fields": ["document_id", "snippet"]},
            )
            self.assertNotIn(
                SECRET_WORDS.split()[0], json.dumps(lines, ensure_ascii=False)
            )

    def test_reclassified_secret_document_leaves_the_results_at_once(self):
        """The texts keep the document's confidentiality (stored for the rule):
        reclassifying the document secret hides its text from non-readers."""
        self.assertIn(self.normal.id, self._doc_ids(self.clerk, "quan ly van ban"))
        with unlocked(self.normal):
            self.normal.write(
                {
                    "confidentiality": "secret",
                    "register_id": self.secret.register_id.id,
                    "confidential_user_ids": [Command.set(self.leader.ids)],
                }
            )
        self.assertNotIn(self.normal.id, self._doc_ids(self.clerk, "quan ly van ban"))
        self.assertIn(self.normal.id, self._doc_ids(self.leader, "quan ly van ban"))

    def test_outsider_specialist_sees_no_other_unit_text(self):
        # The normal document belongs to the clerk's unit "Văn phòng"; the
        # outsider works in another unit and is no participant.
        self.assertEqual(self._doc_ids(self.outsider, "quan ly van ban"), set())

    def test_nobody_writes_creates_or_deletes_a_text(self):
        text = self.texts.filtered(lambda t: t.document_id == self.normal)

        def snapshot():
            return sorted(
                self.env["vbdt.capture.text"]
                .sudo()
                .search([])
                .mapped(lambda t: (t.id, t.state, t.content))
            )

        for user in (self.clerk, self.leader, self.specialist):
            self.assertRefused(
                user,
                "vbdt.capture.text",
                "write",
                [text.ids, {"content": "giả mạo"}],
                contexts=[None, INJECTED_CONTEXT],
                unchanged=snapshot,
            )
            self.assertRefused(
                user,
                "vbdt.capture.text",
                "unlink",
                [text.ids],
                contexts=[None, INJECTED_CONTEXT],
                unchanged=snapshot,
            )
            self.assertRefused(
                user,
                "vbdt.capture.text",
                "create",
                [{"file_id": text.file_id.id, "content": "giả mạo"}],
                contexts=[None, INJECTED_CONTEXT],
                unchanged=snapshot,
            )
        # The retry is for administrators: anybody else changes nothing.
        self.assertFalse(
            self.call_kw(self.clerk, "vbdt.capture.text", "action_retry", [text.ids])
        )
        self.assertEqual(text.state, "done")
