"""Header signing (client side) and request verification (hub side)."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from vxp import VxpAuthError, file_hash, sign_headers, verify_request
from vxp.signing import HASH_HEADER, SIGN_HEADER, SIGN_HEADER_KEY

SECRETS = {"000.00.00.H44": "s3cret"}
PACKAGE = b"<edXML/>" * 100


def signed(values: dict[str, str], secret: str = "s3cret") -> dict[str, str]:
    return sign_headers(values, secret)


def upload_headers(**overrides: str) -> dict[str, str]:
    values = {
        "systemid": "000.00.00.H44",
        "from": "000.00.00.H44",
        "to": '["000.00.24.H44"]',
        "servicetype": "eDoc",
        "messagetype": "edoc",
        "hash-file": file_hash(PACKAGE),
        **overrides,
    }
    return signed(values)


def test_signature_headers_follow_the_protocol() -> None:
    headers = signed({"messagetype": "edoc", "from": "000.00.00.H44"})

    assert headers["XroadVnpt-from"] == "000.00.00.H44"
    assert headers[SIGN_HEADER_KEY] == "from;messagetype"
    assert (
        headers[SIGN_HEADER]
        == '{"XroadVnpt-from":"000.00.00.H44","XroadVnpt-messagetype":"edoc"}'
    )
    expected = hmac.new(
        b"s3cret", headers[SIGN_HEADER].encode(), hashlib.sha256
    ).hexdigest()
    assert headers[HASH_HEADER] == expected


def test_key_order_is_deterministic() -> None:
    one = signed({"b": "2", "a": "1", "c": "3"})
    other = signed({"c": "3", "a": "1", "b": "2"})

    assert one == other
    assert list(json.loads(one[SIGN_HEADER])) == [
        "XroadVnpt-a",
        "XroadVnpt-b",
        "XroadVnpt-c",
    ]


def test_hash_file_is_sha256_hex() -> None:
    assert file_hash(b"abc") == hashlib.sha256(b"abc").hexdigest()


@pytest.mark.parametrize("value", ["line\r\nInjected: yes", "Hà Nội"])
def test_values_must_be_printable_ascii(value: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        signed({"from": value})


def test_valid_upload_is_accepted() -> None:
    verified = verify_request(upload_headers(), PACKAGE, SECRETS.get)

    assert verified.system_id == "000.00.00.H44"
    assert verified.values["to"] == '["000.00.24.H44"]'
    assert verified.values["hash-file"] == file_hash(PACKAGE)


def test_header_names_are_case_insensitive() -> None:
    headers = {name.lower(): value for name, value in upload_headers().items()}

    assert verify_request(headers, PACKAGE, SECRETS.get).system_id == "000.00.00.H44"


def test_server_does_not_depend_on_the_client_key_order() -> None:
    values = {"systemid": "000.00.00.H44", "messagetype": "edoc"}
    sign_header = json.dumps(
        {f"XroadVnpt-{k}": v for k, v in reversed(values.items())}
    )  # not compact, reversed
    headers = {
        **{f"XroadVnpt-{k}": v for k, v in values.items()},
        SIGN_HEADER_KEY: "messagetype;systemid",
        SIGN_HEADER: sign_header,
        HASH_HEADER: hmac.new(
            b"s3cret", sign_header.encode(), hashlib.sha256
        ).hexdigest(),
    }

    assert verify_request(headers, None, SECRETS.get).values == values


def assert_refused(
    headers: dict[str, str], body: bytes | None = PACKAGE, match: str = ""
) -> VxpAuthError:
    with pytest.raises(VxpAuthError, match=match) as caught:
        verify_request(headers, body, SECRETS.get)
    assert caught.value.error_code == "401"
    return caught.value


def test_tampered_header_value_is_refused() -> None:
    headers = upload_headers()
    headers["XroadVnpt-to"] = '["000.00.99.H44"]'

    assert_refused(headers, match="does not carry its signed value")


def test_tampered_signed_json_is_refused() -> None:
    headers = upload_headers()
    headers[SIGN_HEADER] = headers[SIGN_HEADER].replace(
        "000.00.24.H44", "000.00.99.H44"
    )
    headers["XroadVnpt-to"] = '["000.00.99.H44"]'

    assert_refused(headers, match="signature .* is invalid")


def test_wrong_secret_is_refused() -> None:
    headers = sign_headers({"systemid": "000.00.00.H44"}, "not-the-secret")

    error = assert_refused(
        headers, None, match="signature of system 000.00.00.H44 is invalid"
    )
    assert error.params["system_id"] == "000.00.00.H44"


def test_unknown_system_is_refused_like_a_bad_signature() -> None:
    headers = sign_headers({"systemid": "999.99.99.X99"}, "whatever")

    assert_refused(headers, None, match="is invalid")


def test_from_must_be_the_registered_system() -> None:
    assert_refused(
        upload_headers(**{"from": "000.00.24.H44"}), match="not the registered system"
    )


def test_from_alone_identifies_the_system() -> None:
    headers = signed({"from": "000.00.00.H44", "messagetype": "edoc"})

    assert verify_request(headers, None, SECRETS.get).system_id == "000.00.00.H44"


def test_request_without_identity_is_refused() -> None:
    assert_refused(signed({"messagetype": "edoc"}), None, match="systemid")


def test_package_must_match_the_signed_hash() -> None:
    assert_refused(upload_headers(), PACKAGE + b" ", match="hash-file")


def test_upload_without_signed_hash_is_refused() -> None:
    values = {"systemid": "000.00.00.H44", "messagetype": "edoc"}

    assert_refused(signed(values), match="hash-file")


def test_java_sdk_hash_without_leading_zeros_is_accepted() -> None:
    body = next(
        b"%d" % n
        for n in range(1000)
        if any(byte < 16 for byte in hashlib.sha256(b"%d" % n).digest())
    )
    legacy = "".join(format(byte, "x") for byte in hashlib.sha256(body).digest())
    assert len(legacy) < 64

    headers = signed({"systemid": "000.00.00.H44", "hash-file": legacy})
    assert verify_request(headers, body, SECRETS.get).system_id == "000.00.00.H44"


@pytest.mark.parametrize("missing", [SIGN_HEADER_KEY, SIGN_HEADER, HASH_HEADER])
def test_missing_signature_header_is_refused(missing: str) -> None:
    headers = upload_headers()
    del headers[missing]

    assert_refused(headers, match=missing)


def test_sign_header_must_be_a_json_object() -> None:
    headers = upload_headers()
    headers[SIGN_HEADER] = "[1, 2]"

    assert_refused(headers, match="not a JSON object")
