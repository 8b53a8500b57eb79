"""VNPT SmartCA, TOTP variant (SmartCA TH): the request is authorised with a
time-based one-time code instead of a confirmation in the app, so a batch
or an agency seal is signed in one call, without anyone confirming each
request on a phone.

Wire format from VNPT's integration documents for SmartCA TH (same gateway
and ``sp_id``/``sp_password`` as :mod:`.smartca`):

- ``/v2/signatures/sign`` — the body of ``/v1/signatures/sign`` →
  ``data.tran_code``;
- ``/v2/signatures/confirm`` {user_id, tran_code, otp} →
  ``data.signatures[]`` of {doc_id, signature_value}, or a 4xx with a
  message (wrong or reused code, expired certificate).

The code is the one the signer types (``Authorisation.otp``, from their
authenticator app), or, for an agency seal, computed here (RFC 6238, 6
digits, 30 s, HMAC-SHA1: the usual enrolment) from the base32 secret
enrolled for the account (``Account.totp_secret``, sealed at rest by the
Odoo layer).  To confirm on VNPT's UAT environment: both paths and the
``otp``/``tran_code`` field names, the TOTP parameters given at enrolment,
whether one code may authorise a second request within its 30 s, and the
refusal messages (read like the app variant's, ``SmartCa._progress``).
"""

from __future__ import annotations

import base64
import binascii
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from ..errors import RemoteProviderError, RemoteSettingError, _
from .base import Account, Authorisation, Job, Outcome, Progress
from .smartca import SmartCa

TOTP_DIGITS, TOTP_STEP = 6, 30


def totp_code(secret: str, at: float | None = None) -> str:
    """The RFC 6238 code of base32 ``secret`` at ``at`` (now by default)."""
    return _totp(secret).generate(int(at if at is not None else time.time())).decode()


def totp_valid(secret: str, code: str, at: float | None = None) -> bool:
    """Whether ``code`` is ``secret``'s code at ``at`` (the provider's check;
    used by the test fakes)."""
    try:
        _totp(secret).verify(code.encode(), int(at if at is not None else time.time()))
    except InvalidToken:
        return False
    return True


def _totp(secret: str) -> TOTP:
    try:
        key = base64.b32decode(secret.replace(" ", "").upper(), casefold=True)
    except (binascii.Error, ValueError):
        raise RemoteSettingError(
            provider=SmartCaTotp.label, reason=_("the TOTP secret is not valid base32")
        ) from None
    # SHA-1 is what authenticator apps and RFC 6238 enrolments use; it keys
    # an HMAC here, where SHA-1 is not broken
    return TOTP(key, TOTP_DIGITS, SHA1(), TOTP_STEP, enforce_key_length=False)  # noqa: S303


class SmartCaTotp(SmartCa):
    code = "vnpt_smartca_totp"
    label = "VNPT SmartCA (TOTP)"
    max_batch = 50
    authorisation = "otp"
    sign_path = "/v2/signatures/sign"
    confirm_path = "/v2/signatures/confirm"

    def start(
        self, account: Account, job: Job, authorisation: Authorisation | None = None
    ) -> Progress:
        otp = self._otp(account, authorisation)
        request = super().start(account, job)
        if request.outcome is not Outcome.WAITING:
            return Progress(job.transaction_id, request.outcome, request.message)
        answer = self._post(
            self.confirm_path,
            {
                "user_id": account.user_id,
                "tran_code": request.transaction_id,
                "otp": otp,
            },
        )
        progress = self._progress(answer, request.transaction_id)
        if progress.outcome is Outcome.WAITING:  # nothing to wait for here
            return Progress(
                progress.transaction_id, Outcome.FAILED, progress.message or "?"
            )
        return progress

    def poll(self, account: Account, transaction_id: str) -> Progress:
        raise RemoteProviderError(
            provider=self.label, reason="a TOTP request answers at once"
        )

    def _otp(self, account: Account, authorisation: Authorisation | None) -> str:
        if authorisation and authorisation.otp:
            code = authorisation.otp.strip()
        elif account.totp_secret:
            code = totp_code(account.totp_secret)
        else:
            raise RemoteSettingError(
                provider=self.label, reason=_("a 6-digit one-time code is needed")
            )
        if not (code.isdigit() and len(code) == TOTP_DIGITS):
            raise RemoteSettingError(
                provider=self.label, reason=_("the one-time code must have 6 digits")
            )
        return code
