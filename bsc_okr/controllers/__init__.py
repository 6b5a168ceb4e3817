from . import portal_kpi
