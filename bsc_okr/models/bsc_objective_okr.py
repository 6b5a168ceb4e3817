from odoo import api, fields, models
from odoo.exceptions import UserError


class BscObjective(models.Model):
    """Strategic objectives seen from the OKR side (fusion mode 2).

    Which OKRs serve an objective is read through ``okr.objective.public``
    with the reader's own rights: coverage never reveals an OKR its reader
    may not see, and appraisal staff (who read only their own OKRs) learn
    nothing from it.
    """

    _inherit = "bsc.objective"

    okr_objective_ids = fields.One2many(
        "okr.objective.public",
        "bsc_objective_id",
        string="Aligned OKRs",
        domain=[("state", "!=", "cancelled")],
        help="The OKRs serving this strategic objective, as far as you may see.",
    )
    okr_count = fields.Integer(
        compute="_compute_okr_count",
        string="Aligned OKR Count",
        help="OKRs of open cycles (not closed, not cancelled) serving this "
        "strategic objective, as far as you may see them.",
    )
    okr_uncovered = fields.Boolean(
        compute="_compute_okr_count",
        search="_search_okr_uncovered",
        string="Not Served by an OKR",
        help="No OKR of an open cycle (that you may see) serves this "
        "strategic objective.",
    )
    okr_coverage_missing = fields.Boolean(
        compute="_compute_okr_count",
        string="OKR Missing",
        help="Driven by OKRs (execution approach OKR or both) but no OKR "
        "serves it yet.",
    )

    @api.model
    def _okr_serving_domain(self):
        """The OKRs that count as serving a strategic objective now."""
        return [
            ("bsc_objective_id", "!=", False),
            ("state", "!=", "cancelled"),
            ("cycle_id.state", "!=", "closed"),
        ]

    @api.depends_context("uid")
    @api.depends("execution_approach")
    def _compute_okr_count(self):
        counts = dict(
            self.env["okr.objective.public"]._read_group(
                [("bsc_objective_id", "in", self.ids), *self._okr_serving_domain()],
                ["bsc_objective_id"],
                ["__count"],
            )
        )
        for objective in self:
            count = counts.get(objective, 0)
            objective.okr_count = count
            objective.okr_uncovered = not count
            objective.okr_coverage_missing = not count and (
                objective.execution_approach in ("okr", "both")
            )

    def _search_okr_uncovered(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on 'Not Served by an OKR'."))
        served = self.env["okr.objective.public"]._search(self._okr_serving_domain())
        operator_in = "not in" if (operator == "=") == value else "in"
        return [("id", operator_in, served.subselect("bsc_objective_id"))]

    def action_create_aligned_okr(self):
        """Open a draft objective pre-filled to serve this strategic objective."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        cycle = self.env["okr.cycle"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("planning", "running")),
                ("date_end", ">=", today),
            ],
            order="date_start",
            limit=1,
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Aligned OKR"),
            "res_model": "okr.objective",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_name": self.name,
                "default_bsc_objective_id": self.id,
                "default_company_id": self.company_id.id,
                "default_cycle_id": cycle.id,
                "default_level": "department" if self.department_id else "company",
                "default_department_id": self.department_id.id,
                "default_okr_type": "committed"
                if self.execution_approach == "kpi"
                else "aspirational",
                "default_description": self.env._(
                    "Serves the strategic objective %(objective)s.",
                    objective=self.name,
                ),
            },
        }

    def action_view_aligned_okrs(self):
        """The OKRs serving this strategic objective, in the alignment tree."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.okr_objective_public_action"
        )
        action["domain"] = [("bsc_objective_id", "=", self.id)]
        action["context"] = {"search_default_not_cancelled": 1}
        return action
