"""Comments and grading on the portal's objective page (issue 17, items 5
and 6).

The chatter is Odoo's own (``portal.message_thread``); its JSON routes ask
``okr.objective._get_thread_with_access``, which keeps to the user's record
rules: the owner, the manager and readers post and read, a colleague and
appraisal staff get 404 or nothing, a forged token opens nothing.
"""

import json

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_portal import PortalCase

#: The chatter routes a portal page calls, with what each one needs.
CHATTER_ROUTES = (
    "/portal/chatter_init",
    "/mail/chatter_fetch",
    "/mail/message/post",
    "/mail/thread/data",
)


class ChatterCase(PortalCase):
    def rpc(self, route, **params):
        """``(status, result, error)`` of a JSON route: never raises, so a
        refusal can be told from a crash (a 500 or an error named
        otherwise)."""
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            return response.status_code, None, None
        body = response.json()
        return 200, body.get("result"), body.get("error")

    def post_comment(self, objective, body, **kw):
        return self.rpc(
            "/mail/message/post",
            thread_model="okr.objective",
            thread_id=objective.id,
            post_data={
                "body": body,
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            **kw,
        )

    def fetch(self, objective, **kw):
        return self.rpc(
            "/mail/chatter_fetch",
            thread_model="okr.objective",
            thread_id=objective.id,
            **kw,
        )

    def comments(self, objective):
        return self.env["mail.message"].search(
            [
                ("model", "=", "okr.objective"),
                ("res_id", "=", objective.id),
                ("message_type", "=", "comment"),
            ]
        )

    def fetched_bodies(self, result):
        return " ".join(m["body"] for m in result["data"]["mail.message"])

    def assertRefused(self, status, result, error, msg=None):
        """A refusal: 404/403 as a status or as a JSON error of that kind,
        never a server error and never a result."""
        if status != 200:
            self.assertIn(status, (403, 404), msg)
            return
        self.assertIsNone(result, msg)
        self.assertTrue(error, msg)
        name = error["data"]["name"]
        self.assertIn(
            name,
            ("werkzeug.exceptions.NotFound", "werkzeug.exceptions.Forbidden"),
            msg,
        )


@tagged("post_install", "-at_install")
class TestPortalChatter(ChatterCase):
    def test_owner_posts_and_reads(self):
        self.login(self.user_portal)
        page = self.get(f"/my/okrs/{self.obj_portal.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-res_model="okr.objective"', page.text)
        self.assertIn(f'data-res_id="{self.obj_portal.id}"', page.text)
        status, result, error = self.rpc(
            "/portal/chatter_init",
            thread_model="okr.objective",
            thread_id=self.obj_portal.id,
        )
        self.assertEqual((status, error), (200, None))
        status, result, error = self.post_comment(
            self.obj_portal, "Moulds checked on line 2"
        )
        self.assertEqual((status, error), (200, None))
        message = self.comments(self.obj_portal)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.user_portal.partner_id)
        status, result, error = self.fetch(self.obj_portal)
        self.assertEqual((status, error), (200, None))
        self.assertIn("Moulds checked on line 2", self.fetched_bodies(result))

    def test_manager_reads_and_posts(self):
        self.login(self.user_portal)
        self.post_comment(self.obj_portal, "First pass done")
        self.login(self.user_manager)
        self.assertEqual(self.get(f"/my/okrs/{self.obj_portal.id}").status_code, 200)
        status, result, error = self.fetch(self.obj_portal)
        self.assertEqual((status, error), (200, None))
        self.assertIn("First pass done", self.fetched_bodies(result))
        status, result, error = self.post_comment(
            self.obj_portal, "Good, try line 3 too"
        )
        self.assertEqual((status, error), (200, None))
        self.assertEqual(len(self.comments(self.obj_portal)), 2)
        # The owner reads the manager's answer.
        self.login(self.user_portal)
        status, result, error = self.fetch(self.obj_portal)
        self.assertIn("Good, try line 3 too", self.fetched_bodies(result))

    def test_reader_without_write_rights_posts(self):
        """The owner of one of its key results reads the objective but may
        not edit it; they may still comment: posting asks for read access,
        like the page."""
        self.env["okr.key.result"].create(
            {
                "objective_id": self.obj_portal.id,
                "name": "Mould audits",
                "owner_id": self.emp_employee.id,
                "target_value": 4,
            }
        )
        objective = self.obj_portal.with_user(self.user_employee)
        self.assertTrue(objective.has_access("read"))
        self.assertFalse(objective.has_access("write"))
        self.login(self.user_employee)
        status, result, error = self.post_comment(self.obj_portal, "Audit booked")
        self.assertEqual((status, error), (200, None))
        self.assertEqual(len(self.comments(self.obj_portal)), 1)

    def test_colleague_and_appraisal_staff_get_nothing(self):
        self.login(self.user_portal)
        self.post_comment(self.obj_portal, "Secret mould supplier price")
        for user in (self.user_portal2, self.user_peer, self.user_hr):
            self.login(user)
            page = self.get(f"/my/okrs/{self.obj_portal.id}")
            self.assertEqual(page.status_code, 404, user.login)
            self.assertNoData(page, "Fewer broken moulds", "Secret mould")
            for extra in (
                {},
                {"token": "forged"},
                {"hash": "forged", "pid": user.partner_id.id},
                {"token": "", "hash": "", "pid": ""},
            ):
                msg = (user.login, extra)
                self.assertRefused(
                    *self.post_comment(self.obj_portal, "Hijack", **extra), msg
                )
                self.assertRefused(
                    *self.rpc(
                        "/portal/chatter_init",
                        thread_model="okr.objective",
                        thread_id=self.obj_portal.id,
                        **extra,
                    ),
                    msg,
                )
                status, result, error = self.fetch(self.obj_portal, **extra)
                if extra.get("token"):
                    self.assertRefused(status, result, error, msg)
                else:
                    # The user's own search: no message of another's objective.
                    self.assertEqual((status, error), (200, None), msg)
                    self.assertNotIn("Secret mould", json.dumps(result), msg)
                status, result, error = self.rpc(
                    "/mail/thread/data",
                    thread_model="okr.objective",
                    thread_id=self.obj_portal.id,
                    request_list=["followers", "attachments"],
                    **extra,
                )
                self.assertEqual((status, error), (200, None), msg)
                self.assertNotIn("Fewer broken moulds", json.dumps(result), msg)
        self.assertEqual(
            self.comments(self.obj_portal).mapped("body"),
            ["<p>Secret mould supplier price</p>"],
        )

    def test_bad_thread_ids(self):
        """Ids that are no objective, or no id at all: a refusal, not a 500."""
        self.login(self.user_portal)
        for thread_id in (0, -1, 10**9, "abc", None, [self.obj_portal.id], True):
            self.assertRefused(
                *self.rpc(
                    "/mail/message/post",
                    thread_model="okr.objective",
                    thread_id=thread_id,
                    post_data={"body": "x", "message_type": "comment"},
                ),
                thread_id,
            )
        self.assertFalse(self.comments(self.obj_portal))

    def test_public_visitor(self):
        self.authenticate(None, None)
        self.assertRefused(*self.post_comment(self.obj_portal, "Spam"))
        self.assertRefused(*self.post_comment(self.obj_portal, "Spam", token="x"))
        self.assertFalse(self.comments(self.obj_portal))

    def test_notification_link_opens_the_portal_page(self):
        action = self.obj_portal._get_access_action(access_uid=self.user_portal.id)
        self.assertEqual(action["url"], f"/my/okrs/{self.obj_portal.id}")
        action = self.obj_portal._get_access_action(access_uid=self.user_manager.id)
        self.assertEqual(action["type"], "ir.actions.act_window")


@tagged("post_install", "-at_install")
class TestPortalChatterTour(ChatterCase):
    browser_size = "375x812"
    touch_enabled = True

    def test_tour_comment_on_a_phone(self):
        self.start_tour(
            f"/my/okrs/{self.obj_portal.id}",
            "bsc_okr_portal_chatter_tour",
            login="t_portal",
        )
        message = self.comments(self.obj_portal)
        self.assertEqual(len(message), 1)
        self.assertIn("Line 2 moulds all checked", message.body)
        self.assertEqual(message.author_id, self.user_portal.partner_id)


class GradingCase(ChatterCase):
    def grade(self, key_result, grade, note="", **extra):
        return self.post(
            f"/my/key-results/{key_result.id}/grade",
            {"grade": grade, "grade_note": note, **extra},
        )

    def assertUngraded(self, key_result):
        key_result.invalidate_recordset()
        self.assertFalse(key_result.is_grade_overridden)
        self.assertFalse(key_result.grade_note)


@tagged("post_install", "-at_install")
class TestPortalGrading(GradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._checkin(cls.kr_portal, 40, user=cls.user_portal)

    def test_outside_the_window(self):
        self.login(self.user_portal)
        page = self.get(f"/my/okrs/{self.obj_portal.id}")
        self.assertNotIn("o_okr_grade_form", page.text)
        response = self.grade(self.kr_portal, "0.7", "Strike")
        self.assertEqual(response.status_code, 200)
        self.assertIn("while the cycle is being graded", response.text)
        self.assertUngraded(self.kr_portal)
        # The back end asks the same rule.
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.kr_portal.with_user(self.user_portal)._okr_give_grade(0.7, "x")
        self.assertUngraded(self.kr_portal)

    def test_owner_grades_in_the_window(self):
        self.cycle.action_start_grading()
        self.login(self.user_portal)
        page = self.get(f"/my/okrs/{self.obj_portal.id}")
        self.assertIn("o_okr_grade_form", page.text)
        self.assertIn("0.40", page.text)
        response = self.grade(self.kr_portal, "0.8", "The supplier strike ended early")
        self.assertIn("Your grade was saved.", response.text)
        self.kr_portal.invalidate_recordset()
        self.assertTrue(self.kr_portal.is_grade_overridden)
        self.assertEqual(self.kr_portal.grade, 0.8)
        self.assertEqual(self.obj_portal.grade, 0.8)
        # Back to the measured grade: no reason needed, the override goes.
        response = self.grade(self.kr_portal, "0.4")
        self.assertIn("Your grade was saved.", response.text)
        self.kr_portal.invalidate_recordset()
        self.assertFalse(self.kr_portal.is_grade_overridden)
        self.assertEqual(self.kr_portal.grade, 0.4)

    def test_bad_grades(self):
        self.cycle.action_start_grading()
        self.login(self.user_portal)
        for raw in ("nan", "NaN", "inf", "-inf", "1e999", "1.5", "-0.1", "abc", ""):
            with self.subTest(raw=raw):
                response = self.grade(self.kr_portal, raw, "A reason")
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_okr_grade_form", response.text)
                self.assertNotIn("Your grade was saved.", response.text)
                self.assertUngraded(self.kr_portal)
        # A grade other than the measured one needs its reason.
        response = self.grade(self.kr_portal, "0.9", "  ")
        self.assertIn("Say why you override the grade", response.text)
        self.assertUngraded(self.kr_portal)
        # A list instead of a value, and smuggled fields: nothing written.
        response = self.grade(self.kr_portal, "0.9", "x", is_grade_overridden="1")
        self.assertIn("were ignored", response.text)
        # The back end refuses the same values (one rule).
        kr = self.kr_portal.with_user(self.user_portal)
        for value in (float("nan"), float("inf"), 1.01, -1, True, "0.5", None):
            with self.subTest(value=value):
                with self.assertRaises(ValidationError), self.env.cr.savepoint():
                    kr._okr_give_grade(value, "A reason")

    def test_other_peoples_key_results(self):
        self.cycle.action_start_grading()
        # A colleague contributing to the key result reads it, but may not
        # grade it: a form error, nothing written.
        self.kr_portal.contributor_ids = [Command.link(self.emp_portal2.id)]
        self.login(self.user_portal2)
        response = self.grade(self.kr_portal, "1.0", "Mine now")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only the owner of a key result", response.text)
        self.assertUngraded(self.kr_portal)
        # Those who cannot read it: 404 and none of its data.
        for user in (self.user_peer, self.user_hr):
            self.login(user)
            for kr in (self.kr_portal, self.kr_employee):
                response = self.grade(kr, "1.0", "Hijack")
                self.assertEqual(response.status_code, 404, user.login)
                self.assertNoData(response, "Fewer broken moulds", "Halve changeover")
        response = self.post("/my/key-results/999999999/grade", {"grade": "1"})
        self.assertEqual(response.status_code, 404)
        self.assertUngraded(self.kr_portal)
        self.assertUngraded(self.kr_employee)

    def test_objective_that_did_not_run(self):
        self.cycle.action_start_grading()
        self.login(self.user_employee)
        response = self.grade(self.kr_draft, "0.5", "Never started")
        self.assertIn("Only objectives that ran are graded", response.text)
        self.assertUngraded(self.kr_draft)
        # The back-end form's write asks the same rule.
        with self.assertRaises(UserError) as refusal, self.env.cr.savepoint():
            self.kr_draft.with_user(self.user_employee).write(
                {
                    "is_grade_overridden": True,
                    "grade_override": 0.5,
                    "grade_note": "Never started",
                }
            )
        self.assertIn("Only objectives that ran", str(refusal.exception))
        self.assertUngraded(self.kr_draft)

    def test_manager_grades_the_team(self):
        """The manager may edit the team's key results in the back end, so
        the same rule lets them grade from the portal."""
        self.cycle.action_start_grading()
        self.login(self.user_manager)
        response = self.grade(self.kr_portal, "0.5", "Counted the spare moulds")
        self.assertIn("Your grade was saved.", response.text)
        self.kr_portal.invalidate_recordset()
        self.assertEqual(self.kr_portal.grade, 0.5)


@tagged("post_install", "-at_install")
class TestPortalGradingTour(GradingCase):
    browser_size = "375x812"
    touch_enabled = True

    def test_tour_comment_and_grade_on_a_phone(self):
        self._checkin(self.kr_portal, 40, user=self.user_portal)
        self.cycle.action_start_grading()
        self.start_tour(
            f"/my/okrs/{self.obj_portal.id}",
            "bsc_okr_portal_chatter_grading_tour",
            login="t_portal",
        )
        self.assertIn("Line 2 moulds all checked", self.comments(self.obj_portal).body)
        self.kr_portal.invalidate_recordset()
        self.assertEqual(self.kr_portal.grade, 0.8)
        self.assertEqual(
            self.kr_portal.grade_note, "Fewer moulds broke than we measured"
        )
