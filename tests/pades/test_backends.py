"""Every signer backend behind the one interface: PKCS#12, PKCS#11 (SoftHSM2),
remote signing and the deferred two-phase flow."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives import serialization
from demo import testpki
from pades.backends import (
    InProcessSigningService,
    Pkcs11Backend,
    Pkcs12Backend,
    RemoteBackend,
    RemoteSigningService,
)
from pades.deferred import PendingSignature, begin_signing, finish_signing
from pades.errors import (
    KeyStoreError,
    RemoteSigningError,
    TimestampError,
    TokenError,
    TokenModuleError,
)
from pades.signer import SigningOptions, sign_pdf
from pades.verify import verify_pdf
from pades_helpers import pkcs12_backend, pyhanko_status


def service_for(credential: testpki.Credential) -> InProcessSigningService:
    return InProcessSigningService(
        credential.private_key, [credential.certificate, *credential.chain]
    )


class CountingService:
    """Wraps a service to count the calls that reach it."""

    def __init__(self, inner: RemoteSigningService) -> None:
        self.inner = inner
        self.calls = 0

    def certificate_chain(self):
        return self.inner.certificate_chain()

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        self.calls += 1
        return self.inner.sign_digest(digest, digest_algorithm)


class WrongKeyService(CountingService):
    """Answers with a signature made by another key."""

    def __init__(self, claimed, actual) -> None:
        super().__init__(service_for(actual))
        self.claimed = service_for(claimed)

    def certificate_chain(self):
        return self.claimed.certificate_chain()


class FailingService(CountingService):
    def sign_digest(self, digest: bytes, digest_algorithm: str) -> bytes:
        raise ConnectionError("service unavailable")


def assert_signed_by(pdf: bytes, pki, field="vbdt_person_1") -> None:
    status = pyhanko_status(pdf, pki, field)
    assert status.bottom_line, status.pretty_print_details()


# --- PKCS#12 ----------------------------------------------------------------------


def test_pkcs12_from_file(tmp_path, pki, draft, person_appearance):
    path = tmp_path / "person.p12"
    path.write_bytes(pki.person.pkcs12())
    backend = Pkcs12Backend(path, testpki.PKCS12_PASSWORD)
    assert_signed_by(sign_pdf(draft, backend, person_appearance), pki)


@pytest.mark.parametrize("password", ["wrong", "", None])
def test_pkcs12_wrong_password(pki, password):
    with pytest.raises(KeyStoreError) as caught:
        Pkcs12Backend(pki.person.pkcs12(), password)
    assert "wrong password" in str(caught.value)


def test_pkcs12_damaged_file():
    with pytest.raises(KeyStoreError):
        Pkcs12Backend(b"not a key store", testpki.PKCS12_PASSWORD)


def test_ec_keys(ec_pki, draft, person_appearance):
    signed = sign_pdf(draft, pkcs12_backend(ec_pki.person), person_appearance)
    assert_signed_by(signed, ec_pki)


# --- remote -------------------------------------------------------------------------


def test_remote_service_is_called_once_per_signature(pki, draft, person_appearance):
    service = CountingService(service_for(pki.person))
    assert isinstance(service, RemoteSigningService)
    signed = sign_pdf(draft, RemoteBackend(service), person_appearance)
    assert service.calls == 1
    assert_signed_by(signed, pki)


def test_remote_signature_from_another_key_is_refused(pki, draft, person_appearance):
    service = WrongKeyService(claimed=pki.person, actual=pki.organisation)
    with pytest.raises(RemoteSigningError) as caught:
        sign_pdf(draft, RemoteBackend(service), person_appearance)
    assert "does not match the certificate" in str(caught.value)


def test_remote_service_failure(pki, draft, person_appearance):
    with pytest.raises(RemoteSigningError) as caught:
        sign_pdf(
            draft,
            RemoteBackend(FailingService(service_for(pki.person))),
            person_appearance,
        )
    assert "service unavailable" in str(caught.value)


# --- deferred (two-phase) -----------------------------------------------------


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_deferred_signing_survives_a_round_trip_through_json(
    key_type, pki, ec_pki, draft, person_appearance
):
    authority = pki if key_type == "rsa" else ec_pki
    service = service_for(authority.person)
    pending = begin_signing(draft, service.certificate_chain(), person_appearance)
    stored = json.dumps(pending.to_dict())
    restored = PendingSignature.from_dict(json.loads(stored))
    assert restored == pending
    value = service.sign_digest(restored.digest, restored.digest_algorithm)
    signed = finish_signing(restored, value)
    assert signed.startswith(draft)
    assert_signed_by(signed, authority)


def test_deferred_signing_with_timestamp(pki, draft, person_appearance, timestamped):
    service = service_for(pki.person)
    pending = begin_signing(
        draft, service.certificate_chain(), person_appearance, options=timestamped
    )
    signed = finish_signing(
        pending, service.sign_digest(pending.digest, "sha256"), timestamped
    )
    report = verify_pdf(signed, pki.trust_anchors)
    assert report.signatures[0].signing_time_basis == "timestamp"
    assert report.signatures[0].valid


def test_deferred_signing_reaches_b_lt(pki, draft, person_appearance, timestamper):
    """USB token / remote: the server completes LTV once the value is back."""
    options = SigningOptions(
        timestamper=timestamper,
        trust_anchors=pki.trust_anchors,
        crls=pki.crls,
        embed_validation_info=True,
    )
    service = service_for(pki.person)
    pending = begin_signing(
        draft, service.certificate_chain(), person_appearance, options=options
    )
    signed = finish_signing(
        pending, service.sign_digest(pending.digest, "sha256"), options
    )
    (signature,) = verify_pdf(
        signed, pki.trust_anchors, require_revocation=True
    ).signatures
    assert signature.signing_time_basis == "timestamp"
    assert signature.valid and signature.revocation == "good", signature.problems


def test_deferred_signing_refuses_a_wrong_value(pki, draft, person_appearance):
    service = service_for(pki.person)
    pending = begin_signing(draft, service.certificate_chain(), person_appearance)
    wrong = service_for(pki.organisation).sign_digest(pending.digest, "sha256")
    with pytest.raises(RemoteSigningError):
        finish_signing(pending, wrong)


# --- PKCS#11 (SoftHSM2) -------------------------------------------------------


@pytest.mark.parametrize("key_label, which", [("person", "rsa"), ("person-ec", "ec")])
def test_pkcs11_token(softhsm, pki, ec_pki, draft, person_appearance, key_label, which):
    authority = pki if which == "rsa" else ec_pki
    issuers = [
        cert.public_bytes(serialization.Encoding.DER) for cert in authority.person.chain
    ]
    backend = softhsm.backend(
        key_label, other_certs=issuers, raw_mechanism=which == "ec"
    )
    signed = sign_pdf(draft, backend, person_appearance)
    assert_signed_by(signed, authority)
    report = verify_pdf(signed, authority.trust_anchors)
    assert report.signatures[0].signer.name == testpki.PERSON_NAME


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(pin="000000"), "PinIncorrect"),
        (dict(key_label="nobody"), "nobody"),
        (dict(token_label="no-such-token"), "no-such-token"),
        (dict(library="/nonexistent/libpkcs11.so"), "module could not be loaded"),
        (dict(key_label="person-ec"), "MechanismInvalid"),
    ],
)
def test_pkcs11_errors(softhsm, draft, person_appearance, change, message):
    settings = dict(
        library=softhsm.library,
        pin=softhsm.pin,
        token_label=softhsm.label,
        key_label="person",
    )
    settings.update(change)
    backend = Pkcs11Backend(settings.pop("library"), settings.pop("pin"), **settings)
    with pytest.raises(TokenError) as caught:
        sign_pdf(draft, backend, person_appearance)
    assert message in str(caught.value)
    assert softhsm.pin not in str(caught.value)


def test_unloadable_pkcs11_module_message_names_no_path(draft, person_appearance):
    backend = Pkcs11Backend("/nonexistent/secret-dir/libpkcs11.so", "123456")
    with pytest.raises(TokenModuleError) as caught:
        sign_pdf(draft, backend, person_appearance)
    assert "/nonexistent" not in str(caught.value)
    assert "secret-dir" not in repr(caught.value.params)


def test_timestamp_authority_over_http(pki, draft, person, person_appearance, tsa_url):
    signed = sign_pdf(
        draft, person, person_appearance, options=SigningOptions(timestamp_url=tsa_url)
    )
    (signature,) = verify_pdf(signed, pki.trust_anchors).signatures
    assert signature.signing_time_basis == "timestamp" and signature.valid


def test_unreachable_timestamp_authority(draft, person, person_appearance, tsa_url):
    dead = tsa_url.rsplit(":", 1)[0] + ":9/tsa"  # the discard port: nothing listens
    with pytest.raises(TimestampError) as caught:
        sign_pdf(
            draft, person, person_appearance, options=SigningOptions(timestamp_url=dead)
        )
    assert "timestamp authority" in str(caught.value)


def test_options_without_timestamp_are_b_b(pki, draft, person, person_appearance):
    signed = sign_pdf(draft, person, person_appearance, options=SigningOptions())
    report = verify_pdf(signed, pki.trust_anchors)
    assert report.signatures[0].timestamp_time is None
