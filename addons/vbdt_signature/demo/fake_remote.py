"""Local stand-ins for remote signing services, over real HTTP on 127.0.0.1.

One threaded server speaks the protocols of ``pades.remote`` (VNPT
SmartCA and its TOTP variant, Viettel MySign, CSC API v1/v2, the NEAC eSign
gateway) under their own paths, for the accounts it is given: a request is
"confirmed on the phone" ``delay`` seconds after it was made, then signed
with the account's key, refused, or left to expire, as the account's
scenario says; the result is polled, or posted to the webhook URL.  Plain
Python (stdlib, cryptography, asn1crypto): used by the pytest suites
(``tests/remote``), the Odoo tests and, as a DEMO stand-in only, beside the
demo database (``testpki.py serve``, run by ``scripts/serve``). Never a real
provider: no phone is asked anything, the request is simply signed.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import struct
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import algos, cms, core
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils

_logger = logging.getLogger(__name__)
CONFIRM, REJECT, TIMEOUT, EXPIRED_CERTIFICATE, WRONG_KEY = (
    "confirm",
    "reject",
    "timeout",
    "expired_certificate",
    "wrong_key",
)
CLIENT_ID, CLIENT_SECRET = "vbdt-test-client", "vbdt-test-secret"


@dataclass
class FakeAccount:
    """A signer at the provider: their key and chain (DER, signer's first)."""

    private_key: Any
    chain: list[bytes]
    scenario: str = CONFIRM
    fail_index: int | None = None
    """In a batch, the document whose signature comes back wrong."""
    credential_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    totp_secret: str = ""
    """SmartCA TOTP variant: the base32 secret enrolled for the account."""
    pin: str = ""
    """CSC: a PIN makes the credential ``explicit`` (typed by the signer)."""


def account_from_credential(credential, **kwargs) -> FakeAccount:
    """The one bridge from the test PKI (``demo.testpki.Credential``: a
    certificate, its key and its issuers) to a fake provider account."""
    chain = [credential.certificate, *credential.chain]
    return FakeAccount(
        credential.private_key,
        [c.public_bytes(serialization.Encoding.DER) for c in chain],
        **kwargs,
    )


@dataclass
class _Request:
    account: FakeAccount
    digests: list[bytes]
    doc_ids: list[str]
    made_at: float
    ours: str = ""
    cancelled: bool = False
    kind: str = "smartca"
    """Whose webhook format the result is posted in."""


class FakeProviders:
    """``with FakeProviders(accounts) as fake: fake.url ...``"""

    def __init__(
        self,
        accounts: dict[str, FakeAccount],
        delay: float = 0.2,
        timeout: float = 30.0,
        cms_values: bool = False,
        neac_sync: bool = False,
        neac_digest_encoding: str = "hex",
        neac_status_path: str = "/sign/status",
        port: int = 0,
    ) -> None:
        self.accounts = accounts
        self.delay = delay
        self.timeout = timeout
        self.cms_values = cms_values
        self.neac_sync = neac_sync
        self.neac_digest_encoding = neac_digest_encoding
        self.neac_status_path = neac_status_path
        self.webhook_url: str | None = None
        self.requests: dict[str, _Request] = {}
        self.calls: list[str] = []
        self.webhooks_sent: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeProviders:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ------------------------------------------------------------ behaviour
    def account(self, user_id: str) -> FakeAccount | None:
        return self.accounts.get(user_id)

    def open_request(
        self, account: FakeAccount, digests, doc_ids, ours="", kind="smartca"
    ) -> str:
        code = ours if kind == "neac" else str(uuid.uuid4())
        with self._lock:
            self.requests[code] = _Request(
                account, list(digests), list(doc_ids), time.monotonic(), ours, kind=kind
            )
        if self.webhook_url:
            timer = threading.Timer(self.delay + 0.05, self._send_webhook, [code])
            timer.daemon = True
            timer.start()
        return code

    def state(self, code: str) -> tuple[str, list[bytes]]:
        """("waiting"|"signed"|"rejected"|"expired"|"certificate", values)."""
        request = self.requests[code]
        elapsed = time.monotonic() - request.made_at
        scenario = request.account.scenario
        if scenario == EXPIRED_CERTIFICATE:
            return "certificate", []
        if request.cancelled:
            return "rejected", []
        if scenario == TIMEOUT:
            return ("expired" if elapsed >= self.timeout else "waiting"), []
        if elapsed < self.delay:
            return "waiting", []
        if scenario == REJECT:
            return "rejected", []
        return "signed", [
            self.sign(request.account, digest, index)
            for index, digest in enumerate(request.digests)
        ]

    def sign(self, account: FakeAccount, digest: bytes, index: int = 0) -> bytes:
        if account.scenario == WRONG_KEY or account.fail_index == index:
            digest = bytes(len(digest))  # a valid signature over other data
        key = account.private_key
        prehashed = utils.Prehashed(hashes.SHA256())
        if isinstance(key, rsa.RSAPrivateKey):
            value = key.sign(digest, padding.PKCS1v15(), prehashed)
        else:
            value = key.sign(digest, ec.ECDSA(prehashed))
        return _cms(value, account.chain[0]) if self.cms_values else value

    def webhook_payload(self, code: str) -> dict[str, Any]:
        """What the provider posts to the webhook for request ``code`` now."""
        state, values = self.state(code)
        request = self.requests[code]
        return _WEBHOOKS[request.kind](request, state, values)

    def _send_webhook(self, code: str) -> None:
        request = self.requests[code]
        wait = 0.0
        while self.state(code)[0] == "waiting" and wait < self.timeout + 1:
            time.sleep(0.05)
            wait += 0.05
        state, values = self.state(code)
        payload = _WEBHOOKS[request.kind](request, state, values)
        self.webhooks_sent.append(payload)
        body = json.dumps(payload).encode()
        try:
            urllib.request.urlopen(  # noqa: S310 -- our own 127.0.0.1 URL
                urllib.request.Request(
                    self.webhook_url,
                    data=body,
                    headers={"Content-Type": "application/json"},
                ),
                timeout=30,
            ).read()
        except OSError as err:  # the test then reads what the server stored
            _logger.info("fake provider: webhook not delivered (%s)", err)


def _cms(signature: bytes, certificate_der: bytes) -> bytes:
    """A detached CMS SignedData whose signer signed the digest directly."""
    certificate = asn1_x509.Certificate.load(certificate_der)
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                {
                    "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                        {
                            "issuer": certificate.issuer,
                            "serial_number": certificate.serial_number,
                        }
                    )
                }
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signature_algorithm": algos.SignedDigestAlgorithm(
                {"algorithm": "rsassa_pkcs1v15"}
            ),
            "signature": core.OctetString(signature),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data"},
            "certificates": [certificate],
            "signer_infos": [signer_info],
        }
    )
    return cms.ContentInfo(
        {"content_type": "signed_data", "content": signed_data}
    ).dump()


def _oauth_error(error: str, description: str) -> tuple[int, dict[str, str]]:
    """An error reply as OAuth 2.0 words it (RFC 6749, 5.2), which CSC API
    and MySign's login use."""
    return 400, {"error": error, "error_description": description}


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _signed_files(request: _Request, values: list[bytes]) -> list[dict[str, str]]:
    """Each document of ``request`` with its signature value, as the SmartCA
    and NEAC webhooks list them."""
    return [
        {"doc_id": doc_id, "signature_value": _b64(value)}
        for doc_id, value in zip(request.doc_ids, values, strict=False)
    ]


def _smartca_webhook(request: _Request, state: str, values: list[bytes]):
    messages = {
        "signed": "SUCCESS",
        "rejected": "sig_rejected_by_user",
        "expired": "sig_request_expired",
        "certificate": "CREDENTIAL_STATUS_INVALID",
    }
    return {
        "sp_id": CLIENT_ID,
        "status_code": 200 if state == "signed" else 400,
        "message": messages.get(state, "ERROR"),
        "transaction_id": request.ours,
        "signed_files": _signed_files(request, values),
    }


def _neac_answer(request: _Request, state: str, values: list[bytes]):
    """NEAC's answer (and webhook) for a request: Decision 769's shape."""
    messages = {
        "waiting": "sig_wait_for_user_confirm",
        "signed": "Ky so thanh cong",
        "rejected": "Nguoi dung tu choi ky (rejected)",
        "expired": "Yeu cau het han (expired)",
        "certificate": "CREDENTIAL_STATUS_INVALID: chung thu bi thu hoi",
    }
    return {
        "status_code": {"signed": 200, "waiting": 200, "certificate": 403}.get(
            state, 400
        ),
        "message": messages[state],
        "data": {
            "transaction_id": request.ours,
            "signed_files": _signed_files(request, values) or None,
        },
    }


_WEBHOOKS = {"smartca": _smartca_webhook, "neac": _neac_answer}
NEAC_CAS = ("VNPT-CA", "VIETTEL-CA", "BKAV-CA")
"""The CAs the fake gateway knows (a name elsewhere is refused)."""


class _Handler(BaseHTTPRequestHandler):
    """Routes each provider's paths; ``self.server.fake`` holds the state."""

    @property
    def fake(self) -> FakeProviders:
        return self.server.fake

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802 -- http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        self.fake.calls.append(self.path)
        try:
            body = json.loads(raw or b"{}") if raw[:1] in (b"{", b"[", b"") else {}
        except ValueError:
            return self._reply(400, {"message": "bad json"})
        path = self.path
        if path.startswith("/sca/sp769/"):
            return self._reply(*self._smartca(path[len("/sca/sp769") :], body))
        if path.startswith("/vtss/service/"):
            return self._reply(*self._mysign(path[len("/vtss/service") :], body))
        if path.startswith("/csc/"):
            return self._reply(*self._csc(path, body))
        if path.startswith("/neac/"):
            return self._reply(*self._neac(path[len("/neac") :], body))
        return self._reply(404, {"message": "not found"})

    def _reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # ------------------------------------------------------- SmartCA
    def _smartca(self, path, body):
        if body.get("sp_id") != CLIENT_ID or body.get("sp_password") != (CLIENT_SECRET):
            return 401, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID"}
        if path == "/v1/credentials/get_certificate":
            account = self.fake.account(body.get("user_id"))
            if not account:
                return 200, {"status_code": 200, "data": {"user_certificates": []}}
            chain = account.chain
            return 200, {
                "status_code": 200,
                "message": "Success",
                "data": {
                    "user_certificates": [
                        {
                            "cert_id": account.credential_id,
                            "serial_number": "",
                            "cert_status": "Đang hoạt động",
                            "cert_data": _b64(chain[0]),
                            "chain_data": {
                                "ca_cert": _b64(chain[1]) if len(chain) > 1 else None,
                                "root_cert": _b64(chain[2]) if len(chain) > 2 else None,
                            },
                        }
                    ]
                },
            }
        if path == "/v2/signatures/confirm":
            return self._smartca_confirm(body)
        if path in ("/v1/signatures/sign", "/v2/signatures/sign"):
            account = self.fake.account(body.get("user_id"))
            if not account:
                return 401, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID"}
            if account.scenario == EXPIRED_CERTIFICATE:
                return 403, {
                    "status_code": 403,
                    "message": "CREDENTIAL_STATUS_INVALID: chứng thư hết hạn",
                }
            files = body.get("sign_files") or []
            if not files or any(f.get("sign_type") != "hash" for f in files):
                return 400, {"status_code": 400, "message": "BAD_REQUEST"}
            code = self.fake.open_request(
                account,
                [bytes.fromhex(f["data_to_be_signed"]) for f in files],
                [f["doc_id"] for f in files],
                body.get("transaction_id", ""),
            )
            return 200, {
                "status_code": 200,
                "message": "sig_wait_for_user_confirm",
                "data": {
                    "transaction_id": body.get("transaction_id"),
                    "tran_code": code,
                },
            }
        if path.startswith("/v1/signatures/sign/") and path.endswith("/status"):
            code = path.split("/")[-2]
            if code not in self.fake.requests:
                return 400, {"status_code": 400, "message": "TRANSACTION_NOT_FOUND"}
            state, values = self.fake.state(code)
            request = self.fake.requests[code]
            if state == "signed":
                return 200, {
                    "status_code": 200,
                    "message": "SUCCESS",
                    "data": {
                        "transaction_id": request.ours,
                        "signatures": [
                            {"doc_id": d, "signature_value": _b64(v)}
                            for d, v in reversed(
                                list(zip(request.doc_ids, values, strict=False))
                            )
                        ],
                    },
                }
            payload = _smartca_webhook(request, state, [])
            if state == "waiting":
                payload = {
                    "status_code": 200,
                    "message": "sig_wait_for_user_confirm",
                }
            return 200, payload
        return 404, {"status_code": 404, "message": "not found"}

    def _smartca_confirm(self, body):
        """SmartCA TH: a right one-time code signs the request at once."""
        request = self.fake.requests.get(body.get("tran_code") or "")
        account = self.fake.account(body.get("user_id"))
        if not request or request.account is not account:
            return 400, {"status_code": 400, "message": "TRANSACTION_NOT_FOUND"}
        if not _totp_valid(account.totp_secret, str(body.get("otp") or "")):
            return 400, {"status_code": 400, "message": "OTP_INVALID"}
        del self.fake.requests[body["tran_code"]]  # a request is confirmed once
        values = [self.fake.sign(account, d, i) for i, d in enumerate(request.digests)]
        return 200, {
            "status_code": 200,
            "message": "SUCCESS",
            "data": {
                "signatures": [
                    {"doc_id": doc_id, "signature_value": _b64(value)}
                    for doc_id, value in zip(request.doc_ids, values, strict=True)
                ]
            },
        }

    # ------------------------------------------------------- NEAC eSign
    def _neac(self, path, body):
        if body.get("sp_id") != CLIENT_ID or body.get("sp_password") != CLIENT_SECRET:
            return 401, {"status_code": 401, "message": "SP_CREDENTIAL_INVALID"}
        if body.get("ca_name") not in NEAC_CAS:
            return 400, {"status_code": 400, "message": "CA_NOT_FOUND"}
        account = self.fake.account(body.get("user_id"))
        if path == "/get_certificate":
            if not account:
                return 200, {"status_code": 200, "message": "OK", "data": []}
            return 200, {
                "status_code": 200,
                "message": "Lay chung thu thanh cong",
                "data": [
                    {
                        "cert_id": account.credential_id,
                        "cert_data": _b64(account.chain[0]),
                        "chain_data": [_b64(c) for c in account.chain[1:]],
                        "serial_number": "",
                    }
                ],
            }
        if path == "/sign":
            return self._neac_sign(account, body)
        if path == self.fake.neac_status_path:
            request = self.fake.requests.get(body.get("transaction_id"))
            if not request:
                return 400, {"status_code": 400, "message": "TRANSACTION_NOT_FOUND"}
            return 200, _neac_answer(request, *self.fake.state(request.ours))
        return 404, {"status_code": 404, "message": "not found"}

    def _neac_sign(self, account, body):
        if not account:
            return 400, {"status_code": 400, "message": "USER_NOT_FOUND"}
        files = body.get("sign_files") or []
        if not files or any(
            (f.get("file_options") or {}).get("sign_type") != "hash" for f in files
        ):
            return 400, {"status_code": 400, "message": "BAD_REQUEST"}
        if account.scenario == EXPIRED_CERTIFICATE:
            return 403, {
                "status_code": 403,
                "message": "CREDENTIAL_STATUS_INVALID: chung thu het han",
            }
        decode = bytes.fromhex
        if self.fake.neac_digest_encoding == "base64":
            decode = base64.b64decode
        code = self.fake.open_request(
            account,
            [decode(f["data_to_be_signed"]) for f in files],
            [f["doc_id"] for f in files],
            body.get("transaction_id", ""),
            kind="neac",
        )
        request = self.fake.requests[code]
        if not self.fake.neac_sync:
            return 200, _neac_answer(request, "waiting", [])
        while self.fake.state(code)[0] == "waiting":  # held until confirmed
            time.sleep(0.02)
        return 200, _neac_answer(request, *self.fake.state(code))

    # ------------------------------------------------------- MySign
    def _mysign(self, path, body):
        if path == "/ras/v1/login":
            if body.get("client_secret") != CLIENT_SECRET or not self.fake.account(
                body.get("user_id")
            ):
                return _oauth_error("invalid_client", "Sai thông tin đăng nhập")
            return 200, {
                "access_token": "tok-" + body["user_id"],
                "expires_in": 3600,
            }
        account = self.fake.account(
            self.headers.get("Authorization", "")[len("Bearer tok-") :]
        )
        if not account:
            return 401, {"error": "unauthorized"}
        if path == "/certificates/info":
            return 200, [
                {
                    "credential_id": account.credential_id,
                    "cert": {"certificates": [_wrap(_b64(c)) for c in account.chain]},
                }
            ]
        if path == "/signHash":
            if body.get("credentialID") != account.credential_id:
                return 400, {
                    "error": "invalid_request",
                    "description": "credentialID",
                }
            if account.scenario == EXPIRED_CERTIFICATE:
                return 400, {
                    "status": "13004",
                    "description": "Chứng thư số hết hạn",
                }
            digests = [base64.b64decode(h) for h in body["hash"]]
            if body.get("numSignatures") != len(digests):
                return 400, {"error": "invalid_request"}
            if body.get("async") == 0:
                return 200, {
                    "signatures": [
                        _wrap(_b64(self.fake.sign(account, d, i)))
                        for i, d in enumerate(digests)
                    ]
                }
            code = self.fake.open_request(
                account, digests, [d["document_id"] for d in body["documents"]]
            )
            return 200, {"transactionId": code}
        if path == "/requests/status":
            code = body.get("transactionId")
            if code not in self.fake.requests:
                return 200, {"status": "4004", "description": "not found"}
            state, values = self.fake.state(code)
            status = {
                "waiting": "4000",
                "signed": "1",
                "rejected": "4002",
                "expired": "4001",
                "certificate": "13004",
            }[state]
            payload = {"status": status, "description": state}
            if values:
                payload["signatures"] = [_wrap(_b64(v)) for v in values]
            return 200, payload
        return 404, {"error": "not found"}

    # ------------------------------------------------------- CSC
    def _csc(self, path, body):
        version, _, method = path[len("/csc/") :].partition("/")
        if method == "auth/login":
            expected = "Basic " + _b64(f"{CLIENT_ID}:{CLIENT_SECRET}".encode())
            if self.headers.get("Authorization") != expected:
                return 401, {"error": "invalid_client"}
            return 200, {"access_token": "csc-token"}
        if self.headers.get("Authorization") != "Bearer csc-token":
            return 401, {"error": "invalid_token"}
        if method == "signatures/signPolling":
            return self._csc_poll(body.get("responseID"))
        by_credential = {a.credential_id: a for a in self.fake.accounts.values()}
        if method == "credentials/list":
            account = self.fake.account(body.get("userID"))
            return 200, {"credentialIDs": [account.credential_id] if account else []}
        account = by_credential.get(body.get("credentialID", ""))
        if not account:
            return _oauth_error("invalid_request", "credentialID")
        if method == "credentials/info":
            return 200, {
                "cert": {
                    "status": "valid",
                    "certificates": [_b64(c) for c in account.chain],
                },
                "authMode": "explicit" if account.pin else "implicit",
                "multisign": 50,
            }
        hashes_ = body.get("hash") if version == "v1" else body.get("hashes")
        if method == "credentials/authorize":
            if account.pin and not hmac.compare_digest(
                str(body.get("PIN") or ""), account.pin
            ):
                return _oauth_error("invalid_pin", "The PIN is invalid")
            if account.scenario == REJECT:
                return _oauth_error("access_denied", "User rejected")
            if account.scenario == EXPIRED_CERTIFICATE:
                return _oauth_error("invalid_request", "Certificate expired")
            return 200, {"SAD": "sad-" + account.credential_id + f"-{len(hashes_)}"}
        if method == "signatures/signHash":
            if body.get("SAD") != "sad-" + account.credential_id + f"-{len(hashes_)}":
                return _oauth_error("invalid_request", "Invalid SAD")
            digests = [base64.b64decode(h) for h in hashes_]
            if version == "v2" and body.get("operationMode") == "A":
                return 200, {"responseID": self.fake.open_request(account, digests, [])}
            return 200, {
                "signatures": [
                    _b64(self.fake.sign(account, d, i)) for i, d in enumerate(digests)
                ]
            }
        return 404, {"error": "not found"}

    def _csc_poll(self, code):
        if code not in self.fake.requests:
            return _oauth_error("invalid_request", "responseID")
        state, values = self.fake.state(code)
        if state == "waiting":
            return 200, {}
        if state == "signed":
            return 200, {"signatures": [_b64(v) for v in values]}
        errors = {
            "rejected": ("access_denied", "User rejected the request"),
            "expired": ("expired_request", "Request timeout"),
            "certificate": ("invalid_request", "Certificate revoked"),
        }
        error, description = errors[state]
        return 400, {"error": error, "error_description": description}


def _totp_valid(secret: str, code: str) -> bool:
    """RFC 6238 as the provider checks it (its own code, not the client's):
    the current 30-second step or the one before."""
    if not secret or not code.isdigit():
        return False
    key = base64.b32decode(secret, casefold=True)
    now = int(time.time()) // 30
    for step in (now, now - 1):
        mac = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
        offset = mac[-1] & 0x0F
        number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
        if hmac.compare_digest(f"{number % 10**6:06d}", code):
            return True
    return False


def _wrap(text: str) -> str:
    """MySign wraps base64 at 76 columns with CRLF."""
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))
