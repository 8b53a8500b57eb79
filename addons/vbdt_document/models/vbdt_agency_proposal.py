from odoo import fields, models
from odoo.exceptions import UserError

from .lifecycle import is_unlocked, unlocked
from .res_company import _tier_selection

MANAGER = "vbdt_document.vbdt_document_group_manager"
# What a clerk may propose; the administrator's approval copies it into the directory.
PROPOSED_FIELDS = (
    "name",
    "code",
    "code_qd20",
    "parent_id",
    "tier",
    "email",
    "phone",
    "address",
    "website",
)


class VbdtAgencyProposal(models.Model):
    """A clerk's proposal of a new directory entry. The directory belongs to
    its administrators: they approve (the entry is created, audited) or
    refuse with a reason."""

    _name = "vbdt.agency.proposal"
    _description = "Proposed Directory Entry"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    code = fields.Char(string="Identifier Code", tracking=True)
    code_qd20 = fields.Char(string="Identifier Code (Decision 20)")
    parent_id = fields.Many2one("vbdt.agency", string="Parent Agency")
    tier = fields.Selection(_tier_selection, default="other")
    email = fields.Char()
    phone = fields.Char()
    address = fields.Char()
    website = fields.Char()
    note = fields.Text(
        string="Why", help="What the entry is needed for (the document received)."
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("approved", "Approved"), ("refused", "Refused")],
        default="proposed",
        required=True,
        readonly=True,
        tracking=True,
    )
    agency_id = fields.Many2one("vbdt.agency", string="Directory Entry", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        string="Proposed By Agency",
        readonly=True,
        default=lambda self: self.env.company,
    )
    refusal_reason = fields.Text(readonly=True)

    def write(self, vals):
        if is_unlocked(self):
            return super().write(vals)
        # state, agency_id and refusal_reason are the administrator's actions' own.
        if {"state", "agency_id", "refusal_reason", "company_id"} & set(vals):
            raise UserError(
                self.env._("Approve or refuse the proposal with its buttons.")
            )
        if any(p.state != "proposed" for p in self):
            raise UserError(
                self.env._("An answered proposal can no longer be changed.")
            )
        return super().write(vals)

    def _vbdt_check_manager(self):
        if not self.env.user.has_group(MANAGER):
            raise UserError(
                self.env._(
                    "Only the Document Office administrators answer directory "
                    "proposals."
                )
            )
        if any(p.state != "proposed" for p in self):
            raise UserError(self.env._("This proposal was already answered."))

    def action_approve(self):
        """Create the directory entry (audited like every directory change)."""
        self._vbdt_check_manager()
        for proposal in self:
            agency = self.env["vbdt.agency"].create(
                {
                    name: proposal[name].id if name == "parent_id" else proposal[name]
                    for name in PROPOSED_FIELDS
                }
            )
            with unlocked(proposal):
                proposal.write({"state": "approved", "agency_id": agency.id})
            proposal.message_post(
                body=self.env._(
                    "Approved by %(user)s: %(agency)s added to the directory.",
                    user=self.env.user.name,
                    agency=agency.display_name,
                )
            )
        return True

    def action_refuse(self, reason):
        self._vbdt_check_manager()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the proposal is refused."))
        with unlocked(self):
            self.write({"state": "refused", "refusal_reason": reason})
        for proposal in self:
            proposal.message_post(body=self.env._("Refused: %(reason)s", reason=reason))
        return True
