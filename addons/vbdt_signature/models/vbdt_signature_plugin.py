"""The signer's USB token through the CA's browser signing plugin (VGCA Sign
Service style) instead of the vbdt agent, on the same signing session.

Two modes, both behind the session's one-time token:

- *hash*: the page reads the digest from the agent route, the plugin signs
  it on the token, the page posts the value back to the agent route (the
  existing phase 2: checked against the registered certificate and the
  digest before anything is written);
- *PDF*: the plugin signs the whole PDF itself. The page fetches the
  document the server prepared (``…/pdf``), hands it to the plugin and
  posts the signed PDF back. That output is never trusted: it must be the
  prepared bytes plus one signature changing nothing else
  (``pades.plugin.check_plugin_output``), and the signature is verified as
  any other (valid, trusted, not revoked, made with the signer's registered
  certificate) before the document is touched; with a timestamp authority,
  validation data and a document timestamp are added (B-LTA), so the
  long-term level is at least the server-side one.
"""

import base64

from odoo import fields, models
from odoo.exceptions import UserError

from ..pades.archive import add_archival_timestamp
from ..pades.errors import PadesError
from ..pades.plugin import check_plugin_output, prepare_for_plugin
from ..tools import user_error
from .vbdt_document import _with_fields


# Kept apart from the agent and remote sessions: the plugin path only adds
# the PDF mode's two steps to the same session.
class VbdtSignatureSession(models.Model):
    _inherit = "vbdt.signature.session"  # pylint: disable=consider-merging-classes-inherited

    plugin_pdf = fields.Binary(
        string="Document Prepared for the Plugin",
        attachment=True,
        readonly=True,
        copy=False,
        groups="base.group_system",
    )

    def _vbdt_plugin_document(self):
        """The PDF the plugin signs (prepared once per session: the signed
        PDF must start with exactly these bytes)."""
        self.ensure_one()
        self._vbdt_check_open()
        # sudo: the prepared copy is the server's working file of the session
        session = self.sudo()
        if session.plugin_pdf:
            return base64.b64decode(session.plugin_pdf)
        try:
            prepared = prepare_for_plugin(_with_fields(self.file_id.sudo()._get_raw()))
        except PadesError as err:
            raise user_error(self.env, err) from None
        session.plugin_pdf = base64.b64encode(prepared)
        return prepared

    def _vbdt_plugin_finish(self, signed):
        """Phase 2 of the PDF mode: check the plugin's PDF, then sign the
        document as the session's owner with it. Raises ``UserError``
        (nothing written) on any refusal."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT id FROM vbdt_signature_session WHERE id = %s FOR UPDATE", [self.id]
        )
        self.invalidate_recordset()
        self._vbdt_check_open()
        # sudo: the prepared copy is the server's working file of the session
        prepared = self.sudo().plugin_pdf
        if not prepared:
            raise UserError(
                self.env._("The document was never fetched for the signing plugin.")
            )
        try:
            check_plugin_output(base64.b64decode(prepared), signed)
        except PadesError as err:
            raise user_error(self.env, err) from None
        owner = self.user_id
        document = (
            self.document_id.with_user(owner)
            .with_company(self.document_id.company_id)
            .with_context(lang=owner.lang)
        )
        document._vbdt_finish_plugin_signing(self.with_env(document.env), signed)
        self.write({"state": "done", "error": False})
        return document


# Kept apart from models/vbdt_document.py, which another line of work changes.
class VbdtDocument(models.Model):
    _inherit = "vbdt.document"  # pylint: disable=consider-merging-classes-inherited

    def _vbdt_finish_plugin_signing(self, session, signed):
        """The PDF signed by the plugin, already checked to add one signature
        and nothing else: the document must still be signable by the owner,
        its main text unchanged; the signature is verified (registered
        certificate, trust, revocation) before it replaces the main text."""
        self.ensure_one()
        main, certificate, options = self._vbdt_check_session_still_signable(session)
        if options.timestamp_url:
            try:
                signed = add_archival_timestamp(signed, options)
            except PadesError as err:
                raise user_error(self.env, err) from None
        self._vbdt_complete_person_signature(
            signed, certificate, main, session.printed_name, options
        )
