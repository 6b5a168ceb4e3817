"""Query budgets of the recomputations and data loads measured by bench/.

Each budget is checked at two data sizes that must cost the same number of
queries, so that an N+1 regression fails ``make test``. Speed itself is
measured by ``make bench``, never here (no timed test).
"""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestPerformanceBudgets(OkrCase):
    """The same number of queries for a few records and for ten times more."""

    # ------------------------------------------------------------------
    # Fixtures
    # ------------------------------------------------------------------
    def _objectives(self, count, owner=None, kr_count=2):
        owner = owner or self.emp_employee
        objectives = self.env["okr.objective"]
        for index in range(count):
            objectives |= self._make_objective(
                owner,
                f"Budget {count}-{index}",
                krs=[
                    {
                        "name": f"KR {k}",
                        "target_value": 10.0 * (k + 1),
                        "weight": k + 1,
                    }
                    for k in range(kr_count)
                ],
            )
        self._activate(objectives)
        return objectives

    def _scorecards(self, count, objectives_each=2, measures_each=2):
        """Active scorecards with values in January and February 2026."""
        cards = self.env["bsc.scorecard"]
        for index in range(count):
            card = self.env["bsc.scorecard"].create(
                {
                    "name": f"Budget card {count}-{index}",
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
                        "owner_id": self.emp_manager.id,
                    }
                    for i in range(objectives_each)
                ]
            )
            measures = self.env["bsc.measure"].create(
                [
                    {
                        "name": f"Measure {i}",
                        "objective_id": objectives[i % len(objectives)].id,
                        "target": 100,
                    }
                    for i in range(objectives_each * measures_each)
                ]
            )
            card.state = "active"
            periods = card.period_ids.filtered(lambda p: p.code <= "2026-02")
            self.env["bsc.measure.value"].with_context(bsc_skip_recompute=True).create(
                [
                    {"measure_id": m.id, "period_id": p.id, "value": 60 + i}
                    for i, m in enumerate(measures)
                    for p in periods
                ]
            )
            cards |= card
        cards._recompute_scores()  # the score rows exist before measuring
        return cards

    def _count(self, func):
        """Queries of ``func()`` with cold record caches."""
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    # ------------------------------------------------------------------
    # Check-in roll-up (bench measure 1)
    # ------------------------------------------------------------------
    def _post_checkins(self, objectives):
        """Two check-ins on every key result, in one batch, as their owner."""
        key_results = objectives.key_result_ids
        vals_list = [
            {"key_result_id": kr.id, "value": value, "confidence": 6}
            for kr in key_results
            for value in (3.0, 5.0)
        ]
        return lambda: (
            self.env["okr.checkin"].with_user(self.user_employee).create(vals_list)
        )

    def test_checkin_rollup_budget(self):
        """A batch of check-ins moves its key results and their objectives
        (current value, progress, confidence) in a fixed number of queries."""
        small = self._objectives(2)
        large = self._objectives(12)
        self._count(self._post_checkins(self._objectives(1)))  # warm the caches
        small_count = self._count(self._post_checkins(small))
        large_count = self._count(self._post_checkins(large))
        self.assertEqual(small_count, large_count)
        self.assertLessEqual(large_count, 60)
        # The roll-up happened: latest value, progress of KR and objective.
        key_result = large[-1].key_result_ids[0]
        self.assertEqual(key_result.current_value, 5.0)
        self.assertAlmostEqual(key_result.progress, 0.5)
        self.assertEqual(len(large.key_result_ids.checkin_ids), 48)
        self.assertTrue(all(o.progress > 0 for o in large))

    # ------------------------------------------------------------------
    # Objective progress (stored roll-up of the key results)
    # ------------------------------------------------------------------
    def test_objective_progress_budget(self):
        """Re-targeting and re-weighting the key results of many objectives
        recomputes the progress of the key results, of their check-ins and
        of the objectives in a fixed number of queries."""
        small = self._objectives(3)
        large = self._objectives(30)
        for objectives in (small, large):
            self._post_checkins(objectives)()

        def correct(objectives):
            # An OKR administrator corrects every key result in one write.
            # Browsed from ids: a recordset taken from a cached x2many would
            # prefetch nothing once the cache is cleared.
            ids = objectives.key_result_ids.ids
            KeyResult = self.env["okr.key.result"].with_user(self.user_okr_admin)
            return lambda: KeyResult.browse(ids).write(
                {"target_value": 20.0, "weight": 1.0}
            )

        self._count(correct(self._objectives(1)))  # warm the caches
        small_count = self._count(correct(small))
        large_count = self._count(correct(large))
        self.assertEqual(small_count, large_count)
        # Both key results now 0 -> 20 at 5, weight 1: 0.25 everywhere.
        key_result = large[0].key_result_ids[0]
        self.assertAlmostEqual(key_result.progress, 0.25)
        self.assertAlmostEqual(key_result.checkin_ids[0].progress, 0.25)
        self.assertAlmostEqual(large[0].progress, 0.25)

    def test_objective_list_budget(self):
        """The OKR list (progress, confidence, owner, cycle) reads 5 or 50
        objectives in the same number of queries, as their manager."""
        small = self._objectives(5)
        large = self._objectives(50)
        spec = {
            "name": {},
            "progress_percent": {},
            "confidence": {},
            "state": {},
            "owner_id": {"fields": {"display_name": {}}},
            "cycle_id": {"fields": {"display_name": {}}},
            "key_result_count": {},
        }
        Objective = self.env["okr.objective"].with_user(self.user_manager)

        def read(objectives):
            return lambda: Objective.web_search_read(
                [("id", "in", objectives.ids)], spec
            )

        self._count(read(small))  # warm the caches
        self.assertEqual(self._count(read(small)), self._count(read(large)))

    # ------------------------------------------------------------------
    # Scorecard recomputation (bench measure 1, BSC side)
    # ------------------------------------------------------------------
    def test_recompute_several_scorecards_budget(self):
        """Recomputing the current period of 1 or of 4 scorecards at once
        (what the hourly cron and the bench roll-up do) costs the same."""
        one = self._scorecards(1)
        four = self._scorecards(4, objectives_each=4, measures_each=3)
        today = fields.Date.context_today(self.env.user)

        def recompute(cards):
            current = cards.period_ids.filtered(
                lambda p: p.date_start <= today <= p.date_end
            )
            return lambda: cards._recompute_scores(period_ids=current.ids)

        self._count(recompute(one))  # warm the caches
        one_count = self._count(recompute(one))
        four_count = self._count(recompute(four))
        self.assertEqual(one_count, four_count)
        self.assertLessEqual(four_count, 17)
        self.assertTrue(all(card.current_score for card in four))

    # ------------------------------------------------------------------
    # Strategy map (bench measure 4)
    # ------------------------------------------------------------------
    def test_strategy_map_budget_for_a_manager(self):
        """The map of a past period, read by a department manager through
        the record rules, costs the same for 4 and for 40 objectives."""
        small = self._scorecards(1, objectives_each=4, measures_each=1)
        large = self._scorecards(1, objectives_each=40, measures_each=1)
        for card in small | large:
            objectives = card.objective_ids.sorted("id")
            self.env["bsc.objective.link"].create(
                [
                    {"cause_id": cause.id, "effect_id": effect.id}
                    for cause, effect in zip(
                        objectives[:-1], objectives[1:], strict=True
                    )
                ]
            )
        Scorecard = (
            self.env["bsc.scorecard"]
            .with_user(self.user_manager)
            .with_context(tz="Asia/Taipei")
        )

        def map_data(card):
            january = card.period_ids.filtered(lambda p: p.code == "2026-01")
            return lambda: Scorecard.browse(card.id).get_strategy_map_data(
                period_id=january.id
            )

        self._count(map_data(small))  # warm the caches
        small_count = self._count(map_data(small))
        large_count = self._count(map_data(large))
        self.assertEqual(small_count, large_count)
        self.assertLessEqual(large_count, 10)
        data = map_data(large)()
        self.assertEqual(len(data["objectives"]), 40)
        self.assertEqual(len(data["links"]), 39)
        self.assertTrue(data["scorecard"]["score"])

    def test_strategy_map_links_follow_the_cards(self):
        """Control for the budget above: links of another card never show."""
        cards = self._scorecards(2, objectives_each=2, measures_each=1)
        first, second = cards
        self.env["bsc.objective.link"].create(
            {
                "cause_id": first.objective_ids[0].id,
                "effect_id": first.objective_ids[1].id,
            }
        )
        data = (
            self.env["bsc.scorecard"]
            .with_user(self.user_manager)
            .browse(second.id)
            .get_strategy_map_data()
        )
        self.assertEqual(data["links"], [])
        self.assertEqual(
            {o["id"] for o in data["objectives"]}, set(second.objective_ids.ids)
        )
        self.assertIn(
            first.id, [sc["id"] for sc in data["scorecards"]], "both cards listed"
        )
