"""The remote-signing clients against local fakes of each provider, over HTTP.

Each test signs a real PDF in the two server phases (``begin_signing``, then
``finish_signing`` with the provider's value) and checks the outcome the
signer would see: confirmed, rejected, expired, certificate refused.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from demo import fake_remote, testpki
from demo.fake_remote import (
    CLIENT_ID,
    CLIENT_SECRET,
    EXPIRED_CERTIFICATE,
    REJECT,
    TIMEOUT,
    WRONG_KEY,
    FakeProviders,
    account_from_credential,
)
from pades import PersonAppearance, begin_signing, finish_signing, verify_pdf
from pades.backends import Pkcs12Backend
from pades.errors import RemoteSigningError
from pades.remote import (
    Account,
    Connection,
    Job,
    Outcome,
    RemoteCertificateError,
    RemoteProviderError,
    RemoteSignatureValueError,
    RemoteUnavailableError,
    provider_for,
    raw_signature,
)
from pades.remote.client import MAX_RESPONSE, JsonHttp

USER = "001090000001"  # a CCCD number, as SmartCA names its subscribers
BASES = {
    "vnpt_smartca": "/sca/sp769",
    "viettel_mysign": "",
    "csc_v1": "",
    "csc_v2": "",
    "neac_esign": "/neac",
}
PROVIDERS = sorted(BASES)
ASYNC = ["vnpt_smartca", "viettel_mysign", "csc_v2", "neac_esign"]
"""Providers that answer "waiting" while the signer confirms."""


def connect(fake, code, **extra):
    if code == "neac_esign":
        extra = {"ca_name": "VNPT-CA", **extra}
    return provider_for(
        code,
        Connection(
            fake.url + BASES[code],
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            profile_id="adss:ras:profile:001",
            timeout=5,
            extra=extra,
        ),
    )


def login(provider, fake, user=USER):
    """The account as an administrator registers it (MySign/CSC: credential id)."""
    credential = (
        fake.accounts[user].credential_id
        if provider.code not in ("vnpt_smartca", "neac_esign")  # by serial number
        else ""
    )
    return Account(user, credential)


def wait(provider, account, progress, limit=5.0):
    """Poll as the cron does, until the provider's answer is final."""
    deadline = time.monotonic() + limit
    while not progress.outcome.final and time.monotonic() < deadline:
        time.sleep(0.05)
        progress = provider.poll(account, progress.transaction_id)
    return progress


@pytest.fixture
def appearance(signature_png):
    return PersonAppearance(signature_png, printed_name="Nguyễn Văn An")


@pytest.mark.parametrize("code", PROVIDERS)
def test_sign_confirmed_on_the_phone(pki, draft, appearance, code):
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        chain = provider.certificate_chain(account)
        assert chain[0] == pki.person.certificate_der
        pending = begin_signing(draft, chain, appearance)
        job = Job("vbdt-1", (pending.digest,), description="Quyết định 12/QĐ-UBND")
        progress = wait(provider, account, provider.start(account, job))
        assert progress.outcome is Outcome.SIGNED, progress
        (value,) = progress.values_for(job)
        signed = finish_signing(pending, raw_signature(value))
    report = verify_pdf(signed, pki.trust_anchors)
    assert report.has_valid_person_signature
    assert report.signatures[0].signer.serial_number == format(
        pki.person.certificate.serial_number, "X"
    )


@pytest.mark.parametrize("code", ASYNC)
def test_waiting_until_confirmed(pki, code):
    """The first answer is "waiting for the signer", with the provider's words."""
    with FakeProviders({USER: account_from_credential(pki.person)}, delay=1) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        progress = provider.start(account, Job("vbdt-2", (b"\1" * 32,)))
        assert progress.outcome is Outcome.WAITING
        assert progress.transaction_id
        assert (
            provider.poll(account, progress.transaction_id).outcome is Outcome.WAITING
        )
        if code == "vnpt_smartca":
            assert progress.message == "sig_wait_for_user_confirm"


@pytest.mark.parametrize("code", PROVIDERS)
def test_rejected_on_the_phone(pki, code):
    accounts = {USER: account_from_credential(pki.person, scenario=REJECT)}
    with FakeProviders(accounts) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        progress = wait(
            provider, account, provider.start(account, Job("j", (b"\1" * 32,)))
        )
    assert progress.outcome is Outcome.REJECTED
    assert progress.message


@pytest.mark.parametrize("code", ASYNC)
def test_nobody_confirms_in_time(pki, code):
    accounts = {USER: account_from_credential(pki.person, scenario=TIMEOUT)}
    with FakeProviders(accounts, timeout=0.5) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        progress = provider.start(account, Job("j", (b"\1" * 32,)))
        assert progress.outcome is Outcome.WAITING
        progress = wait(provider, account, progress)
    assert progress.outcome is Outcome.EXPIRED


@pytest.mark.parametrize("code", PROVIDERS)
def test_expired_certificate_refused(pki, code):
    accounts = {
        USER: account_from_credential(pki.expired, scenario=EXPIRED_CERTIFICATE)
    }
    with FakeProviders(accounts) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        try:
            progress = provider.start(account, Job("j", (b"\1" * 32,)))
        except RemoteProviderError as err:
            assert "13004" in str(err) or "hết hạn" in str(err)
            return
    assert progress.outcome is Outcome.CERTIFICATE
    assert progress.message


@pytest.mark.parametrize("code", PROVIDERS)
def test_value_by_another_key_never_embedded(pki, draft, appearance, code):
    accounts = {USER: account_from_credential(pki.person, scenario=WRONG_KEY)}
    with FakeProviders(accounts) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        pending = begin_signing(draft, provider.certificate_chain(account), appearance)
        job = Job("j", (pending.digest,))
        progress = wait(provider, account, provider.start(account, job))
    assert progress.outcome is Outcome.SIGNED
    with pytest.raises(RemoteSigningError, match="does not match the certificate"):
        finish_signing(pending, raw_signature(progress.values_for(job)[0]))


@pytest.mark.parametrize("code", PROVIDERS)
def test_batch_in_one_confirmation(pki, draft, appearance, code):
    """Three drafts, one confirmation; each value goes to its own document
    (SmartCA's status lists them in another order: matched by doc_id)."""
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = connect(fake, code)
        account = login(provider, fake)
        chain = provider.certificate_chain(account)
        pendings = [begin_signing(draft, chain, appearance) for _ in range(3)]
        job = Job(
            "batch",
            tuple(p.digest for p in pendings),
            document_ids=("VB-1", "VB-2", "VB-3"),
        )
        progress = wait(provider, account, provider.start(account, job))
        values = progress.values_for(job)
        assert (
            len([c for c in fake.calls if "sign" in c.lower() and "status" not in c])
            >= 1
        )
    for pending, value in zip(pendings, values, strict=True):
        signed = finish_signing(pending, raw_signature(value))
        assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_smartca_cms_value_accepted(pki, draft, appearance):
    """SmartCA may return a CMS around the value: its signature is used."""
    with FakeProviders(
        {USER: account_from_credential(pki.person)}, cms_values=True
    ) as fake:
        provider = connect(fake, "vnpt_smartca")
        account = login(provider, fake)
        pending = begin_signing(draft, provider.certificate_chain(account), appearance)
        job = Job("j", (pending.digest,))
        value = wait(provider, account, provider.start(account, job)).values_for(job)[0]
    assert value[:1] == b"\x30"
    signed = finish_signing(pending, raw_signature(value))
    assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_cms_with_own_attributes_refused(pki):
    """A CMS whose signer signed its own attributes did not sign our digest."""
    backend = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
    with backend.open() as signer:
        cms_value = asyncio.run(
            signer.async_sign_general_data(b"data", "sha256")
        ).dump()
    with pytest.raises(RemoteSignatureValueError, match="its own attributes"):
        raw_signature(cms_value)


def test_smartca_webhook(pki, draft, appearance):
    """The result posted to the webhook is the signature of the digest sent."""
    received = []

    class Hook(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            received.append(
                json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            )
            self.send_response(200)
            self.end_headers()

    hook = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    try:
        with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
            fake.webhook_url = f"http://127.0.0.1:{hook.server_address[1]}/hook"
            provider = connect(fake, "vnpt_smartca")
            account = login(provider, fake)
            pending = begin_signing(
                draft, provider.certificate_chain(account), appearance
            )
            job = Job("vbdt-session-7", (pending.digest,), document_ids=("VB-7",))
            assert provider.start(account, job).outcome is Outcome.WAITING
            deadline = time.monotonic() + 5
            while not received and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        hook.shutdown()
        hook.server_close()
    progress = provider.parse_webhook(received[0])
    assert progress.transaction_id == "vbdt-session-7"
    assert progress.outcome is Outcome.SIGNED
    signed = finish_signing(pending, raw_signature(progress.values_for(job)[0]))
    assert verify_pdf(signed, pki.trust_anchors).has_valid_person_signature


def test_mysign_synchronous_mode(pki, draft, appearance):
    """MySign with async=0 (agency seals): the values come in the answer."""
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = connect(fake, "viettel_mysign")
        account = login(provider, fake)
        pending = begin_signing(draft, provider.certificate_chain(account), appearance)
        job = Job("j", (pending.digest,))
        progress = provider.start(account, job, mode=0)
    assert progress.outcome is Outcome.SIGNED
    finish_signing(pending, raw_signature(progress.values_for(job)[0]))


@pytest.mark.parametrize("code", PROVIDERS)
def test_read_credential_names_the_credential(pki, code):
    """Read from Service keeps the credential id the service used: MySign and
    CSC answer the account's credential when none was set; a set one is kept."""
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = connect(fake, code)
        expected = fake.accounts[USER].credential_id
        credential, chain = provider.read_credential(Account(USER))
        assert chain == provider.certificate_chain(login(provider, fake))
        if code in ("vnpt_smartca", "neac_esign"):  # found by the account alone
            assert credential == ""
        else:
            assert credential == expected
            assert provider.read_credential(Account(USER, expected))[0] == expected


def test_unknown_account(pki):
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        for code in PROVIDERS:
            provider = connect(fake, code)
            with pytest.raises((RemoteProviderError, RemoteCertificateError)):
                provider.certificate_chain(Account("999999999999"))


def test_wrong_client_secret(pki):
    with FakeProviders({USER: account_from_credential(pki.person)}) as fake:
        provider = provider_for(
            "vnpt_smartca",
            Connection(fake.url + "/sca/sp769", client_id=CLIENT_ID, client_secret="x"),
        )
        with pytest.raises(
            RemoteProviderError, match="SP_CREDENTIAL_INVALID"
        ) as caught:
            provider.certificate_chain(Account(USER))
    assert "x" not in caught.value.params["reason"].split()


class _Slow(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))  # else the close resets
        if self.path == "/slow":
            time.sleep(2)
        body = (
            b"{" + b'"a":"' + b"x" * (MAX_RESPONSE + 10) + b'"}'
            if self.path == "/big"
            else b"[1]"
        )
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first, as it should


@pytest.mark.parametrize(
    "path, reason",
    [("/slow", "timeout"), ("/big", "too large"), ("/list", "not a JSON object")],
)
def test_bounded_time_and_memory(path, reason):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = JsonHttp(f"http://127.0.0.1:{server.server_address[1]}", "Test", 0.5)
        with pytest.raises(RemoteUnavailableError, match=reason):
            client.post(path, {"secret": "s3cr3t"})
    finally:
        server.shutdown()
        server.server_close()


def test_no_service_url():
    with pytest.raises(RemoteUnavailableError, match="no service URL"):
        provider_for("vnpt_smartca", Connection("file:///etc/passwd"))


def test_job_checks_its_shape():
    with pytest.raises(ValueError):
        Job("j", ())
    with pytest.raises(ValueError):
        Job("j", (b"1", b"2"), document_ids=("a",))
    assert fake_remote.CONFIRM == "confirm"
