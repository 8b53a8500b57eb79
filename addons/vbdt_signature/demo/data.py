"""Demo data built in Python: the throw-away test PKI (``demo.testpki``,
certomancer), the images, and documents that show signing and verification
end to end.

Called from ``demo/vbdt_signature_demo.xml`` only (loaded with the demo
data). Nothing here is fit for production: the CA is a test CA whose keys
are generated at install and not kept.
"""

import base64
import logging
import os
from pathlib import Path

from ..pades import sign_pdf
from ..pades.backends import Pkcs12Backend
from ..pades.signer import OrganisationAppearance, PersonAppearance, SigningOptions
from ..pades.stamping import prepare_fields, stamp_number_date
from . import testpki
from .documents import demo_document_pdf, demo_seal_png, demo_signature_png
from .fake_remote import CLIENT_ID, CLIENT_SECRET

_logger = logging.getLogger(__name__)

DEMO_DRAFT = "document_out_qd_thu_nghiem_ky_so_demo"
DEMO_ROUTE = "approval_route_qd_van_phong_demo"
DEMO_REMOTE_DRAFTS = {
    "document_out_ky_tu_xa_demo_1": (
        "Quyết định thành lập Tổ công tác chuyển đổi số (bản demo ký từ xa 1)"
    ),
    "document_out_ky_tu_xa_demo_2": (
        "Quyết định phê duyệt Kế hoạch ký số từ xa năm 2026 (bản demo ký từ xa 2)"
    ),
}
"""Two more drafts for lanhdao.ubnd, to sign as a batch from the phone."""
DEMO_MYSIGN_DRAFTS = {
    "document_out_ky_mysign_demo_1": (
        "Quyết định giao nhiệm vụ vận hành hệ thống văn bản điện tử "
        "(bản demo ký qua MySign)"
    ),
}
"""A draft chutich.ubnd signs (TM. Ủy ban nhân dân) through the demo MySign."""
DEMO_SIGNERS = ("lanhdao_ubnd", "lanhdao_stttt")
"""Signers of vbdt_document's demo documents: each gets a person certificate
in their own name (holder, agency, position) from the demo test CA."""


def install_demo(env):
    pki, served = demo_pki()
    company = env.ref("base.main_company")
    leader = env.ref("vbdt_document.user_lanhdao_ubnd_demo", raise_if_not_found=False)
    install_pki(env, pki, served=served)
    if leader:
        _create_draft(env, company, leader)
        submit_demo_draft(env)  # when vbdt_workflow was installed first
    _create_incoming(env, company, pki)


def demo_pki():
    """``(pki, served)``: the PKI ``scripts/serve`` saved for this demo
    database and serves (folder in ``VBDT_DEMO_PKI``), else a new one that
    nothing serves (e.g. the Docker demo: its documents stay B-B)."""
    folder = os.environ.get("VBDT_DEMO_PKI")
    if folder and (Path(folder) / testpki.SAVED_FILE).is_file():
        return testpki.load_test_pki(Path(folder)), True
    return testpki.build_test_pki(), False


def install_pki(env, pki, served=False):
    """The demo PKI as an administrator sets it up: its root as the trust
    anchor, its revocation lists, the seal and signers' certificates and,
    when its TSA answers (``served``), the timestamp authority, so that
    signatures are B-LT and issued documents B-LTA."""
    company = env.ref("base.main_company")
    env["vbdt.signature.trust.anchor"].create(_prepare_anchor_vals(pki))
    if served:
        # sudo: demo set-up writes a system parameter
        env["ir.config_parameter"].sudo().set_param(
            "vbdt_signature.timestamp_url", pki.tsa_url
        )
    # the demo CA's revocation lists, as an administrator loads them
    env["vbdt.signature.crl"].create(
        [{"crl_file": _b64(pki.crl)}, {"crl_file": _b64(pki.root_crl)}]
    )
    company.write(
        {
            "vbdt_seal_image": _b64(demo_seal_png()),
            "vbdt_signature_required": True,
        }
    )
    Certificate = env["vbdt.signature.certificate"]
    Certificate.create(
        _prepare_certificate_vals(pki.organisation, company, "organisation")
    )
    for signer in filter(None, (_demo_user(env, login) for login in DEMO_SIGNERS)):
        signer.vbdt_signature_image = _b64(demo_signature_png())
        credential = testpki.issue_person(
            pki,
            signer.name,
            organisation=signer.company_id.name,
            title=signer.function or None,
        )
        Certificate.create(
            _prepare_certificate_vals(credential, signer.company_id, "person", signer)
        )


def _b64(raw):
    return base64.b64encode(raw)


def _prepare_anchor_vals(pki):
    return {
        "name": "Test RootCA chuyên dùng Chính phủ (demo)",
        "certificate_file": _b64(pki.root.certificate_pem),
        "note": "Generated at installation for the demo; never trust it in production.",
    }


def _prepare_certificate_vals(credential, company, kind, user=None):
    return {
        "kind": kind,
        "user_id": user.id if user else False,
        "company_id": company.id,
        "backend": "pkcs12",
        "pkcs12_file": _b64(credential.pkcs12()),
        "password": testpki.PKCS12_PASSWORD,
    }


def _demo_user(env, name):
    return env.ref(f"vbdt_document.user_{name}_demo", raise_if_not_found=False)


def _xmlid(env, name, record):
    """Name a record created in Python, so that later demo steps find it."""
    env["ir.model.data"].create(
        {
            "module": "vbdt_signature",
            "name": name,
            "model": record._name,
            "res_id": record.id,
            "noupdate": True,
        }
    )


KT_PHO_CHU_TICH = ("Phó Chủ tịch", "kt", ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"))
TM_CHU_TICH = ("Chủ tịch", "tm", ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"))
"""Signer position, authority prefix and signature block of a demo draft."""


def _create_draft(
    env, company, leader, xmlid=DEMO_DRAFT, subject=None, signing=KT_PHO_CHU_TICH
):
    specialist = _demo_user(env, "chuyenvien_vp")
    position, authority, authority_lines = signing
    document = env["vbdt.document"].create(
        {
            "direction": "outgoing",
            "company_id": company.id,
            "subject": subject
            or "Quyết định ban hành Quy chế thử nghiệm chữ ký số (bản demo ký số)",
            "document_type_id": env.ref(
                "vbdt_document.vbdt_document_type_quyet_dinh"
            ).id,
            "unit_id": env.ref("vbdt_document.vbdt_unit_ubnd_vp_demo").id,
            "drafter_id": specialist.id if specialist else False,
            "signer_id": leader.id,
            "signer_name": leader.name,
            "signer_position": position,
            "signer_authority": authority,
        }
    )
    document._vbdt_add_file(
        "quyet_dinh_ky_so.pdf",
        demo_document_pdf(signer_name=leader.name, authority_lines=authority_lines),
        role="main",
    )
    _xmlid(env, xmlid, document)
    return document


def submit_demo_draft(env, xmlid=DEMO_DRAFT):
    """With vbdt_workflow, the leader signs at the signer step of an approval
    route: submit the demo draft and have each step approve it, as its
    reviewer, until it waits for the signature, so that lanhdao.ubnd finds
    it ready to sign (as the signer, or as the deputy of the signer under a
    delegation of vbdt_workflow's demo). Uses the route vbdt_workflow finds
    for the draft, else one of its own. Returns whether it did.

    vbdt_workflow installs after this addon (same depth, alphabetical
    order), so this cannot run with the demo data: the demo-only addon
    ``vbdt_signature_demo`` (installed automatically with both) runs it
    after its installation."""
    draft = env.ref(f"vbdt_signature.{xmlid}", raise_if_not_found=False)
    specialist = _demo_user(env, "chuyenvien_vp")
    if (
        "vbdt.approval.route" not in env
        or not draft
        or draft.state != "draft"
        or not specialist
    ):
        return False
    Route = env["vbdt.approval.route"]
    if not Route._find_for(draft):
        head = _demo_user(env, "truongphong_vp")
        if not head:
            return False
        _xmlid(env, DEMO_ROUTE, Route.create(_prepare_route_vals(draft, head)))
    draft = draft.with_context(lang="vi_VN")
    draft.with_user(specialist).action_review_submit()
    for _step in range(10):  # bounded: a route has a handful of steps
        reviewer = draft._vbdt_review_current()[:1].reviewer_ids[:1]
        if draft.state != "review" or not reviewer:
            break
        draft.with_user(reviewer).action_review_approve("Đồng ý, kính trình ký.")
    return draft.state == "to_sign"


def install_demo_remote(env):
    """DEMO ONLY, under ``scripts/serve``: when the demo PKI folder
    (``VBDT_DEMO_PKI``) holds the leader's remote credential, whose fake
    VNPT SmartCA and Viettel MySign ``testpki.py serve`` runs on the PKI's
    port + 1, register both services for UBND tỉnh, lanhdao.ubnd's
    certificate at SmartCA (read from it; his PKCS#12 one archived, so that
    he signs through SmartCA) and two more drafts waiting for his signature,
    for a batch; when it also holds chutich.ubnd's (vbdt_workflow's demo
    Chairman), his certificate at MySign and a draft waiting for his
    signature. Without that folder (Docker, tests) nothing is done.
    Returns the SmartCA certificate, or None."""
    folder = os.environ.get("VBDT_DEMO_PKI")
    leader = _demo_user(env, "lanhdao_ubnd")
    if (
        not folder
        or not leader
        or not (Path(folder) / testpki.REMOTE_SIGNER_FILE).is_file()
        or not (Path(folder) / testpki.SAVED_FILE).is_file()
        or not env.ref(f"vbdt_signature.{DEMO_DRAFT}", raise_if_not_found=False)
    ):
        return None
    url = testpki.remote_url(testpki.load_test_pki(Path(folder)))
    company = env.ref("base.main_company")
    Providers = env["vbdt.signature.remote.provider"]
    common = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "company_id": company.id,
    }
    smartca = Providers.create(
        {
            "name": "VNPT SmartCA (giả lập demo)",
            "provider": "vnpt_smartca",
            "base_url": url + "/sca/sp769",
            **common,
        }
    )
    mysign = Providers.create(
        {
            "name": "Viettel MySign (giả lập demo)",
            "provider": "viettel_mysign",
            "base_url": url,
            "profile_id": "adss:ras:profile:001",
            **common,
        }
    )
    remote = _register_remote(env, leader, smartca, testpki.REMOTE_ACCOUNT)
    if not remote:
        return None
    for xmlid, subject in DEMO_REMOTE_DRAFTS.items():
        if not env.ref(f"vbdt_signature.{xmlid}", raise_if_not_found=False):
            _create_draft(env, company, leader, xmlid, subject)
        submit_demo_draft(env, xmlid)
    _logger.info("DEMO ONLY: lanhdao.ubnd signs through the fake SmartCA at %s", url)
    head = env.ref("vbdt_workflow.user_chutich_ubnd_demo", raise_if_not_found=False)
    if (
        head
        and (Path(folder) / testpki.MYSIGN_SIGNER_FILE).is_file()
        # the demo fake names each credential after its account (serve_demo)
        and _register_remote(
            env, head, mysign, testpki.MYSIGN_ACCOUNT, testpki.MYSIGN_ACCOUNT
        )
    ):
        for xmlid, subject in DEMO_MYSIGN_DRAFTS.items():
            if not env.ref(f"vbdt_signature.{xmlid}", raise_if_not_found=False):
                _create_draft(env, company, head, xmlid, subject, TM_CHU_TICH)
            submit_demo_draft(env, xmlid)
        _logger.info("DEMO ONLY: chutich.ubnd signs through the fake MySign")
    return remote


def _register_remote(env, user, provider, account, credential_id=False):
    """Register ``user``'s certificate at the demo ``provider`` (read from
    it), give the user a signature image when missing and archive the other
    person certificates of ``user``, so that the user signs remotely.
    Returns the certificate, or None when the fake does not answer."""
    Certificate = env["vbdt.signature.certificate"]
    try:
        with env.cr.savepoint():
            remote = Certificate.create(
                {
                    "kind": "person",
                    "user_id": user.id,
                    "company_id": user.company_id.id,
                    "backend": "remote",
                    "remote_provider_id": provider.id,
                    "remote_account": account,
                    "remote_credential_id": credential_id,
                }
            )
            remote.action_read_remote_certificate()
    except Exception as err:  # noqa: BLE001 -- a demo extra never breaks the install
        _logger.warning(
            "demo %s not reachable at %s (%s): skipped",
            provider.name,
            provider.base_url,
            err,
        )
        return None
    if not user.vbdt_signature_image:
        user.vbdt_signature_image = _b64(demo_signature_png())
    Certificate.search(
        [
            ("kind", "=", "person"),
            ("user_id", "=", user.id),
            ("backend", "!=", "remote"),
        ]
    ).active = False
    return remote


def _prepare_route_vals(draft, head):
    return {
        "name": "Quyết định của Văn phòng: Chánh Văn phòng duyệt, lãnh đạo ký",
        "company_id": draft.company_id.id,
        "unit_id": draft.unit_id.id,
        "document_type_ids": [(6, 0, draft.document_type_id.ids)],
        "step_ids": [
            (
                0,
                0,
                {
                    "name": "Chánh Văn phòng duyệt",
                    "sequence": 1,
                    "reviewer_type": "user",
                    "user_ids": [(6, 0, head.ids)],
                },
            ),
            (
                0,
                0,
                {
                    "name": "Lãnh đạo UBND tỉnh ký",
                    "sequence": 2,
                    "reviewer_type": "user",
                    "user_ids": [(6, 0, draft.signer_id.ids)],
                    "is_signer_step": True,
                },
            ),
        ],
    }


def _create_incoming(env, company, pki):
    """A complete signed document received from another agency, and a copy
    altered after signing: the first verifies, the second is flagged."""
    options = SigningOptions(trust_anchors=pki.trust_anchors)
    person = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
    seal = Pkcs12Backend(pki.organisation.pkcs12(), testpki.PKCS12_PASSWORD)
    pdf = sign_pdf(
        prepare_fields(demo_document_pdf()),
        person,
        PersonAppearance(demo_signature_png()),
        options=options,
    )
    pdf = stamp_number_date(pdf, "Số: 15/QĐ-UBND", "Phú Thọ, ngày 05 tháng 02 năm 2026")
    sealed = sign_pdf(
        pdf,
        seal,
        OrganisationAppearance(demo_seal_png(), testpki.AGENCY_NAME),
        options=options,
    )
    tampered = sealed.replace(b"841.89", b"841.88", 1)
    for code, raw, subject in (
        ("15/QĐ-UBNDTN", sealed, "Quyết định thử nghiệm có chữ ký số hợp lệ (demo)"),
        ("16/QĐ-UBNDTN", tampered, "Bản sao bị sửa sau khi ký số (demo)"),
    ):
        document = env["vbdt.document"].create(
            {
                "direction": "incoming",
                "company_id": company.id,
                "subject": subject,
                "code": code,
                "document_date": "2026-02-05",
                "sender_name": "UBND tỉnh Thử nghiệm",
                "arrival_channel": "email",
                "document_type_id": env.ref(
                    "vbdt_document.vbdt_document_type_quyet_dinh"
                ).id,
            }
        )
        document._vbdt_add_file(f"{code.replace('/', '_')}.pdf", raw, role="main")
    # files of vbdt_document's demo, stored before this addon was installed,
    # verified now rather than by the background cron, for a ready demo
    Files = env["vbdt.document.file"]
    Files.search(Files._vbdt_unverified_domain())._vbdt_verify_signatures()
