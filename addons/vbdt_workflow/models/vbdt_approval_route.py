from odoo import api, fields, models


class VbdtApprovalRoute(models.Model):
    """Approval route (quy trình duyệt) of an agency for a kind of draft:
    ordered steps of reviewers ending with the signer."""

    _name = "vbdt.approval.route"
    _description = "Approval Route"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    model = fields.Selection(
        selection="_selection_model",
        required=True,
        default="vbdt.document",
        help="Kind of record the route reviews.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    document_type_ids = fields.Many2many(
        "vbdt.document.type",
        string="Document Types",
        help="Leave empty to use the route for every type.",
    )
    unit_id = fields.Many2one(
        "vbdt.unit",
        string="Drafting Unit",
        check_company=True,
        help="Leave empty to use the route for every unit.",
    )
    step_ids = fields.One2many(
        "vbdt.approval.route.step", "route_id", string="Steps", copy=True
    )
    note = fields.Text()

    @api.model
    def _get_vbdt_review_model_names(self):
        """Opt-in hook (like ``_get_tier_validation_model_names``): models that
        use approval routes extend this list."""
        return ["vbdt.document"]

    @api.model
    def _selection_model(self):
        names = self._get_vbdt_review_model_names()
        return [
            (model.model, model.name)
            # sudo: the names of the models routes apply to; ir.model is technical data
            for model in self.env["ir.model"].sudo().search([("model", "in", names)])
        ]

    @api.model
    def _find_for(self, record):
        """Most specific active route for ``record``: unit and type-specific
        routes win over generic ones, then sequence."""
        doc_type = record._vbdt_review_document_type()
        unit = record._vbdt_review_unit()
        routes = self.search(
            [
                ("model", "=", record._name),
                ("company_id", "=", record.company_id.id),
                ("unit_id", "in", [False, unit.id]),
            ]
        )
        routes = routes.filtered(
            lambda r: not r.document_type_ids or doc_type in r.document_type_ids
        )
        return routes.sorted(
            lambda r: (not r.unit_id, not r.document_type_ids, r.sequence, r.id)
        )[:1]
