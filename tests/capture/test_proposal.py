"""Scan-to-register proposals scored on generated letters (born-digital
here; the scanned set is scored by bench/bench_ocr.py, which needs minutes
of OCR)."""

import datetime

import letters
import pytest
from capture import extract_pdf_text
from capture.proposal import propose

AGENCIES = [(code, name) for code, name, *_ in letters.AGENCIES]
TYPES = list(letters.TYPES)


@pytest.fixture(scope="module")
def letter_set():
    return letters.make_letters(30)


def test_every_field_on_thirty_letters(letter_set):
    table = letters.score(
        letter_set,
        lambda letter: propose(
            extract_pdf_text(letter.pdf, ocr=False).text, AGENCIES, TYPES
        ),
    )
    low = {
        field: (correct, proposed, total)
        for field, (correct, proposed, total) in table.items()
        if correct < total
    }
    assert not low, low


def test_each_proposal_points_at_its_source():
    text = (
        "SỞ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 15/SYT-KHTC\n"
        "Phú Thọ, ngày 03 tháng 11 năm 2026\nV/v tiêm chủng mở rộng\nKHẨN\n"
        "Kính gửi: UBND các xã\nGIÁM ĐỐC\nLê Minh Đức\n"
    )
    found = propose(text, AGENCIES, TYPES)
    for field in (
        "number",
        "notation",
        "document_date",
        "sender",
        "subject",
        "urgency",
    ):
        proposal = found[field]
        assert text[proposal.start : proposal.end].strip(), field
    assert found["number"].value == 15
    assert found["notation"].value == "SYT-KHTC"
    assert found["document_date"].value == datetime.date(2026, 11, 3)
    assert found["sender"].value == "000.00.14.H42"
    assert found["subject"].value == "tiêm chủng mở rộng"
    assert found["urgency"].value == "urgent"
    assert (found["signer_position"].value, found["signer_name"].value) == (
        "Giám Đốc",
        "Lê Minh Đức",
    )


def test_future_dates_and_impossible_dates_are_not_proposed():
    text = "Số: 1/UBND\nngày 31 tháng 02 năm 2026\nngày 01 tháng 01 năm 2099\n"
    found = propose(text, today=datetime.date(2026, 12, 2))
    assert "document_date" not in found
