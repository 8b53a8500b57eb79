"""The timestamp authority of the tests: the certomancer test PKI's RFC 3161
TSA, served over HTTP on 127.0.0.1 for the whole run (``common.test_pki``),
so the product's own HTTP client is exercised."""


class _RunLongServer:
    """The PKI's server lives as long as the test process: nothing to stop."""

    def shutdown(self):
        pass

    def server_close(self):
        pass


def start_tsa(pki):
    """``(url, server)`` of the TSA of ``pki`` (a PKI from ``common.test_pki``).

    Kept for the tests written against the former in-process TSA."""
    return pki.tsa_url, _RunLongServer()
