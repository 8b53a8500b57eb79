from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from odoo.addons.vbdt_document.models.vbdt_document import AUTHORITY
from odoo.addons.vbdt_document.notation import authority_prefix

# Every authority of the signature block but TM. (on behalf of a collective),
# which the head signs in their own right: nobody is delegated to it.
DELEGATION_AUTHORITY = [(key, label) for key, label in AUTHORITY if key != "tm"]


class VbdtDelegation(models.Model):
    """A written, time-bounded delegation (B3): the delegate reviews and signs
    for the delegator during the period, under an authority prefix."""

    _name = "vbdt.delegation"
    _description = "Delegation of Authority"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        string="Agency",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    delegator_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    delegate_id = fields.Many2one("res.users", required=True, index=True, tracking=True)
    authority = fields.Selection(
        DELEGATION_AUTHORITY,
        string="Authority Prefix",
        required=True,
        default="kt",
        tracking=True,
    )
    delegate_position = fields.Char(
        string="Position Printed for the Delegate", help="e.g. PHÓ CHỦ TỊCH"
    )
    scope = fields.Selection(
        [("all", "All Documents"), ("types", "Some Document Types")],
        required=True,
        default="all",
    )
    document_type_ids = fields.Many2many("vbdt.document.type", string="Document Types")
    can_approve = fields.Boolean(default=True)
    can_sign = fields.Boolean(default=True)
    date_from = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    date_to = fields.Date(required=True, tracking=True)
    reference = fields.Char(help="Number of the written authorisation (giấy ủy quyền).")
    active = fields.Boolean(default=True)

    @api.depends("delegator_id", "delegate_id", "authority")
    def _compute_name(self):
        for delegation in self:
            delegation.name = "{} → {} ({})".format(
                delegation.delegator_id.name or "",
                delegation.delegate_id.name or "",
                authority_prefix(delegation.authority),
            )

    @api.constrains("date_from", "date_to", "delegator_id", "delegate_id")
    def _check_period(self):
        for delegation in self:
            if delegation.date_to < delegation.date_from:
                raise ValidationError(
                    self.env._("A delegation must end after it starts.")
                )
            if delegation.delegator_id == delegation.delegate_id:
                raise ValidationError(self.env._("Nobody can delegate to themselves."))

    @api.constrains("delegator_id", "date_from", "date_to", "company_id")
    def _check_no_redelegation_of_tuq(self):
        """TUQ. may not be re-delegated (Decree 30): whoever holds a TUQ.
        authorisation in the period cannot hand it on."""
        for delegation in self:
            # sudo: every TUQ. delegation of the period counts, also those the user
            # cannot read
            held = self.sudo().search_count(
                [
                    ("id", "!=", delegation.id),
                    ("delegate_id", "=", delegation.delegator_id.id),
                    ("authority", "=", "tuq"),
                    ("company_id", "=", delegation.company_id.id),
                    ("date_from", "<=", delegation.date_to),
                    ("date_to", ">=", delegation.date_from),
                ]
            )
            if held:
                raise ValidationError(
                    self.env._(
                        "%(user)s acts by written authorisation (TUQ.) in this period, "
                        "which cannot be delegated again.",
                        user=delegation.delegator_id.name,
                    )
                )

    @api.model
    def _find_active(self, delegators, delegate, record, day=None, purpose="approve"):
        """Delegation letting ``delegate`` act for one of ``delegators`` on
        ``record`` on ``day`` (today by default), or an empty recordset."""
        day = day or fields.Date.context_today(self)
        doc_type = record._vbdt_review_document_type()
        domain = [
            ("delegator_id", "in", delegators.ids),
            ("delegate_id", "=", delegate.id),
            ("company_id", "=", record.company_id.id),
            ("date_from", "<=", day),
            ("date_to", ">=", day),
            ("can_sign" if purpose == "sign" else "can_approve", "=", True),
        ]
        domain = expression.AND(
            [
                domain,
                [
                    "|",
                    ("scope", "=", "all"),
                    ("document_type_ids", "in", doc_type.ids),
                ],
            ]
        )
        # sudo: delegations are looked up for the check; only the one that applies is
        # used
        return self.sudo().search(domain, limit=1)

    @api.model
    def _delegates_of(self, delegators, record, day=None):
        day = day or fields.Date.context_today(self)
        doc_type = record._vbdt_review_document_type()
        # sudo: delegations are looked up for the check; only the deputies are used
        delegations = self.sudo().search(
            [
                ("delegator_id", "in", delegators.ids),
                ("company_id", "=", record.company_id.id),
                ("date_from", "<=", day),
                ("date_to", ">=", day),
                "|",
                ("scope", "=", "all"),
                ("document_type_ids", "in", doc_type.ids),
            ]
        )
        return delegations.delegate_id
