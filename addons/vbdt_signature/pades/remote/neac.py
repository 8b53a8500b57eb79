"""The national eSign gateway of NEAC (Circular 15/2025/TT-BKHCN): one API
in front of every public CA's remote signing service.

The gateway speaks the service-provider API of Decision 769/QĐ-BTTTT
(2022), which VNPT SmartCA also serves (hence :class:`Neac` reuses
:class:`..smartca.SmartCa`); a request names the agency as service provider
(``sp_id``/``sp_password``: the client id and secret NEAC issued) and the
CA that holds the signer's key (``ca_name``, e.g. ``VNPT-CA``,
``VIETTEL-CA``, ``BKAV-CA``).  Wire format as integrators document it
(e.g. Methics' open-source Laverca NEAC client); every call is a ``POST`` of
JSON:

- ``/get_certificate`` {sp_id, sp_password, ca_name, user_id, serial_number?,
  transaction_id} → ``data`` = list of {cert_id, cert_data, chain_data[]
  (base64 DER issuers), serial_number} (``data.user_certificates`` is
  accepted too);
- ``/sign`` {…, user_id, serial_number, transaction_id (ours),
  time_stamp, sign_files[] of {doc_id, data_to_be_signed, file_options:
  {file_type "pdf", sign_type "hash"}}} → ``data.transaction_id`` and
  ``data.signed_files[]`` of {doc_id, signature_value} when the CA answered
  at once (synchronous), or no ``signed_files`` while the signer confirms
  (asynchronous);
- the result of an asynchronous request is posted to the webhook
  {status_code, message, data: {transaction_id, signed_files}}, or polled.

Configurable because the public descriptions disagree or are silent
(``Connection.extra``; administrators set them on the service's form), and
what a test on NEAC's environment must confirm:

- ``ca_name``: the CA's name as the gateway lists it, and that it travels
  as a body field (not a path segment or a header);
- ``digest_encoding``: ``hex`` (default, as in Laverca's example and
  SmartCA) or ``base64`` for ``data_to_be_signed``;
- ``status_path``: polling is not in the integrators' documents; we POST
  {transaction_id} to ``/sign/status`` (default) and read the same answer
  as ``/sign``;
- the words of the refusal/expiry messages (``SmartCa._progress`` reads
  ``status_code``/``message``), the request lifetime, whether the webhook is
  signed by NEAC (we authenticate it by a secret in its URL), and whether a
  synchronous ``/sign`` holds the connection until the signer confirms
  (then the network timeout must exceed the confirmation time).
"""

from __future__ import annotations

import base64
from typing import Any

from ..errors import RemoteSettingError, _
from .base import Account, Authorisation, Job, Progress
from .smartca import SmartCa

DIGEST_ENCODINGS = {
    "hex": bytes.hex,
    "base64": lambda digest: base64.b64encode(digest).decode(),
}
DEFAULT_STATUS_PATH = "/sign/status"


class Neac(SmartCa):
    code = "neac_esign"
    label = "NEAC eSign"
    max_batch = 50
    certificate_path = "/get_certificate"
    sign_path = "/sign"

    def __init__(self, connection) -> None:
        super().__init__(connection)
        extra = connection.extra
        self.ca_name = str(extra.get("ca_name") or "").strip()
        if not self.ca_name:
            raise RemoteSettingError(provider=self.label, reason=_("no CA name is set"))
        self.encode_digest = DIGEST_ENCODINGS.get(extra.get("digest_encoding") or "hex")
        if not self.encode_digest:
            raise RemoteSettingError(
                provider=self.label,
                reason=_("the digest encoding is neither hex nor base64"),
            )
        self.status_path = str(extra.get("status_path") or DEFAULT_STATUS_PATH)
        if not self.status_path.startswith("/") or "?" in self.status_path:
            raise RemoteSettingError(
                provider=self.label,
                reason=_("the status path must start with / and carry no query"),
            )

    def _credentials(self) -> dict[str, str]:
        return {**super()._credentials(), "ca_name": self.ca_name}

    def _certificates(self, answer: dict[str, Any]) -> list[dict[str, Any]]:
        data = answer.get("data")
        if isinstance(data, list):
            return [item for item in data if isinstance(item, dict)]
        return super()._certificates(answer)

    def _chain(self, item: dict[str, Any]) -> list[Any]:
        chain = item.get("chain_data")
        return list(chain) if isinstance(chain, list) else super()._chain(item)

    def _sign_file(self, doc_id: str, digest: bytes) -> dict[str, Any]:
        return {
            "doc_id": doc_id,
            "data_to_be_signed": self.encode_digest(digest),
            "file_options": {"file_type": "pdf", "sign_type": "hash"},
        }

    def _signatures(self, answer: dict[str, Any]) -> list[dict[str, Any]]:
        items = (answer.get("data") or {}).get("signed_files") or []
        return [item for item in items if isinstance(item, dict)]

    def start(
        self, account: Account, job: Job, authorisation: Authorisation | None = None
    ) -> Progress:
        # our transaction_id names the request (no tran_code of the CA's); an
        # accepted request without values is waiting for the signer
        answer = self._post(self.sign_path, self._sign_body(account, job))
        return self._progress(answer, job.transaction_id)

    def poll(self, account: Account, transaction_id: str) -> Progress:
        answer = self._post(self.status_path, {"transaction_id": transaction_id})
        return self._progress(answer, transaction_id)

    def parse_webhook(self, payload: dict[str, Any]) -> Progress:
        data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
        transaction_id = data.get("transaction_id") or payload.get("transaction_id")
        return self._progress(payload, str(transaction_id or ""))
