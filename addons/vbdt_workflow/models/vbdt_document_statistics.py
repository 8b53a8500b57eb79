from odoo import api, fields, models
from odoo.tools import SQL


class VbdtDocumentStatistics(models.Model):
    """Handling figures of incoming documents on the dashboard: completed on
    time or late, still within their deadline, and the average handling time
    in working days (summed and counted in the view, divided here, since the
    rows are groups)."""

    _inherit = "vbdt.document.statistics"

    handled_on_time_count = fields.Integer("Handled on Time", readonly=True)
    handled_late_count = fields.Integer("Handled Late", readonly=True)
    handling_pending_count = fields.Integer(
        "Being Handled",
        readonly=True,
        help="Directed incoming documents not completed yet and not overdue.",
    )
    handling_days_sum = fields.Integer("Handling Working Days", readonly=True)
    handling_days_count = fields.Integer("Handled with a Direction", readonly=True)
    handling_days_avg = fields.Float(
        "Average Handling Time (working days)",
        compute="_compute_handling_days_avg",
        digits=(6, 1),
    )
    handled_on_time_rate = fields.Float(
        "Handled on Time (%)", compute="_compute_handling_days_avg", digits=(5, 1)
    )

    @api.depends(
        "handling_days_sum",
        "handling_days_count",
        "handled_on_time_count",
        "handled_late_count",
    )
    def _compute_handling_days_avg(self):
        for row in self:
            row.handling_days_avg = (
                row.handling_days_sum / row.handling_days_count
                if row.handling_days_count
                else 0.0
            )
            handled = row.handled_on_time_count + row.handled_late_count
            row.handled_on_time_rate = (
                100.0 * row.handled_on_time_count / handled if handled else 0.0
            )

    def _figure_domains(self):
        done = [("direction", "=", "incoming"), ("state", "=", "done")]
        return {
            **super()._figure_domains(),
            "handled_on_time_count": [*done, ("handled_late", "=", False)],
            "handled_late_count": [*done, ("handled_late", "=", True)],
            "handling_pending_count": [
                ("direction", "=", "incoming"),
                ("state", "in", ("assigned", "in_progress")),
                "|",
                ("due_date", "=", False),
                ("due_date", ">=", fields.Date.today()),
            ],
            "handling_days_count": [*done, ("directed_date", "!=", False)],
        }

    def _figure_of_rate(self):
        return {
            **super()._figure_of_rate(),
            "handled_on_time_rate": "handled_on_time_count",
            "handling_days_avg": "handling_days_count",
            "handling_days_sum": "handling_days_count",
        }

    def _figure_columns(self):
        done = SQL("d.direction = 'incoming' AND d.state = 'done'")
        return {
            **super()._figure_columns(),
            "handled_on_time_count": SQL(
                """count(*) FILTER (WHERE %s
                AND (d.due_date IS NULL OR d.done_date <= d.due_date))""",
                done,
            ),
            "handled_late_count": SQL(
                "count(*) FILTER (WHERE %s AND d.done_date > d.due_date)", done
            ),
            "handling_pending_count": SQL("""count(*) FILTER (
                WHERE d.direction = 'incoming'
                AND d.state IN ('assigned', 'in_progress')
                AND (d.due_date IS NULL OR d.due_date >= CURRENT_DATE))"""),
            "handling_days_sum": SQL(
                """COALESCE(sum(d.handling_days) FILTER (
                WHERE %s AND d.directed_date IS NOT NULL), 0)""",
                done,
            ),
            "handling_days_count": SQL(
                "count(*) FILTER (WHERE %s AND d.directed_date IS NOT NULL)", done
            ),
        }
