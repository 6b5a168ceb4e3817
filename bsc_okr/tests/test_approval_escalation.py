from freezegun import freeze_time

from odoo.tests import tagged

from .approval_common import ApprovalCase


@tagged("post_install", "-at_install")
class TestApprovalEscalation(ApprovalCase):
    """Requests pending longer than the company's delay go one manager up."""

    def escalate(self):
        self.env["okr.approval.request"]._cron_escalate()

    def test_escalation_one_level_per_delay(self):
        self.assertEqual(self.company.okr_approval_escalation_days, 5)
        with freeze_time("2026-03-02 09:00:00"):
            doc = self.make_doc()
            doc.with_user(self.user_employee).action_approval_request("approved")
        request = self.pending_request(doc)
        self.assertEqual(str(self.approval_activities(doc).date_deadline), "2026-03-07")

        with freeze_time("2026-03-06 09:00:00"):
            self.escalate()
        self.assertEqual(request.escalation_level, 0, "4 days: not yet")

        with freeze_time("2026-03-07 09:00:00"):
            self.escalate()
            self.escalate()  # a second run the same day changes nothing
        self.assertEqual(request.escalation_level, 1)
        self.assertEqual(request.escalation_user_ids, self.user_ceo)
        self.assertEqual(request.approver_user_ids, self.user_manager | self.user_ceo)
        activities = self.approval_activities(doc)
        self.assertEqual(len(activities), 2, "one activity for the CEO, not two")
        self.assertEqual(activities.user_id, self.user_manager | self.user_ceo)
        escalated = self.history(doc).filtered(lambda row: row.decision == "escalated")
        self.assertEqual(len(escalated), 1)
        self.assertEqual(escalated.comment, "T Ceo")
        self.assertEqual(escalated.result_state, "submitted")

        with freeze_time("2026-03-13 09:00:00"):
            self.escalate()  # nobody above the CEO: nothing more
        self.assertEqual(request.escalation_level, 1)
        self.assertEqual(len(self.approval_activities(doc)), 2)

        # the escalated manager may decide; every activity closes
        doc.with_user(self.user_ceo).action_approval_approve()
        self.assertEqual(doc.state, "approved")
        self.assertFalse(self.approval_activities(doc))

    def test_delay_is_per_company(self):
        self.company.okr_approval_escalation_days = 2
        with freeze_time("2026-03-02 09:00:00"):
            doc = self.make_doc()
            doc.with_user(self.user_employee).action_approval_request("approved")
        with freeze_time("2026-03-04 09:00:00"):
            self.escalate()
        self.assertEqual(self.pending_request(doc).escalation_level, 1)

    def test_decided_requests_are_not_escalated(self):
        with freeze_time("2026-03-02 09:00:00"):
            doc = self.make_doc()
            doc.with_user(self.user_employee).action_approval_request("approved")
            doc.with_user(self.user_manager).action_approval_approve()
        request = self.requests(doc)
        with freeze_time("2026-04-02 09:00:00"):
            self.escalate()
        self.assertEqual(request.escalation_level, 0)
        self.assertFalse(request.escalation_user_ids)

    def test_cron_is_declared(self):
        cron = self.env.ref("bsc_okr.okr_approval_request_cron_escalate")
        self.assertEqual(cron.model_id.model, "okr.approval.request")
        self.assertIn("_cron_escalate", cron.code)
