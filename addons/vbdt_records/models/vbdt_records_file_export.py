import io

from odoo import models

from ..archives import csip, export
from .field_attachment import field_attachment

PDF_MIMETYPE = "application/pdf"
EXPORT_FORMATS = ("pdf", "xml")


class VbdtRecordsFile(models.Model):
    """The whole case file exported as the user may read it: one PDF (a
    cover with the file's index, then each readable item's PDF) and the
    Circular 05/2025 metadata as XML, built by the hand-over's own
    description (``archives.csip``). Items the user may not read are left
    out and only counted."""

    _inherit = "vbdt.records.file"  # pylint: disable=consider-merging-classes-inherited

    def _vbdt_export_lines(self):
        """(readable items in order, number of items left out) for the
        current user: the item's rules and its document's rules decide."""
        self.ensure_one()
        self.check_access("read")
        every = self._lines_of(self._all_lines())
        # Searched as the user, so that the items' rules apply.
        visible = self.env["vbdt.records.file.line"].search([("file_id", "=", self.id)])
        readable_documents = visible.document_id._filtered_access("read")
        readable_copies = visible.copy_id._filtered_access("read")
        lines = visible.filtered(
            lambda line: (
                not line.document_id or line.document_id in readable_documents
            )
            and (not line.copy_id or line.copy_id in readable_copies)
        ).sorted(key=lambda line: (line.ordinal, line.id))
        return lines, len(every) - len(lines)

    # ------------------------------------------------------------ XML
    def _vbdt_export_xml(self):
        """The file's Circular 05/2025 metadata as the user may read it."""
        lines, withheld = self._vbdt_export_lines()
        Handover = self.env["vbdt.records.handover"]
        record_file = Handover._record_file(self, lines)
        record_file.metadata.append(("withheldItemCount", str(withheld)))
        company = self.company_id
        submission = csip.Submission(
            agency_name=company.name,
            agency_code=company.vbdt_agency_code or "",
            archive_name="",
            submitter=self.env.user.name,
            files=[record_file],
        )
        stream = io.BytesIO()
        csip.write_metadata(submission, stream)
        return stream.getvalue()

    # ------------------------------------------------------------ PDF
    def _vbdt_export_parts(self, lines):
        """(parts, items without a PDF): the main file of each readable
        document, or the scan of a non-document item, when it is a PDF."""
        Handover = self.env["vbdt.records.handover"]
        parts, without_pdf = [], 0
        for line in lines:
            if line.document_id:
                # The document was checked readable (_vbdt_export_lines); its
                # stored file is opened by the source (sudo there).
                main = line.document_id.main_file_id
                attachment = main.attachment_id
                mimetype = main.mimetype
            elif line.copy_id:
                # The copy was checked readable (_vbdt_export_lines); its
                # stored PDF is opened by the source (sudo there).
                attachment = line.copy_id.attachment_id
                mimetype = attachment.sudo().mimetype
            else:
                attachment = self._vbdt_item_attachment(line)
                mimetype = attachment.mimetype
            if not attachment or mimetype != PDF_MIMETYPE:
                without_pdf += 1
                continue
            source = Handover._source(attachment, attachment.name, mimetype)
            parts.append(export.Part(str(line.ordinal), source.opener))
        return parts, without_pdf

    def _vbdt_item_attachment(self, line):
        """The stored scan of a non-document item the user may read."""
        # the item itself was read as the user (_vbdt_export_lines)
        return field_attachment(line, "attachment")

    def _vbdt_export_pdf(self, stream):
        """Write the whole file as one PDF to ``stream``; return the
        merge result (page counts, parts left out)."""
        lines, withheld = self._vbdt_export_lines()
        parts, without_pdf = self._vbdt_export_parts(lines)
        report = self.env.ref("vbdt_records.vbdt_records_file_export_cover_report")

        def cover(result):
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    report,
                    self.ids,
                    data={
                        "withheld": withheld,
                        "without_pdf": without_pdf,
                        "unreadable": len(result.unreadable),
                        "included": len(result.included),
                    },
                )
            )
            return pdf

        return export.merge_pdfs(parts, stream, cover)

    def _vbdt_export_url(self, fmt):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/vbdt_records/export/{self.id}.{fmt}",
            "target": "download",
        }

    def action_export_pdf(self):
        return self._vbdt_export_url("pdf")

    def action_export_xml(self):
        return self._vbdt_export_url("xml")
