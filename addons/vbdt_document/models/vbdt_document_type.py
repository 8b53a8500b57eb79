from odoo import fields, models


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
        string="Copy Form", help="Sao y, trích sao, sao lục: copies of another document."
    )

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A document type with this name already exists."),
    ]
