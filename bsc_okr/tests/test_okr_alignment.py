from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrAlignment(OkrCase):
    """Vertical and horizontal alignment, loops, companies, fusion modes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scorecard = cls.env["bsc.scorecard"].create(
            {
                "name": "Test Toys 2026",
                "company_id": cls.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        learning = cls.scorecard.perspective_ids.filtered(
            lambda p: p.kind == "learning"
        )[:1]

        def strategic(name, approach, **vals):
            return cls.env["bsc.objective"].create(
                {
                    "name": name,
                    "scorecard_id": cls.scorecard.id,
                    "perspective_id": learning.id,
                    "execution_approach": approach,
                    **vals,
                }
            )

        cls.bsc_innovate = strategic(
            "Build an innovative management team",
            "okr",
            department_id=cls.dept_management.id,
        )
        cls.bsc_lean = strategic("Lean production", "both")
        cls.bsc_cost = strategic("Control costs", "kpi")
        cls.scorecard.action_activate()

    def _public(self, objectives, user=None):
        Public = self.env["okr.objective.public"]
        if user:
            Public = Public.with_user(user)
        Public.invalidate_model()
        return Public.browse(objectives.ids)

    # ------------------------------------------------------------------
    # Vertical alignment
    # ------------------------------------------------------------------
    def test_tree_through_public_projection(self):
        tree = self._public(self.obj_company | self.obj_production | self.obj_employee)
        company, production, employee = tree
        self.assertFalse(company.parent_id)
        self.assertEqual(production.parent_id, company)
        self.assertEqual(employee.parent_id, production)
        self.assertEqual(company.child_ids, production)
        self.assertEqual(production.owner_name, "Manager")
        # A peer reads the tree (titles and progress), not the grades.
        tree_as_peer = self._public(
            self.obj_company | self.obj_employee, self.user_peer
        )
        self.assertEqual(
            tree_as_peer.mapped("name"),
            ["Become the preschool toy brand", "Halve changeover time"],
        )
        self.assertEqual(tree_as_peer[1].progress, 0.0)
        self.assertFalse(tree_as_peer[1].can_open_objective)
        self.assertTrue(
            self._public(self.obj_employee, self.user_manager).can_open_objective
        )

    def test_several_parents_and_primary(self):
        objective = self.obj_employee
        objective.parent_ids = [Command.link(self.obj_peer.id)]
        self.assertEqual(objective.public_parent_id.id, self.obj_production.id)
        self.assertEqual(
            set(objective.parent_ids.ids), {self.obj_production.id, self.obj_peer.id}
        )
        objective.public_parent_id = self.obj_peer.id
        self.assertEqual(objective.public_parent_id.id, self.obj_peer.id)
        objective.parent_ids = [Command.unlink(self.obj_peer.id)]
        self.assertEqual(objective.public_parent_id.id, self.obj_production.id)
        self.assertIn(objective.id, self._public(self.obj_production).child_ids.ids)

    def test_deleting_a_parent_unlinks_its_children(self):
        parent = self._make_objective(self.emp_employee, "Draft parent")
        child = self._make_objective(
            self.emp_employee, "Draft child", parent_ids=[Command.link(parent.id)]
        )
        self.assertEqual(child.public_parent_id.id, parent.id)
        parent.with_user(self.user_employee).unlink()
        self.assertFalse(child.public_parent_id)
        self.assertFalse(child.parent_ids)

    def test_primary_parent_alone_joins_the_parents(self):
        draft = self._make_objective(
            self.emp_employee,
            "Set by its primary parent",
            public_parent_id=self.obj_peer.id,
        )
        self.assertEqual(draft.parent_ids.ids, [self.obj_peer.id])

    def test_alignment_loop_refused_with_its_path(self):
        with self.assertRaisesRegex(
            ValidationError,
            "Lean lines -> Halve changeover time -> Lean lines",
        ):
            self.obj_production.parent_ids = [Command.link(self.obj_employee.id)]
        with self.assertRaisesRegex(
            ValidationError,
            "Become the preschool toy brand -> Halve changeover time -> Lean lines "
            "-> Become the preschool toy brand",
        ):
            self.obj_company.parent_ids = [Command.link(self.obj_employee.id)]
        with self.assertRaisesRegex(ValidationError, "itself"):
            self.obj_company.parent_ids = [Command.link(self.obj_company.id)]
        self.assertFalse(self.obj_company.parent_ids)

    def test_loop_names_only_what_the_user_may_see(self):
        self.obj_production.visibility = "private"
        loop = [self.obj_company.id, self.obj_production.id, self.obj_company.id]
        as_peer = self.env["okr.objective"].with_user(self.user_peer)
        self.assertEqual(
            as_peer._okr_loop_names(loop),
            "Become the preschool toy brand -> (an objective you cannot see) "
            "-> Become the preschool toy brand",
        )
        as_manager = self.env["okr.objective"].with_user(self.user_manager)
        self.assertIn("Lean lines", as_manager._okr_loop_names(loop))

    def test_parent_in_another_company(self):
        other_cycle = self.env["okr.cycle"].create(
            {
                "name": "Q1 2026",
                "company_id": self.other_company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-03-31",
            }
        )
        other_owner = self.env["hr.employee"].create(
            {"name": "Elsewhere", "company_id": self.other_company.id}
        )
        foreign = self.env["okr.objective"].create(
            {
                "name": "Foreign",
                "cycle_id": other_cycle.id,
                "company_id": self.other_company.id,
                "owner_id": other_owner.id,
            }
        )
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.obj_employee.parent_ids = [Command.link(foreign.id)]
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.obj_employee.depends_on_ids = [Command.link(foreign.id)]
        with self.assertRaisesRegex(ValidationError, "do not work for"):
            self.env["okr.key.result"].create(
                {
                    "objective_id": self.obj_employee.id,
                    "name": "Foreign owner",
                    "owner_id": other_owner.id,
                }
            )
        self.assertEqual(self.obj_employee.parent_ids.ids, [self.obj_production.id])

    # ------------------------------------------------------------------
    # Horizontal alignment
    # ------------------------------------------------------------------
    def test_peers_depend_and_support(self):
        self.obj_production.depends_on_ids = [Command.link(self.obj_peer.id)]
        self.obj_peer.invalidate_recordset()
        self.assertEqual(self.obj_peer.supported_by_ids.ids, [self.obj_production.id])
        public_peer = self._public(self.obj_peer, self.user_employee)
        self.assertEqual(public_peer.supported_by_ids.ids, [self.obj_production.id])
        with self.assertRaisesRegex(ValidationError, "itself"):
            self.obj_peer.depends_on_ids = [Command.link(self.obj_peer.id)]

    # ------------------------------------------------------------------
    # Fusion mode 1: management modes
    # ------------------------------------------------------------------
    def test_bsc_only_department_refuses_team_and_individual_okrs(self):
        # The peer's individual OKR would refuse the switch (test_first_minutes).
        self.obj_peer.level = "department"
        self.dept_sales.management_mode = "bsc"
        for level in ("team", "individual"):
            with self.assertRaisesRegex(ValidationError, "Balanced Scorecard only"):
                self._make_objective(
                    self.emp_peer,
                    f"{level} OKR",
                    level=level,
                    department_id=self.dept_sales.id,
                )
        department_okr = self._make_objective(
            self.emp_peer,
            "Sales department OKR",
            level="department",
            department_id=self.dept_sales.id,
        )
        self.assertEqual(department_okr.level, "department")
        # An objective cannot move into a BSC-only department either.
        with self.assertRaisesRegex(ValidationError, "Balanced Scorecard only"):
            department_okr.level = "team"

    def test_objective_in_closed_cycle(self):
        self.cycle.action_start_grading()
        self.cycle.action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.env["okr.objective"].with_user(self.user_employee).create(
                {
                    "name": "Too late",
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_employee.id,
                }
            )

    # ------------------------------------------------------------------
    # Fusion mode 2: strategic objectives and coverage
    # ------------------------------------------------------------------
    def test_coverage(self):
        strategic = self.bsc_innovate | self.bsc_lean | self.bsc_cost
        self.assertEqual(strategic.mapped("okr_count"), [0, 0, 0])
        self.assertEqual(strategic.mapped("okr_coverage_missing"), [True, True, False])
        self.obj_company.bsc_objective_id = self.bsc_innovate
        strategic.invalidate_recordset()
        BscObjective = self.env["bsc.objective"].with_user(self.user_strategy)
        uncovered = BscObjective.search(
            [("id", "in", strategic.ids), ("okr_uncovered", "=", True)]
        )
        self.assertEqual(uncovered, self.bsc_lean | self.bsc_cost)
        covered = BscObjective.search(
            [("id", "in", strategic.ids), ("okr_uncovered", "=", False)]
        )
        self.assertEqual(covered, self.bsc_innovate)
        self.assertEqual(BscObjective.browse(self.bsc_innovate.id).okr_count, 1)
        # OKRs of closed cycles, or cancelled ones, serve nothing any more.
        self.cycle.action_start_grading()
        self.cycle.action_close()
        self.bsc_innovate.invalidate_recordset()
        self.assertEqual(self.bsc_innovate.okr_count, 0)
        self.assertTrue(self.bsc_innovate.okr_coverage_missing)

    def test_cancelled_okrs_do_not_cover(self):
        self.obj_company.bsc_objective_id = self.bsc_innovate
        self.obj_company.with_user(self.user_ceo).action_cancel()
        self.bsc_innovate.invalidate_recordset()
        self.assertEqual(self.bsc_innovate.okr_count, 0)

    def test_coverage_counts_only_visible_okrs(self):
        self.obj_private.bsc_objective_id = self.bsc_lean
        self.assertEqual(
            self.env["bsc.objective"]
            .with_user(self.user_strategy)
            .browse(self.bsc_lean.id)
            .okr_count,
            0,
        )
        self.assertEqual(
            self.env["bsc.objective"]
            .with_user(self.user_manager)
            .browse(self.bsc_lean.id)
            .okr_count,
            1,
        )
        # Appraisal staff learn nothing from coverage.
        self.obj_peer.bsc_objective_id = self.bsc_cost
        self.assertEqual(
            self.env["bsc.objective"]
            .with_user(self.user_hr)
            .browse(self.bsc_cost.id)
            .okr_count,
            0,
        )

    def test_create_aligned_okr(self):
        action = self.bsc_innovate.with_user(self.user_ceo).action_create_aligned_okr()
        self.assertEqual(action["res_model"], "okr.objective")
        form = Form(
            self.env["okr.objective"]
            .with_user(self.user_ceo)
            .with_context(**action["context"])
        )
        self.assertEqual(form.name, "Build an innovative management team")
        self.assertEqual(form.bsc_objective_id, self.bsc_innovate)
        self.assertEqual(form.cycle_id, self.cycle)
        self.assertEqual(form.level, "department")
        self.assertEqual(form.okr_type, "aspirational")
        self.assertEqual(form.owner_id, self.emp_ceo)
        with form.key_result_ids.new() as kr:
            kr.name = "Each manager proposes one new direction"
            kr.target_value = 8
        objective = form.save()
        self.assertEqual(objective.state, "draft")
        self.assertEqual(objective.department_id, self.dept_management)
        self.assertEqual(self.bsc_innovate.okr_count, 1)

    def test_strategic_objective_of_another_company(self):
        other_card = self.env["bsc.scorecard"].create(
            {
                "name": "Other 2026",
                "company_id": self.other_company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        foreign = self.env["bsc.objective"].create(
            {
                "name": "Foreign strategy",
                "scorecard_id": other_card.id,
                "perspective_id": other_card.perspective_ids[:1].id,
                "execution_approach": "okr",
            }
        )
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.obj_company.bsc_objective_id = foreign
