from odoo import api, models
from odoo.exceptions import UserError

from .lifecycle import is_unlocked

# Columns that make an attachment what it is (bytes, where they are, whose).
CONTENT_FIELDS = {
    "datas",
    "raw",
    "db_datas",
    "store_fname",
    "checksum",
    "file_size",
    "res_model",
    "res_id",
    "res_field",
    "type",
    "url",
    "mimetype",
}


class IrAttachment(models.Model):
    """The bytes behind the files of a document past drafting are evidence:
    neither the file record nor its attachment may be rewritten or deleted,
    whoever asks and through whichever model."""

    _inherit = "ir.attachment"

    def _vbdt_evidence(self):
        """Attachments among these that hold evidence: the content (or a kept
        previous version) of a file of a document past drafting, or any file
        attached to such a document."""
        # sudo: decide on every attachment whoever the caller is; nothing is returned.
        records = self.sudo()
        document_ids = {
            a.res_id for a in records if a.res_model == "vbdt.document" and a.res_id
        }
        files = (
            self.env["vbdt.document.file"]
            .sudo()
            .search([("attachment_id", "in", records.ids)])
        )
        document_ids |= set(files.document_id.ids)
        if not document_ids:
            return self.browse()
        editable = self.env["vbdt.document"]._vbdt_editable_states()
        closed = (
            self.env["vbdt.document"]
            # sudo: the documents' states decide whether their files are evidence;
            # nothing is returned
            .sudo()
            .browse(document_ids)
            .exists()
            .filtered(lambda d: d.state not in editable)
        )
        if not closed:
            return self.browse()
        held = {f.attachment_id.id for f in files if f.document_id in closed}
        return self.filtered(
            lambda a: a.id in held
            # sudo: the attachment's owner fields decide, whoever may read the owner;
            # only a filter
            or (a.sudo().res_model == "vbdt.document" and a.sudo().res_id in closed.ids)
        )

    def write(self, vals):
        if CONTENT_FIELDS & set(vals) and not is_unlocked(self):
            evidence = self._vbdt_evidence()
            if evidence:
                raise UserError(
                    self.env._(
                        "%(name)s belongs to a document past drafting or registration: "
                        "its content can no longer be replaced.",
                        name=evidence[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_evidence(self):
        evidence = self._vbdt_evidence()
        if evidence:
            raise UserError(
                self.env._(
                    "%(name)s belongs to a document past drafting or registration and "
                    "cannot be deleted.",
                    name=evidence[0].name,
                )
            )
