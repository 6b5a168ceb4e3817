from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import periods as engine_periods

IMMUTABLE_FIELDS = ("measure_id", "period_id", "value", "source", "user_id")


class BscMeasureValue(models.Model):
    """A value of a measure for one period, kept as history.

    A correction is a new row that becomes current; the previous row stays
    with ``is_current`` False. Nobody edits the value or period of a row.
    Values are accepted only for started periods that are due for the
    measure's frequency, inside the horizon of an active scorecard.
    """

    _name = "bsc.measure.value"
    _description = "Measure Value"
    _order = "period_date desc, measure_id, id desc"
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
    objective_id = fields.Many2one(related="measure_id.objective_id", store=True)
    perspective_id = fields.Many2one(related="measure_id.perspective_id", store=True)
    company_id = fields.Many2one(related="measure_id.company_id", store=True)
    owner_id = fields.Many2one(related="measure_id.owner_id")
    unit = fields.Selection(related="measure_id.unit")
    value = fields.Float(required=True, aggregator="avg")
    note = fields.Text()
    source = fields.Selection(
        [("manual", "Entered by hand"), ("live", "Live"), ("push", "Pushed")],
        required=True,
        default="manual",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    is_current = fields.Boolean(
        string="Current",
        default=True,
        readonly=True,
        index=True,
        help="The value used for scoring. A correction makes the previous "
        "value of the period historical.",
    )

    def init(self):
        # One current value per measure and period, even under concurrent
        # pushes (the measure row update in create() serialises them).
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS bsc_measure_value_current_uniq "
            "ON bsc_measure_value (measure_id, period_id) WHERE is_current"
        )

    @api.constrains("measure_id", "period_id")
    def _check_period(self):
        for record in self:
            record._validate_value_rules(record.measure_id, record.period_id)

    @api.model
    def _validate_value_rules(self, measure, period):
        """Refuse a value of ``measure`` for ``period`` that breaks a rule.

        The period must belong to the measure's scorecard (its horizon), the
        scorecard must be active, the month must have started and be due for
        the measure's frequency. Raises a translated ValidationError.
        """
        today = fields.Date.context_today(self)
        scorecard = measure.scorecard_id
        if period.scorecard_id != scorecard:
            raise ValidationError(
                self.env._(
                    "%(period)s is outside the horizon of %(scorecard)s "
                    "(%(start)s to %(end)s).",
                    period=period.display_name,
                    scorecard=scorecard.name,
                    start=scorecard.date_from,
                    end=scorecard.date_to,
                )
            )
        if scorecard.state != "active":
            states = dict(scorecard._fields["state"]._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "%(scorecard)s is %(state)s: values can only be recorded "
                    "on an active scorecard.",
                    scorecard=scorecard.name,
                    state=states[scorecard.state],
                )
            )
        if period.date_start > today:
            raise ValidationError(
                self.env._(
                    "%(period)s has not started yet: a value of %(measure)s "
                    "cannot be recorded for it.",
                    period=period.name,
                    measure=measure.name,
                )
            )
        if not measure._is_due(period):
            frequency = dict(
                measure._fields["frequency"]._description_selection(self.env)
            )[measure.frequency]
            raise ValidationError(
                self.env._(
                    "%(measure)s is reported %(frequency)s: no value is due "
                    "in %(period)s.",
                    measure=measure.name,
                    frequency=frequency.lower(),
                    period=period.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.browse().check_access("create")
        # Validate everything before writing anything (the constraint
        # repeats the checks on the stored rows).
        Measure = self.env["bsc.measure"]
        Period = self.env["bsc.period"]
        for vals in vals_list:
            if vals.get("measure_id") and vals.get("period_id"):
                self._validate_value_rules(
                    Measure.browse(vals["measure_id"]), Period.browse(vals["period_id"])
                )
        for vals in vals_list:
            vals["is_current"] = True
            if not self.env.su:
                # Users record as themselves; only the system records live values.
                vals["user_id"] = self.env.uid
                if vals.get("source") == "live":
                    vals["source"] = "manual"
        # Within one batch, the last row of a (measure, period) wins.
        seen = set()
        for vals in reversed(vals_list):
            key = (vals.get("measure_id"), vals.get("period_id"))
            if key in seen:
                vals["is_current"] = False
            seen.add(key)
        measures = self.env["bsc.measure"].browse(
            {vals["measure_id"] for vals in vals_list if vals.get("measure_id")}
        )
        # sudo: bookkeeping on the measures being fed, which the create()
        # below checks the user may feed. Updating their rows first also
        # serialises concurrent pushes on one measure: the later transaction
        # is retried instead of breaking the one-current-value index.
        measures.sudo().write({"last_value_date": fields.Datetime.now()})
        measures.sudo().flush_recordset(["last_value_date"])
        previous = (
            self.sudo()
            .search(
                [
                    ("measure_id", "in", measures.ids),
                    ("period_id", "in", [v.get("period_id") for v in vals_list]),
                    ("is_current", "=", True),
                ]
            )
            .filtered(lambda v: (v.measure_id.id, v.period_id.id) in seen)
        )
        # sudo: is_current is system-maintained; the user may add a
        # correction, which demotes the previous value of the same period.
        previous.sudo().write({"is_current": False})
        previous.sudo().flush_recordset(["is_current"])
        records = super().create(vals_list)
        if not self.env.context.get("bsc_skip_recompute"):
            records._recompute_affected_scores()
        return records

    def write(self, vals):
        locked = [fname for fname in IMMUTABLE_FIELDS if fname in vals]
        if locked or ("is_current" in vals and not self.env.su):
            raise UserError(
                self.env._(
                    "A recorded value cannot be changed. Enter a correction "
                    "instead: it becomes the current value and the previous one "
                    "stays in the history."
                )
            )
        return super().write(vals)

    def unlink(self):
        current = self.filtered("is_current")
        keys = {(v.measure_id.id, v.period_id.id) for v in current}
        scorecards = self.scorecard_id
        periods = self.period_id
        result = super().unlink()
        if keys:
            # sudo: the newest remaining value of each period becomes current
            # again; the user was allowed to delete the one that was.
            remaining = self.sudo().search(
                [
                    ("measure_id", "in", [key[0] for key in keys]),
                    ("period_id", "in", [key[1] for key in keys]),
                ],
                order="id desc",
            )
            promoted = self.browse()
            for value in remaining:
                key = (value.measure_id.id, value.period_id.id)
                if key in keys:
                    promoted |= value
                    keys.discard(key)
            # is_current is maintained by the model for every value of the measure,
            # whoever wrote the one that replaced it
            promoted.sudo().write({"is_current": True})
        if scorecards:
            scorecards._recompute_scores(period_ids=periods.ids)
        return result

    def _recompute_affected_scores(self):
        """Recompute the scorecards fed, from the earliest period fed on."""
        for scorecard in self.scorecard_id:
            values = self.filtered(lambda v, s=scorecard: v.scorecard_id == s)
            first = min(values.period_id.mapped("date_start"))
            scorecard._recompute_scores(
                period_ids=scorecard.period_ids.filtered(
                    lambda p, d=first: p.date_start >= d
                ).ids
            )

    def action_open_live_records(self):
        """Records behind this value (live measures)."""
        self.ensure_one()
        measure = self.measure_id
        if measure.frequency == "monthly":
            start = self.period_id.date_start
        else:
            due = measure.scorecard_id.period_ids.filtered(
                lambda p: (
                    p.date_start < self.period_id.date_start and measure._is_due(p)
                )
            )
            start = (
                engine_periods.next_month(max(due.mapped("date_start")))
                if due
                else measure.scorecard_id.date_from
            )
        return measure._live_drilldown_action(start, self.period_id.date_start)
