from odoo import api, fields, models

from .vbdt_exchange_inbox_mixin import CONCURRENT_ERRORS, InboxDeferred


class VbdtAgency(models.Model):
    _inherit = "vbdt.agency"

    vbdt_require_signed_packages = fields.Boolean(
        string="Require Signed Packages",
        groups="vbdt_document.vbdt_document_group_manager",
        help="Packages from this agency must carry an XML signature that verifies "
        "against "
        "the trust anchors; unsigned or unverifiable ones are quarantined.",
    )
    vbdt_transport_ids = fields.Many2many(
        "vbdt.exchange.transport",
        "vbdt_agency_exchange_transport_rel",
        "agency_id",
        "transport_id",
        string="Reached Through",
        groups="vbdt_document.vbdt_document_group_manager",
        help="Axis connections whose agency directory lists this agency (filled by "
        "Synchronise Agency Directory). A package from this agency is accepted only "
        "through one of them.",
    )

    @api.model
    def _vbdt_sender_from_package(self, organization):
        """The directory entry of a package's sender, created when unknown."""
        # sudo: an incoming package's sender is looked up in the whole directory
        agency = self.sudo()._vbdt_find_by_code(organization.organ_id)
        if agency:
            return agency
        vals = {
            "name": organization.organ_name or organization.organ_id,
            "email": organization.email or False,
            "code": organization.organ_id,
        }
        try:
            with self.env.cr.savepoint():
                # sudo: the receiving server records an unknown sender in the directory
                return self.sudo().create(vals)
        except CONCURRENT_ERRORS as error:
            # Another worker is creating the same sender (the same package
            # through two transports): its entry is not visible here yet.
            raise InboxDeferred(type(error).__name__) from error
        except Exception:  # noqa: BLE001 - code not in a recognised form
            vals.pop("code")
            # sudo: as above, the sender recorded without its unusable code
            return self.sudo().create(vals)
