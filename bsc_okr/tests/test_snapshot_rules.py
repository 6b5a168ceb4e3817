"""The rules behind the Excel scorecard, each in its one model home.

The workbook (``report/``) only renders ``bsc.scorecard._snapshot()``; what
it used to decide itself is tested here on the models, as the
least-privileged users concerned: an ordinary employee (who may export the
map and the OKR aggregates) and KPI appraisal staff (walled from OKRs).
"""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestSnapshotRules(BscCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.initiatives = cls.env["bsc.initiative"].create(
            [
                {
                    "name": name,
                    "objective_ids": [Command.set(cls.obj_process.ids)],
                    "company_id": cls.company.id,
                    "budget": budget,
                    "actual_cost": cost,
                }
                for name, budget, cost in (
                    ("Quarter spent", 200.0, 50.0),
                    ("Over budget", 100.0, 150.0),
                    ("No budget", 0.0, 30.0),
                )
            ]
        )
        march = cls.scorecard.period_ids.filtered(lambda p: p.code == "2026-03")
        cls.env["bsc.measure.value"].create(
            {"measure_id": cls.measure_own.id, "period_id": march.id, "value": 100}
        )
        cls.scorecard._recompute_scores()

    def card(self, user):
        return self.scorecard.with_user(user)

    # ------------------------------------------------------------------
    # 1. Whether the OKR summary is exported: the appraisal wall
    # ------------------------------------------------------------------
    def test_okr_option_for_an_okr_user(self):
        card = self.card(self.user_employee)
        self.assertTrue(card._export_okr_option())
        self.assertTrue(card._export_okr_option(True))
        self.assertFalse(card._export_okr_option(False))
        self.assertTrue(card._export_options({})["include_okr"])
        self.assertFalse(card._export_options({"include_okr": False})["include_okr"])

    def test_okr_option_behind_the_appraisal_wall(self):
        card = self.card(self.user_hr)
        self.assertFalse(card._export_okr_option())
        self.assertFalse(card._export_okr_option(False))
        self.assertFalse(card._export_options({})["include_okr"])
        with self.assertRaisesRegex(UserError, "kept out of appraisal"):
            card._export_okr_option(True)
        with self.assertRaises(UserError):
            card._export_options({"include_okr": True})

    # ------------------------------------------------------------------
    # 2. Which periods an export covers
    # ------------------------------------------------------------------
    def test_period_range_defaults_to_horizon_start_until_today(self):
        periods, first, last = self.card(self.user_employee)._export_period_range()
        self.assertEqual(first, self.period("2025-01"))
        self.assertEqual(last, self.period("2026-03"))
        self.assertEqual(len(periods), 15)
        self.assertEqual(periods[0], first)
        self.assertEqual(periods[-1], last)
        # Only the end given: from the horizon start.
        periods, first, last = self.card(self.user_employee)._export_period_range(
            period_to_id=self.period("2025-06").id
        )
        self.assertEqual(
            (len(periods), first, last), (6, self.period("2025-01"), periods[-1])
        )

    def test_period_range_given(self):
        options = self.card(self.user_employee)._export_options(
            {
                "period_from_id": self.period("2026-01").id,
                "period_to_id": self.period("2026-02").id,
            }
        )
        self.assertEqual(options["periods"].mapped("code"), ["2026-01", "2026-02"])
        self.assertEqual(options["period_from"], self.period("2026-01"))
        self.assertEqual(options["period_to"], self.period("2026-02"))

    def test_period_range_refuses_bad_input(self):
        card = self.card(self.user_employee)
        with self.assertRaisesRegex(UserError, "reversed"):
            card._export_period_range(
                self.period("2026-03").id, self.period("2026-01").id
            )
        for bad in ("2026-01", True, 1.5):
            with self.assertRaisesRegex(UserError, "not valid"):
                card._export_period_range(period_from_id=bad)
        other = self.env["bsc.scorecard"].create(
            {
                "name": "Other Strategy",
                "company_id": self.company.id,
                "date_from": "2030-01-01",
                "date_to": "2030-12-31",
            }
        )
        with self.assertRaisesRegex(UserError, "outside the horizon"):
            card._export_period_range(period_to_id=other.period_ids[:1].id)
        with self.assertRaisesRegex(UserError, "outside the horizon"):
            card._export_period_range(period_from_id=other.period_ids[:1].id)
        with self.assertRaisesRegex(UserError, "departments to export are not valid"):
            card._export_options({"department_ids": "all"})
        with self.assertRaises(UserError):
            card._export_options({"department_ids": [True]})

    # ------------------------------------------------------------------
    # 3. Unit suffixes, 4. cost ratio, 6. names: delivered by the snapshot
    # ------------------------------------------------------------------
    def snapshot(self, user, **kwargs):
        return self.card(user)._snapshot(self.period("2026-03"), **kwargs)

    def test_unit_suffixes_come_from_the_measure(self):
        Measure = self.env["bsc.measure"].with_user(self.user_employee)
        suffixes = Measure._unit_value_suffixes()
        self.assertEqual(suffixes, {"days": "days", "hours": "hours"})
        self.assertEqual(self.snapshot(self.user_employee)["unit_suffixes"], suffixes)
        self.assertNotIn(
            "unit_suffixes", self.snapshot(self.user_employee, measures=False)
        )

    def test_cost_ratio_of_initiatives(self):
        initiatives = self.initiatives.with_user(self.user_employee)
        ratios = initiatives._cost_ratios()
        self.assertEqual([ratios[i.id] for i in initiatives], [0.25, 1.5, None])
        rows = {
            i["name"]: i["cost_ratio"]
            for i in self.snapshot(self.user_employee)["initiatives"]
        }
        self.assertEqual(
            rows, {"Quarter spent": 0.25, "Over budget": 1.5, "No budget": None}
        )

    def test_names_are_looked_up_once_in_the_snapshot(self):
        snapshot = self.snapshot(self.user_employee)
        perspective_names = {p["id"]: p["name"] for p in snapshot["perspectives"]}
        for objective in snapshot["objectives"]:
            self.assertEqual(
                objective["perspective"],
                perspective_names[objective["perspective_id"]],
            )
        [measure] = [m for m in snapshot["measures"] if m["id"] == self.measure_own.id]
        self.assertEqual(measure["objective"], "Lean production")
        self.assertEqual(measure["perspective"], self.persp["process"].name)
        links = {(lk["cause"], lk["effect"]) for lk in snapshot["links"]}
        self.assertIn(("Learn lean", "Lean production"), links)
        self.assertIn(("Happy partners", "Grow revenue"), links)

    # ------------------------------------------------------------------
    # 5. No data, no score
    # ------------------------------------------------------------------
    def test_no_data_means_no_score(self):
        march = self.period("2026-03")
        rows = self.env["bsc.score"].search(
            [
                ("period_id", "=", march.id),
                "|",
                ("measure_id", "=", self.measure_peer.id),
                ("objective_id", "=", self.obj_customer.id),
            ]
        )
        self.assertEqual(set(rows.mapped("status")), {"no_data"})
        # A stored figure on a no-data row (a Float column holds 0.0, or a
        # stale value) is still no score.
        rows.write({"score": 4.0})
        snapshot = self.snapshot(self.user_employee)
        actual, _target, _ach, score, status = snapshot["measure_scores"][
            self.measure_peer.id
        ][march.id]
        self.assertEqual(status, "no_data")
        self.assertIsNone(score)
        node = snapshot["scores"][("objective", self.obj_customer.id)][march.id]
        self.assertEqual(node["status"], "no_data")
        self.assertIsNone(node["score"])
        # Scored rows keep their score.
        own = snapshot["measure_scores"][self.measure_own.id][march.id]
        self.assertEqual((own[3], own[4]), (10.0, "green"))
        # The strategy map shows the same.
        data = self.card(self.user_employee).get_strategy_map_data(march.id)
        objectives = {o["id"]: o for o in data["objectives"]}
        self.assertEqual(objectives[self.obj_customer.id]["status"], "no_data")
        self.assertIsNone(objectives[self.obj_customer.id]["score"])
