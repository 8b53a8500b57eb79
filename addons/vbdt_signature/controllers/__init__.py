from . import vbdt_signature_agent
from . import vbdt_signature_remote
