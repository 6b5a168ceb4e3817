"""The daily job of okr.cycle: cycles that run themselves (issue 16, item 5).

Q1 2026 of the OKR fixtures runs from 2026-01-01 to 2026-03-31; the company
keeps the default delays: a grading reminder 5 days after grading opens, a
grace period of 14 days. A portal employee owns an objective too, and the HR
officer (KPI appraisal) owns one, to prove the wall keeps every message of
the automation away from them.
"""

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models import okr_cycle
from .okr_common import Q1_END, OkrCase

Q2_START = datetime.date(2026, 4, 1)


@tagged("post_install", "-at_install")
class TestOkrCycleAutomation(OkrCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.obj_portal = cls._make_objective(cls.emp_portal, "Cut scrap by half")
        cls._activate(cls.obj_portal)
        cls.objectives |= cls.obj_portal
        cls.user_employee.notification_type = "inbox"
        cls.Cycle = cls.env["okr.cycle"]
        cls.grading_type = cls.env.ref("bsc_okr.mail_activity_type_okr_grading")

    # helpers ------------------------------------------------------------
    def _advance(self, day):
        with freeze_time(day):
            self.Cycle._cron_advance()
        self.env.invalidate_all()

    def _snapshot(self):
        """What a run may create: messages, activities, mails, cycles."""
        return {
            model: self.env[model].search_count([])
            for model in ("mail.message", "mail.activity", "mail.mail", "okr.cycle")
        }

    def _company_cycles(self, **domain):
        return self.Cycle.search(
            [("company_id", "=", self.company.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def _cycle_messages(self, cycle, subject_part):
        """The messages of the automation about ``cycle`` to people."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "okr.cycle"),
                ("res_id", "=", cycle.id),
                ("message_type", "=", "user_notification"),
                ("subject", "ilike", subject_part),
            ]
        )

    def _notes(self, cycle):
        return self.env["mail.message"].search(
            [
                ("model", "=", "okr.cycle"),
                ("res_id", "=", cycle.id),
                ("message_type", "=", "notification"),
                ("subtype_id", "=", self.env.ref("mail.mt_note").id),
            ]
        )

    def _grading_activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.objective"),
                ("res_id", "in", self.objectives.ids),
                ("activity_type_id", "=", self.grading_type.id),
            ]
        )

    def _mark_graded(self, objective, user):
        objective.with_user(user).action_mark_graded()
        self.assertEqual(objective.state, "graded")

    # tests --------------------------------------------------------------
    def test_states_at_their_dates(self):
        q2 = self.Cycle.browse()
        for day, q1_state in (
            ("2026-03-30", "running"),
            ("2026-03-31", "grading"),
            ("2026-04-13", "grading"),
            ("2026-04-14", "closed"),
        ):
            self._advance(day)
            with self.subTest(day=day):
                self.assertEqual(self.cycle.state, q1_state)
                q2 = self._company_cycles(date_start=Q2_START)
                self.assertEqual(len(q2), 1, "the next quarter is planned ahead")
                self.assertEqual(
                    q2.state, "planning" if day < "2026-04-01" else "running"
                )
        self.assertEqual(self.cycle.grading_date, Q1_END)
        self.assertEqual(q2.date_end, datetime.date(2026, 6, 30))
        self.assertEqual(q2.name, "Q2 2026")
        self.assertEqual(self.cycle.next_cycle_id, q2)
        self.assertEqual(set(self.objectives.mapped("state")), {"graded"})
        notes = self._notes(self.cycle).mapped("body")
        self.assertTrue(any("ready for planning" in note for note in notes))
        self.assertTrue(any("Grading opened automatically" in note for note in notes))
        self.assertTrue(any("grace period of 14 days" in note for note in notes))
        self.assertTrue(
            any(
                "Started automatically" in note
                for note in self._notes(q2).mapped("body")
            )
        )

    def test_grading_activities_opened_once(self):
        self._advance("2026-03-31")
        activities = self._grading_activities()
        owners = {(a.res_id, a.user_id) for a in activities}
        self.assertEqual(
            owners,
            {
                (self.obj_company.id, self.user_ceo),
                (self.obj_production.id, self.user_manager),
                (self.obj_employee.id, self.user_employee),
                (self.obj_private.id, self.user_employee),
                (self.obj_peer.id, self.user_peer),
            },
            "one per objective of an internal owner; none for portal or "
            "appraisal staff",
        )
        self._advance("2026-03-31")
        self.assertEqual(self._grading_activities(), activities)
        # Grading reopened by hand, then started again: still one each.
        self.cycle.action_back_to_running()
        self.cycle.action_start_grading()
        self.assertEqual(self._grading_activities(), activities)

    def test_grading_open_message_links(self):
        self._advance("2026-03-31")
        messages = self._cycle_messages(self.cycle, "Grading is open")
        by_partner = {m.partner_ids: m for m in messages}
        portal = by_partner[self.user_portal.partner_id]
        self.assertIn(f"/my/okrs/{self.obj_portal.id}", portal.body)
        self.assertIn("Cut scrap by half", portal.body)
        employee = by_partner[self.user_employee.partner_id]
        self.assertIn(f"/odoo/okr.objective/{self.obj_employee.id}", employee.body)
        self.assertIn(f"/odoo/okr.objective/{self.obj_private.id}", employee.body)
        self.assertNotIn("/my/okrs", employee.body)
        self.assertIn("04/14/2026", employee.body, "the last day of grading")
        self.assertEqual(
            set(messages.partner_ids),
            set(
                (
                    self.user_ceo
                    | self.user_manager
                    | self.user_employee
                    | self.user_peer
                    | self.user_portal
                ).partner_id
            ),
            "one message per owner",
        )
        self.assertEqual(len(messages), 5)
        # The employee reads the inbox, the portal employee gets an e-mail.
        self.assertEqual(
            employee.notification_ids.mapped("notification_type"), ["inbox"]
        )
        self.assertEqual(portal.notification_ids.mapped("notification_type"), ["email"])
        mail = self.env["mail.mail"].search([("mail_message_id", "=", portal.id)])
        self.assertEqual(mail.recipient_ids, self.user_portal.partner_id)
        self.assertIn(f"/my/okrs/{self.obj_portal.id}", mail.body_html)
        self.assertEqual(mail.state, "outgoing", "queued, sent after the commit")
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "=", employee.id)]),
            "inbox readers get no e-mail",
        )

    def test_reminder_after_n_days_to_non_graders(self):
        self._advance("2026-03-31")
        self._mark_graded(self.obj_peer, self.user_peer)
        self._mark_graded(self.obj_company, self.user_ceo)
        self._advance("2026-04-04")
        self.assertFalse(self._cycle_messages(self.cycle, "Reminder"))
        self.assertFalse(self.cycle.grading_reminder_date)
        self._advance("2026-04-05")
        reminders = self._cycle_messages(self.cycle, "Reminder")
        self.assertEqual(
            set(reminders.partner_ids),
            set((self.user_manager | self.user_employee | self.user_portal).partner_id),
            "only those with objectives still to grade",
        )
        self.assertEqual(len(reminders), 3)
        self.assertEqual(self.cycle.grading_reminder_date, datetime.date(2026, 4, 5))
        self.assertNotIn("Win two new brands", "".join(reminders.mapped("body")))
        self._advance("2026-04-06")
        self.assertEqual(self._cycle_messages(self.cycle, "Reminder"), reminders)

    def test_close_when_everything_is_graded(self):
        self._advance("2026-03-31")
        for objective in self.objectives:
            objective._okr_apply_system_state("graded")
        self._advance("2026-04-01")
        self.assertEqual(self.cycle.state, "closed")
        self.assertTrue(
            any(
                "every objective is graded" in note
                for note in self._notes(self.cycle).mapped("body")
            )
        )
        closed = self._cycle_messages(self.cycle, "is closed")
        self.assertEqual(len(closed), 5)
        self.assertFalse(self._cycle_messages(self.cycle, "Reminder"))

    def test_close_after_the_grace_period(self):
        self.company.okr_grading_grace_days = 7
        self._advance("2026-03-31")
        self._mark_graded(self.obj_peer, self.user_peer)
        self._advance("2026-04-06")
        self.assertEqual(self.cycle.state, "grading")
        self.assertTrue(self.cycle.grading_reminder_date)
        self._advance("2026-04-07")
        self.assertEqual(self.cycle.state, "closed")
        self.assertEqual(set(self.objectives.mapped("state")), {"graded"})
        self.assertFalse(self._grading_activities())

    def test_twice_the_same_day_changes_nothing(self):
        for day in (
            "2026-03-30",
            "2026-03-31",
            "2026-04-01",
            "2026-04-05",
            "2026-04-14",
        ):
            self._advance(day)
            before = self._snapshot()
            states = self._company_cycles().mapped(lambda c: (c.id, c.state))
            self._advance(day)
            with self.subTest(day=day):
                self.assertEqual(self._snapshot(), before)
                self.assertEqual(
                    self._company_cycles().mapped(lambda c: (c.id, c.state)), states
                )

    def test_next_cycle_created_once(self):
        month = self.Cycle.create(
            {
                "name": "Mar 2026",
                "cycle_type": "month",
                "company_id": self.company.id,
                "date_start": "2026-03-01",
                "date_end": "2026-03-31",
            }
        )
        custom = self.Cycle.create(
            {
                "name": "Pilot",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-03-01",
                "date_end": "2026-03-20",
            }
        )
        # The button made Q2 already: the job finds it, never a second one.
        q2 = self.Cycle.browse(self.cycle.action_generate_next()["res_id"])
        self._advance("2026-03-10")
        self._advance("2026-03-11")
        self.assertEqual(
            self._company_cycles(date_start=Q2_START, cycle_type="quarter"), q2
        )
        self.assertEqual(self.cycle.next_cycle_id, q2)
        april = self._company_cycles(cycle_type="month", date_start=Q2_START)
        self.assertEqual(len(april), 1)
        self.assertEqual(april.date_end, datetime.date(2026, 4, 30))
        self.assertEqual(april.state, "planning")
        self.assertEqual(month.next_cycle_id, april)
        self.assertEqual(month.state, "running")
        self.assertEqual(
            self._company_cycles(cycle_type="custom"),
            custom,
            "custom cycles are one-offs",
        )
        self.assertEqual(custom.state, "running")

    def test_overlap_and_end_before_start_refused(self):
        self.Cycle.create(
            {
                "name": "Sprint 1",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-05-01",
                "date_end": "2026-05-31",
            }
        )
        with self.assertRaisesRegex(ValidationError, "overlaps Sprint 1"):
            self.Cycle.create(
                {
                    "name": "Sprint 2",
                    "cycle_type": "custom",
                    "company_id": self.company.id,
                    "date_start": "2026-05-20",
                    "date_end": "2026-06-20",
                }
            )
        sprint2 = self.Cycle.create(
            {
                "name": "Sprint 2",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-06-01",
                "date_end": "2026-06-20",
            }
        )
        with self.assertRaisesRegex(ValidationError, "overlaps Sprint 1"):
            sprint2.date_start = "2026-05-31"
        with self.assertRaisesRegex(ValidationError, "cannot end on"):
            self.Cycle.create(
                {
                    "name": "Backwards",
                    "cycle_type": "custom",
                    "company_id": self.company.id,
                    "date_start": "2026-08-10",
                    "date_end": "2026-08-01",
                }
            )
        with self.assertRaisesRegex(ValidationError, "cannot end on"):
            sprint2.date_end = "2026-05-01"
        self.assertEqual(str(sprint2.date_end), "2026-06-20")
        # Another company, or a custom cycle inside a quarter, is fine.
        self.Cycle.create(
            {
                "name": "Sprint 1",
                "cycle_type": "custom",
                "company_id": self.other_company.id,
                "date_start": "2026-05-01",
                "date_end": "2026-05-31",
            }
        )
        self.assertEqual(len(self.Cycle.search([("name", "=", "Sprint 1")])), 2)

    def test_appraisal_officer_gets_nothing(self):
        for day in ("2026-03-31", "2026-04-05", "2026-04-14"):
            self._advance(day)
        self.assertEqual(self.cycle.state, "closed")
        self.assertEqual(self.obj_hr.state, "graded", "graded when the cycle closed")
        partner = self.user_hr.partner_id
        self.assertFalse(
            self.env["mail.notification"].search([("res_partner_id", "=", partner.id)])
        )
        self.assertFalse(
            self.env["mail.message"].search([("partner_ids", "in", partner.ids)])
        )
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)])
        )
        self.assertFalse(
            self.env["mail.activity"].search([("user_id", "=", self.user_hr.id)])
        )
        # The others did hear about it.
        self.assertTrue(self._cycle_messages(self.cycle, "is closed"))

    def test_broken_template_skips_that_person_only(self):
        template = self.env.ref("bsc_okr.okr_cycle_mail_template_grading_open")
        template.body_html = (
            "<p><t t-out=\"1 // (0 if okr_partner.name == 'T Employee' else 1)\"/>"
            " open</p>"
        )
        with self.assertLogs("odoo.addons.bsc_okr.models.okr_notify_mixin", "ERROR"):
            self._advance("2026-03-31")
        self.assertEqual(self.cycle.state, "grading")
        messages = self._cycle_messages(self.cycle, "Grading is open")
        self.assertEqual(len(messages), 4)
        self.assertNotIn(self.user_employee.partner_id, messages.partner_ids)

    def test_bad_settings_refused(self):
        for vals, pattern in (
            ({"okr_grading_reminder_days": -1}, "1 to 90 days"),
            ({"okr_grading_grace_days": 0}, "1 to 90 days"),
            ({"okr_grading_grace_days": 400}, "1 to 90 days"),
            ({"okr_grading_reminder_days": 14}, "must come before"),
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(ValidationError, pattern),
            ):
                self.company.write(vals)
        settings = self.env["res.config.settings"].create(
            {"okr_grading_reminder_days": 3, "okr_grading_grace_days": 10}
        )
        settings.execute()
        self.assertEqual(
            (
                self.env.company.okr_grading_reminder_days,
                self.env.company.okr_grading_grace_days,
            ),
            (3, 10),
        )

    def test_a_failing_cycle_waits_alone_until_tomorrow(self):
        pilot = self.Cycle.create(
            {
                "name": "Pilot",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-03-01",
                "date_end": "2026-03-20",
            }
        )
        Cycle = type(self.Cycle)
        start = Cycle.action_start
        boom = UserError("Disk full")

        def broken_start(cycles):
            if cycles == pilot:
                raise boom
            return start(cycles)

        with (
            patch.object(Cycle, "action_start", broken_start),
            self.assertLogs("odoo.addons.bsc_okr.models.okr_cycle", "ERROR"),
        ):
            self._advance("2026-03-31")
        self.assertEqual(pilot.state, "planning", "rolled back alone")
        self.assertEqual(pilot.automation_error_date, datetime.date(2026, 3, 31))
        self.assertFalse(self._notes(pilot))
        self.assertEqual(self.cycle.state, "grading", "the others moved on")
        with patch.object(Cycle, "action_start", broken_start):
            with freeze_time("2026-03-31"):
                self.assertNotIn(pilot, self.Cycle._okr_due_cycles(Q1_END))
            self._advance("2026-03-31")  # no retry, no log today
        self._advance("2026-04-01")
        self.assertEqual(pilot.state, "closed", "started, graded, closed (empty)")

    def test_batches_report_their_progress(self):
        self.Cycle.create(
            {
                "name": "Pilot",
                "cycle_type": "custom",
                "company_id": self.company.id,
                "date_start": "2026-03-01",
                "date_end": "2026-06-20",
            }
        )
        IrCron = type(self.env["ir.cron"])
        with (
            patch.object(okr_cycle, "ADVANCE_BATCH", 1),
            patch.object(IrCron, "_notify_progress", autospec=True) as progress,
        ):
            self._advance("2026-03-31")
            first = progress.call_args.kwargs
            self.assertEqual(first["done"], 1)
            self.assertGreaterEqual(first["remaining"], 1)
            for _i in range(first["remaining"]):
                self._advance("2026-03-31")
            self.assertEqual(progress.call_args.kwargs["remaining"], 0)
        self.assertEqual(self.cycle.state, "grading")
        self.assertEqual(
            self._company_cycles(name="Pilot").state, "running", "both batches ran"
        )

    @freeze_time("2026-03-20")
    def test_okr_admin_button_sends_the_same_messages(self):
        self.cycle.with_user(self.user_okr_admin).action_start_grading()
        self.assertEqual(self.cycle.grading_date, datetime.date(2026, 3, 20))
        messages = self._cycle_messages(self.cycle, "Grading is open")
        self.assertEqual(len(messages), 5)
        self.assertNotIn(self.user_hr.partner_id, messages.partner_ids)
        self.assertEqual(len(self._grading_activities()), 5)


@tagged("post_install", "-at_install")
class TestOkrRhythmSettings(OkrCase):
    """The rhythm settings of the quarter: bounded, stored per company."""

    def test_bad_rhythm_settings_refused(self):
        company = self.env.company
        for vals, pattern in (
            ({"okr_reminder_quiet_days": -1}, "0 to 6"),
            ({"okr_reminder_quiet_days": 7}, "0 to 6"),
            ({"okr_confidence_drop_threshold": 0}, "1 to 10 points"),
            ({"okr_confidence_drop_threshold": 11}, "1 to 10 points"),
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                with self.env.cr.savepoint():
                    company.write(vals)
            self.assertRegex(str(caught.exception), pattern)
        settings = self.env["res.config.settings"].create(
            {
                "okr_reminder_weekday": "3",
                "okr_reminder_quiet_days": 2,
                "okr_confidence_drop_threshold": 3,
                "okr_digest_enabled": False,
            }
        )
        settings.execute()
        self.assertEqual(
            (
                company.okr_reminder_weekday,
                company.okr_reminder_quiet_days,
                company.okr_confidence_drop_threshold,
                company.okr_digest_enabled,
            ),
            ("3", 2, 3, False),
        )
