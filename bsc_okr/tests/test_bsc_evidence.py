import io
import warnings
from unittest.mock import patch

import numpy as np
import openpyxl
import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .bsc_common import FROZEN_TODAY, BscCase

EVIDENCE_MODEL = "odoo.addons.bsc_okr.models.bsc_objective_link_evidence"


def lagged_values(seed, months, lag=2, beta=0.8, level=60.0, scale=8.0):
    """Cause and effect values, effect[t] = beta * cause[t - lag] + noise."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=months + lag)
    y = beta * x[:-lag] + 0.4 * rng.normal(size=months)
    cause = [round(level + scale * v, 2) for v in x[lag:]]
    effect = [round(level + scale * v, 2) for v in y]
    return cause, effect


class EvidenceCase(BscCase):
    """A scorecard with 39 started months (2023-01 to 2026-03) and a
    cause-effect link between two objectives with one monthly measure each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card = cls.env["bsc.scorecard"].create(
            {
                "name": "History",
                "company_id": cls.company.id,
                "date_from": "2023-01-01",
                "date_to": "2026-12-31",
            }
        )
        cls.cause = cls.make_objective("Skills", "learning", scorecard=cls.card)
        cls.effect = cls.make_objective("Delivery", "process", scorecard=cls.card)
        cls.loyalty = cls.make_objective("Loyalty", "customer", scorecard=cls.card)
        common = {"accumulation": "last", "target": 100, "baseline": 0}
        cls.m_cause = cls.make_measure("Training hours", cls.cause, **common)
        cls.m_effect = cls.make_measure("On-time delivery", cls.effect, **common)
        cls.m_lead = cls.make_measure(
            "Lead time", cls.effect, polarity="lower", **common
        )
        cls.m_loyalty = cls.make_measure("Reorders", cls.loyalty, **common)
        Link = cls.env["bsc.objective.link"]
        cls.link = Link.create(
            {
                "cause_id": cls.cause.id,
                "effect_id": cls.effect.id,
                "cause_measure_id": cls.m_cause.id,
                "effect_measure_id": cls.m_effect.id,
                "lag_periods": 3,
            }
        )
        cls.link_scores = Link.create(
            {"cause_id": cls.effect.id, "effect_id": cls.loyalty.id}
        )
        cls.card.state = "active"
        cls.codes = [p.code for p in cls.card.period_ids.sorted("date_start")][:39]

    def record_series(self, measure, values):
        self.record_values(measure, dict(zip(self.codes, values, strict=False)))

    def run_evidence(self, user=None):
        card = self.card.with_user(user or self.user_strategy)
        card.action_test_links()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestBscEvidence(EvidenceCase):
    """Links tested against the history: stored figures, series, rights."""

    def test_supported_link_stored(self):
        cause, effect = lagged_values(1, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        link = self.link
        self.assertEqual(link.evidence_verdict, "supported")
        self.assertEqual(link.evidence_lag, 2)
        self.assertEqual(link.evidence_n, 39)
        self.assertEqual(link.evidence_series, "measures")
        self.assertGreater(link.evidence_r, 0.5)
        self.assertLess(link.evidence_q, 0.10)
        self.assertGreaterEqual(link.evidence_q, link.evidence_p)
        self.assertEqual(set(link.evidence_correlations), {"0", "1", "2", "3"})
        self.assertTrue(link.evidence_date)
        self.assertTrue(self.card.evidence_date)
        self.assertIn(
            "Changes in Training hours are followed 2 month(s) later by changes "
            "in On-time delivery in the same direction; r = ",
            link.evidence_summary,
        )
        self.assertIn("39 months", link.evidence_summary)
        chart = link.evidence_chart
        self.assertEqual(chart.count("<polyline"), 2)
        self.assertEqual(chart.count("<rect"), 4)
        # The link without values: insufficient data, figures left empty.
        self.assertEqual(self.link_scores.evidence_verdict, "insufficient")
        self.assertEqual(self.link_scores.evidence_series, "scores")
        self.assertEqual(self.link_scores.evidence_n, 0)

    def test_verdict_follows_the_data(self):
        cause, effect = lagged_values(2, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "supported")
        # Corrected history: the effect now moves against the cause.
        self.record_series(self.m_effect, [120 - v for v in effect])
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "contradicted")
        self.assertLess(self.link.evidence_r, -0.5)
        # Then with an effect that ignores the cause.
        rng = np.random.default_rng(99)
        self.record_series(self.m_effect, (60 + 8 * rng.normal(size=39)).tolist())
        self.run_evidence()
        self.assertIn(self.link.evidence_verdict, ("no_evidence", "reverse"))

    def test_polarity_of_the_measures(self):
        """A lower-is-better effect measure that falls when the cause rises
        supports the link."""
        cause, effect = lagged_values(3, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_lead, [200 - v for v in effect])
        self.link.effect_measure_id = self.m_lead
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "supported")
        self.assertGreater(self.link.evidence_r, 0.5)

    def test_reverse_link(self):
        cause, effect = lagged_values(4, 39, lag=1)
        # The named effect leads the named cause by one month.
        self.record_series(self.m_cause, effect)
        self.record_series(self.m_effect, cause)
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "reverse")
        self.assertIn("may point the other way", self.link.evidence_summary)

    def test_scores_are_the_default_series(self):
        cause, effect = lagged_values(5, 39)
        self.record_series(self.m_effect, cause)
        self.record_series(self.m_loyalty, effect)
        self.card._recompute_scores()
        series = self.link_scores._evidence_series()[self.link_scores.id]
        self.assertEqual(series["source"], "scores")
        self.assertEqual(len(series["labels"]), 39)
        stored = {
            row.period_id.name: row.score
            for row in self.env["bsc.score"].search(
                [("level", "=", "objective"), ("objective_id", "=", self.loyalty.id)]
            )
        }
        self.assertEqual(
            series["effect"], [stored[label] for label in series["labels"]]
        )
        self.run_evidence()
        self.assertEqual(self.link_scores.evidence_series, "scores")
        self.assertEqual(self.link_scores.evidence_n, 39)
        self.assertEqual(self.link_scores.evidence_verdict, "supported")

    def test_minimum_periods_per_company(self):
        cause, effect = lagged_values(6, 39)
        self.record_series(self.m_cause, cause[-14:])
        self.record_series(self.m_effect, effect[-14:])
        # record_series fills from the first month: 14 months of history.
        self.run_evidence()
        self.assertNotEqual(self.link.evidence_verdict, "insufficient")
        self.company.bsc_evidence_min_periods = 20
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "insufficient")
        self.assertEqual(self.link.evidence_n, 14)
        with self.assertRaises(psycopg2.errors.CheckViolation), self.env.cr.savepoint():
            self.company.bsc_evidence_min_periods = 2
            self.company.flush_recordset()

    def test_bad_input_gives_a_verdict(self):
        # A measure with gaps, the other a series of zeros.
        cause, effect = lagged_values(7, 39)
        gapped = [None if i % 4 == 0 else v for i, v in enumerate(effect)]
        self.record_series(self.m_cause, cause)
        self.record_values(
            self.m_effect,
            {c: v for c, v in zip(self.codes, gapped, strict=True) if v is not None},
        )
        self.run_evidence()
        self.assertIn(
            self.link.evidence_verdict, ("supported", "no_evidence", "insufficient")
        )
        self.assertEqual(self.link.evidence_n, 29)
        self.record_series(self.m_effect, [0.0] * 39)
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "insufficient")
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM bsc_objective_link WHERE 'NaN'::float IN "
            "(evidence_r, evidence_p, evidence_q, evidence_p_reverse, "
            "evidence_q_reverse)"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_bad_definitions_refused(self):
        Link = self.env["bsc.objective.link"].with_user(self.user_strategy)
        link = Link.browse(self.link.id)
        for vals, message in (
            ({"lag_periods": -1}, "between 0 and 48 months"),
            ({"lag_periods": 49}, "between 0 and 48 months"),
            ({"effect_measure_id": False}, "names only one measure"),
            ({"effect_measure_id": self.m_loyalty.id}, "must belong to its objectives"),
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError) as caught:
                    with self.env.cr.savepoint():
                        link.write(vals)
                self.assertIn(message, str(caught.exception))

    def test_editing_clears_the_stale_verdict(self):
        cause, effect = lagged_values(8, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        self.assertEqual(self.link.evidence_verdict, "supported")
        self.link.with_user(self.user_strategy).hypothesis = "Still the same series"
        self.assertEqual(self.link.evidence_verdict, "supported")
        self.link.with_user(self.user_strategy).lag_periods = 2
        self.assertFalse(self.link.evidence_verdict)
        self.assertFalse(self.link.evidence_date)
        self.assertEqual(self.link.evidence_summary, "Not tested yet.")

    def test_rights(self):
        cause, effect = lagged_values(9, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        for user in (self.user_employee, self.user_executive):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.run_evidence(user)
        self.run_evidence()
        # Every reader of the map reads the evidence.
        for user in (self.user_employee, self.user_executive):
            with self.subTest(user=user.login):
                link = self.link.with_user(user)
                self.assertEqual(link.evidence_verdict, "supported")
                self.assertTrue(link.evidence_summary)
        # Nobody types a verdict in, not even a strategy officer.
        officer_link = self.link.with_user(self.user_strategy)
        for vals in ({"evidence_verdict": "supported"}, {"evidence_q": 0.01}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                officer_link.write(vals)
        with self.assertRaises(AccessError):
            self.env["bsc.objective.link"].with_user(self.user_strategy).create(
                {
                    "cause_id": self.cause.id,
                    "effect_id": self.loyalty.id,
                    "evidence_verdict": "supported",
                }
            )

    def test_cron_is_idempotent(self):
        cause, effect = lagged_values(10, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        cron = self.env.ref("bsc_okr.bsc_scorecard_cron_test_links")
        self.assertEqual(cron.interval_type, "months")
        cron.method_direct_trigger()
        self.env.invalidate_all()
        first = self.link.read(
            ["evidence_verdict", "evidence_lag", "evidence_r", "evidence_q"]
        )
        cron.method_direct_trigger()
        self.env.invalidate_all()
        self.assertEqual(
            self.link.read(
                ["evidence_verdict", "evidence_lag", "evidence_r", "evidence_q"]
            ),
            first,
        )
        self.assertEqual(first[0]["evidence_verdict"], "supported")
        # Draft scorecards are left alone.
        self.assertFalse(
            self.env["bsc.objective.link"]
            .search([("scorecard_id.state", "!=", "active")])
            .filtered("evidence_verdict")
        )

    def test_one_bad_link_does_not_stop_the_run(self):
        cause, effect = lagged_values(11, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.record_series(self.m_loyalty, effect)
        Link = type(self.env["bsc.objective.link"])
        original = Link._store_evidence
        failing = self.link_scores

        def store(link, result, source):
            if link == failing:
                # Half written, then a failure: the savepoint undoes it.
                link.env.cr.execute(
                    "UPDATE bsc_objective_link SET evidence_n = 99 WHERE id = %s",
                    [link.id],
                )
                raise ValueError("boom")
            return original(link, result, source)

        with patch.object(Link, "_store_evidence", store):
            stored = self.card._test_links()
        self.env.invalidate_all()
        self.assertEqual(stored, self.link)
        self.assertEqual(self.link.evidence_verdict, "supported")
        self.assertFalse(failing.evidence_verdict)
        self.assertEqual(failing.evidence_n, 0)

    def test_link_being_edited_is_skipped(self):
        """A link locked by an edit in progress keeps its state; the others
        are stored, and the run does not wait."""
        cause, effect = lagged_values(12, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        Link = type(self.env["bsc.objective.link"])
        original = Link._lock_for_evidence
        locked = self.link

        def lock(links):
            # The edit in progress holds this row: it is never returned.
            return original(links - locked)

        with patch.object(Link, "_lock_for_evidence", lock):
            stored = self.card._test_links()
        self.assertEqual(stored, self.link_scores)
        self.assertFalse(self.link.evidence_verdict)
        self.assertTrue(self.link_scores.evidence_verdict)

    def test_links_to_rethink(self):
        cause, effect = lagged_values(13, 39, lag=1)
        self.record_series(self.m_cause, effect)
        self.record_series(self.m_effect, cause)
        self.run_evidence()
        action = self.card.with_user(self.user_executive).action_open_links_to_rethink()
        links = (
            self.env["bsc.objective.link"]
            .with_user(self.user_executive)
            .search(action["domain"])
        )
        self.assertEqual(links, self.link)
        menu = self.env.ref("bsc_okr.bsc_objective_link_rethink_menu")
        self.assertIn(self.env.ref("bsc_okr.group_executive"), menu.groups_id)

    def test_map_data_carries_the_evidence(self):
        cause, effect = lagged_values(14, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        data = self.card.with_user(self.user_employee).get_strategy_map_data()
        links = {lk["id"]: lk for lk in data["links"]}
        self.assertEqual(links[self.link.id]["evidence"], "supported")
        self.assertIn("Training hours", links[self.link.id]["evidence_text"])
        self.assertIn("r = ", links[self.link.id]["evidence_text"])
        self.assertEqual(links[self.link_scores.id]["evidence"], "insufficient")
        self.assertIn("Too little history", links[self.link_scores.id]["evidence_text"])
        # Untested map: empty verdicts, a plain text.
        data = self.scorecard.with_user(self.user_employee).get_strategy_map_data()
        self.assertEqual({lk["evidence"] for lk in data["links"]}, {""})
        self.assertEqual(
            {lk["evidence_text"] for lk in data["links"]}, {"Not tested yet."}
        )

    def test_map_texts_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW", "zh_CN"], overwrite=True
        )
        cause, effect = lagged_values(15, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        english = self.link.evidence_summary
        for lang in ("zh_TW", "zh_CN"):
            with self.subTest(lang=lang):
                text = self.link.with_context(lang=lang).evidence_summary
                self.assertNotEqual(text, english)
                self.assertIn("r = ", text)
                label = dict(
                    self.env["bsc.objective.link"]
                    .with_context(lang=lang)
                    ._fields["evidence_verdict"]
                    ._description_selection(self.env(context={"lang": lang}))
                )["supported"]
                self.assertNotEqual(label, "Supported")

    def test_excel_evidence_sheet(self):
        cause, effect = lagged_values(16, 39)
        self.record_series(self.m_cause, cause)
        self.record_series(self.m_effect, effect)
        self.run_evidence()
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_employee)
            ._render_xlsx("bsc_okr.scorecard_xlsx", [self.card.id], {})
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook["Evidence"]
        self.assertEqual(sheet["A1"].value, "Evidence — History")
        self.assertEqual(
            [cell.value for cell in sheet[3]],
            [
                "Cause (from)",
                "Effect (to)",
                "Series tested",
                "Evidence",
                "Best lag (months)",
                "Correlation (r)",
                "p-value",
                "q-value",
                "Reverse q-value",
                "Months",
                "Tested on",
                "In words",
            ],
        )
        # Rows in the order of the "Strategy map" sheet: from the top band down.
        link = self.link
        row = [cell.value for cell in sheet[5]]
        self.assertEqual(row[:4], ["Skills", "Delivery", "Measures", "Supported"])
        self.assertEqual(row[4], 2)
        self.assertAlmostEqual(row[5], link.evidence_r, places=6)
        self.assertAlmostEqual(row[6], link.evidence_p, places=6)
        self.assertAlmostEqual(row[7], link.evidence_q, places=6)
        self.assertAlmostEqual(row[8], link.evidence_q_reverse, places=6)
        self.assertEqual(row[9], 39)
        self.assertLess(abs((row[10] - link.evidence_date).total_seconds()), 1)
        self.assertEqual(row[11], link.evidence_summary)
        # The verdict is coloured as on the map: supported green.
        self.assertEqual(sheet["D5"].fill.fgColor.rgb, "FFD5ECDE")
        row = [cell.value for cell in sheet[4]]
        self.assertEqual(
            row,
            [
                "Delivery",
                "Loyalty",
                "Objective scores",
                "Insufficient data",
                None,
                None,
                None,
                None,
                None,
                0,
                row[10],
                "Too little history to test: 0 months with both values.",
            ],
        )
        self.assertLess(
            abs((row[10] - self.link_scores.evidence_date).total_seconds()), 1
        )
        self.assertEqual(sheet["D4"].fill.fgColor.rgb, "FFEBECED")
        self.assertEqual(sheet.max_row, 5)


@tagged("post_install", "-at_install")
class TestBscEvidenceTour(EvidenceCase, HttpCase):
    """The map's Evidence toggle draws each arrow by verdict, with a legend."""

    def test_evidence_tour(self):
        with freeze_time(FROZEN_TODAY):
            cause, effect = lagged_values(17, 39)
            self.record_series(self.m_cause, cause)
            self.record_series(self.m_effect, effect)
            self.card._test_links()
        self.assertEqual(self.link.evidence_verdict, "supported")
        # The map opens on the first active scorecard: this one.
        self.scorecard.state = "archived"
        self.start_tour(
            f"/odoo/action-bsc_okr.bsc_strategy_map_action?scorecard_id={self.card.id}",
            "bsc_okr_strategy_map_evidence_tour",
            login="t_employee",
        )
