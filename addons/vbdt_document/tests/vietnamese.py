"""Checking that what users read is Vietnamese, for the language tests of
every addon: no English word of the addons' own source strings and no ISO
date inside a sentence."""

import re

import polib

from odoo.modules.module import get_module_path

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ASCII_WORD = re.compile(r"^[A-Za-z]{4,}$")


def ascii_words(text):
    """The words of ``text`` written in plain ASCII letters, 4 or more."""
    return {word for word in re.findall(r"\w+", text) if ASCII_WORD.match(word)}


def english_words(addons):
    """Words of the addons' English source strings that their Vietnamese
    translation does not use itself (PDF, edXML... stay allowed)."""
    english, vietnamese = set(), set()
    for addon in addons:
        for entry in polib.pofile(f"{get_module_path(addon)}/i18n/vi.po"):
            if entry.obsolete or not entry.msgstr or entry.msgstr == entry.msgid:
                continue
            # placeholders such as %(date)s are code, not words
            english |= ascii_words(re.sub(r"%\(\w+\)s|\{\w+\}", " ", entry.msgid))
            vietnamese |= ascii_words(entry.msgstr)
    return english - vietnamese


class VietnameseAssertions:
    """Mixin of test cases: ``cls.english`` is set by ``english_words``."""

    english = frozenset()

    def _assert_vietnamese(self, where, texts):
        text = "\n".join(texts)
        english = ascii_words(text) & self.english
        leaks = [line for line in text.splitlines() if ascii_words(line) & english]
        self.assertFalse(
            sorted(english),
            f"{where}: English words in the Vietnamese interface, in {leaks}",
        )
        dates = [line for line in text.splitlines() if ISO_DATE.search(line)]
        self.assertFalse(dates, f"{where}: ISO dates in sentences")
