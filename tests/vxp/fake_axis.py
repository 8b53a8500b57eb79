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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from vxp import VxpAuthError, fail_reply, ok_reply, parse_recipients, verify_request
from vxp import protocol as p
from werkzeug.wrappers import Request, Response

SENDER = "000.00.00.H44"
RECIPIENT = "000.00.24.H44"
SECRETS = {SENDER: "sender-secret", RECIPIENT: "recipient-secret"}
AGENCIES = [
    {"id": "1", "code": SENDER, "pid": "", "name": "UBND tỉnh Phú Thọ", "mail": "ubnd@phutho.gov.vn"},
    {"id": "2", "code": RECIPIENT, "pid": "1", "name": "UBND huyện Lâm Thao", "mail": ""},
]


@dataclass
class Delivery:
    doc_id: str
    sender: str
    recipient: str
    message_type: str
    package: bytes
    status: str = "pending"


@dataclass
class FakeAxis:
    deliveries: list[Delivery] = field(default_factory=list)
    agencies: list[dict[str, str]] = field(default_factory=lambda: [dict(a) for a in AGENCIES])
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
        handler = getattr(self, operation.name)
        return reply(handler(verified.system_id, verified.values, package, request))

    # Operations: (caller, signed values, uploaded package, request) -> JSON reply

    def sendEdoc(self, caller: str, values: dict[str, str], package: bytes | None, _r: Request) -> dict:
        doc_id = f"doc-{next(self._ids)}"
        for recipient in parse_recipients(values[p.TO]):
            self.deliveries.append(Delivery(doc_id, caller, recipient, values[p.MESSAGE_TYPE], package))
        return ok_reply(DocId=doc_id)

    def getReceivedEdocList(self, caller: str, values: dict[str, str], _p: bytes | None, _r: Request) -> dict:
        waiting = [
            d for d in self.deliveries
            if d.recipient == caller and d.message_type == values[p.MESSAGE_TYPE] and d.status != "done"
        ]  # fmt: skip
        return ok_reply(data=[{"docId": d.doc_id, "from": d.sender, "to": d.recipient,
                               "serviceType": "eDoc", "messageType": d.message_type,
                               "status": d.status} for d in waiting])  # fmt: skip

    def getEdoc(self, caller: str, values: dict[str, str], _p: bytes | None, _r: Request) -> dict:
        delivery = self._delivery(caller, values[p.DOC_ID])
        if delivery is None:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        return ok_reply(data=base64.b64encode(delivery.package).decode())

    def updateStatus(self, caller: str, values: dict[str, str], _p: bytes | None, _r: Request) -> dict:
        delivery = self._delivery(caller, values[p.DOC_ID])
        if delivery is None:
            return fail_reply(p.ERROR_NOT_FOUND, "unknown document")
        delivery.status = values[p.STATUS]
        return ok_reply()

    def getSentEdocList(self, caller: str, values: dict[str, str], _p: bytes | None, _r: Request) -> dict:
        sent = [d for d in self.deliveries if d.sender == caller and d.doc_id == values[p.DOC_ID]]
        return ok_reply(data=[{"senderDocId": d.doc_id, "fromCode": d.sender, "toCode": d.recipient,
                               "receiveStatus": d.status} for d in sent])  # fmt: skip

    def getAgenciesList(self, *_args: object) -> dict:
        return ok_reply(data=self.agencies)

    def getAgenciesListQD20(self, *_args: object) -> dict:
        return ok_reply(data=[{**a, "code102": a["code"], "code": f"QD20-{a['id']}"} for a in self.agencies])

    def getSynchronizeUnit(self, *_args: object) -> dict:
        return ok_reply(data=[{**a, "version": 1, "deleted": False} for a in self.agencies])

    def registerAgency(self, _caller: str, _v: dict[str, str], _p: bytes | None, request: Request) -> dict:
        self.agencies.append(request.get_json())
        return ok_reply()

    def deleteAgency(self, _caller: str, values: dict[str, str], _p: bytes | None, _r: Request) -> dict:
        remaining = [a for a in self.agencies if a["code"] != values[p.AGENCY_CODE]]
        if len(remaining) == len(self.agencies):
            return fail_reply(p.ERROR_NOT_FOUND, "unknown agency")
        self.agencies = remaining
        return ok_reply()

    def _delivery(self, caller: str, doc_id: str) -> Delivery | None:
        return next((d for d in self.deliveries if d.doc_id == doc_id and d.recipient == caller), None)


def reply(payload: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")
