"""The first five minutes of a new user: a home screen of their own, a New
objective whose defaults cannot fail, help on every empty screen, and fusion
mode 1 enforced both ways."""

from freezegun import freeze_time

from odoo.exceptions import RedirectWarning, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestNewObjectiveDefaults(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept_finance = cls.env["hr.department"].create(
            {
                "name": "Finance",
                "company_id": cls.company.id,
                "management_mode": "bsc",
            }
        )
        cls.user_accountant = new_test_user(
            cls.env,
            "t_accountant",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.emp_accountant = cls.env["hr.employee"].create(
            {
                "name": "Accountant",
                "user_id": cls.user_accountant.id,
                "department_id": cls.dept_finance.id,
                "company_id": cls.company.id,
            }
        )

    def test_name_only_saves_in_the_running_cycle(self):
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        with Form(Objective) as form:
            form.name = "Plan a week ahead"
            self.assertFalse(form.department_bsc_only)
        objective = form.record
        self.assertEqual(objective.cycle_id, self.cycle)
        self.assertEqual(objective.level, "individual")
        self.assertEqual(objective.owner_id, self.emp_employee)
        self.assertEqual(objective.department_id, self.dept_production)

    def test_bsc_only_department_writes_department_objectives(self):
        Objective = self.env["okr.objective"].with_user(self.user_accountant)
        with Form(Objective) as form:
            form.name = "Close the books in three days"
            # Explained on the form, before saving.
            self.assertTrue(form.department_bsc_only)
            self.assertEqual(form.level, "department")
        self.assertEqual(form.record.level, "department")
        self.assertEqual(form.record.department_id, self.dept_finance)

    def test_moving_to_a_bsc_only_department_moves_the_level(self):
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        with Form(Objective) as form:
            form.name = "Faster month end"
            self.assertEqual(form.level, "individual")
            form.department_id = self.dept_finance
            self.assertTrue(form.department_bsc_only)
            self.assertEqual(form.level, "department")
        # Forcing the level back is still refused by the one rule.
        with self.assertRaises(ValidationError) as caught:
            form.record.level = "individual"
        self.assertIn("Balanced Scorecard only", str(caught.exception))

    def test_next_planning_cycle_when_none_runs(self):
        planning = self.env["okr.cycle"].create(
            {
                "name": "Q2 2026",
                "company_id": self.company.id,
                "date_start": "2026-04-01",
                "date_end": "2026-06-30",
            }
        )
        Objective = self.env["okr.objective"].with_user(self.user_employee)
        self.assertEqual(Objective.default_get(["cycle_id"])["cycle_id"], self.cycle.id)
        self.cycle.action_start_grading()
        self.assertEqual(Objective.default_get(["cycle_id"])["cycle_id"], planning.id)
        objective = Objective.create({"name": "Ready for Q2"})
        self.assertEqual(objective.cycle_id, planning)

    def test_portal_new_form_shows_the_defaults(self):
        defaults = (
            self.env["okr.objective"]
            .with_user(self.user_portal)
            .default_get(["cycle_id", "level"])
        )
        self.assertEqual(defaults["cycle_id"], self.cycle.id)
        self.assertEqual(defaults["level"], "individual")


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestManagementModeSwitch(OkrCase):
    def test_bsc_only_refused_while_personal_okrs_are_open(self):
        department = self.dept_sales.with_user(self.user_okr_admin)
        with self.assertRaises(RedirectWarning) as caught:
            department.management_mode = "bsc"
        message, action = caught.exception.args[:2]
        self.assertIn("1 team or individual OKRs", message)
        self.assertEqual(action["res_model"], "okr.objective")
        self.assertEqual(
            self.env["okr.objective"].search(action["domain"]), self.obj_peer
        )
        self.assertEqual(self.dept_sales.management_mode, "both")

    def test_bsc_only_allowed_once_the_cycle_is_closed(self):
        self.cycle.action_start_grading()
        self.cycle.action_close()
        self.dept_sales.with_user(self.user_okr_admin).management_mode = "bsc"
        self.assertEqual(self.dept_sales.management_mode, "bsc")


@tagged("post_install", "-at_install")
class TestFirstScreens(TransactionCase):
    def test_every_window_action_has_help(self):
        actions = self.env["ir.actions.act_window"].browse(
            self.env["ir.model.data"]
            .search(
                [("module", "=", "bsc_okr"), ("model", "=", "ir.actions.act_window")]
            )
            .mapped("res_id")
        )
        self.assertGreater(len(actions), 30)
        for action in actions:
            with self.subTest(action=action.name):
                self.assertIn("o_view_nocontent", action.help or "")

    def test_a_new_okr_user_lands_on_my_okrs(self):
        my_okrs = self.env.ref("bsc_okr.okr_objective_action")
        employee = new_test_user(self.env, "t_new_employee", groups="base.group_user")
        self.assertEqual(employee.action_id.id, my_okrs.id)
        manager = new_test_user(
            self.env,
            "t_new_manager",
            groups="base.group_user,bsc_okr.group_okr_manager",
        )
        self.assertFalse(manager.action_id, "a role of its own: chosen by the admin")
        portal = new_test_user(
            self.env, "t_new_portal", groups="base.group_portal,bsc_okr.group_okr_user"
        )
        self.assertFalse(portal.action_id, "portal users land on /my")
        chosen = self.env.ref("bsc_okr.bsc_kpi_sheet_action")
        explicit = new_test_user(
            self.env, "t_new_chosen", groups="base.group_user", action_id=chosen.id
        )
        self.assertEqual(explicit.action_id.id, chosen.id)
