from odoo import api, fields, models
from odoo.exceptions import UserError

from .approval_guard import history_create_allowed, history_pass


class OkrStageHistory(models.Model):
    """Immutable log of every stage decision of approval-controlled records.

    Rows are written only by :meth:`_log`, which the approval mixin calls
    after its checks, and never change: ``write()`` and ``unlink()`` refuse
    everybody, superuser included, and ``create()`` refuses anything but
    :meth:`_log`. Users who can read a record
    see its history through the record's ``approval_history_html``; the rows
    themselves are readable by the people involved and OKR administrators.
    """

    _name = "okr.stage.history"
    _description = "Stage History"
    _order = "date desc, id desc"

    res_model = fields.Char(
        string="Document Model", required=True, readonly=True, index=True
    )
    res_id = fields.Many2oneReference(
        string="Document ID",
        model_field="res_model",
        required=True,
        readonly=True,
        index=True,
    )
    res_name = fields.Char(
        string="Document", readonly=True, help="Name of the document at the time."
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="restrict"
    )
    request_id = fields.Many2one(
        "okr.approval.request", readonly=True, index=True, ondelete="restrict"
    )
    from_state = fields.Char(
        required=True, readonly=True, help="Stage the transition starts from."
    )
    to_state = fields.Char(
        required=True, readonly=True, help="Stage the transition leads to."
    )
    result_state = fields.Char(
        readonly=True,
        help="Stage of the document right after this step (e.g. back to the "
        "start after a rejection).",
    )
    from_state_label = fields.Char(string="From", compute="_compute_state_labels")
    to_state_label = fields.Char(string="To", compute="_compute_state_labels")
    result_state_label = fields.Char(
        string="Resulting Stage", compute="_compute_state_labels"
    )
    decision = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("applied", "Applied"),
            ("escalated", "Escalated"),
            ("cancelled", "Withdrawn"),
        ],
        required=True,
        readonly=True,
        help="Applied: a transition that needs no approval, made by the owner's side.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="By",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    owner_user_id = fields.Many2one(
        "res.users",
        string="Owner",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="User of the document's owner at the time.",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    comment = fields.Text(
        readonly=True, help="Comment, rejection reason or escalation target."
    )

    @api.depends("res_model", "from_state", "to_state", "result_state")
    def _compute_state_labels(self):
        for row in self:
            record = self.env.get(row.res_model)
            if record is None or not hasattr(record, "_approval_state_label"):
                row.from_state_label = row.from_state
                row.to_state_label = row.to_state
                row.result_state_label = row.result_state
                continue
            row.from_state_label = record._approval_state_label(row.from_state)
            row.to_state_label = record._approval_state_label(row.to_state)
            row.result_state_label = record._approval_state_label(row.result_state)

    @api.model_create_multi
    def create(self, vals_list):
        if not history_create_allowed():
            raise UserError(
                self.env._(
                    "The stage history is written by the approval workflow only; "
                    "it cannot be created by hand."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(self.env._("The stage history cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The stage history cannot be deleted."))

    @api.model
    def _log(self, record, decision, from_state, to_state, result_state, **kwargs):
        """Append the row of one step of ``record``'s approval workflow.

        ``request`` and ``comment`` are optional keywords. The author is the
        current user. Private: the approval mixin calls it once it checked
        the step, so the row is written as superuser under the history pass.
        """
        request = kwargs.get("request")
        with history_pass():
            # sudo: history is read-only for everybody; rows are only written
            # here, after the caller's checks.
            return self.sudo().create(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_name": record.display_name,
                    "company_id": record._approval_get_company().id,
                    "request_id": request.id if request else False,
                    "from_state": from_state,
                    "to_state": to_state,
                    "result_state": result_state,
                    "decision": decision,
                    "user_id": self.env.uid,
                    "owner_user_id": record._approval_get_owner().user_id.id,
                    "comment": kwargs.get("comment") or False,
                }
            )
