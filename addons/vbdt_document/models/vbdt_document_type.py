from odoo import api, fields, models
from odoo.tools import SQL


class VbdtDocumentType(models.Model):
    """Document types of Decree 30/2020 art. 7 (Nghị quyết, Quyết định, ...)."""

    _name = "vbdt.document.type"
    _description = "Document Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=False)
    abbreviation = fields.Char(
        help="Type part of the notation, e.g. QĐ in 15/QĐ-UBND. Empty for "
        "Công văn, whose notation has no type part.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_copy = fields.Boolean(
        string="Copy Form",
        help="Sao y, trích sao, sao lục: copies of another document.",
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A document type with this name already exists."),
    ]

    @api.model
    def _vbdt_analyze(self):
        """Give the planner the real row count of the seeded types: autovacuum
        never analyzes a table of 32 rows, and without statistics the planner
        expects hundreds of types and sorts where it should hash (bench/)."""
        self.env.flush_all()
        self.env.cr.execute(SQL("ANALYZE %s", SQL.identifier(self._table)))
