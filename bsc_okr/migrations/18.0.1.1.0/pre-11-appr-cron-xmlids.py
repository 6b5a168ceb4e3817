"""The crons' external ids follow one style, ``<model>_cron_<what>``, like
``okr_approval_request_cron_escalate`` and ``bsc_scorecard_cron_recompute``.

The crons are ``noupdate`` data: without this rename the update would create
a second cron under the new id and keep the old one. Renaming the external
ids (the cron's and the one Odoo gives its server action) keeps the same
records, their ids and whatever an administrator changed on them.
"""

RENAMED = {
    "ir_cron_okr_checkin_reminder": "okr_objective_cron_checkin_reminder",
    "ir_cron_okr_refresh_sources": "okr_key_result_cron_refresh_sources",
}


def migrate(cr, version):
    if not version:
        return
    for old, new in RENAMED.items():
        for suffix in ("", "_ir_actions_server"):
            cr.execute(
                """
                UPDATE ir_model_data
                   SET name = %(new)s
                 WHERE module = 'bsc_okr'
                   AND name = %(old)s
                   AND NOT EXISTS (
                       SELECT 1 FROM ir_model_data
                        WHERE module = 'bsc_okr' AND name = %(new)s
                   )
                """,
                {"old": old + suffix, "new": new + suffix},
            )
