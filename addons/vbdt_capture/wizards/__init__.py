from . import vbdt_capture_search
from . import vbdt_capture_register
