# Copyright 2026 bsc_okr developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fill hr.employee.okr_manager_chain_ids, the manager scope of the OKR and
KPI record rules, for every employee (archived ones included).

The ORM computes a new stored field when it creates its table; this script
makes the upgrade exact whatever state the table was in (it is idempotent),
through the field's own compute: the chain is defined once, in the model.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    employees = env["hr.employee"].search([])
    env.add_to_compute(env["hr.employee"]._fields["okr_manager_chain_ids"], employees)
    employees.flush_model(["okr_manager_chain_ids"])
    # Rules read the chain: none may be cached with the table half filled.
    env.registry.clear_cache()
