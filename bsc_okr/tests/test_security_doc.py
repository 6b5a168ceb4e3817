import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged

REPO = Path(__file__).resolve().parent.parent.parent


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "bsc_okr_security_doc", REPO / "tools" / "security_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestSecurityDoc(TransactionCase):
    """docs/security.md says what the ACLs and rules do: its tables are
    generated from them and must match what is installed."""

    def test_committed_tables_match_the_installed_rights(self):
        tool = _load_tool()
        committed = tool.committed_block(tool.DOC.read_text())
        generated = tool.render(self.env)
        self.assertEqual(
            committed,
            generated,
            "docs/security.md is out of date: run "
            "python3 tools/security_doc.py --db <a database with bsc_okr>",
        )

    def test_the_wall_is_in_the_tables(self):
        generated = _load_tool().render(self.env)
        for line in generated.splitlines():
            if line.startswith("| `okr.") and "group_kpi_appraisal" in line:
                self.fail(f"appraisal staff named on an OKR model: {line}")
