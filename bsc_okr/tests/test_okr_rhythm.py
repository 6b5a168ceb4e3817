from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
class TestOkrRhythm(OkrCase):
    """Stale key results (the weekly reminder: test_okr_reminder)."""

    @freeze_time(IN_Q1)
    def test_stale_key_results(self):
        self._checkin(self.kr_peer, 10, user=self.user_peer, date="2026-02-10")
        self._checkin(self.kr_hr, 10, user=self.user_hr, date="2026-02-01")
        all_krs = self.objectives.key_result_ids
        stale = self.env["okr.key.result"].search(
            [("id", "in", all_krs.ids), ("is_stale", "=", True)]
        )
        self.assertEqual(stale, all_krs - self.kr_peer)
        self.assertFalse(self.kr_peer.is_stale)
        self.assertTrue(self.kr_hr.is_stale, "15 days >= 14")
        fresh = self.env["okr.key.result"].search(
            [("id", "in", all_krs.ids), ("is_stale", "=", False)]
        )
        self.assertEqual(fresh, self.kr_peer)
        self.assertTrue(self.obj_hr.is_stale)
        # The delay is a company setting.
        self.company.okr_stale_days = 60
        all_krs.invalidate_recordset(["is_stale"])
        self.assertFalse(
            self.env["okr.key.result"].search(
                [("id", "in", all_krs.ids), ("is_stale", "=", True)]
            )
        )

    @freeze_time(IN_Q1)
    def test_stale_list_for_owner_and_manager(self):
        Stale = self.env["okr.key.result"]
        domain = [("is_stale", "=", True), ("company_id", "=", self.company.id)]
        self.assertEqual(
            Stale.with_user(self.user_employee).search(domain),
            (self.obj_employee | self.obj_private).key_result_ids,
        )
        self.assertEqual(
            Stale.with_user(self.user_manager).search(domain),
            (self.obj_production | self.obj_employee | self.obj_private).key_result_ids,
        )
        self.assertFalse(
            Stale.with_user(self.user_hr).search(domain) - self.kr_hr,
            "appraisal staff see no one else's stale key results",
        )

    @freeze_time(IN_Q1)
    def test_nothing_stale_outside_running_cycles(self):
        self.cycle.action_start_grading()
        self.assertFalse(
            self.env["okr.key.result"].search(
                [
                    ("id", "in", self.objectives.key_result_ids.ids),
                    ("is_stale", "=", True),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestOkrAutomaticSources(OkrCase):
    """Key results fed by the live mixin of bsc_okr or by a scorecard measure.

    The live source reads ``create_date``, set by the database clock, so this
    class works in the real current quarter instead of freezing the date.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.current = cls._make_current_quarter()
        cls.user_manager.groups_id |= cls.env.ref("base.group_partner_manager")

    def _live_objective(self):
        objective = self._make_objective(
            self.emp_manager,
            "Find partners",
            cycle=self.current,
            level="department",
            department_id=self.dept_production.id,
            krs=[],
        )
        key_result = (
            self.env["okr.key.result"]
            .with_user(self.user_manager)
            .create(
                {
                    "objective_id": objective.id,
                    "name": "Partners met",
                    "target_value": 10,
                    "source_type": "live",
                    "live_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "live_domain": "[('name', 'like', 'OKR live partner')]",
                    "live_aggregate": "count",
                    "live_date_field_id": self.env["ir.model.fields"]
                    ._get("res.partner", "create_date")
                    .id,
                }
            )
        )
        self._activate(objective)
        return key_result

    def test_live_key_result(self):
        key_result = self._live_objective()
        self.assertEqual(key_result.live_user_id, self.user_manager)
        self.env["res.partner"].create(
            [{"name": f"OKR live partner {i}"} for i in range(3)]
        )
        self.env["okr.key.result"]._cron_refresh_sources()
        self.assertEqual(key_result.current_value, 3)
        self.assertEqual(key_result.checkin_ids.author_id, self.user_manager)
        self.assertAlmostEqual(key_result.progress, 0.3)
        # Nothing moved: no new check-in.
        self.env["okr.key.result"]._cron_refresh_sources()
        self.assertEqual(len(key_result.checkin_ids), 1)

    def test_live_check_in_comment_in_every_language(self):
        """The system's comment on an automatic check-in reads in the
        reader's language, not in the language the cron ran in."""
        self.env["res.lang"]._activate_lang("zh_TW")
        key_result = self._live_objective()
        self.env["res.partner"].create({"name": "OKR live partner"})
        self.env["okr.key.result"].with_context(lang="en_US")._cron_refresh_sources()
        checkin = key_result.checkin_ids
        english = "Updated automatically from its source."
        self.assertEqual(checkin.with_context(lang="en_US").comment, english)
        chinese = checkin.with_context(lang="zh_TW").comment
        self.assertEqual(chinese, self.env(context={"lang": "zh_TW"})._(english))
        self.assertNotEqual(chinese, english)

    def test_employees_do_not_configure_live_sources(self):
        objective = self._make_objective(
            self.emp_employee, "Mine", cycle=self.current, krs=[]
        )
        with self.assertRaises(AccessError):
            self.env["okr.key.result"].with_user(self.user_employee).create(
                {
                    "objective_id": objective.id,
                    "name": "Live",
                    "source_type": "live",
                    "live_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "live_date_field_id": self.env["ir.model.fields"]
                    ._get("res.partner", "create_date")
                    .id,
                }
            )

    def test_refresh_button_checks_rights(self):
        key_result = self._live_objective()
        with self.assertRaises(AccessError):
            key_result.with_user(self.user_peer).action_refresh_source()
        self.env["res.partner"].create({"name": "OKR live partner"})
        key_result.with_user(self.user_manager).action_refresh_source()
        self.assertEqual(key_result.current_value, 1)

    def test_measure_key_result(self):
        scorecard = self.env["bsc.scorecard"].create(
            {
                "name": "Card",
                "company_id": self.company.id,
                "date_from": self.current.date_start.replace(month=1, day=1),
                "date_to": self.current.date_end.replace(month=12, day=31),
            }
        )
        strategic = self.env["bsc.objective"].create(
            {
                "name": "On-time delivery",
                "scorecard_id": scorecard.id,
                "perspective_id": scorecard.perspective_ids[:1].id,
            }
        )
        measure = self.env["bsc.measure"].create(
            {"name": "On-time rate", "objective_id": strategic.id, "target": 95}
        )
        objective = self._make_objective(
            self.emp_employee,
            "Deliver on time",
            cycle=self.current,
            krs=[
                {
                    "name": "On-time rate 85 -> 95",
                    "start_value": 85,
                    "target_value": 95,
                    "source_type": "measure",
                    "measure_id": measure.id,
                }
            ],
        )
        self._activate(objective)
        key_result = objective.key_result_ids
        self.env["okr.key.result"]._cron_refresh_sources()
        self.assertFalse(key_result.checkin_ids, "the measure has no value yet")
        measure.write({"current_actual": 90, "last_value_date": fields.Datetime.now()})
        self.env["okr.key.result"]._cron_refresh_sources()
        self.assertEqual(key_result.current_value, 90)
        self.assertAlmostEqual(key_result.progress, 0.5)
