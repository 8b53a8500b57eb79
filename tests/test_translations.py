"""Every addon ships a complete Vietnamese catalogue that matches its template.

Templates are refreshed with ``scripts/i18n``; these checks catch a catalogue
left behind (missing or untranslated entries) and translations that would
break at run time (lost ``%(name)s`` placeholders)."""

import re
from pathlib import Path

import polib
import pytest

ADDONS = sorted(
    p.parent
    for p in (Path(__file__).parent.parent / "addons").glob("*/__manifest__.py")
)
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%[sd]")


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_vietnamese_catalogue_is_complete(addon):
    pot_path = addon / "i18n" / f"{addon.name}.pot"
    po_path = addon / "i18n" / "vi.po"
    assert pot_path.exists(), f"{pot_path} missing: run scripts/i18n {addon.name}"
    assert po_path.exists(), f"{po_path} missing"
    pot, po = polib.pofile(str(pot_path)), polib.pofile(str(po_path))
    template_ids = {(e.msgctxt, e.msgid) for e in pot}
    catalogue_ids = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
    assert template_ids - catalogue_ids == set(), "entries missing from vi.po"
    untranslated = [
        e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)
    ]
    assert untranslated == []


@pytest.mark.parametrize("addon", ADDONS, ids=lambda p: p.name)
def test_translations_keep_placeholders(addon):
    po_path = addon / "i18n" / "vi.po"
    if not po_path.exists():
        pytest.fail(f"{po_path} missing")
    for entry in polib.pofile(str(po_path)):
        if entry.msgstr:
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(
                PLACEHOLDER.findall(entry.msgstr)
            ), entry.msgid
