import math

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import EngineError, grading


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

    _sql_constraints = [
        (
            "confidence_range",
            "CHECK(confidence BETWEEN 0 AND 10)",
            "Confidence is scored from 0 to 10.",
        ),
    ]

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
        today = fields.Date.context_today(self)
        for checkin in self:
            if checkin.date > today:
                raise ValidationError(
                    self.env._(
                        "A check-in cannot be dated in the future (%(date)s).",
                        date=fields.Date.to_string(checkin.date),
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
            vals["value"] = value
        if "confidence" in vals:
            confidence = self._okr_number(vals["confidence"])
            try:
                valid = confidence is not None and grading.confidence_ok(confidence)
            except EngineError:
                valid = False
            if not valid:
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
        return vals

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
            if "value" not in vals:
                raise ValidationError(
                    self.env._("The value of a check-in is required.")
                )
            self._okr_clean_values(vals)
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
        key_results._okr_check_can_checkin()
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
        for vals in vals_list:
            vals.update(related[key_results.browse(vals["key_result_id"]).id])
        checkins = super(OkrCheckin, self.with_context(mail_create_nolog=True)).create(
            vals_list
        )
        # The user may check in (checked above) but usually may not write the
        # key result itself: the copy of the latest values runs as superuser.
        checkins.key_result_id.sudo()._okr_sync_from_checkins()
        return checkins.with_env(self.env)

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
