import doctest
from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from .. import engine
from ..engine import periods
from ..engine.periods import MONTHLY, QUARTERLY, YEARLY, PeriodError


@tagged("post_install", "-at_install")
class TestEnginePeriods(BaseCase):
    """Months, quarters, due periods and accumulation windows."""

    def test_doctests(self):
        result = doctest.testmod(periods)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    # ------------------------------------------------------------------
    def test_month_starts(self):
        self.assertEqual(
            periods.month_starts(date(2024, 11, 15), date(2025, 2, 1)),
            [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)],
        )
        # Same day, first and last day of a month.
        self.assertEqual(
            periods.month_starts(date(2024, 3, 31), date(2024, 3, 31)),
            [date(2024, 3, 1)],
        )
        self.assertEqual(
            periods.month_starts(date(2024, 1, 31), date(2024, 2, 1)),
            [date(2024, 1, 1), date(2024, 2, 1)],
        )
        months = periods.month_starts(date(2024, 1, 1), date(2025, 12, 31))
        self.assertEqual(len(months), 24)
        self.assertTrue(all(m.day == 1 for m in months))
        # Datetimes are accepted; dates come back.
        self.assertEqual(
            periods.month_starts(datetime(2024, 5, 3, 10, 0), datetime(2024, 5, 9)),
            [date(2024, 5, 1)],
        )
        self.assertIs(
            type(periods.month_starts(datetime(2024, 5, 3), date(2024, 5, 9))[0]), date
        )

    def test_month_starts_order(self):
        with self.assertRaises(PeriodError) as caught:
            periods.month_starts(date(2024, 3, 1), date(2024, 2, 28))
        self.assertIsInstance(caught.exception, engine.EngineError)
        self.assertEqual(caught.exception.code, "date_order")
        self.assertEqual(
            caught.exception.params,
            {"date_from": date(2024, 3, 1), "date_to": date(2024, 2, 28)},
        )

    def test_period_bounds_and_month_range(self):
        cases = {
            date(2024, 2, 1): (date(2024, 2, 1), date(2024, 2, 29)),  # leap year
            date(2023, 2, 1): (date(2023, 2, 1), date(2023, 2, 28)),
            date(2023, 12, 1): (date(2023, 12, 1), date(2023, 12, 31)),
            date(2024, 4, 1): (date(2024, 4, 1), date(2024, 4, 30)),
        }
        for month, bounds in cases.items():
            with self.subTest(month=month):
                self.assertEqual(periods.period_bounds(month), bounds)
                self.assertEqual(periods.month_range(month), bounds)
        # Any day of the month gives its bounds.
        self.assertEqual(
            periods.month_range(date(2024, 2, 17)),
            (date(2024, 2, 1), date(2024, 2, 29)),
        )

    def test_next_month(self):
        self.assertEqual(periods.next_month(date(2024, 1, 31)), date(2024, 2, 1))
        self.assertEqual(periods.next_month(date(2024, 12, 1)), date(2025, 1, 1))
        self.assertEqual(periods.next_month(date(2024, 12, 31)), date(2025, 1, 1))

    def test_quarter_range(self):
        cases = {
            date(2024, 1, 1): (date(2024, 1, 1), date(2024, 3, 31)),
            date(2024, 3, 31): (date(2024, 1, 1), date(2024, 3, 31)),
            date(2024, 5, 17): (date(2024, 4, 1), date(2024, 6, 30)),
            date(2024, 9, 30): (date(2024, 7, 1), date(2024, 9, 30)),
            date(2024, 10, 1): (date(2024, 10, 1), date(2024, 12, 31)),
            date(2024, 12, 31): (date(2024, 10, 1), date(2024, 12, 31)),
        }
        for day, bounds in cases.items():
            with self.subTest(day=day):
                self.assertEqual(periods.quarter_range(day), bounds)

    def test_next_quarter(self):
        self.assertEqual(periods.next_quarter(date(2024, 1, 1)), date(2024, 4, 1))
        self.assertEqual(periods.next_quarter(date(2024, 6, 30)), date(2024, 7, 1))
        self.assertEqual(periods.next_quarter(date(2024, 11, 2)), date(2025, 1, 1))
        # Four quarters make a year.
        day = date(2024, 2, 10)
        for _quarter in range(4):
            day = periods.next_quarter(day)
        self.assertEqual(day, date(2025, 1, 1))

    # ------------------------------------------------------------------
    def test_is_due(self):
        year = [date(2024, m, 1) for m in range(1, 13)]
        due = {
            frequency: [m.month for m in year if periods.is_due(m, frequency)]
            for frequency in (MONTHLY, QUARTERLY, YEARLY)
        }
        self.assertEqual(due[MONTHLY], list(range(1, 13)))
        self.assertEqual(due[QUARTERLY], [3, 6, 9, 12])
        self.assertEqual(due[YEARLY], [12])

    def test_is_due_horizon(self):
        horizon = date(2024, 4, 15)
        self.assertFalse(periods.is_due(date(2024, 3, 1), MONTHLY, horizon))
        self.assertFalse(periods.is_due(date(2024, 3, 1), QUARTERLY, horizon))
        # The horizon's own month is due, whatever its day.
        self.assertTrue(periods.is_due(date(2024, 4, 1), MONTHLY, horizon))
        self.assertTrue(periods.is_due(date(2024, 6, 1), QUARTERLY, horizon))
        self.assertTrue(periods.is_due(date(2023, 12, 1), YEARLY))
        self.assertFalse(periods.is_due(date(2023, 12, 1), YEARLY, horizon))

    def test_is_due_bad_frequency(self):
        with self.assertRaises(PeriodError) as caught:
            periods.is_due(date(2024, 3, 1), "weekly", None)
        self.assertEqual(caught.exception.code, "bad_frequency")
        self.assertEqual(caught.exception.params, {"frequency": "weekly"})

    # ------------------------------------------------------------------
    def test_window_start(self):
        # Calendar year to date.
        self.assertEqual(periods.window_start(date(2024, 8, 1)), date(2024, 1, 1))
        self.assertEqual(periods.window_start(date(2024, 1, 1)), date(2024, 1, 1))
        self.assertEqual(periods.window_start(date(2024, 12, 31)), date(2024, 1, 1))
        # Not before the horizon start (its month).
        horizon = date(2024, 3, 15)
        cases = {
            date(2024, 3, 1): date(2024, 3, 1),
            date(2024, 8, 1): date(2024, 3, 1),
            # The next year starts its own window in January.
            date(2025, 1, 1): date(2025, 1, 1),
            date(2025, 6, 1): date(2025, 1, 1),
            # A month before the horizon is its own window.
            date(2024, 2, 1): date(2024, 2, 1),
        }
        for month, start in cases.items():
            with self.subTest(month=month):
                self.assertEqual(periods.window_start(month, horizon), start)
