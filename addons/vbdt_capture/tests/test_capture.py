import base64
import random

from odoo.tests import tagged

from odoo.addons.vbdt_document.tests.common import PDF, VbdtDocumentCommon

from ..capture.phrase import pairs_query
from . import letters


@tagged("post_install", "-at_install", "vbdt", "vbdt_capture")
class TestCaptureExtraction(VbdtDocumentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.letters = letters.make_letters(2)
        cls.Text = cls.env["vbdt.capture.text"]

    def _incoming(self, subject="Công văn thử"):
        return self.Document.create(
            {
                "direction": "incoming",
                "company_id": self.province.id,
                "subject": subject,
                "document_type_id": self.letter_type.id,
                "sender_agency_id": self.sender.id,
            }
        )

    def _text_of(self, file):
        return self.Text.search([("file_id", "=", file.id)])

    def _extract(self, *files):
        """Extract these files now (the cron's batch may hold older files)."""
        for file in files:
            self._text_of(file)._vbdt_extract()

    def test_upload_queues_and_cron_extracts_text_layer(self):
        document = self._incoming()
        file = document._vbdt_add_file("cong-van.pdf", self.letters[0].pdf, "main")
        text = self._text_of(file)
        self.assertEqual(text.state, "queued", "the upload only queues")
        self.assertFalse(text.content)
        # Files stored before (demo data, queued by the backfill) wait elsewhere.
        self.Text._vbdt_backfill(batch_size=100_000)
        (self.Text.search([("state", "=", "queued")]) - text).write(
            {"state": "unsupported"}
        )
        self.Text._cron_extract()
        self.assertEqual(text.state, "done")
        self.assertEqual(text.page_count, 1)
        self.assertEqual(text.ocr_page_count, 0, "a born-digital page is not OCRed")
        self.assertIn(f"Số: {self.letters[0].number}/", text.content)
        self.assertIn("Nơi nhận", text.content)
        self.assertEqual(file.capture_state, "done")

    def test_signed_pdf_bytes_are_never_rewritten(self):
        document = self._incoming()
        file = document._vbdt_add_file("cong-van.pdf", self.letters[1].pdf, "main")
        before = (file.checksum_sha256, file.attachment_id.id)
        self._extract(file)
        self.assertEqual(self._text_of(file).state, "done")
        self.assertEqual((file.checksum_sha256, file.attachment_id.id), before)
        self.assertEqual(file._get_raw(), self.letters[1].pdf)

    def test_scan_is_read_by_vietnamese_ocr(self):
        letter = self.letters[1]
        scanned = letters.scan(letter.pdf, dpi=300, angle=1.0, noise=0.002, seed=7)
        document = self._incoming()
        file = document._vbdt_add_file("ban-quet.pdf", scanned, "main")
        self._extract(file)
        text = self._text_of(file)
        self.assertEqual((text.state, text.ocr_page_count), ("done", 1))
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text.content)
        self.assertIn(letter.signer_name, text.content)
        hits = self.Text.vbdt_search_fulltext('"quản lý văn bản"')
        self.assertIn(document.id, [hit["document_id"] for hit in hits])

    def test_bad_files_fail_with_a_message_and_the_queue_goes_on(self):
        broken = self._incoming()
        # A PDF header over garbage: accepted on upload (the type check
        # reads the header), refused by the reader.
        bad = broken._vbdt_add_file("hong.pdf", b"%PDF-1.4\n" + b"x" * 500, "main")
        image = broken._vbdt_add_file(
            "anh.png",
            base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
            ),
        )
        good = self._incoming()._vbdt_add_file("tot.pdf", self.letters[0].pdf, "main")
        self._extract(bad, image, good)
        self.assertEqual(self._text_of(bad).state, "failed")
        self.assertEqual(self._text_of(bad).error, "The file is not a readable PDF.")
        self.assertEqual(self._text_of(image).state, "unsupported")
        self.assertEqual(self._text_of(good).state, "done")

    def test_backfill_queues_files_stored_before_the_addon(self):
        document = self._incoming()
        file = document._vbdt_add_file("cu.pdf", PDF, "main")
        self._text_of(file).unlink()  # as if stored before vbdt_capture
        self.assertEqual(self.Text._vbdt_backfill(batch_size=10_000) >= 1, True)
        self.assertEqual(self._text_of(file).state, "queued")

    def test_phrase_pairs_never_change_the_hits(self):
        """The word-pair condition (capture/phrase.py) narrows what is
        checked, never what is found: on texts of random words, every query
        finds exactly the documents PostgreSQL's own match finds."""
        rng = random.Random(17)
        words = "hồ sơ đất đai ngân sách xã phường tam đảo quyết định".split()
        documents = self.Document
        for index in range(40):
            document = self._incoming(f"Văn bản {index}")
            file = document._vbdt_add_file(f"{index}.pdf", PDF, "main")
            # As the extraction would store it (the fields are the server's).
            self._text_of(file).write(
                {
                    "state": "done",
                    "content": " ".join(rng.choice(words) for _ in range(60)),
                }
            )
            documents |= document
        queries = [
            '"hồ sơ đất đai"',
            '"ngân sách" xã',
            '"xa phuong" or "tam dao"',
            '"quyết định" -"đất đai"',
            '"đất đai" or ngân',
            "sơ đất",
            '"dai ho so"',
        ]
        self.env.flush_all()
        hit_counts = []
        for query in queries:
            self.env.cr.execute(
                "SELECT DISTINCT document_id FROM vbdt_capture_text"
                " WHERE state = 'done' AND document_id IN %s AND content_tsv"
                " @@ websearch_to_tsquery('vbdt_capture_vi', %s)",
                (tuple(documents.ids), query),
            )
            expected = {row[0] for row in self.env.cr.fetchall()}
            found = {
                hit["document_id"]
                for hit in self.Text.vbdt_search_fulltext(query, limit=200)
            } & set(documents.ids)
            self.assertEqual(found, expected, query)
            hit_counts.append(len(expected))
        # Not a vacuous comparison: most queries find some documents, and
        # not every document.
        self.assertGreaterEqual(sum(0 < n < len(documents) for n in hit_counts), 5)
        self.env.cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = 'vbdt_capture_text_pairs_idx'"
        )
        self.assertTrue(self.env.cr.fetchone())

    def test_hostile_queries_give_valid_pairs_or_none(self):
        """Whatever a user types, the word-pair condition is a tsquery
        PostgreSQL reads, or none: quotes, backslashes, operators and
        prefixes in and around phrases."""
        hostile = [
            '"o\'k\\ x" "a\'\'b c"',
            '"a:* b" "c & d" "e <-> f" "g | !h"',
            '"(a b" "c) d" -"e f" or',
            '"\\\\ \\\' \'\'" "x\ty"',
            '"Quyết định số 12/QĐ-UBND" "hồ-sơ đất"',
            '"' + "ab " * 300 + '"',
            '"" "" or - or "',
        ]
        checked = 0
        for query in hostile:
            self.env.cr.execute(
                "SELECT websearch_to_tsquery('vbdt_capture_vi', %s)::text", (query,)
            )
            pairs = pairs_query(self.env.cr.fetchone()[0])
            if pairs:
                self.env.cr.execute("SELECT %s::tsquery", (pairs,))
                self.assertTrue(self.env.cr.fetchone()[0])
                checked += 1
            self.assertIsInstance(self.Text.vbdt_search_fulltext(query), list)
        self.assertGreaterEqual(checked, 4)

    def test_search_is_accent_insensitive_phrase_aware_and_ranked(self):
        first = self._incoming("Công văn một")
        second = self._incoming("Công văn hai")
        self._extract(
            first._vbdt_add_file("a.pdf", self.letters[0].pdf, "main"),
            second._vbdt_add_file("b.pdf", self.letters[1].pdf, "main"),
        )
        Search = self.Text.vbdt_search_fulltext
        ids = {hit["document_id"] for hit in Search("quan ly van ban")}
        self.assertTrue({first.id, second.id} <= ids, "accents are optional")
        # The words of the phrase appear in both, in this order in neither.
        self.assertFalse(
            {first.id, second.id}
            & {h["document_id"] for h in Search('"van ban quan ly"')}
        )
        hit = next(h for h in Search('"hồ sơ điện tử"') if h["document_id"] == first.id)
        self.assertIn(
            "<mark>hồ</mark> <mark>sơ</mark> <mark>điện</mark>", hit["snippet"]
        )
        found = self.Document.search([("capture_content", "ilike", "ho so dien tu")])
        self.assertTrue(first | second <= found)
        self.assertEqual(Search(""), [])
