from odoo import api, fields, models
from odoo.osv import expression

URGENT = ("urgent", "very_urgent", "flash", "flash_timed")


class VbdtWorkQueue(models.Model):
    """A work queue of the home page (chờ vào sổ, chờ ký, quá hạn...).

    The rows only name, order and show the queues to roles; what a queue
    holds is decided in Python by its ``key`` (``_vbdt_queue_domains``,
    extended by the other addons), never by a domain stored in the database.
    Counts are read under the user's own rights, so a queue never shows more
    than the user's lists would."""

    _name = "vbdt.work.queue"
    _description = "Work Queue"
    _order = "sequence, id"

    key = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)
    group_ids = fields.Many2many(
        "res.groups",
        "vbdt_work_queue_group_rel",
        "queue_id",
        "group_id",
        string="Shown To",
        help="Roles that see this queue on their home page.",
    )
    hidden_group_ids = fields.Many2many(
        "res.groups",
        "vbdt_work_queue_hidden_group_rel",
        "queue_id",
        "group_id",
        string="Not Shown To",
        help="Higher roles that have queues of their own for this work.",
    )
    is_mine = fields.Boolean(compute="_compute_is_mine", search="_search_is_mine")
    document_count = fields.Integer(string="Documents", compute="_compute_counts")
    urgent_count = fields.Integer(string="Urgent", compute="_compute_counts")
    overdue_count = fields.Integer(string="Overdue", compute="_compute_counts")

    _sql_constraints = [
        ("key_uniq", "unique(key)", "A work queue key must be unique."),
    ]

    # ------------------------------------------------------------ queues
    @api.model
    def _vbdt_queue_domains(self):
        """``{key: domain on vbdt.document}`` for the current user. Addons
        add their queues by extending this dict (and an XML row)."""
        document = self.env["vbdt.document"]
        return {
            "incoming_waiting": [
                ("direction", "=", "incoming"),
                ("state", "=", "received"),
            ],
            "outgoing_to_issue": [
                ("direction", "=", "outgoing"),
                ("state", "in", sorted(document._vbdt_issuable_states())),
            ],
            "my_drafts": [
                ("direction", "=", "outgoing"),
                ("drafter_id", "=", self.env.uid),
                ("is_closed", "=", False),
            ],
        }

    def _vbdt_domain(self):
        self.ensure_one()
        # An unknown key (a row added by hand) holds nothing rather than everything.
        return self._vbdt_queue_domains().get(self.key, expression.FALSE_DOMAIN)

    # ------------------------------------------------------------ computes
    @api.depends_context("uid")
    def _compute_is_mine(self):
        mine = self.search([("is_mine", "=", True)])
        for queue in self:
            queue.is_mine = queue in mine

    def _search_is_mine(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        groups = self.env.user.groups_id.ids
        domain = [
            ("group_ids", "in", groups),
            ("hidden_group_ids", "not in", groups),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_counts(self):
        """One grouped query per queue (by urgency and due day), under the
        user's record rules."""
        documents = self.env["vbdt.document"]
        today = fields.Date.context_today(self)
        for queue in self:
            groups = documents._read_group(
                queue._vbdt_domain(), ["urgency", "due_date:day"], ["__count"]
            )
            queue.document_count = sum(count for _u, _d, count in groups)
            queue.urgent_count = sum(
                count for urgency, _d, count in groups if urgency in URGENT
            )
            queue.overdue_count = sum(
                count for _u, day, count in groups if day and day < today
            )

    @api.model
    def vbdt_menu_counts(self):
        """The user's queues and their counts for the systray counter.

        Read under the user's own rules (no sudo): the counts are those of
        the lists a queue opens. All figures of a queue come from its one
        grouped read, made once per call. Users outside the Document Office
        get nothing (and no menu)."""
        if not self.env.user.has_group("vbdt_document.vbdt_document_group_specialist"):
            return []
        return [
            {
                "id": queue.id,
                "key": queue.key,
                "name": queue.name,
                "count": queue.document_count,
                "urgent": queue.urgent_count,
                "overdue": queue.overdue_count,
            }
            for queue in self.search([("is_mine", "=", True)])
        ]

    # ------------------------------------------------------------ actions
    def action_open(self):
        """The documents of the queue, urgent first, then by deadline."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "vbdt.document",
            "views": [
                (
                    self.env.ref("vbdt_document.vbdt_document_view_list_queue").id,
                    "list",
                ),
                (
                    self.env.ref("vbdt_document.vbdt_document_view_kanban_queue").id,
                    "kanban",
                ),
                (False, "form"),
            ],
            # a phone opens the cards: the list's columns do not fit its width
            "mobile_view_mode": "kanban",
            "domain": self._vbdt_domain(),
            "context": {"vbdt_queue": self.key},
        }
