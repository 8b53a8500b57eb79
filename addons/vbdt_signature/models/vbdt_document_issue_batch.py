"""Batch issuing for the clerk: up to 50 signed documents in one action.

Each document goes through the document's own ``action_issue`` (its checks,
numbering, seal and dispatch hooks: nothing is duplicated here) in its own
savepoint, so a document refused or failing leaves the others issued and
itself untouched (no number drawn, no seal); the clerk gets a summary."""

import logging

from odoo import models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)
ISSUE_BATCH_LIMIT = 50
"""A batch is issued in one request: bounded so that it ends in seconds."""


class VbdtDocument(models.Model):
    _inherit = "vbdt.document"  # pylint: disable=consider-merging-classes-inherited

    def action_issue_batch(self):
        """The clerk issues the selected documents; returns a notification
        with what was issued and, for each refusal, why."""
        self._vbdt_check_clerk()
        if not self:
            raise UserError(self.env._("Select the documents to issue."))
        if len(self) > ISSUE_BATCH_LIMIT:
            raise UserError(
                self.env._(
                    "At most %(limit)s documents can be issued at once; "
                    "%(count)s are selected.",
                    limit=ISSUE_BATCH_LIMIT,
                    count=len(self),
                )
            )
        issued, refused = self._vbdt_issue_each()
        return self._vbdt_issue_batch_summary(issued, refused)

    def _vbdt_issue_each(self):
        """``(issued documents, [(document, reason)])``."""
        issued, refused = self.browse(), []
        for document in self:
            try:
                with self.env.cr.savepoint():
                    document.action_issue()
            except (UserError, AccessError, ValidationError) as err:
                refused.append((document, str(err.args[0]) if err.args else ""))
                _logger.info("batch issue: document %s refused", document.id)
            else:
                issued |= document
        return issued, refused

    def _vbdt_issue_batch_summary(self, issued, refused):
        lines = [
            self.env._(
                "%(issued)s of %(total)s documents issued.",
                issued=len(issued),
                total=len(issued) + len(refused),
            )
        ]
        if issued:
            lines.append(
                self.env._("Issued: %(codes)s.", codes=", ".join(issued.mapped("code")))
            )
        lines += [
            self.env._(
                "Not issued: %(document)s — %(reason)s",
                document=document.display_name,
                reason=reason,
            )
            for document, reason in refused
        ]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Batch issue"),
                "message": "\n".join(lines),
                "type": "warning" if refused else "success",
                "sticky": bool(refused),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
