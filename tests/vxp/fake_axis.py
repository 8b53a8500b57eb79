"""A tiny VXP axis for the client tests (served by the ``axis`` fixture).

It implements the contract of ``vxp.protocol`` the way our hub will, and
authenticates every request with ``vxp.signing.verify_request``.  Tests can
queue raw HTTP answers (``axis.inject``) to simulate outages.
"""

from __future__ import annotations

import base64
import itertools
import json
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vxp import VxpAuthError, fail_reply, ok_reply, parse_recipients, verify_request
from vxp import protocol as p
from werkzeug.wrappers import Request, Response

SENDER = "000.00.00.H44"
RECIPIENT = "000.00.24.H44"
SECRETS = {SENDER: "sender-secret", RECIPIENT: "recipient-secret"}
AGENCIES = [
    {
        "id": "1",
        "code": SENDER,
        "pid": "",
        "name": "UBND tỉnh Phú Thọ",
        "mail": "ubnd@phutho.gov.vn",
    },
    {
        "id": "2",
        "code": RECIPIENT,
        "pid": "1",
        "name": "UBND huyện Lâm Thao",
        "mail": "",
    },
]


@dataclass
class Delivery:
    doc_id: str
    sender: str
    recipient: str
    message_type: str
    package: bytes
    status: str = "pending"


@dataclass(frozen=True)
class Call:
    """A verified request: caller system, signed values, uploaded package."""

    caller: str
    values: dict[str, str]
    package: bytes | None
    request: Request


@dataclass
class FakeAxis:
    deliveries: list[Delivery] = field(default_factory=list)
    agencies: list[dict[str, str]] = field(
        default_factory=lambda: [dict(a) for a in AGENCIES]
    )
    calls: list[str] = field(default_factory=list)
    injected: deque[tuple[int, str]] = field(default_factory=deque)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""
    delay_seconds: float = 0.0

    def inject(self, status: int, body: str) -> None:
        """Answer the next request with this raw HTTP status and body."""
        self.injected.append((status, body))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.respond(Request(environ))(environ, start_response)

    def respond(self, request: Request) -> Response:
        operation = p.OPERATIONS.get(request.path.rsplit("/", 1)[-1])
        self.calls.append(operation.name if operation else request.path)
        time.sleep(self.delay_seconds)
        if self.injected:
            status, body = self.injected.popleft()
            return Response(body, status=status)
        if operation is None:
            return reply(fail_reply(p.ERROR_NOT_FOUND, "no such operation"), 404)
        upload = request.files.get(p.FILE_PART)
        package = upload.read() if upload else None
        try:
            verified = verify_request(request.headers, package, SECRETS.get)
        except VxpAuthError as exc:
            return reply(fail_reply(exc.error_code, str(exc)), 401)
        call = Call(verified.system_id, verified.values, package, request)
        return reply(self._handlers()[operation](call))

    def _handlers(self) -> dict[p.Operation, Callable[[Call], dict[str, Any]]]:
        return {
            p.SEND_EDOC: self.send_edoc,
            p.GET_RECEIVED_EDOC_LIST: self.received_list,
            p.GET_EDOC: self.get_edoc,
            p.UPDATE_STATUS: self.update_status,
            p.GET_SENT_EDOC_LIST: self.sent_list,
            p.GET_AGENCIES_LIST: lambda _call: ok_reply(data=self.agencies),
            p.GET_AGENCIES_LIST_QD20: lambda _call: ok_reply(
                data=[
                    {**a, "code102": a["code"], "code": f"QD20-{a['id']}"}
                    for a in self.agencies
                ]
            ),
            p.GET_SYNCHRONIZE_UNIT: lambda _call: ok_reply(
                data=[{**a, "version": 1, "deleted": False} for a in self.agencies]
            ),
            p.REGISTER_AGENCY: self.register_agency,
            p.DELETE_AGENCY: self.delete_agency,
        }

    def send_edoc(self, call: Call) -> dict[str, Any]:
        doc_id = f"doc-{next(self._ids)}"
        for recipient in parse_recipients(call.values[p.TO]):
            message_type = call.values[p.MESSAGE_TYPE]
            self.deliveries.append(
                Delivery(doc_id, call.caller, recipient, message_type, call.package)
            )
        return ok_reply(DocId=doc_id)

    def received_list(self, call: Call) -> dict[str, Any]:
        waiting = [
            d
            for d in self.deliveries
            if d.recipient == call.caller
            and d.message_type == call.values[p.MESSAGE_TYPE]
            and d.status != "done"
        ]
        return ok_reply(data=[{"docId": d.doc_id, "from": d.sender, "to": d.recipient,
                               "serviceType": "eDoc", "messageType": d.message_type,
                               "status": d.status} for d in waiting])  # fmt: skip

    def get_edoc(self, call: Call) -> dict[str, Any]:
        delivery = self._delivery(call)
        if delivery is None:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        return ok_reply(data=base64.b64encode(delivery.package).decode())

    def update_status(self, call: Call) -> dict[str, Any]:
        delivery = self._delivery(call)
        if delivery is None:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        delivery.status = call.values[p.STATUS]
        return ok_reply()

    def sent_list(self, call: Call) -> dict[str, Any]:
        doc_id = call.values[p.DOC_ID]
        sent = [
            d for d in self.deliveries if d.sender == call.caller and d.doc_id == doc_id
        ]
        return ok_reply(data=[{"senderDocId": d.doc_id, "fromCode": d.sender,
                               "toCode": d.recipient, "receiveStatus": d.status}
                              for d in sent])  # fmt: skip

    def register_agency(self, call: Call) -> dict[str, Any]:
        self.agencies.append(call.request.get_json())
        return ok_reply()

    def delete_agency(self, call: Call) -> dict[str, Any]:
        remaining = [
            a for a in self.agencies if a["code"] != call.values[p.AGENCY_CODE]
        ]
        if len(remaining) == len(self.agencies):
            return fail_reply(p.ERROR_NOT_FOUND, "unknown agency")
        self.agencies = remaining
        return ok_reply()

    def _delivery(self, call: Call) -> Delivery | None:
        doc_id = call.values[p.DOC_ID]
        return next(
            (
                d
                for d in self.deliveries
                if d.doc_id == doc_id and d.recipient == call.caller
            ),
            None,
        )


def reply(payload: dict[str, Any], status: int = 200) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False),
        status=status,
        mimetype="application/json",
    )
