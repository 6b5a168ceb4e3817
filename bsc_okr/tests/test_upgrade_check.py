import importlib.util
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from .okr_common import OkrCase

REPO = Path(__file__).resolve().parent.parent.parent


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "bsc_okr_upgrade_check", REPO / "tools" / "upgrade_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestUpgradeCheck(TransactionCase):
    """``make upgrade-check`` compares what it should and notices every loss."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tool = _load_tool()

    def test_release_commit_is_named(self):
        commit = (REPO / ".ci" / "upgrade-from").read_text().strip()
        self.assertRegex(commit, r"^[0-9a-f]{40}$")

    def test_key_figures_are_stored_fields(self):
        """A renamed field must be followed by the check (RENAMED_COLUMNS)."""
        by_table = {
            Model._table: Model
            for Model in (self.env[name] for name in self.env.registry)
            if not Model._abstract and Model._auto
        }
        for table, columns in self.tool.KEY_FIGURES.items():
            with self.subTest(table=table):
                self.assertIn(table, by_table)
                fields = by_table[table]._fields
                for column in columns:
                    self.assertTrue(fields[column].store, f"{table}.{column}")

    def test_compare_reports_losses_only(self):
        def state(counts, rows, columns=("score", "status")):
            return {
                "counts": counts,
                "figures": {"bsc_score": {"columns": list(columns), "rows": rows}},
            }

        before = state(
            {"bsc_score": 2, "okr_checkin": 3, "bsc_theme": 1},
            {1: (7.5, "amber"), 2: (10.0, "green")},
        )
        self.assertEqual(self.tool.compare(before, before), [])
        # More rows and new tables are no loss.
        grown = state(
            {"bsc_score": 3, "okr_checkin": 4, "bsc_theme": 1, "okr_new": 1},
            {1: (7.5, "amber"), 2: (10.0, "green"), 3: (1.0, "red")},
        )
        self.assertEqual(self.tool.compare(before, grown), [])
        after = state(
            {"bsc_score": 2, "okr_checkin": 2},
            {1: (7.0, "amber")},
        )
        problems = self.tool.compare(before, after)
        self.assertEqual(len(problems), 3, problems)
        self.assertIn("okr_checkin: 3 rows before, 2 after", problems)
        self.assertIn("table bsc_theme (1 rows) is gone after the upgrade", problems)
        self.assertIn("id 1 score: 7.5 -> 7.0", problems[2])
        self.assertIn("id 2 is missing", problems[2])
        # A dropped column is a loss, unless it was renamed.
        renamed = state(
            {"bsc_score": 2, "okr_checkin": 3, "bsc_theme": 1},
            {1: (7.5, "amber"), 2: (10.0, "green")},
            columns=("score", "status_code"),
        )
        self.assertEqual(
            self.tool.compare(before, renamed),
            ["bsc_score.status: the column is gone"],
        )
        self.patch(
            self.tool, "RENAMED_COLUMNS", {("bsc_score", "status"): "status_code"}
        )
        self.assertEqual(self.tool.compare(before, renamed), [])


@tagged("post_install", "-at_install")
class TestUpgradeCheckReadsTheSchema(OkrCase):
    """The figures are read from the real tables of bsc_okr."""

    def test_read_figures(self):
        tool = _load_tool()
        self._activate(self.obj_employee)
        checkin = self._checkin(self.kr_employee, 40)
        self.env.flush_all()
        before = tool.read_figures(self.env.cr)
        counts = before["counts"]
        for table in ("bsc_score", "okr_objective", "okr_checkin", "okr_stage_history"):
            self.assertIn(table, counts)
        # Many2many relations count too; wizards and abstract models do not.
        self.assertIn("okr_objective_parent_rel", counts)
        self.assertFalse([t for t in counts if re.search(r"wizard|mixin", t)])
        self.assertGreaterEqual(counts["okr_checkin"], 1)
        rows = before["figures"]["okr_checkin"]["rows"]
        self.assertIn(checkin.id, rows)
        # The stage history of the activation is part of the figures.
        history = before["figures"]["okr_stage_history"]["rows"]
        self.assertTrue(history)
        # What a faulty migration script could do, behind the ORM's back.
        self.env.cr.execute(
            "UPDATE okr_checkin SET confidence = 2 WHERE id = %s", [checkin.id]
        )
        self.env.cr.execute(
            "DELETE FROM okr_stage_history WHERE id = %s", [min(history)]
        )
        problems = tool.compare(before, tool.read_figures(self.env.cr))
        self.assertTrue(
            any(p.startswith("okr_checkin: ") and "confidence" in p for p in problems),
            problems,
        )
        self.assertTrue(
            any(p.startswith("okr_stage_history: ") for p in problems), problems
        )
