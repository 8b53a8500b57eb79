"""Search results as a spreadsheet (.xlsx) or a Word table (.docx): a title,
a line naming who exported, a header row and one row per result, in the
columns the user chose. Plain Python (xlsxwriter, which Odoo itself
requires; python-docx); the model passes the labels and the cell values it
has read under the user's rules, so both files hold the same rows."""

import io
import re

import docx
import xlsxwriter
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Excel keeps at most 32,767 characters in a cell.
MAX_CELL = 32_767
TAG = re.compile(r"<[^>]+>")
# Characters XML 1.0 cannot hold (a .docx is XML): dropped from cell texts.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Decree 30/2020 Appendix I: Times New Roman; A4 landscape for a wide table.
FONT = "Times New Roman"
# Width of an average character of that font at 11 pt (a wide estimate).
CHAR_CM = 0.25


def plain_text(html):
    """The text of a snippet without its marks (``<mark>`` and entities)."""
    text = TAG.sub("", html or "")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def cell_text(value):
    """A cell value as the text a document shows (numbers as written,
    nothing for an empty value)."""
    if value is None or value is False:
        return ""
    return str(value)


def write_xlsx(title, headers, rows, sheet_name="Results", byline=""):
    """``rows`` are sequences of cell values (str, int, float or None) in
    the order of ``headers``; ``byline`` goes under the title. Returns the
    .xlsx bytes."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, bold)
    if byline:
        sheet.write_string(1, 0, byline)
    for col, label in enumerate(headers):
        sheet.write(2, col, label, head)
        sheet.set_column(col, col, 60 if len(headers) == 1 else 24)
    for index, row in enumerate(rows):
        for col, value in enumerate(row):
            if isinstance(value, str):
                # A formula-looking text stays text (no formula injection).
                sheet.write_string(3 + index, col, value[:MAX_CELL], wrap)
            elif value is None or value is False:
                sheet.write_blank(3 + index, col, None, wrap)
            else:
                sheet.write_number(3 + index, col, value, wrap)
    sheet.freeze_panes(3, 0)
    book.close()
    return stream.getvalue()


def _repeat_as_header(row):
    """Word repeats this table row at the top of every page."""
    header = OxmlElement("w:tblHeader")
    row._tr.get_or_add_trPr().append(header)


def _column_widths(headers, texts, total):
    """Widths (EMU) sharing ``total``: each column at least as wide as its
    longest word (a notation or a number is never broken), the room left
    shared by the columns of long texts in proportion to their average
    length (a summary gets the room)."""
    least, extra = [], []
    for col, label in enumerate(headers):
        cells = [row[col] for row in texts]
        words = [len(word) for text in [label, *cells] for word in text.split()]
        longest = min(max(words, default=0), 30)
        average = sum(map(len, cells)) / len(cells) if cells else 0
        least.append(Cm(0.5 + CHAR_CM * max(longest, 4)))
        extra.append(max(min(average, 200) - longest, 0))
    room = total - sum(least)
    if room <= 0:
        return [int(total * width / sum(least)) for width in least]
    if not sum(extra):
        extra = [1] * len(least)
    return [int(w + room * e / sum(extra)) for w, e in zip(least, extra, strict=True)]


def write_docx(title, headers, rows, byline="", author=""):
    """The same table as :func:`write_xlsx`, as a landscape A4 Word
    document whose header row repeats on every page. Every cell is written
    as plain runs of text (never a field or a formula). Returns the .docx
    bytes."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    heading = document.add_paragraph()
    run = heading.add_run(NOT_XML.sub("", title))
    run.bold = True
    run.font.size = Pt(14)
    if byline:
        document.add_paragraph(NOT_XML.sub("", byline))
    texts = [[NOT_XML.sub("", cell_text(value)) for value in row] for row in rows]
    widths = _column_widths(
        headers, texts, section.page_width - section.left_margin - section.right_margin
    )
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    _repeat_as_header(table.rows[0])
    for cell, label, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.paragraphs[0].add_run(NOT_XML.sub("", label)).bold = True
        cell.width = width
    for row in texts:
        for cell, text, width in zip(table.add_row().cells, row, widths, strict=True):
            cell.text = text
            cell.width = width
    properties = document.core_properties
    properties.title = NOT_XML.sub("", title)[:255]
    properties.author = properties.last_modified_by = NOT_XML.sub("", author)
    properties.comments = ""
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
