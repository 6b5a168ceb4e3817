from odoo import api, fields, models
from odoo.exceptions import UserError


class OkrApprovalRejectWizard(models.TransientModel):
    """Ask the approver for the reason of a rejection, then reject through
    the document (which checks that the user may decide)."""

    _name = "okr.approval.reject.wizard"
    _description = "Reject Approval Request"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="res_model", required=True, readonly=True
    )
    request_id = fields.Many2one("okr.approval.request", compute="_compute_request_id")
    reason = fields.Text(
        required=True, help="Told to the requester and kept in the history."
    )

    @api.depends("res_model", "res_id")
    def _compute_request_id(self):
        for wizard in self:
            record = wizard._get_record()
            wizard.request_id = record.approval_request_id if record else False

    def _get_record(self):
        self.ensure_one()
        approval_models = self.env.registry.descendants(
            ["okr.approval.mixin"], "_inherit"
        )
        if self.res_model not in approval_models or not self.res_id:
            raise UserError(self.env._("This document has no approval workflow."))
        return self.env[self.res_model].browse(self.res_id).exists()

    def action_confirm(self):
        """Reject the pending request with the given reason."""
        self.ensure_one()
        record = self._get_record()
        if not record:
            raise UserError(self.env._("The document no longer exists."))
        action = record.action_approval_reject(self.reason)
        if isinstance(action, dict):
            # the rejection ended the approver's access to the document
            return action
        return {"type": "ir.actions.act_window_close"}
