"""Demo data built in Python: a throw-away test PKI (``pades.testpki``), the
images, and documents that show signing and verification end to end.

Called from ``demo/vbdt_signature_demo.xml``. Nothing here is fit for
production: the keys are generated at install time and the CA is a test CA.
"""

import base64

from .pades import sign_pdf, testpki
from .pades.backends import Pkcs12Backend
from .pades.demo import demo_document_pdf, demo_seal_png, demo_signature_png
from .pades.signer import OrganisationAppearance, PersonAppearance, SigningOptions
from .pades.stamping import prepare_fields, stamp_number_date


def install_demo(env):
    pki = testpki.build_test_pki()
    company = env.ref("base.main_company")
    leader = env.ref("vbdt_document.user_lanhdao_ubnd_demo", raise_if_not_found=False)
    env["vbdt.signature.trust.anchor"].create(_prepare_anchor_vals(pki))
    company.write({
        "vbdt_seal_image": _b64(demo_seal_png()),
        "vbdt_signature_required": True,
    })
    Certificate = env["vbdt.signature.certificate"]
    Certificate.create(_prepare_certificate_vals(pki.organisation, company, "organisation"))
    if leader:
        leader.vbdt_signature_image = _b64(demo_signature_png())
        Certificate.create(_prepare_certificate_vals(pki.person, company, "person", leader))
        _create_draft(env, company, leader)
    _create_incoming(env, company, pki)


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


def _create_draft(env, company, leader):
    document = env["vbdt.document"].create({
        "direction": "outgoing",
        "company_id": company.id,
        "subject": "Quyết định ban hành Quy chế thử nghiệm chữ ký số (bản demo ký số)",
        "document_type_id": env.ref("vbdt_document.vbdt_document_type_quyet_dinh").id,
        "unit_id": env.ref("vbdt_document.vbdt_unit_ubnd_vp_demo").id,
        "signer_id": leader.id,
        "signer_name": leader.name,
        "signer_position": "Phó Chủ tịch",
        "signer_authority": "kt",
    })
    document._vbdt_add_file(
        "quyet_dinh_ky_so.pdf",
        demo_document_pdf(signer_name=leader.name,
                          authority_lines=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
        role="main",
    )
    return document


def _create_incoming(env, company, pki):
    """A complete signed document received from another agency, and a copy
    altered after signing: the first verifies, the second is flagged."""
    options = SigningOptions(trust_anchors=pki.trust_anchors)
    person = Pkcs12Backend(pki.person.pkcs12(), testpki.PKCS12_PASSWORD)
    seal = Pkcs12Backend(pki.organisation.pkcs12(), testpki.PKCS12_PASSWORD)
    pdf = sign_pdf(prepare_fields(demo_document_pdf()), person,
                   PersonAppearance(demo_signature_png()), options=options)
    pdf = stamp_number_date(pdf, "Số: 15/QĐ-UBND", "Phú Thọ, ngày 05 tháng 02 năm 2026")
    sealed = sign_pdf(pdf, seal, OrganisationAppearance(demo_seal_png(), testpki.AGENCY_NAME),
                      options=options)
    tampered = sealed.replace(b"841.89", b"841.88", 1)
    for code, raw, subject in (
        ("15/QĐ-UBNDTN", sealed, "Quyết định thử nghiệm có chữ ký số hợp lệ (demo)"),
        ("16/QĐ-UBNDTN", tampered, "Bản sao bị sửa sau khi ký số (demo)"),
    ):
        document = env["vbdt.document"].create({
            "direction": "incoming",
            "company_id": company.id,
            "subject": subject,
            "code": code,
            "document_date": "2026-02-05",
            "sender_name": "UBND tỉnh Thử nghiệm",
            "arrival_channel": "email",
            "document_type_id": env.ref("vbdt_document.vbdt_document_type_quyet_dinh").id,
        })
        document._vbdt_add_file(f"{code.replace('/', '_')}.pdf", raw, role="main")
    # files of vbdt_document's demo, stored before this addon was installed,
    # verified now rather than by the background cron, for a ready demo
    Files = env["vbdt.document.file"]
    Files.search(Files._vbdt_unverified_domain())._vbdt_verify_signatures()
