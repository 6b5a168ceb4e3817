from xmlrpc.client import Fault

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .approval_common import ApprovalCase
from .rpc_common import XmlRpcMixin
from .test_approval_mixin import DOCUMENTED_FORM

# Clicks a form button once it is shown, then waits for the form to reload
# without it. Python checks the outcome in the database afterwards.
CLICK_JS = """
(async () => {
    const wait = async (check, what) => {
        for (let i = 0; i < 150; i++) {
            const found = check();
            if (found) { return found; }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error("timed out waiting for " + what);
    };
    const selector = "button[name=%(button)s]";
    const button = await wait(() => document.querySelector(selector), selector);
    button.click();
    await wait(() => !document.querySelector(selector), "the button to go away");
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestApprovalRpc(XmlRpcMixin, HttpCase, ApprovalCase):
    """The refusals hold over XML-RPC, where any client can send anything."""

    def test_workflow_over_rpc(self):
        doc = self.make_doc()
        self.rpc(
            self.user_employee,
            doc._name,
            "action_approval_request",
            doc.ids,
            "approved",
        )
        self.assert_refused(
            "not an approver",
            self.user_peer,
            doc._name,
            "action_approval_approve",
            doc.ids,
        )
        self.assert_refused(
            "reason",
            self.user_manager,
            doc._name,
            "action_approval_reject",
            doc.ids,
            "",
        )
        self.rpc(self.user_manager, doc._name, "action_approval_approve", doc.ids)
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "approved")

    def test_direct_state_write_over_rpc(self):
        doc = self.make_doc()
        self.assert_refused(
            "approval workflow",
            self.user_employee,
            doc._name,
            "write",
            doc.ids,
            {"state": "active"},
        )
        # whatever the client puts in the context
        self.assert_refused(
            "approval workflow",
            self.user_employee,
            doc._name,
            "write",
            doc.ids,
            {"state": "active"},
            context={"bsc_okr_approval_state_pass": True, "install_mode": True},
        )
        self.assert_refused(
            "approval workflow",
            self.user_employee,
            doc._name,
            "create",
            {"name": "x", "company_id": self.company.id, "state": "active"},
        )
        for method in ("_approval_apply", "_approval_force_state"):
            self.assert_refused(
                "Private methods",
                self.user_employee,
                doc._name,
                method,
                doc.ids,
                "active",
            )
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "draft")

    def test_history_over_rpc(self):
        doc = self.make_doc()
        doc.with_user(self.user_employee).action_approval_request("approved")
        row = self.history(doc)
        self.assertTrue(row)
        admin = self.env.ref("base.user_admin")
        admin.password = "admin-rpc-test"
        create_vals = {
            "res_model": doc._name,
            "res_id": doc.id,
            "company_id": self.company.id,
            "from_state": "draft",
            "to_state": "done",
            "decision": "approved",
            "user_id": self.user_manager.id,
        }
        for user, password in ((self.user_okr_admin, None), (admin, "admin-rpc-test")):
            for pattern, method, args in (
                ("cannot be changed", "write", [row.ids, {"comment": "tampered"}]),
                ("not allowed to delete", "unlink", [row.ids]),
                ("by hand", "create", [create_vals]),
            ):
                with mute_logger("odoo.http"), self.assertRaises(Fault) as caught:
                    self.rpc(
                        user, "okr.stage.history", method, *args, password=password
                    )
                fault = caught.exception
                self.assertRegex(f"{fault.faultCode} {fault.faultString}", pattern)
        row.invalidate_recordset()
        self.assertFalse(row.comment)
        self.assertEqual(len(self.history(doc)), 1)

    def test_request_and_approve_in_the_form(self):
        """The documented buttons work in the web client: the employee submits,
        the manager approves (and the submit button follows the Json helper)."""
        view = self.env["ir.ui.view"].create(
            {
                "name": "approval test doc form",
                "model": "okr.approval.test.doc",
                "type": "form",
                "arch": DOCUMENTED_FORM,
            }
        )
        action = self.env["ir.actions.act_window"].create(
            {
                "name": "Approval test docs",
                "res_model": "okr.approval.test.doc",
                "view_mode": "form",
                "view_id": view.id,
            }
        )
        doc = self.make_doc()
        url = f"/odoo/action-{action.id}/{doc.id}"
        self.browser_js(
            url,
            CLICK_JS % {"button": "action_approval_request"},
            login=self.user_employee.login,
        )
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "submitted")
        self.browser_js(
            url,
            CLICK_JS % {"button": "action_approval_approve"},
            login=self.user_manager.login,
        )
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "approved")
        self.assertEqual(self.history(doc)[-1].user_id, self.user_manager)
