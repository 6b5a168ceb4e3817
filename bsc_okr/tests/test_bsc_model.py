import datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscScorecard(BscCase):
    """Scorecard template, periods, horizon changes, departments, cascade."""

    def test_template_perspectives_bottom_up(self):
        perspectives = self.scorecard.perspective_ids.sorted("sequence")
        self.assertEqual(
            perspectives.mapped("kind"),
            ["learning", "process", "customer", "financial"],
        )
        self.assertEqual(perspectives[-1].name, "Financial")

    def test_one_period_per_month(self):
        periods = self.scorecard.period_ids.sorted("date_start")
        self.assertEqual(len(periods), 36)
        self.assertEqual(periods[0].code, "2025-01")
        self.assertEqual(periods[0].date_end, datetime.date(2025, 1, 31))
        self.assertEqual(periods[-1].code, "2027-12")
        self.assertEqual(periods[-1].name, "Dec 2027")

    def test_horizon_change_adds_and_removes_periods(self):
        self.scorecard.write({"date_from": "2024-11-01", "date_to": "2027-06-30"})
        codes = self.scorecard.period_ids.mapped("code")
        self.assertIn("2024-11", codes)
        self.assertNotIn("2027-07", codes)
        self.assertEqual(len(codes), 32)

    def test_horizon_cannot_drop_months_with_values(self):
        self.record_values(self.measure_own, {"2025-02": 90})
        with self.assertRaisesRegex(ValidationError, "Feb 2025"):
            self.scorecard.write({"date_from": "2025-06-01"})
        self.assertEqual(len(self.scorecard.period_ids), 36, "nothing half-written")

    def test_horizon_end_before_start(self):
        with self.assertRaisesRegex(ValidationError, "ends"):
            self.scorecard.write({"date_to": "2024-12-31"})

    def test_okr_only_department_refuses_scorecard(self):
        self.dept_sales.management_mode = "okr"
        # assertRaises (unlike assertRaisesRegex) rolls the refused row back
        with self.assertRaises(ValidationError) as refused:
            self.env["bsc.scorecard"].create(
                {
                    "name": "Sales map",
                    "company_id": self.company.id,
                    "department_id": self.dept_sales.id,
                }
            )
        self.assertIn("OKRs only", str(refused.exception))
        self.dept_sales.management_mode = "bsc"
        card = self.env["bsc.scorecard"].create(
            {
                "name": "Sales map",
                "company_id": self.company.id,
                "department_id": self.dept_sales.id,
                "parent_id": self.scorecard.id,
            }
        )
        self.assertEqual(card.parent_id.child_ids, card)
        # An archived scorecard does not hold its department back ...
        card.action_archive_scorecard()
        self.dept_sales.management_mode = "okr"
        self.dept_sales.management_mode = "bsc"
        # ... but a live one does: the department cannot turn 'OKR only'.
        card.action_reset_to_draft()
        with self.assertRaises(ValidationError) as refused:
            self.dept_sales.management_mode = "okr"
        self.assertIn("cannot be managed by OKRs only", str(refused.exception))

    def test_cascade_cannot_loop(self):
        child = self.env["bsc.scorecard"].create(
            {
                "name": "Production map",
                "company_id": self.company.id,
                "parent_id": self.scorecard.id,
            }
        )
        with self.assertRaises(ValidationError):
            self.scorecard.parent_id = child

    def test_delete_scorecard_with_its_content(self):
        self.record_values(self.measure_own, {"2026-03": 90})
        self.scorecard.with_user(self.user_strategy).unlink()
        self.assertFalse(self.obj_process.exists())
        self.assertFalse(
            self.env["bsc.score"].search([("measure_id", "=", self.measure_own.id)])
        )

    def test_perspective_with_objectives_cannot_be_deleted(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.persp["process"].unlink()

    def test_activate_needs_objectives(self):
        card = self.env["bsc.scorecard"].create(
            {"name": "Empty", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(UserError, "no objective"):
            card.action_activate()
        self.assertEqual(card.state, "draft")

    def test_negative_weights_refused(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.obj_process.weight = -1
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.measure_own.weight = -0.5
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.persp["financial"].weight = -2

    def test_objective_perspective_of_same_scorecard(self):
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "another scorecard"):
            self.obj_process.perspective_id = other.perspective_ids[0]


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscObjectiveLink(BscCase):
    """Cause-effect links form a DAG within one scorecard."""

    def test_cycle_names_the_loop(self):
        # learn -> process -> customer -> financial exists; close the loop.
        with self.assertRaises(ValidationError) as caught:
            self.env["bsc.objective.link"].create(
                {"cause_id": self.obj_financial.id, "effect_id": self.obj_learning.id}
            )
        self.assertIn(
            "Grow revenue → Learn lean → Lean production → Happy partners → "
            "Grow revenue",
            str(caught.exception),
        )

    def test_cycle_on_write(self):
        link = self.obj_learning.drives_link_ids
        with self.assertRaisesRegex(ValidationError, "loop"):
            link.write(
                {"cause_id": self.obj_customer.id, "effect_id": self.obj_process.id}
            )

    def test_self_link(self):
        with self.assertRaisesRegex(ValidationError, "itself"):
            self.env["bsc.objective.link"].create(
                {"cause_id": self.obj_process.id, "effect_id": self.obj_process.id}
            )

    def test_duplicate(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["bsc.objective.link"].create(
                {"cause_id": self.obj_learning.id, "effect_id": self.obj_process.id}
            )

    def test_other_scorecard(self):
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        stranger = self.make_objective("Elsewhere", "customer", scorecard=other)
        with self.assertRaisesRegex(ValidationError, "different scorecards"):
            self.env["bsc.objective.link"].create(
                {"cause_id": self.obj_process.id, "effect_id": stranger.id}
            )

    def test_linked_objective_stays_in_its_scorecard(self):
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        with self.assertRaisesRegex(ValidationError, "cause-effect links"):
            self.obj_process.write(
                {
                    "scorecard_id": other.id,
                    "perspective_id": other.perspective_ids[0].id,
                }
            )

    def test_valid_shortcut_link(self):
        link = self.env["bsc.objective.link"].create(
            {"cause_id": self.obj_learning.id, "effect_id": self.obj_financial.id}
        )
        self.assertEqual(link.scorecard_id, self.scorecard)
        self.assertEqual(link.display_name, "Learn lean → Grow revenue")
