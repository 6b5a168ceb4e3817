from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscSecurity(BscCase):
    """Who reads and writes what in the Balanced Scorecard, role by role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls.env["bsc.scorecard"].create(
            {
                "name": "Production draft",
                "company_id": cls.company.id,
                "department_id": cls.dept_production.id,
                "parent_id": cls.scorecard.id,
            }
        )
        cls.draft_objective = cls.make_objective(
            "Draft objective", "process", scorecard=cls.draft
        )
        cls.measure_portal = cls.make_measure(
            "Shop-floor suggestions", cls.obj_process, owner=cls.emp_portal
        )
        cls.initiative = cls.env["bsc.initiative"].create(
            {
                "name": "Kaizen weeks",
                "company_id": cls.company.id,
                "objective_ids": [Command.link(cls.obj_process.id)],
                "owner_id": cls.emp_employee.id,
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Workshops",
                            "metric": "workshops held",
                            "start_value": 0,
                            "target_value": 10,
                        }
                    )
                ],
            }
        )
        cls.other_card = cls.env["bsc.scorecard"].create(
            {"name": "Other company map", "company_id": cls.other_company.id}
        )

    def push(self, user, measure, value=50):
        return measure.with_user(user).push_value("2026-03", value)

    # -- every employee ------------------------------------------------
    def test_employee_reads_active_maps_only(self):
        Scorecard = self.env["bsc.scorecard"].with_user(self.user_employee)
        visible = Scorecard.search([("company_id", "=", self.company.id)])
        self.assertEqual(visible, self.scorecard)
        self.assertTrue(self.obj_financial.with_user(self.user_employee).name)
        self.assertTrue(self.measure_peer.with_user(self.user_employee).name)
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user_employee).name  # noqa: B018
        with self.assertRaises(AccessError):
            self.draft_objective.with_user(self.user_employee).name  # noqa: B018

    def test_employee_enters_values_of_own_measures_only(self):
        self.push(self.user_employee, self.measure_own)
        with self.assertRaises(AccessError):
            self.push(self.user_employee, self.measure_peer)
        with self.assertRaises(AccessError):
            self.push(self.user_employee, self.measure_manager)

    def test_employee_cannot_edit_strategy(self):
        with self.assertRaises(AccessError):
            self.obj_process.with_user(self.user_employee).name = "Mine now"
        with self.assertRaises(AccessError):
            self.env["bsc.scorecard"].with_user(self.user_employee).create(
                {"name": "Rogue", "company_id": self.company.id}
            )
        with self.assertRaises(AccessError):
            self.measure_own.with_user(self.user_employee).target = 1
        with self.assertRaises(AccessError):
            self.scorecard.with_user(self.user_employee).action_activate()
        with self.assertRaises(AccessError):
            self.scorecard.with_user(self.user_employee).action_recompute()
        with self.assertRaises(AccessError):
            self.measure_own.with_user(self.user_employee).action_refresh_live()

    def test_portal_employee(self):
        data = self.scorecard.with_user(self.user_portal).get_strategy_map_data()
        self.assertEqual(len(data["objectives"]), 4)
        self.push(self.user_portal, self.measure_portal)
        with self.assertRaises(AccessError):
            self.push(self.user_portal, self.measure_own)
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user_portal).name  # noqa: B018

    def test_kpi_appraisal_gets_no_more_than_employees(self):
        hr = self.user_hr
        self.assertTrue(self.scorecard.with_user(hr).name)
        with self.assertRaises(AccessError):
            self.draft.with_user(hr).name  # noqa: B018
        with self.assertRaises(AccessError):
            self.push(hr, self.measure_own)
        with self.assertRaises(AccessError):
            self.obj_process.with_user(hr).weight = 2

    # -- managers --------------------------------------------------------
    def test_manager_reads_department_scorecards(self):
        self.assertEqual(
            self.draft.with_user(self.user_manager).name, "Production draft"
        )
        self.assertTrue(self.draft_objective.with_user(self.user_manager).name)
        with self.assertRaises(AccessError):
            self.draft.with_user(self.user_manager).name = "Renamed"

    def test_manager_enters_values_of_department_measures(self):
        self.push(self.user_manager, self.measure_manager)
        # Owned by the employee, but in the manager's department.
        self.push(self.user_manager, self.measure_own)
        with self.assertRaises(AccessError):
            self.push(self.user_manager, self.measure_peer)

    # -- executives and strategy officers --------------------------------
    def test_executive_reads_everything_writes_nothing(self):
        executive = self.user_executive
        self.assertEqual(self.draft.with_user(executive).name, "Production draft")
        with self.assertRaises(AccessError):
            self.draft.with_user(executive).name = "Renamed"
        with self.assertRaises(AccessError):
            self.push(executive, self.measure_own)

    def test_strategy_officer_manages_everything_of_the_company(self):
        officer = self.user_strategy
        card = (
            self.env["bsc.scorecard"]
            .with_user(officer)
            .create({"name": "New map", "company_id": self.company.id})
        )
        objective = self.make_objective("Officer objective", "customer", scorecard=card)
        objective.with_user(officer).weight = 2
        self.draft.with_user(officer).name = "Renamed"
        self.push(officer, self.measure_peer)
        with self.assertRaises(AccessError):
            self.other_card.with_user(officer).name  # noqa: B018

    def test_scores_are_read_only(self):
        self.scorecard._recompute_scores()
        score = self.env["bsc.score"].search(
            [("scorecard_id", "=", self.scorecard.id)], limit=1
        )
        self.assertTrue(score.with_user(self.user_employee).status)
        with self.assertRaises(AccessError):
            score.with_user(self.user_strategy).score = 10

    def test_other_company_sees_nothing(self):
        other = self.user_other_company
        with self.assertRaises(AccessError):
            self.scorecard.with_user(other).name  # noqa: B018
        self.assertFalse(
            self.env["bsc.objective"]
            .with_user(other)
            .search([("scorecard_id", "=", self.scorecard.id)])
        )

    # -- initiatives -----------------------------------------------------
    def test_initiative_owner_updates_milestone_results_only(self):
        milestone = self.initiative.milestone_ids
        milestone.with_user(self.user_employee).current_value = 4
        self.assertEqual(self.initiative.progress, 0.4)
        # the progress bars show percent, not the 0..1 fraction
        self.assertEqual(self.initiative.progress_percent, 40)
        self.assertEqual(milestone.progress_percent, 40)
        with self.assertRaises(AccessError):
            milestone.with_user(self.user_employee).target_value = 5
        with self.assertRaises(AccessError):
            milestone.with_user(self.user_peer).current_value = 9
        self.assertTrue(self.initiative.with_user(self.user_peer).name)
