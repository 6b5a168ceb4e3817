import re
import uuid

from odoo import api, fields, models
from odoo.tools import SQL

KEY_RE = re.compile(r"^[0-9a-f]{32}$")


class OkrPortalSubmission(models.Model):
    """One row per portal form sent, so that a form sent twice (a double
    click, a reload after POST) is applied once.

    Each portal form carries a random key; the controller claims it in the
    same transaction (and savepoint) as the change it makes. The unique
    index makes a second claim of the same key wait for the first and then
    fail, also across workers; a refused change releases its key with the
    savepoint, so the user may fix the form and send it again.
    """

    _name = "okr.portal.submission"
    _description = "Portal Form Submission"
    _log_access = False

    key = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", required=True, readonly=True, ondelete="cascade", index=True
    )
    create_date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    target_url = fields.Char(
        readonly=True,
        help="Technical: the page the first submission led to.",
    )

    _sql_constraints = [
        ("key_user_unique", "UNIQUE(user_id, key)", "A form is applied once."),
    ]

    @api.model
    def _new_key(self):
        """A fresh random key for a form being rendered."""
        return uuid.uuid4().hex

    @api.model
    def _claim(self, key):
        """Claim ``key`` for the current user.

        Returns ``(True, None)`` when this is the first submission of the
        form, ``(False, url)`` when it was already applied (``url``: where
        the first one led), and ``(False, False)`` for a missing or
        malformed key. Plain SQL: ``ON CONFLICT`` waits for a concurrent
        claim of the same key to commit instead of raising.
        """
        if not isinstance(key, str) or not KEY_RE.match(key):
            return False, False
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO okr_portal_submission (key, user_id, create_date)
                VALUES (%s, %s, now() AT TIME ZONE 'UTC')
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING id
                """,
                key,
                self.env.uid,
            )
        )
        if self.env.cr.fetchone():
            return True, None
        self.env.cr.execute(
            SQL(
                "SELECT target_url FROM okr_portal_submission "
                "WHERE user_id = %s AND key = %s",
                self.env.uid,
                key,
            )
        )
        row = self.env.cr.fetchone()
        return False, (row and row[0]) or "/my/okrs"

    @api.model
    def _set_target(self, key, url):
        self.env.cr.execute(
            SQL(
                "UPDATE okr_portal_submission SET target_url = %s "
                "WHERE user_id = %s AND key = %s",
                url,
                self.env.uid,
                key,
            )
        )

    @api.autovacuum
    def _gc_old_submissions(self):
        """Keys older than two days protect nothing any more."""
        self.env.cr.execute(
            SQL(
                "DELETE FROM okr_portal_submission "
                "WHERE create_date < (now() AT TIME ZONE 'UTC') - interval '2 days'"
            )
        )
