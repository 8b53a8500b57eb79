from . import vbdt_records_file_reopen
from . import vbdt_records_copy_wizard
