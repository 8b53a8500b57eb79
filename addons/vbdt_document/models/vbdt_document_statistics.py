from odoo import api, fields, models, tools
from odoo.tools import SQL


class VbdtDocumentStatistics(models.Model):
    """Decision 28 figures per agency and year, plus a province-wide row.

    A SQL view grouped with GROUPING SETS: one row per (agency, year) and one
    row per year with no agency for the whole instance, so the dashboard reads a
    handful of rows whatever the number of documents."""

    _name = "vbdt.document.statistics"
    _description = "Document Statistics"
    _auto = False
    _order = "year desc, company_id"

    company_id = fields.Many2one("res.company", string="Agency", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    received_count = fields.Integer("Received in the System", readonly=True)
    sent_count = fields.Integer("Issued in the System", readonly=True)
    directed_count = fields.Integer("Directed by Leaders", readonly=True)
    axis_received_count = fields.Integer("Received over the Axis", readonly=True)
    axis_sent_count = fields.Integer("Sent over the Axis", readonly=True)
    digitised_count = fields.Integer("With Electronic File", readonly=True)
    document_count = fields.Integer("Documents", readonly=True)
    urgent_count = fields.Integer("Urgent", readonly=True)
    overdue_count = fields.Integer("Overdue", readonly=True)
    digitised_rate = fields.Float("Digitised (%)", compute="_compute_rates", digits=(5, 1))
    directed_rate = fields.Float("Directed in the System (%)", compute="_compute_rates",
                                 digits=(5, 1))

    @api.depends("document_count", "digitised_count", "received_count", "directed_count")
    def _compute_rates(self):
        for row in self:
            row.digitised_rate = (
                100.0 * row.digitised_count / row.document_count if row.document_count else 0.0
            )
            row.directed_rate = (
                100.0 * row.directed_count / row.received_count if row.received_count else 0.0
            )

    @api.depends("company_id", "year")
    def _compute_display_name(self):
        for row in self:
            agency = row.company_id.name or self.env._("Whole province")
            row.display_name = f"{agency} {row.year}"

    def _query(self):
        return SQL("""
            SELECT row_number() OVER (ORDER BY year, company_id NULLS FIRST) AS id, *
              FROM (
                SELECT d.company_id,
                       EXTRACT(YEAR FROM d.register_date)::int AS year,
                       count(*) AS document_count,
                       count(*) FILTER (WHERE d.direction = 'incoming'
                                          AND d.state NOT IN ('received', 'returned', 'cancelled'))
                           AS received_count,
                       count(*) FILTER (WHERE d.direction = 'outgoing'
                                          AND d.number > 0) AS sent_count,
                       count(*) FILTER (WHERE d.directed_date IS NOT NULL) AS directed_count,
                       count(*) FILTER (WHERE d.direction = 'incoming'
                                          AND d.arrival_channel = 'axis') AS axis_received_count,
                       count(*) FILTER (WHERE d.sent_via_axis) AS axis_sent_count,
                       count(*) FILTER (WHERE d.has_main_file) AS digitised_count,
                       count(*) FILTER (WHERE d.urgency != 'normal') AS urgent_count,
                       count(*) FILTER (WHERE NOT d.is_closed AND d.due_date < CURRENT_DATE)
                           AS overdue_count
                  FROM vbdt_document d
                 WHERE d.state != 'cancelled' AND d.register_date IS NOT NULL
                 GROUP BY GROUPING SETS ((d.company_id, EXTRACT(YEAR FROM d.register_date)),
                                         (EXTRACT(YEAR FROM d.register_date)))
              ) figures
        """)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table),
                                self._query()))
