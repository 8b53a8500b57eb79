from . import test_retention
from . import test_plan
from . import test_file
from . import test_access_rights
