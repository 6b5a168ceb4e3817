from babel.dates import format_skeleton

from odoo import fields, models
from odoo.tools.misc import babel_locale_parse


def month_label(day, lang="en_US"):
    """The month of ``day`` as a reader of ``lang`` writes it: 'Dec 2026',
    '2026年12月', 'déc. 2026' (Babel's year-and-short-month skeleton)."""
    return format_skeleton("yMMM", day, locale=babel_locale_parse(lang or "en_US"))


class BscPeriod(models.Model):
    """A month of a scorecard's horizon.

    Created and removed with the horizon (``bsc.scorecard``); values,
    targets and scores point at periods, so a measure can only be reported
    inside its scorecard's horizon.
    """

    _name = "bsc.period"
    _description = "Scorecard Period"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "date_start, id"
    _rec_name = "name"

    scorecard_id = fields.Many2one(
        "bsc.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    date_start = fields.Date(required=True, help="First day of the month.")
    date_end = fields.Date(required=True, help="Last day of the month.")
    name = fields.Char(
        required=True, help="Month and year, e.g. 'Jan 2026'.", translate=True
    )
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

    def _bsc_localize_names(self, langs=None):
        """Name these months in every active language ('Dec 2026',
        '2026年12月'), unless somebody renamed them; also called when a
        language is loaded, for the periods created before it."""
        self._bsc_localize_generated(
            "name",
            lambda period: month_label(period.date_start, period.env.lang),
            langs,
        )
