from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

# Binary fields whose attachments follow their field's own access check
# (owner / agency administrators), not only the access to their record: Odoo
# lets anyone who can read the record read the attachment behind any of its
# fields by id (/web/content/<id>).
PROTECTED_FIELDS = {
    ("res.users", "vbdt_signature_image"),
    ("res.company", "vbdt_seal_image"),
}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        query = super()._search(domain, offset, limit, order)
        if self.env.su:
            return query
        ids = list(query.get_result_ids())
        forbidden = set(self.browse(ids)._vbdt_forbidden_image_ids()) if ids else set()
        if not forbidden:
            return query
        return self.browse([id_ for id_ in ids if id_ not in forbidden])._as_query(
            order
        )

    def check(self, mode, values=None):
        result = super().check(mode, values)
        if self and not self.env.is_superuser() and self._vbdt_forbidden_image_ids():
            raise AccessError(
                self.env._("Sorry, you are not allowed to access this document.")
            )
        return result

    def _vbdt_forbidden_image_ids(self):
        """Ids of attachments in ``self`` behind a protected image field that
        the current user may not read."""
        fields = sorted({field for _model, field in PROTECTED_FIELDS})
        self.flush_model(["res_model", "res_id", "res_field"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, res_model, res_id, res_field FROM ir_attachment "
                "WHERE id = ANY(%s) AND res_field IN %s",
                list(self._ids),
                tuple(fields),
            )
        )
        forbidden = []
        for id_, res_model, res_id, res_field in rows:
            if (res_model, res_field) not in PROTECTED_FIELDS or not res_id:
                continue
            try:
                self.env[res_model].browse(res_id).check_field_access_rights(
                    "read", [res_field]
                )
            except AccessError:
                forbidden.append(id_)
        return forbidden
