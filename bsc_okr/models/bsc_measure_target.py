from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BscMeasureTarget(models.Model):
    """The target of a measure for one period (overrides the default target).

    Targets are plain planning data and may be set ahead for future periods.
    """

    _name = "bsc.measure.target"
    _description = "Measure Target"
    _order = "period_date, measure_id, id"
    _rec_name = "measure_id"

    measure_id = fields.Many2one(
        "bsc.measure", required=True, ondelete="cascade", index=True
    )
    period_id = fields.Many2one(
        "bsc.period",
        required=True,
        ondelete="restrict",
        index=True,
        domain="[('scorecard_id', '=', scorecard_id)]",
    )
    period_date = fields.Date(
        related="period_id.date_start", store=True, string="Month"
    )
    scorecard_id = fields.Many2one(
        related="measure_id.scorecard_id", store=True, index=True
    )
    company_id = fields.Many2one(related="measure_id.company_id", store=True)
    target = fields.Float(required=True)

    _sql_constraints = [
        (
            "measure_period_uniq",
            "UNIQUE(measure_id, period_id)",
            "A measure has one target per period.",
        ),
    ]

    @api.constrains("measure_id", "period_id")
    def _check_period(self):
        for record in self:
            scorecard = record.measure_id.scorecard_id
            if record.period_id.scorecard_id != scorecard:
                raise ValidationError(
                    self.env._(
                        "%(period)s is outside the horizon of %(scorecard)s "
                        "(%(start)s to %(end)s).",
                        period=record.period_id.display_name,
                        scorecard=scorecard.name,
                        start=scorecard.date_from,
                        end=scorecard.date_to,
                    )
                )
            if not record.measure_id._is_due(record.period_id):
                raise ValidationError(
                    self.env._(
                        "No value of %(measure)s is due in %(period)s, so it "
                        "takes no target there.",
                        measure=record.measure_id.name,
                        period=record.period_id.name,
                    )
                )
