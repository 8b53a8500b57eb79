"""One source for "the linked document is readable by this user".

Side tables that carry a document's content or files (its files, their
text, copies, exchange records, deliveries, signature checks, draft
versions, case file items) must be read exactly by those who read the
document. Their record rules ask for it with
``vbdt_document_read_domain('document_id')`` (the path of the many2one to
``vbdt.document``) instead of repeating the document's confidential,
specialist and clerk rules by hand: the domain is the document's own read
rules for the current user, as Odoo combines them (global rules AND the OR
of the user's group rules), placed under the path, the way Odoo itself
applies the rules of an ``_inherits`` parent."""

from odoo import api, models
from odoo.osv import expression

DOCUMENT_MODEL = "vbdt.document"


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _eval_context(self):
        context = super()._eval_context()
        context["vbdt_document_read_domain"] = self._vbdt_document_read_domain
        return context

    @api.model
    def _vbdt_document_read_domain(self, path):
        """Domain on a side table: its document (through the many2one
        ``path``) is readable by the current user under the document's own
        access rights and record rules. A user without read access to
        documents reads no document's side rows (the subquery below runs
        without the access check)."""
        if not self.env["ir.model.access"].check(
            DOCUMENT_MODEL, "read", raise_exception=False
        ):
            return expression.FALSE_DOMAIN
        # The document's rules for this user (Odoo's cache, keyed by user and
        # allowed companies; cleared when rules, groups or units change).
        domain = self._compute_domain(DOCUMENT_MODEL, "read")
        return [(path, "any", domain or expression.TRUE_DOMAIN)]
