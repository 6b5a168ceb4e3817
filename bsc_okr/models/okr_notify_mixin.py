# Copyright 2026 bsc_okr developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class OkrNotifyMixin(models.AbstractModel):
    """The one place bsc_okr sends a ``mail.template`` to one person.

    Every message of the quarter's rhythm (check-in reminder, manager
    digest, alerts, approvals waiting, grading open, cycle closed) goes
    through :meth:`_okr_notify_template`: rendered in the recipient's
    language, delivered by ``message_notify`` as the recipient chose (inbox
    or e-mail), queued rather than sent inside the transaction, and skipped
    with a log line when an administrator broke the template. Appraisal
    staff never get one (the wall).

    Models that send list this mixin *first* in ``_inherit`` (it relies on
    ``mail.thread`` being in the chain). A recipient without an e-mail
    address is notified in their inbox (:meth:`_notify_get_recipients`).
    """

    _name = "okr.notify.mixin"
    _description = "OKR notifications"

    def _notify_get_recipients(self, message, msg_vals=False, **kwargs):
        """A person without a usable e-mail address gets bsc_okr's messages
        in their inbox: an e-mail to nobody would only fail in the mail
        queue, and the reminder would never be seen. Other messages of the
        record keep Odoo's behaviour."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if not self.env.context.get("okr_notify"):
            return recipients
        by_email = [r["id"] for r in recipients if r["notif"] == "email"]
        if by_email:
            # sudo: only whether the recipient has an address is read, to
            # deliver a message meant for them.
            partners = self.env["res.partner"].sudo().browse(by_email)
            no_address = set(partners.filtered(lambda p: not p.email_normalized).ids)
            for recipient in recipients:
                if recipient["id"] in no_address:
                    recipient["notif"] = "inbox"
        return recipients

    def _okr_recipient_lang(self, user):
        """The language ``user`` reads bsc_okr's messages in."""
        # sudo: the sender (a cron, or a portal requester) may not read the
        # recipient's partner; only its language is read.
        return user.sudo().partner_id.lang or self.env.lang

    def _okr_notify_template(self, template, user, add_context=None, author_id=None):
        """Render ``template`` (an xmlid or a ``mail.template``) on this
        record for ``user`` and post it to them alone.

        ``add_context`` holds the values the template reads beyond
        ``object`` (lists, links). Returns the posted ``mail.message``, or
        an empty recordset when the template is missing or could not be
        rendered (logged; the caller goes on with the next person).
        """
        self.ensure_one()
        if isinstance(template, str):
            template = self.env.ref(template, raise_if_not_found=False)
        Message = self.env["mail.message"]
        if not template or not user:
            return Message
        # sudo: the sender (a cron, or a portal requester) may not read the
        # recipient's user and partner; only their language and address are
        # read, to render and deliver a message meant for them.
        user = user.sudo()
        if user._has_group("bsc_okr.group_kpi_appraisal"):
            # The appraisal wall: no OKR message ever reaches appraisal
            # staff, whichever job or step asks for it.
            return Message
        partner = user.partner_id
        lang = self._okr_recipient_lang(user)
        record = self.with_context(lang=lang)
        localized = template.with_context(lang=lang)
        values = {"okr_partner": partner, "okr_user": user, **(add_context or {})}
        try:
            subject = localized._render_field(
                "subject", record.ids, add_context=values
            )[record.id]
            body = localized._render_field("body_html", record.ids, add_context=values)[
                record.id
            ]
        except UserError:
            _logger.exception(
                "mail.template %s could not be rendered for user %s; skipped",
                template.get_external_id().get(template.id) or template.id,
                user.id,
            )
            return Message
        kwargs = {"author_id": author_id} if author_id else {}
        # The flag tells _notify_get_recipients that this is one of ours.
        return record.with_context(okr_notify=True).message_notify(
            partner_ids=partner.ids,
            subject=subject,
            body=body,
            email_layout_xmlid="mail.mail_notification_light",
            # Queued, sent by the mail queue after the commit: a rolled back
            # batch has sent nothing, so its rerun sends nothing twice.
            force_send=False,
            **kwargs,
        )
