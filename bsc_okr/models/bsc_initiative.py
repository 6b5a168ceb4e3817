from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import html_translate

from ..engine import grading, scoring


class BscInitiative(models.Model):
    """An initiative of the strategic action plan.

    Milestones are quantified results (metric, start, target, current, due
    date), not prose; the initiative's progress is their weighted mean.
    ``origin`` tells where it came from (e.g. a promoted learning plan, whose
    part adds ``learning_plan_id``).
    """

    _name = "bsc.initiative"
    _description = "Strategic Initiative"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "bsc.progress.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "sequence, date_start, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=html_translate)
    objective_ids = fields.Many2many(
        "bsc.objective",
        "bsc_initiative_objective_rel",
        "initiative_id",
        "objective_id",
        string="Objectives",
        domain="[('company_id', '=', company_id)]",
    )
    scorecard_id = fields.Many2one(
        "bsc.scorecard",
        compute="_compute_scorecard_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        ondelete="set null",
        help="The strategy map this initiative serves; taken from its first objective.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    owner_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    department_id = fields.Many2one(
        "hr.department", domain="[('company_id', 'in', [company_id, False])]"
    )
    date_start = fields.Date(tracking=True)
    date_end = fields.Date(tracking=True)
    budget = fields.Monetary(tracking=True)
    actual_cost = fields.Monetary(tracking=True)
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("approved", "Approved"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="proposed",
        tracking=True,
        group_expand=True,
    )
    milestone_ids = fields.One2many(
        "bsc.initiative.milestone", "initiative_id", string="Milestones", copy=True
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Weighted mean progress of the milestones (1.0 = all reached).",
    )
    origin = fields.Char(
        help="Where the initiative came from, e.g. the learning plan it was "
        "promoted from.",
        translate=True,
    )
    color = fields.Integer()

    @api.depends("objective_ids")
    def _compute_scorecard_id(self):
        for initiative in self:
            if initiative.objective_ids:
                initiative.scorecard_id = initiative.objective_ids[:1].scorecard_id

    @api.depends("milestone_ids.progress", "milestone_ids.weight")
    def _compute_progress(self):
        for initiative in self:
            progress = grading.weighted_mean(
                (m.progress, m.weight) for m in initiative.milestone_ids
            )
            initiative.progress = progress or 0.0

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for initiative in self:
            if (
                initiative.date_start
                and initiative.date_end
                and initiative.date_start > initiative.date_end
            ):
                raise ValidationError(
                    self.env._(
                        "The initiative %(name)s ends before it starts.",
                        name=initiative.name,
                    )
                )

    @api.constrains("budget", "actual_cost")
    def _check_amounts(self):
        for initiative in self:
            if initiative.budget < 0 or initiative.actual_cost < 0:
                raise ValidationError(
                    self.env._(
                        "The budget and actual cost of %(name)s cannot be negative.",
                        name=initiative.name,
                    )
                )

    @api.constrains("objective_ids", "company_id")
    def _check_objectives(self):
        for initiative in self:
            if initiative.objective_ids.company_id - initiative.company_id:
                raise ValidationError(
                    self.env._(
                        "The objectives of %(name)s must belong to its company.",
                        name=initiative.name,
                    )
                )

    def _cost_ratios(self):
        """{initiative id: the share of its budget spent (1.0 = all of it),
        or None without a budget}: :func:`..engine.scoring.cost_ratio`.
        The Excel scorecard's "Cost / budget" column."""
        return {
            initiative.id: scoring.cost_ratio(initiative.actual_cost, initiative.budget)
            for initiative in self
        }

    def action_approve(self):
        self.write({"state": "approved"})

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})
