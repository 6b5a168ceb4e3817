from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestBscThresholds(TransactionCase):
    """Threshold bands: no gap, no overlap, covered from 0, open at the top."""

    def make(self, bands):
        return self.env["bsc.threshold.profile"].create(
            {
                "name": "Test bands",
                "line_ids": [
                    Command.create(
                        {
                            "status": status,
                            "lower": lower,
                            "upper": upper or 0.0,
                            "upper_open": upper is None,
                        }
                    )
                    for status, lower, upper in bands
                ],
            }
        )

    def test_default_profile_is_valid(self):
        profile = self.env.ref("bsc_okr.bsc_threshold_profile_default")
        bands = profile._get_bands()
        self.assertEqual([b.status for b in bands], ["red", "amber", "green"])
        self.assertEqual(bands[1].lower, 0.8)

    def test_gap(self):
        with self.assertRaisesRegex(ValidationError, "gap between 70 % and 80 %"):
            self.make([("red", 0, 0.7), ("amber", 0.8, 1.0), ("green", 1.0, None)])

    def test_overlap(self):
        with self.assertRaisesRegex(ValidationError, "overlapping"):
            self.make([("red", 0, 0.9), ("amber", 0.8, 1.0), ("green", 1.0, None)])

    def test_last_band_must_be_open(self):
        with self.assertRaisesRegex(ValidationError, "Open-ended"):
            self.make([("red", 0, 0.8), ("green", 0.8, 1.5)])

    def test_first_band_from_zero(self):
        with self.assertRaisesRegex(ValidationError, "0 %"):
            self.make([("red", 0.1, 0.8), ("green", 0.8, None)])

    def test_editing_a_band_into_a_gap_is_refused(self):
        profile = self.make([("red", 0, 0.9), ("green", 0.9, None)])
        with self.assertRaisesRegex(ValidationError, "gap"):
            profile.line_ids.filtered(lambda line: line.status == "red").upper = 0.85
        self.assertEqual(len(profile.line_ids), 2)

    def test_valid_custom_profile(self):
        profile = self.make([("green", 0.95, None), ("red", 0, 0.95)])
        self.assertEqual([b.status for b in profile._get_bands()], ["red", "green"])
