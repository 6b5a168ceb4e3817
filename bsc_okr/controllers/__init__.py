from . import portal_form
from . import portal_okr
from . import portal_learning
from . import portal_kpi
