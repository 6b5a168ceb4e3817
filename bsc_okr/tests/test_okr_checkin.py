from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .okr_common import IN_Q1, OkrCase


@tagged("post_install", "-at_install")
@freeze_time(IN_Q1)
class TestOkrCheckin(OkrCase):
    """Check-ins: who may post them, what they move, what they refuse."""

    def test_checkin_moves_key_result(self):
        checkin = self._checkin(
            self.kr_employee, 30, confidence=6, user=self.user_employee
        )
        self.assertEqual(checkin.author_id, self.user_employee)
        kr = self.kr_employee.with_user(self.user_employee)
        self.assertEqual(kr.current_value, 30)
        self.assertEqual(kr.confidence, 6)
        self.assertEqual(str(kr.last_checkin_date), IN_Q1)
        self.assertAlmostEqual(kr.progress, 0.3)
        self.assertAlmostEqual(self.obj_employee.progress, 0.3)
        self.assertAlmostEqual(checkin.progress, 0.3)

    def test_backdated_checkin_does_not_override_latest(self):
        self._checkin(self.kr_employee, 50, user=self.user_employee)
        self._checkin(self.kr_employee, 20, user=self.user_employee, date="2026-02-02")
        self.assertEqual(self.kr_employee.current_value, 50)
        self.assertEqual(str(self.kr_employee.last_checkin_date), IN_Q1)

    def test_author_is_always_the_poster(self):
        checkin = self._checkin(
            self.kr_employee, 10, user=self.user_employee, author_id=self.user_peer.id
        )
        self.assertEqual(checkin.author_id, self.user_employee)

    def test_contributor_may_check_in(self):
        self.kr_peer.contributor_ids = [Command.link(self.emp_employee.id)]
        self._checkin(self.kr_peer, 40, user=self.user_employee)
        self.assertEqual(self.kr_peer.current_value, 40)
        # A contributor reads the key result, not the objective's grades.
        as_contributor = self.kr_peer.with_user(self.user_employee)
        self.assertTrue(as_contributor.name)
        self.assertFalse(as_contributor.is_stale)
        # ... and finds it with the filters of the "Key Results" menu.
        uid = self.user_employee.id
        found = as_contributor.search(
            [
                "|",
                "|",
                ("owner_user_id", "=", uid),
                ("objective_id.owner_user_id", "=", uid),
                ("contributor_ids.user_id", "=", uid),
                ("objective_state", "=", "active"),
                ("cycle_id.state", "in", ("running", "grading")),
            ]
        )
        self.assertIn(self.kr_peer, found)
        with self.assertRaises(AccessError):
            self.obj_peer.with_user(self.user_employee).read(["grade"])

    def test_others_may_not_check_in(self):
        for user in (self.user_peer, self.user_manager, self.user_hr):
            with self.assertRaises(AccessError, msg=user.login):
                self._checkin(self.kr_employee, 40, user=user)
        self.assertEqual(self.kr_employee.current_value, 0)
        self.assertFalse(self.kr_employee.checkin_ids)

    def test_confidence_outside_range(self):
        for confidence in (-1, 11, 7.5, "high"):
            with self.assertRaises(ValidationError, msg=confidence):
                self._checkin(
                    self.kr_employee, 10, confidence=confidence, user=self.user_employee
                )
        self.assertFalse(self.kr_employee.checkin_ids)
        with self.assertRaises(ValidationError):
            self.kr_employee.with_user(self.user_employee).sudo().write(
                {"confidence": 12}
            )

    def test_non_numeric_value(self):
        for raw in ("forty", "nan", float("inf"), None, True, [1]):
            with self.assertRaisesRegex(ValidationError, "must be a number", msg=raw):
                self._checkin(self.kr_employee, raw, user=self.user_employee)
        checkin = self._checkin(self.kr_employee, " 1,200.5 ", user=self.user_employee)
        self.assertEqual(checkin.value, 1200.5)

    def test_value_required(self):
        with self.assertRaises(ValidationError):
            self.env["okr.checkin"].with_user(self.user_employee).create(
                {"key_result_id": self.kr_employee.id}
            )

    def test_future_date(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._checkin(
                self.kr_employee, 10, user=self.user_employee, date="2026-03-01"
            )
        self.assertEqual(self.kr_employee.current_value, 0)

    def test_cancelled_objective(self):
        self.obj_employee.with_user(self.user_employee).action_cancel()
        with self.assertRaisesRegex(UserError, "cancelled"):
            self._checkin(self.kr_employee, 10, user=self.user_employee)
        self.assertEqual(self.kr_employee.current_value, 0)

    def test_closed_cycle(self):
        self.cycle.action_start_grading()
        self.cycle.action_close()
        with self.assertRaisesRegex(UserError, "closed"):
            self._checkin(self.kr_peer, 10, user=self.user_peer)
        self.assertEqual(self.kr_peer.current_value, 0)

    def test_draft_objective(self):
        draft = self._make_objective(self.emp_employee, "Not yet")
        with self.assertRaisesRegex(UserError, "not active"):
            self._checkin(draft.key_result_ids, 10, user=self.user_employee)

    def test_batch_is_all_or_nothing(self):
        """One refused key result refuses the whole batch."""
        with self.assertRaises(AccessError):
            self.env["okr.checkin"].with_user(self.user_employee).create(
                [
                    {"key_result_id": self.kr_employee.id, "value": 10},
                    {"key_result_id": self.kr_peer.id, "value": 10},
                ]
            )
        self.assertFalse((self.kr_employee | self.kr_peer).checkin_ids)

    def test_key_result_values_only_through_checkins(self):
        kr = self.kr_employee.with_user(self.user_employee)
        with self.assertRaisesRegex(UserError, "check-in"):
            kr.write({"current_value": 99})
        with self.assertRaisesRegex(UserError, "check-in"):
            kr.write({"confidence": 9})

    def test_checkins_are_append_only(self):
        checkin = self._checkin(self.kr_employee, 30, user=self.user_employee)
        for user in (self.user_employee, self.user_manager):
            with self.assertRaises(AccessError, msg=user.login):
                checkin.with_user(user).write({"value": 90})
            with self.assertRaises(AccessError, msg=user.login):
                checkin.with_user(user).unlink()
        self.assertEqual(checkin.value, 30)

    def test_admin_corrections_are_tracked_and_move_the_kr(self):
        checkin = self._checkin(self.kr_employee, 30, user=self.user_employee)
        self._checkin(self.kr_employee, 45, user=self.user_employee)
        latest = self.kr_employee.checkin_ids.sorted("id")[-1]
        # As if the check-ins were committed: tracking skips records created
        # in the same transaction.
        self.env.flush_all()
        self.cr.precommit.run()
        admin_checkin = latest.with_user(self.user_okr_admin).with_context(
            tracking_disable=False
        )
        admin_checkin.write({"value": 55, "comment": "typo"})
        self.env.flush_all()
        self.cr.precommit.run()
        self.assertEqual(self.kr_employee.current_value, 55)
        tracked = admin_checkin.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "value"
        )
        self.assertEqual(tracked.old_value_float, 45)
        self.assertEqual(tracked.new_value_float, 55)
        latest.with_user(self.user_okr_admin).unlink()
        self.assertEqual(self.kr_employee.current_value, 30)
        checkin.with_user(self.user_okr_admin).unlink()
        self.assertEqual(self.kr_employee.current_value, 0)
        self.assertFalse(self.kr_employee.last_checkin_date)

    def test_push_checkin(self):
        kr = self.kr_employee.with_user(self.user_employee)
        checkin_id = kr.push_checkin("60", confidence=8, comment="Line 3 done")
        checkin = self.env["okr.checkin"].browse(checkin_id)
        self.assertEqual(checkin.value, 60)
        self.assertEqual(kr.confidence, 8)
        with self.assertRaisesRegex(ValidationError, "must be a number"):
            kr.push_checkin("lots")

    def test_quick_checkin_wizard(self):
        second = self.env["okr.key.result"].create(
            {
                "objective_id": self.obj_employee.id,
                "name": "Train the line leaders",
                "metric_type": "milestone",
            }
        )
        action = self.obj_employee.with_user(self.user_employee).action_quick_checkin()
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.user_employee)
            .with_context(**action["context"])
        )
        self.assertEqual(len(wizard_form.line_ids), 2)
        with wizard_form.line_ids.edit(0) as line:
            line.value = 25
            line.confidence = 4
            line.comment = "Slow start"
        with wizard_form.line_ids.edit(1) as line:
            line.done = True
        wizard_form.save().action_confirm()
        self.assertEqual(self.kr_employee.current_value, 25)
        self.assertEqual(self.kr_employee.confidence, 4)
        self.assertEqual(second.current_value, 1)
        self.assertEqual(second.progress, 1.0)
        self.assertEqual(self.kr_employee.checkin_ids.comment, "Slow start")

    def test_quick_checkin_lists_only_allowed_key_results(self):
        self.env["okr.key.result"].create(
            {
                "objective_id": self.obj_employee.id,
                "name": "Peer's part",
                "owner_id": self.emp_peer.id,
                "target_value": 5,
            }
        )
        wizard = (
            self.env["okr.checkin.wizard"]
            .with_user(self.user_employee)
            .with_context(default_objective_id=self.obj_employee.id)
            .create({})
        )
        # The objective's owner may check in on every key result of it.
        self.assertEqual(len(wizard.line_ids), 2)
        wizard = (
            self.env["okr.checkin.wizard"]
            .with_user(self.user_peer)
            .with_context(default_key_result_ids=self.obj_employee.key_result_ids.ids)
            .create({})
        )
        self.assertEqual(wizard.line_ids.key_result_id.name, "Peer's part")

    def test_checkin_query_count_is_flat(self):
        """Posting a batch of check-ins costs the same for 2 or 8 key results."""

        def make(count):
            objective = self._make_objective(
                self.emp_employee,
                f"Batch {count}",
                krs=[{"name": f"KR {i}", "target_value": 10.0} for i in range(count)],
            )
            self._activate(objective)
            return objective.key_result_ids

        warm, small, large = make(2), make(2), make(8)
        Checkin = self.env["okr.checkin"].with_user(self.user_employee)
        queries = {}
        # The first batch warms the caches of rules and groups.
        for label, krs in (("warm", warm), ("small", small), ("large", large)):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            Checkin.create([{"key_result_id": kr.id, "value": 2} for kr in krs])
            self.env.flush_all()
            queries[label] = self.cr.sql_log_count - start
        self.assertEqual(queries["small"], queries["large"], queries)
