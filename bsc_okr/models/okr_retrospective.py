from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import plaintext2html

NEXT_STEPS = [
    ("carry_over", "Carry over"),
    ("drop", "Drop"),
    ("learning_plan", "Turn into a learning plan"),
]


class OkrRetrospective(models.Model):
    """What the team learned from one objective, written while its cycle is
    graded: what worked, what did not, what we learned, and the next step
    (carry it over into the next cycle, drop it, or turn it into a learning
    plan).

    One per objective. The owner writes it; the owner's managers add their
    comment. Who reads it is who reads the objective (``user_can_read``: the
    objective's rules decide, appraisal staff included); who may change it is
    who may change the objective (``user_can_write``), and the field rights
    below (:meth:`_okr_check_rights`) narrow that to the owner's part and the
    manager's part. Once the cycle is closed it is read-only.
    """

    _name = "okr.retrospective"
    _description = "OKR Retrospective"
    _inherit = ["mail.thread", "bsc.authored.text.mixin"]
    _order = "id desc"
    _rec_name = "name"

    #: Written by the objective's owner.
    _okr_owner_fields = {"what_worked", "what_did_not", "what_learned", "next_step"}
    #: Written by the owner's managers.
    _okr_manager_fields = {"manager_comment"}

    objective_id = fields.Many2one(
        "okr.objective",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    # Not stored, so read with the reader's rights (compute_sudo=False):
    # computing them fetches nothing of this record, and a sudo related
    # would hand the objective's title or grade to anybody holding an id.
    name = fields.Char(
        related="objective_id.name", string="Objective Title", compute_sudo=False
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True
    )
    cycle_id = fields.Many2one(related="objective_id.cycle_id", store=True, index=True)
    cycle_state = fields.Selection(
        related="objective_id.cycle_id.state", compute_sudo=False
    )
    owner_id = fields.Many2one(related="objective_id.owner_id", store=True, index=True)
    owner_user_id = fields.Many2one(
        related="objective_id.owner_user_id", store=True, index=True
    )
    department_id = fields.Many2one(
        related="objective_id.department_id", store=True, index=True
    )
    grade = fields.Float(related="objective_id.grade", compute_sudo=False)
    what_worked = fields.Text(
        translate=True, help="What went well and should be kept next time."
    )
    what_did_not = fields.Text(
        string="What Did Not Work",
        translate=True,
        help="What got in the way, without blaming anybody.",
    )
    what_learned = fields.Text(
        string="What We Learned",
        translate=True,
        help="The lesson, in a sentence or two, that the next cycle starts from.",
    )
    next_step = fields.Selection(
        selection=NEXT_STEPS,
        tracking=True,
        help="Carry over: copied into the next cycle (from the wizard, or when "
        "the cycle closes). Drop: it ends here. Learning plan: the lesson "
        "becomes a learning plan proposal.",
    )
    manager_comment = fields.Text(
        translate=True, help="The manager's word on the retrospective."
    )
    learning_plan_ids = fields.One2many(
        "okr.learning.plan",
        "retrospective_id",
        string="Learning Plans",
        readonly=True,
    )
    can_write_owner_part = fields.Boolean(compute="_compute_user_rights")
    can_write_manager_part = fields.Boolean(compute="_compute_user_rights")
    user_can_read = fields.Boolean(
        compute="_compute_user_can_read",
        search="_search_user_can_read",
        help="Technical: the reader may read the objective (what the record "
        "rules ask).",
    )
    user_can_write = fields.Boolean(
        compute="_compute_user_can_read",
        search="_search_user_can_write",
        help="Technical: the user may change the objective (what the record "
        "rules ask).",
    )

    _sql_constraints = [
        (
            "objective_uniq",
            "UNIQUE(objective_id)",
            "An objective has one retrospective.",
        ),
    ]

    # ------------------------------------------------------------------
    # Access: the objective's rules decide
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    @api.depends("objective_id")
    def _compute_user_can_read(self):
        # The actual user's rights on the objectives (also on a superuser
        # environment: the record rules check sudo records with this field).
        env = self.sudo(False).env
        objectives = env["okr.objective"].browse(self.objective_id.ids)
        readable = set(objectives._filtered_access("read").ids)
        writable = set(objectives._filtered_access("write").ids)
        for retro in self:
            retro.user_can_read = retro.objective_id.id in readable
            retro.user_can_write = retro.objective_id.id in writable

    def _okr_objective_domain(self, operator, value, mode):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on retrospective access."))
        # Record rules evaluate their domains as superuser: step back to the
        # actual user to compute the objective's rules for ``mode`` (one home
        # for who sees and changes which OKR), then evaluate them as the ORM
        # evaluates rules, as superuser.
        env = self.sudo(False).env
        rule_domain = env["ir.rule"]._compute_domain("okr.objective", mode)
        objectives = env["okr.objective"].sudo()._search(rule_domain or [])
        domain = [("objective_id", "in", objectives)]
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    def _search_user_can_read(self, operator, value):
        return self._okr_objective_domain(operator, value, "read")

    def _search_user_can_write(self, operator, value):
        return self._okr_objective_domain(operator, value, "write")

    @api.depends_context("uid")
    @api.depends("objective_id.owner_user_id", "cycle_id.state")
    def _compute_user_rights(self):
        for retro in self:
            objective = retro.objective_id
            open_ = objective.cycle_id.state == "grading"
            retro.can_write_owner_part = bool(objective) and (
                (self.env.su and open_) or objective._okr_retrospective_open_to_owner()
            )
            retro.can_write_manager_part = open_ and bool(
                self.env.su or retro.objective_id._okr_managed_by_user()
            )

    def _okr_check_rights(self, fnames):
        """Refuse a change the user may not make: retrospectives are written
        while the cycle is graded (closed: read-only), the owner writes the
        owner's part, the owner's managers the comment."""
        if self.env.su:
            return
        user = self.env.user
        for retro in self:
            objective = retro.objective_id
            if objective.cycle_id.state != "grading":
                raise UserError(
                    self.env._(
                        "The retrospective of %(objective)s can only be written "
                        "while its cycle %(cycle)s is being graded.",
                        objective=objective.name,
                        cycle=objective.cycle_id.name,
                    )
                )
            if objective.state not in ("active", "graded"):
                raise UserError(
                    self.env._(
                        "The objective %(objective)s did not run this cycle: it "
                        "has no retrospective.",
                        objective=objective.name,
                    )
                )
            if fnames & self._okr_owner_fields and objective.owner_user_id != user:
                raise AccessError(
                    self.env._(
                        "Only the owner of %(objective)s writes its "
                        "retrospective; managers add their comment.",
                        objective=objective.name,
                    )
                )
            if (
                fnames & self._okr_manager_fields
                and not objective._okr_managed_by_user()
            ):
                raise AccessError(
                    self.env._(
                        "Only the managers of the owner of %(objective)s comment "
                        "on its retrospective.",
                        objective=objective.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        retros = super().create(vals_list)
        for retro, vals in zip(retros, vals_list, strict=True):
            # Creating is the start of either part: the owner's or a
            # manager's comment.
            fnames = set(vals) & (self._okr_owner_fields | self._okr_manager_fields)
            retro._okr_check_rights(fnames)
            if not self.env.su and not fnames:
                objective = retro.objective_id
                if (
                    objective.owner_user_id != self.env.user
                    and not objective._okr_managed_by_user()
                ):
                    raise AccessError(
                        self.env._(
                            "Only the owner of %(objective)s and their managers "
                            "write its retrospective.",
                            objective=objective.name,
                        )
                    )
        return retros

    def write(self, vals):
        if "objective_id" in vals and not self.env.su:
            raise UserError(self.env._("A retrospective stays with its objective."))
        self._okr_check_rights(set(vals))
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _okr_learning_plan_defaults(self):
        """The proposal a retrospective turns into: the objective's title and
        the lesson, as the context defaults of the learning plan form."""
        self.ensure_one()
        objective = self.objective_id
        parts = [
            (self.env._("What we learned"), self.what_learned),
            (self.env._("What worked"), self.what_worked),
            (self.env._("What did not work"), self.what_did_not),
        ]
        direction = "".join(
            f"<h4>{escape(label)}</h4>{plaintext2html(text)}"
            for label, text in parts
            if text
        )
        return {
            "default_name": objective.name,
            "default_goal_name": objective.name,
            "default_goal_description": self.what_learned or objective.description,
            "default_direction": direction,
            "default_retrospective_id": self.id,
        }

    def action_propose_learning_plan(self):
        """Open a learning plan proposal prefilled from this retrospective."""
        self.ensure_one()
        if self.next_step != "learning_plan":
            raise UserError(
                self.env._(
                    "Choose 'Turn into a learning plan' as the next step of "
                    "%(objective)s first.",
                    objective=self.objective_id.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose a Learning Plan"),
            "res_model": "okr.learning.plan",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._okr_learning_plan_defaults(),
        }

    def action_open_objective(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "okr.objective",
            "views": [(False, "form")],
            "res_id": self.objective_id.id,
        }
