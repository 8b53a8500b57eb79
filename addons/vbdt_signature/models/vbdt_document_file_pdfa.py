import logging
import time

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import str2bool

from odoo.addons.vbdt_document.pdfa import PdfaError, PdfaLimits, convert_to_pdfa

_logger = logging.getLogger(__name__)

SWITCH_PARAM = "vbdt_signature.draft_to_pdfa"
"""On unless set to False: a draft's main text becomes PDF/A-2b before its
first signature."""
MAX_PAGES_PARAM = "vbdt_signature.draft_to_pdfa_max_pages"
SECONDS_PARAM = "vbdt_signature.draft_to_pdfa_seconds"
DEFAULT_MAX_PAGES = 100
"""Pages converted inside the signer's request: a 100-page text draft takes
about 13 s (2.5 s of CPU) on a busy 2-core machine, a 10-page one 2-3 s
(docs/MEASURES.md); pages that are images cost more."""
DEFAULT_SECONDS = 60
"""Half the request's wall-time limit (limit_time_real, 120 s): the
signature itself needs the rest."""


# Kept apart from models/vbdt_document_file.py: the draft's PDF/A step only.
class VbdtDocumentFile(models.Model):
    _inherit = "vbdt.document.file"  # pylint: disable=consider-merging-classes-inherited

    def _vbdt_pdfa_limits(self):
        # sudo: the limits are system parameters; only their values are used
        get = self.env["ir.config_parameter"].sudo().get_param

        def number(key, default):
            try:
                return max(1, int(get(key, default)))
            except (TypeError, ValueError):  # a mistyped parameter: the default
                return default

        return PdfaLimits(
            max_pages=number(MAX_PAGES_PARAM, DEFAULT_MAX_PAGES),
            seconds=number(SECONDS_PARAM, DEFAULT_SECONDS),
        )

    def _vbdt_pdfa_before_signing(self):
        """Replace this main text by its PDF/A-2b just before its first
        signature, so that the signature covers the PDF/A bytes and the
        archived file is PDF/A and validly signed. Called by the signing
        actions after their checks (the signer may sign, the file is an
        unsigned PDF), inside their transaction: a refused signature rolls
        the conversion back with it.

        Nothing happens when the switch ``vbdt_signature.draft_to_pdfa`` is
        off, when the file already declares a PDF/A level (once per file
        version: the converted file declares 2b), or when it carries any
        signature (never rewritten). A conversion that fails refuses the
        signature with the reason (``UserError``, nothing written): once
        signed, a file can never become PDF/A, so a signer is not left to
        sign a non-PDF/A original without knowing it. True when converted."""
        self.ensure_one()
        # sudo: the switch is a system parameter; only its value is used
        switch = self.env["ir.config_parameter"].sudo().get_param(SWITCH_PARAM, "True")
        # sudo: the stored PDF/A claim and signature checks of the file being
        # signed (self, which the signer reads); compared, not returned
        record = self.sudo()
        if (
            not str2bool(switch, True)
            or record.pdfa_level
            or record.signature_check_ids
            or record.signature_status in ("valid", "incomplete", "invalid")
        ):
            return False
        raw = self._get_raw()
        limits = self._vbdt_pdfa_limits()
        started = time.monotonic()
        try:
            converted = convert_to_pdfa(raw, limits)
        except PdfaError as exc:
            _logger.info("vbdt.document.file %s not made PDF/A: %s", self.id, exc)
            raise UserError(self._vbdt_pdfa_error_text(exc, limits)) from None
        _logger.info(
            "vbdt.document.file %s made PDF/A-2b before signing in %.2f s "
            "(%s bytes, now %s)",
            self.id,
            time.monotonic() - started,
            len(raw),
            len(converted),
        )
        self._vbdt_replace_content(converted, self.env._("Before PDF/A conversion"))
        self.document_id.message_post(
            body=self.env._(
                "Main text %(name)s converted to PDF/A-2b before signing "
                "(%(before)s bytes, now %(after)s bytes); the original is kept "
                "among the file's previous versions.",
                name=self.name,
                before=len(raw),
                after=len(converted),
            )
        )
        return True

    def _vbdt_pdfa_error_text(self, exc, limits):
        _ = self.env._
        reasons = {
            "not_pdf": _("it is not a readable PDF"),
            "signed": _(
                "it carries a signature or a signature field, which a conversion "
                "would break"
            ),
            "too_many_pages": _(
                "it has %(pages)s pages, more than the %(limit)s converted while "
                "signing",
                pages=exc.detail,
                limit=limits.max_pages,
            ),
            "timeout": _(
                "the conversion took longer than the %(seconds)s s allowed",
                seconds=limits.seconds,
            ),
            "missing_tool": _(
                "the converter (ocrmypdf) is not installed on the server"
            ),
            "text_changed": _(
                "the converted file's text would differ from the original's"
            ),
        }
        reason = reasons.get(exc.code, _("the converter could not convert it"))
        return _(
            "The main text %(name)s of %(document)s must be converted to PDF/A "
            "before it is signed, and it could not be: %(reason)s. Nothing was "
            "signed and the file was not changed. Upload the main text exported as "
            "PDF/A (Word: Save as PDF, Options, PDF/A; LibreOffice: Export as PDF, "
            "PDF/A-2b) and sign again, or ask an administrator.",
            name=self.name,
            document=self.document_id.display_name,
            reason=reason,
        )
