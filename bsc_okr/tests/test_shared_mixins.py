"""One declaration each: the scoring rule, the live-source switch and the
progress percentage are declared once, in a mixin, for every model using them."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase
from .kpi_common import KpiCase
from .okr_common import IN_Q1, OkrCase

INVERTED = "is inverted"


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestScoringRuleMixin(KpiCase):
    """Measures, KPI definitions and KPI assignments share one scoring rule."""

    def assertInverted(self, record, user):
        with self.assertRaises(ValidationError) as caught:
            record.with_user(user).write(
                {"polarity": "range", "range_min": 9.0, "range_max": 3.0}
            )
        message = str(caught.exception)
        self.assertIn(INVERTED, message)
        self.assertIn(record.name, message)

    def test_one_declaration(self):
        for model in ("bsc.measure", "bsc.kpi.definition", "bsc.kpi.assignment"):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertIn(
                    model, self.env["bsc.scoring.rule.mixin"]._inherit_children
                )
                self.assertEqual(
                    type(Model)._check_range.__qualname__,
                    "BscScoringRuleMixin._check_range",
                )
                selection = Model._fields["polarity"]._description_selection(self.env)
                self.assertEqual(
                    [key for key, _label in selection], ["higher", "lower", "range"]
                )

    def test_inverted_range_refused_everywhere(self):
        self.assertInverted(self.measure_peer, self.user_strategy)
        self.assertInverted(self.kpi_on_time, self.user_hr)
        self.assertInverted(self.line_kpi, self.user_hr)
        # Nothing was half-written.
        for record in (self.measure_peer, self.kpi_on_time, self.line_kpi):
            self.assertEqual(record.polarity, "higher")

    def test_valid_ranges_accepted(self):
        # A single point is a valid range; bounds only matter for "range".
        self.measure_peer.with_user(self.user_strategy).write(
            {"polarity": "range", "range_min": 5.0, "range_max": 5.0}
        )
        self.kpi_on_time.with_user(self.user_hr).write(
            {"polarity": "lower", "range_min": 9.0, "range_max": 3.0}
        )
        self.line_kpi.with_user(self.user_hr).write(
            {"polarity": "range", "range_min": 90.0, "range_max": 100.0, "actual": 95}
        )
        self.assertEqual(self.measure_peer.polarity, "range")
        self.assertEqual(self.kpi_on_time.polarity, "lower")
        self.assertEqual((self.line_kpi.score, self.line_kpi.status), (10.0, "green"))

    def test_assignment_takes_the_rule_of_its_source(self):
        """The mixin's default polarity does not override the copied one."""
        self.measure_manager.write(
            {"polarity": "lower", "baseline": 20.0, "target": 5.0}
        )
        self.kpi_on_time.write(
            {"polarity": "range", "range_min": 90.0, "range_max": 99.0}
        )
        sheet = self.make_sheet(
            self.emp_peer,
            [("measure", self.measure_manager, 1), ("definition", self.kpi_on_time, 1)],
            period=self.env["bsc.appraisal.period"].create(
                {
                    "name": "H2 2026",
                    "company_id": self.company.id,
                    "date_start": "2026-07-01",
                    "date_end": "2026-12-31",
                }
            ),
        )
        from_measure, from_kpi = sheet.assignment_ids.sorted("sequence")
        self.assertEqual(
            (from_measure.polarity, from_measure.baseline, from_measure.target),
            ("lower", 20.0, 5.0),
        )
        self.assertEqual(
            (from_kpi.polarity, from_kpi.range_min, from_kpi.range_max),
            ("range", 90.0, 99.0),
        )
        # A new definition without a polarity gets the mixin's default.
        kpi = (
            self.env["bsc.kpi.definition"]
            .with_user(self.user_hr)
            .create({"name": "Tickets closed", "company_id": self.company.id})
        )
        self.assertEqual(kpi.polarity, "higher")


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestLiveSourceSwitch(BscCase):
    """The source-type switch of measures and key results, in the live mixin."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Managers may write measures in this class only, to prove that the
        # switch check is the mixin's and not the ACL's.
        cls.env["ir.model.access"].create(
            {
                "name": "test manager writes measures",
                "model_id": cls.env["ir.model"]._get("bsc.measure").id,
                "group_id": cls.env.ref("bsc_okr.group_okr_manager").id,
                "perm_read": True,
                "perm_write": True,
            }
        )

    def test_one_declaration(self):
        for model in ("bsc.measure", "okr.key.result"):
            with self.subTest(model=model):
                Model = type(self.env[model])
                self.assertEqual(Model._live_source_field, "source_type")
                for method in ("_live_is_enabled", "_live_changed"):
                    self.assertEqual(
                        getattr(Model, method).__qualname__,
                        f"BscLiveSourceMixin.{method}",
                    )

    def test_only_a_switch_to_or_from_live_configures(self):
        measure = self.measure_manager.with_user(self.user_manager)
        # Manual -> push configures no live source: allowed.
        measure.source_type = "push"
        self.assertEqual(self.measure_manager.source_type, "push")
        self.assertFalse(self.measure_manager._live_is_enabled())
        with self.assertRaises(AccessError):
            measure.source_type = "live"
        self.assertEqual(self.measure_manager.source_type, "push")
        # A Strategy Officer switches it on; going back off is configuring too.
        self.measure_manager.with_user(self.user_strategy).write(
            {
                "source_type": "live",
                "live_model_id": self.env["ir.model"]._get("res.currency.rate").id,
                "live_date_field_id": self.env["ir.model.fields"]
                ._get("res.currency.rate", "name")
                .id,
            }
        )
        self.assertTrue(self.measure_manager._live_is_enabled())
        self.assertEqual(self.measure_manager.live_user_id, self.user_strategy)
        with self.assertRaises(AccessError):
            measure.source_type = "manual"
        self.assertEqual(
            self.measure_manager._live_changed({"source_type": "push"}),
            self.measure_manager,
        )
        self.assertFalse(self.measure_manager._live_changed({"source_type": "live"}))

    def test_vals_enable(self):
        for model in ("bsc.measure", "okr.key.result"):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertTrue(Model._live_vals_enable({"source_type": "live"}))
                self.assertFalse(Model._live_vals_enable({"source_type": "manual"}))
                # Naming a model without the switch does not make it live.
                self.assertFalse(Model._live_vals_enable({"live_model_id": 1}))


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestProgressMixin(OkrCase):
    """progress_percent, declared once, on the five models that show progress."""

    MODELS = (
        "bsc.initiative",
        "bsc.initiative.milestone",
        "okr.objective",
        "okr.key.result",
        "okr.objective.public",
    )

    def test_one_declaration(self):
        for model in self.MODELS:
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertIn(model, self.env["bsc.progress.mixin"]._inherit_children)
                self.assertEqual(
                    type(Model)._compute_progress_percent.__qualname__,
                    "BscProgressMixin._compute_progress_percent",
                )
                self.assertFalse(Model._fields["progress_percent"].store)

    def test_percent_follows_progress(self):
        self._activate(self.obj_employee)
        self._checkin(self.kr_employee, 40, user=self.user_employee)
        objective = self.obj_employee.with_user(self.user_employee)
        self.assertAlmostEqual(objective.key_result_ids.progress_percent, 40.0)
        self.assertAlmostEqual(objective.progress_percent, 40.0)
        public = self.env["okr.objective.public"].with_user(self.user_peer)
        self.assertAlmostEqual(
            public.browse(self.obj_employee.id).progress_percent, 40.0
        )
        initiative = self.env["bsc.initiative"].create(
            {
                "name": "Kaizen weeks",
                "company_id": self.company.id,
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Workshops",
                            "metric": "workshops held",
                            "start_value": 0,
                            "target_value": 10,
                            "current_value": 5,
                            "weight": 3,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Scrap",
                            "metric": "scrap rate",
                            "start_value": 8,
                            "target_value": 4,
                            "current_value": 8,
                            "weight": 1,
                        }
                    ),
                ],
            }
        )
        initiative = initiative.with_user(self.user_ceo)
        self.assertEqual(
            initiative.milestone_ids.sorted("id").mapped("progress_percent"),
            [50.0, 0.0],
        )
        # Weighted mean of the milestones: (0.5 * 3 + 0 * 1) / 4.
        self.assertAlmostEqual(initiative.progress_percent, 37.5)
        # With every weight at 0, every milestone weighs the same.
        initiative.milestone_ids.write({"weight": 0})
        self.assertAlmostEqual(initiative.progress_percent, 25.0)
