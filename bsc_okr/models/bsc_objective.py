from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import html_translate


class BscObjective(models.Model):
    """A strategic objective on the map, in one perspective.

    Its score rolls up from its measures; ``execution_approach`` records
    how it is driven (fusion mode 2 of the method: clear objectives by KPIs,
    uncertain or breakthrough ones by OKRs, outside appraisal).
    """

    _name = "bsc.objective"
    _description = "Strategic Objective"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "bsc.score.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "scorecard_id, perspective_sequence, sequence, id"

    name = fields.Char(required=True, tracking=True, translate=True)
    description = fields.Html(translate=html_translate)
    sequence = fields.Integer(default=10)
    scorecard_id = fields.Many2one(
        "bsc.scorecard",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    scorecard_state = fields.Selection(related="scorecard_id.state")
    perspective_id = fields.Many2one(
        "bsc.perspective",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        domain="[('scorecard_id', '=', scorecard_id)]",
    )
    perspective_sequence = fields.Integer(
        related="perspective_id.sequence", store=True, string="Perspective Order"
    )
    theme_ids = fields.Many2many(
        "bsc.theme",
        domain="[('company_id', 'in', [company_id, False])]",
    )
    owner_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    department_id = fields.Many2one(
        "hr.department",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    weight = fields.Float(
        default=1.0,
        tracking=True,
        help="Weight of this objective in its perspective's score (re-normalised "
        "over the objectives that have data).",
    )
    execution_approach = fields.Selection(
        [
            ("kpi", "KPI"),
            ("okr", "OKR"),
            ("both", "KPI and OKR"),
        ],
        required=True,
        default="kpi",
        tracking=True,
        help="How this objective is driven (fusion mode 2: the strategy map "
        "seeds OKRs). KPI: a clear objective, managed by measures with targets "
        "and eligible for the KPI appraisal. OKR: an uncertain, stretch or "
        "breakthrough objective, pursued through quarterly OKRs aligned to it "
        "and never used for appraisal. KPI and OKR: both run in parallel, the "
        "KPIs appraised, the OKRs not.",
    )
    measure_ids = fields.One2many("bsc.measure", "objective_id")
    initiative_ids = fields.Many2many(
        "bsc.initiative",
        "bsc_initiative_objective_rel",
        "objective_id",
        "initiative_id",
        string="Initiatives",
    )
    drives_link_ids = fields.One2many(
        "bsc.objective.link",
        "cause_id",
        string="Drives",
        help="Cause-effect links from this objective to the objectives it enables.",
    )
    driven_by_link_ids = fields.One2many(
        "bsc.objective.link",
        "effect_id",
        string="Driven By",
        help="Cause-effect links from the objectives that enable this one.",
    )
    score_ids = fields.One2many("bsc.score", "objective_id", string="Score History")
    color = fields.Integer(compute="_compute_color")

    @api.depends("current_status")
    def _compute_color(self):
        colors = {"green": 10, "amber": 2, "red": 1, "no_data": 0}
        for objective in self:
            objective.color = colors.get(objective.current_status, 0)

    @api.constrains("weight")
    def _check_weight(self):
        for objective in self:
            if objective.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the objective %(name)s cannot be negative "
                        "(%(weight)s).",
                        name=objective.name,
                        weight=objective.weight,
                    )
                )

    @api.constrains("scorecard_id")
    def _check_links_scorecard(self):
        for objective in self:
            links = objective.driven_by_link_ids | objective.drives_link_ids
            if links.filtered(
                lambda lk, o=objective: lk.scorecard_id != o.scorecard_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(name)s has cause-effect links in its scorecard: remove "
                        "them before moving it to another scorecard.",
                        name=objective.name,
                    )
                )

    @api.constrains("perspective_id", "scorecard_id")
    def _check_perspective(self):
        for objective in self:
            if objective.perspective_id.scorecard_id != objective.scorecard_id:
                raise ValidationError(
                    self.env._(
                        "The perspective %(perspective)s belongs to another "
                        "scorecard than the objective %(name)s.",
                        perspective=objective.perspective_id.name,
                        name=objective.name,
                    )
                )
