from odoo import api, fields, models

# The result columns a user may choose, in their order on screen and in exports.
COLUMNS = (
    "code",
    "document_date",
    "subject",
    "document_type",
    "sender",
    "state",
    "snippet",
    "rank",
)


class VbdtCaptureSearchColumns(models.AbstractModel):
    """The columns chosen for full-text results: on the search itself and on
    the searches a user saves (Decree 30 Appendix VI: users choose the
    fields shown)."""

    _name = "vbdt.capture.search.columns"
    _description = "Full-Text Search Columns"

    show_code = fields.Boolean(string="Number and Notation", default=True)
    show_document_date = fields.Boolean(string="Document Date", default=True)
    show_subject = fields.Boolean(string="Summary", default=True)
    show_document_type = fields.Boolean(string="Document Type")
    show_sender = fields.Boolean(string="Sender")
    show_state = fields.Boolean(string="Status")
    show_snippet = fields.Boolean(string="Snippet", default=True)
    show_rank = fields.Boolean(string="Rank")

    @api.model
    def _vbdt_column_fields(self):
        return [f"show_{key}" for key in COLUMNS]

    def _vbdt_column_values(self):
        """The choice as values for another record of this mixin."""
        self.ensure_one()
        return {name: self[name] for name in self._vbdt_column_fields()}

    def _vbdt_chosen_columns(self):
        """``[(key, label)]`` of the chosen columns, labels in the user's
        language; the summary when nothing is chosen."""
        self.ensure_one()
        chosen = [
            (key, self._fields[f"show_{key}"].get_description(self.env)["string"])
            for key in COLUMNS
            if self[f"show_{key}"]
        ]
        return chosen or [
            (
                "subject",
                self._fields["show_subject"].get_description(self.env)["string"],
            )
        ]
