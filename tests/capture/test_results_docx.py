"""The .docx of search results (plain Python, no database): a landscape A4
table whose header row repeats on every page, every cell plain text."""

import io

import docx
import openpyxl
import pytest
from capture.export import CHAR_CM, cell_text, write_docx, write_xlsx
from docx.enum.section import WD_ORIENT
from docx.shared import Cm

HEADERS = ["Số, ký hiệu", "Trích yếu", "Mức phù hợp", "Nơi gửi"]
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '<w:fldSimple w:instr="DATE"/>',
    "+SUM(1;1)",
    '@HYPERLINK("http://x")',
    '{ DATE \\@ "dd/MM/yyyy" }',
]


def _open(data):
    document = docx.Document(io.BytesIO(data))
    (table,) = document.tables
    return document, [[cell.text for cell in row.cells] for row in table.rows]


def test_landscape_table_with_a_repeated_header_and_the_rows():
    rows = [["15/UBND-VP", "Công văn về kết nối", 0.1234, None]] * 120
    data = write_docx(
        "Tìm kiếm: kết nối (03/12/2026)",
        HEADERS,
        rows,
        byline="Người xuất: A",
        author="A",
    )
    document, table = _open(data)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert [p.text for p in document.paragraphs[:2]] == [
        "Tìm kiếm: kết nối (03/12/2026)",
        "Người xuất: A",
    ]
    assert table[0] == HEADERS
    assert table[1:] == [["15/UBND-VP", "Công văn về kết nối", "0.1234", ""]] * 120
    header_row = document.tables[0].rows[0]._tr
    assert header_row.xpath("./w:trPr/w:tblHeader")
    assert not document.tables[0].rows[1]._tr.xpath("./w:trPr/w:tblHeader")
    assert document.core_properties.author == "A"
    assert document.core_properties.title == "Tìm kiếm: kết nối (03/12/2026)"


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_cell_stays_text(text):
    document, table = _open(write_docx("t", ["x"], [[text]]))
    assert table[1] == [text]
    body = document.element.body
    assert body.xpath(".//w:fldSimple | .//w:instrText | .//w:fldChar") == []
    assert body.xpath(".//w:hyperlink") == []


def test_characters_xml_cannot_hold_are_dropped_lines_kept():
    _document, table = _open(
        write_docx("t\x00", ["a\x01"], [["một\x0bhai\nba\tbốn\ufffe"]])
    )
    assert table == [["a"], ["mộthai\nba\tbốn"]]


def test_same_cells_as_the_spreadsheet():
    """Both exports take the same (headers, rows): the .docx shows each
    cell of the .xlsx as its text, the byline under the title in both."""
    rows = [["1/UBND", "Trích yếu", 0.5, None], ["2/UBND", "=1+1", 1, ""]]
    xlsx = write_xlsx("t", HEADERS, rows, byline="b")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet["A2"].value == "b"
    assert sheet["B5"].data_type == "s", "a formula-looking text stays text"
    sheet_rows = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    _document, table = _open(write_docx("t", HEADERS, rows, byline="b"))
    assert table == [[cell_text(value) for value in row] for row in sheet_rows]


def test_columns_share_the_page_by_their_texts():
    rows = [["1234/QĐ-UBND", "Công văn về việc triển khai kết nối hệ thống " * 3, 0.5]]
    document, _table = _open(
        write_docx("t", ["Số, ký hiệu", "Trích yếu", "Hạng"], rows)
    )
    section = document.sections[0]
    room = section.page_width - section.left_margin - section.right_margin
    widths = [column.width for column in document.tables[0].columns]
    twip = 635  # EMU: Word keeps widths in twips
    assert room - twip * len(widths) <= sum(widths) <= room
    assert widths[1] > widths[0] > widths[2], "the summary gets the room"
    least = Cm(0.5 + CHAR_CM * len("1234/QĐ-UBND"))
    assert widths[0] >= least - twip, "a notation is whole"
    cell_widths = [cell.width for cell in document.tables[0].rows[1].cells]
    assert cell_widths == widths, "Word reads the cells' widths"
