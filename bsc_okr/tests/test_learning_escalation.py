from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .learning_common import LearningCase


@tagged("post_install", "-at_install")
class TestLearningEscalation(LearningCase):
    """A learning plan's request pending too long goes one manager up; the
    history of a plan cannot be edited by anybody."""

    def test_escalation_with_fixed_dates(self):
        self.assertEqual(self.company.okr_approval_escalation_days, 5)
        with freeze_time("2026-02-02 09:00:00"):
            plan = self.make_plan()
            plan.with_user(self.user_employee).action_approval_request("learn")
        request = self.pending_request(plan)
        self.assertEqual(
            str(self.approval_activities(plan).date_deadline), "2026-02-07"
        )
        with freeze_time("2026-02-06 09:00:00"):
            self.env["okr.approval.request"]._cron_escalate()
        self.assertEqual(request.escalation_level, 0, "4 days: not yet")
        with freeze_time("2026-02-07 10:00:00"):
            self.env["okr.approval.request"]._cron_escalate()
        self.assertEqual(request.escalation_level, 1)
        self.assertEqual(request.approver_user_ids, self.user_manager | self.user_ceo)
        self.assertEqual(
            self.approval_activities(plan).user_id, self.user_manager | self.user_ceo
        )
        escalated = self.history(plan).filtered(lambda r: r.decision == "escalated")
        self.assertEqual(
            (escalated.comment, escalated.result_state), ("T Ceo", "propose")
        )
        self.assertTrue(plan.with_user(self.user_ceo).approval_can_approve)
        with freeze_time("2026-02-08 09:00:00"):
            plan.with_user(self.user_ceo).action_approval_approve()
        self.assertEqual(plan.state, "learn")
        self.assertEqual(plan.objective_id.state, "active")
        self.assertFalse(self.approval_activities(plan))
        self.assertEqual(
            [str(row.date.date()) for row in self.history(plan)],
            ["2026-02-02", "2026-02-07", "2026-02-08"],
        )

    def test_history_is_immutable(self):
        plan = self.advance(self.make_plan(), "learn")
        rows = self.history(plan)
        self.assertEqual(len(rows), 2)
        for user in (self.user_employee, self.user_okr_admin):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                rows.with_user(user).sudo().write({"comment": "tampered"})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            rows.write({"result_state": "promote"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            rows.sudo().unlink()
        with self.assertRaisesRegex(UserError, "by hand"):
            self.env["okr.stage.history"].sudo().create(
                {
                    "res_model": plan._name,
                    "res_id": plan.id,
                    "company_id": self.company.id,
                    "from_state": "learn",
                    "to_state": "promote",
                    "decision": "approved",
                    "user_id": self.user_executive.id,
                }
            )
        self.assertEqual(self.history(plan), rows)
        self.assertFalse(any(rows.mapped("comment")))
