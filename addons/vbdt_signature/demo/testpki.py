"""The throw-away PKI of the tests, the benchmark and the demo database.

certomancer builds it from ``pki/vbdt-pki.yml`` (the hierarchy, Circular
28/2025/TT-BKHCN certificate profiles, the revoked and expired variants, the
OCSP responder, CRLs and the timestamp authority); this module is the small
seam the rest of the code uses: :func:`build_test_pki` returns every
credential as ``cryptography`` objects, :func:`serve_test_pki` also serves
its OCSP responder, CRLs and RFC 3161 TSA over real HTTP on 127.0.0.1
(certomancer's Animator). The keys are generated at every build and kept
in memory only: nothing here is fit for real use.

Never imported by the addon's runtime code: only by tests, the benchmark
and the demo data (``demo/data.py``), through the demo data's own loader.

The demo database keeps its PKI: ``scripts/serve`` runs this file as a
program, ``create`` once per demo database (the PKI saved in a private
folder: configuration and keys) and ``serve`` beside the demo server (its
TSA, OCSP responder and CRLs on 127.0.0.1), and the demo data loads the
same saved PKI (``VBDT_DEMO_PKI``), so that demo documents are timestamped
by a TSA the demo trusts.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import logging
import re
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from certomancer.integrations.animator import Animator, AnimatorArchStore
from certomancer.registry import CertomancerConfig
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

PKI_DIR = Path(__file__).with_name("pki")
CONFIG_FILE = PKI_DIR / "vbdt-pki.yml"
ARCH = "vbdt"
KEYSET = "vbdt"

PKI_URL = "http://pki.vbdt.test"
"""Default URL prefix of the CRLs, OCSP responder and TSA named in the
certificates: a hostname, not an IP. :func:`serve_test_pki` uses the
``http://127.0.0.1:<port>`` prefix of its server instead."""

SAVED_FILE = "vbdt-pki-state.yml"
"""The saved PKI of a folder (:func:`save_test_pki`)."""

PKCS12_PASSWORD = "vbdt-demo"
AGENCY_NAME = "Ủy ban nhân dân tỉnh Phú Thọ"
PERSON_NAME = "Nguyễn Văn An"

REMOTE_SIGNER_FILE = "remote-signer.p12"
"""The demo leader's credential at the DEMO fake SmartCA/MySign (PKCS#12,
:data:`PKCS12_PASSWORD`), saved beside the PKI by ``create``."""
REMOTE_ACCOUNT = "025090000123"
"""The demo leader's account (a CCCD number) at the fake providers."""
REMOTE_SIGNER = ("Phạm Quang Minh", "UBND tỉnh Phú Thọ", "Phó Chủ tịch UBND tỉnh")
"""Name, agency and title of lanhdao.ubnd (vbdt_document's demo users)."""
MYSIGN_SIGNER_FILE = "mysign-signer.p12"
"""chutich.ubnd's credential at the DEMO fake MySign (like
:data:`REMOTE_SIGNER_FILE`)."""
MYSIGN_ACCOUNT = "025090000456"
"""chutich.ubnd's account (a CCCD number) at the fake providers."""
MYSIGN_SIGNER = ("Bùi Văn Quang", "UBND tỉnh Phú Thọ", "Chủ tịch UBND tỉnh")
"""Name, agency and title of chutich.ubnd (vbdt_workflow's demo users)."""
REMOTE_SIGNERS = {
    REMOTE_SIGNER_FILE: (REMOTE_ACCOUNT, REMOTE_SIGNER),
    MYSIGN_SIGNER_FILE: (MYSIGN_ACCOUNT, MYSIGN_SIGNER),
}
"""Saved file -> (account, signer) of each demo remote credential."""
REMOTE_DELAY = 3.0
"""Seconds before the fake provider "confirms on the phone"."""

_logger = logging.getLogger(__name__)
_RELATIVE_TIME = re.compile(r"^now((?:[+-]\d+[dhm])+)$")
_TERM = re.compile(r"([+-]\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class Credential:
    """A certificate, its private key and its issuing chain."""

    certificate: x509.Certificate
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def chain_pem(self) -> bytes:
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in self.chain)

    @property
    def key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def pkcs12(self, password: str = PKCS12_PASSWORD) -> bytes:
        """The credential as a password-protected PKCS#12 (.p12/.pfx) file."""
        return pkcs12.serialize_key_and_certificates(
            name=self.certificate.subject.rfc4514_string().encode(),
            key=self.private_key,
            cert=self.certificate,
            cas=list(self.chain),
            encryption_algorithm=serialization.BestAvailableEncryption(
                password.encode()
            ),
        )


@dataclass(frozen=True)
class TestPki:
    """Every credential a test or a demo database needs."""

    __test__ = False  # not a pytest test class

    root: Credential
    intermediate: Credential
    person: Credential
    organisation: Credential
    tsa: Credential
    expired: Credential
    not_yet_valid: Credential
    no_signing_usage: Credential
    revoked: Credential
    """Revoked an hour before the PKI was built, for key compromise."""
    foreign: Credential
    """A person certificate under a root nobody trusts."""
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    url: str = PKI_URL
    architecture: object = field(default=None, repr=False, compare=False)
    """certomancer's ``PKIArchitecture`` behind these credentials."""
    config: dict = field(default_factory=dict, repr=False, compare=False)
    """The configuration it was built from, times resolved."""
    keys: dict = field(default_factory=dict, repr=False, compare=False)
    """PEM private key of each key label of the configuration."""

    @property
    def trust_anchors(self) -> list[bytes]:
        return [self.root.certificate_pem]

    @property
    def tsa_url(self) -> str:
        """The RFC 3161 timestamp authority (answers under :func:`serve_test_pki`)."""
        return f"{self.url}/{ARCH}/tsa/tsa"

    def timestamper(self, moment: datetime | None = None):
        """pyHanko's HTTP client of the TSA (under :func:`serve_test_pki`);
        ``moment`` sets the time it certifies, through certomancer's fake
        time header (a TSA whose clock was right at that moment)."""
        from certomancer.integrations._animator_shared import FAKE_TIME_HEADER
        from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

        headers = {FAKE_TIME_HEADER: moment.isoformat()} if moment else None
        return RequestsHTTPTimeStamper(self.tsa_url, headers=headers)

    @cached_property
    def crl(self) -> bytes:
        """DER CRL of the issuing CA, listing :attr:`revoked`."""
        return self._crl("ca")

    @cached_property
    def root_crl(self) -> bytes:
        """DER CRL of the root CA (empty), so intermediate checks succeed too."""
        return self._crl("root")

    @cached_property
    def crls(self) -> list[bytes]:
        """The current CRLs of both CAs and the ones before them (issued a
        year earlier): a signature judged at a time before the current CRLs
        were issued (e.g. at its receipt) needs the CRL of that time."""
        return [self.crl, self.root_crl, self._crl("ca", -1), self._crl("root", -1)]

    def _crl(self, repo: str, age: int = 0) -> bytes:
        registry = self.architecture.service_registry
        current = registry.get_crl(repo, at_time=self.now)
        if not age:
            return current.dump()
        number = current["tbs_cert_list"]["crl_extensions"]
        number = next(
            ext["extn_value"].native
            for ext in number
            if ext["extn_id"].native == "crl_number"
        )
        return registry.get_crl(repo, number=number + age).dump()

    def ocsp_response(self, credential: Credential) -> bytes:
        """DER OCSP response of the issuing CA's responder about ``credential``."""
        from asn1crypto import ocsp

        registry = self.architecture.service_registry
        responder = registry.summon_responder("ca", at_time=self.now)
        request = ocsp.OCSPRequest(
            {
                "tbs_request": {
                    "request_list": [
                        {
                            "req_cert": _cert_id(
                                credential.certificate,
                                self.architecture.get_cert("ca"),
                            )
                        }
                    ]
                }
            }
        )
        return responder.build_ocsp_response(request).dump()


def build_test_pki(
    key_type: str = "rsa", now: datetime | None = None, url: str = PKI_URL
) -> TestPki:
    """The whole test hierarchy (``key_type`` is ``"rsa"`` or ``"ec"``),
    with validity periods and revocation times counted from ``now``, and
    CRL/OCSP/TSA addresses under ``url``."""
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    config = _resolved_config(now, url)
    keys = {
        label: _new_key_pem(key_type) for label in config["keysets"][KEYSET]["keys"]
    }
    return _test_pki(config, keys, now, url)


def _test_pki(config: dict, keys: dict, now: datetime, url: str) -> TestPki:
    architecture = _architecture(config, keys)
    credential = _credentials(architecture)
    return TestPki(
        root=credential("root"),
        intermediate=credential("ca"),
        person=credential("person"),
        organisation=credential("organisation"),
        tsa=credential("tsa"),
        expired=credential("expired"),
        not_yet_valid=credential("not-yet-valid"),
        no_signing_usage=credential("no-signing-usage"),
        revoked=credential("revoked"),
        foreign=credential("foreign"),
        now=now,
        url=url,
        architecture=architecture,
        config=config,
        keys=keys,
    )


def save_test_pki(pki: TestPki, folder: Path) -> Path:
    """Write ``pki`` (its resolved configuration and its private keys) to
    ``folder``, readable by the owner only, for :func:`load_test_pki`."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    saved = folder / SAVED_FILE
    state = {
        "now": pki.now.isoformat(),
        "url": pki.url,
        "config": pki.config,
        "keys": {label: pem.decode() for label, pem in pki.keys.items()},
    }
    saved.touch(mode=0o600)
    saved.write_text(
        yaml.safe_dump(state, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return saved


def load_test_pki(folder: Path) -> TestPki:
    """The PKI :func:`save_test_pki` wrote to ``folder``: same certificates,
    keys, CRLs and addresses."""
    state = yaml.safe_load((Path(folder) / SAVED_FILE).read_text("utf-8"))
    return _test_pki(
        state["config"],
        {label: pem.encode() for label, pem in state["keys"].items()},
        datetime.fromisoformat(state["now"]),
        state["url"],
    )


def issue_person(
    pki: TestPki,
    name: str,
    *,
    organisation: str = AGENCY_NAME,
    title: str | None = None,
    url: str | None = None,
) -> Credential:
    """A person certificate for ``name`` from the PKI's issuing CA, with a
    fresh key: same profile and validity as :attr:`TestPki.person`.

    For demo databases whose signers have their own names. ``url`` is kept
    for compatibility: the addresses are the PKI's."""
    key_type = (
        "ec"
        if isinstance(pki.person.private_key, ec.EllipticCurvePrivateKey)
        else "rsa"
    )
    config = copy.deepcopy(pki.config)
    arch = config["pki-architectures"][ARCH]
    subject = {"common-name": name, "organization-name": organisation}
    if title:
        subject["title"] = title
    arch["entities"]["extra"] = subject
    arch["certs"]["extra"] = {
        **copy.deepcopy(arch["certs"]["person"]),
        "subject": "extra",
        "subject-key": "extra",
        "serial": x509.random_serial_number(),
    }
    config["keysets"][KEYSET]["keys"]["extra"] = {"path": "extra.pem"}
    keys = {**pki.keys, "extra": _new_key_pem(key_type)}
    return _credentials(_architecture(config, keys))("extra")


@contextmanager
def serve_test_pki(
    key_type: str = "rsa", now: datetime | None = None, folder: Path | None = None
) -> Iterator[TestPki]:
    """A test PKI whose OCSP responder, CRLs and timestamp authority answer
    over real HTTP on 127.0.0.1 (certomancer's Animator under werkzeug);
    the certificates name these addresses. A new PKI on a free port, or the
    one saved in ``folder`` on the port of its addresses. Stopped on exit."""
    if folder:
        pki = load_test_pki(folder)
        server = _pki_server(urlsplit(pki.url).port)
    else:
        server = _pki_server(0)
        pki = build_test_pki(
            key_type, now, url=f"http://127.0.0.1:{server.server_port}"
        )
    server.app = _animator(pki)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield pki
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _pki_server(port: int):
    """A werkzeug server on 127.0.0.1:``port`` (0: a free one), its
    application set once the PKI naming its address exists."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    return make_server(
        "127.0.0.1", port, _not_ready, threaded=True, request_handler=QuietHandler
    )


def _animator(pki: TestPki):
    return Animator(AnimatorArchStore({ARCH: pki.architecture}), with_web_ui=False)


def _not_ready(environ, start_response):  # pragma: no cover -- replaced at once
    start_response("503 Service Unavailable", [("Content-Length", "0")])
    return [b""]


def _resolved_config(now: datetime, url: str) -> dict:
    """The YAML configuration with relative times made absolute, the URL
    prefix set and serial numbers unique to this build (two PKIs of one run
    never share an issuer name and serial)."""
    config = _with_times(yaml.safe_load(CONFIG_FILE.read_text("utf-8")), now)
    config["external-url-prefix"] = url
    arch = config["pki-architectures"][ARCH]
    first_serial = secrets.randbits(56) << 8
    for index, spec in enumerate(arch["certs"].values()):
        spec.setdefault("serial", first_serial + index)
    return config


def _with_times(value, now: datetime):
    if isinstance(value, dict):
        return {key: _with_times(item, now) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_times(item, now) for item in value]
    match = isinstance(value, str) and _RELATIVE_TIME.match(value)
    if not match:
        return value
    offset = sum(
        (
            timedelta(**{_UNITS[unit]: int(amount)})
            for amount, unit in _TERM.findall(match[1])
        ),
        timedelta(),
    )
    return (now + offset).isoformat()


def _new_key_pem(key_type: str) -> bytes:
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if key_type == "ec"
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _architecture(config: dict, keys: dict):
    """certomancer's architecture for ``config`` with the PEM ``keys``
    (certomancer reads keys from files: written to a private folder, loaded
    at once, then removed)."""
    with tempfile.TemporaryDirectory() as folder:
        for label, pem in keys.items():
            Path(folder, f"{label}.pem").write_bytes(pem)
        return CertomancerConfig(
            copy.deepcopy(config), key_search_dir=folder
        ).get_pki_arch(ARCH)


def _credentials(architecture):
    """``label -> Credential`` for the certificates of ``architecture``."""

    def certificate(label):
        return x509.load_der_x509_certificate(architecture.get_cert(label).dump())

    def credential(label) -> Credential:
        spec = architecture.get_cert_spec(label)
        key = architecture.key_set.get_private_key(spec.subject_key)
        chain = [certificate(parent) for parent in architecture.get_chain(label)]
        return Credential(
            certificate(label),
            serialization.load_der_private_key(key.dump(), password=None),
            tuple(chain),
        )

    return credential


def _cert_id(certificate: x509.Certificate, issuer):
    """OCSP ``CertID`` (SHA-256) of ``certificate`` issued by ``issuer``
    (asn1crypto)."""
    from asn1crypto import ocsp

    return ocsp.CertId(
        {
            "hash_algorithm": {"algorithm": "sha256"},
            "issuer_name_hash": issuer.subject.sha256,
            "issuer_key_hash": issuer.public_key.sha256,
            "serial_number": certificate.serial_number,
        }
    )


def save_remote_signer(
    pki: TestPki, folder: Path, file: str = REMOTE_SIGNER_FILE
) -> Path:
    """Issue a demo remote-signing credential (:data:`REMOTE_SIGNERS`, the
    leader's by default) from ``pki`` and save it in ``folder`` (owner
    only), unless it is there already."""
    saved = Path(folder) / file
    if not saved.is_file():
        name, organisation, title = REMOTE_SIGNERS[file][1]
        credential = issue_person(pki, name, organisation=organisation, title=title)
        saved.touch(mode=0o600)
        saved.write_bytes(credential.pkcs12())
    return saved


def load_remote_signer(
    folder: Path, file: str = REMOTE_SIGNER_FILE
) -> Credential | None:
    """The credential :func:`save_remote_signer` saved, or None."""
    saved = Path(folder) / file
    if not saved.is_file():
        return None
    key, certificate, chain = pkcs12.load_key_and_certificates(
        saved.read_bytes(), PKCS12_PASSWORD.encode()
    )
    return Credential(certificate, key, tuple(chain))


def remote_url(pki: TestPki) -> str:
    """Where the DEMO fake SmartCA/MySign answer: the PKI's port + 1."""
    return f"http://127.0.0.1:{urlsplit(pki.url).port + 1}"


@contextmanager
def serve_demo(folder: Path, delay: float = REMOTE_DELAY) -> Iterator[TestPki]:
    """What ``testpki.py serve`` runs: the PKI saved in ``folder`` on the
    port of its addresses and, when the folder holds the demo leader's
    remote credential, the DEMO stand-ins of VNPT SmartCA and Viettel MySign
    (``fake_remote``) on the next port, confirming after ``delay`` s."""
    if __package__:
        from .fake_remote import FakeProviders, account_from_credential
    else:  # run as a program (scripts/serve): this folder is on sys.path
        from fake_remote import FakeProviders, account_from_credential

    pki = load_test_pki(folder)
    server = _pki_server(urlsplit(pki.url).port)
    server.app = _animator(pki)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    accounts = {}
    for file, (account, _signer) in REMOTE_SIGNERS.items():
        credential = load_remote_signer(folder, file)
        if credential:
            # credential id = account id: known to install_demo_remote (MySign)
            accounts[account] = account_from_credential(
                credential, credential_id=account
            )
    fake = None
    port = urlsplit(remote_url(pki)).port
    try:
        fake = accounts and FakeProviders(
            accounts,
            delay=delay,
            timeout=300,
            port=port,
        )
    except OSError as err:  # the PKI still serves: only remote signing is off
        _logger.warning("demo SmartCA/MySign not started on port %s: %s", port, err)
        fake = None
    if fake:
        fake.__enter__()
        _logger.warning(
            "DEMO ONLY: fake VNPT SmartCA and Viettel MySign on %s (accounts %s "
            "sign %.0f s after each request, no phone involved)",
            fake.url,
            ", ".join(accounts),
            delay,
        )
    try:
        yield pki
    finally:
        if fake:
            fake.__exit__(None, None, None)
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv=None) -> None:
    """``testpki.py create --folder F --url http://127.0.0.1:P``: a new PKI
    saved in F (nothing done when F already holds one);
    ``testpki.py serve --folder F``: serve the PKI saved in F on
    127.0.0.1 until stopped (``scripts/serve`` runs it beside the demo),
    and the DEMO fake SmartCA/MySign on the next port (:func:`serve_demo`)."""
    parser = argparse.ArgumentParser(description="The demo database's test PKI.")
    parser.add_argument("command", choices=("create", "serve"))
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--url", default=PKI_URL)
    args = parser.parse_args(argv)
    if args.command == "create":
        if not (args.folder / SAVED_FILE).is_file():
            save_test_pki(build_test_pki(url=args.url), args.folder)
        pki = load_test_pki(args.folder)
        for file in REMOTE_SIGNERS:
            save_remote_signer(pki, args.folder, file)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    with (
        contextlib.suppress(KeyboardInterrupt),  # Ctrl+C stops it quietly
        serve_demo(args.folder),
    ):
        threading.Event().wait()


if __name__ == "__main__":
    main()
