import io

from odoo import api, models
from odoo.exceptions import UserError

from ..archives import tables

INDEX_FORMATS = ("csv", "xlsx")
# A printed or exported index covers at most this many files at once.
INDEX_MAX_FILES = 5000


def _date(value):
    """Dates shown to users read dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else ""


class VbdtRecordsFile(models.Model):
    """The file's document index (mục lục văn bản) and the agency's file
    index (mục lục hồ sơ), shared by the QWeb PDFs and the CSV/XLSX exports."""

    _inherit = "vbdt.records.file"

    # ------------------------------------------------------------ document index
    def _vbdt_document_index_header(self):
        _ = self.env._
        return [
            _("No."),
            _("Number and Notation"),
            _("Date"),
            _("Author"),
            _("Type and Summary"),
            _("Pages"),
            _("Notes"),
        ]

    def _vbdt_document_index_rows(self):
        """One row per item of the file, in order. Items this user may not
        see keep their ordinal (the numbering is the same for every reader)
        and show a neutral label only."""
        self.ensure_one()
        # Searched as the user, so that the items' rules apply (a cached
        # ``line_ids`` may hold items read by someone else in the transaction).
        visible = self.env["vbdt.records.file.line"].search([("file_id", "=", self.id)])
        rows = []
        for line in self._lines_of(self._all_lines()).sorted(
            key=lambda line: (line.ordinal, line.id)
        ):
            if line not in visible:
                rows.append(
                    [line.ordinal, "", "", "", self.env._("Restricted item"), "", ""]
                )
            elif line.document_id:
                rows.append(self._vbdt_document_row(line))
            elif line.copy_id:
                rows.append(self._vbdt_copy_row(line))
            else:
                kind = dict(line._fields["kind"]._description_selection(self.env))
                rows.append(
                    [
                        line.ordinal,
                        "",
                        _date(line.date),
                        "",
                        f"{kind[line.kind]}: {line.name}",
                        line.page_count or "",
                        "",
                    ]
                )
        return rows

    def _vbdt_copy_row(self, line):
        """A copy is listed by its original, the copy named in the notes
        (form and number of the copy register)."""
        copy = line.copy_id
        row = self._vbdt_document_row(line, copy.original_id)
        forms = dict(copy._fields["form"]._description_selection(self.env))
        row[5] = line._page_total() or ""
        row[6] = self.env._(
            "%(form)s no. %(number)s of %(date)s",
            form=forms[copy.form],
            number=copy.name or "",
            date=_date(copy.copy_date),
        )
        return row

    def _vbdt_document_row(self, line, document=None):
        document = document or line.document_id
        author = (
            document.sender_name or document.sender_agency_id.name
            if document.direction == "incoming"
            else document.company_id.name
        )
        summary = " ".join(
            part for part in (document.document_type_id.name, document.subject) if part
        )
        return [
            line.ordinal,
            document.code or "",
            _date(document.document_date or document.register_date),
            author or "",
            summary,
            line.page_count or document.page_count or "",
            "",
        ]

    # ------------------------------------------------------------ file index
    @api.model
    def _vbdt_file_index_header(self):
        _ = self.env._
        return [
            _("File Code"),
            _("File Title"),
            _("Start and End Dates"),
            _("Retention"),
            _("Documents"),
            _("Pages"),
            _("Responsible"),
            _("Notes"),
        ]

    def _vbdt_file_index_rows(self):
        all_lines = self._all_lines()
        states = dict(self._fields["state"]._description_selection(self.env))
        rows = []
        for case_file in self:
            # Page totals cover every item; only a number comes out.
            lines = case_file._lines_of(all_lines)
            pages = sum(line._page_total() for line in lines)
            span = " – ".join(
                _date(value)
                for value in (case_file.start_date, case_file.end_date)
                if value
            )
            rows.append(
                [
                    case_file.code,
                    case_file.title or "",
                    span,
                    case_file.retention_id.period_label or "",
                    case_file.document_count,
                    pages or "",
                    case_file.responsible_id.name or "",
                    states[case_file.state],
                ]
            )
        return rows

    # ------------------------------------------------------------ exports
    def _vbdt_index_table(self, kind):
        """(title, header, rows, column widths) of one index."""
        if kind == "documents":
            self.ensure_one()
            title = self.env._("Document index of case file %(code)s", code=self.code)
            header = self._vbdt_document_index_header()
            return (
                title,
                header,
                self._vbdt_document_index_rows(),
                (6, 18, 12, 24, 60, 8, 16),
            )
        title = self.env._("File index of %(agency)s", agency=self.company_id[:1].name)
        header = self._vbdt_file_index_header()
        return (
            title,
            header,
            self._vbdt_file_index_rows(),
            (12, 60, 24, 14, 10, 8, 22, 12),
        )

    def _vbdt_export_index(self, kind, fmt):
        """The index as bytes in ``fmt`` (csv or xlsx)."""
        if fmt not in INDEX_FORMATS or kind not in ("documents", "files"):
            raise UserError(self.env._("Unknown index or format."))
        if not self or len(self) > INDEX_MAX_FILES:
            raise UserError(
                self.env._(
                    "Select between 1 and %(limit)s case files.", limit=INDEX_MAX_FILES
                )
            )
        self.check_access("read")
        title, header, rows, widths = self._vbdt_index_table(kind)
        stream = io.BytesIO()
        if fmt == "csv":
            tables.write_csv(stream, header, rows)
        else:
            tables.write_xlsx(stream, title, header, rows, widths)
        return stream.getvalue()

    def _vbdt_index_url(self, kind, fmt):
        ids = ",".join(str(record_id) for record_id in self.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/vbdt_records/index/{kind}.{fmt}?ids={ids}",
            "target": "download",
        }

    def action_export_document_index_xlsx(self):
        self.ensure_one()
        return self._vbdt_index_url("documents", "xlsx")

    def action_export_document_index_csv(self):
        self.ensure_one()
        return self._vbdt_index_url("documents", "csv")

    def action_export_file_index_xlsx(self):
        return self._vbdt_index_url("files", "xlsx")

    def action_export_file_index_csv(self):
        return self._vbdt_index_url("files", "csv")
