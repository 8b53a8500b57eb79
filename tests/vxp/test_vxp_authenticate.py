"""Our hub's stricter check (issue 10): operation, fresh timestamp, nonce
and a hash of every body, all signed; what our client sends passes it."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from vxp import VxpAuthError, authenticate, check_body_hash, sign_headers
from vxp.signing import format_timestamp, parse_timestamp

SECRETS = {"sys-a": "s3cret"}
NOW = datetime(2026, 12, 2, 8, 0, tzinfo=timezone.utc)
WINDOW = timedelta(minutes=5)
BODY = b'{"code":"000.00.00.G01"}'


def headers(**overrides: str) -> dict[str, str]:
    values = {
        "systemid": "sys-a",
        "timestamp": format_timestamp(NOW),
        "operation": "registerAgency",
        "nonce": "n-1",
        "hash-body": hashlib.sha256(BODY).hexdigest(),
        **overrides,
    }
    return sign_headers({k: v for k, v in values.items() if v is not None}, "s3cret")


def check(request_headers: dict[str, str], operation: str = "registerAgency", now=NOW):
    return authenticate(
        request_headers, SECRETS.get, operation=operation, now=now, max_skew=WINDOW
    )


def test_a_complete_request_passes() -> None:
    verified = check(headers())
    assert verified.system_id == "sys-a"
    assert verified.nonce == "n-1"
    check_body_hash(verified, "hash-body", hashlib.sha256(BODY).digest())


def test_replayed_against_another_operation_is_refused() -> None:
    """A captured getReceivedEdocList request posted to /registerAgency."""
    captured = headers(operation="getReceivedEdocList")
    with pytest.raises(VxpAuthError, match="signed for operation getReceivedEdocList"):
        check(captured, "registerAgency")


def test_forged_body_is_refused() -> None:
    verified = check(headers())
    forged = b'{"code":"000.00.00.G22"}'
    with pytest.raises(VxpAuthError, match="hash-body does not match"):
        check_body_hash(verified, "hash-body", hashlib.sha256(forged).digest())


def test_unsigned_body_hash_is_refused() -> None:
    verified = check(headers(**{"hash-body": None}))
    with pytest.raises(VxpAuthError, match="hash-body"):
        check_body_hash(verified, "hash-body", hashlib.sha256(b"").digest())


@pytest.mark.parametrize(
    "shift", [timedelta(minutes=6), -timedelta(minutes=6), timedelta(days=3)]
)
def test_stale_or_future_timestamp_is_refused(shift: timedelta) -> None:
    with pytest.raises(VxpAuthError, match="outside the accepted window"):
        check(headers(timestamp=format_timestamp(NOW + shift)))


@pytest.mark.parametrize("missing", ["timestamp", "nonce", "operation"])
def test_each_freshness_header_is_required(missing: str) -> None:
    with pytest.raises(VxpAuthError):
        check(headers(**{missing: None}))


def test_unsigned_timestamp_header_does_not_count() -> None:
    request = headers(timestamp=None)
    request["XroadVnpt-timestamp"] = format_timestamp(NOW)  # present, not signed
    with pytest.raises(VxpAuthError, match="timestamp"):
        check(request)


def test_wrong_secret_is_refused_before_anything_else() -> None:
    request = sign_headers({"systemid": "sys-a", "operation": "getEdoc"}, "guess")
    with pytest.raises(VxpAuthError, match="is invalid"):
        check(request, "getEdoc")


def test_timestamp_forms() -> None:
    assert parse_timestamp(format_timestamp(NOW)) == NOW
    assert parse_timestamp("02122026T150000+0000") == NOW
    assert parse_timestamp("2026-12-02T15:00:00+07:00") == NOW
    assert parse_timestamp("2026-12-02T15:00:00") is None  # no offset: ambiguous
    assert parse_timestamp("yesterday") is None


def test_client_sends_what_the_hub_requires() -> None:
    """The real client against a recording session: every request signs
    operation, timestamp, nonce and (unless it uploads) hash-body."""
    from vxp import VxpClient

    sent = []

    class Recorder:
        def request(self, method, url, headers, files, data, timeout):
            sent.append((url, headers, files, data))
            raise RuntimeError("stop")

        def close(self) -> None:
            pass

    client = VxpClient("http://axis/vxp", "sys-a", "s3cret", session=Recorder())
    for call in (
        lambda: client.register_agency({"code": "000.00.00.G01"}),
        lambda: client.send_edoc("000.00.00.G02", b"<edXML/>", idempotency_key="k-1"),
    ):
        with pytest.raises(RuntimeError):
            call()
    (url1, h1, _f1, body1), (url2, h2, files2, _b2) = sent
    now = datetime.now(timezone.utc)
    first = authenticate(
        h1, SECRETS.get, operation="registerAgency", now=now, max_skew=WINDOW
    )
    check_body_hash(first, "hash-body", hashlib.sha256(body1).digest())
    second = authenticate(
        h2, SECRETS.get, operation="sendEdoc", now=now, max_skew=WINDOW
    )
    check_body_hash(second, "hash-file", hashlib.sha256(files2["file_doc"][1]).digest())
    assert second.values["idempotency-key"] == "k-1"
    assert first.nonce != second.nonce
    assert url1.endswith("/registerAgency") and url2.endswith("/sendEdoc")
