import datetime
import math
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import periods as engine_periods

PERIOD_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*$")


class BscMeasure(models.Model):
    """A measure (KPI) of a strategic objective.

    Values come from three sources: entered by hand (``manual``), read live
    from Odoo data (``live``, see ``bsc.live.source.mixin``), or pushed by
    another system over RPC with :meth:`push_value` (``push``). Values are
    kept as history in ``bsc.measure.value``; scores are stored per period
    in ``bsc.score``.
    """

    _name = "bsc.measure"
    _description = "Measure"
    _inherit = [
        "mail.thread",
        "bsc.score.mixin",
        "bsc.scoring.rule.mixin",
        "bsc.live.source.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "scorecard_id, objective_id, sequence, id"
    _live_source_field = "source_type"

    name = fields.Char(required=True, tracking=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    objective_id = fields.Many2one(
        "bsc.objective", required=True, ondelete="cascade", index=True, tracking=True
    )
    scorecard_id = fields.Many2one(
        related="objective_id.scorecard_id", store=True, index=True
    )
    scorecard_state = fields.Selection(related="objective_id.scorecard_id.state")
    perspective_id = fields.Many2one(
        related="objective_id.perspective_id", store=True, index=True
    )
    company_id = fields.Many2one(related="objective_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit = fields.Selection(
        [
            ("number", "Number"),
            ("percent", "%"),
            ("currency", "Currency"),
            ("days", "Days"),
            ("hours", "Hours"),
            ("other", "Other"),
        ],
        required=True,
        default="number",
    )
    unit_label = fields.Char(
        help="Shown after values when the unit is 'Other', e.g. 'products'.",
        translate=True,
    )
    polarity = fields.Selection(tracking=True)
    frequency = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        required=True,
        default="monthly",
        help="When a value is due: every month, at calendar quarter ends, or in "
        "December. Values are only accepted for due months.",
    )
    accumulation = fields.Selection(
        [("sum", "Sum"), ("average", "Average"), ("last", "Last")],
        required=True,
        default="last",
        help="How values accumulate over the calendar year to date (not before "
        "the horizon start): Sum (e.g. revenue), Average (e.g. satisfaction) "
        "or Last value, carried forward (e.g. headcount). Targets accumulate "
        "the same way.",
    )
    target = fields.Float(
        string="Default Target",
        tracking=True,
        help="Target of every due period without a target of its own.",
    )
    weight = fields.Float(
        default=1.0,
        tracking=True,
        help="Weight of this measure in its objective's score (re-normalised "
        "over the measures that have data).",
    )
    owner_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
        help="Who reports the values. Owners may enter values of their measures.",
    )
    department_id = fields.Many2one(
        "hr.department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Managers of this department may enter its values.",
    )
    threshold_profile_id = fields.Many2one(
        "bsc.threshold.profile",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Status bands of this measure. Empty: the scorecard's profile.",
    )
    source_type = fields.Selection(
        [
            ("manual", "Entered by hand"),
            ("live", "Live from Odoo data"),
            ("push", "Pushed by another system"),
        ],
        string="Source",
        required=True,
        default="manual",
        tracking=True,
        help="Live: read from Odoo records by the hourly job (configured by a "
        "Strategy Officer). Pushed: sent over RPC with push_value().",
    )
    value_ids = fields.One2many("bsc.measure.value", "measure_id", string="Values")
    target_ids = fields.One2many("bsc.measure.target", "measure_id", string="Targets")
    score_ids = fields.One2many("bsc.score", "measure_id", string="Score History")
    current_actual = fields.Float(
        string="Actual",
        readonly=True,
        help="Accumulated value (year to date) in the current period.",
    )
    current_target = fields.Float(
        string="Target",
        readonly=True,
        help="Accumulated target (year to date) in the current period.",
    )
    current_achievement = fields.Float(
        string="Achievement",
        readonly=True,
        help="Achievement ratio in the current period (1.0 = on target).",
    )
    last_value_date = fields.Datetime(
        readonly=True, help="When the latest value was recorded."
    )

    @api.depends("objective_id")
    def _compute_department_id(self):
        for measure in self:
            if not measure.department_id:
                measure.department_id = (
                    measure.objective_id.department_id
                    or measure.objective_id.scorecard_id.department_id
                )

    @api.constrains("weight")
    def _check_weight(self):
        for measure in self:
            if measure.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the measure %(name)s cannot be negative "
                        "(%(weight)s).",
                        name=measure.name,
                        weight=measure.weight,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_enter_value(self):
        """Open a form to record a value of this measure."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        period = self.scorecard_id._period_for(today)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New value of %(name)s", name=self.name),
            "res_model": "bsc.measure.value",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_measure_id": self.id,
                "default_period_id": period.id,
            },
        }

    def action_live_drilldown(self):
        """Records behind the current period's live value."""
        self.ensure_one()
        period = self.current_period_id or self.scorecard_id._period_for(
            fields.Date.context_today(self)
        )
        start = engine_periods.window_start(
            period.date_start, self.scorecard_id.date_from
        )
        return self._live_drilldown_action(start, period.date_start)

    def action_refresh_live(self):
        """Read the live source now (Strategy Officers) and rescore."""
        self.check_access("write")
        self._refresh_live_values()
        self.scorecard_id._recompute_scores()
        return True

    # ------------------------------------------------------------------
    # RPC entry point
    # ------------------------------------------------------------------
    def push_value(self, period, value, note=None):
        """Record a value sent by another system; return the new value's id.

        :param period: the month, as ``'YYYY-MM'``, ``'YYYY-MM-DD'`` or a date;
            it must lie inside the scorecard's horizon and be due for the
            measure's frequency.
        :param value: an int or float (not a string, not a boolean).
        :param note: optional text kept with the value.

        Called over XML-RPC/JSON-RPC with an API key, as the key's user, who
        needs the right to enter values of this measure. A second push for
        the same period is a correction: it becomes the current value and the
        previous one stays in the history.
        """
        self.ensure_one()
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValidationError(
                self.env._(
                    "The value pushed for %(name)s must be a number, not %(value)s.",
                    name=self.name,
                    value=repr(value),
                )
            )
        if note is not None and not isinstance(note, str):
            raise ValidationError(
                self.env._("The note pushed for %(name)s must be text.", name=self.name)
            )
        period_record = self._find_period(period)
        value_record = self.env["bsc.measure.value"].create(
            {
                "measure_id": self.id,
                "period_id": period_record.id,
                "value": float(value),
                "note": note or False,
                "source": "push",
            }
        )
        return value_record.id

    def _find_period(self, period):
        """The scorecard period of a month given as text or date."""
        self.ensure_one()
        day = None
        if isinstance(period, datetime.date):
            day = period
        elif isinstance(period, str):
            match = PERIOD_RE.match(period)
            if match:
                try:
                    day = datetime.date(int(match[1]), int(match[2]), 1)
                except ValueError:
                    day = None
        if day is None:
            raise ValidationError(
                self.env._(
                    "The period %(period)s is not understood: give the month as "
                    "YYYY-MM, e.g. 2026-03.",
                    period=repr(period),
                )
            )
        scorecard = self.scorecard_id
        found = scorecard.period_ids.filtered(
            lambda p: p.date_start == engine_periods.month_range(day)[0]
        )
        if not found:
            raise ValidationError(
                self.env._(
                    "%(period)s is outside the horizon of %(scorecard)s "
                    "(%(start)s to %(end)s).",
                    period=day.strftime("%Y-%m"),
                    scorecard=scorecard.name,
                    start=scorecard.date_from,
                    end=scorecard.date_to,
                )
            )
        return found

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _unit_display_labels(self):
        """{measure id: the unit as written next to its values}.

        The free label for the unit "Other" (or "Other" when empty), the
        company currency's code for "Currency", the unit's name otherwise.
        One rule for the Excel scorecard and the KPI assignments.
        """
        units = dict(self._fields["unit"]._description_selection(self.env))
        labels = {}
        for measure in self:
            if measure.unit == "other":
                labels[measure.id] = measure.unit_label or units["other"]
            elif measure.unit == "currency":
                labels[measure.id] = measure.currency_id.name or units["currency"]
            else:
                labels[measure.id] = units.get(measure.unit, "")
        return labels

    def _unit_display_label(self):
        """The unit written next to this measure's values."""
        self.ensure_one()
        return self._unit_display_labels()[self.id]

    @api.model
    def _unit_value_suffixes(self):
        """{unit: the word written after a value of that unit}, for the
        units whose values carry one in a number format (the Excel
        scorecard's "12.5 days"); the other units are written as their
        :meth:`_unit_display_labels` say."""
        return {"days": self.env._("days"), "hours": self.env._("hours")}

    def _get_bands(self):
        self.ensure_one()
        profile = self.threshold_profile_id or self.scorecard_id.threshold_profile_id
        return profile._get_bands()

    def _is_due(self, period):
        self.ensure_one()
        return engine_periods.is_due(
            period.date_start, self.frequency, self.scorecard_id.date_from
        )

    def _refresh_live_values(self):
        """Read the live measures' sources and record the values that changed.

        One ``_read_group`` per measure over its whole started horizon. A
        value is recorded only when it differs from the current one, so the
        history shows real changes. Returns the new value records.
        """
        today = fields.Date.context_today(self)
        live = self.filtered(
            lambda m: m.source_type == "live" and m.scorecard_id.state == "active"
        )
        if not live:
            return self.env["bsc.measure.value"]
        # sudo: values are stored on behalf of the source, which was read
        # with the configuring user's rights in _live_read_months().
        Value = self.env["bsc.measure.value"].sudo()
        current = {
            (v.measure_id.id, v.period_id.id): v.value
            for v in Value.search_fetch(
                [("measure_id", "in", live.ids), ("is_current", "=", True)],
                ["measure_id", "period_id", "value"],
            )
        }
        vals_list = []
        for measure in live:
            scorecard = measure.scorecard_id
            last_day = min(today, scorecard.date_to)
            if last_day < scorecard.date_from:
                continue
            months = measure._live_read_months(scorecard.date_from, last_day).get(
                measure.id, {}
            )
            buckets = []
            for period in scorecard.period_ids.sorted("date_start"):
                if period.date_start > last_day:
                    break
                buckets.append(months.get(period.date_start, (0, None)))
                if not measure._is_due(period):
                    continue
                value = measure._live_combine(buckets)
                buckets = []
                if value is None:
                    continue
                old = current.get((measure.id, period.id))
                if old is None or abs(old - value) > 1e-9:
                    vals_list.append(
                        {
                            "measure_id": measure.id,
                            "period_id": period.id,
                            "value": value,
                            "source": "live",
                            "user_id": measure.live_user_id.id or self.env.uid,
                            "note": self.env._(
                                "Read from %(model)s",
                                model=measure.live_model,
                            ),
                        }
                    )
        # technical timestamp of the refresh; callers may refresh values but not edit
        # the measure itself
        live.sudo().write({"live_refreshed_at": fields.Datetime.now()})
        return Value.with_context(bsc_skip_recompute=True).create(vals_list)
