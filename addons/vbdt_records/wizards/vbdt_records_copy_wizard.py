import base64

from odoo import fields, models

from ..models.vbdt_records_copy import FORMS


class VbdtRecordsCopyWizard(models.TransientModel):
    """Make a copy of a document: form, pages of an extract, signer,
    recipients and, for a paper original, its scan. Everything is checked
    again by ``vbdt.records.copy._vbdt_make_copy``: this form only gathers."""

    _name = "vbdt.records.copy.wizard"
    _description = "Make a Copy"

    document_id = fields.Many2one("vbdt.document", string="Original", required=True)
    form = fields.Selection(
        FORMS,
        string="Form of Copy",
        required=True,
        default="sao_y",
    )
    pages = fields.Char(help="Pages of the original in an extract, e.g. 1-2, 4.")
    signer_id = fields.Many2one(
        "res.users",
        string="Signed By",
        domain="[('share', '=', False)]",
        help="The person with authority who signs the copy on behalf of the agency.",
    )
    recipients = fields.Text(help="Where the copy is sent (nơi nhận).")
    scan = fields.Binary(
        string="Scan of the Paper Original",
        attachment=False,
        help="A PDF scan, for a copy of a paper original.",
    )
    scan_name = fields.Char()
    source_copy_id = fields.Many2one(
        "vbdt.records.copy",
        string="From the Copy",
        help="For a sao lục made from one of the agency's copies.",
    )

    def action_make_copy(self):
        self.ensure_one()
        copy = self.env["vbdt.records.copy"]._vbdt_make_copy(
            self.document_id,
            self.form,
            pages=self.pages,
            signer=self.signer_id,
            recipients=self.recipients,
            scan=base64.b64decode(self.scan) if self.scan else None,
            source_copy=self.source_copy_id,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": copy._name,
            "res_id": copy.id,
            "view_mode": "form",
            "target": "current",
        }
