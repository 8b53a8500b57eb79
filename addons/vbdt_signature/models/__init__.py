import logging

# pyHanko subsets the stamp font with fontTools, which logs every glyph at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

from . import vbdt_signature_certificate
from . import vbdt_signature_trust_anchor
from . import vbdt_signature_crl
from . import vbdt_signature_check_mixin
from . import vbdt_signature_check
from . import vbdt_document_file
from . import vbdt_document
from . import res_company
from . import res_users
from . import vbdt_signature_session
from . import ir_attachment
from . import vbdt_signature_remote_provider
from . import vbdt_signature_remote
