# First: every vbdt addon's tests import this package before any browser test.
from . import browser_start
from . import test_numbering
from . import test_document
from . import test_agency
from . import test_agency_directory
from . import test_access_rights
from . import test_reports
from . import test_register_book_pdf
from . import test_tour
from . import test_lifecycle_attacks
from . import test_secrecy
from . import test_access_matrix
from . import test_agency_lifecycle
from . import test_agency_reorganisations
