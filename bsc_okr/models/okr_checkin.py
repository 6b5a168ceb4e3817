import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..engine import EngineError, grading, tracking

#: The longest comment a check-in takes, whatever the way it comes (the
#: portal form refuses longer texts too).
COMMENT_MAX = 10000
#: The most check-ins one ``push_checkins`` call takes: a year of weekly
#: check-ins of a 200-person company; a larger import is sent in parts.
PUSH_MAX = 10000
#: What an item of ``push_checkins`` may hold: a check-in's own values, as
#: ``push_checkin`` takes them; the author and the key result's copies
#: always come from the server.
PUSH_KEYS = ("key_result_id", "value", "confidence", "date", "comment")
#: The optional keys of an item, left out when None (as push_checkin does).
PUSH_OPTIONAL = ("confidence", "date", "comment")
#: The system parameter that turns the deferred roll-up on ("1"): the portal
#: and the RPC check-ins then only insert their row, and the roll-up job
#: moves the key results (see ``_okr_rollup_pending``).
DEFERRED_PARAM = "bsc_okr.checkin_deferred_rollup"
#: The check-ins one run of the roll-up job takes at most; the cron runner
#: commits after each run and calls it again while some are left.
ROLLUP_BATCH = 2000


class OkrCheckin(models.Model):
    """A weekly update of a key result: its value, a confidence, a comment.

    Append-only: posting one moves the key result (current value, confidence,
    last check-in date); employees cannot edit or delete check-ins, OKR
    administrators can, and their corrections are tracked in the check-in's
    own chatter (read only by who may read the check-in). Comments are never
    posted to the objective's chatter.
    """

    _name = "okr.checkin"
    _description = "Check-in"
    _inherit = ["mail.thread", "bsc.authored.text.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["key_result_id"]

    key_result_id = fields.Many2one(
        "okr.key.result",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        index=True,
    )
    value = fields.Float(
        required=True,
        tracking=True,
        aggregator="avg",
        help="The key result's value on that date (for a milestone, 1 when done).",
    )
    confidence = fields.Integer(
        required=True,
        default=lambda self: self._default_confidence(),
        tracking=True,
        aggregator="avg",
        help="0-10: how sure you are to reach the target.",
    )
    comment = fields.Text(
        tracking=True,
        help="What moved, what blocks.",
        translate=True,
    )
    author_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="The key result's progress at this value.",
    )
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", store=True, index=True
    )
    owner_id = fields.Many2one(
        related="key_result_id.owner_id", store=True, string="Key Result Owner"
    )
    department_id = fields.Many2one(
        related="key_result_id.objective_id.department_id", store=True
    )
    cycle_id = fields.Many2one(
        related="key_result_id.objective_id.cycle_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="key_result_id.company_id", store=True, index=True
    )
    previous_confidence = fields.Integer(
        readonly=True,
        copy=False,
        help="The confidence of the key result's check-in before this one.",
    )
    confidence_drop = fields.Integer(
        readonly=True,
        copy=False,
        aggregator="max",
        help="How many points the confidence fell since the check-in "
        "before (0 when it rose, stayed or this is the first).",
    )
    rollup_pending = fields.Boolean(
        readonly=True,
        copy=False,
        help="Technical: posted in deferred mode, its key result is not rolled up yet.",
    )
    okr_alert_pending = fields.Boolean(
        string="Alert Pending",
        readonly=True,
        copy=False,
        help="Technical: this check-in lowered the confidence by at least the "
        "company's threshold and the alerts job has not sent its alert yet.",
    )

    _sql_constraints = [
        (
            "confidence_range",
            "CHECK(confidence BETWEEN 0 AND 10)",
            "Confidence is scored from 0 to 10.",
        ),
    ]

    def init(self):
        # Only the few pending rows are indexed: the roll-up job finds them
        # without reading the whole table.
        create_index(
            self.env.cr,
            "okr_checkin_rollup_pending_idx",
            self._table,
            ["id"],
            where="rollup_pending",
        )
        # Likewise the few check-ins whose alert is still to be sent.
        create_index(
            self.env.cr,
            "okr_checkin_alert_pending_idx",
            self._table,
            ["id"],
            where="okr_alert_pending",
        )

    @api.model
    def _default_confidence(self):
        key_result_id = self.env.context.get("default_key_result_id")
        if key_result_id:
            return self.env["okr.key.result"].browse(key_result_id).confidence
        return 5

    @api.depends(
        "value",
        "key_result_id.start_value",
        "key_result_id.target_value",
        "key_result_id.direction",
        "key_result_id.metric_type",
    )
    def _compute_progress(self):
        for checkin in self:
            checkin.progress = checkin.key_result_id._okr_progress_of(checkin.value)

    @api.constrains("date")
    def _check_date(self):
        for checkin in self:
            self._okr_validate_day(checkin.date)

    @api.model
    def _okr_validate_day(self, day):
        """Raise unless a check-in may be dated ``day`` (a date)."""
        if day > fields.Date.context_today(self):
            raise ValidationError(
                self.env._(
                    "A check-in cannot be dated in the future (%(date)s).",
                    date=fields.Date.to_string(day),
                )
            )

    @api.model
    def _okr_clean_values(self, vals):
        """Validate the raw values of a check-in before anything is written.

        RPC clients may send strings; a clear error beats a float() traceback.
        """
        if "value" in vals:
            value = self._okr_number(vals["value"])
            if value is None:
                raise ValidationError(
                    self.env._(
                        "The value of a check-in must be a number; %(raw)s is not one.",
                        raw=repr(vals["value"]),
                    )
                )
            # What people type is bounded; a source's value (recorded as
            # superuser) is what it is.
            error = not self.env.su and self.env["okr.key.result"]._okr_value_error(
                value, self._fields["value"]._description_string(self.env)
            )
            if error:
                raise ValidationError(error)
            vals["value"] = value
        if "confidence" in vals:
            confidence = self._okr_number(vals["confidence"])
            if not self._okr_confidence_valid(confidence):
                raise ValidationError(
                    self.env._(
                        "Confidence is scored from 0 to 10, not %(value)s.",
                        value=repr(vals["confidence"]),
                    )
                )
            if confidence != int(confidence):
                raise ValidationError(
                    self.env._(
                        "Confidence is a whole number from 0 to 10, not %(value)s.",
                        value=vals["confidence"],
                    )
                )
            vals["confidence"] = int(confidence)
        if "date" in vals:
            try:
                day = fields.Date.to_date(vals["date"])
            except (TypeError, ValueError):
                day = None
            if not day:
                raise ValidationError(
                    self.env._(
                        "The date of a check-in must be a date (YYYY-MM-DD), "
                        "not %(raw)s.",
                        raw=repr(vals["date"]),
                    )
                )
            self._okr_validate_day(day)
            vals["date"] = day
        if "comment" in vals:
            comment = vals["comment"]
            if not (comment is None or comment is False or isinstance(comment, str)):
                raise ValidationError(
                    self.env._(
                        "The comment of a check-in must be a text, not %(raw)s.",
                        raw=repr(comment),
                    )
                )
            if comment and len(comment) > COMMENT_MAX:
                raise ValidationError(
                    self.env._(
                        "The comment of a check-in is too long: %(count)s "
                        "characters, at most %(max)s.",
                        count=len(comment),
                        max=COMMENT_MAX,
                    )
                )
        return vals

    @api.model
    def _okr_confidence_valid(self, confidence):
        """Whether ``confidence`` (a number, or None when none could be read)
        is in the engine's range, 0 to 10."""
        try:
            return confidence is not None and grading.confidence_ok(confidence)
        except EngineError:
            return False

    @api.model
    def _okr_confidence_error(self, confidence):
        """The portal's message unless ``confidence`` is a whole number
        the model accepts, else None."""
        if (
            isinstance(confidence, int)
            and not isinstance(confidence, bool)
            and self._okr_confidence_valid(confidence)
        ):
            return None
        return self.env._(
            "Confidence is a whole number from 0 (no chance) to 10 (sure)."
        )

    @api.model
    def _okr_clean_new_values(self, vals):
        """``_okr_clean_values`` for a check-in to create: the value is
        required."""
        if "value" not in vals:
            raise ValidationError(self.env._("The value of a check-in is required."))
        return self._okr_clean_values(vals)

    @api.model
    def _okr_number(self, raw):
        """``raw`` as a finite float, or None when it is not a number.

        Strings are accepted ("1,200.5"), booleans and NaN/infinity are not.
        """
        if isinstance(raw, bool) or raw is None:
            return None
        try:
            number = float(
                raw
                if isinstance(raw, int | float)
                else str(raw).strip().replace(",", "")
            )
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None

    @api.model_create_multi
    def create(self, vals_list):
        if not vals_list:
            return self.browse()
        for vals in vals_list:
            self._okr_clean_new_values(vals)
            if not self.env.su:
                # A check-in is always authored by whoever posts it.
                vals["author_id"] = self.env.uid
        key_results = self.env["okr.key.result"].browse(
            {vals.get("key_result_id") for vals in vals_list}
        )
        if not key_results.exists() or len(key_results) != len(
            {vals.get("key_result_id") for vals in vals_list}
        ):
            raise UserError(self.env._("A check-in needs an existing key result."))
        # Checked before anything is written: only owners and contributors of
        # running key results post check-ins.
        key_results._okr_ensure_can_checkin()
        # The stored related columns come from the key results just checked,
        # in one pass: computed record by record through their related
        # paths, they were a third of the time of a batch of 10,000
        # check-ins (bench/RESULTS.md, measure 1). They always follow the
        # key result: whatever the caller sent for them is replaced. Read as
        # superuser like any related field (contributors may not read the
        # objective).
        related = {
            kr.id: {
                "objective_id": kr.objective_id.id,
                "owner_id": kr.owner_id.id,
                "department_id": kr.objective_id.department_id.id,
                "cycle_id": kr.objective_id.cycle_id.id,
                "company_id": kr.company_id.id,
            }
            for kr in key_results.sudo()
        }
        # The company's alert threshold, read with the key results' company
        # (a setting, read as superuser like the related columns above).
        thresholds = {
            kr.id: kr.company_id.okr_confidence_drop_threshold
            for kr in key_results.sudo()
        }
        deferred = self._okr_rollup_deferred()
        previous = self._okr_latest_confidences(key_results.ids)
        for vals in vals_list:
            kr_id = key_results.browse(vals["key_result_id"]).id
            vals.update(related[kr_id])
            vals["rollup_pending"] = deferred
            confidence = vals.get("confidence")
            if confidence is None:
                confidence = key_results.sudo().browse(kr_id).confidence
            vals["previous_confidence"] = previous.get(kr_id) or 0
            vals["confidence_drop"] = tracking.confidence_drop(
                previous.get(kr_id), confidence
            )
            # Only marked here: the alerts job sends it after the commit, so
            # that posting a check-in stays one insert.
            vals["okr_alert_pending"] = bool(
                thresholds[kr_id] and vals["confidence_drop"] >= thresholds[kr_id]
            )
            # the next check-in of the same batch follows this one
            previous[kr_id] = confidence
        checkins = super(OkrCheckin, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )
        if deferred:
            # Append-only: nothing another check-in could write is touched
            # here; the roll-up job moves the key results after the commit.
            self._okr_trigger_rollup()
        else:
            # The user may check in (checked above) but usually may not write
            # the key result itself: the copy of the latest values runs as
            # superuser.
            checkins.key_result_id.sudo()._okr_sync_from_checkins()
        # A drop of confidence, or the key result turning off track, is
        # alerted by the alerts job right after the commit.
        self.env["okr.key.result"]._okr_trigger_alerts()
        return checkins.with_env(self.env)

    @api.model
    def _okr_latest_confidences(self, key_result_ids):
        """``{key result id: confidence}`` of the latest check-in of each
        key result (none for those without), in one query: what a new
        check-in's confidence drop is measured from."""
        if not key_result_ids:
            return {}
        self.flush_model(["key_result_id", "date", "confidence"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (key_result_id) key_result_id, confidence
                  FROM okr_checkin
                 WHERE key_result_id IN %s
                 ORDER BY key_result_id, date DESC, id DESC
                """,
                tuple(key_result_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Deferred roll-up
    # ------------------------------------------------------------------
    @api.model
    def _okr_rollup_deferred(self):
        """Whether this create only inserts its check-ins.

        Only the ways many people check in at once ask for it (the portal
        form, ``push_checkin`` and ``push_checkins``, with the context key
        ``okr_deferred_rollup``), and only when the system parameter
        ``DEFERRED_PARAM`` is on. Otherwise (back-end forms, the wizard,
        imports, the deferred mode off) the key result moves at once.
        """
        return bool(
            self.env.context.get("okr_deferred_rollup")
            and self._okr_rollup_deferred_mode()
        )

    @api.model
    def _okr_rollup_deferred_mode(self):
        """Whether the deferred roll-up is on (the system parameter)."""
        # sudo: a system parameter, read only to choose the mode
        return bool(self.env["ir.config_parameter"].sudo().get_param(DEFERRED_PARAM))

    @api.model
    def _okr_trigger_rollup(self):
        """Start the roll-up job right after the commit (a new trigger row,
        nothing shared is written)."""
        # sudo: users who check in may not read crons; the trigger only
        # asks the job to run now
        self.env.ref("bsc_okr.okr_checkin_cron_rollup").sudo()._trigger()

    @api.model
    def _cron_rollup_pending(self):
        """The roll-up job: one batch, then the cron runner commits and calls
        again while check-ins are left (the progress API of ir.cron)."""
        done = self._okr_rollup_pending(limit=ROLLUP_BATCH)
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM okr_checkin WHERE rollup_pending")
        )
        remaining = self.env.cr.fetchone()[0]
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)

    @api.model
    def _okr_rollup_pending(self, limit=ROLLUP_BATCH):
        """Roll up at most ``limit`` pending check-ins; returns how many.

        The rows are locked with ``SKIP LOCKED``: a second worker takes the
        next ones, never the same batch. Their key results get the values
        of their latest check-in (the rule of ``_okr_sync_from_checkins``,
        recomputed from all check-ins, not added up: a rerun after a crash
        gives the same figures) in one ``UPDATE ... FROM (VALUES ...)``;
        the ORM then recomputes what is stored from them (progress of the
        key results, of their objectives, the scorecards' roll-ups), and the
        batch's rows stop being pending, all in this transaction.
        """
        cr = self.env.cr
        self.flush_model(["rollup_pending", "key_result_id"])
        cr.execute(
            SQL(
                """
                SELECT id, key_result_id
                  FROM okr_checkin
                 WHERE rollup_pending
                 ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                limit,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return 0
        KeyResult = self.env["okr.key.result"].sudo()
        key_results = KeyResult.browse({kr_id for _id, kr_id in rows}).exists()
        if key_results:
            latest = key_results._okr_latest_checkin_values()
            fnames = ["current_value", "confidence", "last_checkin_date"]
            key_results.flush_recordset(fnames)
            values = SQL(", ").join(
                SQL(
                    "(%s, %s::float8, %s::int4, %s::date)",
                    kr_id,
                    vals["current_value"],
                    # without check-ins, the confidence stays as it is
                    vals.get("confidence"),
                    vals["last_checkin_date"] or None,
                )
                for kr_id, vals in latest.items()
            )
            cr.execute(
                SQL(
                    """
                    UPDATE okr_key_result AS kr
                       SET current_value = v.value,
                           confidence = COALESCE(v.confidence, kr.confidence),
                           last_checkin_date = v.day,
                           write_date = NOW() AT TIME ZONE 'UTC'
                      FROM (VALUES %s) AS v(id, value, confidence, day)
                     WHERE kr.id = v.id
                    """,
                    values,
                )
            )
            # The ORM learns what SQL changed: the cache is dropped and the
            # stored fields that depend on these ones are recomputed.
            key_results.invalidate_recordset(fnames + ["write_date"])
            key_results.modified(fnames)
            key_results.flush_recordset()
            self.env.flush_all()
            # The flush above wrote the history of what the ORM recomputed;
            # the key results' own confidence moved in SQL, unseen by it.
            key_results._okr_record_history()
            # The key results moved: the alerts job looks at their track.
            KeyResult._okr_trigger_alerts()
        cr.execute(
            SQL(
                "UPDATE okr_checkin SET rollup_pending = FALSE WHERE id IN %s",
                tuple(checkin_id for checkin_id, _kr in rows),
            )
        )
        self.invalidate_model(["rollup_pending"])
        return len(rows)

    def write(self, vals):
        # Only OKR administrators have write access (ACL); they correct data.
        if "key_result_id" in vals:
            raise UserError(self.env._("A check-in cannot move to another key result."))
        self._okr_clean_values(vals)
        key_results = self.key_result_id
        result = super().write(vals)
        # The administrator's correction must show on the key result.
        key_results.sudo()._okr_sync_from_checkins()
        return result

    def unlink(self):
        key_results = self.key_result_id
        result = super().unlink()
        # Deleting a check-in (administrators only) moves the key result back.
        key_results.exists().sudo()._okr_sync_from_checkins()
        return result

    @api.depends("key_result_id", "date")
    def _compute_display_name(self):
        for checkin in self:
            checkin.display_name = self.env._(
                "%(kr)s on %(date)s",
                kr=checkin.key_result_id.name or "",
                date=fields.Date.to_string(checkin.date) if checkin.date else "",
            )

    # ------------------------------------------------------------------
    # Many check-ins at once
    # ------------------------------------------------------------------
    @api.model
    def push_checkins(self, items):
        """Post many check-ins at once: the RPC entry point of imports.

        ``items`` is a list of at most ``PUSH_MAX`` mappings
        ``{"key_result_id": id, "value": number, "confidence": 0-10,
        "date": "YYYY-MM-DD", "comment": text}``; the last three are
        optional, as in ``okr.key.result.push_checkin``. Every item is
        checked first, as the calling user and with the rules of a single
        check-in. If one is refused, none is created, and the error lists
        the refused items by their index in ``items`` (from 0): an
        ``AccessError`` when a key result is unknown or closed to the user,
        a ``ValidationError`` otherwise. Else all are created in one batch
        without the chatter work of each record (a pushed check-in has no
        follower; like any check-in, it logs nothing at creation), and the
        key results move as if they had been posted one by one.

        Returns the ids of the new check-ins, in the order of ``items``.
        """
        # Who may not create check-ins at all learns nothing of the items.
        self.check_access("create")
        if not isinstance(items, list | tuple):
            raise ValidationError(
                self.env._(
                    "push_checkins takes a list of check-ins, not %(raw)s.",
                    raw=type(items).__name__,
                )
            )
        if len(items) > PUSH_MAX:
            raise ValidationError(
                self.env._(
                    "push_checkins takes at most %(max)s check-ins at once, "
                    "not %(count)s: send them in several calls.",
                    max=PUSH_MAX,
                    count=len(items),
                )
            )
        vals_list, errors, refused = self._okr_push_check(items)
        if errors:
            lines = [
                self.env._("Item %(index)s: %(error)s", index=index, error=error)
                for index, error in errors
            ]
            message = "\n".join(
                [
                    self.env._(
                        "No check-in was created: %(count)s of the %(total)s "
                        "items are refused.",
                        count=len({index for index, _error in errors}),
                        total=len(items),
                    ),
                    *lines,
                ]
            )
            raise AccessError(message) if refused else ValidationError(message)
        if not vals_list:
            return []
        # The checks of create() run again, on the cleaned values: a context
        # key from the client can never skip them. Only the chatter's work
        # per record (following, auto-subscribing, tracking templates) is
        # skipped.
        return (
            self.with_context(tracking_disable=True, okr_deferred_rollup=True)
            .create(vals_list)
            .ids
        )

    @api.model
    def _okr_push_check(self, items):
        """Check the items of ``push_checkins`` without writing anything.

        Returns ``(vals_list, errors, refused)``: the cleaned values of every
        item, the ``(index, message)`` of each refusal, and whether one of
        them is about a key result the user may not check in on.
        """
        errors = []
        cleaned = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                errors.append(
                    (
                        index,
                        self.env._(
                            "A check-in is a mapping of %(keys)s, not %(raw)s.",
                            keys=", ".join(PUSH_KEYS),
                            raw=type(item).__name__,
                        ),
                    )
                )
                continue
            unknown = sorted(repr(key) for key in item if key not in PUSH_KEYS)
            if unknown:
                errors.append(
                    (
                        index,
                        self.env._(
                            "Unknown keys %(unknown)s: a check-in takes %(keys)s.",
                            unknown=", ".join(unknown),
                            keys=", ".join(PUSH_KEYS),
                        ),
                    )
                )
                continue
            vals = {
                key: value
                for key, value in item.items()
                if not (key in PUSH_OPTIONAL and value is None)
            }
            key_result_id = vals.get("key_result_id")
            if (
                isinstance(key_result_id, bool)
                or not isinstance(key_result_id, int)
                or key_result_id <= 0
            ):
                errors.append(
                    (
                        index,
                        self.env._(
                            "key_result_id must be the id of a key result, "
                            "not %(raw)s.",
                            raw=repr(key_result_id),
                        ),
                    )
                )
                key_result_id = None
            try:
                self._okr_clean_new_values(vals)
            except ValidationError as error:
                errors.append((index, error.args[0]))
            cleaned.append((index, key_result_id, vals))
        by_key_result, hidden = self._okr_push_key_result_errors(
            {key_result_id for _index, key_result_id, _vals in cleaned} - {None}
        )
        refused = False
        for index, key_result_id, _vals in cleaned:
            if key_result_id in by_key_result:
                errors.append((index, by_key_result[key_result_id]))
                refused = refused or key_result_id in hidden
        errors.sort(key=lambda error: error[0])
        return [vals for _index, _key_result_id, vals in cleaned], errors, refused

    @api.model
    def _okr_push_key_result_errors(self, key_result_ids):
        """``({key result id: message}, hidden ids)`` for the key results
        the current user may not check in on now.

        A key result that does not exist, whose check-ins the record rules
        refuse, or on which the user may not check in gets one and the same
        message (its ids are ``hidden``): the answer never tells whether
        another person's key result exists. The state of the objective and
        of the cycle is told only to who may check in on it.
        """
        hidden_message = self.env._(
            "This key result does not exist or you may not check in on it."
        )
        key_results = self.env["okr.key.result"].browse(key_result_ids).exists()
        errors = dict.fromkeys(
            set(key_result_ids) - set(key_results.ids), hidden_message
        )
        hidden = set(errors)
        # The rules a check-in must pass once created, tried now on a
        # check-in in memory, as create() tries them (ir.rule, as superuser).
        rule = self.env["ir.rule"]._compute_domain(self._name, "create")
        for key_result in key_results:
            if rule:
                # sudo: the key result's company, as create() copies it; the
                # user only learns whether the rules let them post.
                company = key_result.sudo().company_id
                draft = self.sudo().new(
                    {
                        "key_result_id": key_result.id,
                        "author_id": self.env.uid,
                        "company_id": company.id,
                    }
                )
                if not draft.filtered_domain(rule):
                    errors[key_result.id] = hidden_message
                    hidden.add(key_result.id)
                    continue
            try:
                key_result._okr_ensure_can_checkin()
            except AccessError:
                errors[key_result.id] = hidden_message
                hidden.add(key_result.id)
            except UserError as error:
                errors[key_result.id] = error.args[0]
        return errors, hidden
