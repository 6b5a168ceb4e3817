from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .bsc_common import FROZEN_TODAY, BscCase


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscRecomputeTriggers(BscCase):
    """The hourly job, the Recompute button and their lock."""

    def test_lock_takes_free_scorecards(self):
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        cards = self.scorecard | other
        self.assertEqual(cards._lock_for_recompute(), cards)

    def test_cron_scores_active_scorecards_only(self):
        draft = self.env["bsc.scorecard"].create(
            {"name": "Draft", "company_id": self.company.id}
        )
        self.env["bsc.scorecard"]._cron_refresh_and_recompute()
        self.assertEqual(self.scorecard.current_period_id, self.period("2026-03"))
        self.assertTrue(self.scorecard.last_recompute)
        self.assertFalse(draft.last_recompute)

    def test_cron_skips_scorecards_locked_elsewhere(self):
        Scorecard = type(self.env["bsc.scorecard"])
        with patch.object(
            Scorecard, "_lock_for_recompute", lambda records: records.browse()
        ):
            self.env["bsc.scorecard"]._cron_refresh_and_recompute()
        self.assertFalse(self.scorecard.last_recompute)

    def test_button_refuses_while_locked_elsewhere(self):
        Scorecard = type(self.env["bsc.scorecard"])
        officer_card = self.scorecard.with_user(self.user_strategy)
        with (
            patch.object(
                Scorecard, "_lock_for_recompute", lambda records: records.browse()
            ),
            self.assertRaisesRegex(UserError, "being recomputed"),
        ):
            officer_card.action_recompute()
        officer_card.action_recompute()
        self.assertTrue(self.scorecard.last_recompute)

    def test_values_trigger_only_their_scorecard(self):
        other = self.env["bsc.scorecard"].create(
            {"name": "Other", "company_id": self.company.id}
        )
        objective = self.make_objective("Other objective", "customer", scorecard=other)
        self.make_measure("Other measure", objective)
        other.state = "active"
        self.record_values(self.measure_own, {"2026-03": 90})
        self.assertTrue(self.scorecard.last_recompute)
        self.assertFalse(other.last_recompute)
