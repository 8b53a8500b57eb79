"""End to end: a province office and a district, two Odoo servers, our hub.

The district's server also hosts the hub (``/vxp/<operation>``). Both run
vbdt_workflow and vbdt_signature: the province's drafts go through a one-step
approval route whose signer confirms or signs the PDF (PAdES, a throw-away
test PKI) before the clerk issues and seals them; the district verifies the
signatures it receives, assigns, handles and completes the document.
Everything is driven over XML-RPC; the cron jobs are run with
``method_direct_trigger`` (the servers run without cron threads, so every
step is deterministic).
"""

from __future__ import annotations

import base64
import datetime
import xmlrpc.client

import edxml
import pytest
from conftest import Rpc
from vxp import VxpClient, VxpError

try:  # vbdt_signature's plain-Python core (on sys.path through tests/conftest.py)
    from demo import testpki
    from demo.documents import demo_document_pdf, demo_seal_png, demo_signature_png
except ImportError:  # pragma: no cover - the addon is not in this checkout
    testpki = None

PROVINCE = "000.00.00.H98"
DISTRICT = "000.00.05.H98"
PROVINCE_SECRET = "e2e-province-secret"
DISTRICT_SECRET = "e2e-district-secret"
OUTBOX = "vbdt_interconnect.ir_cron_exchange_outbox"
PDF = (
    b"%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n2 0 obj\n"
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>\nendobj\n3 0 obj\n"
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>\nendobj\nxref\n0 4\n"
    b"0000000000 65535 f \n0000000009 00000 n \n0000000054 00000 n \n"
    b"0000000105 00000 n \ntrailer\n<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)


def _setup_agency(
    rpc: Rpc,
    name: str,
    code: str,
    other_name: str,
    other_code: str,
    hub_url: str,
    system_id: str,
    secret: str,
) -> dict:
    company = rpc.ref("base.main_company")
    rpc(
        "res.company",
        "write",
        [company],
        {
            "name": name,
            "vbdt_agency_code": code,
            "vbdt_short_name": "UBND",
            "vbdt_place": "Thử nghiệm",
        },
    )
    rpc(
        "res.users",
        "write",
        [rpc.uid],
        {
            "groups_id": [
                (4, rpc.ref("vbdt_document.vbdt_document_group_manager")),
                (4, rpc.ref("base.group_system")),
            ]
        },
    )
    other = rpc("vbdt.agency", "create", {"name": other_name, "code": other_code})
    transport = rpc(
        "vbdt.exchange.transport",
        "create",
        {
            "name": "Hub",
            "company_id": company,
            "endpoint": hub_url,
            "system_id": system_id,
            "secret": secret,
            "timeout": 30,
        },
    )
    return {"company": company, "other": other, "transport": transport}


@pytest.fixture(scope="module")
def env(servers):
    province, district = servers
    p, d = Rpc(province), Rpc(district)
    hub_url = district.url + "/vxp"
    pv = _setup_agency(
        p,
        "UBND tỉnh E2E",
        PROVINCE,
        "UBND huyện E2E",
        DISTRICT,
        hub_url,
        "sys-province",
        PROVINCE_SECRET,
    )
    dv = _setup_agency(
        d,
        "UBND huyện E2E",
        DISTRICT,
        "UBND tỉnh E2E",
        PROVINCE,
        hub_url,
        "sys-district",
        DISTRICT_SECRET,
    )
    own = d("res.company", "read", [dv["company"]], ["vbdt_agency_id"])[0][
        "vbdt_agency_id"
    ][0]
    d(
        "vbdt.hub.system",
        "create",
        [
            {
                "name": "Province",
                "system_id": "sys-province",
                "secret": PROVINCE_SECRET,
                "agency_ids": [(6, 0, [dv["other"]])],
            },
            {
                "name": "District",
                "system_id": "sys-district",
                "secret": DISTRICT_SECRET,
                "agency_ids": [(6, 0, [own])],
            },
        ],
    )
    pki = (
        _setup_signing(p, d, pv["company"])
        if _has_module(p, "vbdt_signature")
        else None
    )
    if _has_module(p, "vbdt_workflow"):
        _setup_route(p, pv["company"])
    return {
        "servers": servers,
        "p": p,
        "d": d,
        "pv": pv,
        "dv": dv,
        "hub_url": hub_url,
        "pki": pki,
    }


def _has_module(rpc: Rpc, name: str) -> bool:
    return bool(
        rpc(
            "ir.module.module",
            "search",
            [("name", "=", name), ("state", "=", "installed")],
        )
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _setup_signing(p: Rpc, d: Rpc, company: int):
    """Both agencies trust the test PKI's root; the province's admin holds a
    person certificate and a signature image, the province a seal."""
    pki = testpki.build_test_pki()
    for rpc in (p, d):
        rpc(
            "vbdt.signature.trust.anchor",
            "create",
            {"certificate_file": _b64(pki.root.certificate_pem)},
        )
    p("res.company", "write", [company], {"vbdt_seal_image": _b64(demo_seal_png())})
    p(
        "res.users",
        "write",
        [p.uid],
        {"vbdt_signature_image": _b64(demo_signature_png())},
    )
    for kind, credential, user in (
        ("person", pki.person, p.uid),
        ("organisation", pki.organisation, False),
    ):
        p(
            "vbdt.signature.certificate",
            "create",
            {
                "kind": kind,
                "user_id": user,
                "company_id": company,
                "backend": "pkcs12",
                "pkcs12_file": _b64(credential.pkcs12()),
                "password": testpki.PKCS12_PASSWORD,
            },
        )
    return pki


def _setup_route(p: Rpc, company: int) -> None:
    """One-step approval route for decisions: the admin signs."""
    doc_type = p("vbdt.document.type", "search", [("abbreviation", "=", "QĐ")], limit=1)
    p(
        "vbdt.approval.route",
        "create",
        {
            "name": "Chủ tịch ký",
            "company_id": company,
            "document_type_ids": [(6, 0, doc_type)],
            "step_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Chủ tịch ký",
                        "sequence": 1,
                        "reviewer_type": "user",
                        "user_ids": [(6, 0, [p.uid])],
                        "is_signer_step": True,
                    },
                )
            ],
        },
    )


def _issue(
    rpc: Rpc,
    recipients: list[int],
    subject: str,
    pdf: bytes = PDF,
    sign: bool = False,
    signer_name: str = "Nguyễn Văn A",
) -> int:
    """Draft → (approval route: submit, the signer confirms or signs the PDF)
    → the clerk issues (number, seal when signed) → dispatched."""
    doc_type = rpc(
        "vbdt.document.type", "search", [("abbreviation", "=", "QĐ")], limit=1
    )
    document = rpc(
        "vbdt.document",
        "create",
        {
            "direction": "outgoing",
            "subject": subject,
            "document_type_id": doc_type[0],
            "recipient_agency_ids": [(6, 0, recipients)],
            "signer_name": signer_name,
            "signer_position": "Chủ tịch",
            "signer_id": rpc.uid,
        },
    )
    rpc(
        "vbdt.document.file",
        "create",
        {
            "document_id": document,
            "name": "van-ban.pdf",
            "role": "main",
            "datas": _b64(pdf),
        },
    )
    if _has_module(rpc, "vbdt_workflow"):
        rpc("vbdt.document", "action_review_submit", [document])
        [row] = rpc("vbdt.document", "read", [document], ["state"])
        assert row["state"] == "to_sign", row
        if sign:
            rpc("vbdt.document", "action_sign_person", [document])
        else:
            rpc("vbdt.document", "action_review_sign", [document])
        [row] = rpc("vbdt.document", "read", [document], ["state"])
        assert row["state"] == "signed", row
    elif sign:
        rpc("vbdt.document", "action_sign_person", [document])
    rpc("vbdt.document", "action_issue", [document])
    return document


def _poll(rpc: Rpc, transport: int) -> None:
    rpc("vbdt.exchange.transport", "action_poll", [transport])


def _incoming(rpc: Rpc, subject: str) -> list[dict]:
    return rpc(
        "vbdt.document",
        "search_read",
        [("direction", "=", "incoming"), ("subject", "=", subject)],
        fields=["state", "code", "arrival_channel", "file_ids", "edxml_document_id"],
    )


def _deliveries(rpc: Rpc, document: int) -> list[str]:
    rows = rpc(
        "vbdt.exchange.record",
        "search_read",
        [
            ("direction", "=", "in"),
            ("message_type", "=", "status"),
            ("document_id", "=", document),
        ],
        fields=["status_code"],
        order="id",
    )
    return [row["status_code"] for row in rows]


def _inbox(rpc: Rpc, domain: list) -> list[dict]:
    return rpc(
        "vbdt.exchange.record",
        "search_read",
        [("direction", "=", "in"), *domain],
        fields=[
            "state",
            "last_error",
            "package_attachment_id",
            "status_code",
            "child_ids",
        ],
        order="id",
    )


def test_issue_receive_register_statuses(env):
    p, d = env["p"], env["d"]
    document = _issue(p, [env["pv"]["other"]], "E2E: văn bản liên thông")
    p.run_cron(OUTBOX)
    out = p(
        "vbdt.exchange.record",
        "search_read",
        [("document_id", "=", document)],
        fields=["state", "transport", "remote_id", "last_error"],
    )
    assert [r["state"] for r in out] == ["out_sent"], out
    _poll(d, env["dv"]["transport"])
    [incoming] = _incoming(d, "E2E: văn bản liên thông")
    assert incoming["state"] == "received"
    assert incoming["arrival_channel"] == "axis"
    assert len(incoming["file_ids"]) == 1
    d.run_cron(OUTBOX)  # status 01
    d("vbdt.document", "action_register", [incoming["id"]])
    d.run_cron(OUTBOX)  # status 03
    expected = ["01", "03"]
    if _has_workflow(d):
        _direct_and_complete(d, incoming["id"])
        expected += ["04", "05", "06"]
    _poll(p, env["pv"]["transport"])
    assert _deliveries(p, document) == expected
    lines = p(
        "vbdt.document.delivery",
        "search_read",
        [("document_id", "=", document)],
        fields=["status_code", "transport_status"],
    )
    assert [line["status_code"] for line in lines] == [expected[-1]]
    assert lines[0]["transport_status"] == "done"
    # Sent twice (same DocumentId): one document at the district.
    p("vbdt.document", "action_vbdt_dispatch", [document])
    p.run_cron(OUTBOX)
    _poll(d, env["dv"]["transport"])
    assert len(_incoming(d, "E2E: văn bản liên thông")) == 1
    assert _inbox(d, [("state", "=", "in_duplicate")])


def _has_workflow(rpc: Rpc) -> bool:
    return _has_module(rpc, "vbdt_workflow")


def _direct_and_complete(d: Rpc, document: int) -> None:
    """Present → direct (04) → report progress (05) → complete (06), as admin."""
    d("vbdt.document", "write", [document], {"directing_leader_id": d.uid})
    d("vbdt.document", "action_present", [document])
    wizard = d(
        "vbdt.direction.wizard",
        "create",
        {
            "document_id": document,
            "note": "Phòng Kinh tế chủ trì",
            "lead_user_id": d.uid,
            "days": 5,
        },
    )
    d("vbdt.direction.wizard", "action_confirm", [wizard])
    d("vbdt.document", "action_report_progress", [document], note="Đang xử lý")
    d("vbdt.document", "action_complete", [document], result="Đã xử lý xong")
    d.run_cron(OUTBOX)


def test_hub_down_during_send_then_retried(env):
    p, d = env["p"], env["d"]
    hub_server = env["servers"][1]
    hub_server.stop()
    try:
        document = _issue(p, [env["pv"]["other"]], "E2E: gửi khi trục ngừng")
        p.run_cron(OUTBOX)
        [record] = p(
            "vbdt.exchange.record",
            "search_read",
            [("document_id", "=", document)],
            fields=["state", "last_error", "attempts", "next_attempt"],
        )
        assert record["state"] == "out_queued" and record["last_error"], record
        assert record["next_attempt"]
    finally:
        hub_server.start()
    # Retry now instead of after the back-off (records are not written by clients).
    p("vbdt.exchange.record", "action_retry", [record["id"]])
    p.run_cron(OUTBOX)
    [record] = p("vbdt.exchange.record", "read", [record["id"]], ["state", "attempts"])
    assert record["state"] == "out_sent" and record["attempts"] == 2
    _poll(d, env["dv"]["transport"])
    assert len(_incoming(d, "E2E: gửi khi trục ngừng")) == 1


def _raw_send(env, package: bytes, to: str = DISTRICT) -> None:
    with VxpClient(
        env["hub_url"], "sys-province", PROVINCE_SECRET, timeout=30
    ) as client:
        client.send_edoc(to, package)


def _package(recipient: str, number: str, size: int = 0) -> bytes:
    return edxml.build_document(
        edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=PROVINCE, organ_name="UBND tỉnh E2E"),
            recipients=[edxml.Organization(organ_id=recipient)],
            code=edxml.Code(code_number=number, code_notation="TB-UBND"),
            promulgation_info=edxml.PromulgationInfo(
                promulgation_date=datetime.date(2026, 10, 1)
            ),
            subject=f"E2E: gói {number}",
            attachments=[
                edxml.Attachment(
                    content_id="1",
                    attachment_name="a.pdf",
                    content=PDF + b"%" * size,
                    content_type="application/pdf",
                )
            ],
        )
    )


def _rejections(env, before: int) -> list[dict]:
    d = env["d"]
    _poll(d, env["dv"]["transport"])
    rows = _inbox(d, [("state", "=", "in_rejected"), ("id", ">", before)])
    d.run_cron(OUTBOX)
    return rows


def _last_id(rpc: Rpc) -> int:
    ids = rpc("vbdt.exchange.record", "search", [], order="id desc", limit=1)
    return ids[0] if ids else 0


def test_malformed_oversize_and_not_addressed_are_rejected_with_02(env):
    p, d = env["p"], env["d"]
    before_p = _last_id(p)
    before = _last_id(d)
    # The hub reads the sender from the header: a package without one never
    # enters the hub; one broken after its header reaches the district.
    with pytest.raises(VxpError, match="cannot be read"):
        _raw_send(env, b"<edXML><edXMLEnvelope>broken")
    _raw_send(env, _package(DISTRICT, "40")[:-300])
    _raw_send(env, _package("000.00.77.H98", "41"))
    d("ir.config_parameter", "set_param", "vbdt_interconnect.max_package_mb", "0.01")
    try:
        _raw_send(env, _package(DISTRICT, "42", size=20000))
        rejected = _rejections(env, before)
    finally:
        d("ir.config_parameter", "set_param", "vbdt_interconnect.max_package_mb", "128")
    assert len(rejected) == 3, rejected
    for row in rejected:
        assert row["last_error"] and row["package_attachment_id"]
        children = d("vbdt.exchange.record", "read", row["child_ids"], ["status_code"])
        assert [c["status_code"] for c in children] == ["02"]
    assert any("not addressed" in row["last_error"] for row in rejected)
    attachment = d(
        "ir.attachment", "read", [rejected[0]["package_attachment_id"][0]], ["raw"]
    )
    assert attachment[0]["raw"]
    # The 02 statuses arrive back at the province.
    _poll(p, env["pv"]["transport"])
    statuses = p(
        "vbdt.exchange.record",
        "search_read",
        [
            ("direction", "=", "in"),
            ("message_type", "=", "status"),
            ("id", ">", before_p),
        ],
        fields=["status_code"],
    )
    # (an 01 of the previous test's document may arrive in the same poll)
    assert [s["status_code"] for s in statuses].count("02") == 3, statuses


def test_wrong_hmac_refused(env):
    with VxpClient(
        env["hub_url"], "sys-province", "wrong", timeout=30, retries=0
    ) as client:
        with pytest.raises(VxpError) as caught:
            client.send_edoc(DISTRICT, _package(DISTRICT, "51"))
    assert caught.value.error_code == "401"
    messages = env["d"](
        "vbdt.hub.message", "search_count", [("recipient_code", "=", DISTRICT)]
    )
    assert messages >= 1  # only the legitimate ones
    with pytest.raises(xmlrpc.client.Fault):
        env["d"]("vbdt.exchange.engine", "_vbdt_run_outbox")


def _ask_take_back(p: Rpc, document: int) -> None:
    wizard = p(
        "vbdt.document.take.back",
        "create",
        {"document_id": document, "reason": "Ban hành nhầm"},
    )
    p("vbdt.document.take.back", "action_confirm", [wizard])


def _ask_revoke(p: Rpc, document: int) -> None:
    wizard = p(
        "vbdt.document.revision",
        "create",
        {
            "document_id": document,
            "kind": "revoke",
            "reason": "Ban hành sai thẩm quyền",
        },
    )
    p("vbdt.document.revision", "action_confirm", [wizard])


def _take_back_and_answer(
    env, subject: str, agree: bool, reason: str, ask=_ask_take_back
) -> tuple[int, int]:
    """Province issues, the district receives; the province asks to take the
    document back (13) or revokes it (BussinessDocType 1); the district's
    clerk answers through the wizard."""
    p, d = env["p"], env["d"]
    document = _issue(p, [env["pv"]["other"]], subject)
    p.run_cron(OUTBOX)
    _poll(d, env["dv"]["transport"])
    [incoming] = _incoming(d, subject)
    d.run_cron(OUTBOX)  # 01
    ask(p, document)
    p.run_cron(OUTBOX)  # 13 / revocation package
    _poll(d, env["dv"]["transport"])
    [flagged] = d("vbdt.document", "read", [incoming["id"]], ["exchange_review"])
    assert flagged["exchange_review"]
    action = d("vbdt.document", "action_vbdt_exchange_answer", [incoming["id"]])
    context = action["context"]
    answer = d(
        "vbdt.exchange.answer",
        "create",
        {
            "document_id": context["default_document_id"],
            "request_id": context["default_request_id"],
            "answer": "agree" if agree else "refuse",
            "reason": reason,
        },
    )
    d("vbdt.exchange.answer", "action_confirm", [answer])
    d.run_cron(OUTBOX)  # 15 / 16
    _poll(p, env["pv"]["transport"])
    return document, incoming["id"]


def test_take_back_agreed_round_trip(env):
    p, d = env["p"], env["d"]
    document, incoming = _take_back_and_answer(env, "E2E: lấy lại (đồng ý)", True, "")
    [state] = d("vbdt.document", "read", [incoming], ["state", "exchange_review"])
    assert (state["state"], state["exchange_review"]) == ("cancelled", False)
    [line] = p(
        "vbdt.document.delivery",
        "search_read",
        [("document_id", "=", document)],
        fields=["status_code"],
    )
    assert line["status_code"] == "15"
    assert _deliveries(p, document)[-1] == "15"


def test_take_back_refused_round_trip(env):
    p, d = env["p"], env["d"]
    document, incoming = _take_back_and_answer(
        env, "E2E: lấy lại (từ chối)", False, "Văn bản đã được xử lý"
    )
    [state] = d("vbdt.document", "read", [incoming], ["state"])
    assert state["state"] == "received"
    [line] = p(
        "vbdt.document.delivery",
        "search_read",
        [("document_id", "=", document)],
        fields=["status_code", "description"],
    )
    assert (line["status_code"], line["description"]) == ("16", "Văn bản đã được xử lý")


def test_revoke_agreed_round_trip(env):
    p, d = env["p"], env["d"]
    document, incoming = _take_back_and_answer(
        env, "E2E: thu hồi (đồng ý)", True, "", ask=_ask_revoke
    )
    [state] = d("vbdt.document", "read", [incoming], ["state", "exchange_review"])
    assert (state["state"], state["exchange_review"]) == ("cancelled", False)
    [request] = d(
        "vbdt.exchange.record",
        "search_read",
        [("direction", "=", "in"), ("review_document_id", "=", incoming)],
        fields=["bussiness_doc_type", "status_description", "handled"],
    )
    assert (
        request["bussiness_doc_type"],
        request["status_description"],
        request["handled"],
    ) == ("1", "Ban hành sai thẩm quyền", True)
    [line] = p(
        "vbdt.document.delivery",
        "search_read",
        [("document_id", "=", document)],
        fields=["status_code"],
    )
    assert line["status_code"] == "15"
    [revoked] = p("vbdt.document", "read", [document], ["exchange_revoked", "state"])
    assert (revoked["exchange_revoked"], revoked["state"]) == (True, "issued")


def test_approved_signed_sealed_and_verified(env):
    """Approval route and PAdES signature at the province (person signature
    of the signer, seal of the agency at issue), verified valid at the
    district after travelling through the hub."""
    p, d = env["p"], env["d"]
    if env["pki"] is None:
        pytest.fail("vbdt_signature is not installed in the end-to-end databases")
    subject = "E2E: văn bản ký số"
    document = _issue(
        p,
        [env["pv"]["other"]],
        subject,
        pdf=demo_document_pdf(),
        sign=True,
        signer_name=testpki.PERSON_NAME,
    )
    [sent] = p("vbdt.document", "read", [document], ["state", "main_file_id", "code"])
    assert sent["state"] == "issued"
    [main] = p(
        "vbdt.document.file", "read", [sent["main_file_id"][0]], ["signature_status"]
    )
    assert main["signature_status"] == "valid", main
    p.run_cron(OUTBOX)
    _poll(d, env["dv"]["transport"])
    [incoming] = _incoming(d, subject)
    assert incoming["code"] == sent["code"]
    files = d(
        "vbdt.document.file",
        "read",
        incoming["file_ids"],
        ["role", "signature_status", "signature_check_ids"],
    )
    [received] = [f for f in files if f["role"] == "main"]
    assert received["signature_status"] == "valid", received
    checks = d(
        "vbdt.signature.check",
        "read",
        received["signature_check_ids"],
        ["kind", "signer_name", "valid"],
    )
    assert sorted((c["kind"], c["signer_name"], c["valid"]) for c in checks) == sorted(
        [
            ("person", testpki.PERSON_NAME, True),
            ("organisation", testpki.AGENCY_NAME, True),
        ]
    )
