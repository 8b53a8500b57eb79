"""The webhook remote signing services call when a signer has answered.

Authenticated by the secret in its URL (one per service configuration,
compared in constant time), bounded in size, and replay-proof: the result is
applied only to a request still waiting; a replay, or a result for a request
already settled, changes nothing. Signature values are never trusted: each
is checked against the registered certificate and the session's digest, and
the signed PDF verified, before a document is touched.
"""

import json
import logging

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..models.vbdt_signature_remote_provider import WEBHOOK_ROUTE

STATUS_ROUTE = "/vbdt_signature/remote/status"
CODE_ROUTE = "/vbdt_signature/remote/code"

_logger = logging.getLogger(__name__)
MAX_BODY = 1 << 20


class VbdtSignatureRemoteWebhook(http.Controller):
    @http.route(
        f"{WEBHOOK_ROUTE}/<int:provider_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def vbdt_remote_webhook(self, provider_id, token, **_kwargs):
        config = request.env["vbdt.signature.remote.provider"]._vbdt_for_webhook(
            provider_id, token
        )
        if config is None:
            return request.make_json_response({"error": "unknown webhook"}, status=404)
        raw = request.httprequest.get_data()[: MAX_BODY + 1]
        try:
            if len(raw) > MAX_BODY:
                raise ValueError("too large")
            payload = json.loads(raw)
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            return request.make_json_response({"error": "malformed"}, status=400)
        result = request.env["vbdt.signature.session"]._vbdt_remote_webhook(
            config, payload
        )
        _logger.info("remote signing webhook %s: %s", config.id, result)
        status = 400 if result == "malformed" else 200
        return request.make_json_response({"status": result}, status=status)


class VbdtSignatureRemoteStatus(http.Controller):
    """The signer's page follows their remote signature: where it stands (the
    provider's message, the time left) and, for services that need one, the
    code they type. The signer's own sessions only (record rules, then an
    explicit owner check); the code is passed to the service for one call and
    never stored nor logged."""

    @http.route(
        f"{STATUS_ROUTE}/<int:session_id>", type="json", auth="user", methods=["POST"]
    )
    def vbdt_remote_status(self, session_id, **_kwargs):
        return _own_session(session_id)._vbdt_remote_status()

    @http.route(
        f"{CODE_ROUTE}/<int:session_id>", type="json", auth="user", methods=["POST"]
    )
    def vbdt_remote_code(self, session_id, code=None, **_kwargs):
        return _own_session(session_id)._vbdt_remote_submit_code(code)


def _own_session(session_id):
    """The session, if the user's record rules let them see it (their own)."""
    session = request.env["vbdt.signature.session"].search([("id", "=", session_id)])
    if not session:
        raise AccessError(
            request.env._("This signing session does not exist or is not yours.")
        )
    return session
