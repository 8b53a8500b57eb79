"""HTTP client of the VXP axis (contract in :mod:`.protocol`).

Reads are retried with a bounded exponential back-off when the axis cannot
be reached or answers 5xx/429; writes (``sendEdoc``, ``updateStatus``,
agency registration) are tried once, and the exchange engine decides what
to do with the error -- a timed-out upload may have been stored anyway.
The secret is never part of ``repr()`` or of any error message.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import requests

from .errors import VxpError, VxpRemoteError, VxpTransportError, _
from .protocol import (
    AGENCY_CODE,
    DELETE_AGENCY,
    DOC_ID,
    ERROR_OK,
    FILE_PART,
    FROM,
    GET_AGENCIES_LIST,
    GET_AGENCIES_LIST_QD20,
    GET_EDOC,
    GET_RECEIVED_EDOC_LIST,
    GET_SENT_EDOC_LIST,
    GET_SYNCHRONIZE_UNIT,
    HASH_BODY,
    HASH_FILE,
    IDEMPOTENCY_KEY,
    MESSAGE_TYPE,
    MESSAGE_TYPES,
    NONCE,
    OPERATION,
    REGISTER_AGENCY,
    SEND_EDOC,
    SERVICE_TYPE,
    SERVICE_TYPE_EDOC,
    STATUS,
    SYSTEM_ID,
    TIMESTAMP,
    TO,
    TRANSPORT_STATUSES,
    UPDATE_STATUS,
    Operation,
    format_recipients,
)
from .signing import file_hash, format_timestamp, sign_headers

Timeout = float | tuple[float, float]
RETRYABLE_HTTP_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF_SECONDS = 30.0
PACKAGE_FILENAME = "edoc.edxml"


class VxpClient:
    """One registered system talking to one axis endpoint.

    ``timeout`` is requests' (connect, read) pair or one number; ``retries``
    bounds the extra attempts of reads, waiting ``backoff`` seconds, then
    twice that, and so on (at most 30 s).
    """

    def __init__(
        self,
        base_url: str,
        system_id: str,
        secret: str,
        *,
        timeout: Timeout = (10.0, 120.0),
        retries: int = 2,
        backoff: float = 1.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.system_id = system_id
        self._secret = secret
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._session = session or requests.Session()
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"VxpClient({self.base_url!r}, system_id={self.system_id!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> VxpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ documents

    def send_edoc(
        self,
        to: str | Iterable[str],
        package: bytes,
        messagetype: str = "edoc",
        idempotency_key: str = "",
    ) -> str:
        """Upload a package for the given recipient OrganIds; return the axis DocId.

        ``idempotency_key`` (printable ASCII) lets our hub recognise a repeat
        of an upload it already stored (after a crash or a timeout) and
        answer with the first DocId instead of storing it twice.
        """
        _check_choice(MESSAGE_TYPE, messagetype, MESSAGE_TYPES)
        recipients = [to] if isinstance(to, str) else list(to)
        params = {
            FROM: self.system_id,
            TO: format_recipients(recipients),
            SERVICE_TYPE: SERVICE_TYPE_EDOC,
            MESSAGE_TYPE: messagetype,
            HASH_FILE: file_hash(package),
        }
        if idempotency_key:
            params[IDEMPOTENCY_KEY] = idempotency_key
        files = {FILE_PART: (PACKAGE_FILENAME, package, "application/xml")}
        reply = self._call(SEND_EDOC, params, files=files)
        return str(_reply_field(SEND_EDOC, reply, "DocId"))

    def get_received_edoc_list(self, messagetype: str = "edoc") -> list[dict[str, Any]]:
        """Packages waiting for us (until acknowledged with ``update_status``)."""
        _check_choice(MESSAGE_TYPE, messagetype, MESSAGE_TYPES)
        params = {SERVICE_TYPE: SERVICE_TYPE_EDOC, MESSAGE_TYPE: messagetype}
        return _data_list(
            GET_RECEIVED_EDOC_LIST, self._call(GET_RECEIVED_EDOC_LIST, params)
        )

    def get_edoc(self, doc_id: str) -> bytes:
        """Download one package (the axis sends it base64 inside JSON)."""
        encoded = _reply_field(GET_EDOC, self._call(GET_EDOC, {DOC_ID: doc_id}), "data")
        try:
            return base64.b64decode("".join(str(encoded).split()), validate=True)
        except binascii.Error:
            raise VxpError(
                _(
                    "%(operation)s: the package of document %(doc_id)s is not valid "
                    "base64."
                ),
                operation=GET_EDOC.name,
                doc_id=doc_id,
            ) from None

    def update_status(self, doc_id: str, status: str) -> None:
        """Transport acknowledgement: ``done``, ``fail`` or ``processing``."""
        _check_choice(STATUS, status, TRANSPORT_STATUSES)
        self._call(UPDATE_STATUS, {DOC_ID: doc_id, STATUS: status})

    def get_sent_edoc_list(
        self, doc_id: str, messagetype: str = "edoc"
    ) -> list[dict[str, Any]]:
        """Delivery state of a sent package, one entry per recipient."""
        _check_choice(MESSAGE_TYPE, messagetype, MESSAGE_TYPES)
        params = {
            DOC_ID: doc_id,
            SERVICE_TYPE: SERVICE_TYPE_EDOC,
            MESSAGE_TYPE: messagetype,
        }
        return _data_list(GET_SENT_EDOC_LIST, self._call(GET_SENT_EDOC_LIST, params))

    # ------------------------------------------------------------- agencies

    def get_agencies_list(self) -> list[dict[str, Any]]:
        return _data_list(GET_AGENCIES_LIST, self._call(GET_AGENCIES_LIST, {}))

    def get_agencies_list_qd20(self) -> list[dict[str, Any]]:
        """Agencies with both codes: ``code`` (Decision 20/2020) and ``code102``."""
        return _data_list(
            GET_AGENCIES_LIST_QD20, self._call(GET_AGENCIES_LIST_QD20, {})
        )

    def get_synchronize_unit(self) -> list[dict[str, Any]]:
        """Units changed on the axis (``version``, ``deleted``, ``modifyDate``)."""
        return _data_list(GET_SYNCHRONIZE_UNIT, self._call(GET_SYNCHRONIZE_UNIT, {}))

    def register_agency(self, agency: Mapping[str, str]) -> None:
        """Register or update an agency: {id, pcode, code, name, mail, mobile, fax}."""
        self._call(REGISTER_AGENCY, {}, json_body=dict(agency))

    def delete_agency(self, agency_code: str) -> None:
        self._call(DELETE_AGENCY, {AGENCY_CODE: agency_code})

    # ------------------------------------------------------------ transport

    def _call(
        self,
        operation: Operation,
        params: Mapping[str, str],
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        attempts = 1 + (self.retries if operation.idempotent else 0)
        attempt = 1
        while True:
            try:
                return self._call_once(operation, params, files, json_body)
            except VxpTransportError as exc:
                if not exc.retryable or attempt >= attempts:
                    raise
            self._sleep(min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))
            attempt += 1

    def _call_once(
        self,
        operation: Operation,
        params: Mapping[str, str],
        files: Mapping[str, tuple[str, bytes, str]] | None,
        json_body: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        body = None
        values = {
            SYSTEM_ID: self.system_id,
            TIMESTAMP: format_timestamp(datetime.now(timezone.utc)),
            OPERATION: operation.name,
            NONCE: secrets.token_hex(16),
            **params,
        }
        if not files:
            # The exact bytes sent are hashed and signed: a captured request
            # cannot carry another body (the upload signs hash-file instead).
            body = b"" if json_body is None else _json_bytes(json_body)
            values[HASH_BODY] = hashlib.sha256(body).hexdigest()
        headers = sign_headers(values, self._secret)
        if json_body is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self._session.request(
                operation.method,
                self.base_url + operation.path,
                headers=headers,
                files=files,
                data=body or None,
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise VxpTransportError(
                _("%(operation)s: the axis at %(url)s cannot be reached (%(detail)s)."),
                retryable=isinstance(exc, requests.ConnectionError | requests.Timeout),
                operation=operation.name,
                url=self.base_url,
                detail=str(exc),
            ) from None
        return _decode_reply(operation, response)


def _decode_reply(operation: Operation, response: requests.Response) -> dict[str, Any]:
    try:
        reply = response.json()
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        raise VxpTransportError(
            _(
                "%(operation)s: the axis answered HTTP %(http_status)s without a "
                "JSON reply."
            ),
            retryable=response.status_code in RETRYABLE_HTTP_STATUSES,
            operation=operation.name,
            http_status=response.status_code,
        )
    error_code = str(reply.get("ErrorCode", ""))
    if reply.get("status") != "OK" or error_code not in (ERROR_OK, ""):
        raise VxpRemoteError(
            _(
                "%(operation)s: the axis refused the request: [%(error_code)s] "
                "%(error_desc)s"
            ),
            error_code=error_code,
            operation=operation.name,
            error_desc=str(reply.get("ErrorDesc", "")),
        )
    return reply


def _reply_field(operation: Operation, reply: dict[str, Any], name: str) -> Any:
    if reply.get(name) in (None, ""):
        raise VxpError(
            _("%(operation)s: the axis reply has no %(field)s."),
            operation=operation.name,
            field=name,
        )
    return reply[name]


def _data_list(operation: Operation, reply: dict[str, Any]) -> list[dict[str, Any]]:
    data = reply.get("data") or []
    if not isinstance(data, list):
        raise VxpError(
            _("%(operation)s: the axis reply has no %(field)s."),
            operation=operation.name,
            field="data",
        )
    return data


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, not {value!r}")


def _json_bytes(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
