from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.vbdt_document.models.lifecycle import is_unlocked, may_create, unlocked


def agency_field():
    """The agency a case file, hand-over, reception or disposal list belongs
    to: required, indexed, the user's current company by default. One
    definition for the models that declare it the same way."""
    return fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )


class VbdtRecordsLifecycleMixin(models.AbstractModel):
    """The lifecycle guard of case files, hand-overs and disposal lists.

    It is the guard of ``vbdt_document`` (``models/lifecycle.py``): the fields
    in ``_vbdt_lifecycle_fields`` are written only by the models' action
    methods, through :meth:`_vbdt_write_lifecycle`, which unlocks exactly the
    records it writes for the duration of the write. No context key and no
    ``sudo()`` elsewhere in the code opens them: a client, over JSON-RPC, has
    no way to reach the permission."""

    _name = "vbdt.records.lifecycle.mixin"
    _description = "Records Lifecycle Guard"

    # Fields that only the model's actions write.
    _vbdt_lifecycle_fields = frozenset()

    def _vbdt_lifecycle_refusal(self):
        """The message a client gets when it writes a lifecycle field."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        if not may_create(self):
            for vals in vals_list:
                self._vbdt_check_lifecycle_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if not self._vbdt_lifecycle_unlocked():
            self._vbdt_check_lifecycle_vals(vals)
        return super().write(vals)

    def _vbdt_lifecycle_unlocked(self):
        """Whether the running server code unlocked these records."""
        return is_unlocked(self)

    def _vbdt_check_lifecycle_vals(self, vals):
        if self._vbdt_lifecycle_fields & set(vals):
            raise AccessError(self._vbdt_lifecycle_refusal())

    def _vbdt_write_lifecycle(self, vals):
        """The one path by which the action methods write lifecycle fields.
        Private: not reachable over RPC, and the permission ends with the call.
        The caller has checked who acts in which state."""
        with unlocked(self):
            return self.write(vals)
