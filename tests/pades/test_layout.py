"""The bundled font, ISO times, text location in PDFs, and the test PKI itself."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from cryptography import x509
from demo import documents as demo
from demo import testpki
from fontTools.ttLib import TTFont
from pades.appearance import FONT_PATH, iso_time, text_style, text_width
from pades.locate import find_line, line_above, normalise, text_lines
from pades.pdf import open_reader
from pades_helpers import canvas_pdf, is_blue, is_red
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.text import TextBox
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

VIETNAMESE = "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ Nguyễn Văn Đức ưởờỡợ Quyết định ặẵẳ ỹỷỵ"


def test_font_is_small_1000_upem_and_covers_vietnamese():
    font = TTFont(FONT_PATH)
    assert FONT_PATH.stat().st_size < 40_000
    assert font["head"].unitsPerEm == 1000
    cmap = font.getBestCmap()
    assert all(ord(char) in cmap for char in VIETNAMESE.replace(" ", ""))
    for name_id in (
        1,
        4,
        6,
    ):  # family, full and PostScript names: OFL Reserved Font Name
        assert "Liberation" not in font["name"].getDebugName(name_id)
    assert (FONT_PATH.parent / "OFL.txt").read_text().count(
        "SIL OPEN FONT LICENSE"
    ) == 1


def test_times_metrics():
    # Times New Roman: "A" is 0.722 em, digits 0.5 em, space 0.25 em
    assert text_width("A", 10) == pytest.approx(7.22)
    assert text_width("2026", 10) == pytest.approx(20.0)
    assert text_width(" ", 10) == pytest.approx(2.5)


def test_pyhanko_lays_out_the_bundled_font_at_times_width():
    """The bug this font works around: 2048-upem fonts come out twice as wide."""
    writer = PdfFileWriter()
    box = TextBox(text_style(), writer=writer, box=layout.BoxConstraints(400, 40))
    box.content = VIETNAMESE
    assert box._nat_text_width == pytest.approx(text_width(VIETNAMESE), abs=1.5)


def test_iso_time_in_vietnam():
    moment = datetime(2026, 2, 5, 3, 4, 5, 123456, tzinfo=timezone.utc)
    assert iso_time(moment) == "2026-02-05T10:04:05+07:00"


def test_lines_of_the_demo_signature_block():
    reader = open_reader(demo.demo_document_pdf(pages=3))
    page, name, lines = find_line(reader, "  nguyễn   VĂN an ", iter([2, 1, 0]))
    assert page == 2 and name.text == testpki.PERSON_NAME
    title = line_above(name, lines)
    assert title.text == "CHỦ TỊCH"
    assert line_above(title, lines).text == "TM. ỦY BAN NHÂN DÂN"
    left = [line.text for line in lines if line.baseline == name.baseline + 110]
    assert left == ["Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"]  # two columns, two lines


def test_runs_on_one_baseline_read_left_to_right():
    from PIL import Image

    space = text_width(" ", 13)
    second = 100 + text_width("Nguyễn", 13) + space
    third = second + text_width("Văn", 13) + space

    def draw(page):
        page.drawString(second, 500.06, "Văn")  # drawn first, a hair higher
        page.drawString(100, 500, "Nguyễn")
        page.drawString(third, 500, "An")
        page.drawString(400, 500, "CHỦ TỊCH")  # far right: another column
        page.drawInlineImage(Image.new("RGB", (2, 2)), 50, 50, 4, 4)
        page.drawString(100, 300, "after the inline image")

    lines = text_lines(open_reader(canvas_pdf(draw)), 0)
    assert [line.text for line in lines] == ["Nguyễn Văn An", "CHỦ TỊCH"]
    assert lines[0].x0 == pytest.approx(100)


def test_decomposed_input_matches_precomposed_text():
    assert normalise("Nguye\u0302\u0303n") == normalise("Nguyễn")


def cid_font_pdf(text: str) -> bytes:
    """A page whose text uses a Type0/Identity-H font, as word processors write."""
    writer = PdfFileWriter()
    box = TextBox(text_style(13), writer=writer, box=layout.BoxConstraints(500, 30))
    box.content = text
    stream = b"q 1 0 0 1 50 700 cm " + box.render() + b" Q"
    resources = box.resources.as_pdf_object()
    contents = writer.add_object(generic.StreamObject(stream_data=stream))
    writer.insert_page(
        PageObject(contents=contents, media_box=[0, 0, 595, 842], resources=resources)
    )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_type0_fonts_are_read():
    reader = open_reader(cid_font_pdf("Trần Thị Bình"))
    (line,) = text_lines(reader, 0)
    assert line.text == "Trần Thị Bình"
    assert line.x1 - line.x0 == pytest.approx(text_width("Trần Thị Bình", 13), abs=1)


def test_test_pki_shapes(pki):
    person = pki.person.certificate
    organisation = pki.organisation.certificate
    assert person.issuer == pki.intermediate.certificate.subject
    assert pki.intermediate.certificate.issuer == pki.root.certificate.subject
    usage = organisation.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (
        usage.digital_signature and usage.content_commitment
    )  # Circular 28/2025 profile
    assert pki.expired.certificate.not_valid_after_utc < pki.now
    assert pki.not_yet_valid.certificate.not_valid_before_utc > pki.now
    assert testpki.PKI_URL.startswith("http://pki.")  # a hostname, not an IP


def test_demo_images_are_transparent_pngs():
    from PIL import Image

    for data, colour in (
        (demo.demo_signature_png(), is_blue),
        (demo.demo_seal_png(), is_red),
    ):
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
        opaque = [pixel[:3] for pixel in image.getdata() if pixel[3] == 255]
        assert opaque and all(colour(pixel) for pixel in opaque)
    seal = Image.open(io.BytesIO(demo.demo_seal_png()))
    assert seal.info["dpi"][0] == pytest.approx(300, abs=0.01)  # stored per metre
