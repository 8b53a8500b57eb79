"""Shared pytest set-up.

The plain-Python cores live inside the addons (``vbdt_document/notation``,
``vbdt_signature/pades``, ``vbdt_interconnect/edxml`` and ``vxp``) and never
import ``odoo``.  Putting each addon folder on ``sys.path`` lets these tests
import them as top-level packages (``import edxml``) without loading Odoo.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

for _addon in (
    "vbdt_document",
    "vbdt_signature",
    "vbdt_interconnect",
    "vbdt_records",
    "vbdt_capture",
):
    _path = str(ROOT / "addons" / _addon)
    if _path not in sys.path:
        sys.path.insert(0, _path)
