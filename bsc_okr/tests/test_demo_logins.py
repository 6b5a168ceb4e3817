"""The six demo logins of the README: each logs in with its password and
reaches its main screen, which shows its part of the Harbour Toys story.

These tests read the demo data on purpose (they check that the demo works as
the guide tells it) and are skipped in a database without it.
"""

from urllib.parse import urlparse

from markupsafe import escape

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException, get_db_name

DEMO_LOGINS = ("admin", "ceo", "manager", "employee", "hr", "portal")


class DemoCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.demo_scorecard = cls.env.ref(
            "bsc_okr.bsc_scorecard_harbour_toys_demo", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.demo_scorecard:
            self.skipTest("bsc_okr was installed without its demo data")

    def login(self, login):
        """Log in through the web client's route, with the real password check."""
        result = self.make_jsonrpc_request(
            "/web/session/authenticate",
            {"db": get_db_name(), "login": login, "password": login},
        )
        user = self.env["res.users"].search([("login", "=", login)])
        self.assertEqual(result["uid"], user.id, f"{login} could not log in")
        return user

    def call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def load_action(self, xmlid):
        return self.make_jsonrpc_request("/web/action/load", {"action_id": xmlid})

    def app_sections(self):
        """Names of the sections of the Strategy & OKR app in the user's menu."""
        menus = self.url_open("/web/webclient/load_menus/1").json()
        root = self.env.ref("bsc_okr.bsc_okr_menu_root")
        self.assertIn(str(root.id), menus, "the app is not in the user's menu")
        return {menus[str(child)]["name"] for child in menus[str(root.id)]["children"]}

    def strategy_map(self):
        data = self.call(
            "bsc.scorecard", "get_strategy_map_data", [self.demo_scorecard.id]
        )
        self.assertEqual(data["scorecard"]["name"], "Harbour Toys Strategy")
        return data


@tagged("post_install", "-at_install")
class TestDemoLogins(DemoCase):
    """Per role: log in, open the main screen, find the story in it."""

    def test_admin_configures_the_wall_and_management_modes(self):
        self.login("admin")
        self.assertIn("Configuration", self.app_sections())
        action = self.load_action("bsc_okr.res_config_settings_action_bsc_okr")
        self.assertEqual(action["res_model"], "res.config.settings")
        settings_id = self.call("res.config.settings", "create", {})
        [settings] = self.call(
            "res.config.settings",
            "read",
            [settings_id],
            ["okr_strict_appraisal_wall", "okr_stale_days"],
        )
        self.assertTrue(settings["okr_strict_appraisal_wall"])
        self.assertEqual(settings["okr_stale_days"], 14)
        action = self.load_action("bsc_okr.hr_department_action_management_mode")
        modes = {
            row["name"]: row["management_mode"]
            for row in self.call(
                action["res_model"],
                "search_read",
                [("company_id.name", "=", "Harbour Toys Ltd")],
                ["name", "management_mode"],
            )
        }
        self.assertEqual(modes["Finance"], "bsc")
        self.assertEqual(modes["Production"], "both")
        self.assertEqual(modes["R&D"], "okr")
        self.assertEqual(modes["Management"], "both")

    def test_ceo_reads_the_strategy_map_and_decides(self):
        self.login("ceo")
        sections = self.app_sections()
        self.assertTrue({"Strategy", "OKR", "Learning", "Reporting"} <= sections)
        action = self.load_action("bsc_okr.bsc_strategy_map_action")
        self.assertEqual(action["type"], "ir.actions.client")
        data = self.strategy_map()
        self.assertEqual(
            [p["kind"] for p in data["perspectives"]],
            ["financial", "customer", "process", "learning"],
            "the map is drawn with Financial on top",
        )
        self.assertEqual(len(data["objectives"]), 12)
        self.assertGreaterEqual(len(data["links"]), 12)
        self.assertEqual({t["name"] for t in data["themes"]}, {"Scale", "Innovation"})
        self.assertTrue(all(o["status"] for o in data["objectives"]))
        # Her approvals: the Black Technology Learning Plan waits for her.
        ceo = self.env.ref("bsc_okr.user_ceo_demo")
        requests = self.call(
            "okr.approval.request",
            "search_read",
            [("state", "=", "pending"), ("approver_user_ids", "in", [ceo.id])],
            ["res_name"],
        )
        self.assertIn(
            "Black Technology Learning Plan", [r["res_name"] for r in requests]
        )

    def test_manager_sees_his_okrs_and_his_learning_plan(self):
        user = self.login("manager")
        self.assertNotIn("Configuration", self.app_sections())
        action = self.load_action("bsc_okr.okr_objective_action")
        names = [
            row["name"]
            for row in self.call(
                action["res_model"],
                "web_search_read",
                [("owner_user_id", "=", user.id), ("cycle_id.state", "=", "running")],
                specification={"name": {}},
            )["records"]
        ]
        self.assertIn("Cut waste on the moulding lines", names)
        plans = self.call(
            "okr.learning.plan",
            "search_read",
            [("name", "=", "Lean Learning Plan")],
            ["state", "finding_ids"],
        )
        self.assertEqual(plans[0]["state"], "learn")
        self.assertTrue(plans[0]["finding_ids"])

    def test_employee_checks_in_on_the_key_results_she_serves(self):
        self.login("employee")
        self.assertNotIn("Configuration", self.app_sections())
        action = self.load_action("bsc_okr.okr_key_result_action")
        krs = self.call(
            action["res_model"],
            "search_read",
            [("contributor_ids.user_id.login", "=", "employee")],
            ["name", "current_value"],
        )
        self.assertIn("Scrap rate", [kr["name"] for kr in krs])
        # Transparency: every employee reads the active strategy map.
        self.assertEqual(len(self.strategy_map()["objectives"]), 12)

    def test_hr_reads_the_map_but_only_her_own_okrs(self):
        user = self.login("hr")
        action = self.load_action("bsc_okr.okr_objective_action")
        owners = {
            row["owner_user_id"][0]
            for row in self.call(
                action["res_model"], "search_read", [], ["owner_user_id"]
            )
        }
        self.assertEqual(owners, {user.id}, "the appraisal wall: her own OKRs only")
        self.assertEqual(len(self.strategy_map()["objectives"]), 12)
        kenneth = self.env.ref("bsc_okr.okr_objective_production_waste_demo")
        with self.assertRaises(JsonRpcException):
            self.call("okr.objective", "read", [kenneth.id], ["grade"])

    def test_portal_user_reaches_the_portal_only(self):
        self.login("portal")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Ho Ka Yan", response.text)
        response = self.url_open("/odoo/action-bsc_okr.bsc_strategy_map_action")
        self.assertEqual(
            urlparse(response.url).path, "/my", "portal users never reach the back end"
        )
        # He checks in on the company's changeover key result as a contributor.
        checkins = self.call(
            "okr.checkin",
            "search_read",
            [
                (
                    "key_result_id.name",
                    "=",
                    "Average changeover time on the moulding lines",
                )
            ],
            ["value", "author_id"],
        )
        self.assertIn(30.0, [c["value"] for c in checkins])

    def test_portal_user_reads_his_okrs(self):
        user = self.login("portal")
        response = self.url_open("/my/okrs")
        if response.status_code == 404:
            self.skipTest("the portal page /my/okrs is not in this build")
        self.assertEqual(response.status_code, 200)
        owned = self.env["okr.objective"].search(
            [
                ("owner_user_id", "=", user.id),
                ("cycle_id.state", "=", "running"),
                ("cycle_id.cycle_type", "!=", "month"),
            ]
        )
        self.assertTrue(owned, "the demo gives the portal login OKRs of his own")
        for objective in owned:
            self.assertIn(str(escape(objective.name)), response.text)

    def test_every_demo_password_equals_the_login(self):
        for login in DEMO_LOGINS:
            with self.subTest(login=login):
                self.login(login)


@tagged("post_install", "-at_install")
class TestDemoZhTw(DemoCase):
    """The demo story in Traditional Chinese: the admin's language is zh_TW."""

    def test_admin_reads_the_menu_and_the_strategy_map_in_zh_tw(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"].search(
            [("name", "=", "bsc_okr")]
        )._update_translations(filter_lang=["zh_TW"], overwrite=True)
        menu = self.env.ref("bsc_okr.bsc_strategy_map_menu")
        self.assertEqual(menu.with_context(lang="zh_TW").name, "戰略地圖")
        self.env.ref("base.user_admin").lang = "zh_TW"
        self.start_tour("/odoo", "bsc_okr_demo_zh_tw_tour", login="admin")
