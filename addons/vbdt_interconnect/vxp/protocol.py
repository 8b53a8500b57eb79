"""The VXP axis REST contract (docs/DOMAIN.md §B6), shared by the client and our hub.

Modelled on what the national axis speaks (the VPCP Java SDK): every
operation is ``POST {base_url}/{operation}``; its parameters travel as HTTP
headers ``XroadVnpt-<name>``, all of them signed (see :mod:`.signing`), and
every request also carries ``systemid`` (the caller's registered system id)
and ``timestamp``.  Replies are JSON objects::

    {"status": "OK" | "FAIL", "ErrorCode": "0" | "<code>", "ErrorDesc": "...", ...}

``ErrorCode`` "0" with ``status`` "OK" is success; anything else is a
refusal.  The operations, with their parameters (headers), body and the
fields they add to a success reply:

- ``sendEdoc``: from, to (JSON array of OrganIds), servicetype=eDoc,
  messagetype=edoc|status, hash-file (SHA-256 hex of the package); body
  multipart/form-data with the package in part ``file_doc``.
  Reply: ``DocId`` (the axis id of the stored package).
- ``getReceivedEdocList``: servicetype=eDoc, messagetype.
  Reply: ``data`` = list of {docId, from, to, serviceType, messageType,
  created_time, updated_time, status, status_desc}.
- ``getEdoc``: docId.  Reply: ``data`` = the package, base64.
- ``updateStatus``: docId, status=done|fail|processing.  Reply: nothing.
- ``getSentEdocList``: docId, servicetype=eDoc, messagetype.
  Reply: ``data`` = list of {senderDocId, receiverDocId, fromCode, toCode,
  sendStatus, sendStatusDesc, receiveStatus, receiveStatusDesc, sentTime,
  receivedTime, title, notation, messageType, serviceType}, one per
  recipient.
- ``getAgenciesList``: no parameter.
  Reply: ``data`` = list of {id, code, pid, name, mail, oldCode}.
- ``getAgenciesListQD20``: no parameter.
  Reply: ``data`` = list of {id, code, code102, name, mail}.
- ``getSynchronizeUnit``: no parameter.
  Reply: ``data`` = list of {id, code, pid, name, mail, version,
  centerCode, deleted, modifyDate, isAgency}.
- ``registerAgency``: body JSON {id, pcode, code, name, mail, mobile, fax}.
  Reply: nothing.
- ``deleteAgency``: AgencyCode.  Reply: nothing.

Every request of our client also signs ``operation`` (the operation name,
so a request cannot be replayed against another path), ``nonce`` (random,
single use) and, unless it uploads a package, ``hash-body`` (SHA-256 hex of
the raw body, empty for most operations, the JSON of ``registerAgency``).
The national axis checks the HMAC over whatever the request lists, so these
extra signed headers do not disturb it; our hub requires them (and a fresh
``timestamp``).  ``sendEdoc`` takes one idempotency key in the optional
``idempotency-key`` header: the hub stores a package once per key and
sender, and answers a repeat with the first ``DocId``.

``updateStatus`` is the transport acknowledgement: the axis re-delivers a
document until it is marked ``done``.  Servers should accept GET as well as
POST for the read operations; clients send POST, as the SDK does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Operation:
    name: str
    idempotent: bool
    """Safe to repeat after a timeout: only reads.  ``sendEdoc`` is never
    repeated blindly (a timeout does not prove the axis did not store it)."""

    method: str = "POST"

    @property
    def path(self) -> str:
        return f"/{self.name}"


SEND_EDOC = Operation("sendEdoc", idempotent=False)
GET_RECEIVED_EDOC_LIST = Operation("getReceivedEdocList", idempotent=True)
GET_EDOC = Operation("getEdoc", idempotent=True)
UPDATE_STATUS = Operation("updateStatus", idempotent=False)
GET_SENT_EDOC_LIST = Operation("getSentEdocList", idempotent=True)
GET_AGENCIES_LIST = Operation("getAgenciesList", idempotent=True)
GET_AGENCIES_LIST_QD20 = Operation("getAgenciesListQD20", idempotent=True)
GET_SYNCHRONIZE_UNIT = Operation("getSynchronizeUnit", idempotent=True)
REGISTER_AGENCY = Operation("registerAgency", idempotent=False)
DELETE_AGENCY = Operation("deleteAgency", idempotent=False)
OPERATIONS = {
    operation.name: operation
    for operation in (
        SEND_EDOC,
        GET_RECEIVED_EDOC_LIST,
        GET_EDOC,
        UPDATE_STATUS,
        GET_SENT_EDOC_LIST,
        GET_AGENCIES_LIST,
        GET_AGENCIES_LIST_QD20,
        GET_SYNCHRONIZE_UNIT,
        REGISTER_AGENCY,
        DELETE_AGENCY,
    )
}

# Parameter names, sent as ``XroadVnpt-<name>`` headers.
SYSTEM_ID = "systemid"
TIMESTAMP = "timestamp"
FROM = "from"
TO = "to"
SERVICE_TYPE = "servicetype"
MESSAGE_TYPE = "messagetype"
DOC_ID = "docId"
STATUS = "status"
HASH_FILE = "hash-file"
AGENCY_CODE = "AgencyCode"
# Our additions to the national scheme (see :mod:`.signing`): the operation
# the request is for, a single-use nonce and the SHA-256 of a non-file body.
OPERATION = "operation"
NONCE = "nonce"
IDEMPOTENCY_KEY = "idempotency-key"
HASH_BODY = "hash-body"

SERVICE_TYPE_EDOC = "eDoc"
MESSAGE_TYPES = ("edoc", "status")
TRANSPORT_STATUSES = ("done", "fail", "processing")
FILE_PART = "file_doc"

# ErrorCode values of our hub ("0" is the axis' success code).
ERROR_OK = "0"
ERROR_BAD_REQUEST = "400"
ERROR_AUTH = "401"
ERROR_NOT_FOUND = "404"
ERROR_CONFLICT = "409"
ERROR_TOO_LARGE = "413"
ERROR_TOO_MANY = "429"
ERROR_SERVER = "500"


def ok_reply(**fields: Any) -> dict[str, Any]:
    """A success reply; ``fields`` adds ``data``, ``DocId``, ..."""
    return {"status": "OK", "ErrorCode": ERROR_OK, "ErrorDesc": "", **fields}


def fail_reply(error_code: str, error_desc: str) -> dict[str, Any]:
    return {"status": "FAIL", "ErrorCode": error_code, "ErrorDesc": error_desc}


def format_recipients(organ_ids: Iterable[str]) -> str:
    """The ``to`` header: a compact JSON array, as the SDK sends it."""
    return json.dumps(list(organ_ids), separators=(",", ":"), ensure_ascii=False)


def parse_recipients(value: str) -> list[str]:
    """Read a ``to`` header: JSON array, JSON string, or ``;``/``,`` list."""
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value.replace(";", ",").split(",")
    if isinstance(parsed, str):
        parsed = [parsed]
    if not isinstance(parsed, list):
        return []
    return [str(item).strip() for item in parsed if str(item).strip()]
