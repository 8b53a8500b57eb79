import unicodedata

import pytest
from notation import fold_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định", "quyet dinh"),
        ("quyet dinh", "quyet dinh"),
        ("QUYẾT ĐỊNH", "quyet dinh"),
        ("Đề án", "de an"),
        ("đường Trường Thi", "duong truong thi"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("Hòa Tiến, Hoà Vang", "hoa tien, hoa vang"),
        ("Hỏa tốc, Thượng khẩn", "hoa toc, thuong khan"),
        ("ă â ê ô ơ ư ỳ ỹ ỵ", "a a e o o u y y y"),
        ("15/QĐ-UBND", "15/qd-ubnd"),
        ("  nhiều\t khoảng \n trắng  ", "nhieu khoang trang"),
        ("a\u00a0b", "a b"),
        ("ASCII Only  Text", "ascii only text"),
        ("", ""),
        ("   ", ""),
        (None, ""),
        (False, ""),
    ],
)
def test_fold_text(text, expected):
    assert fold_text(text) == expected


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_fold_text_ignores_unicode_form(form):
    assert (
        fold_text(unicodedata.normalize(form, "Nghị quyết Hội đồng"))
        == "nghi quyet hoi dong"
    )


def test_folded_text_is_ascii_for_vietnamese():
    alphabet = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
    tones = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
    text = " ".join(
        unicodedata.normalize("NFC", letter + tone)
        for letter in alphabet + alphabet.upper()
        for tone in tones
    )
    assert fold_text(text).isascii()


def test_fold_text_is_idempotent():
    once = fold_text("Về việc triển khai Đề án 06")
    assert fold_text(once) == once
