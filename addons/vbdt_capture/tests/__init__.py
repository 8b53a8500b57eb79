from . import test_capture
from . import test_capture_access
from . import test_capture_register
