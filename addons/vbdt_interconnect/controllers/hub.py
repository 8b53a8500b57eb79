"""Our own axis: the VXP server contract (docs/DOMAIN.md §B6) on Odoo HTTP routes.

Every request is authenticated with ``vxp.verify_request`` against the
registered systems; replies are the contract's JSON objects, so the project's
``VxpClient`` works against this hub unchanged.
"""

import base64
import json
import logging
import uuid

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..vxp import VxpAuthError, fail_reply, ok_reply, parse_recipients, verify_request
from ..vxp import protocol as p

_logger = logging.getLogger(__name__)
MAX_PACKAGE_BYTES = 128 << 20


def _reply(payload, status=200):
    return request.make_response(
        json.dumps(payload, ensure_ascii=False),
        headers=[("Content-Type", "application/json; charset=utf-8")], status=status)


class VbdtHub(http.Controller):
    @http.route("/vxp/<string:operation>", type="http", auth="none", csrf=False,
                methods=["GET", "POST"], save_session=False, readonly=False)
    def vxp(self, operation, **_kwargs):
        op = p.OPERATIONS.get(operation)
        if op is None:
            return _reply(fail_reply(p.ERROR_NOT_FOUND, "no such operation"), 404)
        if not request.db:
            # Several databases and no --db-filter: the hub cannot know its own.
            return _reply(fail_reply(p.ERROR_SERVER, "no database selected for the hub"), 500)
        env = request.env(user=SUPERUSER_ID, su=True)
        httprequest = request.httprequest
        if (httprequest.content_length or 0) > MAX_PACKAGE_BYTES * 2:
            return _reply(fail_reply(p.ERROR_BAD_REQUEST, "package too large"), 413)
        upload = httprequest.files.get(p.FILE_PART)
        package = upload.read(MAX_PACKAGE_BYTES + 1) if upload else None
        if package is not None and len(package) > MAX_PACKAGE_BYTES:
            return _reply(fail_reply(p.ERROR_BAD_REQUEST, "package too large"), 413)
        Systems = env["vbdt.hub.system"]
        try:
            verified = verify_request(httprequest.headers, package, Systems._vbdt_secret_of)
        except VxpAuthError as error:
            _logger.info("hub: refused %s request: %s", operation, error)
            return _reply(fail_reply(error.error_code or p.ERROR_AUTH, str(error)), 401)
        caller = Systems.search([("system_id", "=", verified.system_id)], limit=1)
        handler = getattr(self, "_op_" + operation)
        try:
            return _reply(handler(env, caller, verified.values, package))
        except ValueError as error:
            return _reply(fail_reply(p.ERROR_BAD_REQUEST, str(error)), 400)

    # ------------------------------------------------------------ documents
    def _op_sendEdoc(self, env, caller, values, package):  # noqa: N802
        if not package:
            raise ValueError("missing file_doc part")
        message_type = values.get(p.MESSAGE_TYPE) or "edoc"
        if message_type not in p.MESSAGE_TYPES:
            raise ValueError("bad messagetype")
        recipients = parse_recipients(values.get(p.TO, ""))
        if not recipients:
            raise ValueError("no recipient")
        Systems = env["vbdt.hub.system"]
        targets = []
        for code in recipients:
            system = Systems._vbdt_for_agency_code(code)
            if not system:
                return fail_reply(p.ERROR_NOT_FOUND, f"unknown recipient {code}")
            targets.append((code, system))
        sender_code = caller.agency_ids[:1].code or caller.system_id
        doc_id = uuid.uuid4().hex
        env["vbdt.hub.message"].create([{
            "doc_id": doc_id, "sender_system_id": caller.id, "recipient_system_id": system.id,
            "sender_code": sender_code, "recipient_code": code, "message_type": message_type,
            "package": base64.b64encode(package), "package_hash": values.get(p.HASH_FILE),
        } for code, system in targets])
        return ok_reply(DocId=doc_id)

    def _op_getReceivedEdocList(self, env, caller, values, package):  # noqa: N802
        messages = env["vbdt.hub.message"].search([
            ("recipient_system_id", "=", caller.id),
            ("message_type", "=", values.get(p.MESSAGE_TYPE) or "edoc"),
            ("state", "in", ("pending", "delivered", "failed"))], limit=500)
        return ok_reply(data=[{
            "docId": m.doc_id, "from": m.sender_code, "to": m.recipient_code,
            "serviceType": p.SERVICE_TYPE_EDOC, "messageType": m.message_type,
            "created_time": fields.Datetime.to_string(m.create_date),
            "updated_time": fields.Datetime.to_string(m.write_date),
            "status": m.state, "status_desc": "",
        } for m in messages])

    def _message(self, env, caller, values):
        return env["vbdt.hub.message"].search([
            ("doc_id", "=", values.get(p.DOC_ID) or ""),
            ("recipient_system_id", "=", caller.id)], limit=1)

    def _op_getEdoc(self, env, caller, values, package):  # noqa: N802
        message = self._message(env, caller, values)
        if not message:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        message.write({"state": "delivered" if message.state != "done" else "done",
                       "delivered_date": fields.Datetime.now(),
                       "fetch_count": message.fetch_count + 1})
        return ok_reply(data=message.with_context(bin_size=False).package.decode())

    def _op_updateStatus(self, env, caller, values, package):  # noqa: N802
        message = self._message(env, caller, values)
        if not message:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        status = values.get(p.STATUS)
        if status not in p.TRANSPORT_STATUSES:
            raise ValueError("bad status")
        state = {"done": "done", "fail": "failed", "processing": "delivered"}[status]
        message.write({"state": state,
                       "done_date": fields.Datetime.now() if state == "done" else False})
        return ok_reply()

    def _op_getSentEdocList(self, env, caller, values, package):  # noqa: N802
        messages = env["vbdt.hub.message"].search([
            ("doc_id", "=", values.get(p.DOC_ID) or ""), ("sender_system_id", "=", caller.id)])
        return ok_reply(data=[{
            "senderDocId": m.doc_id, "receiverDocId": m.doc_id, "fromCode": m.sender_code,
            "toCode": m.recipient_code, "sendStatus": "done", "sendStatusDesc": "",
            "receiveStatus": m.state, "receiveStatusDesc": "",
            "sentTime": fields.Datetime.to_string(m.create_date),
            "receivedTime": fields.Datetime.to_string(m.done_date or m.delivered_date) or "",
            "messageType": m.message_type, "serviceType": p.SERVICE_TYPE_EDOC,
        } for m in messages])

    # ------------------------------------------------------------ directory
    def _agencies(self, env):
        systems = env["vbdt.hub.system"].search([])
        return systems.agency_ids

    def _op_getAgenciesList(self, env, caller, values, package):  # noqa: N802
        return ok_reply(data=[{
            "id": str(a.id), "code": a.code or "", "pid": str(a.parent_id.id or ""),
            "name": a.name, "mail": a.email or "", "oldCode": a.code or "",
        } for a in self._agencies(env)])

    def _op_getAgenciesListQD20(self, env, caller, values, package):  # noqa: N802
        return ok_reply(data=[{
            "id": str(a.id), "code": a.code_qd20 or a.code or "", "code102": a.code or "",
            "name": a.name, "mail": a.email or "",
        } for a in self._agencies(env)])

    def _op_getSynchronizeUnit(self, env, caller, values, package):  # noqa: N802
        return ok_reply(data=[{
            "id": str(a.id), "code": a.code or "", "pid": str(a.parent_id.id or ""),
            "name": a.name, "mail": a.email or "", "version": 1, "centerCode": "",
            "deleted": not a.active, "modifyDate": fields.Datetime.to_string(a.write_date),
            "isAgency": True,
        } for a in self._agencies(env)])

    def _op_registerAgency(self, env, caller, values, package):  # noqa: N802
        try:
            data = json.loads(request.httprequest.get_data() or b"{}")
        except ValueError:
            raise ValueError("body must be JSON") from None
        code = (data.get("code") or "").strip()
        if not code:
            raise ValueError("code is required")
        Agency = env["vbdt.agency"]
        agency = Agency._vbdt_find_by_code(code) or Agency.create(
            {"name": data.get("name") or code, "code": code, "email": data.get("mail") or False})
        caller.agency_ids = [(4, agency.id)]
        return ok_reply()

    def _op_deleteAgency(self, env, caller, values, package):  # noqa: N802
        agency = env["vbdt.agency"]._vbdt_find_by_code(values.get(p.AGENCY_CODE) or "")
        if not agency or agency not in caller.agency_ids:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown agency")
        caller.agency_ids = [(3, agency.id)]
        return ok_reply()
