import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscMeasureValues(BscCase):
    """Values: push_value, due periods, horizon, history, immutability."""

    def test_push_value_records_and_scores(self):
        measure = self.measure_own.with_user(self.user_employee)
        value_id = measure.push_value("2026-03", 85, note="from the MES")
        value = self.env["bsc.measure.value"].browse(value_id)
        self.assertEqual(value.period_id, self.period("2026-03"))
        self.assertEqual(value.value, 85.0)
        self.assertEqual(value.source, "push")
        self.assertEqual(value.user_id, self.user_employee)
        self.assertEqual(value.note, "from the MES")
        self.assertTrue(value.is_current)
        # Scores follow at once.
        self.assertEqual(self.measure_own.current_period_id, self.period("2026-03"))
        self.assertEqual(self.measure_own.current_score, 8.5)
        self.assertEqual(self.measure_own.current_status, "amber")

    def test_push_value_accepts_a_date(self):
        value_id = self.measure_own.push_value(datetime.date(2026, 2, 17), 100)
        self.assertEqual(
            self.env["bsc.measure.value"].browse(value_id).period_id,
            self.period("2026-02"),
        )

    def test_push_non_numeric_refused(self):
        for bad in ("12", "abc", None, True, [1], float("nan")):
            with self.assertRaisesRegex(ValidationError, "must be a number"):
                self.measure_own.push_value("2026-03", bad)
        self.assertFalse(self.measure_own.value_ids, "nothing written")

    def test_push_bad_period_text(self):
        with self.assertRaisesRegex(ValidationError, "not understood"):
            self.measure_own.push_value("March", 1)
        with self.assertRaisesRegex(ValidationError, "not understood"):
            self.measure_own.push_value("2026-13", 1)

    def test_period_outside_horizon(self):
        with self.assertRaisesRegex(ValidationError, "outside the horizon"):
            self.measure_own.push_value("2024-12", 1)
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "outside the horizon"):
            self.env["bsc.measure.value"].create(
                {
                    "measure_id": self.measure_own.id,
                    "period_id": other.period_ids[0].id,
                    "value": 1,
                }
            )

    def test_future_period_refused(self):
        with self.assertRaisesRegex(ValidationError, "not started"):
            self.measure_own.push_value("2026-04", 1)

    def test_frequency_not_due(self):
        self.measure_own.frequency = "quarterly"
        with self.assertRaisesRegex(ValidationError, "no value is due in Feb 2026"):
            self.measure_own.push_value("2026-02", 1)
        self.measure_own.push_value("2025-12", 1)
        self.measure_own.frequency = "yearly"
        with self.assertRaisesRegex(ValidationError, "no value is due"):
            self.measure_own.push_value("2025-09", 1)

    def test_draft_or_archived_scorecard_refuses_values(self):
        self.scorecard.state = "draft"
        with self.assertRaisesRegex(ValidationError, "Draft"):
            self.measure_own.push_value("2026-03", 1)
        self.scorecard.state = "archived"
        with self.assertRaisesRegex(ValidationError, "Archived"):
            self.record_values(self.measure_own, {"2026-03": 1})
        self.assertFalse(
            self.env["bsc.measure.value"].search(
                [("measure_id", "=", self.measure_own.id)]
            ),
            "nothing written",
        )

    def test_correction_keeps_history(self):
        first = self.record_values(self.measure_own, {"2026-03": 70})
        second_id = self.measure_own.push_value("2026-03", 95)
        second = self.env["bsc.measure.value"].browse(second_id)
        self.assertFalse(first.is_current)
        self.assertTrue(second.is_current)
        self.assertEqual(len(self.measure_own.value_ids), 2)
        self.assertEqual(self.measure_own.current_actual, 95)

    def test_batch_keeps_last_of_a_period(self):
        values = self.record_values(self.measure_own, {"2026-03": 70})
        values |= self.env["bsc.measure.value"].create(
            [
                {
                    "measure_id": self.measure_own.id,
                    "period_id": self.period("2026-03").id,
                    "value": v,
                }
                for v in (80, 90)
            ]
        )
        self.assertEqual(values.filtered("is_current").value, 90)

    def test_values_cannot_be_edited(self):
        value = self.record_values(self.measure_own, {"2026-03": 70})
        for vals in (
            {"value": 80},
            {"period_id": self.period("2026-02").id},
            {"measure_id": self.measure_manager.id},
        ):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                value.with_user(self.user_strategy).write(vals)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            value.with_user(self.user_strategy).write({"is_current": False})
        value.with_user(self.user_strategy).note = "checked"
        self.assertEqual(value.value, 70)

    def test_deleting_the_current_value_restores_the_previous(self):
        first = self.record_values(self.measure_own, {"2026-03": 70})
        second = self.record_values(self.measure_own, {"2026-03": 90})
        second.with_user(self.user_strategy).unlink()
        self.assertTrue(first.is_current)
        self.assertEqual(self.measure_own.current_actual, 70)
