"""Serve a fake VXP axis on 127.0.0.1 (never any other address)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fake_axis import FakeAxis
from werkzeug.serving import make_server


@pytest.fixture
def axis() -> Iterator[FakeAxis]:
    fake = FakeAxis()
    server = make_server("127.0.0.1", 0, fake, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}/vxp"
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join(timeout=5)
