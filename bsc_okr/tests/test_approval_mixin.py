from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from ..models import okr_approval_routing as routing
from ..models.approval_guard import state_pass
from ..models.approval_messages import CHATTER_NOTES, chatter_note
from .approval_common import ApprovalCase

DOCUMENTED_FORM = """
<form>
    <header>
        <button name="action_approval_request" type="object"
                string="Submit"
                context="{'approval_to_state': 'approved'}"
                invisible="'approved' not in (approval_next_states or [])"/>
        <button name="action_approval_approve" type="object"
                string="Approve" class="btn-primary"
                invisible="not approval_can_approve"/>
        <button name="action_approval_open_reject_wizard" type="object"
                string="Reject" invisible="not approval_can_approve"/>
        <button name="action_approval_cancel_request" type="object"
                string="Withdraw" invisible="not approval_can_cancel"/>
        <field name="state" widget="statusbar"/>
    </header>
    <sheet>
        <field name="name"/>
        <field name="approval_next_states" invisible="1"/>
        <field name="approval_can_approve" invisible="1"/>
        <field name="approval_can_cancel" invisible="1"/>
        <notebook>
            <page string="Stage History" name="approval_history">
                <field name="approval_history_html" nolabel="1"/>
            </page>
        </notebook>
    </sheet>
</form>
"""


@tagged("post_install", "-at_install")
class TestApprovalWorkflow(ApprovalCase):
    """Request, approve, reject, withdraw, and the refusals around them."""

    def test_request_then_approve_by_manager(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request(
            "approved", comment="Ready for review"
        )
        self.assertEqual(doc.state, "submitted", "the pending state is shown")
        request = self.pending_request(doc)
        self.assertEqual(request.approver_user_ids, self.user_manager)
        self.assertEqual(request.resolved_role, "manager")
        self.assertEqual(request.requested_by_id, self.user_employee)
        self.assertEqual(request.owner_user_id, self.user_employee)
        activities = self.approval_activities(doc)
        self.assertEqual(activities.user_id, self.user_manager)
        self.assertEqual(request.activity_ids, activities)

        doc.with_user(self.user_manager).action_approval_approve(comment="Go")
        self.assertEqual(doc.state, "approved")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.user_manager)
        self.assertEqual(request.decision_comment, "Go")
        self.assertFalse(self.approval_activities(doc), "activities closed")
        history = self.history(doc)
        self.assertEqual(history.mapped("decision"), ["requested", "approved"])
        self.assertEqual(
            history.mapped("user_id"), self.user_employee | self.user_manager
        )
        self.assertEqual(history[0].comment, "Ready for review")
        self.assertEqual(history[1].result_state, "approved")
        bodies = doc.message_ids.mapped("body")
        self.assertTrue(any("Approved: Draft → Approved." in body for body in bodies))
        self.assertTrue(any("Approval requested" in body for body in bodies))

    def test_reject_requires_reason(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        as_manager = doc.with_user(self.user_manager)
        for blank in (None, "", "   ", 42):
            with self.assertRaisesRegex(UserError, "reason"):
                as_manager.action_approval_reject(blank)
        self.assertEqual(doc.state, "submitted", "nothing changed")
        self.assertEqual(self.pending_request(doc).state, "pending")

        request = self.pending_request(doc)
        as_manager.action_approval_reject("  Key results are not measurable  ")
        self.assertEqual(doc.state, "draft", "back to reject_to")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.decision_comment, "Key results are not measurable")
        rejected = self.history(doc)[-1]
        self.assertEqual(rejected.decision, "rejected")
        self.assertEqual(rejected.comment, "Key results are not measurable")
        self.assertIn("Reason: Key results are not measurable", doc.message_ids[0].body)
        self.assertFalse(self.approval_activities(doc))

    def test_reject_to_other_state(self):
        doc = self.make_doc()
        doc._approval_force_state("review")
        doc.with_user(self.user_manager).action_approval_request("decided")
        doc.with_user(self.user_executive).action_approval_reject("Not now")
        self.assertEqual(doc.state, "parked")

    def test_reject_wizard(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        action = doc.with_user(self.user_manager).action_approval_open_reject_wizard()
        self.assertEqual(action["res_model"], "okr.approval.reject.wizard")
        Wizard = self.env["okr.approval.reject.wizard"].with_user(self.user_manager)
        with Form(Wizard.with_context(**action["context"])) as form:
            self.assertEqual(form.request_id, self.pending_request(doc))
            form.reason = "Too vague"
        form.record.action_confirm()
        self.assertEqual(doc.state, "draft")
        self.assertEqual(self.history(doc)[-1].comment, "Too vague")

    def test_reject_wizard_refuses_other_models(self):
        wizard = (
            self.env["okr.approval.reject.wizard"]
            .with_user(self.user_manager)
            .create({"res_model": "res.partner", "res_id": 1, "reason": "x"})
        )
        with self.assertRaisesRegex(UserError, "no approval workflow"):
            wizard.action_confirm()

    def test_nobody_approves_own_request(self):
        """The CEO is an executive and may act for the employee (manager
        chain); still, the CEO's own request goes to another executive."""
        doc = self.make_doc()
        doc._approval_force_state("review")
        doc.with_user(self.user_ceo).action_approval_request("decided")
        request = self.pending_request(doc)
        self.assertEqual(request.approver_user_ids, self.user_executive)
        with self.assertRaisesRegex(UserError, "your own request"):
            doc.with_user(self.user_ceo).action_approval_approve()
        with self.assertRaisesRegex(UserError, "your own request"):
            doc.with_user(self.user_ceo).action_approval_reject("no")
        self.assertEqual(doc.state, "review")
        doc.with_user(self.user_executive).action_approval_approve()
        self.assertEqual(doc.state, "decided")

    def test_only_approvers_decide(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        for user in (self.user_peer, self.user_hr, self.user_okr_admin, self.user_ceo):
            with self.assertRaises(AccessError, msg=user.login):
                doc.with_user(user).action_approval_approve()
            with self.assertRaises(AccessError, msg=user.login):
                doc.with_user(user).action_approval_reject("no")
        with self.assertRaisesRegex(UserError, "your own request"):
            doc.with_user(self.user_employee).action_approval_approve()
        self.assertEqual(doc.state, "submitted")

    def test_skipping_a_stage_is_refused(self):
        doc = self.make_doc()
        with self.assertRaisesRegex(
            UserError, "Allowed next stages: Approved, Cancelled"
        ):
            doc.with_user(self.user_employee).action_approval_request("active")
        doc._approval_force_state("active")
        with self.assertRaisesRegex(
            UserError, "Allowed next stages: In Review, Sponsored, Cancelled"
        ):
            doc.with_user(self.user_employee).action_approval_request("decided")
        self.assertEqual(doc.state, "active")
        self.assertFalse(self.requests(doc))

    def test_no_stage_after_final_state(self):
        doc = self.make_doc()
        doc._approval_force_state("done")
        with self.assertRaisesRegex(UserError, "no stage follows"):
            doc.with_user(self.user_employee).action_approval_request("draft")

    def test_one_pending_request_at_a_time(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        with self.assertRaisesRegex(UserError, "already waits"):
            doc.with_user(self.user_employee).action_approval_request("cancelled")
        self.assertEqual(len(self.requests(doc)), 1)

    def test_request_needs_a_target(self):
        doc = self.make_doc()
        with self.assertRaisesRegex(UserError, "Choose the stage"):
            doc.with_user(self.user_employee).action_approval_request()
        doc.with_user(self.user_employee).with_context(
            approval_to_state="approved"
        ).action_approval_request()
        self.assertEqual(doc.state, "submitted", "buttons pass the target in context")

    def test_only_the_owner_side_requests(self):
        doc = self.make_doc()
        for user in (self.user_peer, self.user_strategy, self.user_executive):
            with self.assertRaises(AccessError, msg=user.login):
                doc.with_user(user).action_approval_request("approved")
        self.assertFalse(self.requests(doc))
        # a manager up the chain may request for the owner
        doc.with_user(self.user_manager).action_approval_request("approved")
        self.assertEqual(self.pending_request(doc).requested_by_id, self.user_manager)

    def test_withdraw_request(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        request = self.pending_request(doc)
        with self.assertRaises(AccessError):
            doc.with_user(self.user_peer).action_approval_cancel_request()
        doc.with_user(self.user_employee).action_approval_cancel_request()
        self.assertEqual(doc.state, "draft")
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(self.approval_activities(doc))
        self.assertEqual(self.history(doc)[-1].decision, "cancelled")
        with self.assertRaisesRegex(UserError, "already withdrawn by T Employee"):
            doc.with_user(self.user_manager).action_approval_approve()

    def test_owner_transition_is_applied_directly(self):
        doc = self.make_doc()
        doc._approval_force_state("approved")
        with self.assertRaises(AccessError):
            doc.with_user(self.user_peer).action_approval_request("active")
        doc.with_user(self.user_employee).action_approval_request("active")
        self.assertEqual(doc.state, "active")
        self.assertFalse(self.requests(doc), "no approval needed")
        self.assertEqual(self.history(doc)[-1].decision, "applied")
        # a manager of the owner, and an OKR administrator, may act for them
        doc.with_user(self.user_manager).action_approval_request("cancelled")
        self.assertEqual(doc.state, "cancelled")
        other = self.make_doc()
        other.with_user(self.user_okr_admin).action_approval_request("cancelled")
        self.assertEqual(other.state, "cancelled")

    def test_other_company_admin_cannot_act(self):
        doc = self.make_doc()
        with self.assertRaises(AccessError):
            doc.with_user(self.user_other_company).action_approval_request("cancelled")

    def test_deleting_a_record_withdraws_its_request(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        request = self.pending_request(doc)
        doc.unlink()
        self.assertEqual(request.state, "cancelled")

    def test_already_decided_message(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        doc.with_user(self.user_manager).action_approval_approve()
        with self.assertRaisesRegex(UserError, "already approved by T Manager"):
            doc.with_user(self.user_manager).action_approval_approve()


@tagged("post_install", "-at_install")
class TestApprovalStateGuard(ApprovalCase):
    """The state moves only through _approval_apply, whoever writes."""

    def test_direct_write_refused_for_everybody(self):
        doc = self.make_doc()
        for env_doc in (
            doc.with_user(self.user_employee),
            doc.with_user(self.user_okr_admin),
            doc.with_user(self.user_employee).sudo(),
            doc,  # superuser
        ):
            with self.assertRaisesRegex(UserError, "approval workflow"):
                env_doc.write({"state": "approved"})
        self.assertEqual(doc.state, "draft")

    def test_create_in_another_state_refused(self):
        with self.assertRaisesRegex(UserError, "approval workflow"):
            self.make_doc(user=self.user_employee, state="active")
        with self.assertRaisesRegex(UserError, "approval workflow"):
            self.make_doc(state="active")  # superuser too
        with self.assertRaisesRegex(UserError, "approval workflow"):
            self.Doc.with_context(default_state="approved").create(
                {"name": "x", "company_id": self.company.id}
            )
        self.assertFalse(self.Doc.search([("company_id", "=", self.company.id)]))

    def test_other_writes_allowed(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).write({"name": "Renamed", "state": "draft"})
        self.assertEqual(doc.name, "Renamed")
        doc._approval_force_state("active")
        copy = doc.copy()
        self.assertEqual(copy.state, "draft", "a copy starts over")

    def test_force_state_is_logged(self):
        doc = self.make_doc()
        doc._approval_force_state("active", comment="Imported")
        self.assertEqual(doc.state, "active")
        row = self.history(doc)
        self.assertEqual(row.decision, "applied")
        self.assertEqual(row.comment, "Imported")
        with self.assertRaisesRegex(UserError, "Unknown stage"):
            doc._approval_force_state("nowhere")

    def test_pass_is_scoped(self):
        """A pass for one record and state does not open another."""
        doc, other = self.make_doc(), self.make_doc()
        with state_pass(doc._name, doc.ids, "approved"):
            with self.assertRaises(UserError):
                other.write({"state": "approved"})
            with self.assertRaises(UserError):
                doc.write({"state": "active"})
            doc.write({"state": "approved"})
        with self.assertRaises(UserError):
            doc.write({"state": "active"})

    def test_invalid_transition_table(self):
        bad_tables = [
            [{"from": "draft", "to": "approved", "approver": "boss"}],
            [{"from": "draft", "to": "nowhere", "approver": "owner"}],
            [{"from": "draft", "to": "approved", "approver": "named"}],
            [{"from": "draft", "to": "approved", "approver": "owner", "foo": 1}],
            [
                {"from": "draft", "to": "approved", "approver": "owner"},
                {"from": "draft", "to": "approved", "approver": "manager"},
            ],
        ]
        for table in bad_tables:
            with patch.object(type(self.Doc), "_approval_transitions", table):
                with self.assertRaises(ValueError, msg=str(table)):
                    self.Doc._approval_get_transitions()


@tagged("post_install", "-at_install")
class TestApprovalHistory(ApprovalCase):
    """The stage history: immutable, and readable by the record's readers."""

    def setUp(self):
        super().setUp()
        self.doc = self.make_doc()
        self.doc.with_user(self.user_employee).action_approval_request("approved")
        self.row = self.history(self.doc)

    def test_nobody_writes_or_deletes_history(self):
        admin = self.env.ref("base.user_admin")
        for row in (self.row, self.row.with_user(admin).sudo()):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                row.write({"comment": "tampered"})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                row.unlink()
        for user in (admin, self.user_okr_admin, self.user_employee):
            with self.assertRaisesRegex(UserError, "cannot be changed", msg=user.login):
                self.row.with_user(user).write({"comment": "tampered"})
            with self.assertRaises(AccessError, msg=user.login):
                self.row.with_user(user).unlink()
        self.assertEqual(self.row.comment, False)

    def test_nobody_creates_history_by_hand(self):
        vals = {
            "res_model": self.doc._name,
            "res_id": self.doc.id,
            "company_id": self.company.id,
            "from_state": "draft",
            "to_state": "done",
            "decision": "approved",
            "user_id": self.user_manager.id,
        }
        with self.assertRaisesRegex(UserError, "cannot be created by hand"):
            self.env["okr.stage.history"].create(vals)
        admin = self.env.ref("base.user_admin")
        for user in (admin, self.user_okr_admin):
            with self.assertRaisesRegex(UserError, "by hand", msg=user.login):
                self.env["okr.stage.history"].with_user(user).create(vals)
        self.assertEqual(len(self.history(self.doc)), 1)

    def test_requests_are_read_only(self):
        request = self.pending_request(self.doc)
        for user in (self.user_manager, self.user_employee, self.user_okr_admin):
            with self.assertRaises(AccessError, msg=user.login):
                request.with_user(user).write({"state": "approved"})
            with self.assertRaises(AccessError, msg=user.login):
                request.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["okr.approval.request"].with_user(self.user_employee).create(
                {
                    "res_model": self.doc._name,
                    "res_id": self.doc.id,
                    "company_id": self.company.id,
                    "from_state": "draft",
                    "to_state": "approved",
                    "requested_by_id": self.user_employee.id,
                }
            )

    def test_readers_of_the_record_see_its_history(self):
        html = self.doc.with_user(self.user_peer).approval_history_html
        self.assertIn("Requested", html)
        self.assertIn("T Employee", html)
        self.assertIn("Draft", html)
        # ... but not the history rows themselves
        rows = self.env["okr.stage.history"].with_user(self.user_peer)
        self.assertFalse(rows.search([("res_id", "=", self.doc.id)]))
        with self.assertRaises(AccessError):
            self.row.with_user(self.user_peer).read(["comment"])

    def test_who_reads_requests_and_history(self):
        request = self.pending_request(self.doc)
        for user in (self.user_employee, self.user_manager, self.user_okr_admin):
            request.with_user(user).read(["state"])
            self.row.with_user(user).read(["decision"])
        for user in (
            self.user_peer,
            self.user_hr,
            self.user_other_company,
            self.user_ceo,
        ):
            with self.assertRaises(AccessError, msg=user.login):
                request.with_user(user).read(["state"])
            with self.assertRaises(AccessError, msg=user.login):
                self.row.with_user(user).read(["decision"])

    def test_appraisal_staff_see_only_their_own(self):
        """Even an OKR administrator who is appraisal staff."""
        self.grant(self.user_hr, "bsc_okr.group_okr_admin")
        request = self.pending_request(self.doc)
        with self.assertRaises(AccessError):
            request.with_user(self.user_hr).read(["state"])
        with self.assertRaises(AccessError):
            self.row.with_user(self.user_hr).read(["decision"])


@tagged("post_install", "-at_install")
class TestApprovalHelpers(ApprovalCase):
    """The computed fields form views use for their buttons."""

    def test_buttons_helpers(self):
        doc = self.make_doc()
        self.assertEqual(
            doc.with_user(self.user_employee).approval_next_states,
            ["approved", "cancelled"],
        )
        self.assertFalse(doc.with_user(self.user_peer).approval_next_states)
        doc.with_user(self.user_employee).action_approval_request("approved")
        as_employee = doc.with_user(self.user_employee)
        as_manager = doc.with_user(self.user_manager)
        self.assertTrue(as_employee.approval_pending)
        self.assertFalse(as_employee.approval_next_states)
        self.assertFalse(as_employee.approval_can_approve)
        self.assertTrue(as_employee.approval_can_cancel)
        self.assertTrue(as_manager.approval_can_approve)
        self.assertFalse(doc.with_user(self.user_peer).approval_can_cancel)
        self.assertEqual(as_manager.approval_request_id, self.pending_request(doc))
        self.assertEqual(as_manager.approval_approver_user_ids, self.user_manager)

    def test_search_helpers(self):
        waiting, idle = self.make_doc(), self.make_doc()
        waiting.with_user(self.user_employee).action_approval_request("approved")
        Doc = self.Doc.with_user(self.user_manager)
        mine = [("company_id", "=", self.company.id)]
        self.assertEqual(
            Doc.search([*mine, ("approval_can_approve", "=", True)]), waiting
        )
        self.assertEqual(
            Doc.search([*mine, ("approval_can_approve", "=", False)]), idle
        )
        self.assertEqual(Doc.search([*mine, ("approval_pending", "=", True)]), waiting)
        self.assertEqual(Doc.search([*mine, ("approval_pending", "!=", True)]), idle)
        self.assertEqual(
            Doc.search(
                [*mine, ("approval_approver_user_ids", "in", [self.user_manager.id])]
            ),
            waiting,
        )
        as_employee = self.Doc.with_user(self.user_employee)
        self.assertFalse(
            as_employee.search([*mine, ("approval_can_approve", "=", True)])
        )

    def test_helpers_are_batched(self):
        """Reading the helpers costs the same for 2 and for 6 records."""

        def read_helpers(count):
            docs = self.Doc.browse()
            for _i in range(count):
                doc = self.make_doc()
                doc.with_user(self.user_employee).action_approval_request("approved")
                docs |= doc
            docs = docs.with_user(self.user_manager)
            self.env.invalidate_all()
            queries_before = self.cr.sql_log_count
            docs.mapped("approval_can_approve")
            docs.mapped("approval_next_states")
            return self.cr.sql_log_count - queries_before

        read_helpers(1)  # warm the access caches
        self.assertEqual(read_helpers(2), read_helpers(6))

    def test_documented_form_view_is_valid(self):
        """The header and page of docs/architecture.md validate as a view."""
        view = self.env["ir.ui.view"].create(
            {
                "name": "approval test doc form",
                "model": "okr.approval.test.doc",
                "type": "form",
                "arch": DOCUMENTED_FORM,
            }
        )
        doc = self.make_doc()
        as_employee = doc.with_user(self.user_employee)
        views = as_employee.get_views([(view.id, "form")])
        self.assertIn("approval_history_html", views["models"][doc._name]["fields"])
        spec = {
            "approval_next_states": {},
            "approval_can_approve": {},
            "approval_history_html": {},
        }
        values = as_employee.web_read(spec)[0]
        self.assertEqual(values["approval_next_states"], ["approved", "cancelled"])
        self.assertFalse(values["approval_can_approve"])


@tagged("post_install", "-at_install")
class TestApprovalSetup(ApprovalCase):
    """The transition table is normalised once per model, at registry setup;
    the chatter notes come from one table."""

    def test_table_is_normalised_at_setup_not_per_call(self):
        for Model in (
            self.Doc,
            self.env["okr.objective"],
            self.env["okr.learning.plan"],
        ):
            declared, table = type(Model)._approval_transition_table
            self.assertIs(declared, Model._approval_transitions, Model._name)
            self.assertTrue(table, Model._name)
        # 6 rows from one state, 1 row from three states
        self.assertEqual(len(type(self.Doc)._approval_transition_table[1]), 9)
        with patch(
            f"{routing.__name__}.normalise_transitions",
            side_effect=AssertionError("the table was normalised again"),
        ):
            doc = self.make_doc()
            doc.with_user(self.user_employee).action_approval_request("approved")
            doc.with_user(self.user_manager).action_approval_approve()
            self.assertEqual(
                self.Doc._approval_get_transitions(),
                list(type(self.Doc)._approval_transition_table[1]),
            )
        self.assertEqual(doc.state, "approved")

    def test_every_decision_has_its_note(self):
        values = {"from_state": "Draft", "to_state": "Approved", "approvers": "A, B"}
        expected = {
            ("requested", "Why"): "Approval requested: Draft → Approved. "
            "Approvers: A, B. Comment: Why",
            ("requested", None): "Approval requested: Draft → Approved. "
            "Approvers: A, B.",
            ("approved", "Go"): "Approved: Draft → Approved. Comment: Go",
            ("approved", None): "Approved: Draft → Approved.",
            ("rejected", "No"): "Rejected: Draft → Approved. Reason: No",
            ("cancelled", None): "Approval request withdrawn: Draft → Approved.",
            ("escalated", "C D"): "Approval of Draft → Approved escalated to C D.",
            ("applied", "Imported"): "Stage changed: Draft → Approved. "
            "Comment: Imported",
            ("applied", None): "Stage changed: Draft → Approved.",
        }
        for (decision, comment), text in expected.items():
            with self.subTest(decision=decision, comment=comment):
                self.assertEqual(
                    chatter_note(self.env, decision, comment=comment, **values), text
                )
        decisions = (
            self.env["okr.stage.history"]._fields["decision"].get_values(self.env)
        )
        self.assertEqual(
            {decision for decision, _comment in CHATTER_NOTES if decision},
            set(decisions) - {"applied"},
            "every decision but 'applied' (the default) has its own note",
        )

    def test_notes_are_translated(self):
        self.env["res.lang"]._activate_lang("zh_TW")
        self.env["ir.module.module"]._load_module_terms(
            ["bsc_okr"], ["zh_TW"], overwrite=True
        )
        self.assertEqual(
            chatter_note(
                self.env(context={"lang": "zh_TW"}),
                "approved",
                from_state="A",
                to_state="B",
                approvers="",
                comment=None,
            ),
            "已批准：A → B。",
        )
