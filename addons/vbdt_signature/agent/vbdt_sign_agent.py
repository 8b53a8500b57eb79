#!/usr/bin/env python3
r"""vbdt signing agent: sign a document with the USB token of this computer.

Reference agent for vbdt's "USB Token on the Signer's Computer"
certificates.  When the signer clicks *Sign Digitally*, Odoo prepares the
PDF and shows a one-time session link; give it to this script, which

1. fetches what to sign (``GET <link>``): the signer's certificate and the
   digest of the CMS signed attributes (and the attributes themselves),
2. finds that certificate on the token (PKCS#11), logs in with the PIN and
   signs with the matching private key,
3. posts the signature back (``POST <link>``); Odoo finishes the PDF,
   verifies it and signs the document.

Usage::

    python3 vbdt_sign_agent.py --module /usr/lib/x86_64-linux-gnu/libxxx.so \
        "<session link>"

The PIN is asked for (or read from ``VBDT_TOKEN_PIN``).  Needs Python 3.9+
and ``python-pkcs11`` (``pip install python-pkcs11``); nothing from Odoo.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import http.cookiejar
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

# DER DigestInfo prefixes (RFC 8017, 9.2) for tokens that sign a bare digest
DIGEST_INFO_PREFIX = {
    "sha256": bytes.fromhex("3031300d060960864801650304020105000420"),
    "sha384": bytes.fromhex("3041300d060960864801650304020205000430"),
    "sha512": bytes.fromhex("3051300d060960864801650304020305000440"),
}


class AgentError(Exception):
    """A failure to show the signer as is."""


class SessionClient:
    """The JSON conversation with Odoo about one signing session."""

    def __init__(self, link: str, timeout: float = 60) -> None:
        parts = urllib.parse.urlsplit(link.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise AgentError(f"not a session link: {link!r}")
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.url = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path, "", "")
        )
        self.db = urllib.parse.parse_qs(parts.query).get("db", [None])[0]
        self.timeout = timeout
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self._db_selected = False

    def fetch(self) -> dict:
        """What to sign: certificate, digest algorithm, digest, signed attributes."""
        return self._call(urllib.request.Request(self.url))

    def post(self, job: dict, signature: bytes, certificate: bytes | None) -> dict:
        body = {
            "signature": _b64(signature),
            "digest": job["digest"],
            "certificate": _b64(certificate) if certificate else None,
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        return self._call(request)

    def _select_database(self) -> None:
        """On a server with several databases, the session cookie names ours."""
        if self.db and not self._db_selected:
            query = urllib.parse.urlencode({"db": self.db})
            self._opener.open(
                f"{self.base}/web/login?{query}", timeout=self.timeout
            ).read()
            self._db_selected = True

    def _call(self, request: urllib.request.Request) -> dict:
        self._select_database()
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as err:
            try:
                message = json.loads(err.read()).get("error")
            except ValueError:
                message = None
            raise AgentError(message or f"HTTP {err.code} {err.reason}") from None
        except urllib.error.URLError as err:
            raise AgentError(f"cannot reach the server: {err.reason}") from None


def sign_with_token(
    job: dict,
    module: str,
    pin: str,
    token_label: str | None = None,
    key_label: str | None = None,
    raw: bool = False,
) -> tuple[bytes, bytes | None]:
    """Sign the job's digest on the token; returns (signature, certificate DER).

    The key is the one whose certificate (same ``CKA_ID``) is the job's
    certificate, unless ``key_label`` names one.  RSA keys hash and sign on
    the token (``CKM_SHA256_RSA_PKCS`` over the signed attributes) unless
    ``raw``; EC keys sign the digest (``CKM_ECDSA``).
    """
    import pkcs11
    from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass
    from pkcs11.util.ec import encode_ecdsa_signature

    algorithm = job["digest_algorithm"]
    digest = base64.b64decode(job["digest"])
    signed_attributes = base64.b64decode(job["signed_attributes"])
    wanted = base64.b64decode(job["certificate"])
    if hashlib.new(algorithm, signed_attributes).digest() != digest:
        raise AgentError(
            "the server sent a digest that does not match the data to sign"
        )
    try:
        library = pkcs11.lib(module)
        tokens = [slot.get_token() for slot in library.get_slots(token_present=True)]
        if token_label:
            tokens = [t for t in tokens if t.label == token_label]
        if not tokens:
            raise AgentError("no token found (is it plugged in?)")
        for token in tokens:
            with token.open(user_pin=pin) as session:
                found = _find_key(session, wanted, key_label, Attribute, ObjectClass)
                if found is None:
                    continue
                key, certificate = found
                if key.key_type == KeyType.EC:
                    value = encode_ecdsa_signature(
                        key.sign(digest, mechanism=Mechanism.ECDSA)
                    )
                elif raw:
                    value = key.sign(
                        DIGEST_INFO_PREFIX[algorithm] + digest,
                        mechanism=Mechanism.RSA_PKCS,
                    )
                else:
                    mechanism = getattr(Mechanism, f"{algorithm.upper()}_RSA_PKCS")
                    value = key.sign(signed_attributes, mechanism=mechanism)
                return value, certificate
    except pkcs11.PKCS11Error as err:
        raise AgentError(
            f"the token refused: {type(err).__name__} {err}".strip()
        ) from None
    raise AgentError("the certificate registered for you is not on this token")


def _find_key(session, wanted, key_label, Attribute, ObjectClass):  # noqa: N803
    """(private key, its certificate DER or None) on this token, or None."""
    if key_label:
        keys = list(
            session.get_objects(
                {Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: key_label}
            )
        )
        if not keys:
            return None
        key_id = keys[0][Attribute.ID]
        certificates = [
            c[Attribute.VALUE]
            for c in list(
                session.get_objects(
                    {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key_id}
                )
            )
        ]
        return keys[0], (certificates[0] if certificates else None)
    # lists: a token runs one object search at a time per session
    for certificate in list(
        session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})
    ):
        if certificate[Attribute.VALUE] == wanted:
            keys = list(
                session.get_objects(
                    {
                        Attribute.CLASS: ObjectClass.PRIVATE_KEY,
                        Attribute.ID: certificate[Attribute.ID],
                    }
                )
            )
            if keys:
                return keys[0], wanted
    return None


def run(
    link: str,
    module: str,
    pin: str,
    token_label: str | None = None,
    key_label: str | None = None,
    raw: bool = False,
    out=sys.stdout,
) -> dict:
    """Fetch, sign and post one session; returns the server's answer."""
    client = SessionClient(link)
    job = client.fetch()
    out.write(f"Document: {job['document']}\n")
    out.write(f"Signer:   {job['signer']} (certificate {job['certificate_serial']})\n")
    out.write(
        f"Code:     {job['verification_code']} (compare with the code shown in Odoo)\n"
    )
    signature, certificate = sign_with_token(
        job, module, pin, token_label, key_label, raw
    )
    answer = client.post(job, signature, certificate)
    out.write(f"{answer.get('message') or answer.get('status')}\n")
    return answer


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "link", help="the session link shown by Odoo after Sign Digitally"
    )
    parser.add_argument(
        "--module",
        required=True,
        help="PKCS#11 library of the token (.so, .dll or .dylib)",
    )
    parser.add_argument(
        "--token-label",
        help="use this token (default: the one holding " "your certificate)",
    )
    parser.add_argument(
        "--key-label",
        help="use this private key (default: the one of " "your certificate)",
    )
    parser.add_argument(
        "--raw",
        action="store_true",
        help="hash here and let the token sign the bare digest (RSA tokens "
        "without SHA-256 hash-and-sign)",
    )
    args = parser.parse_args(argv)
    pin = os.environ.get("VBDT_TOKEN_PIN") or getpass.getpass("Token PIN: ")
    try:
        run(args.link, args.module, pin, args.token_label, args.key_label, args.raw)
    except AgentError as err:
        sys.stderr.write(f"Not signed: {err}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
