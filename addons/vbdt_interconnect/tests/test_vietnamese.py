"""Vietnamese everywhere, exchange side: what the exchange crons write on the
documents, their activities and exchange records (sending, receiving, the
failure of a delivery without an axis connection, status feedback) reads in
Vietnamese, although crons run as the superuser in English."""

from odoo.tests import tagged
from odoo.tools import html2plaintext

from odoo.addons.vbdt_document.tests.vietnamese import (
    VietnameseAssertions,
    english_words,
)

from .common import VbdtExchangeCommon


@tagged("post_install", "-at_install", "vbdt")
class TestVietnameseExchange(VietnameseAssertions, VbdtExchangeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.english = english_words(("vbdt_document", "vbdt_interconnect"))
        (cls.province | cls.district).partner_id.lang = "vi_VN"
        (cls.clerk | cls.district_clerk).lang = "vi_VN"

    def _texts(self, records):
        texts = []
        for record in records:
            for message in record.message_ids:
                texts += [message.subject or "", html2plaintext(message.body or "")]
                texts += [
                    f"{value.field_id.field_description}: "
                    f"{value.old_value_char or ''} → {value.new_value_char or ''}"
                    for value in message.sudo().tracking_value_ids
                ]
            for activity in getattr(record, "activity_ids", []):
                texts += [
                    activity.summary or "",
                    html2plaintext(activity.note or ""),
                    activity.activity_type_id.with_context(lang="vi_VN").name,
                ]
        return texts

    def test_the_word_list_is_not_empty(self):
        self.assertIn("Sending", self.english)
        self.assertIn("Queued", self.english)

    def test_exchange_crons_write_in_vietnamese(self):
        self.assertEqual(self.env.lang or "en_US", "en_US", "crons run in English")
        document = self._issued(self.district.vbdt_agency_id | self.external)
        document.message_ids.unlink()  # written by the test's set-up, not a user
        self._run()
        incoming = self.Document.search(
            [("company_id", "=", self.district.id), ("direction", "=", "incoming")]
        )
        self.assertEqual(incoming.state, "received")
        incoming.register_id = incoming._vbdt_default_register()
        incoming.with_user(self.district_clerk).with_context(
            lang="vi_VN"
        ).action_register()
        self._run()
        records = self.Record.search([("document_id", "in", (document | incoming).ids)])
        self.assertIn("out_failed", records.mapped("state"))
        texts = self._texts(document | incoming) + self._texts(records)
        texts += [record.last_error or "" for record in records]
        lines = document.delivery_ids.with_context(lang="vi_VN")
        labels = dict(lines._fields["status_code"]._description_selection(lines.env))
        texts += [labels[line.status_code] for line in lines]
        texts += [line.description or "" for line in lines]
        joined = "\n".join(texts)
        self.assertIn("trục", joined.lower(), "the failure is told")
        self._assert_vietnamese("exchange messages", texts)
