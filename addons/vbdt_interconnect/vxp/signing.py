"""Request authentication of the VXP axis (docs/DOMAIN.md §B6), both sides.

A client sends each parameter ``name`` as header ``XroadVnpt-<name>`` and
signs them together:

- ``XroadVnpt-sign-header-key``: the names, joined by ``;``;
- ``XroadVnpt-sign-header``: a compact JSON object ``{"XroadVnpt-<name>":
  value, ...}`` -- keys in sorted name order, ``separators=(",", ":")``,
  ``ensure_ascii=False``;
- ``XroadVnpt-hash-header``: lowercase hex HMAC-SHA256 of that exact JSON
  text (UTF-8), keyed with the system's secret.

A package upload also signs ``hash-file``, the SHA-256 hex of the package.
The server recomputes the HMAC over the JSON text *as received*, so it does
not depend on the key order a client chose, then checks that each listed
header really carries the signed value.

That is all the national axis checks (:func:`verify_request`).  It lets a
captured request be replayed, against any operation, with any JSON body.
Our hub therefore authenticates with :func:`authenticate`, from the headers
alone (before it reads any body), and also requires the signed
``operation`` (equal to the path's), ``timestamp`` (within ``max_skew`` of
the hub's clock) and ``nonce`` (the hub remembers each for the window and
refuses it twice); after reading the body it checks ``hash-file`` (the
uploaded package) or ``hash-body`` (any other body, empty included) with
:func:`check_body_hash`.  Our client always sends all of them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import VxpAuthError, _
from .protocol import (
    ERROR_AUTH,
    FROM,
    HASH_BODY,
    HASH_FILE,
    NONCE,
    OPERATION,
    SYSTEM_ID,
    TIMESTAMP,
)

HEADER_PREFIX = "XroadVnpt-"
SIGN_HEADER_KEY = "XroadVnpt-sign-header-key"
SIGN_HEADER = "XroadVnpt-sign-header"
HASH_HEADER = "XroadVnpt-hash-header"
_KEY_SEPARATOR = ";"
VIETNAM_TZ = timezone(timedelta(hours=7))
MAX_NONCE_LENGTH = 128
# ddMMyyyy'T'HHmmss+SSSS (the VPCP SDK's form, Vietnam time; SSSS = ms).
_SDK_TIMESTAMP = re.compile(r"^(\d{8})T(\d{6})\+(\d{1,4})$")


def file_hash(data: bytes) -> str:
    """The ``hash-file`` value: SHA-256 of the package, lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def sign_headers(values: Mapping[str, str], secret: str) -> dict[str, str]:
    """HTTP headers carrying ``values`` and their signature.

    Values must be printable ASCII: HTTP headers cannot carry anything else
    reliably, and a CR/LF would split the header.
    """
    names = sorted(values)
    for name in names:
        _check_header_text(name, values[name])
    signed = {HEADER_PREFIX + name: values[name] for name in names}
    sign_header = json.dumps(signed, separators=(",", ":"), ensure_ascii=False)
    return {
        **signed,
        SIGN_HEADER_KEY: _KEY_SEPARATOR.join(names),
        SIGN_HEADER: sign_header,
        HASH_HEADER: _hmac_hex(secret, sign_header),
    }


@dataclass(frozen=True)
class VerifiedRequest:
    """What a verified request proves: who sent it and the signed values."""

    system_id: str
    values: dict[str, str]

    @property
    def nonce(self) -> str:
        return self.values.get(NONCE, "")


def format_timestamp(moment: datetime) -> str:
    """The ``timestamp`` value: ``ddMMyyyy'T'HHmmss+SSSS`` in Vietnam time."""
    local = moment.astimezone(VIETNAM_TZ)
    return f"{local:%d%m%Y}T{local:%H%M%S}+{local.microsecond // 1000:04d}"


def parse_timestamp(text: str) -> datetime | None:
    """Read a ``timestamp`` (the SDK form, or ISO 8601 with an offset)."""
    text = text.strip()
    match = _SDK_TIMESTAMP.match(text)
    try:
        if match:
            day, time_, millis = match.groups()
            moment = datetime.strptime(day + time_, "%d%m%Y%H%M%S")
            return moment.replace(microsecond=int(millis) * 1000, tzinfo=VIETNAM_TZ)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def authenticate(
    headers: Mapping[str, str],
    secret_lookup: Callable[[str], str | None],
    *,
    operation: str,
    now: datetime,
    max_skew: timedelta,
) -> VerifiedRequest:
    """Authenticate a request to our hub from its headers alone.

    On top of :func:`verify_request`'s signature check, the request must sign
    the ``operation`` it is sent to, a ``timestamp`` no further than
    ``max_skew`` from ``now`` (aware datetime) and a ``nonce``.  Remembering
    the nonce for the window (refusing replays) is the caller's job; so is
    :func:`check_body_hash` once the body has been read.
    """
    verified = _verify_signature(headers, secret_lookup)
    values = verified.values
    if values.get(OPERATION) != operation:
        raise _auth_error(
            _("The request is signed for operation %(signed)s, not %(operation)s."),
            signed=values.get(OPERATION) or "-",
            operation=operation,
        )
    moment = parse_timestamp(values.get(TIMESTAMP, ""))
    if moment is None:
        raise _auth_error(
            _("The request does not sign a valid %(header)s."), header=TIMESTAMP
        )
    if abs(now - moment) > max_skew:
        raise _auth_error(
            _("The request timestamp %(timestamp)s is outside the accepted window."),
            timestamp=values[TIMESTAMP],
        )
    nonce = values.get(NONCE, "")
    if not nonce or len(nonce) > MAX_NONCE_LENGTH:
        raise _auth_error(
            _("The request does not sign a valid %(header)s."), header=NONCE
        )
    return verified


def check_body_hash(verified: VerifiedRequest, name: str, digest: bytes) -> None:
    """Compare the SHA-256 ``digest`` of what was read with the signed
    ``hash-file`` (uploaded package) or ``hash-body`` (any other body)."""
    if name not in (HASH_FILE, HASH_BODY):
        raise ValueError(name)
    accepted = (
        (digest.hex(), _java_sdk_hex(digest)) if name == HASH_FILE else (digest.hex(),)
    )
    provided = verified.values.get(name, "").strip().lower().encode("utf-8", "replace")
    if not any(
        hmac.compare_digest(provided, candidate.encode()) for candidate in accepted
    ):
        raise _auth_error(
            _("The signed %(header)s does not match the body of the request."),
            header=name,
        )


def verify_request(
    headers: Mapping[str, str],
    body: bytes | None,
    secret_lookup: Callable[[str], str | None],
) -> VerifiedRequest:
    """Authenticate a request on the server side (our hub).

    ``headers`` may be any mapping (lookups are case-insensitive);
    ``body`` is the uploaded package (``file_doc`` part), or ``None`` when the
    request carries none; ``secret_lookup`` returns the secret of a
    registered system id, ``None`` if unknown.  The caller is the signed
    ``systemid`` (else the signed ``from``); a signed ``from`` must equal it.
    Raises :class:`VxpAuthError` (ErrorCode "401") on any failure.

    This is the national axis' own check; our hub uses :func:`authenticate`.
    """
    verified = _verify_signature(headers, secret_lookup)
    if body is not None:
        check_body_hash(verified, HASH_FILE, hashlib.sha256(body).digest())
    return verified


def _verify_signature(
    headers: Mapping[str, str], secret_lookup: Callable[[str], str | None]
) -> VerifiedRequest:
    received = {name.lower(): value for name, value in headers.items()}
    sign_header = _required_header(received, SIGN_HEADER)
    values = _signed_values(received, sign_header)
    system_id = values.get(SYSTEM_ID) or values.get(FROM)
    if not system_id:
        raise _auth_error(
            _("The request does not sign a %(header)s header."), header=SYSTEM_ID
        )
    if values.get(FROM, system_id) != system_id:
        raise _auth_error(
            _(
                "The signed sender %(sender)s is not the registered system "
                "%(system_id)s."
            ),
            sender=values[FROM],
            system_id=system_id,
        )
    secret = secret_lookup(system_id)
    signature = _required_header(received, HASH_HEADER).strip().lower()
    # Unknown systems cost the same HMAC and get the same answer as bad
    # signatures: neither timing nor wording tells which ids are registered.
    expected = _hmac_hex(secret or "", sign_header).encode()
    matches = hmac.compare_digest(expected, signature.encode("utf-8", "replace"))
    if secret is None or not matches:
        raise _auth_error(
            _("The request signature of system %(system_id)s is invalid."),
            system_id=system_id,
        )
    return VerifiedRequest(system_id=system_id, values=values)


def _signed_values(received: dict[str, str], sign_header: str) -> dict[str, str]:
    """The listed names with their signed values, each matching its header."""
    names = [
        name
        for name in _required_header(received, SIGN_HEADER_KEY).split(_KEY_SEPARATOR)
        if name
    ]
    try:
        signed = json.loads(sign_header)
    except ValueError:
        signed = None
    if not isinstance(signed, dict):
        raise _auth_error(
            _("The %(header)s header is not a JSON object."), header=SIGN_HEADER
        )
    values = {}
    for name in names:
        value = signed.get(HEADER_PREFIX + name)
        if (
            not isinstance(value, str)
            or received.get((HEADER_PREFIX + name).lower()) != value
        ):
            raise _auth_error(
                _("Header %(header)s does not carry its signed value."),
                header=HEADER_PREFIX + name,
            )
        values[name] = value
    return values


def _java_sdk_hex(digest: bytes) -> str:
    """The VPCP Java SDK drops each byte's leading zero (``Integer.toHexString``);
    systems built on it send that form, so the hub accepts it too."""
    return "".join(format(byte, "x") for byte in digest)


def _required_header(received: dict[str, str], name: str) -> str:
    value = received.get(name.lower())
    if not value:
        raise _auth_error(_("The request has no %(header)s header."), header=name)
    return value


def _hmac_hex(secret: str, text: str) -> str:
    return hmac.new(
        secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def _check_header_text(name: str, value: str) -> None:
    if (
        not name
        or _KEY_SEPARATOR in name
        or not _printable_ascii(name)
        or not _printable_ascii(value)
    ):
        raise ValueError(
            f"VXP header {name!r} must be printable ASCII (value {value!r})"
        )


def _printable_ascii(text: str) -> bool:
    return all(" " <= char <= "~" for char in text)


def _auth_error(template: str, **params: str) -> VxpAuthError:
    return VxpAuthError(template, error_code=ERROR_AUTH, **params)
