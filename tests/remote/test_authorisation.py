"""Requests authorised by what is typed or computed, not confirmed in an app:
SmartCA's TOTP variant (batch and seal signing) and CSC ``explicit``
credentials (PIN/OTP)."""

from __future__ import annotations

import base64

import pytest
from demo.fake_remote import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeProviders,
    account_from_credential,
)
from pades import PersonAppearance, begin_signing, finish_signing, verify_pdf
from pades.errors import RemoteSettingError
from pades.remote import (
    Account,
    Authorisation,
    Connection,
    Job,
    Outcome,
    provider_for,
    raw_signature,
)
from pades.remote.smartca_totp import totp_code

USER = "001090000001"
SECRET = base64.b32encode(b"vbdt-seal-totp-secret-2026").decode()
PIN = "246810"


def connect(fake, code, base=""):
    return provider_for(
        code,
        Connection(
            fake.url + base, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, timeout=5
        ),
    )


@pytest.fixture
def appearance(signature_png):
    return PersonAppearance(signature_png, printed_name="Nguyễn Văn An")


def test_totp_signs_a_batch_at_once_with_the_enrolled_secret(pki, draft, appearance):
    """An agency's seal account: the server computes the code, no phone; the
    values come in the answer, one per document."""
    accounts = {USER: account_from_credential(pki.person, totp_secret=SECRET)}
    with FakeProviders(accounts, delay=60) as fake:  # nobody would confirm
        provider = connect(fake, "vnpt_smartca_totp", "/sca/sp769")
        account = Account(USER, totp_secret=SECRET)
        chain = provider.certificate_chain(account)
        pendings = [begin_signing(draft, chain, appearance) for _ in range(3)]
        job = Job(
            "vbdt-totp-1",
            tuple(p.digest for p in pendings),
            document_ids=("VB-1", "VB-2", "VB-3"),
        )
        progress = provider.start(account, job)
        assert "/sca/sp769/v2/signatures/confirm" in fake.calls
    assert progress.outcome is Outcome.SIGNED, progress
    for pending, value in zip(pendings, progress.values_for(job), strict=True):
        signed = finish_signing(pending, raw_signature(value))
        assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_totp_code_typed_by_the_signer(pki):
    accounts = {USER: account_from_credential(pki.person, totp_secret=SECRET)}
    with FakeProviders(accounts) as fake:
        provider = connect(fake, "vnpt_smartca_totp", "/sca/sp769")
        progress = provider.start(
            Account(USER),
            Job("vbdt-totp-2", (b"\1" * 32,)),
            Authorisation(otp=totp_code(SECRET)),
        )
    assert progress.outcome is Outcome.SIGNED


def test_totp_wrong_code_signs_nothing(pki):
    accounts = {USER: account_from_credential(pki.person, totp_secret=SECRET)}
    with FakeProviders(accounts) as fake:
        provider = connect(fake, "vnpt_smartca_totp", "/sca/sp769")
        wrong = f"{(int(totp_code(SECRET)) + 1) % 10**6:06d}"
        progress = provider.start(
            Account(USER), Job("vbdt-totp-3", (b"\1" * 32,)), Authorisation(otp=wrong)
        )
        with pytest.raises(RemoteSettingError, match="6 digits"):
            provider.start(
                Account(USER), Job("j", (b"\1" * 32,)), Authorisation(otp="12a")
            )
        with pytest.raises(RemoteSettingError, match="one-time code is needed"):
            provider.start(Account(USER), Job("j", (b"\1" * 32,)))
    assert progress.outcome is Outcome.FAILED
    assert "OTP_INVALID" in progress.message
    assert not progress.signatures


@pytest.mark.parametrize("code", ["csc_v1", "csc_v2"])
def test_csc_explicit_pin(pki, draft, appearance, code):
    accounts = {USER: account_from_credential(pki.person, pin=PIN)}
    with FakeProviders(accounts, delay=0) as fake:
        provider = connect(fake, code)
        account = Account(USER, fake.accounts[USER].credential_id)
        assert provider.auth_mode(account) == "explicit"
        pending = begin_signing(draft, provider.certificate_chain(account), appearance)
        job = Job("vbdt-csc-1", (pending.digest,))
        refused = provider.start(account, job, Authorisation(pin="000000"))
        progress = provider.start(account, job, Authorisation(pin=PIN))
        if progress.outcome is Outcome.WAITING:  # v2 asynchronous
            progress = provider.poll(account, progress.transaction_id)
    assert refused.outcome is Outcome.FAILED
    assert refused.message == "The PIN is invalid"
    assert PIN not in repr(Authorisation(pin=PIN))
    assert progress.outcome is Outcome.SIGNED
    signed = finish_signing(pending, raw_signature(progress.values_for(job)[0]))
    assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_csc_implicit_by_default(pki):
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = connect(fake, "csc_v1")
        assert provider.auth_mode(Account(USER)) == "implicit"
