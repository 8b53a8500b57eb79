"""A sao lục made from one of the agency's copies: numbered in the copies
register, its block stamped at the top right under the copy's own block
(both readable), the source copy's access being the original's; the
attempts to misuse it go through the real JSON-RPC."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtRecordsCommon
from .test_copy import A4, CopyFixtures


def words_of_first_page(pdf):
    """{word: [(xMin, yMin), ...]} of page 1, in points from the top left."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "copy.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            [shutil.which("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(path), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        ).stdout
    tree = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    words = {}
    for word in tree.iter("word"):
        if word.text:
            words.setdefault(word.text, []).append(
                (float(word.get("xmin")), float(word.get("ymin")))
            )
    return words


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsCopySaoLuc(CopyFixtures, JsonRpcMixin, VbdtRecordsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Copy = cls.env["vbdt.records.copy"]
        cls.original = cls._registered_pdf("70/VPCP-TTĐT")
        cls.other = cls._registered_pdf("71/VPCP-TTĐT")
        cls.secret = cls._secret_original("72/VPCP-TTĐT")

    def _wizard(self, user, document, source_copy, form="sao_luc"):
        wizard = self.call_kw(
            user,
            "vbdt.records.copy.wizard",
            "create",
            [
                {
                    "document_id": document.id,
                    "form": form,
                    "source_copy_id": source_copy.id,
                }
            ],
        )
        return self.call_kw(
            user, "vbdt.records.copy.wizard", "action_make_copy", [[wizard]]
        )

    def _register(self):
        return sorted(
            (copy.name, copy.original_id.id, copy.source_copy_id.id)
            for copy in self.Copy.sudo().search([("company_id", "=", self.province.id)])
        )

    def test_sao_luc_of_a_copy_is_numbered_and_stamped_under_its_block(self):
        sao_y = self._make(self.clerk, self.original)
        action = self._wizard(self.clerk, self.original, sao_y)
        sao_luc = self.Copy.browse(action["res_id"])
        self.assertEqual(
            (sao_luc.name, sao_luc.number, sao_luc.form), ("02/SL", 2, "sao_luc")
        )
        self.assertEqual(sao_luc.source_copy_id, sao_y)
        self.assertEqual(sao_luc.original_id, self.original)
        self.assertFalse(sao_luc.from_paper)
        words = words_of_first_page(sao_luc.attachment_id.raw)
        width, height = A4
        # Both blocks are at the top right and readable: the sao lục's under
        # the sao y's.
        ((sy_x, sy_y),) = words["01/SY"]
        ((sl_x, sl_y),) = words["02/SL"]
        for x, y in ((sy_x, sy_y), (sl_x, sl_y)):
            self.assertGreater(x, width / 2)
            self.assertLess(y, height / 4)
        self.assertGreater(sl_y, sy_y + 40)
        self.assertIn("LỤC", words)
        self.assertIn("Trang", words)
        # The copy's own file is unchanged.
        self.assertEqual(
            __import__("hashlib").sha256(sao_y.attachment_id.raw).hexdigest(),
            sao_y.sha256,
        )
        # The copy register goes on.
        self.assertEqual(self._make(self.clerk, self.original).name, "03/SY")

    def test_misuses_are_refused_and_nothing_is_numbered(self):
        sao_y = self._make(self.clerk, self.original)
        secret_copy = self._make(self.officer, self.secret)
        # Not a sao lục; a copy of another document; a secret original's copy
        # for a clerk who is not its named reader; a specialist.
        for user, document, source, form in (
            (self.clerk, self.original, sao_y, "sao_y"),
            (self.clerk, self.other, sao_y, "sao_luc"),
            (self.clerk, self.secret, secret_copy, "sao_luc"),
            (self.specialist, self.original, sao_y, "sao_luc"),
        ):
            with self.subTest(user=user.login, form=form):
                before = self._register()
                with self.assertRaises(Exception) as caught:
                    self._wizard(user, document, source, form)
                self.assertIn(
                    caught.exception.args[0],
                    (
                        "odoo.exceptions.AccessError",
                        "odoo.exceptions.UserError",
                        "odoo.exceptions.ValidationError",
                    ),
                )
                self.assertEqual(self._register(), before)
        # The named reader makes the secret copy's sao lục.
        action = self._wizard(self.officer, self.secret, secret_copy)
        self.assertEqual(self.Copy.browse(action["res_id"]).source_copy_id, secret_copy)
        # The source of a copy is never rewritten by a client.
        self.assertRefused(
            self.officer,
            "vbdt.records.copy",
            "write",
            [[action["res_id"]], {"source_copy_id": False}],
            unchanged=self._register,
        )
