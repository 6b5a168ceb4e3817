"""Balanced Scorecard fixtures on top of BscOkrCase's company and roles.

A scorecard for 2025-2027 in the test company, active, with one objective
per perspective, a cause-effect chain and measures owned by the employee
(Production), the manager and the sales peer. Test classes freeze today
at 2026-03-15 (``FROZEN_TODAY``) so that periods have started.
"""

from odoo.fields import Command

from .common import BscOkrCase

FROZEN_TODAY = "2026-03-15"


class BscCase(BscOkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.theme_scale = cls.env["bsc.theme"].create(
            {"name": "Scale", "color": "#1f77b4", "company_id": cls.company.id}
        )
        cls.scorecard = cls.env["bsc.scorecard"].create(
            {
                "name": "Test Strategy",
                "company_id": cls.company.id,
                "date_from": "2025-01-01",
                "date_to": "2027-12-31",
                "owner_id": cls.emp_ceo.id,
                "theme_ids": [Command.link(cls.theme_scale.id)],
            }
        )
        cls.persp = {p.kind: p for p in cls.scorecard.perspective_ids}
        cls.obj_learning = cls.make_objective("Learn lean", "learning")
        cls.obj_process = cls.make_objective(
            "Lean production", "process", department=cls.dept_production
        )
        cls.obj_customer = cls.make_objective("Happy partners", "customer")
        cls.obj_financial = cls.make_objective("Grow revenue", "financial")
        cls.env["bsc.objective.link"].create(
            [
                {"cause_id": cls.obj_learning.id, "effect_id": cls.obj_process.id},
                {"cause_id": cls.obj_process.id, "effect_id": cls.obj_customer.id},
                {"cause_id": cls.obj_customer.id, "effect_id": cls.obj_financial.id},
            ]
        )
        cls.measure_own = cls.make_measure(
            "Defect-free rate", cls.obj_process, owner=cls.emp_employee, target=100
        )
        cls.measure_manager = cls.make_measure(
            "Line uptime", cls.obj_process, owner=cls.emp_manager, target=100
        )
        cls.measure_peer = cls.make_measure(
            "Partner satisfaction", cls.obj_customer, owner=cls.emp_peer, target=100
        )
        cls.scorecard.state = "active"

    @classmethod
    def make_objective(cls, name, kind, scorecard=None, **kwargs):
        scorecard = scorecard or cls.scorecard
        department = kwargs.pop("department", None)
        perspective = scorecard.perspective_ids.filtered(lambda p: p.kind == kind)
        return cls.env["bsc.objective"].create(
            {
                "name": name,
                "scorecard_id": scorecard.id,
                "perspective_id": perspective.id,
                "department_id": department.id if department else False,
                **kwargs,
            }
        )

    @classmethod
    def make_measure(cls, name, objective, owner=None, **kwargs):
        return cls.env["bsc.measure"].create(
            {
                "name": name,
                "objective_id": objective.id,
                "owner_id": owner.id if owner else False,
                **kwargs,
            }
        )

    def period(self, code, scorecard=None):
        scorecard = scorecard or self.scorecard
        return scorecard.period_ids.filtered(lambda p: p.code == code)

    def record_values(self, measure, values):
        """Record {'YYYY-MM': value} for a measure as the superuser."""
        return self.env["bsc.measure.value"].create(
            [
                {
                    "measure_id": measure.id,
                    "period_id": self.period(code, measure.scorecard_id).id,
                    "value": value,
                }
                for code, value in values.items()
            ]
        )
