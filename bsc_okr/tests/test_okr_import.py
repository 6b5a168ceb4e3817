"""Import OKRs from a spreadsheet (issue 17, item 7): the wizard checks
every row, then imports all of them as drafts or nothing."""

import base64
import io
import os
import zipfile
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..wizard import okr_import_wizard
from . import wall_matrix as wm
from .okr_common import OkrCase

HEADER = [
    "Objective",
    "Owner",
    "Level",
    "Cycle",
    "Type",
    "Key result",
    "Start",
    "Target",
    "Unit",
    "Weight",
]


def xlsx(rows, header=True):
    """An xlsx file (bytes) of ``rows`` below the template's header."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header:
        sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@tagged("post_install", "-at_install")
class TestOkrImport(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emp_employee.work_email = "employee@toys.example"
        cls.emp_peer.work_email = "peer@toys.example"
        cls.emp_manager.work_email = "manager@toys.example"
        cls.Objective = cls.env["okr.objective"]

    def _wizard(self, user, data, filename="okrs.xlsx"):
        return (
            self.env["okr.import.wizard"]
            .with_user(user)
            .create({"file": base64.b64encode(data), "filename": filename})
        )

    def _import(self, user, rows):
        wizard = self._wizard(user, xlsx(rows))
        action = wizard.action_import()
        return wizard, action

    def _imported(self):
        return (
            self.Objective.search(
                [("company_id", "=", self.company.id), ("state", "=", "draft")]
            )
            - self.objectives
        )

    def _messages(self, wizard):
        return wizard.error_text.splitlines() if wizard.error_text else []

    # ------------------------------------------------------------------
    # A good file
    # ------------------------------------------------------------------
    def test_good_file(self):
        rows = [
            (
                "Cut scrap",
                "employee@toys.example",
                "Individual",
                "Q1 2026",
                "Committed",
                "Scrap rate",
                8,
                4,
                "%",
                2,
            ),
            (
                "Cut scrap",
                "EMPLOYEE@toys.example",
                "individual",
                "q1 2026",
                "committed",
                "Lines audited",
                0,
                12,
                "lines",
                None,
            ),
            ("Win a brand", "Peer", "", "Q1 2026", "", "Pitches", None, "5", "", 1.5),
            (
                "Cut scrap",
                "Peer",
                "Individual",
                "Q1 2026",
                "Aspirational",
                "Peer's scrap",
                0,
                1,
                None,
                1,
            ),
        ]
        wizard, action = self._import(self.user_okr_admin, rows)
        self.assertEqual(wizard.state, "done", wizard.error_text)
        objectives = self._imported()
        self.assertEqual(len(objectives), 3)
        self.assertEqual(set(action["domain"][0][2]), set(objectives.ids))
        scrap = objectives.filtered(
            lambda o: o.name == "Cut scrap" and o.owner_id == self.emp_employee
        )
        self.assertRecordValues(
            scrap,
            [
                {
                    "state": "draft",
                    "cycle_id": self.cycle.id,
                    "level": "individual",
                    "okr_type": "committed",
                    "department_id": self.dept_production.id,
                }
            ],
        )
        self.assertRecordValues(
            scrap.key_result_ids,
            [
                {
                    "name": "Scrap rate",
                    "owner_id": self.emp_employee.id,
                    "start_value": 8.0,
                    "target_value": 4.0,
                    "direction": "decrease",
                    "unit": "%",
                    "weight": 2.0,
                    "sequence": 1,
                },
                {
                    "name": "Lines audited",
                    "owner_id": self.emp_employee.id,
                    "start_value": 0.0,
                    "target_value": 12.0,
                    "direction": "increase",
                    "unit": "lines",
                    "weight": 1.0,
                    "sequence": 2,
                },
            ],
        )
        brand = objectives.filtered(lambda o: o.name == "Win a brand")
        self.assertRecordValues(
            brand,
            [
                {
                    "owner_id": self.emp_peer.id,
                    "level": "individual",
                    "okr_type": "aspirational",
                }
            ],
        )
        self.assertRecordValues(
            brand.key_result_ids,
            [{"start_value": 0.0, "target_value": 5.0, "weight": 1.5, "unit": False}],
        )
        # Same title, another owner: another objective.
        peer_scrap = objectives.filtered(
            lambda o: o.name == "Cut scrap" and o.owner_id == self.emp_peer
        )
        self.assertEqual(len(peer_scrap.key_result_ids), 1)

    def test_manager_imports_own_objectives(self):
        rows = [
            (
                "Lean lines 2",
                "Manager",
                "Department",
                "Q1 2026",
                "Committed",
                "Changeovers under 10 min",
                0,
                20,
                "lines",
                1,
            ),
        ]
        wizard, _action = self._import(self.user_manager, rows)
        self.assertEqual(wizard.state, "done", wizard.error_text)
        self.assertEqual(self._imported().owner_id, self.emp_manager)
        self.assertEqual(self._imported().department_id, self.dept_production)

    def test_rules_decide_whom_a_manager_imports_for(self):
        """The manager's own row is right; Sales is not the manager's team
        (the access rules refuse it), and a draft of a report belongs to
        its owner (the objective's own check refuses its key results)."""
        rows = [
            (
                "Lean lines 2",
                "Manager",
                "Department",
                "Q1 2026",
                "Committed",
                "Changeovers",
                0,
                20,
                "",
                1,
            ),
            (
                "Win a brand",
                "peer@toys.example",
                "Individual",
                "Q1 2026",
                "Committed",
                "Pitches",
                0,
                5,
                "",
                1,
            ),
            (
                "Cut scrap",
                "Employee",
                "Individual",
                "Q1 2026",
                "Committed",
                "Scrap",
                8,
                4,
                "%",
                1,
            ),
            (
                "Company goal",
                "Manager",
                "Company",
                "Q1 2026",
                "Committed",
                "Revenue",
                0,
                5,
                "",
                1,
            ),
        ]
        wizard, _action = self._import(self.user_manager, rows)
        self.assertEqual(wizard.state, "errors")
        messages = self._messages(wizard)
        self.assertEqual(len(messages), 3, messages)
        self.assertTrue(messages[0].startswith("Row 3: you may not create"), messages)
        self.assertIn("Peer", messages[0])
        self.assertTrue(messages[1].startswith("Row 4: "), messages)
        self.assertIn("only its owner", messages[1])
        self.assertTrue(messages[2].startswith("Row 5: "), messages)
        self.assertIn("you may not create company OKRs for Manager", messages[2])
        self.assertFalse(self._imported())

    # ------------------------------------------------------------------
    # Bad rows: nothing is imported
    # ------------------------------------------------------------------
    def test_three_bad_rows_import_nothing(self):
        good = (
            "Cut scrap",
            "Employee",
            "Individual",
            "Q1 2026",
            "Committed",
            "Scrap",
            8,
            4,
            "%",
            1,
        )
        rows = [
            good,
            (
                "Cut scrap",
                "kwong@",
                "Individual",
                "Q1 2026",
                "Committed",
                "Scrap",
                8,
                4,
                "%",
                1,
            ),
            good,
            (
                "Cut scrap",
                "Employee",
                "Individual",
                "Q1 2026",
                "Committed",
                "Flat",
                5,
                5,
                "",
                1,
            ),
            good,
            (
                "Cut scrap",
                "Employee",
                "Individual",
                "Q1 2026",
                "Committed",
                "Weightless",
                0,
                5,
                "",
                0,
            ),
        ]
        wizard, _action = self._import(self.user_okr_admin, rows)
        self.assertEqual(wizard.state, "errors")
        messages = self._messages(wizard)
        self.assertEqual(wizard.error_count, 3)
        self.assertEqual(len(messages), 3, messages)
        self.assertEqual(messages[0], "Row 3: owner 'kwong@' matches no employee.")
        self.assertTrue(messages[1].startswith("Row 5: "), messages)
        self.assertIn("target equal to its start", messages[1])
        self.assertTrue(messages[2].startswith("Row 7: "), messages)
        self.assertIn("greater than zero", messages[2])
        self.assertFalse(self._imported())
        # A corrected file goes through the same wizard.
        wizard.action_retry()
        wizard.file = base64.b64encode(xlsx([good, good]))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(len(self._imported().key_result_ids), 2)

    def test_every_kind_of_bad_cell(self):
        self.env["hr.employee"].create(
            {"name": "Employee", "company_id": self.company.id}
        )
        base = ["Goal", "Peer", "Individual", "Q1 2026", "Committed", "KR", 0, 5, "", 1]

        def row(**changes):
            cells = list(base)
            for index, value in changes.items():
                cells[int(index[1:])] = value
            return cells

        cases = [
            (row(c6="abc"), "must be a number, not 'abc'"),
            (row(c7="nan"), "must be a number, not 'nan'"),
            (row(c7="inf"), "must be a number, not 'inf'"),
            (row(c9=-1), "greater than zero"),
            (row(c7=1e15), "too large"),
            (row(c0="Bad\x9btitle"), "control characters"),
            (row(c5="Line\rbreak\x85"), "control characters"),
            (row(c5="x" * 300), "too long (300 characters"),
            (row(c3="Q9 2099"), "cycle 'Q9 2099' is not a planned or running"),
            (row(c1="Employee"), "matches 2 employees"),
            (row(c2="Galaxy"), "level 'Galaxy' is not one of"),
            (row(c4="Maybe"), "type 'Maybe' is not one of"),
            (row(c5=None), "the key result is missing"),
            (row(c7=None), "the target is missing"),
            (row(c7=True), "must be a number"),
        ]
        wizard, _action = self._import(self.user_okr_admin, [c for c, _m in cases])
        messages = self._messages(wizard)
        self.assertEqual(len(messages), len(cases), messages)
        for number, ((_cells, expected), message) in enumerate(
            zip(cases, messages, strict=True), start=2
        ):
            self.assertTrue(message.startswith(f"Row {number}: "), message)
            self.assertIn(expected, message)
        self.assertFalse(self._imported())

    def test_rows_of_one_objective_agree(self):
        rows = [
            ("Goal", "Peer", "Individual", "Q1 2026", "Committed", "A", 0, 5, "", 1),
            ("Goal", "Peer", "Individual", "Q1 2026", "Aspirational", "B", 0, 5, "", 1),
        ]
        wizard, _action = self._import(self.user_okr_admin, rows)
        self.assertEqual(
            self._messages(wizard),
            ["Row 3: the type differs from row 2, which has the same objective."],
        )

    def test_closed_cycle_refused(self):
        self.cycle.state = "closed"
        rows = [("Goal", "Peer", "Individual", "Q1 2026", "", "A", 0, 5, "", 1)]
        wizard, _action = self._import(self.user_okr_admin, rows)
        self.assertIn("is not a planned or running cycle", wizard.error_text)

    def test_messages_in_the_users_language(self):
        for lang in ("zh_TW", "zh_CN"):
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW"], overwrite=True
        )
        self.user_okr_admin.lang = "zh_TW"
        rows = [("Goal", "kwong@", "Individual", "Q1 2026", "", "A", 0, 5, "", 1)]
        # The web client sends the user's language in the context.
        wizard = self._wizard(self.user_okr_admin, xlsx(rows)).with_context(
            lang="zh_TW"
        )
        wizard.action_import()
        expected = (
            self.env["okr.import.wizard"]
            .with_context(lang="zh_TW")
            .env._(
                "Row %(row)s: owner '%(owner)s' matches no employee.",
                row=2,
                owner="kwong@",
            )
        )
        self.assertNotIn("matches no employee", expected)
        self.assertEqual(self._messages(wizard), [expected])

    # ------------------------------------------------------------------
    # Files refused
    # ------------------------------------------------------------------
    def _assert_refused(self, data, regex, user=None):
        wizard = self._wizard(user or self.user_okr_admin, data)
        with self.assertRaises(UserError) as context:
            wizard.action_import()
        self.assertRegex(str(context.exception), regex)
        self.assertFalse(self._imported())

    def test_empty_file(self):
        self._assert_refused(b"", "Choose a spreadsheet")
        self._assert_refused(xlsx([]), "holds no key result")
        self._assert_refused(xlsx([[None] * 10, ["  "]]), "holds no key result")

    def test_not_xlsx(self):
        not_xlsx = "not an Excel workbook"
        self._assert_refused(os.urandom(4096), not_xlsx)
        csv = b"Objective,Owner,Level\nCut scrap,Employee,Individual\n"
        self._assert_refused(csv, not_xlsx)
        self._assert_refused(b"PK\x03\x04" + os.urandom(2000), not_xlsx)
        other_zip = io.BytesIO()
        with zipfile.ZipFile(other_zip, "w") as archive:
            archive.writestr("hello.txt", "hello")
        self._assert_refused(other_zip.getvalue(), not_xlsx)

    def test_too_large(self):
        with patch.object(okr_import_wizard, "MAX_FILE_BYTES", 1000):
            self._assert_refused(b"PK\x03\x04" + b"0" * 2000, "too large")
        with patch.object(okr_import_wizard, "MAX_UNZIPPED_BYTES", 1000):
            rows = [("Goal", "Peer", "", "Q1 2026", "", "x" * 200, 0, 5, "", 1)] * 20
            self._assert_refused(xlsx(rows), "too large")
        with patch.object(okr_import_wizard, "MAX_ROWS", 3):
            rows = [("Goal", "Peer", "", "Q1 2026", "", "A", 0, 5, "", 1)] * 4
            self._assert_refused(xlsx(rows), "more than 3 key results")

    # ------------------------------------------------------------------
    # Many rows
    # ------------------------------------------------------------------
    def test_two_thousand_rows(self):
        owners = self.env["hr.employee"].create(
            [
                {
                    "name": f"Import Owner {i:02d}",
                    "work_email": f"owner{i:02d}@toys.example",
                    "company_id": self.company.id,
                    "department_id": self.dept_sales.id,
                }
                for i in range(50)
            ]
        )
        rows = [
            (
                f"Objective {n // 4:03d}",
                f"owner{(n // 4) % 50:02d}@toys.example",
                "Individual",
                "Q1 2026",
                "Committed" if n % 2 else "Aspirational",
                f"KR {n}",
                0,
                n + 1,
                "units",
                1 + n % 3,
            )
            for n in range(2000)
        ]
        # Rows 4n..4n+3 are one objective: its type is the first row's.
        rows = [r[:4] + ("Committed",) + r[5:] for r in rows]
        wizard, _action = self._import(self.user_okr_admin, rows)
        self.assertEqual(wizard.state, "done", wizard.error_text)
        objectives = self._imported()
        self.assertEqual(len(objectives), 500)
        self.assertEqual(len(objectives.key_result_ids), 2000)
        self.assertEqual(objectives.owner_id, owners)
        self.assertEqual(set(objectives.mapped("state")), {"draft"})
        kr = objectives.key_result_ids.filtered(lambda k: k.name == "KR 1999")
        self.assertRecordValues(
            kr, [{"target_value": 2000.0, "weight": 2.0, "sequence": 4}]
        )
        self.assertEqual(kr.objective_id.name, "Objective 499")

    # ------------------------------------------------------------------
    # Who may import
    # ------------------------------------------------------------------
    def test_appraisal_officer_refused(self):
        data = base64.b64encode(xlsx([]))
        with self.assertRaises(AccessError):
            self.env["okr.import.wizard"].with_user(self.user_hr).create({"file": data})
        # Even when the officer also manages a team.
        self.user_hr.groups_id = [
            Command.link(self.env.ref("bsc_okr.group_okr_manager").id)
        ]
        with self.assertRaises(AccessError):
            self.env["okr.import.wizard"].with_user(self.user_hr).create({"file": data})
        self.assertFalse(wm.wizard_failures(self.env, self.user_hr))

    def test_employee_not_manager_refused(self):
        Wizard = self.env["okr.import.wizard"].with_user(self.user_employee)
        with self.assertRaises(AccessError):
            Wizard.create({"file": base64.b64encode(xlsx([]))})
        wizard = self._wizard(self.user_manager, xlsx([]))
        with self.assertRaises(AccessError):
            wizard.with_user(self.user_employee).action_import()

    def test_wizard_is_in_the_wall_matrix(self):
        self.assertIn("okr.import.wizard", wm.WIZARDS)
        okr_wizards = {
            name
            for name in self.env.registry
            if name.startswith("okr.") and self.env[name]._transient
        }
        self.assertLessEqual({"okr.import.wizard"}, okr_wizards)

    # ------------------------------------------------------------------
    # The template
    # ------------------------------------------------------------------
    def test_template_before_choosing_a_file(self):
        """The form saves without a file, so that the template can be
        downloaded first (the button saves the wizard)."""
        form = Form(self.env["okr.import.wizard"].with_user(self.user_manager))
        wizard = form.save()
        self.assertEqual(
            wizard.action_download_template()["type"], "ir.actions.act_url"
        )
        with self.assertRaises(UserError):
            wizard.action_import()

    def test_template_round_trip(self):
        wizard = self._wizard(self.user_manager, b"")
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/okr.import.wizard/{wizard.id}/template_file/", action["url"])
        workbook = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.template_file)), read_only=True
        )
        header = next(workbook.worksheets[0].iter_rows(values_only=True))
        self.assertEqual(len(header), 10)
        self.assertEqual(header[0], "Objective title")
        lists = list(workbook.worksheets[1].iter_rows(values_only=True))
        self.assertIn("Q1 2026", [r[2] for r in lists])
        workbook.close()
        # Filled in, the template imports.
        filled = openpyxl.load_workbook(
            io.BytesIO(base64.b64decode(wizard.template_file))
        )
        filled.worksheets[0].append(
            [
                "Lean lines 2",
                "Manager",
                "Department",
                "Q1 2026",
                "Committed",
                "Changeovers",
                0,
                20,
                "lines",
                1,
            ]
        )
        output = io.BytesIO()
        filled.save(output)
        wizard.file = base64.b64encode(output.getvalue())
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.error_text)
        self.assertEqual(len(wizard.objective_ids), 1)
