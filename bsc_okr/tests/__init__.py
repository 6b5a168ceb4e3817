from . import test_groups
from . import test_approval_mixin
from . import test_approval_roles
from . import test_approval_escalation
from . import test_approval_concurrency
from . import test_approval_rpc
