from odoo import api, fields, models
from odoo.exceptions import UserError


class VbdtDocumentVersion(models.Model):
    """A draft file as it stood at one moment of the approval (append-only):
    who uploaded it and when are ``create_uid`` and ``create_date``."""

    _name = "vbdt.document.version"
    _description = "Draft Version"
    _order = "document_id, version desc, id desc"

    document_id = fields.Many2one(
        "vbdt.document", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True
    )
    version = fields.Integer(readonly=True)
    name = fields.Char(string="File Name", required=True)
    datas = fields.Binary(string="File", attachment=True, required=True)
    note = fields.Char()
    review_round = fields.Integer(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        counts = {}
        for vals in vals_list:
            document = self.env["vbdt.document"].browse(vals["document_id"])
            if document.id not in counts:
                # sudo: the version number counts every version, also hidden ones
                counts[document.id] = self.sudo().search_count(
                    [("document_id", "=", document.id)]
                )
            counts[document.id] += 1
            vals.update(version=counts[document.id], review_round=document.review_round)
        versions = super().create(vals_list)
        for version in versions:
            version.document_id.message_post(
                body=self.env._(
                    "Version %(version)s of the draft: %(name)s",
                    version=version.version,
                    name=version.name,
                )
            )
        return versions

    def write(self, vals):
        if set(vals) - {"version", "review_round"}:
            raise UserError(self.env._("Draft versions are kept as uploaded."))
        return super().write(vals)
