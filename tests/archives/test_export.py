"""The whole-file export core without Odoo: parts merged in order after the
cover, unreadable parts left out and reported, the metadata XML written by
the hand-over's own descriptive writer."""

import io

from archives import csip, export
from lxml import etree
from PyPDF2 import PdfReader
from reportlab.pdfgen import canvas


def _pdf(marker, pages):
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{marker}-{number}")
        pdf.showPage()
    pdf.save()
    return stream.getvalue()


def _part(label, data):
    return export.Part(label, lambda: io.BytesIO(data))


def test_parts_follow_the_cover_in_order_and_bad_ones_are_reported():
    seen = []

    def cover(result):
        seen.append((list(result.included), list(result.unreadable)))
        return _pdf("COVER", 2)

    out = io.BytesIO()
    result = export.merge_pdfs(
        [
            _part("1", _pdf("ONE", 3)),
            _part("2", b"%PDF-1.4 broken"),
            _part("3", b"not a pdf at all"),
            _part("4", _pdf("FOUR", 1)),
        ],
        out,
        cover,
    )
    assert seen == [(["1", "4"], ["2", "3"])]
    assert (result.page_count, result.cover_pages) == (6, 2)
    reader = PdfReader(io.BytesIO(out.getvalue()))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) == 6
    assert "COVER-1" in texts[0] and "COVER-2" in texts[1]
    assert "ONE-1" in texts[2] and "ONE-3" in texts[4] and "FOUR-1" in texts[5]


def test_every_opened_part_is_closed():
    streams = []

    def opener(data):
        def open_():
            stream = io.BytesIO(data)
            streams.append(stream)
            return stream

        return open_

    export.merge_pdfs(
        [export.Part("1", opener(_pdf("A", 1))), export.Part("2", opener(b"x"))],
        io.BytesIO(),
    )
    assert len(streams) == 2 and all(stream.closed for stream in streams)


def test_metadata_xml_is_the_descriptive_metadata_without_computer_files():
    document = csip.RecordDocument(
        1,
        "15/QĐ-UBND",
        [("numberAndNotation", "15/QĐ-UBND"), ("summary", "Về việc lập hồ sơ")],
        [csip.Source("a.pdf", "application/pdf", lambda: io.BytesIO(b"%PDF"))],
    )
    record_file = csip.RecordFile(
        "01.TH",
        "Hồ sơ",
        [("fileCode", "01.TH"), ("withheldItemCount", "2")],
        [document],
    )
    submission = csip.Submission(
        "UBND tỉnh Phú Thọ", "000.00.00.H45", "", "Nguyễn Thị Lưu", [record_file]
    )
    out = io.BytesIO()
    csip.write_metadata(submission, out)
    root = etree.fromstring(out.getvalue())
    ns = {"r": csip.RECORDS_NS}
    assert root.findtext("r:agencyCode", namespaces=ns) == "000.00.00.H45"
    assert root.findtext("r:file/r:withheldItemCount", namespaces=ns) == "2"
    assert root.xpath("//r:document/r:summary/text()", namespaces=ns) == [
        "Về việc lập hồ sơ"
    ]
    assert not root.xpath("//r:computerFile", namespaces=ns)
