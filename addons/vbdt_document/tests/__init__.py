from . import test_numbering
from . import test_document
from . import test_agency
from . import test_access_rights
from . import test_reports
from . import test_tour
from . import test_secrecy
from . import test_access_matrix
