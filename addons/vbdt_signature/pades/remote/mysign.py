"""Viettel MySign (Viettel-CA remote signing, confirmed in the MySign app).

Wire format from Viettel's integration guide and Postman collection as
integrators describe them (gateway ``https://remotesigning.viettel.vn:8773``),
all ``POST`` JSON:

- ``/vtss/service/ras/v1/login`` {client_id, client_secret, profile_id,
  user_id} → ``access_token`` (per user, Bearer for the calls below);
- ``/vtss/service/certificates/info`` {client_id, client_secret, profile_id,
  user_id, certificates: "chain", certInfo, authInfo} → a list of
  {credential_id, cert: {certificates: [base64 DER, signer's first], status,
  ...}};
- ``/vtss/service/signHash`` {client_id, client_secret, credentialID,
  numSignatures, documents[] of {document_id, document_name (base64)},
  hash[] (base64), hashAlgo (OID), signAlgo (OID), async} → with ``async``
  0 ``signatures[]`` at once, with 1/2 (polled) or 3 (webhook)
  ``transactionId``;
- ``/vtss/service/requests/status`` {transactionId} → ``status`` "1"
  (``signatures[]``), "4000" waiting, "6000" confirmed and signing, "4001"
  timeout, "4002" rejected, "4004" failed, "4005" no signatures left on the
  account, "13004" certificate expired or revoked, "50000" internal error.

To confirm on Viettel's test environment: the webhook body (we expect the
status answer's fields plus ``transactionId``) and how Viettel authenticates
it (we authenticate it by a secret in its URL); ``signAlgo`` for EC keys
(we send ecdsa-with-SHA256's OID); whether signatures come back in the
order of ``hash[]`` (we rely on it: the status answer names no document);
the token lifetime (we log in for every operation: a signature needs three
calls); cancellation (no call documented: requests are left to expire).
"""

from __future__ import annotations

import base64
from typing import Any

from ..errors import RemoteCertificateError, RemoteProviderError
from .base import Account, Authorisation, Job, Outcome, Progress, RemoteProvider
from .values import decode_base64

HASH_OIDS = {"sha256": "2.16.840.1.101.3.4.2.1", "sha384": "2.16.840.1.101.3.4.2.2"}
RSA_OID = "1.2.840.113549.1.1.1"
ECDSA_SHA256_OID = "1.2.840.10045.4.3.2"
POLLED, WEBHOOK = 1, 3
_STATUS = {
    "1": Outcome.SIGNED,
    "0": Outcome.WAITING,
    "4000": Outcome.WAITING,
    "6000": Outcome.WAITING,
    "4001": Outcome.EXPIRED,
    "4002": Outcome.REJECTED,
    "13004": Outcome.CERTIFICATE,
}


class MySign(RemoteProvider):
    code = "viettel_mysign"
    label = "Viettel MySign"
    max_batch = 50

    def _client(self) -> dict[str, str]:
        return {
            "client_id": self.connection.client_id,
            "client_secret": self.connection.client_secret,
        }

    def _login(self, account: Account) -> dict[str, str]:
        answer = self.http.post(
            "/vtss/service/ras/v1/login",
            {
                **self._client(),
                "profile_id": self.connection.profile_id,
                "user_id": account.user_id,
            },
            accept_status=(400, 401),
        )
        token = answer.get("access_token")
        if not token:
            raise RemoteProviderError(provider=self.label, reason=_describe(answer))
        return {"Authorization": f"Bearer {token}"}

    def certificate_chain(self, account: Account) -> tuple[bytes, ...]:
        return self.read_credential(account)[1]

    def read_credential(self, account: Account) -> tuple[str, tuple[bytes, ...]]:
        """The credential set on the account, or the account's first one
        with a certificate (``certificates/info`` lists them all)."""
        headers = self._login(account)
        answer = self.http.post(
            "/vtss/service/certificates/info",
            {
                **self._client(),
                "profile_id": self.connection.profile_id,
                "user_id": account.user_id,
                "certificates": "chain",
                "certInfo": True,
                "authInfo": True,
            },
            headers=headers,
            allow_list=True,
        )
        items = answer if isinstance(answer, list) else answer.get("items") or []
        for item in items:
            if account.credential_id and item.get("credential_id") != (
                account.credential_id
            ):
                continue
            certificates = (item.get("cert") or {}).get("certificates") or []
            if certificates:
                return (
                    str(item.get("credential_id") or account.credential_id),
                    tuple(decode_base64(value) for value in certificates),
                )
        raise RemoteCertificateError(
            provider=self.label, account=account.user_id, detail=""
        )

    def start(
        self,
        account: Account,
        job: Job,
        authorisation: Authorisation | None = None,
        mode: int = POLLED,
    ) -> Progress:
        headers = self._login(account)
        answer = self.http.post(
            "/vtss/service/signHash",
            {
                **self._client(),
                "credentialID": account.credential_id,
                "numSignatures": len(job.digests),
                "documents": [
                    {
                        "document_id": job.document_id(index),
                        "document_name": base64.b64encode(
                            (job.description or job.document_id(index))[:60].encode()
                        ).decode(),
                    }
                    for index in range(len(job.digests))
                ],
                "hash": [base64.b64encode(digest).decode() for digest in job.digests],
                "hashAlgo": HASH_OIDS[job.digest_algorithm],
                "signAlgo": self.connection.extra.get("sign_algo", RSA_OID),
                "async": mode,
            },
            headers=headers,
            accept_status=(400,),
        )
        if answer.get("signatures"):
            return self._progress({**answer, "status": "1"}, job.transaction_id)
        transaction_id = str(answer.get("transactionId") or "")
        if not transaction_id:
            raise RemoteProviderError(provider=self.label, reason=_describe(answer))
        return Progress(
            transaction_id, Outcome.WAITING, str(answer.get("description") or "")
        )

    def poll(self, account: Account, transaction_id: str) -> Progress:
        headers = self._login(account)
        answer = self.http.post(
            "/vtss/service/requests/status",
            {"transactionId": transaction_id},
            headers=headers,
        )
        return self._progress(answer, transaction_id)

    def parse_webhook(self, payload: dict[str, Any]) -> Progress:
        return self._progress(payload, str(payload.get("transactionId") or ""))

    def _progress(self, answer: dict[str, Any], transaction_id: str) -> Progress:
        status = str(answer.get("status", ""))
        outcome = _STATUS.get(status, Outcome.FAILED)
        message = _describe(answer)
        if outcome is Outcome.SIGNED:
            values = answer.get("signatures") or []
            if not values:
                return Progress(transaction_id, Outcome.FAILED, message)
            return Progress(
                transaction_id,
                outcome,
                message,
                tuple(decode_base64(value) for value in values),
            )
        return Progress(transaction_id, outcome, message)


def _describe(answer: dict[str, Any]) -> str:
    return str(
        answer.get("description")
        or answer.get("error_description")
        or answer.get("message")
        or answer.get("status")
        or ""
    )[:500]
