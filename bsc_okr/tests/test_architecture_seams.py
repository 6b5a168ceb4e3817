"""The seams a later split of the module can follow (docs/architecture.md,
"Layers and seams").

bsc_okr is one addon today, but its code is laid out so that the Balanced
Scorecard, the OKRs and the KPI appraisal could become three addons:

- a **BSC-only file** (``bsc_*`` but ``bsc_okr_*``, and everything under
  ``report/``, which renders the scorecard snapshot) names no ``okr.*`` model;
  what joins the BSC to the OKRs lives in **bridge files**, whose names end in
  ``_okr`` or ``_learning`` (``bsc_objective_okr.py``,
  ``bsc_initiative_learning_views.xml``);
- an **appraisal file** (``bsc_kpi_*``, ``bsc_appraisal_*``, the KPI portal)
  names no ``okr.*`` model at all: the appraisal must never reach OKR data.

The test reads the source: Python string literals (not docstrings or
comments, which may explain the seam) and the text of XML and CSV files.
"""

import ast
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

ADDON = Path(__file__).resolve().parent.parent
SCANNED_DIRS = (
    "models",
    "views",
    "wizard",
    "data",
    "security",
    "report",
    "controllers",
)
MODEL_NAME_RE = re.compile(r"(?<![\w.])okr(?:\.[a-z0-9_]+)+")
BRIDGE_SUFFIXES = ("_okr", "_learning")
ROLE_SUFFIXES = ("_views", "_templates", "_security", "_data")


def _stem(path):
    """The file's name without extension and without its role suffix."""
    stem = path.name.split(".", 1)[0]
    for suffix in ROLE_SUFFIXES:
        if stem.endswith(suffix):
            return stem[: -len(suffix)]
    return stem


def is_bridge(path):
    return _stem(path).endswith(BRIDGE_SUFFIXES)


def is_appraisal(path):
    return path.name.startswith(("bsc_kpi_", "bsc_appraisal_")) or (
        _stem(path) == "portal_kpi"
    )


def is_bsc_only(path):
    if is_bridge(path) or is_appraisal(path):
        return False
    if path.parent.name == "report":
        return True
    return path.name.startswith("bsc_") and not path.name.startswith("bsc_okr_")


def _docstring_nodes(tree):
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                nodes.add(id(body[0].value))
    return nodes


def named_models(source, suffix, model_names):
    """The ``okr.*`` model names that ``source`` (a file's text) names:
    for Python, in its string literals but its docstrings; else anywhere."""
    if suffix == ".py":
        tree = ast.parse(source)
        docstrings = _docstring_nodes(tree)
        texts = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ]
    else:
        texts = [source]
    found = set()
    for text in texts:
        for match in MODEL_NAME_RE.finditer(text):
            name = match.group(0)
            # "okr.objective.cycle_id" names okr.objective: keep the longest
            # prefix that is a model.
            parts = name.split(".")
            for end in range(len(parts), 1, -1):
                candidate = ".".join(parts[:end])
                if candidate in model_names:
                    found.add(candidate)
                    break
    return found


@tagged("post_install", "-at_install")
class TestArchitectureSeams(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.okr_models = {name for name in cls.env.registry if name.startswith("okr.")}

    def _files(self):
        for folder in SCANNED_DIRS:
            for path in sorted((ADDON / folder).rglob("*")):
                if path.suffix in (".py", ".xml", ".csv") and path.is_file():
                    yield path

    def _crossings(self, predicate):
        crossings = {}
        for path in self._files():
            if not predicate(path):
                continue
            names = named_models(
                path.read_text(encoding="utf-8"), path.suffix, self.okr_models
            )
            if names:
                crossings[str(path.relative_to(ADDON))] = sorted(names)
        return crossings

    def test_bsc_only_files_name_no_okr_model(self):
        self.assertEqual(
            self._crossings(is_bsc_only),
            {},
            "BSC-only files name OKR models; move that code into a bridge file "
            "(*_okr.py, *_learning.py) or read it from the scorecard snapshot",
        )

    def test_appraisal_files_name_no_okr_model(self):
        self.assertEqual(
            self._crossings(is_appraisal),
            {},
            "appraisal files name OKR models: the appraisal must never reach OKRs",
        )

    def test_the_scanner_sees_what_it_must(self):
        """The rules above would pass on a scanner that finds nothing."""
        models = {"okr.objective", "okr.key.result"}
        source = (
            '"""Docstrings may explain okr.objective."""\n'
            "# a comment about okr.key.result\n"
            'x = env["okr.objective"]\n'
            "y = fields.Many2one('okr.key.result')\n"
            "z = 'bsc_okr.group_okr_user'\n"
            "w = 'okr.objective.cycle_id'\n"
        )
        self.assertEqual(
            named_models(source, ".py", models), {"okr.objective", "okr.key.result"}
        )
        self.assertEqual(named_models('"""okr.objective"""\n', ".py", models), set())
        self.assertEqual(named_models("z = 'bsc_okr.okr_x'\n", ".py", models), set())
        self.assertEqual(
            named_models('<field name="model">okr.key.result</field>', ".xml", models),
            {"okr.key.result"},
        )
        # The file classes.
        self.assertTrue(is_bridge(Path("models/bsc_objective_okr.py")))
        self.assertTrue(is_bridge(Path("views/bsc_initiative_learning_views.xml")))
        self.assertTrue(is_bsc_only(Path("models/bsc_measure.py")))
        self.assertTrue(is_bsc_only(Path("report/bsc_xlsx_styles.py")))
        self.assertFalse(is_bsc_only(Path("models/bsc_okr_menus.xml")))
        self.assertFalse(is_bsc_only(Path("models/okr_objective.py")))
        self.assertTrue(is_appraisal(Path("models/bsc_kpi_sheet.py")))
        self.assertTrue(is_appraisal(Path("controllers/portal_kpi.py")))
        self.assertTrue(is_appraisal(Path("security/bsc_kpi_security.xml")))
        # And the scan reaches the real files.
        self.assertIn(
            "okr.objective",
            named_models(
                (ADDON / "models/bsc_objective_okr.py").read_text(encoding="utf-8"),
                ".py",
                self.okr_models,
            ),
        )
