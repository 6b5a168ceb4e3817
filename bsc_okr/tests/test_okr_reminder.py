"""The weekly check-in reminder: one mail.template message per person
(issue 16, item 2).

Q1 2026 of the OKR fixtures runs; every objective has one key result owned
by its owner. The employee owns two objectives, the portal worker one, the
manager and the CEO one each; the HR officer (KPI appraisal) owns one and
must never hear of it. The company keeps the defaults: reminders on Monday,
3 quiet days. 2026-02-16 is a Monday.
"""

import importlib.util
import re
from collections import Counter
from contextlib import suppress
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models import res_users
from .okr_common import OkrCase

SUBJECT = "Your weekly OKR check-in"
CHECKIN_ACTION = "action-bsc_okr.okr_key_result_action_checkin"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations" / "18.0.1.1.0"


class _Rollback(Exception):
    """Raised to roll a measured scenario back."""


class ReminderCase(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.obj_portal = cls._make_objective(cls.emp_portal, "Fewer broken moulds")
        cls._activate(cls.obj_portal)
        cls.kr_portal = cls.obj_portal.key_result_ids
        cls.kr_private = cls.obj_private.key_result_ids
        cls.kr_company = cls.obj_company.key_result_ids
        cls.user_manager.notification_type = "inbox"
        # Other companies (and any demo data) remind on Sundays, which the
        # tests never run: what is counted here is this company's.
        cls.env["res.company"].search(
            [("id", "!=", cls.company.id)]
        ).okr_reminder_weekday = "6"
        cls.people = (
            cls.user_ceo
            | cls.user_manager
            | cls.user_employee
            | cls.user_portal
            | cls.user_peer
            | cls.user_hr
        )

    def _run(self, day):
        with freeze_time(day):
            self.env["okr.objective"]._cron_checkin_reminders()
        self.env.invalidate_all()

    def _reminders(self, user=None):
        domain = [
            ("model", "=", "res.partner"),
            ("message_type", "=", "user_notification"),
            ("subject", "=", SUBJECT),
            ("partner_ids", "in", (user or self.people).partner_id.ids),
        ]
        return self.env["mail.message"].search(domain)

    def _counts(self):
        """``{user: reminders received}`` for the people of the fixtures."""
        by_partner = Counter(
            partner for message in self._reminders() for partner in message.partner_ids
        )
        return {
            user: by_partner[user.partner_id]
            for user in self.people
            if by_partner[user.partner_id]
        }


@tagged("post_install", "-at_install")
class TestOkrCheckinReminder(ReminderCase):
    def test_weeks_of_reminders(self):
        with freeze_time("2026-02-16"):
            self._checkin(self.kr_employee, 25, confidence=6, date="2026-02-10")
            self._checkin(self.kr_peer, 10, user=self.user_peer)
        self._run("2026-02-16")
        week1 = {
            self.user_ceo: 1,
            self.user_manager: 1,
            self.user_employee: 1,
            self.user_portal: 1,
        }
        self.assertEqual(
            self._counts(), week1, "the peer checked in; appraisal staff never"
        )
        # One message lists both key results of the employee, with their
        # last values and back-end links.
        body = str(self._reminders(self.user_employee).body)
        for key_result in self.kr_employee | self.kr_private:
            self.assertIn(key_result.name, body)
            self.assertIn(
                f"/odoo/okr.key.result/{key_result.id}/{CHECKIN_ACTION}", body
            )
        self.assertIn("last value 25, confidence 6/10", body)
        self.assertIn("last value 0, confidence 5/10", body)
        self.assertNotIn("/my/", body)
        self.assertEqual(
            self.user_employee.okr_checkin_reminder_date.isoformat(), "2026-02-16"
        )
        # The portal worker's links lead into /my.
        portal_body = str(self._reminders(self.user_portal).body)
        self.assertIn(self.kr_portal.name, portal_body)
        self.assertIn(f"/my/key-results/{self.kr_portal.id}/checkin", portal_body)
        self.assertNotIn("/odoo/", portal_body)
        self.assertNotIn(self.kr_employee.name, portal_body)
        # The same day again, and the rest of the week: nothing more.
        for day in ("2026-02-16", "2026-02-17", "2026-02-20"):
            self._run(day)
        self.assertEqual(self._counts(), week1)

        # Week 2: the employee checked in on everything on Friday and
        # Saturday, within the 3 quiet days: left in peace.
        with freeze_time("2026-02-20"):
            self._checkin(self.kr_employee, 30, user=self.user_employee)
        with freeze_time("2026-02-21"):
            self._checkin(self.kr_private, 5, user=self.user_employee)
        self._run("2026-02-23")
        week2 = {
            self.user_ceo: 2,
            self.user_manager: 2,
            self.user_employee: 1,
            self.user_portal: 2,
            self.user_peer: 1,
        }
        self.assertEqual(self._counts(), week2)

        # Week 3: the employee's check-ins are 9 days old: reminded.
        self._run("2026-03-02")
        self._run("2026-03-02")
        self.assertEqual(self._counts()[self.user_employee], 2)
        self.assertEqual(self._counts()[self.user_ceo], 3)
        self.assertNotIn(self.user_hr, self._counts())
        self.assertFalse(
            self.env["mail.notification"].search(
                [("res_partner_id", "=", self.user_hr.partner_id.id)]
            )
        )

    def test_delivery_follows_the_preference(self):
        self._run("2026-02-16")
        manager = self._reminders(self.user_manager)
        self.assertEqual(
            manager.notification_ids.mapped("notification_type"), ["inbox"]
        )
        employee = self._reminders(self.user_employee)
        self.assertEqual(
            employee.notification_ids.mapped("notification_type"), ["email"]
        )
        self.assertEqual(len(employee.mail_ids), 1, "queued, sent after the commit")

    def test_no_email_gets_the_inbox_message(self):
        self.user_portal.partner_id.email = False
        self.user_employee.partner_id.email = "not an address"
        self._run("2026-02-16")
        for user in (self.user_portal, self.user_employee):
            message = self._reminders(user)
            notification = message.notification_ids.filtered(
                lambda n, user=user: n.res_partner_id == user.partner_id
            )
            self.assertEqual(notification.notification_type, "inbox", user.name)
            self.assertFalse(message.mail_ids, user.name)
        # The ceo has an address: an e-mail.
        self.assertEqual(
            self._reminders(self.user_ceo).notification_ids.notification_type, "email"
        )

    def test_no_email_inbox_is_only_for_our_messages(self):
        """Other messages to a partner without address keep Odoo's way."""
        partner = self.user_portal.partner_id
        partner.email = False
        message = self.obj_company.message_notify(
            partner_ids=partner.ids, subject="Other", body="Other"
        )
        self.assertEqual(message.notification_ids.notification_type, "email")

    def test_weekday_is_the_companys(self):
        self.company.okr_reminder_weekday = "2"  # Wednesday
        self._run("2026-02-16")
        self._run("2026-02-17")
        self.assertFalse(self._counts())
        self._run("2026-02-18")
        self.assertEqual(len(self._counts()), 5)

    def test_quiet_days_are_the_companys(self):
        with freeze_time("2026-02-13"):  # Friday
            self._checkin(self.kr_employee, 30, user=self.user_employee)
            self._checkin(self.kr_private, 5, user=self.user_employee)
        self.company.okr_reminder_quiet_days = 2
        self._run("2026-02-16")
        self.assertIn(self.user_employee, self._counts(), "3 days > 2 quiet days")

    def test_opt_out_in_the_preferences(self):
        employee = self.user_employee.with_user(self.user_employee)
        employee.write({"okr_checkin_reminder_optout": True})
        self.assertTrue(employee.okr_checkin_reminder_optout)
        with self.assertRaises(AccessError):
            self.user_employee.with_user(self.user_peer).write(
                {"okr_checkin_reminder_optout": False}
            )
        arch = (
            self.env["res.users"]
            .with_user(self.user_employee)
            .get_view(self.env.ref("base.view_users_form_simple_modif").id)["arch"]
        )
        self.assertIn('name="okr_checkin_reminder_optout"', arch)
        self._run("2026-02-16")
        self.assertNotIn(self.user_employee, self._counts())
        self.assertIn(self.user_manager, self._counts())

    def test_broken_template_skips_that_person_only(self):
        template = self.env.ref("bsc_okr.mail_template_okr_checkin_reminder")
        template.body_html = (
            "<p><t t-out=\"1 // (0 if okr_partner.name == 'T Employee' else 1)\"/>"
            " check in</p>"
        )
        with self.assertLogs("odoo.addons.bsc_okr.models.okr_notify_mixin", "ERROR"):
            self._run("2026-02-16")
        counts = self._counts()
        self.assertNotIn(self.user_employee, counts)
        self.assertEqual(len(counts), 4, "the others are served")
        self.assertTrue(self.user_employee.okr_checkin_reminder_date, "not retried")

    def test_rendered_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.user_employee.partner_id.lang = "zh_TW"
        self._run("2026-02-16")
        message = self._reminders(self.user_employee)
        self.assertEqual(len(message), 1)
        body = str(message.body)
        self.assertIn(self.kr_employee.name, body)
        self.assertIn(CHECKIN_ACTION, body)
        self.assertRegex(body, "2026年0?2月16日", "the week in the reader's calendar")

    def test_chunks_and_a_crash_send_nothing_twice(self):
        IrCron = type(self.env["ir.cron"])
        Partner = type(self.env["res.partner"])
        send = Partner._okr_notify_template

        def crash_on_portal(partner, template, user, **kwargs):
            if user == self.user_portal:
                raise RuntimeError("worker killed")
            return send(partner, template, user, **kwargs)

        with (
            patch.object(res_users, "REMINDER_CHUNK", 1),
            patch.object(IrCron, "_notify_progress", autospec=True) as progress,
        ):
            self._run("2026-02-16")
            self.assertEqual(progress.call_args.kwargs, {"done": 1, "remaining": 4})
            # The chunk of the portal worker crashes: its transaction is
            # rolled back (here, its savepoint), then the job runs again.
            with (
                patch.object(Partner, "_okr_notify_template", crash_on_portal),
                self.assertRaises(RuntimeError),
            ):
                with freeze_time("2026-02-16"), self.env.cr.savepoint():
                    for _i in range(4):
                        self.env["okr.objective"]._cron_checkin_reminders()
            self.env.invalidate_all()
            while progress.call_args.kwargs["remaining"]:
                self._run("2026-02-16")
            self._run("2026-02-16")
            self.assertEqual(progress.call_args.kwargs, {"done": 0, "remaining": 0})
        self.assertEqual(
            self._counts(),
            {
                self.user_ceo: 1,
                self.user_manager: 1,
                self.user_employee: 1,
                self.user_peer: 1,
                self.user_portal: 1,
            },
        )

    def _queries_of_a_run(self, krs_per_person):
        """The queries of one run when the employee, the portal worker and
        the manager own ``krs_per_person`` more key results each."""
        with suppress(_Rollback), self.env.cr.savepoint():
            for employee in (self.emp_employee, self.emp_portal, self.emp_manager):
                self._activate(
                    self._make_objective(
                        employee,
                        "More",
                        krs=[
                            {"name": f"More {i}", "unit": "pcs", "target_value": 9}
                            for i in range(krs_per_person)
                        ],
                    )
                )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run("2026-02-16")
            self.env.flush_all()
            count = self.env.cr.sql_log_count - before
            self.assertEqual(len(self._counts()), 5)
            raise _Rollback()
        self.env.invalidate_all()
        return count

    def test_queries_grow_with_people_not_key_results(self):
        self._queries_of_a_run(1)  # warm the caches
        few, many = self._queries_of_a_run(2), self._queries_of_a_run(6)
        self.assertEqual(few, many)

    def test_cron_is_daily(self):
        cron = self.env.ref("bsc_okr.okr_objective_cron_checkin_reminder")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        # Databases of before keep their noupdate cron: the migration.
        cron.write({"interval_number": 1, "interval_type": "weeks"})
        path = MIGRATIONS / "post-50-remind-cron-daily.py"
        spec = importlib.util.spec_from_file_location("remind_cron_daily", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.0.0")
        cron.invalidate_recordset()
        self.assertEqual(cron.interval_type, "days")

    def test_cron_skips_when_another_worker_runs_it(self):
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                ["okr.objective.cron"],
            )
            self._run("2026-02-16")
            self.assertFalse(self._counts())
        finally:
            other.rollback()
            other.close()

    def test_back_end_link_opens_the_prefilled_check_in(self):
        self._checkin(self.kr_employee, 25, confidence=6, date="2026-02-10")
        url = self.kr_employee._okr_checkin_url(self.user_employee)
        self.assertTrue(
            url.endswith(f"/odoo/okr.key.result/{self.kr_employee.id}/{CHECKIN_ACTION}")
        )
        action_xmlid = CHECKIN_ACTION.removeprefix("action-")
        server_action = self.env.ref(action_xmlid).with_user(self.user_employee)
        action = server_action.with_context(active_id=self.kr_employee.id).run()
        self.assertEqual(action["res_model"], "okr.checkin.wizard")
        wizard = (
            self.env["okr.checkin.wizard"]
            .with_user(self.user_employee)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.line_ids.key_result_id, self.kr_employee)
        self.assertEqual(wizard.line_ids.value, 25)
        self.assertEqual(wizard.line_ids.confidence, 6)
        with self.assertRaises(UserError) as cm:
            server_action.with_context(active_id=999999999).run()
        self.assertIn("no longer exists", str(cm.exception))
        # Appraisal staff get no link, and the action opens nothing of others.
        with self.assertRaises(AccessError):
            server_action.with_user(self.user_hr).with_context(
                active_id=self.kr_employee.id
            ).run()
        with self.assertRaises(AccessError):
            self.env.ref(action_xmlid).with_user(self.user_portal).with_context(
                active_id=self.kr_portal.id
            ).run()


@tagged("post_install", "-at_install")
class TestOkrCheckinReminderPortal(ReminderCase, HttpCase):
    """The portal side: the prefilled check-in page of the link, and the
    opt-out button of /my/okrs."""

    def _csrf(self):
        page = self.url_open("/my/okrs")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def test_link_opens_the_prefilled_form(self):
        self._checkin(self.kr_portal, 37, confidence=4, date="2026-02-10")
        self.authenticate("t_portal", "t_portal")
        response = self.url_open(f"/my/key-results/{self.kr_portal.id}/checkin")
        self.assertEqual(response.status_code, 200)
        form = re.search(
            rf'<details[^>]*id="okr_checkin_{self.kr_portal.id}"[^>]*>', response.text
        )
        self.assertTrue(form, "the check-in of the link is on the page")
        self.assertIn("open", form.group(0))
        self.assertRegex(
            response.text,
            rf'id="checkin_{self.kr_portal.id}_value"[^>]*value="37(\.0)?"',
        )
        self.assertEqual(len(self.kr_portal.checkin_ids), 1, "a GET posts nothing")
        # Another person's key result: not found, nothing of it shown.
        response = self.url_open(f"/my/key-results/{self.kr_peer.id}/checkin")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.kr_peer.name, response.text)

    def test_opt_out_from_the_portal(self):
        self.authenticate("t_portal", "t_portal")
        self.assertIn("o_okr_reminder_off", self.url_open("/my/okrs").text)
        response = self.url_open(
            "/my/okrs/reminders", data={"optout": "1", "csrf_token": self._csrf()}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("no longer get the weekly check-in reminder", response.text)
        self.assertIn("o_okr_reminder_on", response.text)
        self.user_portal.invalidate_recordset()
        self.assertTrue(self.user_portal.okr_checkin_reminder_optout)
        # Without the CSRF token, or by GET: refused, unchanged.
        response = self.url_open("/my/okrs/reminders", data={"optout": "0"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.url_open("/my/okrs/reminders").status_code, 405)
        self.user_portal.invalidate_recordset()
        self.assertTrue(self.user_portal.okr_checkin_reminder_optout)
        self._run("2026-02-16")
        self.assertNotIn(self.user_portal, self._counts())
        self.assertIn(self.user_employee, self._counts())
        # And on again.
        self.url_open(
            "/my/okrs/reminders", data={"optout": "0", "csrf_token": self._csrf()}
        )
        self.user_portal.invalidate_recordset()
        self.assertFalse(self.user_portal.okr_checkin_reminder_optout)
