import datetime
import math
from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from ..engine import EngineError, burnup, grading, tracking

METRIC_TYPES = [
    ("number", "Number"),
    ("percentage", "Percentage"),
    ("currency", "Amount"),
    ("milestone", "Milestone (done / not done)"),
]
TRACK_STATUSES = [
    (tracking.ON_TRACK, "On Track"),
    (tracking.AT_RISK, "At Risk"),
    (tracking.OFF_TRACK, "Off Track"),
]
#: The largest magnitude of a number typed for a key result or a check-in.
VALUE_LIMIT = 1e12


class OkrKeyResult(models.Model):
    """A quantified result that tells whether its objective was reached.

    Its current value, confidence and last check-in date come from the latest
    check-in (``okr.checkin``); progress is computed from start, target and
    current value and may exceed 1.0, while the grade is capped at 1.0.
    """

    _name = "okr.key.result"
    _description = "Key Result"
    _inherit = [
        "bsc.live.source.mixin",
        "bsc.progress.mixin",
        "okr.progress.history.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "objective_id, sequence, id"
    _check_company_auto = True
    _live_source_field = "source_type"

    #: Fields an employee may only change while the objective is a draft.
    _okr_locked_fields = {
        "objective_id",
        "name",
        "owner_id",
        "contributor_ids",
        "metric_type",
        "unit",
        "direction",
        "start_value",
        "target_value",
        "weight",
        "sequence",
        "source_type",
        "measure_id",
    }
    #: Written only by check-ins (or, for live key results, the refresh).
    _okr_checkin_fields = {"current_value", "confidence", "last_checkin_date"}
    #: The owner's review of the grade, while the cycle is being graded.
    _okr_grading_fields = {"is_grade_overridden", "grade_override", "grade_note"}

    objective_id = fields.Many2one(
        "okr.objective", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(string="Key Result", required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True
    )
    cycle_id = fields.Many2one(related="objective_id.cycle_id", store=True, index=True)
    objective_state = fields.Selection(
        related="objective_id.state",
        store=True,
        index=True,
        help="Stored so that contributors, who may not read the objective "
        "itself, can filter their key results on it.",
    )
    objective_is_graded = fields.Boolean(related="objective_id.is_graded")
    owner_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        check_company=True,
        help="Who answers for this key result; defaults to the objective's owner.",
    )
    owner_user_id = fields.Many2one(
        "res.users",
        related="owner_id.user_id",
        store=True,
        index=True,
    )
    contributor_ids = fields.Many2many(
        "hr.employee",
        "okr_key_result_contributor_rel",
        "key_result_id",
        "employee_id",
        string="Contributors",
        check_company=True,
        help="Colleagues who work on this key result and may check in on it "
        "(a team key result).",
    )
    metric_type = fields.Selection(
        selection=METRIC_TYPES,
        required=True,
        default="number",
        help="A milestone is done (1) or not done (0).",
    )
    unit = fields.Char(
        help="What is counted, e.g. 'ideas', 'minutes', 'stores'.", translate=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    direction = fields.Selection(
        selection=[
            ("increase", "Increase"),
            ("decrease", "Decrease"),
        ],
        required=True,
        default="increase",
        help="Increase: the target is above the start (more sales). "
        "Decrease: below it (fewer defects).",
    )
    start_value = fields.Float(string="Start")
    target_value = fields.Float(string="Target", default=1.0)
    current_value = fields.Float(
        string="Current",
        compute="_compute_current_value",
        store=True,
        readonly=False,
        help="The value of the latest check-in.",
    )
    weight = fields.Float(
        default=1.0,
        help="Relative weight in the objective's progress and grade.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="1.0 when the target is reached; beyond the target it exceeds "
        "1.0, but grading caps it at 1.0.",
    )
    confidence = fields.Integer(
        default=5,
        aggregator="avg",
        help="0-10: how sure the owner is to reach the target, from the "
        "latest check-in.",
    )
    last_checkin_date = fields.Date(string="Last Check-in", readonly=True, copy=False)
    track_status = fields.Selection(
        selection=TRACK_STATUSES,
        compute="_compute_track_status",
        store=True,
        index=True,
        string="Track",
        help="While the objective is active: on track, at risk (15 points "
        "or more behind the expected line, or a confidence of 4 or less) or "
        "off track (30 points or more behind, or a confidence of 2 or "
        "less). Recomputed at each check-in and every night.",
    )
    okr_alert_status = fields.Selection(
        selection=TRACK_STATUSES,
        string="Alert Status",
        readonly=True,
        copy=False,
        help="Technical: the track status the alerts last dealt with; an "
        "alert goes out once per change, not once per recompute.",
    )
    okr_off_track_date = fields.Date(
        string="Off Track Since",
        readonly=True,
        copy=False,
        help="The day the key result last turned off track.",
    )
    is_stale = fields.Boolean(
        compute="_compute_is_stale",
        search="_search_is_stale",
        string="Stale",
        help="No check-in for longer than the company's stale delay while "
        "the cycle runs.",
    )
    grade = fields.Float(
        compute="_compute_grade",
        store=True,
        aggregator="avg",
        help="0.0-1.0, from the progress (capped at 1.0) once the cycle is "
        "graded, unless the owner overrode it.",
    )
    is_grade_overridden = fields.Boolean(
        string="Override Grade",
        copy=False,
        help="The owner sets the grade by hand and says why.",
    )
    grade_override = fields.Float(string="Grade Given", copy=False)
    grade_note = fields.Text(
        copy=False,
        help="Why the grade differs from the measured progress.",
        translate=True,
    )
    source_type = fields.Selection(
        selection=[
            ("manual", "Check-ins"),
            ("live", "Live from Odoo data"),
            ("measure", "A scorecard measure"),
        ],
        string="Source",
        required=True,
        default="manual",
        help="Check-ins: people post the values. Live: the value is read "
        "from Odoo records over the cycle (configured by an OKR manager or a "
        "Strategy Officer). Measure: the value follows a Balanced Scorecard "
        "measure. Automatic updates are recorded as check-ins.",
    )
    measure_id = fields.Many2one(
        "bsc.measure",
        index=True,
        ondelete="set null",
        check_company=True,
        help="The scorecard measure this key result follows or relates to.",
    )
    # OKR managers configure their team's live key results (see
    # _live_config_groups), so they see the configuration too.
    live_model_id = fields.Many2one(
        groups="bsc_okr.group_strategy_officer,bsc_okr.group_okr_manager"
    )
    live_field_id = fields.Many2one(
        groups="bsc_okr.group_strategy_officer,bsc_okr.group_okr_manager"
    )
    live_date_field_id = fields.Many2one(
        groups="bsc_okr.group_strategy_officer,bsc_okr.group_okr_manager"
    )
    checkin_ids = fields.One2many("okr.checkin", "key_result_id", string="Check-ins")
    checkin_count = fields.Integer(compute="_compute_checkin_count")
    checkin_chart = fields.Json(
        compute="_compute_checkin_chart",
        help="Technical: the check-in history drawn on the form.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("start_value")
    def _compute_current_value(self):
        for key_result in self:
            if not key_result.last_checkin_date:
                key_result.current_value = key_result.start_value

    @api.depends(
        "metric_type", "direction", "start_value", "target_value", "current_value"
    )
    def _compute_progress(self):
        for key_result in self:
            key_result.progress = key_result._okr_progress_of(key_result.current_value)

    def _okr_progress_of(self, value):
        """Progress this key result would have at ``value`` (0.0 if invalid)."""
        self.ensure_one()
        if self.metric_type == "milestone":
            return grading.milestone_progress(value >= 1.0)
        try:
            return grading.kr_progress(
                self.start_value, self.target_value, value, self.direction
            )
        except EngineError:
            # An invalid draft (target equal to start) is refused by the
            # constraint below; until then it simply has no progress.
            return 0.0

    @api.depends(
        "progress",
        "is_grade_overridden",
        "grade_override",
        "objective_id.is_graded",
    )
    def _compute_grade(self):
        for key_result in self:
            if not key_result.objective_id.is_graded:
                key_result.grade = 0.0
            elif key_result.is_grade_overridden:
                key_result.grade = key_result.grade_override
            else:
                key_result.grade = grading.kr_grade(key_result.progress)

    @api.depends(
        "last_checkin_date",
        "objective_state",
        "cycle_id.state",
        "cycle_id.date_start",
        "company_id.okr_stale_days",
    )
    def _compute_is_stale(self):
        today = fields.Date.context_today(self)
        for key_result in self:
            key_result.is_stale = key_result._okr_stale_on(today)

    @api.depends(
        "progress",
        "confidence",
        "objective_state",
        "cycle_id.date_start",
        "cycle_id.date_end",
    )
    def _compute_track_status(self):
        today = fields.Date.context_today(self)
        for key_result in self:
            key_result.track_status = key_result._okr_track_status_on(today)

    def _okr_track_status_on(self, day):
        """The track status of this key result on ``day`` (False while its
        objective is not active): :func:`..engine.tracking.track_status`
        against the cycle's expected line."""
        self.ensure_one()
        cycle = self.cycle_id
        if self.objective_state != "active" or not cycle.date_start:
            return False
        expected = burnup.expected_progress(cycle.date_start, cycle.date_end, day)
        return tracking.track_status(self.progress, expected, self.confidence)

    @api.model
    def _okr_refresh_track_status(self):
        """Every night: the expected line moves with the calendar, so the
        track status of every active key result is recomputed (stored only
        where it changed)."""
        key_results = self.search([("objective_state", "=", "active")])
        today = fields.Date.context_today(self)
        by_status = defaultdict(list)
        for key_result in key_results:
            status = key_result._okr_track_status_on(today)
            if status != key_result.track_status:
                by_status[status].append(key_result.id)
        for status, ids in by_status.items():
            self.browse(ids).write({"track_status": status})
        return key_results

    def _okr_track_changes(self):
        """The key results among these that turned off track since the
        alerts last looked, each once: their ``okr_alert_status`` catches up
        with ``track_status`` and ``okr_off_track_date`` is set to today.
        Called by the alerts job; a second call returns nothing."""
        self.flush_recordset(["track_status", "okr_alert_status"])
        changed = self.filtered(lambda kr: kr.track_status != kr.okr_alert_status)
        turned = changed.filtered(lambda kr: kr.track_status == tracking.OFF_TRACK)
        today = fields.Date.context_today(self)
        if turned:
            turned.write({"okr_off_track_date": today})
        by_status = defaultdict(list)
        for key_result in changed:
            by_status[key_result.track_status].append(key_result.id)
        for status, ids in by_status.items():
            self.browse(ids).write({"okr_alert_status": status})
        return turned

    def _okr_stale_on(self, day):
        """Whether this key result is stale on ``day``."""
        self.ensure_one()
        if (
            self.objective_state != "active"
            or self.cycle_id.state != "running"
            or not self.company_id
        ):
            return False
        since = self.last_checkin_date or self.cycle_id.date_start
        return bool(
            # a company setting, readable by portal employees only through sudo
            since and (day - since).days >= self.company_id.sudo().okr_stale_days
        )

    def _search_is_stale(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Stale'."))
        today = fields.Date.context_today(self)
        per_company = []
        # the stale threshold of each allowed company (a setting, not data)
        for company in self.env.companies.sudo():
            limit = today - datetime.timedelta(days=company.okr_stale_days)
            per_company.append(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("last_checkin_date", "<=", limit),
                    "&",
                    ("last_checkin_date", "=", False),
                    ("cycle_id.date_start", "<=", limit),
                ]
            )
        domain = expression.AND(
            [
                [("objective_state", "=", "active")],
                [("cycle_id.state", "=", "running")],
                expression.OR(per_company),
            ]
        )
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.depends("checkin_ids")
    def _compute_checkin_count(self):
        counts = dict(
            self.env["okr.checkin"]._read_group(
                [("key_result_id", "in", self.ids)], ["key_result_id"], ["__count"]
            )
        )
        for key_result in self:
            key_result.checkin_count = counts.get(key_result, 0)

    @api.depends(
        "checkin_ids.date",
        "checkin_ids.progress",
        "checkin_ids.confidence",
        "cycle_id.date_start",
        "cycle_id.date_end",
    )
    def _compute_checkin_chart(self):
        charts = self._okr_checkin_charts()
        for key_result in self:
            key_result.checkin_chart = charts.get(key_result._origin.id)

    def _okr_checkin_charts(self):
        """``{key result id: chart}``: the progress of each key result at
        its check-ins against the cycle's expected line, confidence below
        (one query for all, with the reader's rights). The back-end form and
        the portal pages both draw it."""
        ids = [kr_id for kr_id in self._origin.ids if kr_id]
        checkins = self.env["okr.checkin"].search_fetch(
            [("key_result_id", "in", ids)],
            ["key_result_id", "date", "progress", "confidence"],
            order="date, id",
        )
        progress, confidence = defaultdict(list), defaultdict(list)
        for checkin in checkins:
            progress[checkin.key_result_id.id].append((checkin.date, checkin.progress))
            confidence[checkin.key_result_id.id].append(
                (checkin.date, checkin.confidence)
            )
        History = self.env["okr.progress.history"]
        return {
            key_result.id: History._okr_chart(
                key_result.cycle_id,
                progress[key_result.id],
                confidence[key_result.id],
            )
            for key_result in self.browse(ids)
        }

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("start_value", "target_value", "direction", "metric_type")
    def _check_target(self):
        self._okr_raise_invalid(("start_value", "target_value"))

    @api.constrains("weight")
    def _check_weight(self):
        self._okr_raise_invalid(("weight",))

    def _okr_raise_invalid(self, fnames):
        """Raise the first error of :meth:`_okr_validate_kr_vals` on
        ``fnames`` of each key result of ``self``."""
        for key_result in self:
            errors = self._okr_validate_kr_vals(
                {
                    fname: key_result[fname]
                    for fname in (
                        "name",
                        "start_value",
                        "target_value",
                        "weight",
                        "direction",
                        "metric_type",
                    )
                }
            )
            for fname in fnames:
                if fname in errors:
                    raise ValidationError(errors[fname])

    @api.model
    def _okr_value_limit(self):
        """The largest magnitude of a number people type for a key result
        (start, target, weight) or a check-in: beyond it, a typo."""
        return VALUE_LIMIT

    @api.model
    def _okr_value_error(self, value, label):
        """The message when ``value`` (typed for the field ``label``) is
        beyond :meth:`_okr_value_limit`, else None."""
        if abs(value) > self._okr_value_limit():
            return self.env._("%(field)s is too large for a key result.", field=label)
        return None

    @api.model
    def _okr_validate_kr_vals(self, vals):
        """``{field: message}``: what is wrong with a key result of the values
        ``vals`` (any of name, start_value, target_value, weight, direction,
        metric_type). The constraints raise these messages; the portal shows
        them next to its fields."""
        errors = {}
        for fname in ("start_value", "target_value", "weight"):
            if vals.get(fname) is not None:
                label = self._fields[fname]._description_string(self.env)
                error = self._okr_value_error(vals[fname], label)
                if error:
                    errors[fname] = error
        weight = vals.get("weight")
        if "weight" not in errors and weight is not None and weight <= 0:
            errors["weight"] = self.env._(
                "The weight of the key result %(kr)s must be greater "
                "than zero, not %(weight)s.",
                kr=vals.get("name"),
                weight=weight,
            )
        start, target = vals.get("start_value"), vals.get("target_value")
        if (
            vals.get("metric_type") != "milestone"
            and start is not None
            and target is not None
            and not errors.keys() & {"start_value", "target_value"}
        ):
            direction = vals.get("direction") or self._okr_direction_of(start, target)
            try:
                grading.kr_progress(start, target, start, direction)
            except EngineError as error:
                errors["target_value"] = self.new(
                    {"name": vals.get("name"), "direction": direction}
                )._okr_engine_message(error)
        return errors

    def _okr_engine_message(self, error):
        """A translated sentence for an engine error about this key result."""
        if error.code == "target_equals_start":
            return self.env._(
                "The key result %(kr)s has its target equal to its start "
                "(%(value)s): there would be nothing to achieve.",
                kr=self.name,
                value=error.params.get("start"),
            )
        if error.code == "direction_mismatch":
            return self.env._(
                "The key result %(kr)s should %(direction)s from %(start)s, "
                "but its target is %(target)s. Swap the direction or the "
                "values.",
                kr=self.name,
                direction=dict(
                    self._fields["direction"]._description_selection(self.env)
                )[self.direction].lower(),
                start=error.params.get("start"),
                target=error.params.get("target"),
            )
        if error.code == "confidence_range":
            return self.env._(
                "Confidence is scored from 0 to 10, not %(value)s.",
                value=error.params.get("value"),
            )
        return self.env._(
            "The key result %(kr)s is invalid (%(code)s).",
            kr=self.name,
            code=error.code,
        )

    @api.constrains("confidence")
    def _check_confidence(self):
        for key_result in self:
            try:
                grading.confidence_ok(key_result.confidence)
            except EngineError as error:
                raise ValidationError(key_result._okr_engine_message(error)) from error

    @api.constrains("is_grade_overridden", "grade_override", "grade_note")
    def _check_grade_override(self):
        for key_result in self.filtered("is_grade_overridden"):
            if not (0.0 <= key_result.grade_override <= 1.0):
                raise ValidationError(
                    self.env._(
                        "A grade runs from 0.0 to 1.0; %(grade)s is not one "
                        "(key result %(kr)s).",
                        grade=key_result.grade_override,
                        kr=key_result.name,
                    )
                )
            if not (key_result.grade_note or "").strip():
                raise ValidationError(
                    self.env._(
                        "Say why you override the grade of %(kr)s: the note "
                        "is required.",
                        kr=key_result.name,
                    )
                )

    @api.constrains("owner_id", "contributor_ids", "objective_id")
    def _check_people_company(self):
        for key_result in self:
            # integrity check on companies; nothing is returned to the user
            people = (key_result.owner_id | key_result.contributor_ids).sudo()
            company = key_result.objective_id.company_id
            strangers = people.filtered(
                lambda e, c=company: e.company_id and e.company_id != c
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(people)s do not work for %(company)s, the company of "
                        "the key result %(kr)s.",
                        people=", ".join(strangers.mapped("name")),
                        company=company.name,
                        kr=key_result.name,
                    )
                )

    @api.constrains("source_type", "measure_id")
    def _check_measure_source(self):
        for key_result in self:
            if key_result.source_type == "measure" and not key_result.measure_id:
                raise ValidationError(
                    self.env._(
                        "Choose the measure the key result %(kr)s follows.",
                        kr=key_result.name,
                    )
                )

    @api.onchange("metric_type")
    def _onchange_metric_type(self):
        if self.metric_type == "milestone":
            self.start_value, self.target_value = 0.0, 1.0
            self.direction = "increase"
        elif self.metric_type == "percentage" and not self.unit:
            self.unit = "%"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("metric_type") == "milestone":
                vals.update(start_value=0.0, target_value=1.0, direction="increase")
            if not vals.get("owner_id") and vals.get("objective_id"):
                # Only the owner's id is read, to default the key result's
                # owner; the access rules judge the new record itself.
                objective = (
                    self.env["okr.objective"].sudo().browse(vals["objective_id"])
                )
                vals["owner_id"] = objective.owner_id.id
            if not self.env.su:
                # A new key result starts at its start value; only check-ins
                # move it.
                vals.pop("current_value", None)
                vals.pop("last_checkin_date", None)
        key_results = super().create(vals_list)
        if not self.env.su:
            key_results.objective_id._okr_ensure_key_results_editable()
        return key_results

    def write(self, vals):
        if not self.env.su:
            self._okr_ensure_writable(vals)
        if vals.get("metric_type") == "milestone":
            vals = dict(vals, start_value=0.0, target_value=1.0, direction="increase")
        return super().write(vals)

    def _okr_ensure_writable(self, vals):
        """Refuse what an ordinary write must not do (see the field sets)."""
        checkin_fields = self._okr_checkin_fields.intersection(vals)
        if checkin_fields - {"confidence"} or (
            checkin_fields and self.filtered(lambda kr: kr.objective_state != "draft")
        ):
            raise UserError(
                self.env._(
                    "The current value and confidence of a key result come "
                    "from its check-ins: post a check-in instead."
                )
            )
        if self._okr_locked_fields.intersection(vals):
            self.objective_id._okr_ensure_key_results_editable()
            if vals.get("objective_id"):
                self.env["okr.objective"].browse(
                    vals["objective_id"]
                )._okr_ensure_key_results_editable()
        if self._okr_grading_fields.intersection(vals):
            self._okr_ensure_grading_open()

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su:
            self.objective_id._okr_ensure_key_results_editable()

    def _okr_ensure_grading_open(self):
        # Every write of the grading fields (the back-end form, RPC) asks
        # the rule the portal asks through _okr_give_grade.
        for key_result in self:
            refusal = key_result._okr_grading_refusal()
            if refusal:
                raise UserError(refusal)

    def _okr_grading_window_refusal(self):
        """Why grades of this key result cannot be reviewed now (the cycle
        is not being graded; OKR administrators may correct them any time),
        or False. Checked by every write of the grading fields."""
        self.ensure_one()
        if self.cycle_id.state != "grading" and not (
            self.env.user.has_group("bsc_okr.group_okr_admin")
        ):
            return self.env._(
                "Grades are reviewed while the cycle is being graded; "
                "the cycle %(cycle)s is not.",
                cycle=self.cycle_id.name,
            )
        return False

    def _okr_grading_refusal(self):
        """Why the current user may not grade this key result now, or False.

        The one rule of grading, for the back end and the portal: the cycle
        is being graded, the objective ran (it is graded), and the user may
        edit the key result (its owner, the objective's owner, their
        managers, by the record rules).
        """
        self.ensure_one()
        refusal = self._okr_grading_window_refusal()
        if refusal:
            return refusal
        if not self.objective_is_graded:
            return self.env._(
                "Only objectives that ran are graded; %(objective)s did not.",
                objective=self.objective_id.name,
            )
        if not self.has_access("write"):
            return self.env._(
                "Only the owner of a key result, or of its objective, grades it."
            )
        return False

    def _okr_filter_can_grade(self):
        """The key results of ``self`` the current user may grade now: the
        checks of :meth:`_okr_grading_refusal`, the rights in one query."""
        open_ones = self.filtered(
            lambda kr: kr.objective_is_graded and not kr._okr_grading_window_refusal()
        )
        return open_ones._filtered_access("write")

    def _okr_give_grade(self, grade, note=None):
        """Grade this key result ``grade`` (0.0-1.0) as the current user.

        The measured grade needs no reason and clears an override; any other
        grade overrides it and needs ``note``. Refusals are translated
        UserErrors and ValidationErrors, raised before anything is written.
        """
        self.ensure_one()
        refusal = self._okr_grading_refusal()
        if refusal:
            raise UserError(refusal)
        if (
            isinstance(grade, bool)
            or not isinstance(grade, int | float)
            or not math.isfinite(grade)
            or not 0.0 <= grade <= 1.0
        ):
            raise ValidationError(
                self.env._("A grade runs from 0.0 to 1.0, for example 0.7.")
            )
        grade = round(float(grade), 2)
        note = (note or "").strip()
        if grade == round(grading.kr_grade(self.progress), 2):
            vals = {"is_grade_overridden": False, "grade_override": 0.0}
            if note:
                vals["grade_note"] = note
        else:
            vals = {
                "is_grade_overridden": True,
                "grade_override": grade,
                "grade_note": note or False,
            }
        self.write(vals)
        return True

    # ------------------------------------------------------------------
    # Automatic sources: the live mixin of bsc_okr, or a scorecard measure
    # ------------------------------------------------------------------
    def _live_config_groups(self):
        # OKR managers set up the automatic key results of their team.
        return (*super()._live_config_groups(), "bsc_okr.group_okr_manager")

    def _okr_source_values(self):
        """``{key_result: value}`` read from each automatic source now.

        Live sources aggregate the cycle so far, read as the user who
        configured them; measures give their current (year-to-date) actual.
        Key results whose source has no value yet are left out.
        """
        today = fields.Date.context_today(self)
        values = {}
        for key_result in self:
            cycle = key_result.cycle_id
            if key_result.source_type == "live" and cycle.date_start <= today:
                last_day = min(today, cycle.date_end)
                months = key_result._live_read_months(cycle.date_start, last_day)
                buckets = list(months.get(key_result.id, {}).values())
                value = key_result._live_combine(buckets) if buckets else None
            elif key_result.source_type == "measure" and key_result.measure_id:
                measure = key_result.measure_id
                value = measure.current_actual if measure.last_value_date else None
            else:
                value = None
            if value is not None:
                values[key_result] = value
        return values

    def _okr_refresh_sources(self):
        """Record a check-in for each automatic key result whose value moved.

        Runs as superuser (cron, or after the access check of the button):
        live sources are still read with their configuring user's rights.
        Returns the new check-ins.
        """
        running = self.filtered(
            lambda kr: (
                kr.source_type != "manual"
                and kr.objective_state == "active"
                and kr.cycle_id.state in ("running", "grading")
            )
        )
        vals_list = []
        for key_result, value in running._okr_source_values().items():
            if abs(value - key_result.current_value) <= 1e-9:
                continue
            vals_list.append(
                {
                    "key_result_id": key_result.id,
                    "value": value,
                    "confidence": key_result.confidence,
                    "author_id": key_result.live_user_id.id or SUPERUSER_ID,
                    "comment": self.env._("Updated automatically from its source."),
                }
            )
        running.filtered(lambda kr: kr.source_type == "live").write(
            {"live_refreshed_at": fields.Datetime.now()}
        )
        # automatic check-ins from a source the KR owner configured; authored by the
        # system
        checkins = self.env["okr.checkin"].sudo().create(vals_list)
        # The system's comment, in every reader's language.
        checkins._bsc_localize_generated(
            "comment",
            lambda checkin: checkin.env._("Updated automatically from its source."),
        )
        return checkins

    def action_refresh_source(self):
        """Read the automatic source of these key results now."""
        self.check_access("write")
        # The user may update these key results (checked above); the
        # check-ins are recorded on behalf of the source.
        self.sudo()._okr_refresh_sources()
        return True

    @api.model
    def _cron_refresh_sources(self):
        """Daily: refresh the key results fed by a live source or a measure."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", self._name + ".cron")
        )
        if not self.env.cr.fetchone()[0]:
            return
        self.search(
            [
                ("source_type", "!=", "manual"),
                ("objective_state", "=", "active"),
                ("cycle_id.state", "in", ("running", "grading")),
            ]
        )._okr_refresh_sources()

    # ------------------------------------------------------------------
    # Check-ins
    # ------------------------------------------------------------------
    def _okr_ensure_can_checkin(self):
        """Raise unless the current user may post a check-in on every key
        result of ``self``: its owner, the objective's owner, a contributor,
        or an OKR administrator; and the objective must be running."""
        user = self.env.user
        is_admin = user.has_group("bsc_okr.group_okr_admin") and not user.has_group(
            "bsc_okr.group_kpi_appraisal"
        )
        for key_result in self:
            objective = key_result.objective_id
            # Reading the people of a key result the user asks to update: the
            # answer only allows or refuses the check-in.
            sudo_kr = key_result.sudo()
            allowed = (
                self.env.su
                or is_admin
                or user
                in (
                    sudo_kr.owner_id.user_id
                    | sudo_kr.objective_id.owner_id.user_id
                    | sudo_kr.contributor_ids.user_id
                )
            )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "Only the owner and the contributors of a key result "
                        "may check in on it."
                    )
                )
            # sudo: the user was allowed to check in just above; contributors may not
            # read the objective itself
            sudo_objective = objective.sudo()
            if sudo_objective.state == "cancelled":
                raise UserError(
                    self.env._(
                        "The objective %(objective)s is cancelled: no more check-ins.",
                        objective=sudo_objective.name,
                    )
                )
            if sudo_objective.cycle_id.state == "closed":
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is closed: no more check-ins.",
                        cycle=sudo_objective.cycle_id.name,
                    )
                )
            if sudo_objective.state != "active":
                raise UserError(
                    self.env._(
                        "The objective %(objective)s is not active yet: "
                        "activate it before checking in.",
                        objective=sudo_objective.name,
                    )
                )
            if sudo_objective.cycle_id.state == "planning":
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s has not started yet.",
                        cycle=sudo_objective.cycle_id.name,
                    )
                )

    @api.model
    def _okr_week_start(self, today):
        """The Monday of ``today``'s week: check-ins are weekly."""
        return today - datetime.timedelta(days=today.weekday())

    @api.model
    def _okr_contribution_domain(self, employee_ids):
        """Key results of others' objectives that ``employee_ids`` contribute
        to and may still check in on: the objective is active, its cycle
        running or grading."""
        return [
            ("contributor_ids", "in", employee_ids),
            ("owner_user_id", "!=", self.env.uid),
            ("objective_state", "=", "active"),
            ("cycle_id.state", "in", ("running", "grading")),
        ]

    @api.model
    def _okr_mine_domain(self, user, employee_ids):
        """Key results ``user`` answers for: theirs, those of their own
        objectives, and those their employees ``employee_ids`` contribute to."""
        return [
            "|",
            "|",
            ("owner_user_id", "=", user.id),
            ("objective_id.owner_user_id", "=", user.id),
            ("contributor_ids", "in", employee_ids),
        ]

    @api.model
    def _okr_checkin_due_domain(self, today):
        """Key results that wait for this week's check-in on ``today``: of an
        active objective in a running cycle, not checked in since Monday.
        The weekly reminder and the portal's "check-ins due" both use it."""
        week_start = self._okr_week_start(today)
        return [
            ("objective_state", "=", "active"),
            ("cycle_id.state", "=", "running"),
            "|",
            ("last_checkin_date", "=", False),
            ("last_checkin_date", "<", week_start),
        ]

    @api.model
    def _okr_answered_by_domain(self, users):
        """Key results ``users`` answer for (see :meth:`_okr_answering_users`)."""
        return [
            "|",
            ("owner_user_id", "in", users.ids),
            "&",
            ("owner_user_id", "=", False),
            ("objective_id.owner_user_id", "in", users.ids),
        ]

    def _okr_answering_users(self):
        """``{user id: key results}``: the one person the weekly reminder
        asks about each key result of ``self``: its owner's user or, when
        its owner has no user, the objective owner's. Contributors help; the
        owner answers."""
        people = defaultdict(self.browse)
        for key_result in self:
            user = key_result.owner_user_id or key_result.objective_id.owner_user_id
            if user:
                people[user.id] |= key_result
        return dict(people)

    @api.model
    def _okr_answering_user_ids(self, domain):
        """The ids of the users who answer for the key results of ``domain``
        (:meth:`_okr_answering_users`), found by grouped reads: as many
        queries for 80,000 key results as for 8."""
        user_ids = {
            user.id
            for [user] in self._read_group(
                expression.AND([domain, [("owner_user_id", "!=", False)]]),
                ["owner_user_id"],
            )
        }
        orphans = self._read_group(
            expression.AND([domain, [("owner_user_id", "=", False)]]),
            ["objective_id"],
        )
        objectives = self.env["okr.objective"].browse(
            objective.id for [objective] in orphans
        )
        return user_ids | set(objectives.owner_user_id.ids)

    def _okr_checkin_url(self, user):
        """The absolute link that opens the check-in of this key result for
        ``user``, prefilled with its last value: the portal form for portal
        users, the quick check-in of the back end otherwise."""
        self.ensure_one()
        if user.share:
            path = f"/my/key-results/{self.id}/checkin#okr_checkin_{self.id}"
        else:
            path = (
                f"/odoo/okr.key.result/{self.id}"
                "/action-bsc_okr.okr_key_result_action_checkin"
            )
        return self.get_base_url() + path

    def _okr_reminder_items(self, user, lang):
        """What the weekly reminder lists for ``user`` about the key results
        of ``self``, in ``lang``: name, last value, unit, confidence and the
        check-in link. Read in one batch for all of them."""
        items = []
        for key_result in self.with_context(lang=lang):
            value = key_result.current_value
            if key_result.metric_type == "milestone":
                shown = (
                    key_result.env._("done")
                    if value >= 1.0
                    else key_result.env._("not done")
                )
                unit = ""
            else:
                shown = formatLang(
                    key_result.env, value, digits=0 if value.is_integer() else 2
                )
                unit = key_result.unit or (
                    key_result.currency_id.symbol
                    if key_result.metric_type == "currency"
                    else ""
                )
            items.append(
                {
                    "name": key_result.name,
                    "value": shown,
                    "unit": unit or "",
                    "confidence": key_result.confidence,
                    "url": key_result._okr_checkin_url(user),
                }
            )
        return items

    @api.model
    def _okr_action_checkin_link(self, key_result_id):
        """The quick check-in of one key result, opened by the link of the
        weekly reminder (``/odoo/okr.key.result/<id>/action-...``)."""
        key_result = self.browse()
        if isinstance(key_result_id, int):
            key_result = self.browse(key_result_id).exists()
        if not key_result:
            raise UserError(self.env._("This key result no longer exists."))
        return key_result.action_quick_checkin()

    @api.model
    def _okr_direction_of(self, start, target):
        """The direction a key result from ``start`` to ``target`` moves in."""
        return "decrease" if target < start else "increase"

    def _okr_filter_can_checkin(self):
        """The key results of ``self`` the current user may check in on now."""
        allowed = self.browse()
        for key_result in self:
            try:
                key_result._okr_ensure_can_checkin()
            except (AccessError, UserError):
                continue
            allowed |= key_result
        return allowed

    def _okr_latest_checkin_values(self):
        """``{key result id: values}``: what the latest check-in of each key
        result of ``self`` makes its current value, confidence and last
        check-in date; a key result without check-ins goes back to its start
        value. The one rule for "latest": date, then id, descending. Both the
        synchronous copy and the roll-up job apply these values.
        """
        if not self:
            return {}
        self.env["okr.checkin"].flush_model(
            ["key_result_id", "date", "value", "confidence"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (key_result_id)
                       key_result_id, value, confidence, date
                  FROM okr_checkin
                 WHERE key_result_id IN %s
                 ORDER BY key_result_id, date DESC, id DESC
                """,
                tuple(self.ids),
            )
        )
        latest = {
            kr_id: {
                "current_value": value,
                "confidence": confidence,
                "last_checkin_date": day,
            }
            for kr_id, value, confidence, day in self.env.cr.fetchall()
        }
        for key_result in self.sudo():
            if key_result.id not in latest:
                latest[key_result.id] = {
                    "current_value": key_result.start_value,
                    "last_checkin_date": False,
                }
        return latest

    def _okr_pending_figures(self):
        """``{key result id: {"value", "confidence", "progress"}}`` for the
        key results of ``self`` that a deferred check-in moved but the roll-up
        job has not reached yet: what a page shows instead of the stored
        figures, so that the author sees the new value at once. Empty when
        the roll-up is synchronous (the stored figures are already current).
        """
        Checkin = self.env["okr.checkin"]
        if not self or not Checkin._okr_rollup_deferred_mode():
            return {}
        # The pending rows are few (a partial index): most pages find none.
        pending = Checkin.search(
            [("key_result_id", "in", self.ids), ("rollup_pending", "=", True)]
        ).key_result_id
        if not pending:
            return {}
        latest = pending._okr_latest_checkin_values()
        return {
            kr.id: {
                "value": latest[kr.id]["current_value"],
                "confidence": latest[kr.id].get("confidence", kr.confidence),
                "progress": kr._okr_progress_of(latest[kr.id]["current_value"]),
            }
            for kr in pending
        }

    def _okr_sync_from_checkins(self):
        """Copy the latest check-in of each key result onto it.

        Called after check-ins were created, corrected or deleted; the caller
        has checked the user's right to do so. One query finds the latest
        check-in of every key result.
        """
        latest = self._okr_latest_checkin_values()
        for key_result in self.sudo():
            key_result.write(latest[key_result.id])

    def push_checkin(self, value, confidence=None, comment=None, date=None):
        """Post a check-in on this key result; the RPC entry point.

        ``value`` must be a number (a string holding one is accepted),
        ``confidence`` 0-10 (the current one when omitted), ``date`` an ISO
        date (today when omitted). Returns the id of the new check-in.
        """
        self.ensure_one()
        vals = {
            "key_result_id": self.id,
            "value": value,
            "comment": comment or False,
        }
        if confidence is not None:
            vals["confidence"] = confidence
        if date:
            vals["date"] = date
        # An RPC entry point many clients call at once: deferred roll-up
        # when the mode is on (see okr.checkin._okr_rollup_deferred).
        return (
            self.env["okr.checkin"]
            .with_context(okr_deferred_rollup=True)
            .create(vals)
            .id
        )

    def action_quick_checkin(self):
        """Open the quick check-in on this key result."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check In"),
            "res_model": "okr.checkin.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_objective_id": self.objective_id.id,
                "default_key_result_ids": [self.id],
            },
        }

    def action_view_checkins(self):
        """The check-in history of this key result, charted."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_checkin_action"
        )
        action.update(
            domain=[("key_result_id", "=", self.id)],
            context={"default_key_result_id": self.id},
            view_mode="graph,list,form",
        )
        return action
