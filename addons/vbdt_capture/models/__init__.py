from . import vbdt_capture_text
from . import vbdt_document_file
from . import vbdt_document
