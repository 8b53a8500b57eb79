from . import test_capture
from . import test_capture_access
from . import test_capture_register
from . import test_capture_search_export
from . import test_capture_pdfa
from . import test_capture_register_tour
from . import test_capture_statistics
