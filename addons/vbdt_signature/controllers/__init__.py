from . import vbdt_signature_agent
