# Copyright 2026 bsc_okr developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The check-in reminder job runs every day: each company now chooses the
weekday of its reminder (``res.company.okr_reminder_weekday``), and the job
sends on that day only.

The cron is ``noupdate`` data, so the update does not change its interval;
this script does, keeping the record and what else an administrator set on
it. Idempotent.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    cron = env.ref("bsc_okr.okr_objective_cron_checkin_reminder", False)
    if cron and (cron.interval_number, cron.interval_type) != (1, "days"):
        cron.write({"interval_number": 1, "interval_type": "days"})
