from datetime import date

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL

VIETNAM_TZ = "Asia/Ho_Chi_Minh"


class VbdtDocumentStatistics(models.Model):
    """Decision 28 figures per agency and year, plus a province-wide row.

    A document carried over from an ended agency counts where it was
    registered (``origin_company_id``), so the figures of every year stay
    those the former agency reported, before and after the change.

    Each agency row also names the agency acting for it today
    (``rollup_company_id``): its successor, through every merger, split or
    end that has taken effect. Grouped by it, the former agencies' figures
    roll up to their successor, and the sum of the agency rows still equals
    the province row, before and after the change.

    A materialized view grouped with GROUPING SETS: one row per (agency, year)
    and one row per year with no agency for the whole instance, so the
    dashboard reads a handful of rows whatever the number of documents. It is
    refreshed by a scheduled action (and the dashboard's Refresh button)."""

    _name = "vbdt.document.statistics"
    _description = "Document Statistics"
    _auto = False
    _order = "year desc, company_id"

    company_id = fields.Many2one("res.company", string="Agency", readonly=True)
    rollup_company_id = fields.Many2one(
        "res.company",
        string="Agency Today",
        readonly=True,
        help="The agency acting today for this row's agency: the row's own "
        "agency, or its successor once a merger, split or end has taken effect "
        "(figures of the day of the last refresh). Group by it to roll the "
        "former agencies' figures up to their successor.",
    )
    year = fields.Integer(readonly=True, aggregator=None)
    refreshed_at = fields.Datetime("Figures as of", readonly=True, aggregator=None)
    received_count = fields.Integer("Received in the System", readonly=True)
    sent_count = fields.Integer("Issued in the System", readonly=True)
    directed_count = fields.Integer("Directed by Leaders", readonly=True)
    axis_received_count = fields.Integer("Received over the Axis", readonly=True)
    axis_sent_count = fields.Integer("Sent over the Axis", readonly=True)
    digitised_count = fields.Integer("With Electronic File", readonly=True)
    document_count = fields.Integer("Documents", readonly=True)
    urgent_count = fields.Integer("Urgent", readonly=True)
    overdue_count = fields.Integer("Overdue", readonly=True)
    digitised_rate = fields.Float(
        "Digitised (%)", compute="_compute_rates", digits=(5, 1)
    )
    directed_rate = fields.Float(
        "Directed in the System (%)", compute="_compute_rates", digits=(5, 1)
    )

    @api.depends(
        "document_count", "digitised_count", "received_count", "directed_count"
    )
    def _compute_rates(self):
        for row in self:
            row.digitised_rate = (
                100.0 * row.digitised_count / row.document_count
                if row.document_count
                else 0.0
            )
            row.directed_rate = (
                100.0 * row.directed_count / row.received_count
                if row.received_count
                else 0.0
            )

    @api.depends("company_id", "year")
    def _compute_display_name(self):
        for row in self:
            agency = row.company_id.name or self.env._("Whole province")
            row.display_name = f"{agency} {row.year}"

    def _figure_columns(self):
        """The figures, as ``{column: SQL aggregate over the documents d}``;
        each column is also an Integer field of this model. Other addons add
        their figures by extending this dict (vbdt_workflow adds handling on
        time / late)."""
        return {
            "document_count": SQL("count(*)"),
            "received_count": SQL("""count(*) FILTER (WHERE d.direction = 'incoming'
                AND d.state NOT IN ('received', 'returned', 'cancelled'))"""),
            "sent_count": SQL(
                "count(*) FILTER (WHERE d.direction = 'outgoing' AND d.number > 0)"
            ),
            "directed_count": SQL(
                "count(*) FILTER (WHERE d.directed_date IS NOT NULL)"
            ),
            "axis_received_count": SQL(
                "count(*) FILTER (WHERE d.direction = 'incoming' AND "
                "d.arrival_channel = 'axis')"
            ),
            "axis_sent_count": SQL("count(*) FILTER (WHERE d.sent_via_axis)"),
            "digitised_count": SQL("count(*) FILTER (WHERE d.has_main_file)"),
            "urgent_count": SQL("count(*) FILTER (WHERE d.urgency != 'normal')"),
            "overdue_count": SQL(
                "count(*) FILTER (WHERE NOT d.is_closed AND d.due_date < CURRENT_DATE)"
            ),
        }

    def _figure_domains(self):
        """The documents behind each figure, as ``{column: domain on
        vbdt.document}``: the conditions of ``_figure_columns`` written as a
        domain (the figure's row adds its agency and year). Addons extend it
        with their figures; a test counts each domain against its column."""
        today = fields.Date.today()  # CURRENT_DATE of the view (UTC)
        return {
            "document_count": [],
            "received_count": [
                ("direction", "=", "incoming"),
                ("state", "not in", ("received", "returned", "cancelled")),
            ],
            "sent_count": [("direction", "=", "outgoing"), ("number", ">", 0)],
            "directed_count": [("directed_date", "!=", False)],
            "axis_received_count": [
                ("direction", "=", "incoming"),
                ("arrival_channel", "=", "axis"),
            ],
            "axis_sent_count": [("sent_via_axis", "=", True)],
            "digitised_count": [("has_main_file", "=", True)],
            "urgent_count": [("urgency", "!=", "normal")],
            "overdue_count": [("is_closed", "=", False), ("due_date", "<", today)],
        }

    def _figure_of_rate(self):
        """A rate or an average opens the documents it counts."""
        return {"digitised_rate": "digitised_count", "directed_rate": "directed_count"}

    def _row_domain(self):
        """The documents of this row: its year, and its agency (where they
        were registered) unless it is the whole-province row."""
        self.ensure_one()
        domain = [
            ("state", "!=", "cancelled"),
            ("register_date", ">=", date(self.year, 1, 1)),
            ("register_date", "<", date(self.year + 1, 1, 1)),
        ]
        if self.company_id:
            agency = self.company_id.id
            domain += [
                "|",
                ("origin_company_id", "=", agency),
                "&",
                ("origin_company_id", "=", False),
                ("company_id", "=", agency),
            ]
        return domain

    def action_open_figure(self):
        """The documents behind a figure of the dashboard (``vbdt_figure`` in
        the context names it), searched now under the user's own rules: a
        user sees there only the documents their lists show them."""
        self.ensure_one()
        figure = self.env.context.get("vbdt_figure")
        figure = self._figure_of_rate().get(figure, figure)
        domains = self._figure_domains()
        if figure not in domains:
            raise UserError(self.env._("This figure has no list of documents."))
        label = self._fields[figure]._description_string(self.env)
        return {
            "type": "ir.actions.act_window",
            "name": f"{label} — {self.display_name}",
            "res_model": "vbdt.document",
            "views": [(False, "list"), (False, "kanban"), (False, "form")],
            "domain": [*self._row_domain(), *domains[figure]],
            "context": {"create": False},
        }

    def _query(self):
        # The id must be the same after every refresh (open forms, CONCURRENTLY).
        figures = SQL(", ").join(
            SQL("%s AS %s", aggregate, SQL.identifier(column))
            for column, aggregate in self._figure_columns().items()
        )
        return SQL(
            """
            WITH RECURSIVE %s
            SELECT COALESCE(figures.company_id, 0) * 10000 + figures.year AS id,
                   now() AS refreshed_at, figures.*,
                   acting.acting_id AS rollup_company_id
              FROM (
                SELECT COALESCE(d.origin_company_id, d.company_id) AS company_id,
                       EXTRACT(YEAR FROM d.register_date)::int AS year, %s
                  FROM vbdt_document d
                 WHERE d.state != 'cancelled' AND d.register_date IS NOT NULL
                 GROUP BY GROUPING SETS (
                     (COALESCE(d.origin_company_id, d.company_id),
                      EXTRACT(YEAR FROM d.register_date)),
                     (EXTRACT(YEAR FROM d.register_date)))
              ) figures
              LEFT JOIN acting ON acting.company_id = figures.company_id
        """,
            self._acting_agencies(),
            figures,
        )

    @api.model
    def _acting_agencies(self):
        """CTE ``acting(company_id, acting_id)``: for every agency, the one
        acting for it on the refresh day (Vietnam time, as the end dates):
        its successor chain followed while the agencies on it have ended
        (reorg.resolve_successor in SQL; a cycle stops at 32 steps)."""
        return SQL(
            """
            chain(company_id, acting_id, depth) AS (
                SELECT c.id, c.id, 0 FROM res_company c
                 UNION ALL
                SELECT chain.company_id, c.vbdt_successor_id, chain.depth + 1
                  FROM chain JOIN res_company c ON c.id = chain.acting_id
                 WHERE c.vbdt_successor_id IS NOT NULL
                   AND c.vbdt_date_end <= (now() AT TIME ZONE %s)::date
                   AND chain.depth < 32
            ),
            acting AS (
                SELECT DISTINCT ON (company_id) company_id, acting_id
                  FROM chain ORDER BY company_id, depth DESC
            )""",
            VIETNAM_TZ,
        )

    def init(self):
        # A materialized view: computing the figures reads every document
        # (about a second at 1,000,000), too slow for each dashboard opening.
        cr = self.env.cr
        cr.execute("SELECT relkind FROM pg_class WHERE relname = %s", [self._table])
        kind = cr.fetchone()
        if kind and kind[0] == "m":
            cr.execute(SQL("DROP MATERIALIZED VIEW %s", SQL.identifier(self._table)))
        else:
            tools.drop_view_if_exists(cr, self._table)
        cr.execute(
            SQL(
                "CREATE MATERIALIZED VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
        cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (id)",
                SQL.identifier(f"{self._table}_id_uniq"),
                SQL.identifier(self._table),
            )
        )

    def _register_hook(self):
        # Uninstalling an addon that adds figures drops its columns and, with
        # them (CASCADE), this view: build it again for the remaining figures.
        super()._register_hook()
        if not tools.sql.table_kind(self.env.cr, self._table):
            self.init()

    @api.model
    def _refresh(self):
        """Recompute the figures; readers keep seeing the previous ones meanwhile."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(self._table)
            )
        )
        self.invalidate_model()

    def action_refresh(self):
        self._refresh()
        return {"type": "ir.actions.client", "tag": "soft_reload"}
