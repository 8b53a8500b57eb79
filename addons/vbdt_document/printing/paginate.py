"""Split the rows of a printed table into pages by estimated heights.

Heights are counted in *lines* of body text. A cell's height is the number of
lines its paragraphs take once word-wrapped to the cell's width (in average
characters); a row's height is its tallest cell plus the cell padding and
border. A page holds ``lines_per_page`` lines below its table header, the
first page fewer (``first_page_lines``: the title block takes the rest).

The estimates are deliberately pessimistic (narrow characters are counted as
wide ones): a page that is a little emptier than it could be is harmless,
a row pushed onto a page without a header is the defect this avoids.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PageGeometry:
    """What fits on one printed page of a table.

    ``chars_per_line``: average characters in a line across the full table
    width; ``column_widths``: each column's share of that width (fractions
    summing to at most 1); ``row_padding``: lines taken by a row's padding and
    borders; ``cell_padding_chars``: characters lost to each cell's padding.
    """

    lines_per_page: float
    first_page_lines: float
    chars_per_line: float
    column_widths: tuple
    row_padding: float = 0.4
    cell_padding_chars: float = 1.0

    def __post_init__(self):
        if self.lines_per_page <= 0 or self.first_page_lines <= 0:
            raise ValueError("a page must hold at least one line")
        if self.chars_per_line <= 0:
            raise ValueError("a line must hold at least one character")
        if sum(self.column_widths) > 1.0001:
            raise ValueError("the columns are wider than the table")

    def column_chars(self, index):
        """Characters that fit on one line of column ``index``."""
        chars = self.chars_per_line * self.column_widths[index]
        return max(1, math.floor(chars - self.cell_padding_chars))


def _paragraph_lines(text, width):
    """Lines a paragraph takes when word-wrapped greedily to ``width``."""
    words = text.split()
    if not words:
        return 0
    lines, used = 1, 0
    for word in words:
        size = len(word)
        if size > width:
            # A word wider than the cell is broken over several lines.
            if used:
                lines += 1
            lines += math.ceil(size / width) - 1
            used = size % width or width
            continue
        if used and used + 1 + size > width:
            lines += 1
            used = size
        else:
            used += size + (1 if used else 0)
    return lines


def cell_lines(content, width):
    """Lines taken by a cell: ``content`` is a string (its line breaks start
    new paragraphs) or a sequence of paragraphs; empty paragraphs are not
    printed."""
    if content is None or content is False:
        return 0
    paragraphs = [content] if isinstance(content, str) else list(content)
    total = 0
    for paragraph in paragraphs:
        if paragraph is None or paragraph is False:
            continue
        for line in str(paragraph).splitlines():
            total += _paragraph_lines(line, width)
    return total


def row_lines(cells, geometry):
    """Height of a row (its cells in column order) in lines, at least one."""
    if len(cells) > len(geometry.column_widths):
        raise ValueError("the row has more cells than the table has columns")
    tallest = max(
        (cell_lines(cell, geometry.column_chars(i)) for i, cell in enumerate(cells)),
        default=0,
    )
    return max(tallest, 1) + geometry.row_padding


def paginate(rows, geometry, cells=None):
    """Split ``rows`` into pages: a list of non-empty lists of rows, in order.

    ``cells(row)`` gives a row's cells (default: the row itself). A row is
    never split: it goes whole to the next page when it does not fit; a row
    taller than a whole page gets a page of its own. No rows, no pages.
    """
    cells = cells or (lambda row: row)
    pages, page, room = [], [], geometry.first_page_lines
    for row in rows:
        height = row_lines(cells(row), geometry)
        if page and height > room:
            pages.append(page)
            page, room = [], geometry.lines_per_page
        page.append(row)
        room -= height
    if page:
        pages.append(page)
    return pages
