from . import vbdt_signature_verify
