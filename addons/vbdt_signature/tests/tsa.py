"""A local RFC 3161 timestamp authority over HTTP on 127.0.0.1 for the tests:
pyHanko's in-process TSA with the test PKI's timestamping key, behind a real
HTTP server, so the product's own HTTP client is exercised."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps import DummyTimeStamper


def _asn1(certificate):
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def start_tsa(pki):
    """Start the TSA; returns ``(url, server)`` (call ``server.shutdown()``)."""
    key = pki.tsa.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = DummyTimeStamper(
        tsa_cert=_asn1(pki.tsa.certificate),
        tsa_key=asn1_keys.PrivateKeyInfo.load(key),
        certs_to_embed=[_asn1(cert) for cert in pki.tsa.chain],
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 -- http.server naming
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/tsa", server
