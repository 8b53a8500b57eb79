from odoo import fields, models
from odoo.exceptions import UserError

from .vbdt_records_file import LIFECYCLE_FIELDS


class VbdtRecordsFile(models.Model):
    """Case files received in a package (vbdt.records.reception): closed
    and read-only for good, their reception written by the import only."""

    _inherit = "vbdt.records.file"  # pylint: disable=consider-merging-classes-inherited

    reception_id = fields.Many2one(
        "vbdt.records.reception",
        string="Received In",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
    )

    _vbdt_lifecycle_fields = frozenset(LIFECYCLE_FIELDS | {"reception_id"})

    def action_reopen(self, reason):
        if self.filtered("reception_id"):
            raise UserError(
                self.env._("A received case file is read-only and is not re-opened.")
            )
        return super().action_reopen(reason)
