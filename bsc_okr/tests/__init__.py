from . import test_groups
from . import test_okr_checkin
from . import test_okr_security
from . import test_okr_grading
from . import test_okr_alignment
from . import test_okr_rhythm
