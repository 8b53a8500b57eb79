"""Search results as a spreadsheet: one sheet, a title, a header row and one
row per result, in the columns the user chose. Plain Python (xlsxwriter,
which Odoo itself requires); the model passes the labels and the cell texts
it has read under the user's rules."""

import io
import re

import xlsxwriter

# Excel keeps at most 32,767 characters in a cell.
MAX_CELL = 32_767
TAG = re.compile(r"<[^>]+>")


def plain_text(html):
    """The text of a snippet without its marks (``<mark>`` and entities)."""
    text = TAG.sub("", html or "")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def write_xlsx(title, headers, rows, sheet_name="Results"):
    """``rows`` are sequences of cell values (str, int, float or None) in
    the order of ``headers``. Returns the .xlsx bytes."""
    stream = io.BytesIO()
    book = xlsxwriter.Workbook(stream, {"in_memory": True, "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, title, bold)
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
