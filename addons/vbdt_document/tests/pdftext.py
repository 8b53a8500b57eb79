"""Reading a rendered PDF back as text (poppler's ``pdftotext``), for the
tests of every addon that check a printout: register books, handling slips,
indexes."""

import subprocess
import tempfile


def pdf_text(pdf):
    """The text of ``pdf`` (bytes), layout kept, pages separated by ``\\f``."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        result = subprocess.run(
            ["pdftotext", "-layout", source.name, "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    return result.stdout.decode()


def pdf_pages(pdf):
    """The text of each non-empty page of ``pdf``."""
    return [page for page in pdf_text(pdf).split("\f") if page.strip()]
