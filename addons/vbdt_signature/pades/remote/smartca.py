"""VNPT SmartCA (remote signing confirmed in the VNPT SmartCA app).

Wire format from VNPT's "Tài liệu tích hợp VNPT SMARTCA" for integrators
(gateway ``https://gwsca.vnpt.vn/sca/sp769``, UAT
``https://rmgateway.vnptit.vn/sca/sp769``); every call is a ``POST`` of JSON
carrying ``sp_id``/``sp_password`` (the agency's client id and secret):

- ``/v1/credentials/get_certificate`` {user_id (CCCD), serial_number?,
  transaction_id} → ``data.user_certificates[]`` with ``cert_data``,
  ``chain_data.ca_cert``/``root_cert`` (base64 DER), ``serial_number``,
  ``cert_status``;
- ``/v1/signatures/sign`` {user_id, transaction_id (ours, unique),
  transaction_desc, serial_number, time_stamp, sign_files[] of {doc_id,
  file_type "pdf", sign_type "hash", data_to_be_signed (hex SHA-256)}} →
  message ``sig_wait_for_user_confirm`` and ``data.tran_code``; several
  ``sign_files`` are confirmed at once (batch);
- ``/v1/signatures/sign/{tran_code}/status`` → ``data.signatures[]`` of
  {doc_id, signature_value (base64)} once confirmed;
- the webhook posts {sp_id, status_code, message, transaction_id,
  signed_files[] of {doc_id, signature_value}}.

To confirm on VNPT's UAT environment (not stated in the document): the
status answer while waiting, on refusal and on expiry (we read
``status_code``/``message``: see ``_OUTCOMES``); whether the webhook is
signed by VNPT (we authenticate it by a secret in its URL, see the Odoo
controller); whether ``signature_value`` is a raw PKCS#1 value or a CMS for
``file_type`` "pdf" (both are accepted, see ``values.raw_signature``); the
lifetime of a request (we assume 5 minutes); whether a request can be
cancelled (no call is documented: it is left to expire).  The TOTP variant
(SmartCA TH, ``/v2/signatures/sign`` + ``/v2/signatures/confirm``) is not
implemented.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..errors import RemoteCertificateError, RemoteProviderError
from .base import Account, Authorisation, Job, Outcome, Progress, RemoteProvider
from .values import decode_base64

WAITING = "sig_wait_for_user_confirm"
_OUTCOMES = (
    # (words in status message, outcome), first match wins; lower case
    (("credential_status", "revoke", "suspend"), Outcome.CERTIFICATE),
    (("wait", "pending", "processing"), Outcome.WAITING),
    (("reject", "denied", "cancel", "từ chối"), Outcome.REJECTED),
    (("expire", "timeout", "time out", "hết hạn"), Outcome.EXPIRED),
)


class SmartCa(RemoteProvider):
    """The Decision 769/QĐ-BTTTT (2022) service-provider API as VNPT serves
    it; :class:`..neac.Neac` reuses it with the gateway's paths and shapes."""

    code = "vnpt_smartca"
    label = "VNPT SmartCA"
    max_batch = 50
    certificate_path = "/v1/credentials/get_certificate"
    sign_path = "/v1/signatures/sign"

    def _credentials(self) -> dict[str, str]:
        return {
            "sp_id": self.connection.client_id,
            "sp_password": self.connection.client_secret,
        }

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        # refusals come back as 4xx with a JSON message: read them
        return self.http.post(
            path, {**self._credentials(), **body}, accept_status=(400, 401, 403)
        )

    def certificate_chain(self, account: Account) -> tuple[bytes, ...]:
        answer = self._post(
            self.certificate_path,
            {
                "user_id": account.user_id,
                "serial_number": account.credential_id,
                "transaction_id": f"cert-{account.user_id}",
            },
        )
        self._raise_refusal(answer)
        wanted = account.credential_id.lower()
        for item in self._certificates(answer):
            if wanted and str(item.get("serial_number", "")).lower() != wanted:
                continue
            values = [item.get("cert_data"), *self._chain(item)]
            return tuple(decode_base64(value) for value in values if value)
        raise RemoteCertificateError(
            provider=self.label, account=account.user_id, detail=""
        )

    def _certificates(self, answer: dict[str, Any]) -> list[dict[str, Any]]:
        items = (answer.get("data") or {}).get("user_certificates") or []
        return [item for item in items if isinstance(item, dict)]

    def _chain(self, item: dict[str, Any]) -> list[Any]:
        """The issuers' base64 certificates of one ``user_certificates`` item."""
        chain = item.get("chain_data") or {}
        return [chain.get("ca_cert"), chain.get("root_cert")]

    def _sign_file(self, doc_id: str, digest: bytes) -> dict[str, Any]:
        return {
            "doc_id": doc_id,
            "file_type": "pdf",
            "sign_type": "hash",
            "data_to_be_signed": digest.hex(),
        }

    def _sign_body(self, account: Account, job: Job) -> dict[str, Any]:
        return {
            "user_id": account.user_id,
            "serial_number": account.credential_id,
            "transaction_id": job.transaction_id,
            "transaction_desc": job.description[:250],
            "time_stamp": datetime.now(timezone.utc).strftime("%Y%m%d%H%M%SZ"),
            "sign_files": [
                self._sign_file(job.document_id(index), digest)
                for index, digest in enumerate(job.digests)
            ],
        }

    def start(
        self, account: Account, job: Job, authorisation: Authorisation | None = None
    ) -> Progress:
        answer = self._post(self.sign_path, self._sign_body(account, job))
        progress = self._progress(answer, "")
        tran_code = str((answer.get("data") or {}).get("tran_code") or "")
        if progress.outcome is Outcome.WAITING and not tran_code:
            raise RemoteProviderError(provider=self.label, reason="no tran_code")
        return Progress(tran_code, progress.outcome, progress.message)

    def poll(self, account: Account, transaction_id: str) -> Progress:
        if not transaction_id.replace("-", "").isalnum():
            raise RemoteProviderError(provider=self.label, reason="bad tran_code")
        answer = self._post(f"/v1/signatures/sign/{transaction_id}/status", {})
        return self._progress(answer, transaction_id)

    def parse_webhook(self, payload: dict[str, Any]) -> Progress:
        """VNPT's callback; ``transaction_id`` there is ours (the caller maps
        it), so the returned progress carries it."""
        files = payload.get("signed_files") or []
        answer = {
            "status_code": payload.get("status_code"),
            "message": payload.get("message"),
            "data": {"signatures": files},
        }
        return self._progress(answer, str(payload.get("transaction_id") or ""))

    def _signatures(self, answer: dict[str, Any]) -> list[dict[str, Any]]:
        items = (answer.get("data") or {}).get("signatures") or []
        return [item for item in items if isinstance(item, dict)]

    def _progress(self, answer: dict[str, Any], transaction_id: str) -> Progress:
        message = str(answer.get("message") or "").strip()[:500]
        signatures = self._signatures(answer)
        values = [item.get("signature_value") for item in signatures]
        if answer.get("status_code") == 200 and values and all(values):
            return Progress(
                transaction_id,
                Outcome.SIGNED,
                message,
                tuple(decode_base64(value) for value in values),
                tuple(str(item.get("doc_id") or "") for item in signatures),
            )
        if message == WAITING:
            return Progress(transaction_id, Outcome.WAITING, message)
        if answer.get("status_code") == 403:  # CREDENTIAL_STATUS_INVALID
            return Progress(transaction_id, Outcome.CERTIFICATE, message)
        lowered = message.lower()
        for words, outcome in _OUTCOMES:
            if any(word in lowered for word in words):
                return Progress(transaction_id, outcome, message)
        if answer.get("status_code") == 200:
            return Progress(transaction_id, Outcome.WAITING, message)
        return Progress(transaction_id, Outcome.FAILED, message or "?")

    def _raise_refusal(self, answer: dict[str, Any]) -> None:
        if answer.get("status_code") not in (200, None):
            raise RemoteProviderError(
                provider=self.label, reason=str(answer.get("message") or "?")[:500]
            )
