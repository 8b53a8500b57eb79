"""Server-side pagination of printed tables (vbdt_document/printing)."""

import pytest
from printing import PageGeometry, cell_lines, paginate, row_lines

GEOMETRY = PageGeometry(
    lines_per_page=10,
    first_page_lines=6,
    chars_per_line=100,
    column_widths=(0.2, 0.8),
    row_padding=0.5,
    cell_padding_chars=0,
)


@pytest.mark.parametrize(
    ("content", "width", "lines"),
    [
        ("", 10, 0),
        (None, 10, 0),
        ("một", 10, 1),
        ("một hai ba", 10, 1),  # exactly 10 characters
        ("một hai bốn", 10, 2),
        ("a" * 25, 10, 3),  # a word wider than the cell is broken
        ("ab " + "c" * 25, 10, 4),
        ("dòng một\ndòng hai", 20, 2),
        (("Quyết định", "Về việc thử nghiệm"), 20, 2),
        (("Khẩn", False, None, ""), 20, 1),
    ],
)
def test_cell_lines_wraps_words(content, width, lines):
    assert cell_lines(content, width) == lines


def test_row_is_its_tallest_cell_plus_padding():
    # Column 0 holds 20 characters, column 1 holds 80.
    assert row_lines(("a", "b"), GEOMETRY) == 1.5
    assert row_lines(("x " * 30, "b"), GEOMETRY) == 3.5
    assert row_lines(("", ""), GEOMETRY) == 1.5, "an empty row still takes a line"
    with pytest.raises(ValueError):
        row_lines(("a", "b", "c"), GEOMETRY)


def test_pages_keep_order_and_never_split_a_row():
    heights = [1, 3, 1, 6, 2, 2, 1, 9, 1, 1, 4]
    rows = [("", "w " * (40 * height - 1)) for height in heights]
    pages = paginate(rows, GEOMETRY)
    assert [row for page in pages for row in page] == rows
    for number, page in enumerate(pages):
        room = GEOMETRY.first_page_lines if number == 0 else GEOMETRY.lines_per_page
        used = sum(row_lines(row, GEOMETRY) for row in page)
        assert used <= room or len(page) == 1
        if number + 1 < len(pages):
            following = row_lines(pages[number + 1][0], GEOMETRY)
            assert used + following > room, "a page is closed only when full"
    assert [len(page) for page in pages] == [2, 2, 3, 1, 3]


def test_first_page_is_shorter():
    rows = [("a", "b")] * 10  # 1.5 lines each
    assert [len(page) for page in paginate(rows, GEOMETRY)] == [4, 6]


def test_a_row_taller_than_a_page_gets_a_page_of_its_own():
    tall = ("", "w " * 40 * 15)
    rows = [("a", "b"), tall, ("a", "b")]
    assert paginate(rows, GEOMETRY) == [[rows[0]], [tall], [rows[2]]]


def test_no_rows_no_pages_and_custom_cells():
    assert paginate([], GEOMETRY) == []
    rows = [{"n": i} for i in range(5)]
    pages = paginate(rows, GEOMETRY, cells=lambda row: (str(row["n"]), "x"))
    assert [len(page) for page in pages] == [4, 1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lines_per_page": 0},
        {"first_page_lines": -1},
        {"chars_per_line": 0},
        {"column_widths": (0.7, 0.7)},
    ],
)
def test_geometry_refuses_impossible_pages(kwargs):
    values = {
        "lines_per_page": 10,
        "first_page_lines": 6,
        "chars_per_line": 100,
        "column_widths": (0.5, 0.5),
        **kwargs,
    }
    with pytest.raises(ValueError):
        PageGeometry(**values)
