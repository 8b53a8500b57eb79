"""Unicode clean-up shared by the notation functions, and search folding."""

import unicodedata

# Word processors turn "-" into typographic dashes; in a notation they all mean
# the separator "-".
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
)

_MARKS = range(0x0300, 0x0370)  # combining diacritical marks
# Latin-1 Supplement to Latin Extended-B, and Latin Extended Additional, which
# hold every precomposed Vietnamese letter.
_LATIN = (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))


def _fold_table() -> list[str | None]:
    """Translation table from every precomposed Latin letter to its base
    letter (``ế`` → ``e``), deleting stray combining marks and mapping
    ``đ`` (which has no decomposition) to ``d``.

    A list indexed by code point, not a dict: ``str.translate`` looks it up
    about twice as fast, and code points past its end raise ``IndexError``,
    which ``translate`` treats as "leave unchanged".
    """
    table: list[str | None] = [chr(code) for code in range(_LATIN[-1] + 1)]
    for code in _LATIN:
        decomposed = unicodedata.normalize("NFD", chr(code))
        table[code] = "".join(char for char in decomposed if ord(char) not in _MARKS)
    for code in _MARKS:
        table[code] = None
    table[ord("đ")] = "d"
    return table


_FOLD = _fold_table()


def nfc(text: str) -> str:
    """``text`` in NFC: the same words typed on different systems arrive
    composed (NFC) or decomposed (NFD) and must compare equal."""
    return unicodedata.normalize("NFC", text)


def fold_text(text: str | None) -> str:
    """Search key of ``text``: lower case, no diacritics, ``đ`` as ``d``,
    whitespace collapsed to single spaces.

    Users search without diacritics ("quyet dinh" must find "Quyết định"), so
    stored search text and the query are both folded.  This runs on every save
    and every search, hence C-level steps only: NFC (nearly free on text that
    is already NFC, as almost all is) and one ``str.translate`` with a
    precomputed table of precomposed letters; translating the longer NFD form
    measured about three times slower.  Empty input (including Odoo's
    ``False``) gives ``""``.
    """
    if not text:
        return ""
    text = text.lower()
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_FOLD)
    return " ".join(text.split())


def clean(text: str) -> str:
    """``text`` in NFC, stripped, with typographic dashes made ``-``."""
    return nfc(text).translate(_DASHES).strip()


def compact(text: str) -> str:
    """:func:`clean` ``text`` with all whitespace removed: numbers and
    notations never contain spaces, so whitespace in a typed or received code
    (line breaks, non-breaking spaces) is noise."""
    return "".join(clean(text).split())
