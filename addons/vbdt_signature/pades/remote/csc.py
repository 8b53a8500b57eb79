"""Cloud Signature Consortium API v1 and v2 (remote QSCD services, NEAC-style
gateways that follow it).

- ``auth/login`` (HTTP Basic with the agency's client id and secret) →
  ``access_token``, Bearer for the calls below;
- ``credentials/list`` {userID} → ``credentialIDs``;
- ``credentials/info`` {credentialID, certificates: "chain"} →
  ``cert.certificates`` (base64 DER, signer's first), ``authMode``,
  ``multisign`` (how many hashes one authorisation may cover);
- ``credentials/authorize`` {credentialID, numSignatures, hash (v1) or
  hashes + hashAlgorithmOID (v2)} → ``SAD``; in ``implicit`` mode the
  service obtains the signer's consent on its own channel (phone app);
- ``signatures/signHash`` {credentialID, SAD, hash/hashes, hashAlgo
  (v1) / hashAlgorithmOID (v2), signAlgo} → ``signatures``; in v2 with
  ``operationMode: "A"`` → ``responseID``, then ``signatures/signPolling``
  {responseID} until ``signatures`` come.

pyHanko's ``CSCSigner`` speaks the same v1 calls, but over aiohttp and
from inside pyHanko's signing call, holding the request open while the
signer confirms; here the digest was prepared earlier
(``pades.begin_signing``) and the answer may come minutes later, so only the
call shapes are shared.  ``implicit`` credentials are confirmed on the
service's own channel; for ``explicit`` ones (``auth_mode``) the signer
types the PIN and/or OTP, passed to ``credentials/authorize`` as ``PIN`` /
``OTP`` for that one call (:class:`.base.Authorisation`: never stored or
logged; an answer ``invalid_pin``/``invalid_otp`` closes the request).
To confirm on a provider's test environment: v2 asynchronous
mode and ``signPolling`` (optional in the specification), the error codes a
service uses for a refusal and an expired certificate (we map
``error``/``error_description`` words, see ``_ERRORS``).
"""

from __future__ import annotations

import base64
from typing import Any

from ..errors import RemoteCertificateError, RemoteProviderError
from .base import Account, Authorisation, Job, Outcome, Progress, RemoteProvider
from .values import decode_base64

HASH_OIDS = {"sha256": "2.16.840.1.101.3.4.2.1", "sha384": "2.16.840.1.101.3.4.2.2"}
SIGN_OIDS = {
    ("rsa", "sha256"): "1.2.840.113549.1.1.11",
    ("rsa", "sha384"): "1.2.840.113549.1.1.12",
    ("ec", "sha256"): "1.2.840.10045.4.3.2",
    ("ec", "sha384"): "1.2.840.10045.4.3.3",
}
_ERRORS = (
    (("reject", "denied", "refus"), Outcome.REJECTED),
    (("expired_sad", "timeout", "expired request"), Outcome.EXPIRED),
    (("certificate", "revoked", "suspended", "expired"), Outcome.CERTIFICATE),
)


class Csc(RemoteProvider):
    """CSC API v1; :class:`CscV2` adds the v2 names and asynchronous mode."""

    code = "csc_v1"
    label = "CSC API"
    max_batch = 50
    version = "v1"

    def _headers(self) -> dict[str, str]:
        answer = self.http.post(
            f"/csc/{self.version}/auth/login",
            {},
            auth=(self.connection.client_id, self.connection.client_secret),
        )
        token = answer.get("access_token")
        if not token:
            raise RemoteProviderError(provider=self.label, reason="no access_token")
        return {"Authorization": f"Bearer {token}"}

    def _call(self, headers: dict[str, str], method: str, body: dict[str, Any]):
        answer = self.http.post(
            f"/csc/{self.version}/{method}",
            body,
            headers=headers,
            accept_status=(400, 401, 403),
        )
        if answer.get("error"):
            raise _Refused(answer)
        return answer

    def _credential_id(self, headers: dict[str, str], account: Account) -> str:
        if account.credential_id:
            return account.credential_id
        found = self._call(headers, "credentials/list", {"userID": account.user_id})
        ids = found.get("credentialIDs") or []
        if len(ids) != 1:
            raise RemoteCertificateError(
                provider=self.label,
                account=account.user_id,
                detail=f" ({len(ids)} credentials: set the credential id)"
                if ids
                else "",
            )
        return str(ids[0])

    def auth_mode(self, account: Account) -> str:
        """The credential's ``authMode``: ``implicit`` (the service asks the
        signer on its own channel) or ``explicit`` (PIN/OTP typed here)."""
        try:
            headers = self._headers()
            info = self._call(
                headers,
                "credentials/info",
                {"credentialID": self._credential_id(headers, account)},
            )
        except _Refused as refused:
            raise refused.error(self.label) from None
        return str(info.get("authMode") or "implicit")

    def code_needed(self, account: Account) -> str:
        """An ``explicit`` credential's PIN is typed by the signer."""
        return "pin" if self.auth_mode(account) == "explicit" else ""

    def certificate_chain(self, account: Account) -> tuple[bytes, ...]:
        return self.read_credential(account)[1]

    def read_credential(self, account: Account) -> tuple[str, tuple[bytes, ...]]:
        """The account's only credential when none is set (``credentials/list``)."""
        try:
            headers = self._headers()
            credential = self._credential_id(headers, account)
            info = self._call(
                headers,
                "credentials/info",
                {"credentialID": credential, "certificates": "chain"},
            )
        except _Refused as refused:
            raise refused.error(self.label) from None
        certificates = (info.get("cert") or {}).get("certificates") or []
        if not certificates:
            raise RemoteCertificateError(
                provider=self.label, account=account.user_id, detail=""
            )
        return credential, tuple(decode_base64(value) for value in certificates)

    def start(
        self, account: Account, job: Job, authorisation: Authorisation | None = None
    ) -> Progress:
        try:
            headers = self._headers()
            credential = self._credential_id(headers, account)
            hashes = [_b64(digest) for digest in job.digests]
            sad = self._call(
                headers,
                "credentials/authorize",
                {
                    "credentialID": credential,
                    "numSignatures": len(hashes),
                    **self._hashes(hashes, job),
                    "description": job.description[:500],
                    **_typed(authorisation),
                },
            ).get("SAD")
            if not sad:
                raise RemoteProviderError(provider=self.label, reason="no SAD")
            answer = self._call(
                headers,
                "signatures/signHash",
                {
                    "credentialID": credential,
                    "SAD": sad,
                    **self._hashes(hashes, job),
                    "signAlgo": SIGN_OIDS[
                        (
                            self.connection.extra.get("key_type", "rsa"),
                            job.digest_algorithm,
                        )
                    ],
                    **self._mode(),
                },
            )
        except _Refused as refused:
            return Progress(job.transaction_id, *refused.outcome())
        return self._answer(answer, job.transaction_id)

    def poll(self, account: Account, transaction_id: str) -> Progress:
        raise RemoteProviderError(
            provider=self.label, reason="CSC v1 answers at once: nothing to poll"
        )

    def _hashes(self, hashes: list[str], job: Job) -> dict[str, Any]:
        return {"hash": hashes, "hashAlgo": HASH_OIDS[job.digest_algorithm]}

    def _mode(self) -> dict[str, Any]:
        return {}

    def _answer(self, answer: dict[str, Any], transaction_id: str) -> Progress:
        values = answer.get("signatures") or []
        if values:
            return Progress(
                transaction_id,
                Outcome.SIGNED,
                "",
                tuple(decode_base64(value) for value in values),
            )
        response_id = answer.get("responseID")
        if response_id:
            return Progress(str(response_id), Outcome.WAITING, "")
        return Progress(transaction_id, Outcome.FAILED, "no signatures")


class CscV2(Csc):
    code = "csc_v2"
    label = "CSC API v2"
    version = "v2"

    def _hashes(self, hashes: list[str], job: Job) -> dict[str, Any]:
        return {"hashes": hashes, "hashAlgorithmOID": HASH_OIDS[job.digest_algorithm]}

    def _mode(self) -> dict[str, Any]:
        return {"operationMode": "A", "validity_period": 300}

    def poll(self, account: Account, transaction_id: str) -> Progress:
        try:
            answer = self._call(
                self._headers(),
                "signatures/signPolling",
                {"responseID": transaction_id},
            )
        except _Refused as refused:
            return Progress(transaction_id, *refused.outcome())
        if not answer.get("signatures"):
            return Progress(transaction_id, Outcome.WAITING, "")
        return self._answer(answer, transaction_id)


class _Refused(Exception):
    """A CSC error answer ({error, error_description})."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(answer.get("error"))
        self.code = str(answer.get("error") or "")
        self.description = str(answer.get("error_description") or self.code)[:500]

    def outcome(self) -> tuple[Outcome, str]:
        words = f"{self.code} {self.description}".lower()
        for needles, outcome in _ERRORS:
            if any(needle in words for needle in needles):
                return outcome, self.description
        return Outcome.FAILED, self.description

    def error(self, provider: str) -> RemoteProviderError:
        return RemoteProviderError(provider=provider, reason=self.description)


def _typed(authorisation: Authorisation | None) -> dict[str, str]:
    """An ``explicit`` credential's PIN/OTP for ``credentials/authorize``."""
    if not authorisation:
        return {}
    typed = {"PIN": authorisation.pin, "OTP": authorisation.otp}
    return {key: value for key, value in typed.items() if value}


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()
