"""The real client against a real (loopback) server that verifies signatures."""

from __future__ import annotations

import json
import socket

import pytest
import requests
from fake_axis import RECIPIENT, SECRETS, SENDER, FakeAxis
from vxp import VxpClient, VxpError, VxpRemoteError, VxpTransportError, sign_headers

PACKAGE = b'<?xml version="1.0" encoding="UTF-8"?>\n<edXML>...</edXML>\n' * 50


def loopback_session() -> requests.Session:
    """Ignore proxy settings from the environment: only 127.0.0.1 is touched."""
    session = requests.Session()
    session.trust_env = False
    return session


def client_for(
    axis: FakeAxis, system_id: str, secret: str | None = None, **options: object
) -> VxpClient:
    return VxpClient(
        axis.url,
        system_id,
        SECRETS[system_id] if secret is None else secret,
        session=loopback_session(),
        **options,
    )


def test_send_list_get_update_round_trip(axis: FakeAxis) -> None:
    sender, recipient = client_for(axis, SENDER), client_for(axis, RECIPIENT)

    doc_id = sender.send_edoc([RECIPIENT], PACKAGE)
    [waiting] = recipient.get_received_edoc_list("edoc")
    assert waiting["docId"] == doc_id
    assert waiting["from"] == SENDER
    assert recipient.get_edoc(doc_id) == PACKAGE

    recipient.update_status(doc_id, "done")

    assert recipient.get_received_edoc_list("edoc") == []
    [tracking] = sender.get_sent_edoc_list(doc_id)
    assert (tracking["toCode"], tracking["receiveStatus"]) == (RECIPIENT, "done")


def test_status_packages_travel_separately(axis: FakeAxis) -> None:
    recipient, sender = client_for(axis, RECIPIENT), client_for(axis, SENDER)

    recipient.send_edoc(SENDER, b"<edXML>status</edXML>", messagetype="status")

    assert sender.get_received_edoc_list("edoc") == []
    [status] = sender.get_received_edoc_list("status")
    assert sender.get_edoc(status["docId"]) == b"<edXML>status</edXML>"


def test_agency_operations(axis: FakeAxis) -> None:
    client = client_for(axis, SENDER)

    assert [a["code"] for a in client.get_agencies_list()] == [SENDER, RECIPIENT]
    assert client.get_agencies_list_qd20()[0]["code102"] == SENDER
    assert client.get_synchronize_unit()[1]["version"] == 1

    client.register_agency(
        {"code": "000.46.24.H44", "name": "UBND xã Hợp Hải", "pcode": RECIPIENT}
    )
    assert client.get_agencies_list()[-1]["name"] == "UBND xã Hợp Hải"
    client.delete_agency("000.46.24.H44")
    assert len(client.get_agencies_list()) == 2


def test_wrong_secret_is_refused_by_the_server(axis: FakeAxis) -> None:
    intruder = client_for(axis, SENDER, secret="guessed")

    with pytest.raises(VxpRemoteError) as caught:
        intruder.send_edoc([RECIPIENT], PACKAGE)

    assert caught.value.error_code == "401"
    assert caught.value.params["operation"] == "sendEdoc"
    assert axis.deliveries == []


def test_unregistered_system_is_refused(axis: FakeAxis) -> None:
    stranger = VxpClient(axis.url, "999.99.99.X99", "x", session=loopback_session())

    with pytest.raises(VxpRemoteError, match="401"):
        stranger.get_agencies_list()


def test_tampered_request_is_refused(axis: FakeAxis) -> None:
    headers = sign_headers(
        {"systemid": RECIPIENT, "docId": "doc-1", "status": "done"}, SECRETS[RECIPIENT]
    )
    headers["XroadVnpt-docId"] = "doc-2"

    response = loopback_session().post(
        f"{axis.url}/updateStatus", headers=headers, timeout=10
    )

    assert response.status_code == 401
    assert response.json()["ErrorCode"] == "401"


def test_forged_package_is_refused(axis: FakeAxis) -> None:
    values = {"systemid": SENDER, "from": SENDER, "to": f'["{RECIPIENT}"]',
              "servicetype": "eDoc", "messagetype": "edoc",
              "hash-file": "0" * 64}  # fmt: skip

    response = loopback_session().post(
        f"{axis.url}/sendEdoc",
        headers=sign_headers(values, SECRETS[SENDER]),
        files={"file_doc": ("edoc.edxml", PACKAGE)},
        timeout=10,
    )

    assert response.json()["status"] == "FAIL"
    assert axis.deliveries == []


def test_fail_reply_raises_with_the_error_code(axis: FakeAxis) -> None:
    with pytest.raises(VxpRemoteError) as caught:
        client_for(axis, RECIPIENT).get_edoc("no-such-doc")

    error = caught.value
    assert isinstance(error, VxpError)
    assert error.error_code == "404"
    assert error.params["error_desc"] == "unknown document"
    assert (
        error.template
        == "%(operation)s: the axis refused the request: [%(error_code)s] "
        "%(error_desc)s"
    )


def test_ok_status_with_non_zero_error_code_is_a_failure(axis: FakeAxis) -> None:
    axis.inject(
        200, json.dumps({"status": "OK", "ErrorCode": "12", "ErrorDesc": "quota"})
    )

    with pytest.raises(VxpRemoteError) as caught:
        client_for(axis, SENDER).get_agencies_list()
    assert caught.value.error_code == "12"


def test_reads_are_retried_with_bounded_backoff(axis: FakeAxis) -> None:
    waits: list[float] = []
    client = client_for(axis, SENDER, retries=3, backoff=0.5, sleep=waits.append)
    axis.inject(503, "maintenance")
    axis.inject(502, "<html>bad gateway</html>")

    assert len(client.get_agencies_list()) == 2
    assert waits == [0.5, 1.0]
    assert axis.calls == ["getAgenciesList"] * 3


def test_reads_give_up_after_the_retries(axis: FakeAxis) -> None:
    waits: list[float] = []
    client = client_for(axis, SENDER, retries=1, backoff=0.1, sleep=waits.append)
    for _ in range(3):
        axis.inject(503, "maintenance")

    with pytest.raises(VxpTransportError) as caught:
        client.get_received_edoc_list()
    assert caught.value.retryable
    assert caught.value.params["http_status"] == 503
    assert waits == [0.1]
    assert len(axis.calls) == 2


def test_send_is_never_retried(axis: FakeAxis) -> None:
    waits: list[float] = []
    client = client_for(axis, SENDER, retries=5, sleep=waits.append)
    axis.inject(503, "maintenance")

    with pytest.raises(VxpTransportError):
        client.send_edoc([RECIPIENT], PACKAGE)
    assert waits == []
    assert axis.calls == ["sendEdoc"]


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_axis() -> None:
    waits: list[float] = []
    client = VxpClient(
        f"http://127.0.0.1:{closed_port()}/vxp", SENDER, "x", retries=2, backoff=0.01,
        sleep=waits.append, session=loopback_session(),
    )  # fmt: skip

    with pytest.raises(VxpTransportError, match="cannot be reached") as caught:
        client.get_agencies_list()
    assert caught.value.retryable
    assert len(waits) == 2


def test_timeout_is_configurable(axis: FakeAxis) -> None:
    axis.delay_seconds = 1.0
    client = client_for(axis, SENDER, timeout=(1.0, 0.1), retries=0)

    with pytest.raises(VxpTransportError, match="cannot be reached") as caught:
        client.get_agencies_list()
    assert "timed out" in caught.value.params["detail"]


def test_secret_never_appears_in_repr(axis: FakeAxis) -> None:
    client = client_for(axis, SENDER)

    assert SECRETS[SENDER] not in repr(client)
    assert repr(client) == f"VxpClient({axis.url!r}, system_id={SENDER!r})"


def test_invalid_arguments_are_programming_errors(axis: FakeAxis) -> None:
    client = client_for(axis, SENDER)

    with pytest.raises(ValueError, match="messagetype"):
        client.send_edoc([RECIPIENT], PACKAGE, messagetype="fax")
    with pytest.raises(ValueError, match="status"):
        client.update_status("doc-1", "read")
    assert axis.calls == []
