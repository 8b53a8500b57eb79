"""A stand-in for a CA's browser signing plugin (VGCA Sign Service style):
a local HTTP service on 127.0.0.1 that signs with a key of the test PKI,
and the page's side of the protocol (what the browser does between the
server and the plugin), over real HTTP. Plain Python.

``POST /sign-hash`` {hash, algorithm} → {signature, certificate} (base64: a
raw PKCS#1 v1.5 value and the DER certificate); ``POST /sign-pdf`` {pdf} →
{pdf} (base64: the whole PDF signed by the plugin, pyHanko). ``mode`` makes
the plugin misbehave: ``other_key`` (signs with another certificate),
``tamper`` (changes the page before signing), ``rewrite`` (saves the PDF
anew instead of appending), ``garbage`` (not a PDF).
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, utils
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import signers

HONEST, OTHER_KEY, TAMPER, REWRITE, GARBAGE = (
    "honest",
    "other_key",
    "tamper",
    "rewrite",
    "garbage",
)


class FakeSigningPlugin:
    """``with FakeSigningPlugin(credential, other, password) as plugin: plugin.url``"""

    def __init__(self, credential, other_credential, password: str) -> None:
        self.credential = credential
        self.other = other_credential
        self.password = password
        self.mode = HONEST
        self.calls: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.plugin = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeSigningPlugin:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sign_hash(self, digest: bytes) -> dict:
        key = self.credential.private_key
        value = key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
        der = self.credential.certificate.public_bytes(serialization.Encoding.DER)
        return {
            "signature": base64.b64encode(value).decode(),
            "certificate": base64.b64encode(der).decode(),
        }

    def sign_pdf(self, pdf: bytes) -> bytes:
        if self.mode == GARBAGE:
            return b"%PDF-1.7 not really"
        credential = self.other if self.mode == OTHER_KEY else self.credential
        signer = signers.SimpleSigner.load_pkcs12_data(
            credential.pkcs12(), [], passphrase=self.password.encode()
        )
        if self.mode == REWRITE:
            writer = copy_into_new_writer(PdfFileReader(BytesIO(pdf), strict=False))
            buffer = BytesIO()
            writer.write(buffer)
            pdf = buffer.getvalue()
        writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
        if self.mode == TAMPER:
            page = writer.root["/Pages"]["/Kids"][0].get_object()
            extra = writer.add_object(
                generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 72 Td (X) Tj ET")
            )
            contents = page["/Contents"]
            items = (
                list(contents)
                if isinstance(contents, generic.ArrayObject)
                else [page.raw_get("/Contents")]
            )
            page["/Contents"] = generic.ArrayObject([*items, extra])
            writer.update_container(page)
        out = BytesIO()
        signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(field_name="VGCA_Signature"),
            signer,
            output=out,
        )
        return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        plugin = self.server.plugin
        plugin.calls.append(self.path)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/sign-hash":
            answer = plugin.sign_hash(base64.b64decode(body["hash"]))
        elif self.path == "/sign-pdf":
            signed = plugin.sign_pdf(base64.b64decode(body["pdf"]))
            answer = {"pdf": base64.b64encode(signed).decode()}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def call_plugin(plugin_url: str, path: str, payload: dict) -> dict:
    """What the page does: call the plugin on localhost."""
    request = urllib.request.Request(
        plugin_url + path,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- 127.0.0.1
        return json.loads(response.read())
