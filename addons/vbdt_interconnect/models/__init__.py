from . import vbdt_exchange_transport
from . import vbdt_exchange_record
from . import vbdt_document_delivery
from . import vbdt_document
from . import vbdt_agency
from . import vbdt_hub_system
from . import vbdt_hub_message
from . import vbdt_audit_log
