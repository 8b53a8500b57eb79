from . import vbdt_records_retention
from . import vbdt_records_plan
from . import vbdt_records_plan_heading
from . import vbdt_records_plan_item
from . import vbdt_records_file
from . import vbdt_records_file_line
from . import vbdt_audit_log
from . import vbdt_document
