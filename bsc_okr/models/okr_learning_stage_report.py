from odoo import fields, models
from odoo.tools import SQL, drop_view_if_exists

from .okr_learning_plan import STATES


class OkrLearningStageReport(models.Model):
    """How long learning plans stay in each stage (pipeline analysis).

    A read-only SQL view over ``okr.stage.history``: one row per stay of a
    plan in a stage, from the moment it entered the stage (the proposal
    starts at ``proposed_on``) to the moment it left it. Requests and
    rejections that leave the stage unchanged do not open a new stay. The
    current stay runs until now (``is_current``). Rows follow the plan's
    visibility (security/okr_learning_security.xml).
    """

    _name = "okr.learning.stage.report"
    _description = "Learning Plan Stage Times"
    _auto = False
    _order = "plan_id, date_start"
    _rec_name = "plan_id"
    _depends = {
        "okr.learning.plan": [
            "proposed_on",
            "campaign_id",
            "plan_type_id",
            "company_id",
            "owner_id",
        ],
        "okr.stage.history": ["res_model", "res_id", "result_state", "date"],
    }

    plan_id = fields.Many2one("okr.learning.plan", readonly=True)
    campaign_id = fields.Many2one("okr.learning.campaign", readonly=True)
    plan_type_id = fields.Many2one("okr.learning.plan.type", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    owner_id = fields.Many2one("hr.employee", readonly=True)
    stage = fields.Selection(STATES, readonly=True)
    date_start = fields.Datetime(string="Entered", readonly=True)
    date_end = fields.Datetime(string="Left", readonly=True)
    is_current = fields.Boolean(
        string="Current Stage", readonly=True, help="The plan is still in this stage."
    )
    days = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days spent in the stage (until now for the current stage).",
    )

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    WITH entries AS (
                        SELECT plan.id AS plan_id,
                               'propose'::varchar AS stage,
                               plan.proposed_on AS date_start,
                               0 AS seq
                          FROM okr_learning_plan plan
                         WHERE plan.proposed_on IS NOT NULL
                         UNION ALL
                        SELECT history.res_id, history.result_state, history.date,
                               history.id
                          FROM okr_stage_history history
                         WHERE history.res_model = %(model)s
                    ), changes AS (
                        SELECT entries.*,
                               LAG(entries.stage) OVER (
                                   PARTITION BY entries.plan_id
                                   ORDER BY entries.date_start, entries.seq
                               ) AS previous_stage
                          FROM entries
                    ), stays AS (
                        SELECT changes.plan_id, changes.stage, changes.date_start,
                               changes.seq,
                               LEAD(changes.date_start) OVER (
                                   PARTITION BY changes.plan_id
                                   ORDER BY changes.date_start, changes.seq
                               ) AS date_end
                          FROM changes
                         WHERE changes.previous_stage IS NULL
                            OR changes.previous_stage != changes.stage
                    )
                    SELECT ROW_NUMBER() OVER (
                               ORDER BY stays.plan_id, stays.date_start, stays.seq
                           ) AS id,
                           stays.plan_id,
                           plan.campaign_id,
                           plan.plan_type_id,
                           plan.company_id,
                           plan.owner_id,
                           stays.stage,
                           stays.date_start,
                           stays.date_end,
                           stays.date_end IS NULL AS is_current,
                           EXTRACT(EPOCH FROM (
                               COALESCE(stays.date_end, NOW() AT TIME ZONE 'UTC')
                               - stays.date_start
                           )) / 86400.0 AS days
                      FROM stays
                      JOIN okr_learning_plan plan ON plan.id = stays.plan_id
                )
                """,
                view=SQL.identifier(self._table),
                model="okr.learning.plan",
            )
        )
