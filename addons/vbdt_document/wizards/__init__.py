from . import vbdt_document_return
from . import vbdt_agency_import
from . import vbdt_register_book
from . import vbdt_document_correct
from . import vbdt_agency_change_wizard
from . import vbdt_agency_change_wizard_line
