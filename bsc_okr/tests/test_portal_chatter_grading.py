"""Comments and grading on the portal's objective page (issue 17, items 5
and 6).

The chatter is Odoo's own (``portal.message_thread``); its JSON routes ask
``okr.objective._get_thread_with_access``, which keeps to the user's record
rules: the owner, the manager and readers post and read, a colleague and
appraisal staff get 404 or nothing, a forged token opens nothing.
"""

import json

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
