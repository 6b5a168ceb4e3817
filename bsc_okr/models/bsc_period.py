from odoo import fields, models


class BscPeriod(models.Model):
    """A month of a scorecard's horizon.

    Created and removed with the horizon (``bsc.scorecard``); values,
    targets and scores point at periods, so a measure can only be reported
    inside its scorecard's horizon.
    """

    _name = "bsc.period"
    _description = "Scorecard Period"
    _order = "date_start, id"
    _rec_name = "name"

    scorecard_id = fields.Many2one(
        "bsc.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    date_start = fields.Date(required=True, help="First day of the month.")
    date_end = fields.Date(required=True, help="Last day of the month.")
    name = fields.Char(required=True, help="Month and year, e.g. 'Jan 2026'.")
    code = fields.Char(
        required=True,
        index=True,
        help="Year and month as YYYY-MM: the period key used by push_value.",
    )

    _sql_constraints = [
        (
            "scorecard_date_uniq",
            "UNIQUE(scorecard_id, date_start)",
            "A scorecard has one period per month.",
        ),
    ]
