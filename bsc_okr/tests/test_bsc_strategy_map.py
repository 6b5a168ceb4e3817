from freezegun import freeze_time

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscStrategyMapData(BscCase):
    """The one method feeding the strategy map: content and query count."""

    def test_map_data_as_employee(self):
        self.obj_process.theme_ids = [Command.link(self.theme_scale.id)]
        self.record_values(self.measure_own, {"2026-03": 100})
        data = (
            self.env["bsc.scorecard"]
            .with_user(self.user_employee)
            .get_strategy_map_data()
        )
        self.assertEqual(data["scorecard"]["id"], self.scorecard.id)
        self.assertEqual(
            [p["kind"] for p in data["perspectives"]],
            ["financial", "customer", "process", "learning"],
            "Financial on top: the map reads bottom-up",
        )
        self.assertEqual(data["period_id"], self.period("2026-03").id)
        self.assertEqual(data["periods"][0]["code"], "2026-03", "latest first")
        self.assertEqual(len(data["periods"]), 15, "started periods only")
        objectives = {o["name"]: o for o in data["objectives"]}
        self.assertEqual(objectives["Lean production"]["status"], "green")
        self.assertEqual(
            objectives["Lean production"]["theme_ids"], [self.theme_scale.id]
        )
        self.assertEqual(objectives["Happy partners"]["status"], "no_data")
        self.assertIsNone(objectives["Happy partners"]["score"])
        self.assertEqual(
            {(lk["cause_id"], lk["effect_id"]) for lk in data["links"]},
            {
                (self.obj_learning.id, self.obj_process.id),
                (self.obj_process.id, self.obj_customer.id),
                (self.obj_customer.id, self.obj_financial.id),
            },
        )
        self.assertEqual(data["themes"][0]["name"], "Scale")

    def test_other_period(self):
        self.record_values(self.measure_own, {"2026-02": 50})
        data = self.scorecard.get_strategy_map_data(period_id=self.period("2026-02").id)
        objectives = {o["name"]: o for o in data["objectives"]}
        self.assertEqual(objectives["Lean production"]["score"], 5.0)
        # A period of another scorecard falls back to the current one.
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        data = self.scorecard.get_strategy_map_data(period_id=other.period_ids[0].id)
        self.assertEqual(data["period_id"], self.period("2026-03").id)

    def test_no_scorecard(self):
        data = (
            self.env["bsc.scorecard"]
            .with_user(self.user_other_company)
            .get_strategy_map_data()
        )
        self.assertFalse(data["scorecard"])

    def build(self, objectives, links):
        card = self.env["bsc.scorecard"].create(
            {"name": f"Map {objectives}", "company_id": self.company.id}
        )
        perspectives = card.perspective_ids.sorted("sequence")
        records = self.env["bsc.objective"].create(
            [
                {
                    "name": f"Objective {i}",
                    "scorecard_id": card.id,
                    "perspective_id": perspectives[i % 4].id,
                    "owner_id": self.emp_manager.id,
                    "theme_ids": [Command.link(self.theme_scale.id)],
                }
                for i in range(objectives)
            ]
        )
        # Links only go up the bands (i % 4 grows), so never a cycle.
        pairs = [
            (records[a], records[b])
            for a in range(objectives)
            for b in range(a + 1, objectives)
            if a % 4 < b % 4
        ][:links]
        self.env["bsc.objective.link"].create(
            [{"cause_id": c.id, "effect_id": e.id} for c, e in pairs]
        )
        card.state = "active"
        card._recompute_scores()
        return card

    def test_query_count_independent_of_size(self):
        small = self.build(8, 10)
        large = self.build(200, 600)
        self.assertEqual(
            self.env["bsc.objective.link"].search_count(
                [("scorecard_id", "=", large.id)]
            ),
            600,
        )
        # The web client always sends the user's timezone in the context.
        Scorecard = (
            self.env["bsc.scorecard"]
            .with_user(self.user_employee)
            .with_context(tz="Asia/Hong_Kong")
        )
        Scorecard.browse(small.id).get_strategy_map_data()  # warm the caches
        self.env.invalidate_all()
        # 9 queries for 8 objectives and for 200 objectives with 600 links:
        # scorecards, periods, perspectives, objectives, owners, links,
        # themes (grouped) and their names, scores.
        with self.assertQueryCount(9):
            data = Scorecard.browse(small.id).get_strategy_map_data()
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            data = Scorecard.browse(large.id).get_strategy_map_data()
        self.assertEqual(len(data["objectives"]), 200)
        self.assertEqual(len(data["links"]), 600)


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscScorecardSnapshot(BscCase):
    """The one read model of the map and the workbook: plain data, as the user."""

    def assert_plain(self, value):
        if isinstance(value, dict):
            for key, item in value.items():
                self.assert_plain(key)
                self.assert_plain(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                self.assert_plain(item)
        else:
            self.assertNotIsInstance(value, models.BaseModel)

    def test_snapshot_is_plain_data_and_feeds_the_map(self):
        self.record_values(self.measure_own, {"2026-03": 100})
        march = self.period("2026-03")
        Scorecard = self.env["bsc.scorecard"].with_user(self.user_employee)
        snapshot = Scorecard.browse(self.scorecard.id)._snapshot(march, okr=True)
        self.assert_plain(snapshot)
        self.assertEqual(
            snapshot["scores"][("objective", self.obj_process.id)][march.id]["status"],
            "green",
        )
        self.assertIn("Defect-free rate", {m["name"] for m in snapshot["measures"]})
        self.assertIn(self.obj_process.id, snapshot["okr"])
        data = Scorecard.browse(self.scorecard.id).get_strategy_map_data()
        self.assertEqual(
            [o["id"] for o in data["objectives"]],
            [o["id"] for o in snapshot["objectives"]],
        )
        self.assertEqual(
            [lk["id"] for lk in data["links"]], [lk["id"] for lk in snapshot["links"]]
        )

    def test_department_filter(self):
        march = self.period("2026-03")
        snapshot = self.scorecard.with_user(self.user_employee)._snapshot(
            march, departments=self.dept_production
        )
        self.assertIn(self.obj_process.id, snapshot["shown_objective_ids"])
        self.assertNotIn(self.obj_financial.id, snapshot["shown_objective_ids"])
        self.assertTrue(snapshot["measures"])
        self.assertEqual(
            {m["objective_id"] for m in snapshot["measures"]} - {self.obj_process.id},
            set(),
        )
        self.assertTrue(
            all(
                self.obj_process.id in (lk["cause_id"], lk["effect_id"])
                for lk in snapshot["links"]
            )
        )

    def test_okr_aggregates_behind_the_wall(self):
        march = self.period("2026-03")
        card = self.scorecard.with_user(self.user_hr)
        self.assertFalse(card._can_export_okr())
        with self.assertRaises(UserError):
            card._snapshot(march, okr=True)
        self.assertNotIn("okr", card._snapshot(march))


@tagged("post_install", "-at_install")
class TestBscStrategyMapTour(BscCase, HttpCase):
    """The map renders in Chromium: bands, coloured cards, arrows, themes."""

    def test_strategy_map_tour(self):
        today = fields.Date.context_today(self.env.user)
        self.scorecard.date_to = today.replace(year=today.year + 1)
        self.obj_process.theme_ids = [Command.link(self.theme_scale.id)]
        self.obj_learning.theme_ids = [Command.link(self.theme_scale.id)]
        code = today.strftime("%Y-%m")
        self.record_values(self.measure_own, {code: 100})
        self.record_values(self.measure_manager, {code: 100})
        self.start_tour("/odoo", "bsc_okr_strategy_map_tour", login="t_employee")
