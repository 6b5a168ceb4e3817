"""The track status is new: what the key results stand at on upgrade is the
baseline of the alerts, so an upgrade sends no alert for a key result that
was off track already."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.flush_all()
    cr.execute(
        """
        UPDATE okr_key_result
           SET okr_alert_status = track_status
         WHERE okr_alert_status IS NULL AND track_status IS NOT NULL
        """
    )
