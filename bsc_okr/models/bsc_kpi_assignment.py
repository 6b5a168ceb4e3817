from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import EngineError, scoring
from .bsc_kpi_sheet import STATUS_SELECTION

#: Execution approaches whose measures may be appraised (fusion mode 2: clear
#: objectives run by KPIs are appraised, stretch ones run by OKRs are not).
APPRAISABLE_APPROACHES = ("kpi", "both")


class BscKpiAssignment(models.Model):
    """One KPI on an employee's sheet: a BSC measure or an individual KPI.

    HR sets the target and weight; whoever manages the employee (manager
    chain or head of the department) enters the actual and comments. The
    score comes from the same engine as the scorecard
    (``engine.scoring.score_measure``). Only measures of strategic
    objectives run by KPIs (execution approach KPI or both) qualify.
    """

    _name = "bsc.kpi.assignment"
    _description = "KPI Assignment"
    _inherit = ["bsc.scoring.rule.mixin", "bsc.authored.text.mixin"]
    _order = "sheet_id, sequence, id"

    #: Copied from the measure or KPI definition (HR may adjust them).
    _kpi_source_fields = (
        "name",
        "unit_label",
        "polarity",
        "baseline",
        "range_min",
        "range_max",
        "target",
    )
    #: What the employee's manager (not HR) may write.
    _kpi_manager_fields = frozenset({"actual", "comments"})

    sequence = fields.Integer(default=10)
    sheet_id = fields.Many2one(
        "bsc.kpi.sheet",
        string="KPI Sheet",
        required=True,
        index=True,
        ondelete="cascade",
    )
    employee_id = fields.Many2one(related="sheet_id.employee_id", store=True)
    period_id = fields.Many2one(related="sheet_id.period_id", store=True)
    department_id = fields.Many2one(related="sheet_id.department_id", store=True)
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    source = fields.Selection(
        [("measure", "BSC Measure"), ("definition", "Individual KPI")],
        required=True,
        default="definition",
        help="A measure of the strategy map (its objective must be run by "
        "KPIs) or an individual KPI definition.",
    )
    measure_id = fields.Many2one(
        "bsc.measure",
        string="BSC Measure",
        index=True,
        ondelete="restrict",
        domain=[("objective_id.execution_approach", "in", APPRAISABLE_APPROACHES)],
    )
    definition_id = fields.Many2one(
        "bsc.kpi.definition",
        string="Individual KPI",
        index=True,
        ondelete="restrict",
    )
    name = fields.Char(
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        translate=True,
    )
    unit_label = fields.Char(
        string="Unit",
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        translate=True,
    )
    # No default: the polarity comes from the source (a default would be
    # written at create and win over the compute).
    polarity = fields.Selection(
        compute="_compute_from_source",
        precompute=True,
        store=True,
        readonly=False,
        default=None,
    )
    baseline = fields.Float(
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        aggregator=None,
    )
    range_min = fields.Float(
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        aggregator=None,
    )
    range_max = fields.Float(
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        aggregator=None,
    )
    target = fields.Float(
        compute="_compute_from_source",
        store=True,
        readonly=False,
        precompute=True,
        aggregator=None,
    )
    weight = fields.Float(default=1.0, aggregator="sum")
    actual = fields.Float(aggregator="avg")
    has_actual = fields.Boolean(
        readonly=True,
        help="Set when the actual is entered: an actual of 0 is a value, an "
        "empty actual is no data.",
    )
    actual_date = fields.Datetime(readonly=True, string="Actual Entered On")
    actual_user_id = fields.Many2one(
        "res.users", readonly=True, string="Actual Entered By"
    )
    achievement = fields.Float(
        compute="_compute_score", store=True, aggregator="avg", digits=(16, 4)
    )
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="0-10, from the scorecard's scoring engine.",
    )
    status = fields.Selection(
        STATUS_SELECTION, compute="_compute_score", store=True, default="no_data"
    )
    comments = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")],
        required=True,
        default="draft",
        readonly=True,
        index=True,
    )
    user_is_appraisal = fields.Boolean(
        compute="_compute_user_is_appraisal",
        help="Technical: the reader runs the KPI appraisal (may set targets "
        "and weights).",
    )

    user_can_enter_actual = fields.Boolean(
        compute="_compute_user_is_appraisal",
        help="Technical: the reader may enter the actual (HR, or someone "
        "else's KPI; the record rules decide whose).",
    )

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK(weight >= 0)",
            "The weight of a KPI cannot be negative.",
        ),
        (
            "one_source",
            "CHECK((source = 'measure' AND measure_id IS NOT NULL "
            "AND definition_id IS NULL) OR (source = 'definition' AND "
            "definition_id IS NOT NULL AND measure_id IS NULL))",
            "A KPI assignment points at exactly one BSC measure or one individual KPI.",
        ),
    ]

    @api.depends("source", "measure_id", "definition_id")
    def _compute_from_source(self):
        for line in self:
            kpi = line.measure_id if line.source == "measure" else line.definition_id
            if not kpi:
                # Refused by the one_source constraint; keep what is there.
                line.update({name: line[name] for name in self._kpi_source_fields})
                continue
            line.name = kpi.name
            line.polarity = kpi.polarity
            line.baseline = kpi.baseline
            line.range_min = kpi.range_min
            line.range_max = kpi.range_max
            line.target = kpi.target
            if line.source == "measure":
                line.unit_label = kpi._unit_display_label()
            else:
                line.unit_label = kpi.unit_label

    @api.depends(
        "actual",
        "has_actual",
        "target",
        "baseline",
        "polarity",
        "range_min",
        "range_max",
        "measure_id",
    )
    def _compute_score(self):
        for line in self:
            bands = (
                line.measure_id._get_bands()
                if line.measure_id
                else scoring.DEFAULT_BANDS
            )
            try:
                result = scoring.score_measure(
                    line.actual if line.has_actual else None,
                    line.target,
                    line.baseline,
                    line.polarity,
                    bands,
                    line.range_min if line.polarity == "range" else None,
                    line.range_max if line.polarity == "range" else None,
                )
            except EngineError:
                # An inverted range is refused by _check_range; nothing to score.
                result = scoring.MeasureScore(None, None, scoring.NO_DATA)
            line.achievement = result.achievement or 0.0
            line.score = result.score or 0.0
            line.status = result.status

    @api.depends_context("uid")
    def _compute_user_is_appraisal(self):
        value = self.env.user.has_group("bsc_okr.group_kpi_appraisal")
        for line in self:
            line.user_is_appraisal = value
            # A screen hint only: the record rules decide.
            line.user_can_enter_actual = value or (
                line.employee_id.user_id != self.env.user
            )

    @api.constrains("measure_id")
    def _check_measure_appraisable(self):
        for line in self:
            objective = line.measure_id.objective_id
            if line.measure_id and objective.execution_approach not in (
                APPRAISABLE_APPROACHES
            ):
                raise ValidationError(
                    self.env._(
                        "The measure %(measure)s cannot be appraised: its "
                        "strategic objective %(objective)s is run by OKRs, and "
                        "OKRs stay out of appraisal.",
                        measure=line.measure_id.name,
                        objective=objective.name,
                    )
                )

    @api.onchange("source")
    def _onchange_source(self):
        if self.source == "measure":
            self.definition_id = False
        else:
            self.measure_id = False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kpi_stamp_actual(vals)
        lines = super().create(vals_list)
        if not self.env.su:
            lines.sheet_id._kpi_ensure_open()
            if any(line.sheet_id.state == "confirmed" for line in lines):
                raise UserError(
                    self.env._(
                        "A confirmed KPI sheet cannot change: reset it to draft first."
                    )
                )
        return lines

    def write(self, vals):
        if not self.env.su:
            self._kpi_ensure_writable(vals)
        self._kpi_stamp_actual(vals)
        return super().write(vals)

    def _kpi_stamp_actual(self, vals):
        if "actual" in vals:
            vals.update(
                has_actual=vals["actual"] is not False and vals["actual"] is not None,
                actual_date=fields.Datetime.now(),
                actual_user_id=self.env.uid,
            )
            if not vals["has_actual"]:
                vals["actual"] = 0.0

    def _kpi_ensure_writable(self, vals):
        """Refuse what record rules cannot: state changes outside the
        buttons, confirmed or closed sheets, and managers touching anything
        but the actual and comments."""
        if "state" in vals:
            raise UserError(
                self.env._("Use the Confirm and Reset buttons to change the state.")
            )
        self.sheet_id._kpi_ensure_open()
        if any(line.state == "confirmed" for line in self):
            raise UserError(
                self.env._(
                    "A confirmed KPI cannot change: HR resets its sheet to draft first."
                )
            )
        if not self.env.user.has_group("bsc_okr.group_kpi_appraisal"):
            forbidden = set(vals) - self._kpi_manager_fields
            if forbidden:
                raise UserError(
                    self.env._(
                        "Managers enter actuals and comments only; targets and "
                        "weights are set by HR (refused: %(fields)s).",
                        fields=", ".join(sorted(forbidden)),
                    )
                )

    def action_confirm(self):
        """Confirm assignments whose actual is entered (manager or HR)."""
        self.check_access("write")
        self.sheet_id._kpi_ensure_open()
        missing = self.filtered(lambda a: not a.has_actual)
        if missing:
            raise UserError(
                self.env._(
                    "Enter the actual of %(kpis)s before confirming.",
                    kpis=", ".join(missing.mapped("name")),
                )
            )
        # sudo: the state is written only by these actions, after the write
        # check above (the record rules: HR, or the employee's manager).
        self.sudo().write({"state": "confirmed"})

    def action_reset_draft(self):
        """Back to draft (HR only)."""
        if not self.env.user.has_group("bsc_okr.group_kpi_appraisal"):
            raise UserError(self.env._("Only HR resets a confirmed KPI to draft."))
        self.check_access("write")
        self.sheet_id._kpi_ensure_open()
        if any(line.sheet_id.state == "confirmed" for line in self):
            raise UserError(self.env._("Reset the KPI sheet itself: it is confirmed."))
        # sudo: see action_confirm.
        self.sudo().write({"state": "draft"})
