from . import vbdt_capture_search
