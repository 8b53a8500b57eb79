from . import vbdt_exchange_answer
from . import vbdt_document_take_back
from . import vbdt_document_revision
