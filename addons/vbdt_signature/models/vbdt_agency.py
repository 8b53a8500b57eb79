from odoo import fields, models

from ..pades.identity import AgencyName


class VbdtAgency(models.Model):
    _inherit = "vbdt.agency"

    def _vbdt_identity_names(self):
        """The names a certificate of this agency may carry: its current
        name, the names it bore before a rename and, through the chain of
        successions, the names of the agencies it succeeds (merged, split or
        ended into it), each with the day it stopped being borne."""
        self.ensure_one()
        # sudo: names and successions of agencies are directory facts printed
        # on documents; the reader of a signature check may not read the
        # ended agencies nor the reorganisations (system administrator's).
        Agency = self.sudo().with_context(active_test=False)
        Change = self.env["vbdt.agency.change"].sudo()
        today = fields.Date.context_today(self)
        names, seen, todo = [AgencyName(self.name)], set(), [Agency.browse(self.id)]
        while todo:
            entry = todo.pop()
            if entry.id in seen:
                continue
            seen.add(entry.id)
            if entry.internal_company_id:
                renames = Change.search(
                    [
                        ("operation", "=", "rename"),
                        ("state", "=", "done"),
                        ("agency_ids", "in", entry.internal_company_id.ids),
                    ]
                )
                names += [
                    AgencyName(change.old_name, change.date_effective)
                    for change in renames
                    if change.old_name
                ]
            for predecessor in Agency.search([("successor_id", "=", entry.id)]):
                names.append(
                    AgencyName(predecessor.name, predecessor.date_end or today)
                )
                todo.append(predecessor)
        return names
