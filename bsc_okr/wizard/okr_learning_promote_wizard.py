from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class OkrLearningPromoteWizard(models.TransientModel):
    """Promote an adopted or piloted learning plan into the Balanced
    Scorecard (fusion mode 3, step 8: the plan enters the BSC's execution).

    Creates an initiative in the chosen scorecard, or links an existing
    one, serving existing strategic objectives and/or a new one (in the
    chosen perspective), optionally with a new measure; the plan's key
    results become the initiative's quantified milestones; the plan and the
    initiative point at each other.

    Everything is validated before the first record is created, and the
    whole promotion runs in the request's transaction: an error at any
    point leaves nothing behind.
    """

    _name = "okr.learning.promote.wizard"
    _description = "Promote a Learning Plan"

    plan_id = fields.Many2one("okr.learning.plan", required=True, readonly=True)
    company_id = fields.Many2one(related="plan_id.company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    decision = fields.Selection(related="plan_id.decision")
    scorecard_id = fields.Many2one(
        "bsc.scorecard",
        required=True,
        domain="[('company_id', '=', company_id), ('state', '!=', 'archived')]",
        default=lambda self: self._default_scorecard_id(),
    )
    perspective_id = fields.Many2one(
        "bsc.perspective",
        domain="[('scorecard_id', '=', scorecard_id)]",
        help="Where the new strategic objective goes (Learning & Growth by default).",
    )
    initiative_mode = fields.Selection(
        [("new", "Create an initiative"), ("link", "Link an existing initiative")],
        required=True,
        default="new",
    )
    initiative_id = fields.Many2one(
        "bsc.initiative",
        string="Existing Initiative",
        domain="[('scorecard_id', '=', scorecard_id), "
        "('learning_plan_id', '=', False), ('state', '!=', 'cancelled')]",
    )
    initiative_name = fields.Char(
        compute="_compute_initiative_defaults", store=True, readonly=False
    )
    owner_id = fields.Many2one(
        "hr.employee",
        compute="_compute_initiative_defaults",
        store=True,
        readonly=False,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    date_start = fields.Date(default=fields.Date.context_today)
    date_end = fields.Date(
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=6)
    )
    budget = fields.Monetary(
        compute="_compute_initiative_defaults",
        store=True,
        readonly=False,
        help="Defaults to the budget the executives granted.",
    )
    objective_ids = fields.Many2many(
        "bsc.objective",
        string="Serves Objectives",
        domain="[('scorecard_id', '=', scorecard_id)]",
        help="Existing strategic objectives the initiative serves.",
    )
    create_objective = fields.Boolean(string="New Strategic Objective")
    objective_name = fields.Char()
    objective_approach = fields.Selection(
        [("kpi", "KPI"), ("okr", "OKR"), ("both", "KPI and OKR")],
        default="okr",
        string="Execution Approach",
    )
    create_measure = fields.Boolean(string="New Measure")
    measure_name = fields.Char()
    measure_target = fields.Float()
    add_milestones = fields.Boolean(
        string="Key Results as Milestones",
        default=True,
        help="Each learning key result becomes a milestone of the initiative "
        "(metric, start, target and current value).",
    )

    @api.model
    def _default_scorecard_id(self):
        plan = self.env["okr.learning.plan"].browse(
            self.env.context.get("default_plan_id")
        )
        company = plan.company_id or self.env.company
        Scorecard = self.env["bsc.scorecard"]
        return Scorecard.search(
            [("company_id", "=", company.id), ("state", "=", "active")], limit=1
        ) or Scorecard.search(
            [("company_id", "=", company.id), ("state", "!=", "archived")], limit=1
        )

    @api.depends("plan_id")
    def _compute_initiative_defaults(self):
        for wizard in self:
            plan = wizard.plan_id
            wizard.initiative_name = plan.name
            wizard.owner_id = plan.owner_id
            wizard.budget = plan.decision_id.budget

    @api.onchange("scorecard_id")
    def _onchange_scorecard_id(self):
        """A new strategic objective goes to Learning & Growth by default."""
        if self.perspective_id.scorecard_id != self.scorecard_id:
            self.perspective_id = self.scorecard_id.perspective_ids.filtered(
                lambda p: p.kind == "learning"
            )[:1]
        self.objective_ids = self.objective_ids.filtered(
            lambda o: o.scorecard_id == self.scorecard_id
        )
        if self.initiative_id.scorecard_id != self.scorecard_id:
            self.initiative_id = False

    # ------------------------------------------------------------------
    # Validation (before anything is written)
    # ------------------------------------------------------------------
    def _validate_input(self):
        """Every refusal, with its reason, before the first record exists."""
        self.ensure_one()
        self.plan_id._learning_ensure_can_promote()
        self._validate_scorecard()
        self._validate_objectives()
        if self.initiative_mode == "link":
            self._validate_linked_initiative()
        elif not (self.initiative_name or "").strip():
            raise UserError(self.env._("Name the new initiative."))
        if self.date_start and self.date_end and self.date_start > self.date_end:
            raise UserError(self.env._("The initiative ends before it starts."))
        if self.budget < 0:
            raise UserError(self.env._("The budget cannot be negative."))

    def _validate_scorecard(self):
        plan, scorecard = self.plan_id, self.scorecard_id
        scorecard.check_access("read")
        if scorecard.company_id != plan.company_id:
            raise UserError(
                self.env._(
                    "The scorecard %(scorecard)s belongs to another company than "
                    "the learning plan %(plan)s.",
                    scorecard=scorecard.display_name,
                    plan=plan.display_name,
                )
            )
        if scorecard.state == "archived":
            raise UserError(
                self.env._(
                    "The scorecard %(scorecard)s is archived; choose a draft or "
                    "active one.",
                    scorecard=scorecard.display_name,
                )
            )

    def _validate_objectives(self):
        scorecard = self.scorecard_id
        strangers = self.objective_ids.filtered(lambda o: o.scorecard_id != scorecard)
        if strangers:
            raise UserError(
                self.env._(
                    "%(objectives)s are not objectives of %(scorecard)s.",
                    objectives=", ".join(strangers.mapped("display_name")),
                    scorecard=scorecard.display_name,
                )
            )
        if self.create_objective:
            if not (self.objective_name or "").strip():
                raise UserError(self.env._("Name the new strategic objective."))
            if self.perspective_id.scorecard_id != scorecard:
                raise UserError(
                    self.env._(
                        "Choose the perspective of %(scorecard)s where the new "
                        "strategic objective goes.",
                        scorecard=scorecard.display_name,
                    )
                )
        has_objective = self.create_objective or self.objective_ids
        if self.create_measure:
            if not (self.measure_name or "").strip():
                raise UserError(self.env._("Name the new measure."))
            if not has_objective:
                raise UserError(
                    self.env._(
                        "A measure belongs to a strategic objective: choose one "
                        "or create one."
                    )
                )
        if self.initiative_mode == "new" and not has_objective:
            raise UserError(
                self.env._(
                    "An initiative serves strategic objectives: choose at least "
                    "one, or create one."
                )
            )

    def _validate_linked_initiative(self):
        initiative, scorecard = self.initiative_id, self.scorecard_id
        if not initiative:
            raise UserError(self.env._("Choose the initiative to link."))
        initiative.check_access("read")
        if initiative.learning_plan_id:
            raise UserError(
                self.env._(
                    "The initiative %(initiative)s already comes from the "
                    "learning plan %(plan)s.",
                    initiative=initiative.display_name,
                    # sudo: the initiative was read-checked above; the plan's name
                    # belongs to the strategy it was promoted into
                    plan=initiative.sudo().learning_plan_id.display_name,
                )
            )
        if initiative.company_id != self.plan_id.company_id or (
            initiative.scorecard_id and initiative.scorecard_id != scorecard
        ):
            raise UserError(
                self.env._(
                    "The initiative %(initiative)s is not part of the action "
                    "plan of %(scorecard)s.",
                    initiative=initiative.display_name,
                    scorecard=scorecard.display_name,
                )
            )

    # ------------------------------------------------------------------
    # Promotion
    # ------------------------------------------------------------------
    def action_promote(self):
        """Validate, then create or link the BSC records; open the initiative."""
        self.ensure_one()
        self._validate_input()
        plan = self.plan_id
        # Two promoters at once: the second waits for nothing and is told.
        plan._learning_lock()
        plan._learning_ensure_can_promote()
        initiative = self._promote()
        return {
            "type": "ir.actions.act_window",
            "res_model": "bsc.initiative",
            "res_id": initiative.id,
            "view_mode": "form",
        }

    def _promote(self):
        """Write everything; any error rolls the whole promotion back."""
        plan = self.plan_id
        # sudo: _validate_input verified that the user is a Strategy Officer or
        # an executive and may read the chosen scorecard, objectives and
        # initiative; executives decide on the action plan but have no write
        # access to BSC records of their own.
        env = self.sudo().env
        objectives = self.objective_ids.sudo()
        if self.create_objective:
            objectives |= env["bsc.objective"].create(
                {
                    "name": self.objective_name.strip(),
                    "scorecard_id": self.scorecard_id.id,
                    "perspective_id": self.perspective_id.id,
                    "owner_id": plan.owner_id.id,
                    "department_id": plan.department_id.id,
                    "execution_approach": self.objective_approach or "okr",
                    "description": plan.direction,
                }
            )
        if self.create_measure:
            env["bsc.measure"].create(
                {
                    "name": self.measure_name.strip(),
                    "objective_id": objectives[-1:].id
                    if self.create_objective
                    else objectives[:1].id,
                    "target": self.measure_target,
                    "owner_id": plan.owner_id.id,
                }
            )
        milestones = (
            plan._learning_milestone_commands(date_due=self.date_end)
            if self.add_milestones
            else []
        )
        values = {
            "learning_plan_id": plan.id,
            "origin": plan.display_name,
        }
        if self.initiative_mode == "link":
            initiative = self.initiative_id.sudo()
            initiative.write(
                {
                    **values,
                    "objective_ids": [Command.link(o.id) for o in objectives],
                    "milestone_ids": milestones,
                }
            )
        else:
            initiative = env["bsc.initiative"].create(
                {
                    **values,
                    "name": self.initiative_name.strip(),
                    "company_id": plan.company_id.id,
                    "objective_ids": [Command.set(objectives.ids)],
                    "owner_id": self.owner_id.id,
                    "department_id": plan.department_id.id,
                    "date_start": self.date_start,
                    "date_end": self.date_end,
                    "budget": self.budget,
                    "description": plan.direction,
                    "milestone_ids": milestones,
                }
            )
        plan._learning_link_initiative(initiative)
        return initiative.with_env(self.env)
