"""JSON routes for the signing agent on the signer's own computer.

The agent authenticates with the one-time token of a signing session (no
Odoo login): ``GET`` returns what to sign, ``POST`` takes the signature
(``{"signature": base64, "digest": base64, "certificate": base64 DER}``),
finishes the PDF and signs the document as the session's owner. Refusals
are ``{"error": message}`` in the owner's language, with nothing written
but the session closed.
"""

import base64
import binascii
import json
import logging

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.vbdt_signature_session import AGENT_ROUTE
from ..pades.plugin import MAX_PLUGIN_PDF

_logger = logging.getLogger(__name__)
MAX_BODY = 64 << 10
MAX_PDF = MAX_PLUGIN_PDF


def _reply(payload, status=200):
    return request.make_json_response(payload, status=status)


def _open_session(session_id, token):
    """The signing session the one-time token opens (``None`` if none), and
    the user the browser is logged in as, if any: a browser logged in as
    someone else must not use another's session."""
    session = request.env["vbdt.signature.session"]._vbdt_for_agent(session_id, token)
    if session is None:
        return None, None
    request_user = (
        request.env["res.users"].browse(request.session.uid)
        if request.session.uid
        else None
    )
    return session, request_user


def _refused(session, error, log_message):
    """Close the session on a refusal and tell the agent why."""
    message = str(error.args[0])
    _logger.info(log_message, session.id, message)
    session._vbdt_fail(message)
    return _reply({"error": message}, 409)


def _signed(session, document):
    return _reply(
        {
            "status": "done",
            "document": document.display_name,
            "message": session.env._(
                "%(document)s is signed.", document=document.display_name
            ),
        }
    )


class VbdtSignatureAgent(http.Controller):
    @http.route(
        f"{AGENT_ROUTE}/<int:session_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def vbdt_agent_session(self, session_id, token, **_kwargs):
        session, request_user = _open_session(session_id, token)
        if session is None:
            return _reply({"error": "unknown signing session"}, 404)
        try:
            if request.httprequest.method == "GET":
                session._vbdt_check_open(request_user)
                return _reply(session._vbdt_agent_job())
            return self._finish(session, request_user)
        except (UserError, AccessError) as error:
            return _reply({"error": str(error.args[0])}, 409)

    def _finish(self, session, request_user):
        session._vbdt_check_open(request_user)
        try:
            body = json.loads(request.httprequest.get_data()[:MAX_BODY] or b"{}")
            signature = base64.b64decode(body["signature"], validate=True)
            digest = (
                base64.b64decode(body["digest"], validate=True)
                if body.get("digest")
                else None
            )
            certificate = (
                base64.b64decode(body["certificate"], validate=True)
                if body.get("certificate")
                else None
            )
        except (ValueError, KeyError, TypeError, binascii.Error):
            return _reply(
                {"error": session.env._("The signing agent sent a malformed request.")},
                400,
            )
        try:
            with request.env.cr.savepoint():
                document = session._vbdt_agent_finish(signature, digest, certificate)
        except (UserError, AccessError) as error:
            return _refused(session, error, "signing session %s refused: %s")
        return _signed(session, document)

    @http.route(
        f"{AGENT_ROUTE}/<int:session_id>/<string:token>/pdf",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def vbdt_plugin_document(self, session_id, token, **_kwargs):
        """A browser signing plugin that signs the whole PDF (VGCA Sign
        Service style): ``GET`` the document the server prepared, ``POST`` it
        back signed (``application/pdf``). The output is checked and the
        signature verified before the document is touched."""
        session, request_user = _open_session(session_id, token)
        if session is None:
            return _reply({"error": "unknown signing session"}, 404)
        try:
            session._vbdt_check_open(request_user)
            if request.httprequest.method == "GET":
                pdf = session._vbdt_plugin_document()
                return request.make_response(
                    pdf,
                    headers=[
                        ("Content-Type", "application/pdf"),
                        ("Cache-Control", "no-store"),
                        ("X-Content-Type-Options", "nosniff"),
                    ],
                )
        except (UserError, AccessError) as error:
            return _reply({"error": str(error.args[0])}, 409)
        signed = request.httprequest.get_data()[: MAX_PDF + 1]
        if not signed or len(signed) > MAX_PDF:
            return _reply(
                {"error": session.env._("The signing plugin sent no usable PDF.")}, 400
            )
        try:
            with request.env.cr.savepoint():
                document = session._vbdt_plugin_finish(signed)
        except (UserError, AccessError) as error:
            return _refused(
                session, error, "signing session %s: plugin PDF refused: %s"
            )
        return _signed(session, document)
