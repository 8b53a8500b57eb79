import sys
from pathlib import Path

# The letter generator lives with the addon's Odoo tests (they render the
# same letters) and imports no Odoo: put its folder on sys.path.
_LETTERS = str(
    Path(__file__).resolve().parents[2] / "addons" / "vbdt_capture" / "tests"
)
if _LETTERS not in sys.path:
    sys.path.append(_LETTERS)
