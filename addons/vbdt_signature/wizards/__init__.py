from . import vbdt_signature_verify
from . import vbdt_signature_trust_anchor_import
from . import vbdt_signature_sign_confirm
