import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrGrading(OkrCase):
    """Progress, grades, bands, callouts, overrides and sandbagging."""

    def _kr(self, objective, **vals):
        return self.env["okr.key.result"].create(
            {"objective_id": objective.id, "name": "KR", **vals}
        )

    def test_progress(self):
        draft = self._make_objective(self.emp_employee, "Progress", krs=[])
        increase = self._kr(draft, start_value=10, target_value=20)
        decrease = self._kr(
            draft, start_value=50, target_value=30, direction="decrease", weight=3
        )
        milestone = self._kr(draft, metric_type="milestone", target_value=42)
        self.assertEqual((milestone.start_value, milestone.target_value), (0.0, 1.0))
        self._activate(draft)
        self._checkin(increase, 25)
        self._checkin(decrease, 45)
        self.assertEqual(increase.progress, 1.5, "beyond the target: more than 100%")
        self.assertEqual(increase.progress_percent, 150)
        self.assertEqual(decrease.progress, 0.25)
        self.assertEqual(milestone.progress, 0.0)
        self._checkin(milestone, 1)
        self.assertEqual(milestone.progress, 1.0)
        # Objective: weighted mean, each key result capped at 1.0 first.
        self.assertAlmostEqual(draft.progress, (1.0 + 0.25 * 3 + 1.0) / 5)
        self._checkin(increase, 5)
        self.assertEqual(increase.progress, 0.0, "worse than the start: 0")

    def test_no_grade_before_grading(self):
        self._checkin(self.kr_employee, 70)
        self.assertFalse(self.obj_employee.is_graded)
        self.assertEqual(self.kr_employee.grade, 0.0)
        self.assertEqual(self.obj_employee.grade, 0.0)
        self.assertFalse(self.obj_employee.grade_band)

    def test_entering_grading_grades_everything(self):
        second = self.env["okr.key.result"].create(
            {
                "objective_id": self.obj_employee.id,
                "name": "Second",
                "target_value": 10,
                "weight": 3,
            }
        )
        self._checkin(self.kr_employee, 150)
        self._checkin(second, 5)
        self._checkin(self.kr_peer, 35)
        self.cycle.action_start_grading()
        self.assertEqual(self.kr_employee.grade, 1.0, "grading caps at 1.0")
        self.assertEqual(self.kr_employee.progress, 1.5)
        self.assertEqual(second.grade, 0.5)
        self.assertEqual(self.obj_employee.grade, round((1.0 + 0.5 * 3) / 4, 2))
        self.assertEqual(self.obj_employee.grade_band, "yellow")
        self.assertEqual(self.obj_peer.grade, 0.35)
        self.assertEqual(self.obj_peer.grade_band, "red")
        self.assertEqual(self.obj_company.grade, 0.0)
        self.assertEqual(self.obj_company.grade_band, "red")

    def test_bands(self):
        for value, band in ((30, "red"), (40, "yellow"), (60, "yellow"), (70, "green")):
            objective = self._make_objective(self.emp_peer, f"Band {value}")
            self._activate(objective)
            self._checkin(objective.key_result_ids, value)
            with self.subTest(value=value):
                objective.cycle_id.action_start_grading()
                self.assertEqual(objective.grade_band, band)
                objective.cycle_id.action_back_to_running()

    def test_callouts(self):
        committed = self._make_objective(
            self.emp_peer, "Committed", okr_type="committed"
        )
        aspirational = self._make_objective(
            self.emp_peer, "Aspirational", okr_type="aspirational"
        )
        reached = self._make_objective(self.emp_peer, "Reached", okr_type="committed")
        self._activate(committed | aspirational | reached)
        self._checkin(committed.key_result_ids, 90)
        self._checkin(aspirational.key_result_ids, 100)
        self._checkin(reached.key_result_ids, 100)
        self.cycle.action_start_grading()
        self.assertEqual(committed.grade_callout, "committed_missed")
        self.assertEqual(aspirational.grade_callout, "aspirational_overshot")
        self.assertFalse(reached.grade_callout)

    def test_override_needs_a_note(self):
        self._checkin(self.kr_employee, 40)
        self.cycle.action_start_grading()
        kr = self.kr_employee.with_user(self.user_employee)
        with self.assertRaisesRegex(ValidationError, "note"):
            kr.write({"is_grade_overridden": True, "grade_override": 0.7})
        with self.assertRaisesRegex(ValidationError, "0.0 to 1.0"):
            kr.write(
                {
                    "is_grade_overridden": True,
                    "grade_override": 1.4,
                    "grade_note": "Huge",
                }
            )
        self.assertEqual(kr.grade, 0.4)
        kr.write(
            {
                "is_grade_overridden": True,
                "grade_override": 0.7,
                "grade_note": "The supplier strike cost us a month.",
            }
        )
        self.assertEqual(kr.grade, 0.7)
        self.assertEqual(self.obj_employee.grade, 0.7)
        self.assertEqual(self.obj_employee.grade_band, "green")

    def test_override_only_while_grading(self):
        with self.assertRaisesRegex(UserError, "being graded"):
            self.kr_employee.with_user(self.user_employee).write(
                {
                    "is_grade_overridden": True,
                    "grade_override": 0.7,
                    "grade_note": "Too early",
                }
            )

    def test_closing_the_cycle(self):
        self.cycle.action_start_grading()
        self.assertTrue(
            self.obj_employee.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("bsc_okr.mail_activity_type_okr_grading")
                )
            ),
            "owners are asked to review their grades",
        )
        self.obj_peer.with_user(self.user_peer).action_mark_graded()
        self.assertEqual(self.obj_peer.state, "graded")
        self.cycle.action_close()
        self.assertEqual(set(self.objectives.mapped("state")), {"graded"})
        self.assertFalse(
            self.objectives.activity_ids, "nothing left to grade or check in on"
        )
        with self.assertRaisesRegex(UserError, "closed"):
            self._checkin(self.kr_employee, 10, user=self.user_employee)
        with self.assertRaises(UserError):
            self.cycle.action_start()

    def test_mark_graded_needs_grading(self):
        with self.assertRaisesRegex(UserError, "not being graded"):
            self.obj_peer.with_user(self.user_peer).action_mark_graded()

    def test_generate_next(self):
        action = self.cycle.action_generate_next()
        following = self.env["okr.cycle"].browse(action["res_id"])
        self.assertEqual(following.date_start, datetime.date(2026, 4, 1))
        self.assertEqual(following.date_end, datetime.date(2026, 6, 30))
        self.assertEqual(following.name, "Q2 2026")
        self.assertEqual(following.state, "planning")
        again = self.cycle.action_generate_next()
        self.assertEqual(again["res_id"], following.id, "never twice")
        month = self.env["okr.cycle"].create(
            {
                "name": "Dec 2026",
                "cycle_type": "month",
                "company_id": self.company.id,
                "date_start": "2026-12-01",
                "date_end": "2026-12-31",
            }
        )
        january = self.env["okr.cycle"].browse(month.action_generate_next()["res_id"])
        self.assertEqual(january.date_start, datetime.date(2027, 1, 1))
        self.assertEqual(january.date_end, datetime.date(2027, 1, 31))

    def test_cycle_dates_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "Custom"):
            self.env["okr.cycle"].create(
                {
                    "name": "Odd quarter",
                    "company_id": self.company.id,
                    "date_start": "2026-02-01",
                    "date_end": "2026-04-30",
                }
            )
        self.env["okr.cycle"].create(
            {
                "name": "Odd but custom",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-02-01",
                "date_end": "2026-04-30",
            }
        )

    def test_bad_key_results(self):
        objective = self._make_objective(self.emp_employee, "Bad input", krs=[])
        KeyResult = self.env["okr.key.result"].with_user(self.user_employee)
        with self.assertRaisesRegex(ValidationError, "target equal to its start"):
            KeyResult.create(
                {
                    "objective_id": objective.id,
                    "name": "Flat",
                    "start_value": 5,
                    "target_value": 5,
                }
            )
        with self.assertRaisesRegex(ValidationError, "Swap the direction"):
            KeyResult.create(
                {
                    "objective_id": objective.id,
                    "name": "Backwards",
                    "start_value": 10,
                    "target_value": 5,
                }
            )
        for weight in (0, -1):
            with self.assertRaisesRegex(ValidationError, "weight"):
                KeyResult.create(
                    {
                        "objective_id": objective.id,
                        "name": "Weightless",
                        "weight": weight,
                    }
                )
        with self.assertRaisesRegex(ValidationError, "0 to 10"):
            KeyResult.create(
                {"objective_id": objective.id, "name": "Sure", "confidence": 11}
            )
        self.assertFalse(objective.key_result_ids)


@tagged("post_install", "-at_install")
class TestOkrSandbagging(OkrCase):
    """An owner whose aspirational objectives always reach 1.0."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cycles = cls.env["okr.cycle"]
        with freeze_time("2025-12-31"):
            for start, end, name in (
                ("2025-07-01", "2025-09-30", "Q3 2025"),
                ("2025-10-01", "2025-12-31", "Q4 2025"),
            ):
                cycle = cls.env["okr.cycle"].create(
                    {
                        "name": name,
                        "company_id": cls.company.id,
                        "date_start": start,
                        "date_end": end,
                    }
                )
                cycle.action_start()
                objective = cls._make_objective(
                    cls.emp_employee, f"Easy {name}", cycle=cycle
                )
                cls._activate(objective)
                cls._checkin(objective.key_result_ids, 100, date=end)
                cycle.action_start_grading()
                cycle.action_close()
                cls.cycles |= cycle

    def _signal(self, user, objective=None):
        objective = (objective or self.obj_employee).with_user(user)
        return objective.sandbagging_signal

    def test_owner_and_manager_chain_see_it(self):
        self.assertTrue(self._signal(self.user_employee))
        self.assertEqual(
            self.obj_employee.with_user(self.user_employee).sandbagging_streak, 2
        )
        self.assertTrue(self._signal(self.user_manager))
        self.assertTrue(self._signal(self.user_ceo))

    def test_admins_outside_the_chain_do_not(self):
        self.assertFalse(self._signal(self.user_okr_admin))

    def test_a_real_stretch_breaks_the_streak(self):
        with freeze_time("2026-03-31"):
            self._checkin(self.kr_employee, 60)
            self.cycle.action_start_grading()
        self.assertFalse(self._signal(self.user_employee))

    def test_committed_objectives_do_not_count(self):
        self.cycles.objective_ids.write({"okr_type": "committed"})
        self.assertFalse(self._signal(self.user_employee))

    def test_other_owners_are_not_flagged(self):
        self.assertFalse(self._signal(self.user_peer, self.obj_peer))
