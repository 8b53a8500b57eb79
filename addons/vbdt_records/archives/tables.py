"""Index tables (mục lục văn bản, mục lục hồ sơ) written as CSV or XLSX.

Every cell is written as text: a title such as ``=HYPERLINK(...)`` typed by a
user must never become a formula in the records officer's spreadsheet."""

import csv
import io

import xlsxwriter

# Characters that make a spreadsheet read a CSV cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    text = "" if value is None or value is False else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(stream, header, rows):
    """Write ``header`` and ``rows`` to the binary ``stream`` as UTF-8 CSV
    with a byte-order mark (spreadsheets then read Vietnamese correctly)."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    text.flush()
    text.detach()


def write_xlsx(stream, title, header, rows, widths=()):
    """Write one sheet: ``title`` on the first line, then the table."""
    workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
    sheet = workbook.add_worksheet()
    bold = workbook.add_format({"bold": True})
    head = workbook.add_format(
        {"bold": True, "border": 1, "align": "center", "valign": "vcenter"}
    )
    head.set_text_wrap()
    cell = workbook.add_format({"border": 1, "valign": "top"})
    cell.set_text_wrap()
    sheet.write_string(0, 0, title, bold)
    for column, label in enumerate(header):
        sheet.write_string(2, column, str(label), head)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
    for row_index, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            text = "" if value is None or value is False else str(value)
            sheet.write_string(row_index, column, text, cell)
    sheet.freeze_panes(3, 0)
    workbook.close()
