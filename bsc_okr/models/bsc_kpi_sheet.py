from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import scoring

STATUS_SELECTION = [
    ("green", "On Target"),
    ("amber", "At Risk"),
    ("red", "Off Target"),
    ("no_data", "No Data"),
]


class BscKpiSheet(models.Model):
    """The KPI appraisal of one employee for one appraisal period.

    Its score is the weighted mean of its assignments' scores (the engine's
    roll-up: assignments without an actual are left out and lower the
    coverage). Nothing here reads an OKR model: OKRs are for stretch and
    learning, never for appraisal (docs/security.md).
    """

    _name = "bsc.kpi.sheet"
    _description = "KPI Sheet"
    _order = "period_id desc, employee_id, id"
    _rec_names_search = ["employee_id", "period_id"]

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, ondelete="restrict"
    )
    employee_user_id = fields.Many2one(
        related="employee_id.user_id", string="Employee User", store=True
    )
    period_id = fields.Many2one(
        "bsc.appraisal.period",
        string="Appraisal Period",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(related="period_id.company_id", store=True, index=True)
    department_id = fields.Many2one(
        "hr.department",
        compute="_compute_org",
        store=True,
        readonly=False,
        help="The employee's department when the sheet was made (pivots group by it).",
    )
    manager_id = fields.Many2one(
        "hr.employee",
        compute="_compute_org",
        store=True,
        readonly=False,
        help="Who enters the actuals: the employee's manager when the sheet was made.",
    )
    assignment_ids = fields.One2many(
        "bsc.kpi.assignment", "sheet_id", string="KPI Assignments"
    )
    assignment_count = fields.Integer(compute="_compute_score", store=True)
    weight_total = fields.Float(compute="_compute_score", store=True)
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Weighted mean (0-10) of the scores of the assignments that "
        "have an actual.",
    )
    status = fields.Selection(
        STATUS_SELECTION, compute="_compute_score", store=True, default="no_data"
    )
    coverage = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Share of the weight whose actual is entered (0..1).",
    )
    note = fields.Text(help="HR's notes on this appraisal.")
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

    _sql_constraints = [
        (
            "employee_period_unique",
            "UNIQUE(employee_id, period_id)",
            "An employee has one KPI sheet per appraisal period.",
        ),
    ]

    @api.depends("employee_id")
    def _compute_org(self):
        for sheet in self:
            sheet.department_id = sheet.employee_id.department_id
            sheet.manager_id = sheet.employee_id.parent_id

    @api.depends(
        "assignment_ids.score", "assignment_ids.weight", "assignment_ids.has_actual"
    )
    def _compute_score(self):
        for sheet in self:
            lines = sheet.assignment_ids
            result = scoring.rollup(
                [
                    (line.score if line.has_actual else None, line.weight)
                    for line in lines
                ]
            )
            sheet.assignment_count = len(lines)
            sheet.weight_total = sum(lines.mapped("weight"))
            sheet.score = result.score or 0.0
            sheet.status = result.status
            sheet.coverage = result.coverage

    @api.depends_context("uid")
    def _compute_user_is_appraisal(self):
        value = self.env.user.has_group("bsc_okr.group_kpi_appraisal")
        for sheet in self:
            sheet.user_is_appraisal = value

    @api.depends("employee_id", "period_id")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = self.env._(
                "%(employee)s – %(period)s",
                employee=sheet.employee_id.name or "",
                period=sheet.period_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        sheets = super().create(vals_list)
        sheets._kpi_ensure_open()
        return sheets

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._("Use the Confirm and Reset buttons to change the state.")
            )
        if not self.env.su:
            self._kpi_ensure_open()
            if set(vals) - {"note"} and any(s.state == "confirmed" for s in self):
                raise UserError(
                    self.env._(
                        "A confirmed KPI sheet cannot change: reset it to draft first."
                    )
                )
        return super().write(vals)

    @api.model
    def _kpi_my_domain(self, user):
        """``user``'s own sheets: "My KPI Sheet" shows theirs, not the team's
        (which the record rules would let a manager read)."""
        return [("employee_user_id", "=", user.id)]

    def _kpi_ensure_open(self):
        closed = self.filtered(lambda s: s.period_id.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "The appraisal period %(period)s is closed: its KPI sheets "
                    "cannot change.",
                    period=closed[0].period_id.name,
                )
            )

    def action_confirm(self):
        """Confirm the sheets and all their assignments (HR only).

        Every assignment needs an actual first: a sheet is not confirmed on
        partial data.
        """
        self.check_access("write")
        self._kpi_ensure_open()
        for sheet in self:
            if not sheet.assignment_ids:
                raise UserError(
                    self.env._(
                        "The KPI sheet %(sheet)s has no KPI to appraise.",
                        sheet=sheet.display_name,
                    )
                )
            missing = sheet.assignment_ids.filtered(lambda a: not a.has_actual)
            if missing:
                raise UserError(
                    self.env._(
                        "The KPI sheet %(sheet)s cannot be confirmed: no actual "
                        "yet for %(kpis)s.",
                        sheet=sheet.display_name,
                        kpis=", ".join(missing.mapped("name")),
                    )
                )
        # sudo: states are written only by these actions, after the checks
        # above (write access on the sheets, i.e. KPI appraisal staff).
        self.assignment_ids.sudo().write({"state": "confirmed"})
        self.sudo().write({"state": "confirmed"})

    def action_reset_draft(self):
        """Back to draft (HR only), e.g. to correct an actual."""
        self.check_access("write")
        self._kpi_ensure_open()
        # sudo: see action_confirm.
        self.assignment_ids.sudo().write({"state": "draft"})
        self.sudo().write({"state": "draft"})
