from freezegun import freeze_time

from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscScoring(BscCase):
    """Recomputation: engine results stored per period and level, batched."""

    def score(self, record, code, level=None):
        level = level or record._name.split(".")[1]
        field = "scorecard_id" if level == "scorecard" else f"{level}_id"
        return self.env["bsc.score"].search(
            [
                ("level", "=", level),
                (field, "=", record.id),
                ("period_id", "=", self.period(code).id),
            ]
        )

    def test_rollup_and_missing_data(self):
        self.record_values(self.measure_own, {"2026-03": 100})  # 10, green
        self.record_values(self.measure_manager, {"2026-03": 70})  # 7, red
        # measure_peer has no value: missing, never zero.
        self.measure_own.weight = 3
        self.scorecard._recompute_scores()
        self.assertEqual(self.measure_own.current_status, "green")
        self.assertEqual(self.measure_manager.current_status, "red")
        self.assertEqual(self.measure_peer.current_status, "no_data")
        self.assertEqual(self.measure_peer.current_missing_count, 1)
        # Objective: (10 * 3 + 7 * 1) / 4 = 9.25, amber.
        self.assertAlmostEqual(self.obj_process.current_score, 9.25)
        self.assertEqual(self.obj_process.current_status, "amber")
        self.assertEqual(self.obj_process.current_coverage, 1.0)
        # The customer objective has no data: no score, flagged.
        self.assertEqual(self.obj_customer.current_status, "no_data")
        self.assertEqual(self.obj_customer.current_missing_count, 1)
        # Scorecard: only the process perspective has data, the customer
        # perspective is missing (coverage 1/2), learning and financial have
        # no measure and expect nothing.
        self.assertAlmostEqual(self.scorecard.current_score, 9.25)
        self.assertEqual(self.scorecard.current_coverage, 0.5)
        self.assertEqual(self.scorecard.current_missing_count, 1)
        row = self.score(self.obj_process, "2026-03")
        self.assertEqual((row.score, row.status), (9.25, "amber"))

    def test_year_to_date_sum(self):
        self.measure_own.write({"accumulation": "sum", "target": 100})
        self.record_values(self.measure_own, {"2026-01": 100, "2026-02": 80})
        self.record_values(self.measure_own, {"2026-03": 120})
        row = self.score(self.measure_own, "2026-03")
        self.assertEqual((row.actual, row.target), (300, 300))
        self.assertEqual(row.status, "green")
        # The year restarts in January: December 2025 does not count.
        self.record_values(self.measure_own, {"2025-12": 5000})
        row = self.score(self.measure_own, "2026-03")
        self.assertEqual(row.actual, 300)

    def test_lower_is_better_with_period_target(self):
        self.measure_own.write({"polarity": "lower", "baseline": 10, "target": 5})
        self.env["bsc.measure.target"].create(
            {
                "measure_id": self.measure_own.id,
                "period_id": self.period("2026-03").id,
                "target": 2,
            }
        )
        self.record_values(self.measure_own, {"2026-03": 6})
        # (10 - 6) / (10 - 2) = 0.5
        self.assertEqual(self.measure_own.current_achievement, 0.5)
        self.assertEqual(self.measure_own.current_score, 5.0)
        self.assertEqual(self.measure_own.current_status, "red")

    def test_quarterly_measure_carries_last_due_period(self):
        self.measure_peer.frequency = "quarterly"
        self.record_values(self.measure_peer, {"2025-12": 90})
        self.scorecard._recompute_scores()
        # March 2026 is due but empty: missing.
        self.assertEqual(self.measure_peer.current_missing_count, 1)
        row_feb = self.score(self.measure_peer, "2026-02")
        # February is not due: nothing expected in 2026 yet, the last due
        # period (December) carries.
        self.assertEqual(row_feb.status, "amber")
        self.assertEqual(row_feb.actual, 90)
        self.record_values(self.measure_peer, {"2026-03": 100})
        self.assertEqual(self.measure_peer.current_status, "green")

    def test_trend(self):
        self.record_values(self.measure_own, {"2026-02": 80})
        self.record_values(self.measure_own, {"2026-03": 90})
        self.assertEqual(self.measure_own.current_trend, "up")
        self.record_values(self.measure_own, {"2026-03": 70})
        self.assertEqual(self.measure_own.current_trend, "down")

    def test_no_rows_for_future_periods(self):
        self.scorecard._recompute_scores()
        periods = (
            self.env["bsc.score"]
            .search([("scorecard_id", "=", self.scorecard.id)])
            .period_id
        )
        self.assertEqual(max(periods.mapped("code")), "2026-03")
        self.assertEqual(len(periods), 15)

    def test_recompute_replaces_rows(self):
        self.scorecard._recompute_scores()
        count = self.env["bsc.score"].search_count(
            [("scorecard_id", "=", self.scorecard.id)]
        )
        self.scorecard._recompute_scores()
        self.assertEqual(
            self.env["bsc.score"].search_count(
                [("scorecard_id", "=", self.scorecard.id)]
            ),
            count,
        )
        # 3 measures + 4 objectives + 4 perspectives + 1 scorecard, 15 months
        self.assertEqual(count, 12 * 15)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscScoringQueries(BscCase):
    """The number of queries of a recomputation ignores the number of measures."""

    def build(self, size):
        card = self.env["bsc.scorecard"].create(
            {
                "name": f"Load {size}",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
            }
        )
        objectives = self.env["bsc.objective"].create(
            [
                {
                    "name": f"Objective {i}",
                    "scorecard_id": card.id,
                    "perspective_id": card.perspective_ids[i % 4].id,
                }
                for i in range(max(size // 5, 1))
            ]
        )
        measures = self.env["bsc.measure"].create(
            [
                {
                    "name": f"Measure {i}",
                    "objective_id": objectives[i % len(objectives)].id,
                    "target": 100,
                }
                for i in range(size)
            ]
        )
        card.state = "active"
        periods = card.period_ids.filtered(lambda p: p.code <= "2026-03")
        self.env["bsc.measure.value"].with_context(bsc_skip_recompute=True).create(
            [
                {"measure_id": m.id, "period_id": p.id, "value": 50 + i % 60}
                for i, m in enumerate(measures)
                for p in periods
            ]
        )
        card._recompute_scores()  # create the rows
        return card, measures

    def test_query_count_independent_of_measures(self):
        small, small_measures = self.build(10)
        large, large_measures = self.build(100)
        # Same count for 10 and 100 measures: 8 fetches (scorecards, periods,
        # perspectives, objectives, measures, values, targets, bands), the
        # DELETE and INSERT of score rows, one UPDATE per scored model, and
        # the user's timezone once the caches are cleared.
        (small | large)._recompute_scores()  # warm the registry caches
        self.env.invalidate_all()
        with self.assertQueryCount(15):
            small._recompute_scores()
        self.env.invalidate_all()
        with self.assertQueryCount(15):
            large._recompute_scores()
        self.assertEqual(len(large_measures.filtered("current_score")), 100)
        self.assertEqual(
            self.env["bsc.score"].search_count(
                [("scorecard_id", "=", large.id), ("level", "=", "measure")]
            ),
            300,
        )
