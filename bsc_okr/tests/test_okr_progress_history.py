"""Progress over time: the history rows, the burn-up, and who reads them.

A quarter is played week by week under freezegun: every check-in day gives
one row per key result and per objective, a second change the same day
updates that row, a day without change gives none.
"""

import datetime
import doctest

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import BaseCase, TransactionCase, tagged

from ..engine import burnup
from ..models.okr_checkin import DEFERRED_PARAM
from .okr_common import Q1_END, Q1_START, OkrCase

WEEK = datetime.timedelta(weeks=1)


@tagged("post_install", "-at_install")
class TestEngineBurnup(BaseCase):
    """The expected straight line, without Odoo."""

    def test_doctests(self):
        result = doctest.testmod(burnup)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_week_six_of_the_quarter(self):
        # Q1 2026 spans 89 days from its first to its last day; six weeks
        # in, 42 of them are gone.
        day = Q1_START + 6 * WEEK
        self.assertAlmostEqual(burnup.expected_progress(Q1_START, Q1_END, day), 42 / 89)
        self.assertEqual(burnup.expected_progress(Q1_START, Q1_END, Q1_END), 1.0)
        self.assertEqual(burnup.expected_progress(Q1_START, Q1_END, Q1_END + WEEK), 1.0)
        self.assertEqual(
            burnup.expected_line(Q1_START, Q1_END), [(Q1_START, 0.0), (Q1_END, 1.0)]
        )


class HistoryCase(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.History = cls.env["okr.progress.history"]
        # The fixtures were built on the real date: start from no history.
        cls.env.flush_all()
        cls.History.search([]).unlink()

    def _rows(self, record):
        field = "key_result_id" if record._name == "okr.key.result" else "objective_id"
        domain = [(field, "=", record.id)]
        if record._name == "okr.objective":
            domain.append(("kind", "=", "objective"))
        return self.History.search(domain, order="date")

    def _play_quarter(self, weeks=10):
        """A check-in on the employee's key result every Thursday from the
        first day of the quarter: 8 % more each week, confidence 5 then 7."""
        for week in range(weeks):
            with freeze_time(Q1_START + week * WEEK):
                self._checkin(
                    self.kr_employee,
                    8.0 * (week + 1),
                    confidence=5 if week < 5 else 7,
                    user=self.user_employee,
                )
                # The day's transaction ends: the figures reach the database.
                self.env.flush_all()


@tagged("post_install", "-at_install")
class TestOkrProgressHistory(HistoryCase):
    def test_one_row_per_record_and_changed_day(self):
        self._play_quarter()
        days = [Q1_START + week * WEEK for week in range(10)]
        kr_rows = self._rows(self.kr_employee)
        self.assertEqual(kr_rows.mapped("date"), days)
        self.assertEqual(kr_rows.mapped("kind"), ["key_result"] * 10)
        self.assertEqual(
            [round(p, 2) for p in kr_rows.mapped("progress")],
            [round(0.08 * (week + 1), 2) for week in range(10)],
        )
        self.assertEqual(kr_rows.mapped("confidence"), [5.0] * 5 + [7.0] * 5)
        objective_rows = self._rows(self.obj_employee)
        self.assertEqual(objective_rows.mapped("date"), days)
        self.assertAlmostEqual(objective_rows[-1].progress, 0.8)
        # Nobody else's figures moved: no row for them.
        self.assertFalse(self._rows(self.kr_peer))
        # Expected progress at week 6 (Thursday 12 February): 42 days of 89.
        week_six = kr_rows.filtered(lambda r: r.date == Q1_START + 6 * WEEK)
        self.assertAlmostEqual(week_six.expected_progress, 42 / 89)
        self.assertAlmostEqual(
            objective_rows.filtered(
                lambda r: r.date == week_six.date
            ).expected_progress,
            42 / 89,
        )

    def test_same_day_change_updates_the_row(self):
        with freeze_time("2026-02-12"):
            self._checkin(self.kr_employee, 20, confidence=6, user=self.user_employee)
            self._checkin(self.kr_employee, 30, confidence=4, user=self.user_employee)
            rows = self._rows(self.kr_employee)
            self.assertEqual(len(rows), 1)
            self.assertAlmostEqual(rows.progress, 0.3)
            self.assertEqual(rows.confidence, 4.0)
            self.assertEqual(len(self._rows(self.obj_employee)), 1)
        with freeze_time("2026-02-19"):
            # The same value and confidence a week later: nothing changed.
            self._checkin(self.kr_employee, 30, confidence=4, user=self.user_employee)
            self.assertEqual(len(self._rows(self.kr_employee)), 1)
            # A new confidence alone is a change.
            self._checkin(self.kr_employee, 30, confidence=8, user=self.user_employee)
            rows = self._rows(self.kr_employee)
            self.assertEqual(rows.mapped("confidence"), [4.0, 8.0])
            self.assertAlmostEqual(rows[-1].progress, 0.3)

    def test_retargeting_and_grading_are_recorded(self):
        with freeze_time("2026-03-05"):
            self._checkin(self.kr_employee, 50, user=self.user_employee)
            self.kr_employee.with_user(self.user_okr_admin).target_value = 200.0
            row = self._rows(self.kr_employee)
            self.assertEqual(len(row), 1)
            self.assertAlmostEqual(row.progress, 0.25)
        with freeze_time("2026-04-01"):
            self.cycle.action_start_grading()
            self.env.flush_all()
            row = self._rows(self.kr_employee).filtered(
                lambda r: r.date == datetime.date(2026, 4, 1)
            )
            self.assertAlmostEqual(row.grade, self.kr_employee.grade)
            self.assertGreater(row.grade, 0.0)
            self.assertEqual(row.expected_progress, 1.0)

    def test_burnup_chart(self):
        self._play_quarter(weeks=7)
        chart = self.obj_employee.with_user(self.user_employee)._okr_burnup_charts()[
            self.obj_employee.id
        ]
        actual, expected = chart["series"]
        self.assertEqual(actual["style"], "actual")
        self.assertEqual(
            [point["x"] for point in actual["points"]],
            [str(Q1_START + week * WEEK) for week in range(7)],
        )
        self.assertEqual(
            [point["y"] for point in actual["points"]],
            [8.0 * (week + 1) for week in range(7)],
        )
        self.assertEqual(
            expected["points"],
            [{"x": "2026-01-01", "y": 0.0}, {"x": "2026-03-31", "y": 100.0}],
        )
        self.assertEqual(
            [point["y"] for point in chart["confidence"]["points"]],
            [5.0] * 5 + [7.0] * 2,
        )
        self.assertEqual((chart["x_min"], chart["x_max"]), ("2026-01-01", "2026-03-31"))
        # The form's field carries the same chart.
        self.assertEqual(self.obj_employee.burnup_chart, chart)

    def test_deferred_rollup_writes_history(self):
        self.env["ir.config_parameter"].sudo().set_param(DEFERRED_PARAM, "1")
        Checkin = (
            self.env["okr.checkin"]
            .with_user(self.user_employee)
            .with_context(okr_deferred_rollup=True)
        )
        with freeze_time("2026-02-12"):
            Checkin.create(
                {"key_result_id": self.kr_employee.id, "value": 40, "confidence": 6}
            )
            # Only the check-in is inserted: nothing moved yet.
            self.assertFalse(self._rows(self.kr_employee))
            self.env["okr.checkin"]._okr_rollup_pending()
            row = self._rows(self.kr_employee)
            self.assertAlmostEqual(row.progress, 0.4)
            self.assertEqual(row.confidence, 6.0)
            self.assertAlmostEqual(self._rows(self.obj_employee).progress, 0.4)
        with freeze_time("2026-02-19"):
            # Confidence alone, which the job writes in SQL.
            Checkin.create(
                {"key_result_id": self.kr_employee.id, "value": 40, "confidence": 9}
            )
            self.env["okr.checkin"]._okr_rollup_pending()
            self.assertEqual(
                self._rows(self.kr_employee).mapped("confidence"), [6.0, 9.0]
            )

    def test_rebuild_from_checkins(self):
        """Check-ins that predate the history (or the demo's) are replayed
        into the rows they would have given, day by day."""
        with freeze_time("2026-03-01"):
            for day, value, confidence in (
                ("2026-01-15", 10, 6),
                ("2026-01-29", 10, 6),  # no change: no row
                ("2026-02-12", 40, 4),
            ):
                self._checkin(self.kr_employee, value, confidence=confidence, date=day)
            self.env.flush_all()
            self.History.search([]).unlink()
            self.History._okr_rebuild_from_checkins(self.cycle)
            rows = self._rows(self.kr_employee)
            self.assertEqual(
                [str(d) for d in rows.mapped("date")], ["2026-01-15", "2026-02-12"]
            )
            self.assertEqual(rows.mapped("progress"), [0.1, 0.4])
            self.assertEqual(rows.mapped("confidence"), [6.0, 4.0])
            self.assertAlmostEqual(rows[1].expected_progress, 42 / 89)
            objective_rows = self._rows(self.obj_employee)
            self.assertEqual(objective_rows.mapped("progress"), [0.1, 0.4])
            # Other key results did not move on those days: no row.
            self.assertFalse(self._rows(self.kr_peer))

    def test_history_is_written_in_bulk(self):
        """Recording 1 or 20 objectives' key results costs the same queries,
        and so does a batch of check-ins on them."""

        def objectives(count):
            records = self.env["okr.objective"]
            for index in range(count):
                records |= self._make_objective(
                    self.emp_employee, f"Bulk {count}-{index}"
                )
            self._activate(records)
            self.env.flush_all()
            return records

        def count(func):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            func()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        def post(records):
            vals_list = [
                {"key_result_id": kr.id, "value": 30.0, "confidence": 6}
                for kr in records.key_result_ids
            ]
            Checkin = self.env["okr.checkin"].with_user(self.user_employee)
            return lambda: Checkin.create(vals_list)

        with freeze_time("2026-02-12"):
            one, twenty = objectives(1), objectives(20)
            self.History.search([]).unlink()
            record = self.History._okr_record
            self.assertEqual(
                count(lambda: record(one.key_result_ids)),
                count(lambda: record(twenty.key_result_ids)),
            )
            self.assertLessEqual(count(lambda: record(twenty.key_result_ids)), 5)
            self.History.search([]).unlink()
            count(post(objectives(1)))  # warm the caches
            self.assertEqual(count(post(one)), count(post(twenty)))
            self.assertEqual(
                len(self.History.search([("objective_id", "in", twenty.ids)])), 40
            )


@tagged("post_install", "-at_install")
class TestOkrProgressHistoryAccess(HistoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-02-12"):
            cls._checkin(cls.kr_employee, 30, user=cls.user_employee)
            cls._checkin(cls.kr_peer, 10, user=cls.user_peer)
            cls.env.flush_all()
        cls.rows = cls.History.search([("objective_id", "=", cls.obj_employee.id)])

    def test_owner_and_manager_read_the_rows(self):
        self.assertEqual(len(self.rows), 2)
        for user in (self.user_employee, self.user_manager, self.user_okr_admin):
            with self.subTest(user=user.login):
                History = self.History.with_user(user)
                found = History.search([("objective_id", "=", self.obj_employee.id)])
                self.assertEqual(found, self.rows.with_user(user))
                self.assertTrue(found.read(["progress", "confidence"]))

    def test_other_employee_reads_nothing(self):
        History = self.History.with_user(self.user_peer)
        self.assertFalse(History.search([("objective_id", "=", self.obj_employee.id)]))
        # Their own rows, yes.
        self.assertTrue(History.search([("key_result_id", "=", self.kr_peer.id)]))
        with self.assertRaises(AccessError):
            self.rows.with_user(self.user_peer).read(["progress"])

    def test_appraisal_officer_reads_nothing(self):
        History = self.History.with_user(self.user_hr)
        self.assertFalse(History.search([("owner_id", "!=", self.emp_hr.id)]))
        self.assertEqual(History.search_count([]), 0)
        with self.assertRaises(AccessError):
            self.rows.with_user(self.user_hr).read(["progress"])
        self.assertFalse(
            History._read_group([], ["owner_id"], ["progress:avg"]),
        )

    def test_nobody_writes_history_by_hand(self):
        row = self.rows[0]
        for user in (self.user_employee, self.user_okr_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    row.with_user(user).write({"progress": 1.0})
                with self.assertRaises(AccessError):
                    row.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.History.with_user(user).create(
                        {
                            "kind": "objective",
                            "objective_id": self.obj_employee.id,
                            "date": "2026-02-13",
                        }
                    )


@tagged("post_install", "-at_install")
class TestDemoProgressHistory(TransactionCase):
    """The demo's running quarter has history enough for a burn-up."""

    def test_demo_burnup_has_a_shape(self):
        objective = self.env.ref(
            "bsc_okr.okr_objective_rd_doll_demo", raise_if_not_found=False
        )
        if not objective:
            self.skipTest("bsc_okr was installed without its demo data")
        cycle = objective.cycle_id
        weeks = min(10, ((fields.Date.today() - cycle.date_start).days // 7))
        chart = objective._okr_burnup_charts()[objective.id]
        days = {point["x"] for point in chart["series"][0]["points"]}
        # A point for (nearly) every week of the quarter so far.
        self.assertGreaterEqual(len(days), weeks)
        self.assertGreater(len({p["y"] for p in chart["series"][0]["points"]}), 2)
