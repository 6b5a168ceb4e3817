import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html_translate, mute_logger

STATES = [
    ("propose", "Propose"),
    ("learn", "Learn"),
    ("present", "Present"),
    ("decide", "Decide"),
    ("promote", "Promote"),
    ("parked", "Parked"),
    ("rejected", "Rejected"),
]
#: Stages in which the results are published to the plan's audience.
PUBLISHED_STATES = ("present", "decide", "promote", "parked", "rejected")
#: Stages reached only through an executive's decision record.
DECISION_STATES = ("promote", "parked", "rejected")
#: Stages in which findings may still be added.
FINDING_STATES = ("propose", "learn", "present")
#: Stages in which the audience may rate the plan.
VOTING_STATES = ("present", "decide")


class OkrLearningPlan(models.Model):
    """A learning plan: a manager learns across industries and proposes an
    innovation direction, run as an OKR and never appraised (fusion mode 3).

    Its learning goal *is* an ``okr.objective`` (``is_learning``) in a
    monthly cycle, with its key results and monthly check-ins: the plan
    creates it and moves it along. Stages: propose -> learn -> present ->
    decide, then an executive's decision (``okr.learning.decision``) leads
    to promote (adopted or piloted), parked or rejected; promoting creates
    or links a ``bsc.initiative`` whose milestones are the key results.

    Every stage change goes through the approval mixin: the owner's manager
    approves the start of the learning and the presentation, the sponsor
    puts it on the executives' agenda, the executives decide.
    """

    _name = "okr.learning.plan"
    _description = "Learning Plan"
    _inherit = ["okr.approval.mixin", "bsc.authored.text.mixin"]
    _order = "campaign_id desc, sequence, id desc"
    _check_company_auto = True
    # The audience discusses a presented plan in its chatter.
    _mail_post_access = "read"

    _approval_transitions = [
        {"from": "propose", "to": "learn", "approver": "manager"},
        {"from": "learn", "to": "present", "approver": "manager"},
        {
            "from": "present",
            "to": "decide",
            "approver": "named",
            "approver_field": "sponsor_id",
        },
        # Reached only by an executive's decision record (see
        # okr.learning.decision); declared so that the table tells who.
        {"from": "decide", "to": "promote", "approver": "executive"},
        {"from": "decide", "to": "parked", "approver": "executive"},
        {"from": "decide", "to": "rejected", "approver": "executive"},
    ]
    #: Fields only the owner's managers and OKR administrators change once
    #: the learning has started.
    _learning_locked_fields = {
        "company_id",
        "campaign_id",
        "plan_type_id",
        "objective_id",
        "sponsor_id",
    }
    #: Fields set by the workflow only (decisions, votes, promotion).
    _learning_system_fields = {
        "objective_id",
        "initiative_id",
        "proposed_on",
        "is_published",
        "decision_id",
        "decision",
        "vote_count",
        "vote_average",
        "is_promoted",
    }
    #: Values of the plan's goal given at creation (the goal is created first).
    _learning_goal_fields = {
        "goal_name": "name",
        "goal_description": "description",
        "cycle_id": "cycle_id",
        "owner_id": "owner_id",
        "key_result_ids": "key_result_ids",
    }

    name = fields.Char(required=True, tracking=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    campaign_id = fields.Many2one(
        "okr.learning.campaign",
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain=lambda self: self.env[
            "okr.learning.campaign"
        ]._learning_open_campaigns_domain(),
        help="The leader's call this plan answers.",
    )
    plan_type_id = fields.Many2one(
        "okr.learning.plan.type",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('company_id', 'in', [company_id, False])]",
    )
    direction = fields.Html(
        help="The innovation direction proposed and why it matters: what was "
        "seen in other industries, for which customers.",
        translate=html_translate,
    )
    objective_id = fields.Many2one(
        "okr.objective",
        string="Learning Goal",
        readonly=True,
        copy=False,
        index=True,
        ondelete="restrict",
        help="The OKR this plan runs on (created with the plan): its key "
        "results are the learning results, checked in monthly.",
    )
    retrospective_id = fields.Many2one(
        "okr.retrospective",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The retrospective whose lesson this plan was proposed from.",
    )
    goal_name = fields.Char(
        related="objective_id.name",
        readonly=False,
        string="Learning Objective",
        help="What the owner wants to learn, as an inspiring objective.",
    )
    goal_description = fields.Text(
        related="objective_id.description", readonly=False, string="Why Learn This"
    )
    cycle_id = fields.Many2one(
        related="objective_id.cycle_id",
        readonly=False,
        store=True,
        index=True,
        default=lambda self: self._default_cycle_id(),
        domain=lambda self: self.env["okr.cycle"]._okr_open_cycles_field_domain(True),
        help="The monthly OKR cycle of the learning goal.",
    )
    key_result_ids = fields.One2many(
        related="objective_id.key_result_ids",
        readonly=False,
        string="Learning Key Results",
    )
    progress = fields.Float(related="objective_id.progress")
    progress_percent = fields.Float(
        related="objective_id.progress_percent", string="Progress (%)"
    )
    confidence = fields.Float(related="objective_id.confidence")
    owner_id = fields.Many2one(
        related="objective_id.owner_id",
        readonly=False,
        store=True,
        index=True,
        string="Owner",
        default=lambda self: self.env["okr.objective"]._default_owner_id(),
    )
    owner_user_id = fields.Many2one(
        "res.users",
        related="owner_id.user_id",
        store=True,
        index=True,
        string="Owner's User",
    )
    department_id = fields.Many2one(
        related="objective_id.department_id", store=True, index=True
    )
    participant_ids = fields.Many2many(
        "hr.employee",
        "okr_learning_plan_participant_rel",
        "plan_id",
        "employee_id",
        string="Participants",
        check_company=True,
        help="Colleagues learning with the owner; they read the plan and add findings.",
    )
    sponsor_id = fields.Many2one(
        "hr.employee",
        tracking=True,
        check_company=True,
        compute="_compute_sponsor_id",
        store=True,
        readonly=False,
        help="An executive who follows the plan and puts it on the decision "
        "agenda once it has been presented. Defaults to the campaign's sponsor.",
    )
    sponsor_user_id = fields.Many2one(
        "res.users",
        related="sponsor_id.user_id",
        store=True,
        index=True,
        string="Sponsor's User",
    )
    state = fields.Selection(
        STATES,
        string="Stage",
        required=True,
        default="propose",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    proposed_on = fields.Datetime(
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="Start of the proposal stage (the stage times count from here).",
    )
    audience = fields.Selection(
        [("managers", "Managers"), ("company", "Whole Company")],
        required=True,
        default="managers",
        tracking=True,
        help="Who reads the plan, its goal and results once presented: the "
        "managers and executives, or everybody in the company.",
    )
    is_published = fields.Boolean(
        string="Published",
        compute="_compute_is_published",
        store=True,
        index=True,
        help="Presented: the plan's audience reads it, discusses it and rates it.",
    )
    finding_ids = fields.One2many("okr.learning.finding", "plan_id", string="Findings")
    finding_count = fields.Integer(compute="_compute_finding_count")
    checkin_ids = fields.Many2many(
        "okr.checkin",
        compute="_compute_checkin_ids",
        string="Check-ins",
        help="The monthly check-ins on the learning key results.",
    )
    session_ids = fields.Many2many(
        "okr.learning.session",
        "okr_learning_session_plan_rel",
        "plan_id",
        "session_id",
        string="Sessions",
        readonly=True,
        copy=False,
        help="The presentation sessions this plan was presented in.",
    )
    vote_ids = fields.One2many("okr.learning.vote", "plan_id", string="Votes")
    vote_count = fields.Integer(
        compute="_compute_votes", store=True, help="How many people rated the plan."
    )
    vote_average = fields.Float(
        string="Rating",
        compute="_compute_votes",
        store=True,
        aggregator="avg",
        digits=(3, 1),
        help="Average of the audience's ratings, 1 to 5 stars.",
    )
    my_vote = fields.Selection(
        [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")],
        compute="_compute_my_vote",
        string="My Rating",
    )
    can_vote = fields.Boolean(
        compute="_compute_my_vote",
        help="The current user may rate the plan now (presented, not theirs).",
    )
    decision_ids = fields.One2many(
        "okr.learning.decision", "plan_id", string="Decisions"
    )
    decision_id = fields.Many2one(
        "okr.learning.decision",
        compute="_compute_decision_id",
        store=True,
        help="The latest decision of the executives.",
    )
    decision = fields.Selection(
        related="decision_id.decision", store=True, string="Decision Taken"
    )
    initiative_id = fields.Many2one(
        "bsc.initiative",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="The initiative of the Balanced Scorecard this plan was promoted into.",
    )
    is_promoted = fields.Boolean(
        compute="_compute_is_promoted", store=True, string="Promoted"
    )
    user_can_read = fields.Boolean(
        compute="_compute_user_can_read",
        search="_search_user_can_read",
        help="Technical: the current user may read the plan. Rules of the "
        "plan's goal, findings, decisions and votes follow it, so that the "
        "plan's own rules are the single source of its visibility.",
    )
    color = fields.Integer()

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------
    @api.model
    def _default_cycle_id(self):
        """The first monthly cycle of the company that has not ended."""
        return self.env["okr.cycle"]._okr_default_cycle(learning=True)

    @api.depends("campaign_id")
    def _compute_sponsor_id(self):
        for plan in self:
            plan.sponsor_id = plan.sponsor_id or plan.campaign_id.sponsor_id

    @api.depends("state")
    def _compute_is_published(self):
        for plan in self:
            plan.is_published = plan.state in PUBLISHED_STATES

    @api.depends("finding_ids")
    def _compute_finding_count(self):
        counts = dict(
            self.env["okr.learning.finding"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.finding_count = counts.get(plan, 0)

    @api.depends_context("uid")
    @api.depends("objective_id")
    def _compute_checkin_ids(self):
        # The reader's rights apply: check-ins follow the plan's visibility.
        checkins = self.env["okr.checkin"].search(
            [("objective_id", "in", self.objective_id.ids)]
        )
        for plan in self:
            plan.checkin_ids = checkins.filtered(
                lambda c, p=plan: c.objective_id == p.objective_id
            )

    @api.depends("vote_ids.rating")
    def _compute_votes(self):
        for plan in self:
            ratings = [int(vote.rating) for vote in plan.vote_ids]
            plan.vote_count = len(ratings)
            plan.vote_average = sum(ratings) / len(ratings) if ratings else 0.0

    @api.depends_context("uid")
    @api.depends("state", "owner_user_id")
    def _compute_my_vote(self):
        votes = {
            vote.plan_id: vote.rating
            for vote in self.env["okr.learning.vote"].search(
                [("plan_id", "in", self.ids), ("user_id", "=", self.env.uid)]
            )
        }
        for plan in self:
            plan.my_vote = votes.get(plan, False)
            plan.can_vote = (
                plan.state in VOTING_STATES and plan.owner_user_id != self.env.user
            )

    @api.depends("decision_ids")
    def _compute_decision_id(self):
        for plan in self:
            plan.decision_id = plan.decision_ids.sorted("id")[-1:]

    @api.depends("initiative_id")
    def _compute_is_promoted(self):
        for plan in self:
            plan.is_promoted = bool(plan.initiative_id)

    @api.depends_context("uid")
    def _compute_user_can_read(self):
        # Always the actual user's rights, also on a superuser environment:
        # record rules are checked on sudo records (filtered_domain), and
        # this field is what the rules of the plan's goal ask.
        readable = self.sudo(False)._filtered_access("read")
        for plan in self:
            plan.user_can_read = plan in readable

    def _search_user_can_read(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on readable plans."))
        # Record rules evaluate their domains as superuser: step back to the
        # actual user so that the plan's own rules decide.
        query = self.sudo(False)._search([])
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", query)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.model
    def _learning_ensure_executive(self, employee, record_name):
        """Sponsors are executives (when they have a user)."""
        # integrity check: is the sponsor an executive; only the sponsor's name, already
        # on the plan, is reported
        user = employee.sudo().user_id
        if user and not user.has_group("bsc_okr.group_executive"):
            raise ValidationError(
                self.env._(
                    "The sponsor of %(record)s must be an executive; %(name)s is not.",
                    record=record_name,
                    # sudo: the sponsor chosen on the plan; portal users cannot read
                    # hr.employee
                    name=employee.sudo().name,
                )
            )

    @api.constrains("sponsor_id")
    def _check_sponsor_is_executive(self):
        for plan in self:
            plan._learning_ensure_executive(plan.sponsor_id, plan.display_name)

    @api.constrains("objective_id", "company_id", "cycle_id")
    def _check_goal(self):
        for plan in self:
            # integrity check of the plan's own goal objective
            goal = plan.objective_id.sudo()
            if not goal:
                raise ValidationError(
                    self.env._(
                        "The learning plan %(plan)s needs its learning goal.",
                        plan=plan.display_name,
                    )
                )
            if goal.company_id != plan.company_id:
                raise ValidationError(
                    self.env._(
                        "The learning goal of %(plan)s belongs to another company.",
                        plan=plan.display_name,
                    )
                )
            if goal.cycle_id.cycle_type != "month":
                raise ValidationError(
                    self.env._(
                        "The learning goal of %(plan)s runs in a monthly cycle; "
                        "%(cycle)s is not one.",
                        plan=plan.display_name,
                        cycle=goal.cycle_id.display_name,
                    )
                )

    @api.constrains("campaign_id")
    def _check_campaign_open(self):
        for plan in self:
            if plan.campaign_id.state == "closed" and plan.state == "propose":
                raise ValidationError(
                    self.env._(
                        "The campaign %(campaign)s is closed: propose the plan in "
                        "another one.",
                        campaign=plan.campaign_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """Create each plan's learning goal first (an ``okr.objective`` with
        the user's rights: whoever may not write that OKR may not propose
        the plan), then the plan, then link the goal back."""
        goals = self.env["okr.objective"]
        for vals in vals_list:
            if not self.env.su:
                self._learning_ensure_system_fields(vals)
            goal_vals = {
                target: vals.pop(source)
                for source, target in self._learning_goal_fields.items()
                if source in vals
            }
            if not vals.get("objective_id"):
                goal = self._learning_create_goal(vals, goal_vals)
                # The goal's values, so that the defaults of these related
                # fields do not overwrite them after creation.
                vals.update(
                    objective_id=goal.id,
                    owner_id=goal.owner_id.id,
                    cycle_id=goal.cycle_id.id,
                )
                goals |= goal
        plans = super().create(vals_list)
        for plan in plans:
            if plan.objective_id in goals:
                # The objective's own lock allows this while it is a draft.
                plan.objective_id.learning_plan_id = plan
        return plans

    @api.model
    def _learning_create_goal(self, vals, goal_vals):
        company_id = vals.get("company_id") or self.env.company.id
        owner = self.env["hr.employee"].browse(goal_vals.get("owner_id"))
        if not owner:
            owner = self.env["hr.employee"].browse(
                self.env["okr.objective"]._default_owner_id()
            )
        if not owner:
            raise UserError(
                self.env._(
                    "Choose the owner of the learning plan: you have no "
                    "employee in this company."
                )
            )
        goal_vals.setdefault("cycle_id", self._default_cycle_id().id)
        if not goal_vals.get("cycle_id"):
            raise UserError(
                self.env._("Choose the monthly cycle of the learning goal.")
            )
        # The management mode is configuration read by everybody.
        department = owner.sudo().department_id
        level = "department" if department.management_mode == "bsc" else "individual"
        return self.env["okr.objective"].create(
            {
                "name": goal_vals.get("name") or vals.get("name"),
                "description": goal_vals.get("description"),
                "cycle_id": goal_vals["cycle_id"],
                "company_id": company_id,
                "owner_id": owner.id,
                "level": level,
                "okr_type": "aspirational",
                "visibility": "private",
                "is_learning": True,
                "key_result_ids": goal_vals.get("key_result_ids") or [],
            }
        )

    def write(self, vals):
        if not self.env.su:
            self._learning_ensure_system_fields(vals)
        locked = self._learning_locked_fields.intersection(vals)
        if locked and not self.env.su:
            self._learning_ensure_unlocked(locked)
        return super().write(vals)

    @api.model
    def _learning_ensure_system_fields(self, vals):
        system = self._learning_system_fields.intersection(vals)
        if system:
            raise UserError(
                self.env._(
                    "%(fields)s of a learning plan are set by its workflow "
                    "(goal, decisions, ratings, promotion), not by hand.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(system)
                    ),
                )
            )

    def _learning_ensure_unlocked(self, field_names):
        started = self.filtered(lambda plan: plan.state != "propose")
        if not started:
            return
        managed = started.objective_id._okr_managed_by_user()
        not_managed = started.filtered(lambda plan: plan.objective_id not in managed)
        if not_managed:
            plan = not_managed[0]
            raise UserError(
                self.env._(
                    "The learning plan %(plan)s is past its proposal: only its "
                    "owner's managers and OKR administrators may change %(fields)s.",
                    plan=plan.display_name,
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(field_names)
                    ),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_proposals(self):
        for plan in self:
            if plan.state != "propose" or plan.decision_ids:
                raise UserError(
                    self.env._(
                        "The learning plan %(plan)s has started; it stays in the "
                        "pipeline (executives may park or reject it).",
                        plan=plan.display_name,
                    )
                )

    def unlink(self):
        goals = self.objective_id
        result = super().unlink()
        # The draft goal belongs to the plan; the user deleted the plan with
        # their own rights, the goal follows with the same rights.
        goals.unlink()
        return result

    # ------------------------------------------------------------------
    # Approval workflow (okr.approval.mixin)
    # ------------------------------------------------------------------
    def _approval_allowed_transitions(self):
        # Decisions are records of their own, never requests.
        return [
            transition
            for transition in super()._approval_allowed_transitions()
            if transition["to"] not in DECISION_STATES
        ]

    def action_approval_request(self, to_state=None, comment=None):
        """Request the next stage; checks what the stage needs first."""
        to_state = to_state or self.env.context.get("approval_to_state")
        for plan in self:
            plan._learning_ensure_request(to_state)
        return super().action_approval_request(to_state=to_state, comment=comment)

    def _learning_ensure_request(self, to_state):
        self.ensure_one()
        if self.state == "decide" and to_state in DECISION_STATES:
            raise UserError(
                self.env._(
                    "%(plan)s waits for the executives' decision: an executive "
                    "records it with 'Decide' (adopt, pilot, park or reject).",
                    plan=self.display_name,
                )
            )
        if to_state == "learn":
            # Only ids and names of the plan's own goal are read here.
            goal = self.objective_id.sudo()
            if not goal.key_result_ids:
                raise UserError(
                    self.env._(
                        "State the key results of the learning goal of %(plan)s "
                        "before asking to start learning.",
                        plan=self.display_name,
                    )
                )
            if goal.cycle_id.state == "closed":
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s of the learning goal is closed; "
                        "choose a coming month.",
                        cycle=goal.cycle_id.display_name,
                    )
                )

    def _approval_apply(
        self, new_state, decision, transition, request=None, comment=None
    ):
        """Starting to learn activates the learning goal (check-ins open)."""
        starts_learning = self.state == "propose" and new_state == "learn"
        result = super()._approval_apply(
            new_state, decision, transition, request=request, comment=comment
        )
        if starts_learning:
            # The start was approved just now (the caller checked the
            # approver's right): the goal follows the plan, as the system.
            self.objective_id.sudo()._okr_apply_system_state(
                "active",
                comment=self.env._(
                    "Learning plan %(plan)s approved.", plan=self.display_name
                ),
            )
        return result

    def _learning_apply_decision(self, decision):
        """Move the plan to the stage ``decision`` leads to (called by
        ``okr.learning.decision`` after its checks, with the plan locked)."""
        self.ensure_one()
        if self.state != "decide":
            raise UserError(
                self.env._(
                    "%(plan)s is no longer waiting for a decision (it is now "
                    "%(state)s).",
                    plan=self.display_name,
                    state=self._approval_state_label(self.state),
                )
            )
        target = decision._learning_target_state()
        # sudo: the decision's author was checked (an eligible executive);
        # executives read but do not write plans.
        self.sudo()._approval_apply(
            target,
            "approved",
            {"from": "decide", "to": target},
            comment=decision.rationale,
        )

    def _learning_lock(self):
        """Lock the plan row (NOWAIT): concurrent deciders or promoters get
        a clear message instead of both succeeding."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM okr_learning_plan WHERE id IN %s "
                        "FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone else is deciding on or promoting this learning "
                    "plan right now. Reload the page in a moment."
                )
            ) from None
        except psycopg2.errors.SerializationFailure:
            raise UserError(
                self.env._(
                    "This learning plan was changed by someone else a moment "
                    "ago. Reload the page."
                )
            ) from None
        self.invalidate_recordset()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_goal(self):
        """The learning goal, as an OKR."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "okr.objective",
            "res_id": self.objective_id.id,
            "view_mode": "form",
        }

    def action_quick_checkin(self):
        """The monthly check-in on the learning key results."""
        self.ensure_one()
        return self.objective_id.action_quick_checkin()

    def action_open_decision_wizard(self):
        """Record the executives' decision (executives only)."""
        self.ensure_one()
        self._learning_ensure_can_decide(self.env.user)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decide"),
            "res_model": "okr.learning.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_open_vote(self):
        """Rate the presented plan (one rating per person, 1-5 stars)."""
        self.ensure_one()
        self._learning_ensure_can_vote()
        vote = self.env["okr.learning.vote"].search(
            [("plan_id", "=", self.id), ("user_id", "=", self.env.uid)], limit=1
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rate %(plan)s", plan=self.display_name),
            "res_model": "okr.learning.vote",
            "res_id": vote.id,
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_open_promote_wizard(self):
        """Promote the decided plan into the Balanced Scorecard."""
        self.ensure_one()
        self._learning_ensure_can_promote()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promote into the Balanced Scorecard"),
            "res_model": "okr.learning.promote.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def action_view_initiative(self):
        """The initiative this plan was promoted into."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "bsc.initiative",
            "res_id": self.initiative_id.id,
            "view_mode": "form",
        }

    def action_view_findings(self):
        """The findings of the plan."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_learning_finding_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business checks (shared with decisions, votes and the wizard)
    # ------------------------------------------------------------------
    @api.model
    def _learning_mine_domain(self, employee_ids):
        """The plans that are the user's: owned, or joined as a participant
        (``employee_ids``, the user's employees). The portal lists and
        counts these."""
        return [
            "|",
            ("owner_user_id", "=", self.env.uid),
            ("participant_ids", "in", employee_ids),
        ]

    def _learning_can_add_finding(self):
        """Whether the current user may add a finding to this plan now: its
        owner or a participant, while the plan is in a FINDING_STATES stage."""
        self.ensure_one()
        if self.state not in FINDING_STATES:
            return False
        user = self.env.user
        if self.owner_user_id == user:
            return True
        # sudo: the user's own employees (ids only); portal users cannot read
        # hr.employee, and the plan is then searched with the user's rights.
        employees = user.sudo().employee_ids
        return bool(
            self.search_count(
                [("id", "=", self.id), ("participant_ids", "in", employees.ids)]
            )
        )

    def _learning_ensure_can_decide(self, user):
        """Raise unless ``user`` may record the executives' decision."""
        self.ensure_one()
        self.check_access("read")
        if self.state != "decide":
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s: decisions are recorded in the "
                    "'Decide' stage only.",
                    plan=self.display_name,
                    state=self._approval_state_label(self.state),
                )
            )
        if not user.has_group("bsc_okr.group_executive"):
            raise AccessError(
                self.env._(
                    "Only executives decide on learning plans (%(plan)s).",
                    plan=self.display_name,
                )
            )
        if not self._approval_filter_approvers(user, self.env["res.users"]):
            raise AccessError(
                self.env._(
                    "You cannot decide on %(plan)s: nobody decides on their own "
                    "plan, and the decision stays out of appraisal.",
                    plan=self.display_name,
                )
            )

    def _learning_ensure_can_vote(self):
        self.ensure_one()
        self.check_access("read")
        if self.state not in VOTING_STATES:
            raise UserError(
                self.env._(
                    "%(plan)s can be rated while it is presented or waits for "
                    "the decision.",
                    plan=self.display_name,
                )
            )
        if self.owner_user_id == self.env.user:
            raise UserError(self.env._("You cannot rate your own learning plan."))

    def _learning_ensure_can_promote(self):
        """Raise unless the plan can be promoted now by the current user."""
        self.ensure_one()
        self.check_access("read")
        user = self.env.user
        if not (
            user.has_group("bsc_okr.group_strategy_officer")
            or user.has_group("bsc_okr.group_executive")
        ):
            raise AccessError(
                self.env._(
                    "Only Strategy Officers and executives promote learning "
                    "plans into the Balanced Scorecard."
                )
            )
        if self.initiative_id:
            raise UserError(
                self.env._(
                    "%(plan)s was already promoted into the initiative %(initiative)s.",
                    plan=self.display_name,
                    # The initiative's name is shown on the plan anyway.
                    initiative=self.initiative_id.sudo().display_name,
                )
            )
        if self.state != "promote" or self.decision not in ("adopt", "pilot"):
            raise UserError(
                self.env._(
                    "Only adopted or piloted learning plans can be promoted; "
                    "%(plan)s is %(state)s.",
                    plan=self.display_name,
                    state=self._approval_state_label(self.state),
                )
            )

    def _learning_link_initiative(self, initiative):
        """Record the promotion on the plan (the wizard checked the rights)."""
        self.ensure_one()
        # sudo: promoters (strategy officers, executives) read but do not
        # write plans; _learning_ensure_can_promote ran just before.
        self.sudo().write({"initiative_id": initiative.id})
        self.sudo().message_post(
            body=self.env._(
                "Promoted into the Balanced Scorecard: initiative %(initiative)s.",
                initiative=initiative.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _learning_milestone_commands(self, date_due=None):
        """The learning key results as quantified milestones."""
        self.ensure_one()
        commands = []
        # Key results are the plan's goal, read by whoever reads the plan.
        for key_result in self.objective_id.sudo().key_result_ids:
            start, target = key_result.start_value, key_result.target_value
            if abs(target - start) < 1e-9:
                continue
            commands.append(
                Command.create(
                    {
                        "name": key_result.name,
                        "metric": key_result.name,
                        "unit": key_result.unit
                        or ("%" if key_result.metric_type == "percentage" else False),
                        "start_value": start,
                        "target_value": target,
                        "current_value": key_result.current_value,
                        "weight": key_result.weight,
                        "date_due": date_due,
                        "note": self.env._(
                            "From the learning plan %(plan)s.", plan=self.display_name
                        ),
                    }
                )
            )
        return commands
