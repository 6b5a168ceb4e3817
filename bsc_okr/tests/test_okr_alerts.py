"""Alerts (issue 16, item 4) and "your approval is waited for" (item 1).

Q1 2026 of the OKR fixtures runs; on 2026-02-16 about half of it is gone,
so a key result at 50 % with a confidence of 7 is on track, at 10 % off
track. Every test starts from the alerts' baseline: what the fixtures stand
at was seen already. The employee and the portal worker report to the
manager (who reads their OKRs, and gets messages in the inbox); the HR
officer (KPI appraisal) reports to the CEO and must never hear of any of it.
"""

from collections import Counter
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .. import hooks
from ..models import okr_key_result
from .okr_common import IN_Q1, OkrCase

ALERT = "OKR alert: "
WAITING = "Your approval is waited for: "


class AlertCase(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.obj_portal = cls._make_objective(cls.emp_portal, "Fewer broken moulds")
        cls._activate(cls.obj_portal)
        cls.kr_portal = cls.obj_portal.key_result_ids
        cls.user_manager.notification_type = "inbox"
        cls.people = (
            cls.user_ceo
            | cls.user_manager
            | cls.user_employee
            | cls.user_portal
            | cls.user_peer
            | cls.user_hr
        )

    def setUp(self):
        super().setUp()
        # The baseline, as the installation sets it (post_init_hook).
        with freeze_time(IN_Q1):
            self.env["okr.key.result"]._okr_refresh_track_status()
            hooks.post_init_hook(self.env)

    def _run(self, day=IN_Q1):
        with freeze_time(day):
            self.env["okr.key.result"]._cron_send_alerts()
        self.env.invalidate_all()

    def _messages(self, prefix, user=None, model="res.partner"):
        return self.env["mail.message"].search(
            [
                ("model", "=", model),
                ("message_type", "=", "user_notification"),
                ("subject", "=like", f"{prefix}%"),
                ("partner_ids", "in", (user or self.people).partner_id.ids),
            ]
        )

    def _alerts(self, user=None):
        return self._messages(ALERT, user)

    def _counts(self, messages):
        by_partner = Counter(p for message in messages for p in message.partner_ids)
        return {
            user: by_partner[user.partner_id]
            for user in self.people
            if by_partner[user.partner_id]
        }


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrAlerts(AlertCase):
    def test_off_track_turn_gives_one_message_to_owner_and_manager(self):
        kr = self.kr_employee
        self._checkin(kr, 50, user=self.user_employee)
        self.assertEqual(kr.track_status, "on_track")
        self._run()
        self.assertFalse(self._alerts(), "back on track: no alert")
        self._checkin(kr, 10, user=self.user_employee)
        self.assertEqual(kr.track_status, "off_track")
        self.assertFalse(self._alerts(), "nothing is sent inside the check-in")
        cron = self.env.ref("bsc_okr.okr_key_result_cron_alerts")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]),
            "the check-in started the alerts job",
        )
        self._run()
        self.assertEqual(
            self._counts(self._alerts()), {self.user_employee: 1, self.user_manager: 1}
        )
        self.assertEqual(str(kr.okr_off_track_date), IN_Q1)
        mine = self._alerts(self.user_employee)
        self.assertEqual(mine.subject, ALERT + kr.name)
        body = str(mine.body)
        self.assertIn("Your key result", body)
        self.assertIn("now off track", body)
        self.assertIn(f"/odoo/okr.objective/{kr.objective_id.id}", body)
        self.assertNotIn("/my/", body)
        self.assertEqual(mine.notification_ids.notification_type, "email")
        self.assertEqual(len(mine.mail_ids), 1, "queued, sent after the commit")
        self.assertIn(kr.name, mine.mail_ids.body_html)
        managers = self._alerts(self.user_manager)
        self.assertIn("of Employee's objective", str(managers.body))
        self.assertEqual(managers.notification_ids.notification_type, "inbox")
        # Reruns, the nightly refresh of the next day and a recompute
        # without change send nothing more.
        self._run()
        self._run("2026-02-17")
        kr._okr_refresh_track_status()
        self._run("2026-02-17")
        self.assertEqual(len(self._alerts()), 2)

    def test_recompute_without_change_sends_nothing(self):
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._checkin(self.kr_employee, 52, user=self.user_employee)
        self.kr_employee.modified(["progress"])
        self.env.flush_all()
        self._run()
        self._run("2026-02-18")
        self.assertFalse(self._alerts())

    def test_confidence_drop_below_threshold_none_at_threshold_one(self):
        self.assertEqual(self.company.okr_confidence_drop_threshold, 2)
        kr = self.kr_employee
        self._checkin(kr, 60, confidence=8, user=self.user_employee)
        below = self._checkin(kr, 60, confidence=7, user=self.user_employee)
        self.assertFalse(below.okr_alert_pending)
        self._run()
        self.assertFalse(self._alerts(), "1 point: below the threshold")
        at = self._checkin(kr, 60, confidence=5, user=self.user_employee)
        self.assertTrue(at.okr_alert_pending)
        self.assertEqual(kr.track_status, "on_track")
        self._run()
        self.assertFalse(at.okr_alert_pending)
        self.assertEqual(
            self._counts(self._alerts()), {self.user_employee: 1, self.user_manager: 1}
        )
        body = str(self._alerts(self.user_manager).body)
        self.assertIn("fell from 7 to 5 out of 10 (2 points)", body)
        self.assertNotIn("off track", body)
        self._run()
        self.assertEqual(len(self._alerts()), 2, "once")
        # The company's threshold decides: 3 points, a drop of 2 is quiet.
        self.company.okr_confidence_drop_threshold = 3
        self._checkin(kr, 60, confidence=3, user=self.user_employee)
        self._run()
        self.assertEqual(len(self._alerts()), 2)

    def test_drop_that_turns_off_track_is_one_message(self):
        kr = self.kr_employee
        self._checkin(kr, 60, confidence=8, user=self.user_employee)
        self._run()
        self._checkin(kr, 60, confidence=2, user=self.user_employee)
        self.assertEqual(kr.track_status, "off_track")
        self._run()
        self.assertEqual(
            self._counts(self._alerts()), {self.user_employee: 1, self.user_manager: 1}
        )
        body = str(self._alerts(self.user_employee).body)
        self.assertIn("now off track", body)
        self.assertIn("fell from 8 to 2", body)

    def test_portal_owner_links_into_my(self):
        kr = self.kr_portal
        self._checkin(kr, 50, user=self.user_portal)
        self._run()
        self._checkin(kr, 10, user=self.user_portal)
        self._run()
        body = str(self._alerts(self.user_portal).body)
        self.assertIn(f"/my/okrs/{self.obj_portal.id}", body)
        self.assertNotIn("/odoo/", body)
        self.assertIn(
            f"/odoo/okr.objective/{self.obj_portal.id}",
            str(self._alerts(self.user_manager).body),
        )

    def test_no_email_gets_the_inbox_message(self):
        self.user_employee.partner_id.email = False
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._run()
        self._checkin(self.kr_employee, 10, user=self.user_employee)
        self._run()
        message = self._alerts(self.user_employee)
        self.assertEqual(message.notification_ids.notification_type, "inbox")
        self.assertFalse(message.mail_ids)

    def test_broken_template_skips_that_person_only(self):
        template = self.env.ref("bsc_okr.mail_template_okr_alert")
        template.body_html = (
            "<p><t t-out=\"1 // (0 if okr_partner.name == 'T Employee' else 1)\"/>"
            " alert</p>"
        )
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._run()
        self._checkin(self.kr_employee, 10, user=self.user_employee)
        with self.assertLogs("odoo.addons.bsc_okr.models.okr_notify_mixin", "ERROR"):
            self._run()
        self.assertEqual(self._counts(self._alerts()), {self.user_manager: 1})
        self._run()
        self.assertEqual(len(self._alerts()), 1, "the change is not retried")

    def test_appraisal_officer_gets_nothing(self):
        # Their own key result turns off track: their manager hears of it.
        self._checkin(self.kr_hr, 50)
        self._run()
        self._checkin(self.kr_hr, 10)
        self._run()
        self.assertEqual(self._counts(self._alerts()), {self.user_ceo: 1})
        # As the manager of the employee: nothing either.
        self.emp_employee.parent_id = self.emp_hr
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._run()
        self._checkin(self.kr_employee, 10, user=self.user_employee)
        self._run()
        self.assertEqual(
            self._counts(self._alerts()), {self.user_ceo: 1, self.user_employee: 1}
        )
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.user_hr.partner_id.id)]
            )
        )

    def test_install_baseline_sends_nothing_for_the_past(self):
        # Data from before: a drop and a turn the alerts never saw.
        self._checkin(self.kr_employee, 60, confidence=8, user=self.user_employee)
        self._checkin(self.kr_employee, 10, confidence=3, user=self.user_employee)
        hooks.post_init_hook(self.env)
        self._run()
        self.assertFalse(self._alerts())

    def test_chunks_send_nothing_twice(self):
        for kr, user in (
            (self.kr_employee, self.user_employee),
            (self.kr_portal, self.user_portal),
            (self.kr_peer, self.user_peer),
        ):
            self._checkin(kr, 50, user=user)
        self._run()
        IrCron = type(self.env["ir.cron"])
        with (
            patch.object(okr_key_result, "ALERT_CHUNK", 1),
            patch.object(IrCron, "_notify_progress", autospec=True) as progress,
        ):
            for kr, user in (
                (self.kr_employee, self.user_employee),
                (self.kr_portal, self.user_portal),
                (self.kr_peer, self.user_peer),
            ):
                self._checkin(kr, 10, user=user)
            self._run()
            self.assertEqual(progress.call_args.kwargs, {"done": 1, "remaining": 2})
            while progress.call_args.kwargs["remaining"]:
                self._run()
            self._run()
        self.assertEqual(
            self._counts(self._alerts()),
            {
                self.user_employee: 1,
                self.user_portal: 1,
                self.user_manager: 2,
                self.user_peer: 1,
                self.user_ceo: 1,
            },
        )

    def test_cron_is_declared(self):
        cron = self.env.ref("bsc_okr.okr_key_result_cron_alerts")
        self.assertEqual(cron.model_id.model, "okr.key.result")
        self.assertIn("_cron_send_alerts", cron.code)
        self.assertTrue(cron.active)

    def test_rendered_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW"], overwrite=True
        )
        self.user_employee.partner_id.lang = "zh_TW"
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._run()
        self._checkin(self.kr_employee, 10, user=self.user_employee)
        self._run()
        message = self._messages("OKR 警示", self.user_employee)
        self.assertEqual(len(message), 1)
        body = str(message.body)
        self.assertIn(self.kr_employee.name, body)
        self.assertIn("偏離軌道", body)
        self.assertIn(f"/odoo/okr.objective/{self.obj_employee.id}", body)
        # The manager reads English.
        self.assertEqual(len(self._alerts(self.user_manager)), 1)


@tagged("post_install", "-at_install")
@freeze_time("2026-02-16 09:00:00")
class TestOkrApprovalWaiting(AlertCase):
    def _waiting(self, user=None):
        return self._messages(WAITING, user, model="okr.approval.request")

    def test_approver_gets_one_message(self):
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        draft.with_user(self.user_employee).action_submit()
        request = draft.approval_request_id
        self.assertEqual(self._counts(self._waiting()), {self.user_manager: 1})
        message = self._waiting(self.user_manager)
        self.assertEqual(message.res_id, request.id)
        self.assertEqual(message.subject, WAITING + "Halve scrap")
        body = str(message.body)
        self.assertIn("T Employee", body)
        self.assertIn("from Draft to Approved", body)
        self.assertIn(f"/odoo/okr.objective/{draft.id}", body)
        self.assertEqual(message.notification_ids.notification_type, "inbox")
        # The activity is still the approver's to-do, without Odoo's own
        # "assigned to you" message beside the template.
        self.assertEqual(draft.activity_ids.user_id, self.user_manager)
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("partner_ids", "in", self.user_manager.partner_id.ids),
                    ("subject", "ilike", "assigned to you"),
                ]
            )
        )

    def test_portal_requester(self):
        draft = self._make_objective(self.emp_portal, "Fewer rejects")
        draft.with_user(self.user_portal).action_submit()
        self.assertEqual(draft.state, "submitted")
        message = self._waiting(self.user_manager)
        self.assertEqual(len(message), 1)
        self.assertIn("T Portal", str(message.body))
        self.assertEqual(message.author_id, self.user_portal.partner_id)

    def test_escalation_tells_the_new_approver(self):
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        draft.with_user(self.user_employee).action_submit()
        with freeze_time("2026-02-23 09:00:00"):
            self.env["okr.approval.request"]._cron_escalate()
            self.env["okr.approval.request"]._cron_escalate()
        self.assertEqual(
            self._counts(self._waiting()), {self.user_manager: 1, self.user_ceo: 1}
        )

    def test_broken_template_skips_that_approver(self):
        template = self.env.ref("bsc_okr.mail_template_okr_approval_waiting")
        template.body_html = '<p><t t-out="1 // 0"/></p>'
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        with self.assertLogs("odoo.addons.bsc_okr.models.okr_notify_mixin", "ERROR"):
            draft.with_user(self.user_employee).action_submit()
        self.assertEqual(draft.state, "submitted", "the request stands")
        self.assertFalse(self._waiting())

    def test_appraisal_staff_never_get_it(self):
        # The HR officer's own submission goes to the CEO; they hear nothing.
        draft = self._make_objective(self.emp_hr, "Learn more")
        draft.with_user(self.user_hr).sudo().action_submit()
        self.assertNotIn(self.user_hr, self._counts(self._waiting()))
        # Asked directly, the message refuses them too (the wall).
        request = draft.approval_request_id.sudo()
        request._okr_notify_waiting(self.user_hr)
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.user_hr.partner_id.id)]
            )
        )

    def test_rendered_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW"], overwrite=True
        )
        self.user_manager.partner_id.lang = "zh_TW"
        draft = self._make_objective(self.emp_employee, "Halve scrap")
        draft.with_user(self.user_employee).action_submit()
        message = self._messages(
            "等待您審批", self.user_manager, "okr.approval.request"
        )
        self.assertEqual(len(message), 1)
        self.assertIn("Halve scrap", str(message.body))
        self.assertIn(f"/odoo/okr.objective/{draft.id}", str(message.body))
