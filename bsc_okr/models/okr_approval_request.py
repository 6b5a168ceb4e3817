import logging

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_datetime, mute_logger

_logger = logging.getLogger(__name__)

ACTIVITY_TYPE_XMLID = "bsc_okr.mail_activity_type_approval"
#: The message an approver gets when a request starts waiting for them.
WAITING_TEMPLATE = "bsc_okr.mail_template_okr_approval_waiting"

ROLE_SELECTION = [
    ("manager", "Owner's Manager"),
    ("department_manager", "Department Manager"),
    ("strategy_officer", "Strategy Officer"),
    ("executive", "Executive"),
    ("named", "Named Approver"),
    ("okr_admin", "OKR Administrator"),
]


class OkrApprovalRequest(models.Model):
    """A stage change waiting for an approver's decision.

    Created, decided and escalated only by ``okr.approval.mixin`` (users
    have read access only). One pending request per record at most. A
    request locks itself for a decision and carries the approvers'
    activities on its document; each approver it starts waiting for gets
    the "your approval is waited for" message (a ``mail.template``).
    """

    _name = "okr.approval.request"
    _inherit = ["okr.notify.mixin", "mail.thread"]
    _description = "Approval Request"
    _order = "requested_on desc, id desc"

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
        string="Document",
        readonly=True,
        help="Name of the document when the request was made.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    from_state = fields.Char(required=True, readonly=True)
    to_state = fields.Char(required=True, readonly=True)
    pending_state = fields.Char(
        readonly=True,
        help="Stage the document shows while the request waits (empty: it stays in "
        "its current stage).",
    )
    reject_state = fields.Char(
        readonly=True,
        help="Stage the document returns to when the request is rejected.",
    )
    from_state_label = fields.Char(string="From", compute="_compute_state_labels")
    to_state_label = fields.Char(string="To", compute="_compute_state_labels")
    approver_role = fields.Selection(
        ROLE_SELECTION, readonly=True, help="Approver declared by the transition."
    )
    resolved_role = fields.Selection(
        ROLE_SELECTION,
        readonly=True,
        help="Role that actually provided the approvers (the declared one, or a "
        "fallback when it resolved to nobody).",
    )
    requested_by_id = fields.Many2one(
        "res.users", required=True, readonly=True, index=True, ondelete="restrict"
    )
    owner_user_id = fields.Many2one(
        "res.users",
        string="Owner",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="User of the document's owner when the request was made.",
    )
    requested_on = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    request_comment = fields.Text(readonly=True)
    approver_user_ids = fields.Many2many(
        "res.users",
        "okr_approval_request_approver_rel",
        "request_id",
        "user_id",
        string="Approvers",
        readonly=True,
        help="Who may approve or reject, escalation included.",
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Withdrawn"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    decided_on = fields.Datetime(readonly=True)
    decision_comment = fields.Text(
        readonly=True, help="The approver's comment, or the reason of a rejection."
    )
    escalation_level = fields.Integer(
        readonly=True, help="How many times the request went one manager up."
    )
    escalation_date = fields.Datetime(
        readonly=True, help="Last time the request was escalated (or checked for it)."
    )
    escalation_user_ids = fields.Many2many(
        "res.users",
        "okr_approval_request_escalation_rel",
        "request_id",
        "user_id",
        string="Escalated To",
        readonly=True,
    )
    activity_ids = fields.Many2many(
        "mail.activity",
        "okr_approval_request_activity_rel",
        "request_id",
        "activity_id",
        string="Open Activities",
        readonly=True,
    )

    def init(self):
        # Two owners' clicks at once must not create two pending requests.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS okr_approval_request_one_pending "
                "ON okr_approval_request (res_model, res_id) WHERE state = 'pending'"
            )
        )

    @api.depends("res_model", "from_state", "to_state")
    def _compute_state_labels(self):
        for request in self:
            record = self.env.get(request.res_model)
            if record is None or not hasattr(record, "_approval_state_label"):
                request.from_state_label = request.from_state
                request.to_state_label = request.to_state
                continue
            request.from_state_label = record._approval_state_label(request.from_state)
            request.to_state_label = record._approval_state_label(request.to_state)

    @api.depends("res_name", "from_state_label", "to_state_label")
    def _compute_display_name(self):
        for request in self:
            request.display_name = self.env._(
                "%(document)s: %(from_state)s → %(to_state)s",
                document=request.res_name or "",
                from_state=request.from_state_label or "",
                to_state=request.to_state_label or "",
            )

    def _raise_already_decided(self):
        self.ensure_one()
        states = dict(self._fields["state"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "This request was already %(decision)s by %(user)s on %(date)s.",
                decision=states[self.state].lower(),
                user=self.decided_by_id.name or "",
                date=format_datetime(self.env, self.decided_on),
            )
        )

    def _get_record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    def _lock_for_decision(self):
        """Lock the request row so that exactly one decision wins.

        NOWAIT: a second approver acting at the same moment gets a clear
        message at once instead of waiting, then deciding on stale data.
        """
        self.ensure_one()
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM okr_approval_request "
                        "WHERE id = %s FOR UPDATE NOWAIT",
                        self.id,
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Someone else is deciding on this request right now. "
                    "Reload the page in a moment to see the outcome."
                )
            ) from None
        except psycopg2.errors.SerializationFailure:
            raise UserError(
                self.env._(
                    "This request was decided by someone else a moment ago. "
                    "Reload the page to see the outcome."
                )
            ) from None
        self.invalidate_recordset()
        if self.state != "pending":
            self._raise_already_decided()

    def _record_decision(self, state, comment=None):
        """Close the requests as ``state`` (approved, rejected, cancelled) by
        the current user, and remove their activities. Callers check the
        right to decide (and lock, see :meth:`_lock_for_decision`) first."""
        self.write(
            {
                "state": state,
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
                "decision_comment": comment or False,
            }
        )
        self._close_activities()

    def _schedule_activities(self, users, summary=None):
        """One 'Approval' activity per user on the document, linked to the
        request, and the "your approval is waited for" message to each: the
        one place a request starts waiting for someone (its creation, an
        escalation)."""
        self.ensure_one()
        if not users:
            return
        activity_type = self.env.ref(ACTIVITY_TYPE_XMLID)
        deadline = fields.Date.add(
            fields.Date.context_today(self),
            days=self._get_record()
            ._approval_get_company()
            .okr_approval_escalation_days,
        )
        summary = summary or self.env._(
            "Approve: %(from_state)s → %(to_state)s",
            from_state=self.from_state_label,
            to_state=self.to_state_label,
        )
        # sudo: approvers often may not write the document, which creating
        # and closing activities on it requires; the request was checked
        # already by the approval mixin.
        # quick update: Odoo's own "activity assigned to you" e-mail would be
        # a second message; the approver gets the template below instead.
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self.res_model),
                        "res_id": self.res_id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "summary": summary,
                        "date_deadline": deadline,
                    }
                    for user in users
                ]
            )
        )
        # the request (checked already, see above) links its own activities
        self.sudo().activity_ids = [(4, activity.id) for activity in activities]
        self._okr_notify_waiting(users)

    def _okr_notify_waiting(self, users):
        """Tell each of ``users`` that this request waits for their decision
        (template ``WAITING_TEMPLATE``, in their language, inbox or e-mail
        as they chose), with a link to the document they decide on."""
        self.ensure_one()
        template = self.env.ref(WAITING_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        # sudo: the requester (often a portal employee) may not read the
        # request or its document; the approvers were resolved by the rules.
        request = self.sudo()
        for user in users:
            lang = request._okr_recipient_lang(user)
            request._okr_notify_template(
                template,
                user,
                add_context={
                    "okr_url": request._okr_document_url(user),
                    "okr_requested_on": format_datetime(
                        request.env,
                        request.requested_on,
                        tz=user.sudo().tz,
                        dt_format="short",
                        lang_code=lang,
                    ),
                },
            )

    def _okr_document_url(self, user):
        """The absolute link ``user`` opens the request's document with: its
        own notification link when it has one (``/my`` for portal users),
        else its back-end form."""
        self.ensure_one()
        record = self._get_record()
        if hasattr(record, "_okr_notification_url"):
            return record._okr_notification_url(user)
        return self.get_base_url() + f"/odoo/{self.res_model}/{self.res_id}"

    def _close_activities(self):
        # sudo: see _schedule_activities
        self.sudo().activity_ids.unlink()

    def action_open_record(self):
        """Open the document the request is about."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    def action_approve(self):
        """Approve from the request list; the document's rules decide."""
        for request in self:
            request._get_record().action_approval_approve()
        return True

    def action_open_reject_wizard(self):
        """Ask for the reason, then reject through the document."""
        self.ensure_one()
        return self._get_record().action_approval_open_reject_wizard()

    def action_cancel(self):
        """Withdraw the request through the document."""
        for request in self:
            request._get_record().action_approval_cancel_request()
        return True

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate(self):
        """Give pending requests older than the company's escalation delay to
        the next manager up, one level per delay.

        The due rows are locked with SKIP LOCKED: a request being decided
        right now, or escalated by another worker, is left for the next run.
        """
        now = fields.Datetime.now()
        # The query reads the requests and the companies' delays in SQL.
        self.flush_model()
        self.env["res.company"].flush_model(["okr_approval_escalation_days"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT request.id
                  FROM okr_approval_request request
                  JOIN res_company company ON company.id = request.company_id
                 WHERE request.state = 'pending'
                   AND COALESCE(request.escalation_date, request.requested_on)
                       <= %s - make_interval(
                              days => company.okr_approval_escalation_days)
                 ORDER BY request.id
                   FOR UPDATE OF request SKIP LOCKED
                """,
                now,
            )
        )
        # sudo: requests are read-only for users, and the cron may be run by
        # hand by an administrator who is not the superuser.
        requests = self.sudo().browse([row[0] for row in rows])
        for request in requests:
            request._escalate(now)
        return True

    def _escalate(self, now):
        """Add the managers of the current approvers as approvers."""
        self.ensure_one()
        record = self._get_record().exists()
        if not record:
            self.write({"state": "cancelled", "decided_on": now})
            return
        # sudo: run by the escalation cron; managers are looked up for routing only,
        # their names are not shown to anybody
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.approver_user_ids.ids),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        candidates = employees.parent_id.user_id - self.approver_user_ids
        new_users = record._approval_filter_approvers(candidates, self.requested_by_id)
        if not new_users:
            # Nobody further up: check again after another delay, silently.
            self.write({"escalation_date": now})
            return
        self.write(
            {
                "escalation_level": self.escalation_level + 1,
                "escalation_date": now,
                "approver_user_ids": [(4, user.id) for user in new_users],
                "escalation_user_ids": [(4, user.id) for user in new_users],
            }
        )
        names = ", ".join(new_users.mapped("name"))
        self._schedule_activities(
            new_users,
            summary=self.env._(
                "Escalated approval: %(from_state)s → %(to_state)s",
                from_state=self.from_state_label,
                to_state=self.to_state_label,
            ),
        )
        transition = {"from": self.from_state, "to": self.to_state}
        self.env["okr.stage.history"]._log(
            record,
            "escalated",
            self.from_state,
            self.to_state,
            record[record._approval_state_field],
            request=self,
            comment=names,
        )
        record._approval_post_decision("escalated", transition, self, names)
