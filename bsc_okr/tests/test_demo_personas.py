"""Each demo login as a new user meets it: the login form of /web/login, the
landing screen, that persona's own records on it, and the first thing the
README promises. Reads the demo data on purpose (skipped without it)."""

import re
from urllib.parse import urlparse

from markupsafe import escape

from odoo.tests import tagged

from .test_demo_logins import DemoCase


@tagged("post_install", "-at_install")
class TestDemoPersonas(DemoCase):
    def web_login(self, login):
        """Log in as a person does: the form, its CSRF token, the password."""
        self.url_open("/web/session/logout")
        page = self.url_open("/web/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/web/login",
            data={"login": login, "password": login, "csrf_token": token},
        )
        self.assertEqual(response.status_code, 200)
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(self.session_uid(), user.id, f"{login} could not log in")
        return user, response

    def session_uid(self):
        return self.make_jsonrpc_request("/web/session/get_session_info", {})["uid"]

    def landing(self, xmlid):
        """The home action of the logged-in user: the one named ``xmlid``."""
        info = self.make_jsonrpc_request("/web/session/get_session_info", {})
        expected = self.env.ref(xmlid)
        self.assertEqual(info["home_action_id"], expected.id)
        return self.load_action(info["home_action_id"])

    def own_records(self, action, user):
        return self.call(
            action["res_model"],
            "web_search_read",
            [("owner_user_id", "=", user.id), ("cycle_id.state", "=", "running")],
            specification={"name": {}, "level": {}},
        )["records"]

    def test_employee_writes_an_okr_and_checks_in(self):
        user, _response = self.web_login("employee")
        action = self.landing("bsc_okr.okr_objective_action")
        own = self.own_records(action, user)
        self.assertIn("Plan the moulding lines a week ahead", [r["name"] for r in own])
        self.assertIn("individual", [r["level"] for r in own])
        # New, a title, Save: the defaults hold.
        defaults = self.call(
            "okr.objective",
            "default_get",
            ["cycle_id", "level", "owner_id", "company_id", "okr_type", "visibility"],
        )
        objective_id = self.call(
            "okr.objective", "create", dict(defaults, name="Freeze the plan on Friday")
        )
        [created] = self.call(
            "okr.objective", "read", [objective_id], ["level", "department_id"]
        )
        self.assertEqual(created["level"], "individual")
        self.assertEqual(created["department_id"][1], "Management / Production")
        kr = self.env.ref("bsc_okr.okr_kr_ada_chan_frozen_demo")
        self.call(
            "okr.checkin",
            "create",
            {"key_result_id": kr.id, "value": 70, "confidence": 7},
        )
        self.assertEqual(kr.checkin_ids[:1].author_id, user)

    def test_manager_approves_his_team(self):
        user, _response = self.web_login("manager")
        action = self.landing("bsc_okr.okr_objective_action_team")
        self.assertEqual(action["res_model"], "okr.objective")
        team = self.call(
            "okr.objective",
            "web_search_read",
            [("in_my_team", "=", True), ("cycle_id.state", "=", "running")],
            specification={"name": {}},
        )["records"]
        self.assertIn("Plan the moulding lines a week ahead", [r["name"] for r in team])
        ada = self.env.ref("bsc_okr.hr_employee_ada_chan_demo")
        draft = (
            self.env["okr.objective"]
            .with_user(ada.user_id)
            .create({"name": "Two changeovers a shift"})
        )
        self.env["okr.key.result"].with_user(ada.user_id).create(
            {
                "objective_id": draft.id,
                "name": "Changeovers a shift",
                "start_value": 1,
                "target_value": 2,
            }
        )
        draft.with_user(ada.user_id).action_submit()
        pending = self.call(
            "okr.approval.request",
            "search_read",
            [("state", "=", "pending"), ("approver_user_ids", "in", [user.id])],
            ["res_id"],
        )
        self.assertIn(draft.id, [r["res_id"] for r in pending])
        self.call("okr.objective", "action_approve", [draft.id])
        self.assertEqual(draft.state, "approved")

    def test_ceo_and_admin_land_on_the_strategy_map(self):
        for login in ("ceo", "admin"):
            with self.subTest(login=login):
                self.web_login(login)
                action = self.landing("bsc_okr.bsc_strategy_map_action")
                self.assertEqual(action["type"], "ir.actions.client")
                self.assertEqual(len(self.strategy_map()["objectives"]), 12)
        self.web_login("ceo")
        response = self.url_open(
            f"/report/xlsx/bsc_okr.scorecard_xlsx/{self.demo_scorecard.id}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK", "an Excel workbook")

    def test_hr_lands_on_the_kpi_sheets_and_sees_no_okr(self):
        user, _response = self.web_login("hr")
        action = self.landing("bsc_okr.bsc_kpi_sheet_action")
        sheets = self.call(
            action["res_model"],
            "web_search_read",
            [],
            specification={"display_name": {}},
        )["records"]
        self.assertTrue(sheets, "the KPI sheets of the demo")
        self.call(action["res_model"], "get_views", [[False, "form"]])
        others = self.call(
            "okr.objective", "search_count", [("owner_user_id", "!=", user.id)]
        )
        self.assertEqual(others, 0, "the appraisal login sees no other OKR")

    def test_portal_writes_an_okr_from_my(self):
        user, response = self.web_login("portal")
        self.assertEqual(urlparse(response.url).path, "/my")
        page = self.url_open("/my/okrs")
        for name in ("Line 3: no broken moulds",):
            self.assertIn(str(escape(name)), page.text)
        form = self.url_open("/my/okrs/new")
        self.assertEqual(form.status_code, 200)
        cycle = self.env.ref("bsc_okr.okr_cycle_current_demo")
        self.assertRegex(form.text, rf'value="{cycle.id}" selected')
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        key = re.search(r'name="form_key" value="([^"]+)"', form.text).group(1)
        response = self.url_open(
            "/my/okrs/new",
            data={
                "csrf_token": token,
                "form_key": key,
                "cycle_id": str(cycle.id),
                "name": "Line 3: checklist on every shift",
            },
        )
        self.assertEqual(response.status_code, 200)
        created = self.env["okr.objective"].search(
            [
                ("owner_user_id", "=", user.id),
                ("name", "=", "Line 3: checklist on every shift"),
            ]
        )
        self.assertEqual(created.level, "individual")
        self.assertEqual(created.cycle_id, cycle)
