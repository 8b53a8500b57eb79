"""``parse(..., spool=True)``: attachments stay in temporary files until the
caller reads them one by one (the inbox stores them that way)."""

from __future__ import annotations

import pytest
from edxml import build_document, parse
from edxml_samples import full_document


@pytest.mark.parametrize("zipped", [False, True])
def test_spooled_attachments_match_the_in_memory_ones(zipped: bool) -> None:
    raw = build_document(full_document(), zip_attachments=zipped)
    eager = parse(raw).attachments
    spooled = parse(raw, spool=True).attachments

    assert len(spooled) == len(eager) > 1
    for in_memory, on_disk in zip(eager, spooled, strict=True):
        assert on_disk.content == b""
        assert on_disk.source is not None
        assert (
            on_disk.content_id,
            on_disk.attachment_name,
            on_disk.content_type,
            on_disk.content_type_note,
        ) == (
            in_memory.content_id,
            in_memory.attachment_name,
            in_memory.content_type,
            in_memory.content_type_note,
        )
        assert on_disk.read_content() == in_memory.content
        assert on_disk.source is None, "read once, then released"
        assert in_memory.read_content() == in_memory.content


def test_json_dump_leaves_the_spooled_file_out() -> None:
    from edxml.jsonio import package_to_dict

    package = parse(build_document(full_document()), spool=True)
    [first, *_rest] = package_to_dict(package)["attachments"]
    assert "source" not in first
