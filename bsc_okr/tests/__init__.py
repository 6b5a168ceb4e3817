from . import test_groups
from . import test_bsc_model
from . import test_bsc_thresholds
from . import test_bsc_measure_values
from . import test_bsc_scoring
from . import test_okr_checkin
from . import test_xlsx_export
