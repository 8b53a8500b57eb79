"""The NEAC eSign gateway: what differs from the other providers (the CA
addressed by name, synchronous answers, the configurable mapping)."""

from __future__ import annotations

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
    Connection,
    Job,
    Outcome,
    RemoteProviderError,
    provider_for,
    raw_signature,
)

USER = "001090000001"


def gateway(fake, **extra):
    return provider_for(
        "neac_esign",
        Connection(
            fake.url + "/neac",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            timeout=5,
            extra={"ca_name": "VIETTEL-CA", **extra},
        ),
    )


@pytest.fixture
def appearance(signature_png):
    return PersonAppearance(signature_png, printed_name="Nguyễn Văn An")


def test_synchronous_answer_signs_at_once(pki, draft, appearance):
    """A CA that holds the call until the signer confirms answers with the
    values: no polling, no webhook."""
    accounts = {USER: account_from_credential(pki.person)}
    with FakeProviders(accounts, neac_sync=True) as fake:
        provider = gateway(fake)
        account = Account(USER)
        chain = provider.certificate_chain(account)
        assert chain == tuple(fake.accounts[USER].chain)
        pendings = [begin_signing(draft, chain, appearance) for _ in range(2)]
        job = Job(
            "vbdt-neac-1",
            tuple(p.digest for p in pendings),
            document_ids=("VB-1", "VB-2"),
        )
        progress = provider.start(account, job)
        assert not [c for c in fake.calls if "status" in c]
    assert progress.outcome is Outcome.SIGNED
    assert progress.transaction_id == "vbdt-neac-1"
    for pending, value in zip(pendings, progress.values_for(job), strict=True):
        signed = finish_signing(pending, raw_signature(value))
        assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_base64_digests_and_another_status_path(pki):
    """The two points of the mapping a real gateway may answer otherwise."""
    accounts = {USER: account_from_credential(pki.person)}
    with FakeProviders(
        accounts,
        delay=0.1,
        neac_digest_encoding="base64",
        neac_status_path="/get_sign_status",
    ) as fake:
        provider = gateway(
            fake, digest_encoding="base64", status_path="/get_sign_status"
        )
        job = Job("vbdt-neac-2", (b"\1" * 32,))
        progress = provider.start(Account(USER), job)
        assert progress.outcome is Outcome.WAITING
        assert fake.requests["vbdt-neac-2"].digests == [b"\1" * 32]
        while not progress.outcome.final:
            progress = provider.poll(Account(USER), progress.transaction_id)
    assert progress.outcome is Outcome.SIGNED


def test_webhook_names_our_transaction(pki):
    accounts = {USER: account_from_credential(pki.person)}
    with FakeProviders(accounts, delay=0) as fake:
        provider = gateway(fake)
        job = Job("vbdt-neac-3", (b"\2" * 32,), document_ids=("VB-9",))
        provider.start(Account(USER), job)
        progress = provider.parse_webhook(fake.webhook_payload("vbdt-neac-3"))
    assert progress.transaction_id == "vbdt-neac-3"
    assert progress.outcome is Outcome.SIGNED
    assert len(progress.values_for(job)) == 1


def test_unknown_ca_refused(pki):
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        with pytest.raises(RemoteProviderError, match="CA_NOT_FOUND"):
            gateway(fake, ca_name="NO-SUCH-CA").certificate_chain(Account(USER))


@pytest.mark.parametrize(
    "extra, reason",
    [
        ({"ca_name": ""}, "no CA name"),
        ({"digest_encoding": "rot13"}, "digest encoding"),
        ({"status_path": "https://elsewhere/"}, "status path"),
    ],
)
def test_mapping_checked_before_any_call(extra, reason):
    # a setting error is ours, in the signer's language: its reason is a term
    with pytest.raises(RemoteSettingError, match=reason) as caught:
        provider_for(
            "neac_esign",
            Connection(
                "https://esign.neac.example",
                extra={"ca_name": "VNPT-CA", **extra},
            ),
        )
    assert caught.value.translated_params == ("reason",)
