from odoo import api, models

from ..pades import AttachmentAppearance, Placement, sign_pdf
from ..pades.archive import add_archival_timestamp
from ..pades.errors import PadesError
from ..tools import user_error


class VbdtSignatureCertificate(models.Model):
    _inherit = "vbdt.signature.certificate"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _vbdt_seal_text(self, document, pdf, reference, box):
        """Extension point for other addons (the copies of vbdt_records): sign
        ``pdf`` with the seal certificate of ``document``'s agency as a
        text-only organisation signature (``reference`` and the signing time,
        Decree 30 Appendix I) in ``box`` (points) on page 1, with the signing
        options of ``document``. Only a clerk of the agency applies the seal
        (checked by the backend). Returns the signed bytes."""
        certificate = self._vbdt_seal_certificate(document.company_id)
        backend = certificate._vbdt_backend()
        options = document._vbdt_signing_options()
        try:
            signed = sign_pdf(
                pdf,
                backend,
                AttachmentAppearance(reference),
                Placement(box=box, page=0),
                options=options,
            )
            if options.timestamp_url:
                signed = add_archival_timestamp(signed, options)
        except PadesError as err:
            raise user_error(self.env, err) from None
        return signed
