from . import vbdt_records_file_reopen
