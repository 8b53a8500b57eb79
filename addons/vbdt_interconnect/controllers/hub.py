"""Our own axis: the VXP server contract (docs/DOMAIN.md §B6) on Odoo HTTP routes.

Replies are the contract's JSON objects, so the project's ``VxpClient`` works
against this hub unchanged.  Every request is authenticated from its headers
alone (:func:`vxp.authenticate`: HMAC, operation, fresh timestamp, nonce
never seen, rate quota) *before* its body is read: Odoo reads a multipart
body before it calls the route, so the check runs in the route's
``max_content_length`` hook, which Odoo calls first, and which also hands
werkzeug the caller's size quota.  Werkzeug then spools file parts over
500 kB to temporary files; the handler checks the body against the signed
``hash-file``/``hash-body``.
"""

import hashlib
import json
import logging
import uuid
from datetime import datetime, timezone

from werkzeug.exceptions import abort

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from .. import edxml
from ..vxp import (
    VxpAuthError,
    authenticate,
    check_body_hash,
    fail_reply,
    ok_reply,
    parse_recipients,
)
from ..vxp import protocol as p

_logger = logging.getLogger(__name__)
MiB = 1 << 20
_HASH_CHUNK = 1 << 20
_ENVIRON_KEY = "vbdt.hub.verified"
MAX_JSON_BODY = 64 << 10


def _reply(payload, status=200):
    return request.make_response(
        json.dumps(payload, ensure_ascii=False),
        headers=[("Content-Type", "application/json; charset=utf-8")],
        status=status,
    )


def _refuse(error_code, description, status):
    """Answer now, from the pre-dispatch hook, without reading the body."""
    _logger.info("hub: refused %s: %s", request.httprequest.path, description)
    response = _reply(fail_reply(error_code, description), status)
    response.headers["Connection"] = "close"  # the unread body is not drained
    abort(response)


def _hub_env():
    # sudo: the hub's callers are systems authenticated by HMAC, not users;
    # every handler filters what it returns by the authenticated system.
    return request.env(user=SUPERUSER_ID, su=True)


def _authenticate_before_body(_controller):
    """``max_content_length`` hook of the route: authenticate the caller
    from the headers, then return its size quota (bytes)."""
    operation = request.httprequest.path.rstrip("/").rsplit("/", 1)[-1]
    if operation not in p.OPERATIONS:
        _refuse(p.ERROR_NOT_FOUND, "no such operation", 404)
    if not request.db:
        # Several databases and no --db-filter: the hub cannot know its own.
        _refuse(p.ERROR_SERVER, "no database selected for the hub", 500)
    env = _hub_env()
    Systems = env["vbdt.hub.system"]
    Requests = env["vbdt.hub.request"]
    try:
        verified = authenticate(
            request.httprequest.headers,
            Systems._vbdt_secret_of,
            operation=operation,
            now=datetime.now(timezone.utc),
            max_skew=Requests._vbdt_max_skew(),
        )
    except VxpAuthError as error:
        _refuse(error.error_code or p.ERROR_AUTH, str(error), 401)
    caller = Systems.search([("system_id", "=", verified.system_id)], limit=1)
    if not caller.active:
        _refuse(p.ERROR_AUTH, "the system is not active", 401)
    # Only sendEdoc uploads a package; every other body is a small JSON.
    limit = (
        caller.max_request_mb * MiB if operation == p.SEND_EDOC.name else MAX_JSON_BODY
    )
    if (request.httprequest.content_length or 0) > limit:
        _refuse(
            p.ERROR_TOO_LARGE, f"request larger than the limit of {limit} bytes", 413
        )
    if Requests._vbdt_recent_count(caller) >= caller.requests_per_minute:
        _refuse(
            p.ERROR_TOO_MANY,
            f"more than {caller.requests_per_minute} requests per minute",
            429,
        )
    if not Requests._vbdt_remember(caller, verified.nonce, operation):
        _refuse(p.ERROR_AUTH, "this request was already received (replay)", 401)
    request.httprequest.environ[_ENVIRON_KEY] = (verified, caller.id)
    return limit


def _sha256_of(stream):
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    return digest.digest()


class VbdtHub(http.Controller):
    @http.route(
        "/vxp/<string:operation>",
        type="http",
        auth="none",
        csrf=False,
        methods=["GET", "POST"],
        save_session=False,
        readonly=False,
        max_content_length=_authenticate_before_body,
    )
    def vxp(self, operation, **_kwargs):
        verified, caller_id = request.httprequest.environ[_ENVIRON_KEY]
        env = _hub_env()
        caller = env["vbdt.hub.system"].browse(caller_id)
        httprequest = request.httprequest
        try:
            if operation == p.SEND_EDOC.name:
                upload = httprequest.files.get(p.FILE_PART)
                if not upload or len(httprequest.files) != 1 or httprequest.form:
                    raise ValueError("the request must carry exactly one file_doc part")
                check_body_hash(verified, p.HASH_FILE, _sha256_of(upload.stream))
                body = upload
            else:
                if httprequest.files or httprequest.form:
                    raise ValueError("this operation takes no form data")
                body = httprequest.get_data()
                check_body_hash(verified, p.HASH_BODY, hashlib.sha256(body).digest())
        except VxpAuthError as error:
            _logger.info("hub: refused %s request: %s", operation, error)
            return _reply(fail_reply(p.ERROR_AUTH, str(error)), 401)
        except ValueError as error:
            return _reply(fail_reply(p.ERROR_BAD_REQUEST, str(error)), 400)
        handler = getattr(self, "_op_" + operation)
        try:
            return _reply(handler(env, caller, verified.values, body))
        except ValueError as error:
            return _reply(fail_reply(p.ERROR_BAD_REQUEST, str(error)), 400)

    # ------------------------------------------------------------ documents
    def _op_sendEdoc(self, env, caller, values, upload):  # noqa: N802
        message_type = values.get(p.MESSAGE_TYPE) or "edoc"
        if message_type not in p.MESSAGE_TYPES:
            raise ValueError("bad messagetype")
        # Each recipient once: to=[X,X,X] is one message, not three.
        recipients = list(
            dict.fromkeys(
                code.upper() for code in parse_recipients(values.get(p.TO, ""))
            )
        )
        if not recipients:
            raise ValueError("no recipient")
        Messages = env["vbdt.hub.message"]
        key = values.get(p.IDEMPOTENCY_KEY) or False
        if key:
            stored = Messages.search(
                [("sender_system_id", "=", caller.id), ("idempotency_key", "=", key)],
                limit=1,
            )
            if stored:
                # A repeat after a crash or a timeout: stored once, same DocId.
                return ok_reply(DocId=stored.doc_id)
        try:
            sender_code = edxml.read_sender(upload.stream)
        except edxml.EdxmlError as error:
            raise ValueError(f"the package cannot be read: {error}") from None
        served = set(caller.agency_ids.mapped("code"))
        if not sender_code or sender_code.upper() not in {
            c.upper() for c in served if c
        }:
            return fail_reply(
                p.ERROR_AUTH,
                f"agency {sender_code or '?'} is not served by "
                f"system {caller.system_id}",
            )
        Systems = env["vbdt.hub.system"]
        targets = []
        for code in recipients:
            system = Systems._vbdt_for_agency_code(code)
            if not system:
                return fail_reply(p.ERROR_NOT_FOUND, f"unknown recipient {code}")
            targets.append((code, system))
        doc_id = uuid.uuid4().hex
        messages = Messages.create(
            [
                {
                    "doc_id": doc_id,
                    "sender_system_id": caller.id,
                    "recipient_system_id": system.id,
                    "sender_code": sender_code,
                    "recipient_code": code,
                    "message_type": message_type,
                    "package_hash": values.get(p.HASH_FILE),
                    "idempotency_key": key,
                }
                for code, system in targets
            ]
        )
        messages._vbdt_store_package(upload.stream)
        return ok_reply(DocId=doc_id)

    def _op_getReceivedEdocList(self, env, caller, values, body):  # noqa: N802
        messages = env["vbdt.hub.message"].search(
            [
                ("recipient_system_id", "=", caller.id),
                ("message_type", "=", values.get(p.MESSAGE_TYPE) or "edoc"),
                ("state", "in", ("pending", "delivered", "failed")),
            ],
            limit=500,
        )
        return ok_reply(
            data=[
                {
                    "docId": m.doc_id,
                    "from": m.sender_code,
                    "to": m.recipient_code,
                    "serviceType": p.SERVICE_TYPE_EDOC,
                    "messageType": m.message_type,
                    "created_time": fields.Datetime.to_string(m.create_date),
                    "updated_time": fields.Datetime.to_string(m.write_date),
                    "status": m.state,
                    "status_desc": "",
                }
                for m in messages
            ]
        )

    def _message(self, env, caller, values):
        return env["vbdt.hub.message"].search(
            [
                ("doc_id", "=", values.get(p.DOC_ID) or ""),
                ("recipient_system_id", "=", caller.id),
            ],
            limit=1,
        )

    def _op_getEdoc(self, env, caller, values, body):  # noqa: N802
        message = self._message(env, caller, values)
        if not message or message.state == "expired":
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        message.write(
            {
                "state": "delivered" if message.state != "done" else "done",
                "delivered_date": fields.Datetime.now(),
                "fetch_count": message.fetch_count + 1,
            }
        )
        return ok_reply(data=message.with_context(bin_size=False).package.decode())

    def _op_updateStatus(self, env, caller, values, body):  # noqa: N802
        message = self._message(env, caller, values)
        if not message:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        status = values.get(p.STATUS)
        if status not in p.TRANSPORT_STATUSES:
            raise ValueError("bad status")
        state = {"done": "done", "fail": "failed", "processing": "delivered"}[status]
        message.write(
            {
                "state": state,
                "done_date": fields.Datetime.now() if state == "done" else False,
            }
        )
        return ok_reply()

    def _op_getSentEdocList(self, env, caller, values, body):  # noqa: N802
        messages = env["vbdt.hub.message"].search(
            [
                ("doc_id", "=", values.get(p.DOC_ID) or ""),
                ("sender_system_id", "=", caller.id),
            ]
        )
        return ok_reply(
            data=[
                {
                    "senderDocId": m.doc_id,
                    "receiverDocId": m.doc_id,
                    "fromCode": m.sender_code,
                    "toCode": m.recipient_code,
                    "sendStatus": "done",
                    "sendStatusDesc": "",
                    "receiveStatus": m.state,
                    "receiveStatusDesc": "",
                    "sentTime": fields.Datetime.to_string(m.create_date),
                    "receivedTime": fields.Datetime.to_string(
                        m.done_date or m.delivered_date
                    )
                    or "",
                    "messageType": m.message_type,
                    "serviceType": p.SERVICE_TYPE_EDOC,
                }
                for m in messages
            ]
        )

    # ------------------------------------------------------------ directory
    def _agencies(self, env):
        systems = env["vbdt.hub.system"].search([])
        return systems.agency_ids

    @staticmethod
    def _agency_entry(agency):
        """What getAgenciesList and getSynchronizeUnit both say of an agency."""
        return {
            "id": str(agency.id),
            "code": agency.code or "",
            "pid": str(agency.parent_id.id or ""),
            "name": agency.name,
            "mail": agency.email or "",
        }

    def _op_getAgenciesList(self, env, caller, values, body):  # noqa: N802
        return ok_reply(
            data=[
                {**self._agency_entry(a), "oldCode": a.code or ""}
                for a in self._agencies(env)
            ]
        )

    def _op_getAgenciesListQD20(self, env, caller, values, body):  # noqa: N802
        return ok_reply(
            data=[
                {
                    "id": str(a.id),
                    "code": a.code_qd20 or a.code or "",
                    "code102": a.code or "",
                    "name": a.name,
                    "mail": a.email or "",
                }
                for a in self._agencies(env)
            ]
        )

    def _op_getSynchronizeUnit(self, env, caller, values, body):  # noqa: N802
        return ok_reply(
            data=[
                {
                    **self._agency_entry(a),
                    "version": 1,
                    "centerCode": "",
                    "deleted": not a.active,
                    "modifyDate": fields.Datetime.to_string(a.write_date),
                    "isAgency": True,
                }
                for a in self._agencies(env)
            ]
        )

    def _op_registerAgency(self, env, caller, values, body):  # noqa: N802
        """A claim for the hub operator, never an assignment: an agency code
        is routed to the one system the operator approved."""
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise ValueError("body must be JSON") from None
        if not isinstance(data, dict) or not str(data.get("code") or "").strip():
            raise ValueError("code is required")
        claim = env["vbdt.hub.agency.claim"]._vbdt_claim(caller, data)
        return ok_reply(Pending=True, ClaimId=claim.id)

    def _op_deleteAgency(self, env, caller, values, body):  # noqa: N802
        agency = env["vbdt.agency"]._vbdt_find_by_code(values.get(p.AGENCY_CODE) or "")
        if not agency or agency not in caller.agency_ids:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown agency")
        caller.agency_ids = [(3, agency.id)]  # written in the system's chatter
        return ok_reply()
