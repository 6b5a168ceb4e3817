from psycopg2.errors import UniqueViolation

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .kpi_common import KpiCase


@tagged("post_install", "-at_install")
class TestKpiAppraisal(KpiCase):
    def test_unit_label_is_the_measures(self):
        """A measure's unit reads the same on a KPI sheet as in the workbook
        (bsc.measure._unit_display_label): the currency's code, the free
        label only for the unit "Other"."""
        currency = self.company.currency_id.name
        self.measure_manager.write({"unit": "currency", "unit_label": "bucks"})
        self.assertEqual(self.measure_manager._unit_display_label(), currency)
        self.line_measure.measure_id = self.measure_manager
        self.assertEqual(self.line_measure.unit_label, currency)
        self.measure_manager.unit = "other"
        self.assertEqual(self.measure_manager._unit_display_label(), "bucks")

    def test_score_comes_from_the_scoring_engine(self):
        # (actual - baseline) / (target - baseline) = (92 - 80) / 15 = 0.8
        self.line_kpi.with_user(self.user_manager).actual = 92
        self.assertAlmostEqual(self.line_kpi.achievement, 0.8)
        self.assertEqual(self.line_kpi.score, 8.0)
        self.assertEqual(self.line_kpi.status, "amber")
        # Only the KPI has data: the sheet's score is its score, coverage 2/3.
        self.assertEqual(self.sheet_employee.score, 8.0)
        self.assertAlmostEqual(self.sheet_employee.coverage, 2 / 3)
        self.line_measure.with_user(self.user_manager).actual = 100
        self.assertEqual(self.line_measure.score, 10.0)
        self.assertEqual(self.sheet_employee.score, round((8 * 2 + 10) / 3, 2))
        self.assertEqual(self.sheet_employee.coverage, 1.0)

    def test_an_actual_of_zero_is_data(self):
        self.line_kpi.with_user(self.user_manager).actual = 0
        self.assertTrue(self.line_kpi.has_actual)
        self.assertEqual(self.line_kpi.score, 0.0)
        self.assertEqual(self.line_kpi.status, "red")
        self.assertEqual(self.line_kpi.actual_user_id, self.user_manager)

    def test_targets_and_scoring_come_from_the_source(self):
        self.assertEqual(self.line_kpi.name, "On-time orders")
        self.assertEqual(self.line_kpi.target, 95)
        self.assertEqual(self.line_kpi.baseline, 80)
        self.assertEqual(self.line_measure.name, "Defect-free rate")
        self.assertEqual(self.line_measure.target, 100)

    def test_only_measures_of_kpi_run_objectives(self):
        okr_run = self.make_objective(
            "Invent smart toys", "learning", execution_approach="okr"
        )
        measure = self.make_measure("Prototypes", okr_run, target=3)
        with self.assertRaisesRegex(ValidationError, "run by OKRs"):
            self.make_sheet(self.emp_ceo, [("measure", measure, 1)])
        both = self.make_objective(
            "Faster launches", "process", execution_approach="both"
        )
        allowed = self.make_measure("Launch time", both, target=6)
        sheet = self.make_sheet(self.emp_hr, [("measure", allowed, 1)])
        self.assertEqual(sheet.assignment_ids.measure_id, allowed)
        # The picker offers only what may be appraised.
        domain = self.env["bsc.kpi.assignment"]._fields["measure_id"].domain
        pickable = self.env["bsc.measure"].search(domain)
        self.assertIn(allowed, pickable)
        self.assertNotIn(measure, pickable)

    def test_manager_enters_actuals_of_the_team_only(self):
        as_manager = self.line_kpi.with_user(self.user_manager)
        as_manager.write({"actual": 90, "comments": "Good quarter"})
        self.assertEqual(self.line_kpi.actual, 90)
        with self.assertRaisesRegex(UserError, "set by HR"):
            as_manager.write({"target": 10})
        with self.assertRaisesRegex(UserError, "set by HR"):
            as_manager.write({"weight": 10})
        # Not their own sheet, not another team.
        with self.assertRaises(AccessError):
            self.sheet_manager.assignment_ids.with_user(self.user_manager).write(
                {"actual": 100}
            )
        with self.assertRaises(AccessError):
            self.sheet_peer.assignment_ids.with_user(self.user_manager).write(
                {"actual": 100}
            )
        # Managers never create or delete KPIs, nor touch the sheet.
        with self.assertRaises(AccessError):
            self.line_kpi.with_user(self.user_manager).unlink()
        with self.assertRaises(AccessError):
            self.sheet_employee.with_user(self.user_manager).write({"note": "x"})

    def test_manager_reads_the_team(self):
        Sheet = self.env["bsc.kpi.sheet"].with_user(self.user_manager)
        self.assertEqual(
            Sheet.search([("period_id", "=", self.period.id)]),
            self.sheet_employee | self.sheet_manager,
        )
        # The CEO heads the whole chain.
        Sheet = self.env["bsc.kpi.sheet"].with_user(self.user_ceo)
        self.assertEqual(
            Sheet.search([("period_id", "=", self.period.id)]),
            self.sheet_employee | self.sheet_manager | self.sheet_peer,
        )

    def test_department_head_enters_actuals(self):
        # A head of department who is not in the manager chain.
        self.emp_employee.parent_id = False
        self.line_kpi.with_user(self.user_manager).actual = 90
        self.assertEqual(self.line_kpi.actual, 90)

    def test_employee_reads_own_sheet_read_only(self):
        Sheet = self.env["bsc.kpi.sheet"].with_user(self.user_employee)
        self.assertEqual(Sheet.search([]), self.sheet_employee)
        self.assertEqual(
            self.env["bsc.kpi.assignment"].with_user(self.user_employee).search([]),
            self.sheet_employee.assignment_ids,
        )
        with self.assertRaises(AccessError):
            self.line_kpi.with_user(self.user_employee).write({"actual": 100})
        self.assertFalse(
            self.line_kpi.with_user(self.user_employee).user_can_enter_actual
        )
        self.assertTrue(
            self.line_kpi.with_user(self.user_manager).user_can_enter_actual
        )
        with self.assertRaises(AccessError):
            self.sheet_peer.with_user(self.user_employee).read(["score"])
        with self.assertRaises(AccessError):
            Sheet.create(
                {"employee_id": self.emp_employee.id, "period_id": self.period.id}
            )

    def test_hr_confirms_complete_sheets_only(self):
        sheet = self.sheet_employee.with_user(self.user_hr)
        with self.assertRaisesRegex(UserError, "no actual yet"):
            sheet.action_confirm()
        self.assertEqual(sheet.state, "draft")
        self.line_kpi.with_user(self.user_manager).actual = 95
        self.line_measure.with_user(self.user_manager).actual = 97
        with self.assertRaises(AccessError):
            self.sheet_employee.with_user(self.user_manager).action_confirm()
        sheet.action_confirm()
        self.assertEqual(sheet.state, "confirmed")
        self.assertEqual(set(sheet.assignment_ids.mapped("state")), {"confirmed"})
        with self.assertRaisesRegex(UserError, "confirmed"):
            self.line_kpi.with_user(self.user_manager).write({"actual": 1})
        with self.assertRaisesRegex(UserError, "buttons"):
            sheet.write({"state": "draft"})
        sheet.action_reset_draft()
        self.line_kpi.with_user(self.user_manager).write({"actual": 94})
        self.assertEqual(self.line_kpi.state, "draft")

    def test_manager_confirms_a_line_hr_resets_it(self):
        line = self.line_kpi.with_user(self.user_manager)
        with self.assertRaisesRegex(UserError, "Enter the actual"):
            line.action_confirm()
        line.actual = 90
        line.action_confirm()
        self.assertEqual(line.state, "confirmed")
        with self.assertRaisesRegex(UserError, "Only HR"):
            line.action_reset_draft()
        self.line_kpi.with_user(self.user_hr).action_reset_draft()
        self.assertEqual(line.state, "draft")

    def test_closed_period_freezes_sheets(self):
        self.period.with_user(self.user_hr).action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self.line_kpi.with_user(self.user_manager).write({"actual": 1})
        with self.assertRaisesRegex(UserError, "closed"):
            self.make_sheet(self.emp_ceo, [("definition", self.kpi_on_time, 1)])
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_manager).action_reopen()
        self.period.with_user(self.user_hr).action_reopen()
        self.line_kpi.with_user(self.user_manager).write({"actual": 1})

    def test_one_sheet_per_employee_and_period(self):
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            self.make_sheet(self.emp_employee, [])

    def test_pivot_by_department_and_period(self):
        self.line_kpi.with_user(self.user_manager).actual = 95
        groups = (
            self.env["bsc.kpi.sheet"]
            .with_user(self.user_hr)
            ._read_group(
                [("period_id", "=", self.period.id)],
                ["department_id", "period_id"],
                ["score:avg", "__count"],
            )
        )
        by_department = {dept: (score, count) for dept, _p, score, count in groups}
        self.assertEqual(by_department[self.dept_production][1], 2)
        self.assertEqual(by_department[self.dept_sales][1], 1)
        for view in ("pivot", "graph", "list", "form", "search"):
            self.env["bsc.kpi.sheet"].with_user(self.user_hr).get_views([(False, view)])


@tagged("post_install", "-at_install")
class TestKpiPortal(HttpCase, KpiCase):
    def test_my_kpi_lists_and_shows_own_sheet_only(self):
        self.line_kpi.with_user(self.user_manager).write(
            {"actual": 91, "comments": "Steady month"}
        )
        self.authenticate("t_employee", "t_employee")
        page = self.url_open("/my/kpi")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/kpi/{self.sheet_employee.id}", page.text)
        self.assertNotIn(f"/my/kpi/{self.sheet_peer.id}", page.text)
        detail = self.url_open(f"/my/kpi/{self.sheet_employee.id}")
        self.assertIn("On-time orders", detail.text)
        self.assertIn("Steady month", detail.text)
        for other in (self.sheet_peer, self.sheet_manager):
            response = self.url_open(f"/my/kpi/{other.id}", allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["kpi_sheet_count"]}
        )
        self.assertEqual(counters["kpi_sheet_count"], 1)

    def test_portal_employee_reads_own_sheet(self):
        sheet = self.make_sheet(self.emp_portal, [("definition", self.kpi_on_time, 1)])
        self.authenticate("t_portal", "t_portal")
        page = self.url_open(f"/my/kpi/{sheet.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("On-time orders", page.text)
        page = self.url_open("/my/kpi")
        self.assertNotIn(f"/my/kpi/{self.sheet_employee.id}", page.text)

    def test_my_sheets_domain_is_the_models(self):
        """The manager reads the team's sheets (record rules) but "My KPI
        Sheet" is their own: the model's domain, which the portal uses."""
        Sheet = self.env["bsc.kpi.sheet"].with_user(self.user_manager)
        self.assertIn(self.sheet_employee, Sheet.search([]))
        mine = Sheet.search(Sheet._kpi_my_domain(self.user_manager))
        self.assertEqual(mine, self.sheet_manager)
        self.authenticate("t_manager", "t_manager")
        response = self.url_open(
            f"/my/kpi/{self.sheet_employee.id}", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        page = self.url_open("/my/kpi")
        self.assertIn(f"/my/kpi/{self.sheet_manager.id}", page.text)
        self.assertNotIn(f"/my/kpi/{self.sheet_employee.id}", page.text)
