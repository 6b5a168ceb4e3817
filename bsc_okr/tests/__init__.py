from . import test_groups
from . import test_bsc_model
from . import test_bsc_thresholds
