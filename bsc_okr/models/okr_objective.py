from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, sql

from ..engine import grading, graph

LEVELS = [
    ("company", "Company"),
    ("department", "Department"),
    ("team", "Team"),
    ("individual", "Individual"),
]
OKR_TYPES = [
    ("committed", "Committed"),
    ("aspirational", "Aspirational"),
]
VISIBILITIES = [
    ("public", "Company"),
    ("department", "Department"),
    ("private", "Private"),
]
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("active", "Active"),
    ("graded", "Graded"),
    ("cancelled", "Cancelled"),
]
GRADE_BANDS = [
    ("red", "Red"),
    ("yellow", "Yellow"),
    ("green", "Green"),
]
GRADE_CALLOUTS = [
    ("committed_missed", "Committed objective missed"),
    ("aspirational_overshot", "Aspirational objective fully reached"),
]


class OkrObjective(models.Model):
    """An objective: an inspiring goal for a cycle, measured by key results.

    Sensitive data (grades, confidence, check-ins) lives here and in the key
    results and check-ins, whose read rules are narrow (owner, manager chain,
    department managers, OKR administrators; appraisal staff their own only).
    Everybody else reads titles and progress through ``okr.objective.public``.

    The state moves through the approval mixin only: the owner submits, the
    owner's manager approves (``draft -> submitted -> approved``), the owner
    activates and, once the cycle is being graded, marks it graded; closing
    the cycle grades what is left.
    """

    _name = "okr.objective"
    _description = "Objective"
    _inherit = [
        "okr.approval.mixin",
        "bsc.progress.mixin",
        "okr.progress.history.mixin",
        "bsc.authored.text.mixin",
    ]
    _order = "cycle_id desc, sequence, id"
    _check_company_auto = True
    _rec_name = "name"
    # Whoever may read the objective discusses it (owner, managers, readers
    # among the followers), from the back end or the portal's chatter.
    _mail_post_access = "read"

    _approval_transitions = [
        {
            "from": "draft",
            "to": "approved",
            "pending": "submitted",
            "approver": "manager",
            "reject_to": "draft",
        },
        {"from": "approved", "to": "active", "approver": "owner"},
        {"from": "active", "to": "graded", "approver": "owner"},
        {
            "from": ("draft", "approved", "active"),
            "to": "cancelled",
            "approver": "owner",
        },
        {"from": ("approved", "cancelled"), "to": "draft", "approver": "owner"},
    ]
    #: Fields an employee may only change while the objective is a draft;
    #: afterwards only their managers and OKR administrators may.
    _okr_locked_fields = {
        "name",
        "description",
        "cycle_id",
        "company_id",
        "level",
        "owner_id",
        "department_id",
        "okr_type",
        "visibility",
        "member_ids",
        "parent_ids",
        "public_parent_id",
        "depends_on_ids",
        "bsc_objective_id",
        "is_learning",
        "sequence",
    }
    #: Aspirational objectives fully reached in this many graded cycles in a
    #: row raise the sandbagging signal.
    _okr_sandbagging_streak = 2

    name = fields.Char(string="Title", required=True, tracking=True, translate=True)
    description = fields.Text(
        help="Why this objective matters: the story behind it, in plain words.",
        translate=True,
    )
    sequence = fields.Integer(default=10)
    cycle_id = fields.Many2one(
        "okr.cycle",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
        domain=lambda self: self.env["okr.cycle"]._okr_open_cycles_field_domain(
            "is_learning"
        ),
        default=lambda self: self.env["okr.cycle"]._okr_default_cycle(),
    )
    cycle_state = fields.Selection(related="cycle_id.state", string="Cycle Phase")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    level = fields.Selection(
        selection=LEVELS,
        required=True,
        default=lambda self: self._default_level(),
        tracking=True,
        help="Company, department, team (a manager and their reports) or "
        "individual. The alignment tree reads company -> department -> team "
        "-> individual.",
    )
    owner_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self._default_owner_id(),
    )
    owner_user_id = fields.Many2one(
        "res.users",
        related="owner_id.user_id",
        store=True,
        index=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        index=True,
        check_company=True,
        help="Defaults to the owner's department. Department visibility and "
        "the department managers' access follow it.",
    )
    department_bsc_only = fields.Boolean(
        string="BSC-Only Department",
        compute="_compute_department_bsc_only",
        help="The department runs on the Balanced Scorecard only: it holds "
        "department objectives, never team or individual ones.",
    )
    okr_type = fields.Selection(
        selection=OKR_TYPES,
        string="Type",
        required=True,
        default="aspirational",
        tracking=True,
        help="Committed: expected to reach 1.0. Aspirational: a stretch, "
        "0.7 is the sweet spot; always reaching 1.0 means it was not "
        "ambitious enough.",
    )
    visibility = fields.Selection(
        selection=VISIBILITIES,
        required=True,
        default="public",
        tracking=True,
        help="Who sees the title and progress. Company: everybody; "
        "Department: members of the objective's department; Private: the "
        "owner, their manager chain and the named members. Grades, "
        "confidence and check-ins are never public.",
    )
    member_ids = fields.Many2many(
        "hr.employee",
        "okr_objective_member_rel",
        "objective_id",
        "employee_id",
        string="Members",
        check_company=True,
        help="Employees who may see the title and progress of a private or "
        "department objective.",
    )
    parent_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_parent_rel",
        "objective_id",
        "parent_id",
        string="Contributes To",
        domain="[('company_id', '=', company_id), ('state', '!=', 'cancelled')]",
        help="The objectives this one contributes to (vertical alignment). "
        "Several are allowed; the first is the primary parent unless you "
        "choose another.",
    )
    public_parent_id = fields.Many2one(
        "okr.objective.public",
        string="Primary Parent",
        compute="_compute_public_parent_id",
        store=True,
        readonly=False,
        index=True,
        domain="[('id', 'in', parent_ids)]",
        help="Where this objective hangs in the alignment tree.",
    )
    public_child_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_parent_rel",
        "parent_id",
        "objective_id",
        string="Contributing Objectives",
        readonly=True,
        help="Objectives aligned to this one, as far as you may see them.",
    )
    depends_on_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_dependency_rel",
        "objective_id",
        "depends_on_id",
        domain="[('company_id', '=', company_id), ('state', '!=', 'cancelled')]",
        help="Peer objectives, usually of other departments, that this one "
        "needs (horizontal alignment).",
    )
    supported_by_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_dependency_rel",
        "depends_on_id",
        "objective_id",
        string="Needed By",
        readonly=True,
        help="Peer objectives that depend on this one.",
    )
    bsc_objective_id = fields.Many2one(
        "bsc.objective",
        string="Strategic Objective",
        index=True,
        ondelete="set null",
        tracking=True,
        domain="[('company_id', '=', company_id), "
        "('execution_approach', 'in', ('okr', 'both'))]",
        help="The strategic objective of the Balanced Scorecard this OKR "
        "serves (fusion mode 2: the strategy map seeds OKRs).",
    )
    key_result_ids = fields.One2many("okr.key.result", "objective_id", copy=True)
    key_result_count = fields.Integer(compute="_compute_key_result_count")
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Weighted mean of the key results' progress, each capped at 1.0.",
    )
    is_graded = fields.Boolean(
        compute="_compute_is_graded",
        store=True,
        help="Set once the cycle enters grading, for objectives that ran.",
    )
    grade = fields.Float(
        compute="_compute_grade",
        store=True,
        aggregator="avg",
        help="Weighted mean of the key results' grades (0.0-1.0).",
    )
    grade_band = fields.Selection(
        selection=GRADE_BANDS,
        compute="_compute_grade",
        store=True,
        help="0.0-0.3 red, 0.4-0.6 yellow, 0.7-1.0 green.",
    )
    grade_callout = fields.Selection(
        selection=GRADE_CALLOUTS,
        compute="_compute_grade",
        store=True,
        help="Worth a word in the review: a committed objective below 1.0, or "
        "an aspirational one at 1.0 (was it ambitious enough?).",
    )
    confidence = fields.Float(
        compute="_compute_confidence",
        store=True,
        aggregator="avg",
        digits=(3, 1),
        help="Weighted mean of the key results' latest confidence (0-10).",
    )
    burnup_chart = fields.Json(
        compute="_compute_burnup_chart",
        help="Technical: the burn-up drawn on the form (actual against "
        "expected progress, confidence below), from the progress history.",
    )
    state = fields.Selection(
        selection=STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    is_learning = fields.Boolean(
        string="Learning Goal",
        help="The goal of a learning plan (fusion mode 3).",
    )
    is_stale = fields.Boolean(
        compute="_compute_is_stale",
        help="At least one key result has had no check-in for too long.",
    )
    in_my_team = fields.Boolean(
        compute="_compute_in_my_team",
        search="_search_in_my_team",
        help="Owned by someone who reports to you, directly or not.",
    )
    sandbagging_signal = fields.Boolean(
        compute="_compute_sandbagging",
        groups="!bsc_okr.group_kpi_appraisal",
        help="The owner's aspirational objectives were all graded 1.0 in "
        "several cycles in a row. Shown only to the owner and their managers.",
    )
    sandbagging_streak = fields.Integer(
        compute="_compute_sandbagging",
        groups="!bsc_okr.group_kpi_appraisal",
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------
    @api.model
    def _default_owner_id(self):
        # Only the id of the user's own employee in the current company is
        # read; portal employees cannot read hr.employee themselves.
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("user_id", "=", self.env.uid),
                    ("company_id", "=", self.env.company.id),
                ],
                limit=1,
            )
            .id
        )

    @api.model
    def _default_level(self):
        """The most personal level the author's department allows."""
        owner = self.env["hr.employee"].sudo().browse(self._default_owner_id())
        return self._okr_personal_level(owner.department_id)

    @api.model
    def _okr_personal_level(self, department):
        """Individual, or department in a 'BSC only' department (fusion mode
        1), where team and individual OKRs are not used. The mode is
        configuration every employee may know; portal employees cannot read
        hr.department: sudo."""
        if department.sudo().management_mode == "bsc":
            return "department"
        return "individual"

    @api.depends("owner_id")
    def _compute_department_id(self):
        for objective in self:
            objective.department_id = objective.owner_id.department_id

    @api.depends("department_id")
    def _compute_department_bsc_only(self):
        for objective in self:
            objective.department_bsc_only = (
                objective._okr_personal_level(objective.department_id) == "department"
            )

    @api.depends("parent_ids")
    def _compute_public_parent_id(self):
        for objective in self:
            if objective.public_parent_id not in objective.parent_ids:
                objective.public_parent_id = objective.parent_ids[:1]

    @api.depends("key_result_ids")
    def _compute_key_result_count(self):
        for objective in self:
            objective.key_result_count = len(objective.key_result_ids)

    @api.depends("key_result_ids.progress", "key_result_ids.weight")
    def _compute_progress(self):
        for objective in self:
            krs = objective.key_result_ids.filtered(lambda kr: kr.weight > 0)
            progress = grading.objective_progress(
                [(kr.progress, kr.weight) for kr in krs]
            )
            objective.progress = progress or 0.0

    @api.depends("cycle_id.state", "state")
    def _compute_is_graded(self):
        for objective in self:
            objective.is_graded = objective.cycle_id.state in (
                "grading",
                "closed",
            ) and objective.state in ("active", "graded")

    @api.depends(
        "is_graded", "okr_type", "key_result_ids.grade", "key_result_ids.weight"
    )
    def _compute_grade(self):
        for objective in self:
            krs = objective.key_result_ids.filtered(lambda kr: kr.weight > 0)
            grade = None
            if objective.is_graded:
                grade = grading.objective_grade([(kr.grade, kr.weight) for kr in krs])
            objective.grade = grade or 0.0
            objective.grade_band = grading.grade_band(grade) or False
            objective.grade_callout = (
                grading.grade_callout(grade, objective.okr_type) or False
            )

    @api.depends("key_result_ids.confidence", "key_result_ids.weight")
    def _compute_confidence(self):
        for objective in self:
            krs = objective.key_result_ids.filtered(lambda kr: kr.weight > 0)
            confidence = grading.weighted_mean((kr.confidence, kr.weight) for kr in krs)
            objective.confidence = confidence or 0.0

    @api.depends_context("uid")
    @api.depends("progress", "confidence", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_burnup_chart(self):
        charts = self._okr_burnup_charts()
        for objective in self:
            objective.burnup_chart = charts.get(objective._origin.id)

    def _okr_burnup_charts(self):
        """``{objective id: chart}``: the burn-up of each objective, from its
        progress history read with the reader's rights (one query for all).
        The back-end form and the portal page both draw it."""
        ids = [objective_id for objective_id in self._origin.ids if objective_id]
        rows = self.env["okr.progress.history"].search_fetch(
            [("kind", "=", "objective"), ("objective_id", "in", ids)],
            ["objective_id", "date", "progress", "confidence"],
            order="date, id",
        )
        progress, confidence = defaultdict(list), defaultdict(list)
        for row in rows:
            progress[row.objective_id.id].append((row.date, row.progress))
            confidence[row.objective_id.id].append((row.date, row.confidence))
        History = self.env["okr.progress.history"]
        return {
            objective.id: History._okr_chart(
                objective.cycle_id, progress[objective.id], confidence[objective.id]
            )
            for objective in self.browse(ids)
        }

    @api.depends("key_result_ids.is_stale")
    def _compute_is_stale(self):
        for objective in self:
            objective.is_stale = any(objective.key_result_ids.mapped("is_stale"))

    @api.depends_context("uid")
    @api.depends("owner_id.okr_manager_chain_ids")
    def _compute_in_my_team(self):
        team = self.search([("id", "in", self.ids), ("in_my_team", "=", True)])
        for objective in self:
            objective.in_my_team = objective in team

    def _search_in_my_team(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'In My Team'."))
        # The manager chain includes the user's own employees: "my team" does
        # not. sudo: the org chart only (who reports to whom), as child_of
        # read it; the objectives stay under the reader's rules. A subquery,
        # not a query per level of the org chart.
        mine = self.env.user.employee_ids.ids
        team = (
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            ._search([("okr_manager_chain_ids", "in", mine)])
        )
        domain = expression.AND(
            [[("owner_id", "in", team)], [("owner_id", "not in", mine)]]
        )
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    @api.depends_context("uid")
    @api.depends("owner_id", "okr_type", "grade", "is_graded")
    def _compute_sandbagging(self):
        """Evaluated with the reader's own rights, and only for the owner
        and their manager chain: OKR administrators or department managers
        outside the chain never see it, nor does appraisal staff."""
        owners = self.owner_id
        viewers = self._sandbagging_visible_owners(owners)
        history = defaultdict(lambda: defaultdict(list))
        if viewers:
            graded = self.search_fetch(
                [
                    ("owner_id", "in", viewers.ids),
                    ("okr_type", "=", "aspirational"),
                    ("is_graded", "=", True),
                ],
                ["owner_id", "cycle_id", "grade"],
            )
            for objective in graded.sorted(
                lambda o: (o.cycle_id.date_start, o.cycle_id.id)
            ):
                history[objective.owner_id][objective.cycle_id].append(objective.grade)
        results = {
            owner: grading.sandbagging(
                list(history[owner].items()), self._okr_sandbagging_streak
            )
            for owner in viewers
        }
        for objective in self:
            result = results.get(objective.owner_id)
            objective.sandbagging_signal = bool(result)
            objective.sandbagging_streak = result.streak if result else 0

    def _sandbagging_visible_owners(self, owners):
        """The owners whose sandbagging signal the current user may see."""
        user = self.env.user
        if user.has_group("bsc_okr.group_kpi_appraisal") or not owners:
            return owners.browse()
        my_employees = user.employee_ids
        # Only the org chart is read here (who reports to whom), not OKR
        # data; portal employees cannot read hr.employee themselves.
        reports = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("id", "in", owners.ids),
                    ("okr_manager_chain_ids", "in", my_employees.ids),
                ]
            )
        )
        return owners.filtered(lambda o: o in my_employees or o in reports)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("level", "department_id")
    def _check_department_management_mode(self):
        """Fusion mode 1: no team or individual OKRs in a 'BSC only' department."""
        for objective in self:
            # The management mode is configuration, readable by everybody in
            # the company; portal employees cannot read hr.department.
            department = objective.department_id.sudo()
            if (
                objective.level in ("team", "individual")
                and department.management_mode == "bsc"
            ):
                raise ValidationError(
                    self.env._(
                        "The department %(department)s runs on the Balanced "
                        "Scorecard only: team and individual OKRs are not used "
                        "there. Write a department objective instead, or ask an "
                        "administrator to change the department's management "
                        "mode.",
                        department=department.display_name,
                    )
                )

    @api.constrains("level", "department_id", "visibility")
    def _check_department_required(self):
        for objective in self:
            if not objective.department_id and (
                objective.level in ("department", "team")
                or objective.visibility == "department"
            ):
                raise ValidationError(
                    self.env._(
                        "The objective %(objective)s needs a department.",
                        objective=objective.name,
                    )
                )

    @api.constrains("parent_ids", "depends_on_ids", "company_id")
    def _check_alignment(self):
        """Parents and peers in the same company; no alignment loop."""
        for objective in self:
            for other in objective.parent_ids | objective.depends_on_ids:
                if other.id == objective.id:
                    raise ValidationError(
                        self.env._(
                            "The objective %(objective)s cannot contribute to "
                            "or depend on itself.",
                            objective=objective.name,
                        )
                    )
                # integrity check on companies; nothing of the other objective is
                # returned
                if other.sudo().company_id != objective.company_id:
                    raise ValidationError(
                        self.env._(
                            "The objective %(objective)s belongs to "
                            "%(company)s; it cannot align with an objective of "
                            "another company.",
                            objective=objective.name,
                            company=objective.company_id.name,
                        )
                    )
        self._validate_alignment_loops()

    def _validate_alignment_loops(self):
        """Refuse a parent that is, directly or not, a child of the objective."""
        if not self:
            return
        self.flush_model(["parent_ids"])
        # Only ids are read, to follow the alignment graph across objectives
        # the user may not see; names are shown below with the user's rights.
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.objective_id, rel.parent_id
                  FROM okr_objective_parent_rel rel
                  JOIN okr_objective obj ON obj.id = rel.objective_id
                 WHERE obj.company_id IN %s
                """,
                tuple(self.company_id.ids),
            )
        )
        edges = self.env.cr.fetchall()
        for objective in self:
            others = [edge for edge in edges if edge[0] != objective.id]
            for parent in objective.parent_ids:
                loop = graph.would_create_cycle(others, objective.id, parent.id)
                if loop:
                    raise ValidationError(
                        self.env._(
                            "Aligning %(objective)s to %(parent)s would create "
                            "a loop: %(loop)s.",
                            objective=objective.name,
                            # sudo: the parent chosen for alignment; named so the loop
                            # can be undone
                            parent=parent.sudo().name,
                            loop=self._okr_loop_names(loop),
                        )
                    )

    @api.model
    def _okr_loop_names(self, ids):
        """The loop as 'A -> B -> A', naming only what the user may see."""
        public = self.env["okr.objective.public"]
        visible = {
            rec.id: rec.name
            for rec in public.search_fetch([("id", "in", list(set(ids)))], ["name"])
        }
        hidden = self.env._("(an objective you cannot see)")
        return " -> ".join(visible.get(id_, hidden) for id_ in ids)

    @api.constrains("bsc_objective_id", "company_id")
    def _check_bsc_objective_company(self):
        for objective in self:
            # Only the company of the strategic objective is compared.
            strategic = objective.bsc_objective_id.sudo()
            if strategic and strategic.company_id != objective.company_id:
                raise ValidationError(
                    self.env._(
                        "The strategic objective %(strategic)s belongs to "
                        "another company than %(objective)s.",
                        strategic=strategic.name,
                        objective=objective.name,
                    )
                )

    @api.onchange("department_id")
    def _onchange_department_id_level(self):
        """In a 'BSC only' department the form moves to the department level
        before saving, instead of refusing the save."""
        if self.level in ("team", "individual"):
            self.level = self._okr_personal_level(self.department_id)

    @api.onchange("public_parent_id")
    def _onchange_public_parent_id_bsc(self):
        """An objective usually serves the strategy its parent serves."""
        if self.public_parent_id.bsc_objective_id and not self.bsc_objective_id:
            self.bsc_objective_id = self.public_parent_id.bsc_objective_id

    @api.constrains("owner_id", "member_ids", "company_id")
    def _check_people_company(self):
        for objective in self:
            # integrity check on companies; nothing is returned to the user
            people = (objective.owner_id | objective.member_ids).sudo()
            strangers = people.filtered(
                lambda e, o=objective: e.company_id and e.company_id != o.company_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "%(people)s do not work for %(company)s.",
                        people=", ".join(strangers.mapped("name")),
                        company=objective.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model
    def check_field_access_rights(self, operation, field_names):
        # The sandbagging fields are closed to appraisal staff with a
        # "!group" restriction, which Odoo's own error message cannot name
        # (it looks the group up as an xmlid): refuse them here, clearly.
        if (
            field_names
            and not self.env.su
            and {"sandbagging_signal", "sandbagging_streak"}.intersection(field_names)
            and self.env.user.has_group("bsc_okr.group_kpi_appraisal")
        ):
            raise AccessError(
                self.env._(
                    "The sandbagging signal is shown to an owner and their "
                    "managers only, never to KPI appraisal staff."
                )
            )
        return super().check_field_access_rights(operation, field_names)

    @api.model_create_multi
    def create(self, vals_list):
        # The approval mixin refuses any state but draft on creation.
        for vals in vals_list:
            self._okr_sync_primary_parent(vals)
        objectives = super().create(vals_list)
        objectives._okr_ensure_create_rights()
        return objectives

    def write(self, vals):
        # A state change is checked by the approval mixin's guard (super).
        locked = self._okr_locked_fields.intersection(vals)
        if locked and not self.env.su:
            self._okr_ensure_unlocked(locked)
        self._okr_sync_primary_parent(vals)
        result = super().write(vals)
        if not self.env.su and {"level", "cycle_id"}.intersection(vals):
            self._okr_ensure_create_rights()
        return result

    @api.model
    def _okr_sync_primary_parent(self, vals):
        """A primary parent set alone is also added to the parents."""
        if vals.get("public_parent_id") and "parent_ids" not in vals:
            vals["parent_ids"] = [Command.link(vals["public_parent_id"])]

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.env.su or self.env.user.has_group("bsc_okr.group_okr_admin"):
            return
        for objective in self:
            if objective.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "The objective %(objective)s has started; cancel it "
                        "instead of deleting it.",
                        objective=objective.name,
                    )
                )

    def _okr_ensure_create_rights(self):
        """Company objectives are written by OKR administrators or executives."""
        if self.env.su or self.env.user.has_group("bsc_okr.group_okr_admin"):
            return
        for objective in self:
            if objective.level == "company" and not self.env.user.has_group(
                "bsc_okr.group_executive"
            ):
                raise AccessError(
                    self.env._(
                        "Only OKR administrators and executives write company "
                        "objectives; %(objective)s can be a department, team or "
                        "individual objective.",
                        objective=objective.name,
                    )
                )
            if objective.cycle_id.state == "closed":
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is closed; choose a running or "
                        "planned cycle.",
                        cycle=objective.cycle_id.name,
                    )
                )

    def _okr_can_edit(self):
        """Whether the current user may change the content of all these
        objectives (title, cycle, owner, key results...): the owner while
        it is a draft, the owner's managers once it has left the draft, OKR
        administrators always. The write guards and the portal ask this."""
        return not self._okr_not_editable()

    def _okr_not_editable(self):
        """The objectives of ``self`` whose content the user may not change
        (see :meth:`_okr_can_edit`)."""
        if self.env.su or self.env.user.has_group("bsc_okr.group_okr_admin"):
            return self.browse()
        user = self.env.user
        drafts = self.filtered(lambda o: o.state == "draft")
        started = self - drafts
        return (
            drafts.filtered(lambda o: o.owner_user_id != user)
            | started - started._okr_managed_by_user()
        )

    def _okr_ensure_unlocked(self, field_names):
        """A draft is edited by its owner; past the draft, only managers of
        the owner and OKR admins edit (see :meth:`_okr_can_edit`)."""
        refused = self._okr_not_editable()
        if not refused:
            return
        objective = refused[0]
        labels = ", ".join(
            self._fields[name].get_description(self.env)["string"]
            for name in sorted(field_names)
        )
        if objective.state == "draft":
            raise UserError(
                self.env._(
                    "The objective %(objective)s is a draft: only its owner and "
                    "OKR administrators may change %(fields)s.",
                    objective=objective.name,
                    fields=labels,
                )
            )
        raise UserError(
            self.env._(
                "The objective %(objective)s is %(state)s: only its owner's "
                "managers and OKR administrators may change %(fields)s now. "
                "Post a check-in, or reset it to draft first.",
                objective=objective.name,
                state=objective._approval_state_label(objective.state),
                fields=labels,
            )
        )

    def _okr_ensure_key_results_editable(self):
        """Key results are part of the objective's content: fixed once the
        objective has left the draft, except for managers and OKR admins."""
        if self.env.su:
            return
        refused = self._okr_not_editable()
        if not refused:
            return
        objective = refused[0]
        if objective.state == "draft":
            raise UserError(
                self.env._(
                    "The objective %(objective)s is a draft: only its owner and "
                    "OKR administrators may change its key results.",
                    objective=objective.name,
                )
            )
        raise UserError(
            self.env._(
                "The objective %(objective)s is %(state)s: its key results "
                "are fixed. Post check-ins, or ask a manager to reset it "
                "to draft.",
                objective=objective.name,
                state=objective._approval_state_label(objective.state),
            )
        )

    def _okr_managed_by_user(self):
        """The objectives the current user manages: OKR managers in the
        owner's manager chain or managers of the objective's department
        (never their own objectives), and OKR administrators."""
        user = self.env.user
        if user.has_group("bsc_okr.group_kpi_appraisal"):
            return self.browse()
        if user.has_group("bsc_okr.group_okr_admin"):
            return self
        if not user.has_group("bsc_okr.group_okr_manager"):
            return self.browse()
        employees = user.employee_ids
        # The departments a user heads are org-chart facts, not OKR data.
        departments = employees.sudo().okr_managed_department_ids
        managed = self.sudo().search(
            [
                ("id", "in", self.ids),
                ("owner_id", "not in", employees.ids),
                "|",
                ("owner_id.okr_manager_chain_ids", "in", employees.ids),
                ("department_id", "child_of", departments.ids),
            ]
        )
        return self.browse(managed.ids)

    # ------------------------------------------------------------------
    # Approval workflow (okr.approval.mixin)
    # ------------------------------------------------------------------
    def _approval_apply(
        self, new_state, decision, transition, request=None, comment=None
    ):
        """Check what the target state needs before the mixin moves the
        state, and clean up what a closed objective no longer needs."""
        if new_state != self.state:
            if new_state == "active":
                self._okr_ensure_activation()
            elif new_state == "graded":
                self._okr_ensure_gradable()
        result = super()._approval_apply(
            new_state, decision, transition, request=request, comment=comment
        )
        if new_state in ("graded", "cancelled"):
            # Nothing is left to check in on or to grade.
            self.activity_unlink(
                [
                    "bsc_okr.mail_activity_type_okr_grading",
                    "bsc_okr.mail_activity_type_okr_checkin",
                ]
            )
        return result

    def _okr_apply_system_state(self, new_state, comment=None):
        """Move the objectives to ``new_state`` on behalf of the system.

        For transitions that follow from another record (the cycle closes,
        a learning plan is approved), whose caller already checked the
        user's right on that record. Goes through the mixin's single state
        method: the history records the step as ``applied``.
        """
        for objective in self:
            if objective.state == new_state:
                continue
            objective._approval_apply(
                new_state,
                "applied",
                {"from": objective.state, "to": new_state},
                comment=comment,
            )
        return True

    def _okr_ensure_activation(self):
        for objective in self:
            if not objective.key_result_ids:
                raise UserError(
                    self.env._(
                        "Add at least one key result to %(objective)s before "
                        "activating it.",
                        objective=objective.name,
                    )
                )
            if objective.cycle_id.state == "closed":
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is closed.",
                        cycle=objective.cycle_id.name,
                    )
                )

    def _okr_ensure_gradable(self):
        for objective in self:
            if objective.cycle_id.state not in ("grading", "closed"):
                raise UserError(
                    self.env._(
                        "The cycle %(cycle)s is not being graded yet.",
                        cycle=objective.cycle_id.name,
                    )
                )

    def _okr_withdraw_pending(self):
        """Withdraw the pending approval requests of these objectives."""
        pending = self.filtered("approval_pending")
        if pending:
            pending.action_approval_cancel_request()

    def action_submit(self):
        """Draft -> submitted: ask the owner's manager to approve."""
        return self.action_approval_request("approved")

    def action_approve(self):
        """Approve the pending submission (the approvers of the request)."""
        return self.action_approval_approve()

    def action_activate(self):
        """Approved -> active: check-ins open."""
        return self.action_approval_request("active")

    def action_mark_graded(self):
        """Active -> graded, once the owner has reviewed the grades."""
        return self.action_approval_request("graded")

    def action_cancel(self):
        """Drop the objective (withdrawing a pending submission first); its
        key results stop counting."""
        self._okr_withdraw_pending()
        return self.action_approval_request("cancelled")

    def action_reset_draft(self):
        """Back to draft, to rework the objective: withdraws a pending
        submission, or reopens an approved or cancelled objective."""
        pending = self.filtered("approval_pending")
        pending._okr_withdraw_pending()
        (self - pending).action_approval_request("draft")
        return True

    # ------------------------------------------------------------------
    # Other actions
    # ------------------------------------------------------------------
    def action_quick_checkin(self):
        """Open the quick check-in on every key result of the objective."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check In"),
            "res_model": "okr.checkin.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_objective_id": self.id},
        }

    def action_view_alignment(self):
        """The alignment tree around this objective."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_objective_public_action_alignment"
        )
        action["context"] = {"hierarchy_res_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _notify_grading(self):
        """Ask each internal owner to review the grades of their objectives:
        one grading activity per objective, never a second one (grading may
        be reopened). Portal owners get the "grading is open" message of the
        cycle instead; appraisal staff get nothing (see
        :meth:`_okr_people_to_notify`)."""
        activity_type = self.env.ref(
            "bsc_okr.mail_activity_type_okr_grading", raise_if_not_found=False
        )
        if not activity_type:
            return
        open_activities = {
            (activity.res_id, activity.user_id)
            for activity in self.env["mail.activity"].search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        for user, objectives in self._okr_people_to_notify().items():
            if user.share:
                continue
            for objective in objectives:
                if (objective.id, user) in open_activities:
                    continue
                # The cycle's "grading is open" message tells them already.
                objective.with_context(
                    mail_activity_quick_update=True
                ).activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._("Grade your key results"),
                )

    def _okr_people_to_notify(self):
        """The owners of these objectives who hear about them from the
        system (grading, cycle messages): ``{user: objectives}``. Appraisal
        staff are left out: the wall keeps every OKR message away from them,
        even about their own objectives (they are graded when the cycle
        closes)."""
        people = defaultdict(lambda: self.browse())
        for objective in self:
            user = objective.owner_user_id
            # sudo: whoever moves the cycle may not read other users' groups;
            # membership is only read here to leave appraisal staff out.
            if user and not user.sudo()._has_group("bsc_okr.group_kpi_appraisal"):
                people[user] |= objective
        return dict(people)

    def _okr_notification_url(self, user):
        """The absolute link ``user`` opens this objective with: the portal
        page for portal users, the back-end form for internal users."""
        self.ensure_one()
        path = f"/my/okrs/{self.id}" if user.share else f"/odoo/okr.objective/{self.id}"
        return self.get_base_url() + path

    # ------------------------------------------------------------------
    # Chatter (back end and the portal page)
    # ------------------------------------------------------------------
    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The objective if the user may ``mode`` it, else an empty recordset.

        Every chatter route (``/mail/message/post``, ``/mail/chatter_fetch``,
        ``/portal/chatter_init``, attachments, reactions) asks this. The
        portal's version falls back to an access token or a signed link;
        objectives have neither (the portal page has no token fallback
        either), and that fallback would read a field that does not exist
        (a 500 on a forged token). Only the user's own rights decide here,
        the same record rules as ``/my/okrs/<id>``: another person's
        objective answers 404, whatever token comes with the request.
        """
        if not isinstance(thread_id, int) or isinstance(thread_id, bool):
            return self.browse()
        thread = self.browse(thread_id)
        if thread.exists() and thread.sudo(False).has_access(mode):
            return thread
        return self.browse()

    def _get_access_action(self, access_uid=None, force_website=False):
        """Portal users open the objective on its portal page (the link of a
        chatter notification), internal users on the back-end form."""
        self.ensure_one()
        user = self.env["res.users"].browse(access_uid) if access_uid else self.env.user
        if force_website or user.share:
            return {
                "type": "ir.actions.act_url",
                "url": f"/my/okrs/{self.id}",
                "target": "self",
                "res_id": self.id,
            }
        return super()._get_access_action(
            access_uid=access_uid, force_website=force_website
        )

    @api.model
    def _cron_checkin_reminders(self):
        """Daily: on each company's reminder weekday, one check-in reminder
        per person (see ``res.users._okr_send_checkin_reminders``).

        One chunk of people per call; the cron runner commits and calls
        again while people are left (the progress API of ir.cron). Safe on
        several workers: a transaction-level advisory lock lets one run at a
        time, and each person is stamped with the day of their reminder, so
        a second run the same week sends nothing.
        """
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(hashtext(%s))", self._name + ".cron")
        )
        if not self.env.cr.fetchone()[0]:
            return
        today = fields.Date.context_today(self)
        done, remaining = self.env["res.users"]._okr_send_checkin_reminders(today)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    def init(self):
        """Keep the alignment links consistent when an objective is deleted.

        ``public_parent_id`` points at the public projection, a view, so the ORM
        cannot declare the foreign key; it is declared here on the table.
        """
        foreign_key = ("okr_objective", "public_parent_id", "okr_objective", "id")
        if not sql.get_foreign_keys(self.env.cr, *foreign_key, "set null"):
            sql.add_foreign_key(self.env.cr, *foreign_key, "set null")
