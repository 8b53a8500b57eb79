from odoo import api, fields, models

OPEN_PARTS = ("assigned", "in_progress")


class VbdtWorkQueue(models.Model):
    """The queues of the approval and handling flows on the home page."""

    _inherit = "vbdt.work.queue"

    @api.model
    def _vbdt_queue_domains(self):
        uid = self.env.uid
        today = fields.Date.context_today(self)
        my_open_part = [
            ("responsible_id", "=", uid),
            ("role", "!=", "info"),
            ("state", "in", OPEN_PARTS),
        ]
        return {
            **super()._vbdt_queue_domains(),
            "assigned_mine": [
                ("direction", "=", "incoming"),
                ("assignment_ids", "any", [*my_open_part, ("user_id", "=", uid)]),
            ],
            "review_mine": [("state", "=", "review"), ("review_is_mine", "=", True)],
            # Parts given to the unit that its head has not handed to a member.
            "to_distribute": [
                ("direction", "=", "incoming"),
                (
                    "assignment_ids",
                    "any",
                    [*my_open_part, ("user_id", "=", False), ("unit_id", "!=", False)],
                ),
            ],
            "presented_mine": [
                ("direction", "=", "incoming"),
                ("state", "=", "presented"),
                ("directing_leader_id", "=", uid),
            ],
            "to_sign_mine": [("state", "=", "to_sign"), ("review_is_mine", "=", True)],
            "agency_overdue": [
                ("is_closed", "=", False),
                ("state", "!=", "cancelled"),
                ("due_date", "<", today),
            ],
        }
