import datetime
from itertools import groupby

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import format_date

#: Groups that give a user more to do in Strategy & OKR than their own OKRs;
#: such a user's home action is chosen by whoever sets up their roles.
OKR_ROLE_GROUPS = (
    "bsc_okr.group_okr_manager",
    "bsc_okr.group_strategy_officer",
    "bsc_okr.group_executive",
    "bsc_okr.group_kpi_appraisal",
)
#: People reminded per call of the daily job; the cron runner commits and
#: calls again while people are left (the progress API of ir.cron).
REMINDER_CHUNK = 200


class ResUsers(models.Model):
    _inherit = "res.users"

    okr_checkin_reminder_optout = fields.Boolean(
        string="No Weekly Check-in Reminder",
        help="Do not send me the weekly message that lists the key results "
        "waiting for my check-in.",
    )
    okr_checkin_reminder_date = fields.Date(
        string="Check-in Reminder Date",
        readonly=True,
        copy=False,
        help="Technical: the day this person's weekly check-in reminder was "
        "last handled (sent, or skipped on a broken template); written with "
        "the message, so that nobody gets it twice in one week.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["okr_checkin_reminder_optout"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["okr_checkin_reminder_optout"]

    @api.model_create_multi
    def create(self, vals_list):
        """A new internal user who is only an OKR user opens on My OKRs: the
        five minutes after a first login are spent on their own objectives,
        not on an empty Discuss."""
        users = super().create(vals_list)
        action = self.env.ref("bsc_okr.okr_objective_action", raise_if_not_found=False)
        if action:
            users.filtered(
                lambda user: (
                    not user.action_id
                    and not user.share
                    and user.has_group("bsc_okr.group_okr_user")
                    and not any(user.has_group(group) for group in OKR_ROLE_GROUPS)
                )
            ).action_id = action.id
        return users

    # ------------------------------------------------------------------
    # The weekly check-in reminder
    # ------------------------------------------------------------------
    @api.model
    def _okr_reminder_companies(self, today):
        """The companies whose weekly reminder day is ``today``."""
        # sudo: the job reads the companies' settings, whoever runs it.
        return (
            self.env["res.company"]
            .sudo()
            .search([("okr_reminder_weekday", "=", str(today.weekday()))])
        )

    @api.model
    def _okr_reminder_due_domain(self, today, companies):
        """The key results the reminder of ``today`` lists: due for this
        week's check-in (the one rule, shared with the portal) in
        ``companies``."""
        KeyResult = self.env["okr.key.result"]
        return expression.AND(
            [
                KeyResult._okr_checkin_due_domain(today),
                [("company_id", "in", companies.ids)],
            ]
        )

    @api.model
    def _okr_reminder_candidates(self, today, companies):
        """The people to remind on ``today``, by id: they answer for a due
        key result of ``companies`` that was not checked in within the
        company's quiet days; they did not opt out, were not reminded this
        week, and are not appraisal staff (the wall keeps every OKR message
        away from them)."""
        KeyResult = self.env["okr.key.result"]
        by_quiet = groupby(
            companies.sorted("okr_reminder_quiet_days"),
            key=lambda company: company.okr_reminder_quiet_days,
        )
        not_quiet = expression.OR(
            [
                [
                    ("company_id", "in", [c.id for c in group]),
                    "|",
                    ("last_checkin_date", "=", False),
                    ("last_checkin_date", "<", today - datetime.timedelta(days=quiet)),
                ]
                for quiet, group in by_quiet
            ]
        )
        user_ids = KeyResult._okr_answering_user_ids(
            expression.AND([self._okr_reminder_due_domain(today, companies), not_quiet])
        )
        if not user_ids:
            return self.browse()
        appraisal = self.env.ref("bsc_okr.group_kpi_appraisal")
        week_start = KeyResult._okr_week_start(today)
        return self.search(
            [
                ("id", "in", list(user_ids)),
                ("okr_checkin_reminder_optout", "=", False),
                ("groups_id", "not in", appraisal.ids),
                "|",
                ("okr_checkin_reminder_date", "=", False),
                ("okr_checkin_reminder_date", "<", week_start),
            ],
            order="id",
        )

    @api.model
    def _okr_send_checkin_reminders(self, today):
        """Send the check-in reminders of ``today`` to one chunk of people:
        one message each, listing every due key result they answer for.

        Each person of the chunk is stamped (``okr_checkin_reminder_date``)
        in the transaction that posts their message: a chunk rolled back by a
        crash has sent nothing and stamped nobody, so the rerun sends each
        message once. A person whose message could not be rendered (a broken
        template, logged) is stamped too: retried every call, they would keep
        the job running. Returns ``(done, remaining)`` people.
        """
        companies = self._okr_reminder_companies(today)
        if not companies:
            return 0, 0
        candidates = self._okr_reminder_candidates(today, companies)
        chunk = candidates[:REMINDER_CHUNK]
        if not chunk:
            return 0, 0
        KeyResult = self.env["okr.key.result"]
        key_results = KeyResult.search(
            expression.AND(
                [
                    self._okr_reminder_due_domain(today, companies),
                    KeyResult._okr_answered_by_domain(chunk),
                ]
            )
        )
        by_user = key_results._okr_answering_users()
        template = self.env.ref(
            "bsc_okr.mail_template_okr_checkin_reminder", raise_if_not_found=False
        )
        week_start = KeyResult._okr_week_start(today)
        for user in chunk:
            mine = by_user.get(user.id)
            if not mine or not template:
                continue
            partner = user.partner_id
            lang = partner._okr_recipient_lang(user)
            partner._okr_notify_template(
                template,
                user,
                add_context={
                    "okr_items": mine._okr_reminder_items(user, lang),
                    "okr_week_start": format_date(self.env, week_start, lang_code=lang),
                },
            )
        # sudo: the job stamps the people it reminded, a technical date.
        chunk.sudo().write({"okr_checkin_reminder_date": today})
        return len(chunk), len(candidates) - len(chunk)
