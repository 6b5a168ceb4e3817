from odoo import api, fields, models
from odoo.tools import SQL, drop_view_if_exists

from .okr_objective import LEVELS, OKR_TYPES, STATES, VISIBILITIES


class OkrObjectivePublic(models.Model):
    """What OKR transparency allows everybody to see of an objective.

    A read-only SQL view over ``okr.objective`` (like ``hr.employee.public``)
    with titles, owners, alignment and progress, and deliberately no grade,
    confidence or check-in column. Company pages, alignment trees and parent
    pickers read this model; its read rule follows the objective's
    visibility (see security/okr_security.xml).

    Every stored field declared here must exist as a column of
    ``okr_objective`` (it is copied as is), except the few computed in the
    view's SELECT (see :meth:`_okr_view_extra_columns`).
    """

    _name = "okr.objective.public"
    _description = "Objective (public)"
    _inherit = ["bsc.progress.mixin"]
    _auto = False
    _log_access = True
    _order = "cycle_id desc, sequence, id"
    _depends = {
        "okr.objective": [
            "name",
            "description",
            "sequence",
            "cycle_id",
            "company_id",
            "level",
            "owner_id",
            "owner_user_id",
            "department_id",
            "okr_type",
            "visibility",
            "state",
            "progress",
            "public_parent_id",
            "is_learning",
            "bsc_objective_id",
            "member_ids",
            "parent_ids",
            "depends_on_ids",
        ],
        "hr.employee": ["name"],
    }

    # The objective's columns, copied as they are: one value per language.
    name = fields.Char(string="Title", readonly=True, translate=True)
    description = fields.Text(readonly=True, translate=True)
    sequence = fields.Integer(readonly=True)
    cycle_id = fields.Many2one("okr.cycle", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    level = fields.Selection(LEVELS, readonly=True)
    owner_id = fields.Many2one("hr.employee", readonly=True)
    owner_user_id = fields.Many2one("res.users", readonly=True)
    owner_name = fields.Char(
        readonly=True,
        help="The owner's name, for readers who may not read employees "
        "(portal employees).",
    )
    department_id = fields.Many2one("hr.department", readonly=True)
    okr_type = fields.Selection(OKR_TYPES, string="Type", readonly=True)
    visibility = fields.Selection(VISIBILITIES, readonly=True)
    state = fields.Selection(STATES, readonly=True)
    progress = fields.Float(readonly=True, aggregator="avg")
    parent_id = fields.Many2one(
        "okr.objective.public", string="Primary Parent", readonly=True
    )
    child_ids = fields.One2many(
        "okr.objective.public", "parent_id", string="Aligned Objectives"
    )
    is_learning = fields.Boolean(string="Learning Goal", readonly=True)
    bsc_objective_id = fields.Many2one(
        "bsc.objective", string="Strategic Objective", readonly=True
    )
    member_ids = fields.Many2many(
        "hr.employee",
        "okr_objective_member_rel",
        "objective_id",
        "employee_id",
        string="Members",
        readonly=True,
    )
    parent_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_parent_rel",
        "objective_id",
        "parent_id",
        string="Contributes To",
        readonly=True,
    )
    depends_on_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_dependency_rel",
        "objective_id",
        "depends_on_id",
        readonly=True,
    )
    supported_by_ids = fields.Many2many(
        "okr.objective.public",
        "okr_objective_dependency_rel",
        "depends_on_id",
        "objective_id",
        string="Needed By",
        readonly=True,
    )
    objective_id = fields.Many2one(
        "okr.objective",
        compute="_compute_objective_id",
        help="The full objective, which only its owner, their managers and "
        "OKR administrators may open.",
    )
    can_open_objective = fields.Boolean(compute="_compute_objective_id")

    @api.depends_context("uid")
    def _compute_objective_id(self):
        readable = self.env["okr.objective"].search([("id", "in", self.ids)])
        for objective in self:
            objective.objective_id = objective.id
            objective.can_open_objective = objective.id in readable.ids

    def action_open_objective(self):
        """Open the full objective; its own read rule decides."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "okr.objective",
            "res_id": self.id,
            "views": [(False, "form")],
        }

    @api.model
    def _okr_company_page_domain(self, cycle):
        """What the company's OKR page shows of ``cycle``: the public
        objectives once approved (drafts and cancelled ones are not news)."""
        return [
            ("cycle_id", "=", cycle.id),
            ("visibility", "=", "public"),
            ("state", "in", ("approved", "active", "graded")),
        ]

    @api.model
    def _okr_view_extra_columns(self):
        """Columns of the view not copied from okr_objective: name -> SQL."""
        return {
            "owner_name": SQL("emp.name"),
            # okr.objective names it for what it holds, a public objective.
            "parent_id": SQL("obj.public_parent_id"),
        }

    def init(self):
        """(Re)create the view from the stored fields of this model."""
        extra = self._okr_view_extra_columns()
        columns = [
            SQL("%s AS %s", extra[name], SQL.identifier(name))
            if name in extra
            else SQL.identifier("obj", name)
            for name, field in self._fields.items()
            if field.store and field.column_type
        ]
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT %s
                      FROM okr_objective obj
                      LEFT JOIN hr_employee emp ON emp.id = obj.owner_id
                )
                """,
                SQL.identifier(self._table),
                SQL(", ").join(columns),
            )
        )
