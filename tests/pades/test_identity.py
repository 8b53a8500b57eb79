"""Identity of the signer across an agency change (pades.identity): the
certificate naming a former agency is accepted, a different title or agency
is a warning, never a refusal; the signature's validity is verify's alone."""

from datetime import date

import pytest
from demo import testpki
from pades import PersonAppearance, prepare_fields, sign_pdf, verify_pdf
from pades.backends import Pkcs12Backend
from pades.identity import (
    FORMER,
    MATCH,
    MISMATCH,
    UNKNOWN,
    AgencyMismatchWarning,
    AgencyName,
    FormerAgencyNote,
    TitleMismatchWarning,
    bare_title,
    check_agency,
    check_identity,
    check_title,
    combine,
    fold,
    same_name,
)

D = date(2025, 3, 1)
KHCN = "Sở Khoa học và Công nghệ tỉnh Phú Thọ"
NAMES = [
    AgencyName(KHCN),
    AgencyName("Sở Thông tin và Truyền thông tỉnh Phú Thọ", until=D),
]


def test_fold_spellings():
    assert fold("Ủy ban nhân dân tỉnh Phú Thọ") == fold("UBND Tỉnh Phú Thọ")
    assert fold("Sở TT&TT") == "so thong tin va truyen thong"
    assert fold("  ĐỖ   Văn  Hùng ") == "do van hung"
    assert fold(None) == ""


def test_same_name_allows_the_place_after_the_name():
    assert same_name("Sở Y tế", "Sở Y tế tỉnh Phú Thọ")
    assert same_name("UBND xã Yên Lập", "Ủy ban nhân dân xã Yên Lập tỉnh Phú Thọ")
    assert not same_name("Sở Y tế", "Sở Y tế Hà Nội cũ")
    assert not same_name("Sở Tư pháp", "Sở Y tế")
    assert not same_name("", "Sở Y tế")


def test_agency_current_former_and_other():
    assert check_agency(KHCN, KHCN, NAMES) == (MATCH, None)
    status, note = check_agency("Sở TT&TT tỉnh Phú Thọ", KHCN, NAMES, date(2025, 6, 1))
    assert status == FORMER
    assert isinstance(note, FormerAgencyNote)
    assert KHCN in str(note)
    # Signed while the former name was the agency's: simply right.
    assert check_agency("Sở TT&TT tỉnh Phú Thọ", KHCN, NAMES, date(2025, 2, 1)) == (
        MATCH,
        None,
    )
    status, warning = check_agency("Sở Y tế tỉnh Phú Thọ", KHCN, NAMES)
    assert status == MISMATCH
    assert isinstance(warning, AgencyMismatchWarning)
    assert "Sở Y tế" in str(warning) and KHCN in str(warning)
    assert check_agency(None, KHCN, NAMES) == (UNKNOWN, None)
    assert check_agency("Sở Y tế", None, []) == (UNKNOWN, None)


@pytest.mark.parametrize(
    ("printed", "certificate", "status"),
    [
        ("Giám đốc", "GIÁM ĐỐC", MATCH),
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "Phó Giám đốc", MATCH),
        ("TL. CHỦ TỊCH", "Chủ tịch", MATCH),
        ("Phó Giám đốc", "Giám đốc", MISMATCH),
        ("Giám đốc", None, UNKNOWN),
        ("", "Giám đốc", UNKNOWN),
    ],
)
def test_title(printed, certificate, status):
    found, warning = check_title(certificate, printed)
    assert found == status
    assert isinstance(warning, TitleMismatchWarning) == (status == MISMATCH)


def test_bare_title():
    assert bare_title("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH") == "pho chu tich"
    assert bare_title("TUQ. GIÁM ĐỐC") == "giam doc"


def test_report_combines_and_keeps_the_note_apart_from_warnings():
    report = check_identity(
        "Sở Thông tin và Truyền thông tỉnh Phú Thọ",
        "Giám đốc",
        KHCN,
        "Phó Giám đốc",
        NAMES,
        date(2025, 6, 1),
    )
    assert (report.agency, report.title, report.status) == (FORMER, MISMATCH, MISMATCH)
    assert [type(n) for n in report.notes] == [FormerAgencyNote, TitleMismatchWarning]
    assert [type(w) for w in report.warnings] == [TitleMismatchWarning]
    assert combine(MATCH, FORMER) == FORMER
    assert combine(UNKNOWN, MATCH) == MATCH
    assert combine(UNKNOWN) == UNKNOWN
    # Templates with named placeholders, for Odoo to translate.
    assert "%(printed)s" in TitleMismatchWarning.template


def test_a_certificate_of_the_former_agency_verifies_and_only_warns(
    pki, draft, signature_png
):
    """A real signature with a certificate generation issued to the former
    agency: valid (the certificate was valid when it signed); the identity
    check accepts the former agency and warns about the title only."""
    credential = testpki.issue_person(
        pki,
        "Nguyễn Thị Bình",
        organisation="Sở Thông tin và Truyền thông tỉnh Phú Thọ",
        title="Giám đốc",
    )
    backend = Pkcs12Backend(credential.pkcs12(), testpki.PKCS12_PASSWORD)
    appearance = PersonAppearance(signature_png, printed_name=testpki.PERSON_NAME)
    signed = sign_pdf(prepare_fields(draft), backend, appearance)
    signature = verify_pdf(signed, pki.trust_anchors).signatures[0]
    assert signature.valid
    assert signature.signer.title == "Giám đốc"
    report = check_identity(
        signature.signer.organisation,
        signature.signer.title,
        KHCN,
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
        NAMES,
        signature.judged_at.date(),
    )
    assert report.agency == FORMER
    assert report.title == MISMATCH
    assert signature.valid, "a warning never turns a signature invalid"
