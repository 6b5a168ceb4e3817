import doctest

from freezegun import freeze_time

from odoo.tests import tagged

from ..engine import tracking
from .okr_common import OkrCase


@tagged("post_install", "-at_install")
class TestOkrTracking(OkrCase):
    """On track, at risk, off track: one rule, stored, once per change."""

    def test_engine_doctests(self):
        result = doctest.testmod(tracking)
        self.assertGreater(result.attempted, 5)
        self.assertEqual(result.failed, 0)

    def test_thresholds(self):
        # 50 % of the cycle gone: 35 % done is at risk, 20 % off track.
        self.assertEqual(tracking.track_status(0.35, 0.5, 7), tracking.AT_RISK)
        self.assertEqual(tracking.track_status(0.36, 0.5, 7), tracking.ON_TRACK)
        self.assertEqual(tracking.track_status(0.20, 0.5, 7), tracking.OFF_TRACK)
        self.assertEqual(tracking.track_status(1.0, 0.5, 2), tracking.OFF_TRACK)
        self.assertEqual(tracking.track_status(1.0, 0.5, 3), tracking.AT_RISK)
        self.assertEqual(tracking.confidence_drop(7, 9), 0)

    def test_status_follows_the_checkins(self):
        kr = self.kr_employee
        with freeze_time("2026-02-15"):  # about half of Q1 gone
            self._checkin(kr, 50, confidence=7, user=self.user_employee)
            self.assertEqual(kr.track_status, "on_track")
            self._checkin(kr, 10, confidence=7, user=self.user_employee)
            self.assertEqual(kr.track_status, "off_track")
            self._checkin(kr, 60, confidence=4, user=self.user_employee)
            self.assertEqual(kr.track_status, "at_risk")

    def test_inactive_objectives_are_not_tracked(self):
        draft = self._make_objective(self.emp_employee, "Draft goal")
        self.assertFalse(draft.key_result_ids.track_status)

    def test_nightly_refresh_moves_with_the_calendar(self):
        kr = self.kr_employee
        with freeze_time("2026-01-10"):
            self._checkin(kr, 10, confidence=7, user=self.user_employee)
            self.assertEqual(kr.track_status, "on_track")
        with freeze_time("2026-03-01"):
            refreshed = self.env["okr.key.result"]._okr_refresh_track_status()
            self.assertIn(kr, refreshed)
            self.assertEqual(kr.track_status, "off_track")

    def test_changes_are_reported_once(self):
        kr = self.kr_employee
        KeyResult = self.env["okr.key.result"]
        with freeze_time("2026-02-15"):
            self._checkin(kr, 50, confidence=7, user=self.user_employee)
            # the baseline: the others, without check-ins, are off track
            baseline = KeyResult.search([])._okr_track_changes()
            self.assertNotIn(kr, baseline)
            self.assertFalse(KeyResult.search([])._okr_track_changes())
            self._checkin(kr, 5, confidence=7, user=self.user_employee)
            turned = KeyResult.search([])._okr_track_changes()
            self.assertEqual(turned, kr)
            self.assertEqual(str(kr.okr_off_track_date), "2026-02-15")
            self.assertFalse(KeyResult.search([])._okr_track_changes())
            # back on track, then off again: a new change, reported again
            self._checkin(kr, 60, confidence=7, user=self.user_employee)
            self.assertFalse(KeyResult.search([])._okr_track_changes())
        with freeze_time("2026-02-20"):
            self._checkin(kr, 5, confidence=7, user=self.user_employee)
            self.assertEqual(KeyResult.search([])._okr_track_changes(), kr)
            self.assertEqual(str(kr.okr_off_track_date), "2026-02-20")

    def test_confidence_drop_of_each_checkin(self):
        kr = self.kr_employee
        with freeze_time("2026-02-10"):
            first = self._checkin(kr, 10, confidence=8, user=self.user_employee)
        with freeze_time("2026-02-17"):
            second = self._checkin(kr, 20, confidence=5, user=self.user_employee)
        with freeze_time("2026-02-24"):
            third = self._checkin(kr, 30, confidence=6, user=self.user_employee)
        self.assertEqual(
            [
                (c.previous_confidence, c.confidence_drop)
                for c in first | second | third
            ],
            [(0, 0), (8, 3), (5, 0)],
        )

    def test_confidence_drop_within_one_batch(self):
        kr = self.kr_employee
        with freeze_time("2026-02-10"):
            checkins = (
                self.env["okr.checkin"]
                .with_user(self.user_employee)
                .create(
                    [
                        {"key_result_id": kr.id, "value": 10, "confidence": 9},
                        {"key_result_id": kr.id, "value": 20, "confidence": 6},
                    ]
                )
            )
        self.assertEqual(checkins.mapped("confidence_drop"), [0, 3])
