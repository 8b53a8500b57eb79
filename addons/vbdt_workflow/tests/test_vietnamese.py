"""Vietnamese everywhere: the main views fetched in Vietnamese, and the
activities and messages a flow and the deadline cron write, contain no
English word of the addons' own source strings and no ISO date inside a
sentence."""

import re

import polib
from freezegun import freeze_time
from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import VbdtWorkflowCommon

ADDONS = ("vbdt_document", "vbdt_workflow")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ASCII_WORD = re.compile(r"^[A-Za-z]{4,}$")
# What the interface shows besides its labels: attributes read by people.
SHOWN_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "sum")
MAIN_VIEWS = {
    "vbdt.document": ("form", "list", "kanban", "search"),
    "vbdt.work.queue": ("kanban",),
    "vbdt.document.statistics": ("kanban", "list", "search"),
    "vbdt.document.assignment": ("form", "list"),
}


def _words(text):
    return {word for word in re.findall(r"\w+", text) if ASCII_WORD.match(word)}


def english_words():
    """Words of the addons' English source strings that their Vietnamese
    translation does not use itself (PDF, edXML... stay allowed)."""
    english, vietnamese = set(), set()
    for addon in ADDONS:
        for entry in polib.pofile(f"{get_module_path(addon)}/i18n/vi.po"):
            if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
                continue
            # placeholders such as %(date)s are code, not words
            english |= _words(re.sub(r"%\(\w+\)s|\{\w+\}", " ", entry.msgid))
            vietnamese |= _words(entry.msgstr)
    return english - vietnamese


def view_texts(env, model, view_type):
    """What a user reads in a view fetched in Vietnamese: its texts and shown
    attributes, and the labels of the fields and choices it displays."""
    result = env[model].with_context(lang="vi_VN").get_views([(False, view_type)])
    arch = etree.fromstring(result["views"][view_type]["arch"])
    texts = [text for text in arch.itertext() if text.strip()]
    for node in arch.iter():
        if node.tag in ("t", "field") and node.get("invisible") in ("1", "True"):
            continue
        texts += [node.get(name) for name in SHOWN_ATTRIBUTES if node.get(name)]
    shown = {node.get("name") for node in arch.iter("field")}
    for name, description in result["models"][model]["fields"].items():
        if name in shown:
            texts.append(description.get("string") or "")
            texts += [label for _key, label in description.get("selection") or []]
    return texts


@tagged("post_install", "-at_install", "vbdt")
class TestVietnameseEverywhere(VbdtWorkflowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.english = english_words()
        names = {
            cls.clerk: "Trần Thị Văn Thư",
            cls.specialist: "Lê Văn Chuyên",
            cls.head: "Phạm Thị Trưởng",
            cls.leader: "Nguyễn Văn Lãnh",
            cls.deputy: "Hoàng Văn Phó",
        }
        for user, name in names.items():
            user.write({"name": name, "lang": "vi_VN"})

    def _assert_vietnamese(self, where, texts):
        text = "\n".join(texts)
        self.assertFalse(
            sorted(_words(text) & self.english),
            f"{where}: English words in the Vietnamese interface",
        )
        self.assertFalse(ISO_DATE.findall(text), f"{where}: ISO dates in sentences")

    def test_the_word_list_is_not_empty(self):
        # the check below would pass on anything with an empty list
        self.assertIn("Deadline", self.english)
        self.assertIn("Overdue", self.english)

    def test_main_views_read_in_vietnamese(self):
        for model, view_types in MAIN_VIEWS.items():
            for view_type in view_types:
                with self.subTest(model=model, view=view_type):
                    self._assert_vietnamese(
                        f"{model} {view_type}", view_texts(self.env, model, view_type)
                    )

    def test_flow_and_cron_write_in_vietnamese(self):
        with freeze_time("2026-11-02 02:00:00"):  # Monday
            # as in the web client: each user's requests carry their language
            document = self._incoming(directing_leader_id=self.leader.id)
            document.message_ids.unlink()  # created by the test, not a user
            in_vietnamese = document.with_context(lang="vi_VN")
            in_vietnamese.with_user(self.clerk).action_register()
            in_vietnamese.with_user(self.clerk).action_present()
            in_vietnamese.with_user(self.leader)._vbdt_direct(
                "Văn phòng chủ trì tham mưu",
                "2026-11-04",
                [
                    {
                        "role": "lead",
                        "unit_id": self.unit.id,
                        "user_id": self.specialist.id,
                    }
                ],
            )
        # the reminder before the deadline, then overdue and escalated
        Assignment = self.env["vbdt.document.assignment"]
        for day in ("2026-11-03 02:00:00", "2026-11-06 02:00:00"):
            with freeze_time(day):
                Assignment._cron_vbdt_deadlines()
        activities = document.with_context(lang="vi_VN").activity_ids
        self.assertTrue(activities)
        texts = []
        for activity in activities:
            texts += [
                activity.summary or "",
                html2plaintext(activity.note or ""),
                activity.activity_type_id.name,
            ]
        messages = document.message_ids
        self.assertIn("quá hạn", " ".join(html2plaintext(m.body) for m in messages))
        for message in messages:
            texts += [message.subject or "", html2plaintext(message.body or "")]
        self._assert_vietnamese("activities and messages", texts)

    def _chatter_texts(self, document):
        texts = []
        for activity in document.with_context(lang="vi_VN").activity_ids:
            texts += [
                activity.summary or "",
                html2plaintext(activity.note or ""),
                activity.activity_type_id.name,
            ]
        for message in document.message_ids:
            texts += [message.subject or "", html2plaintext(message.body or "")]
            texts += [
                f"{value.old_value_char or ''} → {value.new_value_char or ''}"
                for value in message.sudo().tracking_value_ids
            ]
        return texts

    def test_outgoing_flow_writes_in_vietnamese(self):
        # draft → submit → approve → sign → issue, each step by its role in
        # Vietnamese (dispatch and the exchange crons: vbdt_interconnect's
        # TestVietnameseExchange)
        # the route's step names are the agency's data, written in Vietnamese
        head_step, leader_step = self.route.step_ids.sorted("sequence")
        head_step.name = "Lãnh đạo phòng duyệt"
        leader_step.name = "Lãnh đạo cơ quan ký"
        with freeze_time("2026-11-02 02:00:00"):
            document = self._draft(subject="Về việc thử nghiệm ngôn ngữ")
            document.file_ids = [
                (
                    0,
                    0,
                    {"name": "du-thao.pdf", "role": "main", "datas": self._pdf_b64()},
                )
            ]
            document.sudo().message_ids.unlink()  # created by the test, not a user

            def as_user(user):
                return document.with_user(user).with_context(lang="vi_VN")

            as_user(self.specialist).action_review_submit()
            texts = self._chatter_texts(document)
            as_user(self.head).action_review_approve("Đồng ý trình ký")
            texts += self._chatter_texts(document)
            as_user(self.leader).action_review_sign()
            texts += self._chatter_texts(document)
            as_user(self.clerk).action_issue()
        self.assertEqual(document.state, "issued")
        texts += self._chatter_texts(document)
        self.assertTrue(document.message_ids)
        self._assert_vietnamese("outgoing flow", texts)
