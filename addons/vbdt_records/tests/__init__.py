from . import test_retention
from . import test_plan
from . import test_file
from . import test_access_rights
from . import test_index
from . import test_handover
from . import test_disposal
from . import test_tour
