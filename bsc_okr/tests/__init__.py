from . import test_groups
from . import test_engine_grading
from . import test_engine_graph
from . import test_engine_periods
from . import test_engine_scoring
