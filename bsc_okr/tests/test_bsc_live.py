from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscLiveSource(BscCase):
    """Live measures: validation, who may configure, evaluation, drill-down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Currency rates: a dated, numeric, multi-company model every user
        # may read; a test currency keeps demo rates out.
        cls.currency = cls.env["res.currency"].create(
            {"name": "BSX", "symbol": "B$", "active": True}
        )
        cls.rates = cls.env["res.currency.rate"].create(
            [
                {
                    "name": day,
                    "rate": 2.0,
                    "currency_id": cls.currency.id,
                    "company_id": cid,
                }
                for day, cid in (
                    ("2026-01-10", cls.company.id),
                    ("2026-03-02", cls.company.id),
                    ("2026-03-20", cls.company.id),
                    ("2026-03-21", cls.other_company.id),
                )
            ]
        )
        Fields = cls.env["ir.model.fields"]
        cls.rate_model = cls.env["ir.model"]._get("res.currency.rate")
        cls.date_field = Fields._get("res.currency.rate", "name")
        cls.rate_field = Fields._get("res.currency.rate", "rate")

    def configure(self, measure=None, user=None, **vals):
        measure = measure or self.measure_peer
        user = user or self.user_strategy
        vals = {
            "source_type": "live",
            "live_model_id": self.rate_model.id,
            "live_date_field_id": self.date_field.id,
            "live_domain": "[('currency_id.name', '=', 'BSX')]",
            "live_aggregate": "count",
            **vals,
        }
        measure.with_user(user).write(vals)
        return measure

    def test_refresh_counts_per_month_as_configuring_user(self):
        measure = self.configure()
        self.assertEqual(measure.live_user_id, self.user_strategy)
        measure._refresh_live_values()
        values = {v.period_id.code: v.value for v in measure.value_ids}
        # The other company's rate is invisible to the configuring user.
        self.assertEqual(values["2026-01"], 1)
        self.assertEqual(values["2026-02"], 0)
        self.assertEqual(values["2026-03"], 2)
        self.assertEqual(values["2025-06"], 0)
        self.assertEqual(set(measure.value_ids.mapped("source")), {"live"})
        # A second refresh without changes records nothing new.
        self.assertFalse(measure._refresh_live_values())

    def test_sum_and_quarterly_window(self):
        measure = self.configure(live_aggregate="sum", live_field_id=self.rate_field.id)
        measure.frequency = "quarterly"
        measure._refresh_live_values()
        values = {v.period_id.code: v.value for v in measure.value_ids}
        # Q1 2026 sums January to March: three rates of 2.0.
        self.assertEqual(values["2026-03"], 6)
        self.assertNotIn("2026-02", values)

    def test_cron_refreshes_and_scores(self):
        measure = self.configure()
        self.env["bsc.scorecard"]._cron_refresh_and_recompute()
        self.assertEqual(measure.current_actual, 2)
        self.assertEqual(measure.current_period_id, self.period("2026-03"))

    def test_drilldown_opens_the_records_behind_a_value(self):
        measure = self.configure()
        measure._refresh_live_values()
        value = measure.value_ids.filtered(lambda v: v.period_id.code == "2026-03")
        action = value.action_open_live_records()
        self.assertEqual(action["res_model"], "res.currency.rate")
        found = (
            self.env["res.currency.rate"]
            .with_user(self.user_strategy)
            .search(action["domain"])
        )
        self.assertEqual(found, self.rates[1:3])

    def test_unknown_field_in_domain(self):
        with self.assertRaisesRegex(ValidationError, "not valid on"):
            self.configure(live_domain="[('no_such_field', '=', 1)]")

    def test_dynamic_domain_refused(self):
        with self.assertRaisesRegex(ValidationError, "literal values"):
            self.configure(live_domain="[('create_uid', '=', uid)]")
        with self.assertRaisesRegex(ValidationError, "literal values"):
            self.configure(live_domain="__import__('os').system('true')")

    def test_non_numeric_value_field(self):
        name_field = self.env["ir.model.fields"]._get(
            "res.currency.rate", "currency_id"
        )
        with self.assertRaisesRegex(ValidationError, "cannot be used here"):
            self.configure(live_aggregate="sum", live_field_id=name_field.id)

    def test_model_the_user_cannot_read(self):
        model = self.env["ir.model"]._get("ir.config_parameter")
        field = self.env["ir.model.fields"]._get("ir.config_parameter", "create_date")
        with self.assertRaisesRegex(ValidationError, "cannot read"):
            self.configure(
                live_model_id=model.id, live_date_field_id=field.id, live_domain="[]"
            )

    def test_only_strategy_officers_configure(self):
        # Give managers write access to measures for this test only, to
        # prove the server-side check does not rely on the ACL.
        self.env["ir.model.access"].create(
            {
                "name": "test manager writes measures",
                "model_id": self.env["ir.model"]._get("bsc.measure").id,
                "group_id": self.env.ref("bsc_okr.group_okr_manager").id,
                "perm_read": True,
                "perm_write": True,
            }
        )
        self.measure_manager.with_user(self.user_manager).description = "ok"
        with self.assertRaisesRegex(AccessError, "Only Strategy Officers"):
            self.measure_manager.with_user(self.user_manager).source_type = "live"
        with self.assertRaisesRegex(AccessError, "Only Strategy Officers"):
            self.measure_manager.with_user(
                self.user_manager
            ).live_domain = "[('id', '>', 0)]"
        self.assertEqual(self.measure_manager.source_type, "manual")

    def test_cannot_configure_as_someone_else(self):
        with self.assertRaisesRegex(AccessError, "yourself"):
            self.configure(live_user_id=self.user_ceo.id)
