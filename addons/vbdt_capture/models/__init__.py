from . import vbdt_capture_search_columns
from . import vbdt_capture_text
from . import vbdt_document_file
from . import vbdt_document
from . import vbdt_capture_saved_search
from . import vbdt_document_statistics
