"""The executive Excel scorecard: content, safety, rights, bad input, queries.

Workbooks are rendered through ``ir.actions.report._render_xlsx`` as the
least-privileged user allowed (an ordinary employee reading an active
scorecard), then opened with openpyxl and, for the parts openpyxl does not
expose (chart, sparklines, document properties, default font), as the zip
of XML parts that they are.
"""

import datetime
import io
import json
import warnings
import zipfile

import openpyxl
from freezegun import freeze_time
from werkzeug.urls import url_encode

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..report.bsc_scorecard_xlsx import EXCEL_TEXT_LIMIT, excel_text
from .bsc_common import FROZEN_TODAY, BscCase

SHEETS = [
    "Summary",
    "Strategy map",
    "Objectives & measures",
    "Initiatives",
    "OKR alignment",
    "Data",
    "Evidence",
]
INJECTIONS = ['=HYPERLINK("http://x?"&A1)', "+1", "-2", "@SUM(1)", "{=1}"]
HEADER = 3  # 1-based row of the table headers
MEASURE_COLUMNS = {
    "perspective": 1,
    "objective": 2,
    "measure": 3,
    "owner": 4,
    "target": 9,
    "actual": 10,
    "achievement": 11,
    "score": 12,
    "status": 13,
}


@tagged("post_install", "-at_install")
@freeze_time(FROZEN_TODAY)
class TestXlsxExport(BscCase):
    """Render the report and read the workbook back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.obj_customer.execution_approach = "both"
        cls._values(cls.measure_own, {"2026-01": 90, "2026-02": 95, "2026-03": 100})
        cls._values(cls.measure_manager, {"2026-02": 60, "2026-03": 85})
        # measure_peer has no value at all: "No data" everywhere.
        cls.measure_injections = cls.env["bsc.measure"].create(
            [
                {
                    "name": name,
                    "objective_id": cls.obj_learning.id,
                    "owner_id": cls.emp_employee.id,
                    "target": 10,
                    "unit": "currency",
                }
                for name in INJECTIONS
            ]
        )
        cls._values(cls.measure_injections[0], {"2026-03": 7})
        cls.link_hypothesis = cls.env["bsc.objective.link"].search(
            [("scorecard_id", "=", cls.scorecard.id)], limit=1
        )
        cls.link_hypothesis.hypothesis = "=1+1"
        cls.initiative = cls.env["bsc.initiative"].create(
            {
                "name": "@SUM(1) initiative",
                "objective_ids": [Command.set(cls.obj_process.ids)],
                "company_id": cls.company.id,
                "owner_id": cls.emp_manager.id,
                "budget": 1000.0,
                "actual_cost": 1200.0,
                "date_start": "2026-01-01",
                "date_end": "2026-06-30",
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Line 3 changeover",
                            "metric": "=A1 hours",
                            "unit": "h",
                            "start_value": 6.0,
                            "target_value": 2.0,
                            "current_value": 4.0,
                        }
                    )
                ],
            }
        )
        cls.scorecard._recompute_scores()
        cls._make_okrs()
        cls.report = cls.env["report.bsc_okr.scorecard_xlsx"]

    @classmethod
    def _values(cls, measure, values):
        periods = {p.code: p for p in measure.scorecard_id.period_ids}
        cls.env["bsc.measure.value"].create(
            [
                {
                    "measure_id": measure.id,
                    "period_id": periods[code].id,
                    "value": value,
                }
                for code, value in values.items()
            ]
        )

    @classmethod
    def _make_okrs(cls):
        """Two OKRs serving obj_customer: a public one of the peer, a private
        one of the employee, each with a check-in (progress, confidence)."""
        cycle = cls.env["okr.cycle"].create(
            {
                "name": "Q1 2026",
                "company_id": cls.company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-03-31",
            }
        )
        cycle.action_start()
        okrs = cls.env["okr.objective"]
        for owner, visibility in (
            (cls.emp_peer, "public"),
            (cls.emp_employee, "private"),
        ):
            okrs |= cls.env["okr.objective"].create(
                {
                    "name": f"OKR of {owner.name}",
                    "cycle_id": cycle.id,
                    "company_id": cls.company.id,
                    "owner_id": owner.id,
                    "visibility": visibility,
                    "bsc_objective_id": cls.obj_customer.id,
                    "key_result_ids": [
                        Command.create(
                            {"name": "KR", "start_value": 0.0, "target_value": 100.0}
                        )
                    ],
                }
            )
        # Fixtures skip the approval workflow (draft -> approved -> active),
        # the mixin's documented way for data set-up.
        okrs._approval_force_state("active")
        cls.okr_public, cls.okr_private = okrs
        for okr, user, value, confidence in (
            (cls.okr_public, cls.user_peer, 50.0, 8.0),
            (cls.okr_private, cls.user_employee, 20.0, 4.0),
        ):
            cls.env["okr.checkin"].with_user(user).create(
                {
                    "key_result_id": okr.key_result_ids.id,
                    "value": value,
                    "confidence": confidence,
                }
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def render(self, user, scorecard=None, **data):
        scorecard = scorecard or self.scorecard
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx("bsc_okr.scorecard_xlsx", [scorecard.id], data)
        )
        self.assertEqual(kind, "xlsx")
        return content

    def open(self, content):
        with warnings.catch_warnings():
            # openpyxl drops the x14 extensions (sparklines, solid data bars).
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(io.BytesIO(content))

    def rows(self, sheet, first=HEADER + 1):
        return [
            row for row in sheet.iter_rows(min_row=first, values_only=True) if any(row)
        ]

    def stored_measure_scores(self, scorecard=None):
        """{(measure name, period name): (actual, target, achievement, score,
        status)} straight from the table, NULLs kept."""
        scorecard = scorecard or self.scorecard
        names = {m.id: m.name for m in scorecard.measure_ids}
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT s.measure_id, p.name->>'en_US', s.actual, s.target, s.achievement,
                   s.score, s.status
              FROM bsc_score s JOIN bsc_period p ON p.id = s.period_id
             WHERE s.scorecard_id = %s AND s.level = 'measure'
            """,
            [scorecard.id],
        )
        return {
            (names[measure_id], period): tuple(values)
            for measure_id, period, *values in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Structure
    # ------------------------------------------------------------------
    def test_sheets_headers_and_layout(self):
        workbook = self.open(self.render(self.user_employee))
        self.assertEqual(workbook.sheetnames, SHEETS)
        headers = {
            "Strategy map": ["Perspective", "Objective", "Score"],
            "Objectives & measures": [
                "Perspective",
                "Objective",
                "Measure",
                "Owner",
                "Department",
                "Unit",
                "Polarity",
                "Baseline",
                "Target",
                "Actual",
                "Achievement",
                "Score",
                "Status",
                "Trend",
            ],
            "Initiatives": ["Initiative", "Objectives", "Owner", "Department"],
            "OKR alignment": [
                "Perspective",
                "Strategic objective",
                "Execution approach",
                "Aligned OKRs",
                "Average progress",
            ],
            "Data": [
                "Perspective",
                "Objective",
                "Measure",
                "Unit",
                "Period",
                "Month",
                "Actual",
                "Target",
                "Achievement",
                "Score",
                "Status",
            ],
        }
        for name, expected in headers.items():
            sheet = workbook[name]
            row = [cell.value for cell in sheet[HEADER]][: len(expected)]
            self.assertEqual(row, expected, name)
            self.assertEqual(sheet.freeze_panes[1:], str(HEADER + 1), name)
            self.assertTrue(sheet.auto_filter.ref, name)
        for sheet in workbook.worksheets:
            self.assertEqual(sheet.page_setup.orientation, "landscape", sheet.title)
            # fitToWidth 1 is the default, left out of the file.
            self.assertIn(sheet.page_setup.fitToWidth, (None, 1), sheet.title)
            self.assertEqual(sheet.page_setup.fitToHeight, 0, sheet.title)
            self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title)
            self.assertTrue(sheet.print_title_rows, sheet.title)
            self.assertTrue(sheet.freeze_panes, sheet.title)
            self.assertTrue(sheet.auto_filter.ref, sheet.title)
        self.assertEqual(workbook["Data"].print_title_rows, "$3:$3")
        self.assertEqual(workbook["Objectives & measures"].freeze_panes, "D4")
        self.assertGreater(
            workbook["Objectives & measures"].column_dimensions["C"].width, 20
        )

    def test_document_properties_and_font(self):
        content = self.render(self.user_employee)
        workbook = self.open(content)
        self.assertEqual(workbook.properties.title, "Balanced Scorecard: Test Strategy")
        self.assertEqual(workbook.properties.creator, self.user_employee.name)
        self.assertTrue(workbook.properties.created)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            app = archive.read("docProps/app.xml").decode()
            styles = archive.read("xl/styles.xml").decode()
        self.assertIn("<Company>Test Toys Ltd</Company>", app)
        # The default font (the first one) shows Traditional Chinese.
        first_font = styles.split("<font>", 1)[1].split("</font>", 1)[0]
        self.assertIn('val="Microsoft JhengHei"', first_font)

    def test_chart_sparklines_and_conditional_formats(self):
        content = self.render(self.user_employee)
        workbook = self.open(content)
        self.assertEqual(len(workbook["Summary"]._charts), 1)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            self.assertIn("xl/charts/chart1.xml", names)
            sheet1_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
            drawing = sheet1_rels.split('Target="../drawings/', 1)[1].split('"')[0]
            drawing_rels = archive.read(f"xl/drawings/_rels/{drawing}.rels").decode()
            self.assertIn("../charts/chart1.xml", drawing_rels)
            chart = archive.read("xl/charts/chart1.xml").decode()
            measures_xml = archive.read("xl/worksheets/sheet3.xml").decode()
        # One series per perspective and one for the whole scorecard.
        self.assertEqual(chart.count("<c:ser>"), 5)
        self.assertIn("<c:lineChart>", chart)
        self.assertIn("x14:sparklineGroup", measures_xml)

        def conditional_columns(sheet):
            return {
                str(rng).split(":")[0].rstrip("0123456789")
                for cf in sheet.conditional_formatting
                for rng in cf.sqref.ranges
            }

        self.assertIn("M", conditional_columns(workbook["Objectives & measures"]))
        self.assertIn("K", conditional_columns(workbook["Data"]))
        rules = [
            rule
            for cf in workbook["Data"].conditional_formatting
            for rule in cf.rules
            if rule.type == "cellIs"
        ]
        self.assertEqual(
            sorted(rule.formula[0] for rule in rules),
            ['"Amber"', '"Green"', '"No Data"', '"Red"'],
        )
        # Status cells carry no hard-coded fill: the colour is conditional.
        data = workbook["Data"]
        self.assertEqual(data.cell(HEADER + 1, 11).fill.fgColor.rgb, "00000000")
        # Progress as data bars.
        self.assertIn("K", conditional_columns(workbook["Initiatives"]))
        self.assertIn("E", conditional_columns(workbook["OKR alignment"]))

    # ------------------------------------------------------------------
    # Values
    # ------------------------------------------------------------------
    def test_values_equal_stored_scores(self):
        workbook = self.open(self.render(self.user_employee))
        stored = self.stored_measure_scores()
        data_rows = self.rows(workbook["Data"])
        measures = self.scorecard.measure_ids
        # Print-menu default: horizon start (Jan 2025) to the current period.
        self.assertEqual(len(data_rows), len(measures) * 15)
        checked = 0
        for row in data_rows:
            (_persp, _obj, measure, _unit, period, _month) = row[:6]
            actual, target, achievement, score, status = row[6:11]
            expected = stored.get((measure, period))
            if expected is None:
                self.assertEqual(status, "No Data", (measure, period))
                continue
            e_actual, e_target, e_achievement, e_score, e_status = expected
            self.assertEqual(actual, e_actual, (measure, period))
            self.assertEqual(target, e_target, (measure, period))
            self.assertEqual(achievement, e_achievement, (measure, period))
            self.assertEqual(score, e_score if e_status != "no_data" else None)
            self.assertEqual(
                status,
                dict(self.env["bsc.score"]._fields["status"].selection)[e_status],
            )
            checked += 1
        self.assertGreater(checked, 10)
        # A known value: Defect-free rate, target 100, 95 in February.
        row = next(
            r for r in data_rows if r[2] == "Defect-free rate" and r[4] == "Feb 2026"
        )
        self.assertEqual(row[6:11], (95.0, 100.0, 0.95, 9.5, "Amber"))
        self.assertEqual(row[5], datetime.datetime(2026, 2, 1))  # a real date

        # Objectives & measures: the values of the last period (Mar 2026).
        sheet = workbook["Objectives & measures"]
        by_measure = {row[2]: row for row in self.rows(sheet)}
        col = {k: v - 1 for k, v in MEASURE_COLUMNS.items()}
        own = by_measure["Defect-free rate"]
        self.assertEqual(own[col["perspective"]], "Internal Process")
        self.assertEqual(own[col["objective"]], "Lean production")
        self.assertEqual(own[col["owner"]], "Employee")
        self.assertEqual(own[col["actual"]], 100.0)
        self.assertEqual(own[col["target"]], 100.0)
        self.assertEqual(own[col["achievement"]], 1.0)
        self.assertEqual(own[col["score"]], 10.0)
        self.assertEqual(own[col["status"]], "Green")
        self.assertEqual(self.measure_own.current_score, 10.0)
        manager = by_measure["Line uptime"]
        self.assertEqual(manager[col["score"]], self.measure_manager.current_score)
        peer = by_measure["Partner satisfaction"]
        self.assertEqual(peer[col["actual"]], "No data")
        self.assertEqual(peer[col["status"]], "No Data")
        # The per-period trend columns, Jan 2025 .. Mar 2026.
        periods = [c.value for c in sheet[HEADER]][14:]
        self.assertEqual(periods[0], "Jan 2025")
        self.assertEqual(periods[-1], "Mar 2026")
        self.assertEqual(own[14 + periods.index("Jan 2026")], 9.0)
        self.assertIsNone(own[14 + periods.index("Jan 2025")])

        # Summary: the stored perspective and scorecard scores of Mar 2026.
        summary = workbook["Summary"]
        values = {row[0]: row for row in summary.iter_rows(values_only=True) if row[0]}
        self.assertEqual(values["Overall score"][1], self.scorecard.current_score)
        process = self.persp["process"]
        self.assertEqual(values["Internal Process"][2], process.current_score)
        self.assertEqual(values["Financial"][2], "No data")
        self.assertEqual(values["Mar 2026"][3], process.current_score)

        # Strategy map: each objective with its stored score, top band first.
        strategy = workbook["Strategy map"]
        bands = [row[0] for row in self.rows(strategy) if row[0]]
        self.assertEqual(
            bands, ["Financial", "Customer", "Internal Process", "Learning & Growth"]
        )
        placed = {
            row[col]: row[col + 1]
            for row in self.rows(strategy)
            for col in (1, 3, 5, 7)
            if row[col]
        }
        self.assertEqual(placed["Lean production"], self.obj_process.current_score)
        self.assertEqual(placed["Happy partners"], "No Data")
        links = {(row[10], row[11]): row[12] for row in self.rows(strategy) if row[10]}
        self.assertIn(("Learn lean", "Lean production"), links)
        self.assertEqual(
            links[
                (
                    self.link_hypothesis.cause_id.name,
                    self.link_hypothesis.effect_id.name,
                )
            ],
            "=1+1",
        )

    def test_initiatives_sheet(self):
        workbook = self.open(self.render(self.user_employee))
        sheet = workbook["Initiatives"]
        [row] = self.rows(sheet)
        self.assertEqual(row[0], "@SUM(1) initiative")
        self.assertEqual(row[1], "Lean production")
        self.assertEqual(row[2], "Manager")
        self.assertEqual(row[6:9], (1000.0, 1200.0, 1.2))
        self.assertEqual(row[10], self.initiative.progress)
        self.assertEqual(row[11:17], ("Line 3 changeover", "=A1 hours", "h", 6, 2, 4))
        self.assertEqual(row[18], 0.5)
        currency = self.company.currency_id
        number_format = sheet.cell(HEADER + 1, 7).number_format
        self.assertIn(currency.symbol, number_format)

    def test_okr_alignment_uses_the_users_own_rights(self):
        """Aggregates only, each user's own view of the OKRs."""

        def assert_okr_row(user, expected):
            sheet = self.open(self.render(user))["OKR alignment"]
            rows = {row[1]: row for row in self.rows(sheet)}
            self.assertNotIn("OKR of", str(list(sheet.values)))
            for value, wanted in zip(
                rows["Happy partners"][3:7], expected, strict=True
            ):
                self.assertAlmostEqual(value, wanted)
            self.assertEqual(rows["Grow revenue"][3:7], (0, "No data", 0, "No data"))

        # The peer sees the public OKR only (its own), and reads it in full.
        assert_okr_row(self.user_peer, (1, 0.5, 1, 8.0))
        # The employee sees the public OKR and its own private one, and reads
        # only its own in full.
        assert_okr_row(self.user_employee, (2, 0.35, 1, 4.0))
        # An OKR administrator sees and reads both.
        assert_okr_row(self.user_okr_admin, (2, 0.35, 2, 6.0))

    # ------------------------------------------------------------------
    # Safety
    # ------------------------------------------------------------------
    def test_injection_strings_stay_text(self):
        content = self.render(self.user_employee)
        workbook = self.open(content)
        found = {}
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", (sheet.title, cell))
                    if cell.value in INJECTIONS + ["=1+1", "=A1 hours"]:
                        found.setdefault(cell.value, cell.data_type)
        self.assertEqual(set(found), set(INJECTIONS) | {"=1+1", "=A1 hours"})
        self.assertEqual(set(found.values()), {"s"})
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    self.assertNotIn("<f>", archive.read(name).decode(), name)
                    self.assertNotIn("<hyperlink", archive.read(name).decode(), name)

    def test_huge_and_control_text(self):
        self.measure_peer.name = "M" * 10000
        self.link_hypothesis.hypothesis = "H\x0b\x1b" + "界" * 40000
        workbook = self.open(self.render(self.user_employee))
        names = [row[2] for row in self.rows(workbook["Objectives & measures"])]
        self.assertIn("M" * 10000, names)
        hypotheses = [row[12] for row in self.rows(workbook["Strategy map"]) if row[12]]
        long_text = next(h for h in hypotheses if h.startswith("H"))
        self.assertEqual(len(long_text), EXCEL_TEXT_LIMIT)
        self.assertTrue(long_text.startswith("H界"))
        self.assertTrue(long_text.endswith("…"))

    def test_excel_text(self):
        self.assertEqual(excel_text(False), "")
        self.assertEqual(excel_text("=A1"), "=A1")
        self.assertEqual(excel_text("a\x00b\x1fc\td\ne"), "abc\td\ne")
        # Excel counts UTF-16 units: an emoji counts twice.
        text = excel_text("😀" * 20000)
        self.assertLessEqual(len(text.encode("utf-16-le")) // 2, EXCEL_TEXT_LIMIT)
        self.assertTrue(text.endswith("…"))
        self.assertEqual(len(excel_text("x" * EXCEL_TEXT_LIMIT)), EXCEL_TEXT_LIMIT)
        # Sheet names from translations: Excel's forbidden characters, 31 max.
        self.assertEqual(
            self.report._sheet_name("Objectifs [et] mesures"), "Objectifs  et  mesures"
        )
        self.assertEqual(len(self.report._sheet_name("x" * 40)), 31)
        self.assertEqual(self.report._sheet_name("'/'"), "Sheet")

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_restricted_user_sees_only_what_they_may_read(self):
        """The owner of a draft map reads it, not others' initiatives in it."""
        draft = self.env["bsc.scorecard"].create(
            {
                "name": "Draft Strategy",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "owner_id": self.emp_employee.id,
            }
        )
        objective = self.make_objective("Draft objective", "process", scorecard=draft)
        self.env["bsc.initiative"].create(
            {
                "name": "Confidential initiative",
                "objective_ids": [Command.set(objective.ids)],
                "company_id": self.company.id,
                "owner_id": self.emp_peer.id,
            }
        )
        officer = self.open(self.render(self.user_strategy, draft))
        self.assertEqual(
            self.rows(officer["Initiatives"])[0][0], "Confidential initiative"
        )
        owner = self.open(self.render(self.user_employee, draft))
        [row] = self.rows(owner["Initiatives"])
        self.assertEqual(row[0], "No data")
        self.assertIn("Draft objective", str(list(owner["Strategy map"].values)))
        # Someone who cannot read the map cannot export it at all.
        with self.assertRaises(AccessError):
            self.render(self.user_peer, draft)

    def test_appraisal_staff_cannot_export_okrs(self):
        report = self.env["bsc.scorecard"].with_user(self.user_hr)
        self.assertFalse(report._can_export_okr())
        self.assertTrue(
            self.env["bsc.scorecard"].with_user(self.user_employee)._can_export_okr()
        )
        # The option is not offered to them...
        Wizard = self.env["bsc.scorecard.export.wizard"]
        self.assertNotIn("include_okr", Wizard.with_user(self.user_hr).fields_get())
        self.assertIn("include_okr", Wizard.with_user(self.user_employee).fields_get())
        # ... refused when asked for anyway, in the wizard and in the report...
        with self.assertRaises(UserError):  # AccessError is a UserError too
            Wizard.with_user(self.user_hr).create(
                {"scorecard_id": self.scorecard.id, "include_okr": True}
            ).action_export()
        with self.assertRaises(UserError):
            self.render(self.user_hr, include_okr=True)
        # ... and left out of their workbook by default.
        wizard = Wizard.with_user(self.user_hr).create(
            {"scorecard_id": self.scorecard.id}
        )
        action = wizard.action_export()
        self.assertFalse(action["data"]["include_okr"])
        workbook = self.open(self.render(self.user_hr, **action["data"]))
        self.assertNotIn("OKR alignment", workbook.sheetnames)
        workbook = self.open(self.render(self.user_hr))
        self.assertNotIn("OKR alignment", workbook.sheetnames)

    # ------------------------------------------------------------------
    # Wizard and bad input
    # ------------------------------------------------------------------
    def test_wizard_defaults_and_action(self):
        Wizard = self.env["bsc.scorecard.export.wizard"].with_user(self.user_employee)
        wizard = Wizard.with_context(
            active_model="bsc.scorecard", active_id=self.scorecard.id
        ).create({})
        self.assertEqual(wizard.scorecard_id, self.scorecard)
        self.assertEqual(wizard.period_from_id, self.period("2025-01"))
        self.assertEqual(wizard.period_to_id, self.period("2026-03"))
        self.assertTrue(wizard.include_okr)
        wizard.write(
            {
                "period_from_id": self.period("2026-01").id,
                "department_ids": [Command.set(self.dept_production.ids)],
                "include_initiatives": False,
            }
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_type"], "xlsx")
        self.assertEqual(action["report_name"], "bsc_okr.scorecard_xlsx")
        workbook = self.open(self.render(self.user_employee, **action["data"]))
        self.assertNotIn("Initiatives", workbook.sheetnames)
        # Production only: the measures of its department (the process
        # objective's) and nothing of the others.
        measures = {row[2] for row in self.rows(workbook["Objectives & measures"])}
        self.assertEqual(measures, {"Defect-free rate", "Line uptime"})
        periods = {row[4] for row in self.rows(workbook["Data"])}
        self.assertEqual(periods, {"Jan 2026", "Feb 2026", "Mar 2026"})

    def test_print_menu_binding(self):
        action = self.env.ref("bsc_okr.bsc_scorecard_report_xlsx")
        self.assertEqual(action.report_type, "xlsx")
        self.assertEqual(action.binding_model_id.model, "bsc.scorecard")
        self.assertEqual(action.name, "Scorecard (Excel)")

    def test_reversed_and_outside_range(self):
        Wizard = self.env["bsc.scorecard.export.wizard"].with_user(self.user_employee)
        wizard = Wizard.create(
            {
                "scorecard_id": self.scorecard.id,
                "period_from_id": self.period("2026-03").id,
                "period_to_id": self.period("2026-01").id,
            }
        )
        with self.assertRaisesRegex(UserError, "reversed"):
            wizard.action_export()
        other = self.env["bsc.scorecard"].create(
            {
                "name": "Other Strategy",
                "company_id": self.company.id,
                "date_from": "2030-01-01",
                "date_to": "2030-12-31",
                "state": "active",
            }
        )
        wizard.period_from_id = other.period_ids[:1]
        with self.assertRaisesRegex(UserError, "outside the horizon"):
            wizard.action_export()
        with self.assertRaisesRegex(UserError, "outside the horizon"):
            self.render(self.user_employee, period_to_id=other.period_ids[:1].id)
        with self.assertRaises(UserError):
            self.render(self.user_employee, period_from_id="2026-01")
        with self.assertRaises(UserError):
            self.render(self.user_employee, department_ids="all")
        with self.assertRaises(UserError):
            self.report.with_user(self.user_employee).with_context(
                active_model="bsc.scorecard"
            ).create_xlsx_report((self.scorecard | other).ids, {})

    def test_no_data_workbook(self):
        empty = self.env["bsc.scorecard"].create(
            {
                "name": "Empty Strategy",
                "company_id": self.company.id,
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "state": "active",
            }
        )
        workbook = self.open(self.render(self.user_employee, empty))
        self.assertEqual(workbook.sheetnames, SHEETS)
        summary = {
            row[0]: row for row in workbook["Summary"].iter_rows(values_only=True)
        }
        self.assertEqual(summary["Overall score"][1], "No data")
        self.assertEqual(summary["Financial"][2], "No data")
        for name in ("Objectives & measures", "Initiatives", "OKR alignment", "Data"):
            self.assertEqual(self.rows(workbook[name])[0][0], "No data", name)
        strategy = self.rows(workbook["Strategy map"])
        self.assertEqual(strategy[0][1], "No objective")
        self.assertEqual(strategy[0][10], "No cause-effect link")

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------
    def test_query_count_independent_of_size(self):
        """The same number of queries for 3 and for 30 measures."""
        small = self.scorecard
        large = self.env["bsc.scorecard"].create(
            {
                "name": "Large Strategy",
                "company_id": self.company.id,
                "date_from": "2025-01-01",
                "date_to": "2027-12-31",
                "owner_id": self.emp_ceo.id,
            }
        )
        objectives = [
            self.make_objective(
                f"Objective {kind}", kind, scorecard=large, department=self.dept_sales
            )
            for kind in ("financial", "customer", "process", "learning")
        ]
        measures = self.env["bsc.measure"].create(
            [
                {
                    "name": f"Measure {i}",
                    "objective_id": objectives[i % 4].id,
                    "owner_id": (self.emp_employee, self.emp_peer)[i % 2].id,
                    "target": 100,
                    "unit": ("number", "percent", "currency")[i % 3],
                }
                for i in range(30)
            ]
        )
        self.env["bsc.objective.link"].create(
            [
                {"cause_id": objectives[i + 1].id, "effect_id": objectives[i].id}
                for i in range(3)
            ]
        )
        self.env["bsc.initiative"].create(
            [
                {
                    "name": f"Initiative {i}",
                    "objective_ids": [Command.set(objectives[i % 4].ids)],
                    "company_id": self.company.id,
                    "owner_id": self.emp_manager.id,
                    "milestone_ids": [
                        Command.create(
                            {
                                "name": "Step",
                                "metric": "units",
                                "start_value": 0,
                                "target_value": 10,
                            }
                        )
                    ],
                }
                for i in range(6)
            ]
        )
        large.action_activate()
        self.record_values(measures[0], {"2026-03": 80})
        self.env["bsc.measure.value"].create(
            [
                {
                    "measure_id": measure.id,
                    "period_id": self.period(code, large).id,
                    "value": 50 + i,
                }
                for i, measure in enumerate(measures)
                for code in ("2026-01", "2026-02")
            ]
        )
        large._recompute_scores()
        self.assertEqual(len(self.stored_measure_scores(large)), 30 * 15)

        def count(scorecard):
            self.env.invalidate_all()
            self.env.registry.clear_cache()
            self.render(self.user_employee, scorecard)  # warm the caches
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.render(self.user_employee, scorecard)
            return self.env.cr.sql_log_count - before

        queries = count(small)
        self.assertEqual(count(large), queries)
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            self.render(self.user_employee, large)


@tagged("post_install", "-at_install")
class TestXlsxDownload(BscCase, HttpCase):
    """The workbook through the report controller, as the web client asks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["bsc.measure.value"].create(
            {
                "measure_id": cls.measure_own.id,
                "period_id": cls.scorecard.period_ids.sorted("date_start")[0].id,
                "value": 80.0,
            }
        )

    def download(self, login, url):
        self.authenticate(login, login)
        return self.url_open(url, timeout=60)

    def test_print_menu_and_wizard_downloads(self):
        # Print menu: the record id in the URL, no options.
        response = self.download(
            "t_employee", f"/report/xlsx/bsc_okr.scorecard_xlsx/{self.scorecard.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.sheetnames, SHEETS)
        # Wizard: its options travel as JSON in the URL (report_xlsx's client).
        periods = self.scorecard.period_ids.sorted("date_start")
        wizard = (
            self.env["bsc.scorecard.export.wizard"]
            .with_user(self.user_employee)
            .create(
                {
                    "scorecard_id": self.scorecard.id,
                    "period_from_id": periods[0].id,
                    "period_to_id": periods[1].id,
                    "include_okr": False,
                }
            )
        )
        action = wizard.action_export()
        url = "/report/xlsx/bsc_okr.scorecard_xlsx?" + url_encode(
            {
                "options": json.dumps(action["data"]),
                "context": json.dumps(action["context"]),
            }
        )
        response = self.download("t_employee", url)
        self.assertEqual(response.status_code, 200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertNotIn("OKR alignment", workbook.sheetnames)
        months = {
            row[4]
            for row in workbook["Data"].iter_rows(min_row=HEADER + 1, values_only=True)
        }
        self.assertEqual(months, {periods[0].name, periods[1].name})
        # KPI appraisal staff asking for OKR data through the URL: refused.
        options = dict(action["data"], include_okr=True)
        response = self.download(
            "t_hr",
            "/report/xlsx/bsc_okr.scorecard_xlsx?"
            + url_encode({"options": json.dumps(options), "context": "{}"}),
        )
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(response.content.startswith(b"PK"))  # not a workbook
        self.assertIn(b"KPI appraisal staff cannot export", response.content)

    def test_export_wizard_tour(self):
        """From the scorecard form, through the wizard, to the download."""
        self.start_tour(
            f"/odoo/action-bsc_okr.bsc_scorecard_action/{self.scorecard.id}",
            "bsc_okr_scorecard_export_tour",
            login="t_employee",
        )
