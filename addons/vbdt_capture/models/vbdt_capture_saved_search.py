from odoo import api, fields, models
from odoo.exceptions import UserError


class VbdtCaptureSavedSearch(models.Model):
    """A full-text search a user keeps, with the columns they chose.

    Private by default: its owner alone reads it, unless they share it with
    their agency; only the owner changes or deletes it
    (``security/vbdt_capture_rules.xml``). Running a saved search runs the
    query again under the rules of whoever runs it, so sharing a search
    shares its words, never its results."""

    _name = "vbdt.capture.saved.search"
    _inherit = ["vbdt.capture.search.columns"]
    _description = "Saved Full-Text Search"
    _order = "name, id"

    name = fields.Char(required=True)
    query = fields.Char(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    shared = fields.Boolean(
        string="Shared with the Agency",
        help="Colleagues of the agency may run it (each sees only the documents "
        "they may read); only you change it.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.is_superuser():
            for vals in vals_list:
                # A search belongs to whoever saves it, in their current agency.
                vals["user_id"] = self.env.uid
                vals["company_id"] = self.env.company.id
        return super().create(vals_list)

    def write(self, vals):
        if {"user_id", "company_id"} & set(vals) and not self.env.is_superuser():
            raise UserError(self.env._("A saved search keeps its owner and agency."))
        return super().write(vals)

    def action_run(self):
        """Open the search with this query and columns, run as the user."""
        self.ensure_one()
        search = self.env["vbdt.capture.search"].create(
            {
                "query": self.query,
                "saved_search_id": self.id,
                **self._vbdt_column_values(),
            }
        )
        return search.action_search()
