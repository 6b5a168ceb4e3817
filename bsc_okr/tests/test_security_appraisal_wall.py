"""The appraisal wall, attacked on every route (issue 6).

The matrix itself is data (``wall_matrix``): role x model x operation ->
expected. These tests run it, check the static side (ACLs, rules, fields)
and the routes that are not a plain ORM call on an OKR model (relations
from other models, hr.employee, the KPI sheet and its export, the Excel
export route, the portal), and prove that a deliberate breach is caught.
"""

import base64
import io
import json
import re
import zipfile
from pathlib import Path

from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .. import hooks
from . import wall_matrix as wm
from .learning_common import LearningCase
from .okr_common import IN_Q1

ADDON = Path(__file__).resolve().parent.parent

#: Files of the KPI appraisal: none may name an OKR model or field.
KPI_FILES = (
    "models/bsc_appraisal_period.py",
    "models/bsc_kpi_definition.py",
    "models/bsc_kpi_sheet.py",
    "models/bsc_kpi_assignment.py",
    "controllers/portal_kpi.py",
    "security/bsc_kpi_security.xml",
    "views/bsc_appraisal_period_views.xml",
    "views/bsc_kpi_definition_views.xml",
    "views/bsc_kpi_sheet_views.xml",
    "views/bsc_kpi_assignment_views.xml",
    "views/bsc_kpi_portal_templates.xml",
)
OKR_REFERENCE = re.compile(
    r"okr\.(objective|key|checkin|learning|approval|stage)"
    r"|okr_(objective|key_result|checkin|learning|grade|confidence)"
    r"|\b(grade|confidence|checkin_ids|key_result_ids)\b"
)
KPI_MODELS = (
    "bsc.kpi.sheet",
    "bsc.kpi.assignment",
    "bsc.kpi.definition",
    "bsc.appraisal.period",
)


class WallCase(LearningCase):
    """Records of the employee (Production, reports to the manager), each
    carrying ``wall_matrix.SECRET`` in its name or comment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        secret = wm.SECRET
        # Attackers may export (base.group_allow_export): the export routes
        # must be stopped by the wall, not by a missing export right.
        export = cls.env.ref("base.group_allow_export")
        (cls.user_hr | cls.user_manager).groups_id = [Command.link(export.id)]
        cls.obj_wall_public = cls._make_objective(
            cls.emp_employee,
            f"{secret} public goal",
            visibility="public",
            bsc_objective_id=cls.obj_process.id,
        )
        cls.obj_wall_private = cls._make_objective(
            cls.emp_employee, f"{secret} private goal", visibility="private"
        )
        cls._activate(cls.obj_wall_public | cls.obj_wall_private)
        cls.wall_plan = cls.make_plan(name=f"{secret} plan")
        cls.wall_plan.with_user(cls.user_employee).action_approval_request("learn")
        cls.wall_plan.with_user(cls.user_manager).action_approval_approve()
        cls.wall_findings = (
            cls.env["okr.learning.finding"]
            .with_user(cls.user_employee)
            .create({"plan_id": cls.wall_plan.id, "name": f"{secret} finding"})
            .with_env(cls.env)
        )
        cls.wall_plans = cls.wall_plan
        cls.wall_objectives = (
            cls.obj_wall_public | cls.obj_wall_private | cls.wall_plan.objective_id
        )
        cls.env["okr.objective.public"].invalidate_model()
        cls.wall_objectives_public = cls.env["okr.objective.public"].browse(
            cls.wall_objectives.ids
        )
        cls.wall_key_results = cls.wall_objectives.key_result_ids
        checkins = cls.env["okr.checkin"]
        for kr in cls.wall_key_results:
            checkins |= cls._checkin(
                kr, 1, confidence=3, comment=f"{secret} comment", user=cls.user_employee
            )
        cls.wall_checkins = checkins
        # The check-ins moved the figures: history rows of every attacked
        # objective and key result.
        cls.wall_progress_history = cls.env["okr.progress.history"].search(
            [("objective_id", "in", cls.wall_objectives.ids)]
        )
        # A retrospective of the public objective. Written as the system:
        # the fixture's cycle is running, retrospectives are written while a
        # cycle is graded (tested in test_okr_retrospective).
        cls.wall_retrospectives = cls.env["okr.retrospective"].create(
            {
                "objective_id": cls.obj_wall_public.id,
                "what_worked": f"{secret} worked",
                "what_learned": f"{secret} lesson",
                "manager_comment": f"{secret} manager",
                "next_step": "carry_over",
            }
        )
        cls.wall_stage_rows = cls.env["okr.learning.stage.report"].search(
            [("plan_id", "=", cls.wall_plan.id)]
        )
        cls.wall_requests = cls.env["okr.approval.request"].search(
            [("res_model", "=", "okr.learning.plan"), ("res_id", "=", cls.wall_plan.id)]
        )
        cls.wall_history = cls.env["okr.stage.history"].search(
            [
                "|",
                "&",
                ("res_model", "=", "okr.objective"),
                ("res_id", "in", cls.wall_objectives.ids),
                "&",
                ("res_model", "=", "okr.learning.plan"),
                ("res_id", "=", cls.wall_plan.id),
            ]
        )
        # Chatter, tracking, activity and attachment on the public objective.
        message = cls.obj_wall_public.message_post(
            body=f"{secret} note", message_type="comment"
        )
        cls.env["mail.tracking.value"].sudo().create(
            {
                "mail_message_id": message.id,
                "field_id": cls.env["ir.model.fields"]._get("okr.objective", "name").id,
                "old_value_char": "before",
                "new_value_char": f"{secret} after",
            }
        )
        cls.obj_wall_public.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=f"{secret} activity",
            user_id=cls.user_manager.id,
        )
        cls.env["ir.attachment"].create(
            {
                "name": f"{secret}.txt",
                "res_model": "okr.objective",
                "res_id": cls.obj_wall_public.id,
                "datas": base64.b64encode(secret.encode()),
            }
        )
        # A promoted initiative pointing at the plan (as the wizard does).
        cls.initiative = cls.env["bsc.initiative"].create(
            {
                "name": "Smart toy line",
                "company_id": cls.company.id,
                "objective_ids": [Command.link(cls.obj_process.id)],
                "learning_plan_id": cls.wall_plan.id,
            }
        )


@tagged("post_install", "-at_install")
class TestAppraisalWall(WallCase):
    def _run(self, role):
        rows = [row for row in wm.build_rows() if row[0] == role]
        failures = wm.run_matrix(self, rows)
        self.assertFalse(failures, "\n".join(failures))

    def test_matrix_hr_strict_wall(self):
        self._run("hr_strict")
        # In their capacity of employee they still see their own OKR.
        Objective = self.env["okr.objective"].with_user(self.user_hr)
        self.assertEqual(Objective.search([]), self.obj_hr)

    def test_matrix_hr_wall_off_public_titles_only(self):
        self._run("hr_open")

    def test_matrix_manager_sees_the_team(self):
        """The wall is not a blanket denial: the same routes show the
        manager their team's OKRs."""
        self._run("manager")

    def test_progress_history_is_attacked(self):
        # Rows of every objective and every key result (the check-ins); one
        # per record and day, so a fixture built across midnight in the
        # company's timezone holds two days of rows.
        history = self.wall_progress_history
        self.assertEqual(
            history.filtered(lambda row: not row.key_result_id).objective_id,
            self.wall_objectives,
        )
        self.assertEqual(history.key_result_id, self.wall_key_results)

    def test_alert_and_approval_messages_never_reach_appraisal(self):
        """The HR officer's own key result turns off track, so does that of
        an employee they manage, they submit an objective and it escalates:
        each message of ``ALERT_MESSAGES`` goes out, to others only."""
        self.emp_employee.parent_id = self.emp_hr
        Message = self.env["mail.message"]
        start = Message.search([], order="id desc", limit=1).id
        with freeze_time(IN_Q1):
            self.env["okr.key.result"]._okr_refresh_track_status()
            hooks.post_init_hook(self.env)
            for key_result in self.kr_hr | self.kr_employee:
                self._checkin(key_result, 50)
            self.env["okr.key.result"]._cron_send_alerts()
            for key_result in self.kr_hr | self.kr_employee:
                self._checkin(key_result, 10, confidence=3)
            draft = self._make_objective(self.emp_hr, "Learn more")
            draft.with_user(self.user_hr).sudo().action_submit()
        for xmlid, (model, method) in wm.ALERT_MESSAGES.items():
            with freeze_time("2026-02-24 09:00:00"):
                getattr(self.env[model], method)()
            template = self.env.ref(xmlid)
            sent = Message.search(
                [
                    ("id", ">", start),
                    ("model", "=", template.model_id.model),
                    ("message_type", "=", "user_notification"),
                ]
            )
            self.assertTrue(sent, f"{xmlid} was sent")
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.user_hr.partner_id.id)]
            )
        )
        self.assertFalse(
            Message.search(
                [("id", ">", start), ("partner_ids", "in", self.user_hr.partner_id.ids)]
            )
        )

    def test_every_okr_model_is_in_the_matrix(self):
        missing = wm.walled_models(self.env) - set(wm.MODELS) - set(wm.NOT_PERSONAL)
        self.assertFalse(missing, "add these models to wall_matrix.MODELS")
        self.assertTrue(all(m.startswith("okr.") for m in wm.MODELS))

    def test_no_acl_rule_or_employee_field_for_appraisal(self):
        self.assertEqual(wm.static_failures(self.env), [])

    def test_okr_wizards_refused_to_appraisal(self):
        """Appraisal staff open no OKR wizard (wall_matrix.WIZARDS), not
        even when they also manage a team."""
        self.assertEqual(wm.wizard_failures(self.env, self.user_hr), [])
        self.user_hr.groups_id = [
            Command.link(self.env.ref("bsc_okr.group_okr_manager").id)
        ]
        self.assertEqual(wm.wizard_failures(self.env, self.user_hr), [])

    def test_relations_from_readable_models(self):
        """Many2one/x2many from any model to an OKR model: a domain search
        through it and its display names reveal nothing."""
        walled = wm.walled_models(self.env)
        routes = wm.relation_routes(self.env, walled)
        self.assertIn(
            ("bsc.initiative", "learning_plan_id", "okr.learning.plan"), routes
        )
        targets = {
            "okr.objective": self.wall_objectives,
            "okr.objective.public": self.wall_objectives_public,
            "okr.key.result": self.wall_key_results,
            "okr.checkin": self.wall_checkins,
            "okr.learning.plan": self.wall_plans,
        }
        private_names = [
            name for name in self.wall_objectives.mapped("name") if "public" not in name
        ] + [self.wall_plan.name]
        for strict in (True, False):
            self.company.okr_strict_appraisal_wall = strict
            self.env.invalidate_all()
            for model, path, comodel in routes:
                Model = self.env[model].with_user(self.user_hr)
                if not Model.has_access("read") or comodel not in targets:
                    continue
                with self.subTest(model=model, path=path, strict=strict):
                    try:
                        found = Model.search([(path, "in", targets[comodel].ids)])
                        field = path.split(".")[0]
                        data = found.web_read(
                            {
                                "display_name": {},
                                field: {"fields": {"display_name": {}}},
                            }
                            if Model._fields[field].type == "many2one"
                            else {"display_name": {}, field: {"fields": {}}}
                        )
                    except (AccessError, ValueError):
                        # ValueError: a "!group" field refused (see
                        # test_initiative_hides_its_learning_plan_from_appraisal).
                        continue
                    text = json.dumps(data, default=str)
                    if strict:
                        self.assertNotIn(wm.SECRET, text)
                        self.assertFalse(
                            found and comodel != "okr.objective.public",
                            f"{model} found through {path}",
                        )
                    for name in private_names:
                        self.assertNotIn(name, text)

    def test_initiative_hides_its_learning_plan_from_appraisal(self):
        initiative = self.initiative.with_user(self.user_hr)
        data = initiative.web_read({"display_name": {}, "origin": {}})
        self.assertNotIn(wm.SECRET, json.dumps(data))
        # Refused. Odoo 18's refusal message cannot name a "!group" field
        # and raises ValueError instead of AccessError: no data either way,
        # and the web client never asks (the views drop the field).
        for name in ("learning_plan_id", "learning_decision"):
            try:
                initiative.read([name])
            except (AccessError, ValueError):
                continue
            self.fail(f"appraisal staff read bsc.initiative.{name}")
        arch = initiative.get_views([(False, "form"), (False, "list")])
        self.assertNotIn("learning_plan_id", json.dumps(arch["views"]))
        # Everybody else still sees where it came from.
        data = self.initiative.with_user(self.user_manager).web_read(
            {"learning_plan_id": {"fields": {"display_name": {}}}}
        )
        self.assertEqual(data[0]["learning_plan_id"]["id"], self.wall_plan.id)

    def test_employee_fields_reveal_nothing(self):
        """Every field of hr.employee and hr.employee.public that HR may
        read, related and computed ones included, with the display names
        of their relations."""
        for strict in (True, False):
            self.company.okr_strict_appraisal_wall = strict
            self.env.invalidate_all()
            for model in ("hr.employee", "hr.employee.public"):
                Model = self.env[model].with_user(self.user_hr)
                record = Model.browse(self.emp_employee.id)
                names = [
                    name
                    for name, field in Model._fields.items()
                    if field.is_accessible(Model.env)
                    and field.type not in ("binary", "image")
                ]
                spec = {}
                for name in names:
                    field = Model._fields[name]
                    if field.type == "many2one":
                        spec[name] = {"fields": {"display_name": {}}}
                    elif field.type in ("one2many", "many2many"):
                        spec[name] = {"fields": {"display_name": {}}}
                    else:
                        spec[name] = {}
                with self.subTest(model=model, strict=strict):
                    text = json.dumps(record.web_read(spec), default=str)
                    text += json.dumps(record.read(names), default=str)
                    self.assertNotIn(wm.SECRET, text)

    def test_kpi_sheet_and_export_reveal_nothing(self):
        """The KPI sheet of the employee appraises a measure of the
        strategic objective their OKR serves: neither the sheet, nor its
        assignments, nor their export carry anything of the OKR."""
        period = self.env["bsc.appraisal.period"].create(
            {
                "name": "H1",
                "company_id": self.company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-06-30",
            }
        )
        kpi = self.env["bsc.kpi.definition"].create(
            {"name": "Changeovers", "company_id": self.company.id, "target": 10}
        )
        sheet = self.env["bsc.kpi.sheet"].create(
            {
                "employee_id": self.emp_employee.id,
                "period_id": period.id,
                "assignment_ids": [
                    Command.create(
                        {"source": "measure", "measure_id": self.measure_own.id}
                    ),
                    Command.create({"source": "definition", "definition_id": kpi.id}),
                ],
            }
        )
        for model in KPI_MODELS:
            Model = self.env[model].with_user(self.user_hr)
            records = Model.search([])
            self.assertTrue(records, model)
            exportable = [
                name
                for name, field in Model._fields.items()
                if field.exportable and field.is_accessible(Model.env)
            ]
            paths = [
                f"{name}/display_name" if Model._fields[name].relational else name
                for name in exportable
            ]
            spec = {
                name: {"fields": {"display_name": {}}}
                if Model._fields[name].relational
                else {}
                for name in exportable
            }
            with self.subTest(model=model):
                text = json.dumps(records.export_data(paths), default=str)
                text += json.dumps(records.web_read(spec), default=str)
                self.assertNotIn(wm.SECRET, text)
                for name in exportable:
                    comodel = Model._fields[name].comodel_name
                    self.assertNotIn(comodel, wm.walled_models(self.env), name)
        self.assertEqual(sheet.assignment_ids.measure_id, self.measure_own)
        self.assertEqual(sheet.assignment_ids.definition_id, kpi)

    def test_kpi_code_names_no_okr_model(self):
        for path in KPI_FILES:
            text = (ADDON / path).read_text()
            with self.subTest(path=path):
                self.assertIsNone(OKR_REFERENCE.search(text), path)

    def test_deliberate_breach_is_caught(self):
        """Grant appraisal staff read on key results: the matrix fails."""
        group = self.env.ref("bsc_okr.group_kpi_appraisal")
        model = self.env["ir.model"]._get("okr.key.result")
        self.env["ir.model.access"].create(
            {
                "name": "breach",
                "model_id": model.id,
                "group_id": group.id,
                "perm_read": True,
            }
        )
        self.assertTrue(
            any("okr.key.result" in f for f in wm.static_failures(self.env))
        )
        self.env["ir.rule"].create(
            {
                "name": "breach",
                "model_id": model.id,
                "groups": [Command.link(group.id)],
                "domain_force": "[(1, '=', 1)]",
                "perm_read": True,
            }
        )
        self.env.invalidate_all()
        rows = [
            row
            for row in wm.build_rows()
            if row[0] == "hr_strict" and row[1] == "okr.key.result"
        ]
        failures = wm.run_matrix(self, rows)
        self.assertTrue(failures)
        caught = {f.split()[2].rstrip(":") for f in failures}
        self.assertTrue(
            {
                "search",
                "search_read",
                "search_count",
                "read",
                "read_group",
                "_read_group",
                "name_search",
                "web_search_read",
                "web_read",
                "export_data",
            }
            <= caught,
            failures,
        )


@tagged("post_install", "-at_install")
class TestAppraisalWallHttp(HttpCase, WallCase):
    def _export_xlsx(self, model, ids, domain):
        fields = [
            {"name": "id", "label": "ID"},
            {"name": "display_name", "label": "Name"},
        ]
        for name in wm.MODELS[model]["many2one"]:
            fields.append({"name": f"{name}/display_name", "label": name})
        data = {
            "model": model,
            "fields": fields,
            "ids": ids,
            "domain": domain,
            "import_compat": False,
            "context": {},
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(data),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        content = response.content
        if content[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(content)) as book:
                return "".join(
                    book.read(name).decode("utf-8", "replace")
                    for name in book.namelist()
                )
        return content.decode("utf-8", "replace")

    def test_web_export_xlsx(self):
        for strict in (True, False):
            self.company.okr_strict_appraisal_wall = strict
            self.env.flush_all()
            self.authenticate("t_hr", "t_hr")
            for model, conf in wm.MODELS.items():
                targets = getattr(self, conf["targets"])
                with self.subTest(model=model, strict=strict):
                    text = self._export_xlsx(model, targets.ids, [])
                    text += self._export_xlsx(model, False, [("id", "in", targets.ids)])
                    if strict or model != "okr.objective.public":
                        self.assertNotIn(wm.SECRET, text)
                    else:
                        self.assertIn(self.obj_wall_public.name, text)
                        self.assertNotIn(self.obj_wall_private.name, text)
        # The manager exports the team's OKRs: the route works.
        self.authenticate("t_manager", "t_manager")
        text = self._export_xlsx(
            "okr.objective", False, [("id", "in", self.wall_objectives.ids)]
        )
        self.assertIn(self.obj_wall_private.name, text)

    def test_kpi_sheet_xlsx_export(self):
        period = self.env["bsc.appraisal.period"].create(
            {
                "name": "H1",
                "company_id": self.company.id,
                "date_start": "2026-01-01",
                "date_end": "2026-06-30",
            }
        )
        sheet = self.env["bsc.kpi.sheet"].create(
            {
                "employee_id": self.emp_employee.id,
                "period_id": period.id,
                "assignment_ids": [
                    Command.create(
                        {"source": "measure", "measure_id": self.measure_own.id}
                    )
                ],
            }
        )
        self.authenticate("t_hr", "t_hr")
        for model, records, paths, expected in (
            ("bsc.kpi.sheet", sheet, ["employee_id", "period_id", "score"], "H1"),
            (
                "bsc.kpi.assignment",
                sheet.assignment_ids,
                ["name", "measure_id", "measure_id/objective_id", "score"],
                "Defect-free rate",
            ),
        ):
            data = {
                "model": model,
                "fields": [
                    {"name": p, "label": p, "type": "float" if p == "score" else "char"}
                    for p in paths
                ],
                "ids": records.ids,
                "domain": [],
                "import_compat": False,
                "context": {},
            }
            response = self.url_open(
                "/web/export/xlsx",
                data={
                    "data": json.dumps(data),
                    "csrf_token": http.Request.csrf_token(self),
                },
            )
            self.assertEqual(response.content[:2], b"PK", model)
            with zipfile.ZipFile(io.BytesIO(response.content)) as book:
                text = "".join(
                    book.read(name).decode("utf-8", "replace")
                    for name in book.namelist()
                )
            self.assertIn(expected, text)
            self.assertNotIn(wm.SECRET, text)

    def test_portal_routes(self):
        routes = ["/my", "/my/kpi"]
        rule_map = self.env["ir.http"].routing_map()
        routes += sorted(
            {
                rule.rule
                for rule in rule_map.iter_rules()
                if rule.rule.startswith("/my/okr") and "<" not in rule.rule
            }
        )
        for strict in (True, False):
            self.company.okr_strict_appraisal_wall = strict
            self.env.flush_all()
            self.authenticate("t_hr", "t_hr")
            for route in routes:
                with self.subTest(route=route, strict=strict):
                    text = self.url_open(route).text
                    public_title = self.obj_wall_public.name
                    if not strict:
                        # Wall off: appraisal staff see what every employee
                        # sees, company-public titles and progress; nothing else.
                        if route == "/my/okrs/company":
                            self.assertIn(public_title, text)
                        text = text.replace(public_title, "")
                    self.assertNotIn(wm.SECRET, text)
            for record in self.wall_objectives:
                for route in (f"/my/okrs/{record.id}", f"/my/okr/{record.id}"):
                    response = self.url_open(route)
                    self.assertNotIn(wm.SECRET, response.text)
            # The one-click check-in of the weekly reminder, and its opt-out.
            for record in self.wall_key_results:
                response = self.url_open(f"/my/key-results/{record.id}/checkin")
                self.assertNotIn(wm.SECRET, response.text)
                # Grading from the portal (issue 17): 404, nothing written.
                response = self.url_open(
                    f"/my/key-results/{record.id}/grade",
                    data={
                        "grade": "1.0",
                        "grade_note": "From appraisal",
                        "form_key": f"wall-{record.id}-{strict}",
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(wm.SECRET, response.text)
            response = self.url_open(
                "/my/okrs/reminders",
                data={"optout": "1", "csrf_token": http.Request.csrf_token(self)},
            )
            self.assertNotIn(wm.SECRET, response.text)
            # The retrospective form of the portal: 404, nothing written.
            for record in self.wall_objectives:
                response = self.url_open(
                    f"/my/okrs/{record.id}/retrospective",
                    data={
                        "what_learned": "Appraisal note",
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(wm.SECRET, response.text)
            self.assertFalse(
                self.env["okr.retrospective"].search(
                    [("what_learned", "=", "Appraisal note")]
                )
            )
            # The portal chatter of the objective pages (issue 17): nothing
            # read, nothing posted, whatever token comes along.
            for record in self.wall_objectives:
                for route, params in wm.chatter_routes(record):
                    with self.subTest(route=route, record=record.id, strict=strict):
                        response = self.url_open(
                            route,
                            data=json.dumps({"params": params}),
                            headers={"Content-Type": "application/json"},
                        )
                        self.assertLess(response.status_code, 500)
                        self.assertNotIn(wm.SECRET, response.text)
                        error = (response.json() or {}).get("error")
                        if error:
                            # A refusal, not a crash.
                            self.assertIn(
                                error["data"]["name"], wm.CHATTER_REFUSALS, error
                            )
        self.assertFalse(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "okr.objective"),
                    ("res_id", "in", self.wall_objectives.ids),
                    ("author_id", "=", self.user_hr.partner_id.id),
                ]
            ),
            "appraisal staff posted on an OKR",
        )
        self.assertFalse(
            self.wall_key_results.filtered("is_grade_overridden"),
            "appraisal staff graded an OKR",
        )
