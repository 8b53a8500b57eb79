"""Copies (sao y, trích sao, sao lục): the copy register, the copy line drawn
at the top right of the first page (checked on the rendered page), the
original's secrecy carried over, and the attacks over JSON-RPC."""

import base64
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from reportlab.pdfgen import canvas

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.vbdt_document.tests.rpc import JsonRpcMixin

from .common import VbdtRecordsCommon

ACCESS_ERROR = "odoo.exceptions.AccessError"
A4 = (595.0, 842.0)


def two_page_pdf():
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    for text in ("Trang mot cua van ban", "Trang hai cua van ban"):
        drawing.setFont("Helvetica", 14)
        drawing.drawString(72, 700, text)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def poppler(tool, *args):
    return subprocess.run(
        [shutil.which(tool), *args], check=True, capture_output=True, timeout=60
    ).stdout


class CopyFixtures:
    """The registered originals (a two-page main PDF) and the copy maker the
    copy test classes share; mixed into a ``VbdtRecordsCommon`` case."""

    @classmethod
    def _registered_pdf(cls, code, filename="van-ban.pdf", **vals):
        document = cls._registered(code=code, **vals)
        document._vbdt_add_file(filename, two_page_pdf(), "main")
        return document

    @classmethod
    def _secret_original(cls, code):
        """A secret original only the records officer may read."""
        return cls._registered_pdf(
            code,
            "mat.pdf",
            subject="Phương án bảo vệ mục tiêu trọng yếu",
            confidentiality="secret",
            confidential_user_ids=[(6, 0, cls.officer.ids)],
        )

    def _make(self, user, document, form="sao_y", **kwargs):
        return (
            self.Copy.with_user(user)
            .with_company(document.company_id)
            ._vbdt_make_copy(document, form, **kwargs)
        )


@tagged("vbdt", "access_rights", "post_install", "-at_install")
class TestRecordsCopy(CopyFixtures, JsonRpcMixin, VbdtRecordsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Copy = cls.env["vbdt.records.copy"]
        cls.original = cls._registered_pdf("60/VPCP-TTĐT")
        cls.secret = cls._secret_original("61/VPCP-TTĐT")

    def _wizard_call(self, login, document, form="sao_y", **vals):
        wizard = self.call_kw(
            login,
            "vbdt.records.copy.wizard",
            "create",
            [{"document_id": document.id, "form": form, **vals}],
        )
        return self.call_kw(
            login, "vbdt.records.copy.wizard", "action_make_copy", [[wizard]]
        )

    def _copies(self):
        return (
            self.Copy.sudo()
            # The test agency's register (the demo data has copies too).
            .search([("company_id", "=", self.province.id)])
            .mapped(
                lambda copy: (copy.name, copy.original_id.id, copy.number, copy.sha256)
            )
        )

    # ------------------------------------------------------------ making
    def test_full_copy_is_numbered_and_carries_the_copy_line_top_right(self):
        copy = self._make(self.clerk, self.original, signer=self.leader)
        self.assertEqual((copy.name, copy.number, copy.form), ("01/SY", 1, "sao_y"))
        self.assertEqual(copy.original_id, self.original)
        self.assertFalse(copy.sealed, "without a seal certificate the copy is unsigned")
        self.assertIn(copy, self.original.records_copy_ids)
        pdf = copy.attachment_id.raw
        self.assertEqual(copy.sha256, __import__("hashlib").sha256(pdf).hexdigest())
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "copy.pdf"
            path.write_bytes(pdf)
            self.assertRegex(poppler("pdfinfo", str(path)).decode(), r"Pages:\s+2\n")
            words = self._words(path)
            width, height = A4
            for word in ("SAO", "Y", "01/SY", "UBND", "Copy"):
                x_min, y_min = words[word]
                self.assertGreater(x_min, width / 2, word)
                self.assertLess(y_min, height / 5, word)
            # The original's own text is still there, below.
            self.assertIn("Trang mot", poppler("pdftotext", str(path), "-").decode())
            # The block is really painted: red pixels in the top right corner,
            # none in the top left.
            poppler(
                "pdftoppm",
                "-r",
                "36",
                "-f",
                "1",
                "-l",
                "1",
                str(path),
                str(path.with_suffix("")),
            )
            image = next(Path(folder).glob("copy*.ppm"))
            self.assertGreater(self._red_share(image, right=True), 0.001)
            self.assertEqual(self._red_share(image, right=False), 0)

    def _words(self, path):
        """{word: (xMin, yMin)} of page 1, in points from the top left."""
        html = poppler(
            "pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"
        ).decode()
        from lxml import etree

        tree = etree.fromstring(html.encode(), etree.HTMLParser())
        return {
            word.text: (float(word.get("xmin")), float(word.get("ymin")))
            for word in tree.iter("word")
            if word.text
        }

    def _red_share(self, image, right):
        """Share of strongly red pixels in the top fifth, right or left half."""
        from PIL import Image

        with Image.open(image) as picture:
            rgb = picture.convert("RGB")
            width, height = rgb.size
            box = (
                (width // 2, 0, width, height // 5)
                if right
                else (0, 0, width // 2, height // 5)
            )
            pixels = list(rgb.crop(box).getdata())
        red = sum(1 for r, g, b in pixels if r > 150 and g < 80 and b < 80)
        return red / len(pixels)

    def test_extract_holds_the_chosen_pages_and_numbers_follow(self):
        first = self._make(self.clerk, self.original)
        extract = self._make(self.officer, self.original, "trich_sao", pages="2")
        self.assertEqual((extract.name, extract.pages), ("02/TrS", "2"))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "extract.pdf"
            path.write_bytes(extract.attachment_id.raw)
            text = poppler("pdftotext", str(path), "-").decode()
        self.assertIn("Trang hai", text)
        self.assertNotIn("Trang mot", text)
        self.assertEqual(first.number + 1, extract.number)
        for pages, message in (("5", "not in the original"), ("a-b", "not understood")):
            with self.assertRaises(UserError) as caught:
                self._make(self.clerk, self.original, "trich_sao", pages=pages)
            self.assertIn(message, str(caught.exception))
        with self.assertRaises(UserError):
            self._make(self.clerk, self.original, "trich_sao")
        # The person who signs on behalf of the agency is one of its own.
        with self.assertRaises(UserError) as caught:
            self._make(self.clerk, self.original, signer=self.other_clerk)
        self.assertIn("not a person of", str(caught.exception))
        self.assertEqual(
            self.Copy.search_count([("company_id", "=", self.province.id)]), 2
        )

    def test_copy_from_a_paper_scan(self):
        paper = self._registered(code="62/VPCP-TTĐT")
        with self.assertRaises(UserError) as caught:
            self._make(self.clerk, paper)
        self.assertIn("no main PDF", str(caught.exception))
        self._wizard_call(
            "clerk", paper, "sao_luc", scan=base64.b64encode(two_page_pdf()).decode()
        )
        copy = paper.records_copy_ids
        self.assertEqual((copy.name, copy.from_paper), ("01/SL", True))

    # ------------------------------------------------------------ secrecy
    def test_copy_of_a_secret_document_keeps_its_readers(self):
        copy = self._make(self.officer, self.secret)
        self.assertEqual(self.Copy.with_user(self.officer).search([]), copy)
        for user in (self.clerk, self.leader):
            self.assertFalse(self.Copy.with_user(user).search([]), user.login)
            with self.assertRaises(AccessError):
                copy.with_user(user).check_access("read")
        self.assertRefused(
            "clerk",
            "vbdt.records.copy",
            "read",
            [[copy.id], ["name"]],
            error=ACCESS_ERROR,
        )
        self.assertRefused(
            "clerk",
            "ir.attachment",
            "read",
            [[copy.attachment_id.id], ["raw"]],
            error=ACCESS_ERROR,
        )

    # ------------------------------------------------------------ attacks
    def test_who_may_not_make_a_copy(self):
        # A clerk who is not a named reader of the secret original, a
        # specialist, and a clerk of another agency.
        for login, document in (
            ("clerk", self.secret),
            ("specialist", self.original),
            ("other_clerk", self.original),
        ):
            self.assertRefused(
                login,
                "vbdt.records.copy.wizard",
                "action_make_copy",
                [[self._wizard_for(login, document)]],
                unchanged=self._copies,
            )
        # The check is the copy's own, not only the wizard's access rights.
        with self.assertRaises(AccessError):
            self._make(self.specialist, self.original)
        # Nobody creates a copy directly, even with every field right.
        self.assertRefused(
            "archivist",
            "vbdt.records.copy",
            "create",
            [
                {
                    "name": "01/SY",
                    "form": "sao_y",
                    "original_id": self.original.id,
                    "company_id": self.province.id,
                }
            ],
            error=ACCESS_ERROR,
            unchanged=self._copies,
        )
        self.assertFalse(self._copies())

    def _wizard_for(self, login, document):
        # The wizard record itself gathers values only; some users may not
        # even create it, so it is made as superuser under their name.
        user = {
            "clerk": self.clerk,
            "specialist": self.specialist,
            "other_clerk": self.other_clerk,
        }[login]
        return (
            self.env["vbdt.records.copy.wizard"]
            .with_user(user)
            .sudo()
            .create({"document_id": document.id, "form": "sao_y"})
            .id
        )

    def test_a_copy_is_never_renumbered_relinked_or_deleted(self):
        copy = self._make(self.clerk, self.original)
        other = self._registered(code="63/VPCP-TTĐT")
        for vals in (
            {"number": 7},
            {"name": "07/SY"},
            {"original_id": other.id},
            {"attachment_id": False},
            {"form": "trich_sao"},
        ):
            self.assertRefused(
                "archivist",
                "vbdt.records.copy",
                "write",
                [[copy.id], vals],
                error=ACCESS_ERROR,
                unchanged=self._copies,
            )
        self.assertRefused(
            "archivist",
            "vbdt.records.copy",
            "unlink",
            [[copy.id]],
            unchanged=self._copies,
        )
        # What a clerk may still write: where the copy goes.
        self.call_kw(
            "clerk",
            "vbdt.records.copy",
            "write",
            [[copy.id], {"recipients": "Sở Nội vụ"}],
        )
        self._vbdt_sync()
        self.assertEqual(copy.recipients, "Sở Nội vụ")
        self.assertEqual(self._copies(), [("01/SY", self.original.id, 1, copy.sha256)])
