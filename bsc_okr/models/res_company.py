from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: Odoo refuses requests above 128 MiB (odoo.http.DEFAULT_MAX_CONTENT_LENGTH),
#: so a larger upload limit would promise what the server never delivers.
UPLOAD_MAX_MB = 128
#: The longest delay, in days, of the grading reminder and grace period: a
#: quarter. Longer, grading would outlast the next cycle.
GRADING_MAX_DAYS = 90
#: The weekdays of the weekly reminder and digest, as ``date.weekday()``.
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
#: Confidence is scored 0..10, so a drop is 1..10 points.
CONFIDENCE_MAX = 10


class ResCompany(models.Model):
    _inherit = "res.company"

    okr_strict_appraisal_wall = fields.Boolean(
        string="Strict Appraisal Wall",
        default=True,
        help="When set, members of KPI Appraisal see no OKR of anybody but "
        "themselves, not even company-public ones.",
    )
    okr_stale_days = fields.Integer(
        string="Stale Key Result After (days)",
        default=14,
        help="A key result without a check-in for this many days is flagged "
        "stale and listed for its owner and their manager.",
    )
    okr_approval_escalation_days = fields.Integer(
        string="Escalate Approvals After (days)",
        default=5,
        help="A pending approval request older than this gets an activity for "
        "the next manager up.",
    )
    bsc_evidence_min_periods = fields.Integer(
        string="Evidence: Minimum Periods",
        default=12,
        help="Aligned months with both values needed before a cause-effect "
        "link of the strategy map is tested; fewer gives 'Insufficient data'.",
    )

    okr_upload_max_mb = fields.Integer(
        string="Largest Portal Upload (MB)",
        default=10,
        help="The largest file an employee may attach to a learning finding "
        "from the portal, in megabytes.",
    )

    okr_grading_reminder_days = fields.Integer(
        string="Grading Reminder After (days)",
        default=5,
        help="Days after grading opens before the owners who have not graded "
        "all their objectives are reminded, once.",
    )
    okr_grading_grace_days = fields.Integer(
        string="Grading Grace Period (days)",
        default=14,
        help="Days after grading opens before the cycle closes by itself, "
        "grading what is left; it closes earlier once everything is graded.",
    )

    okr_reminder_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly Reminder Day",
        default="0",
        required=True,
        help="The weekday on which the check-in reminder and the manager "
        "digest are sent.",
    )
    okr_reminder_quiet_days = fields.Integer(
        string="Quiet Days",
        default=3,
        help="Nobody is reminded who checked in on every due key result "
        "within this many days.",
    )
    okr_confidence_drop_threshold = fields.Integer(
        string="Confidence Drop Alert (points)",
        default=2,
        help="A check-in that lowers confidence by at least this many points "
        "alerts the objective's owner and their manager.",
    )
    okr_digest_enabled = fields.Boolean(
        string="Weekly Manager Digest",
        default=True,
        help="Send each manager with a team that has OKRs a weekly digest.",
    )

    _sql_constraints = [
        (
            "okr_stale_days_positive",
            "CHECK(okr_stale_days > 0)",
            "The number of days before a key result is stale must be positive.",
        ),
        (
            "okr_approval_escalation_days_positive",
            "CHECK(okr_approval_escalation_days > 0)",
            "The number of days before an approval is escalated must be positive.",
        ),
        (
            "bsc_evidence_min_periods_min",
            "CHECK(bsc_evidence_min_periods >= 6)",
            "A cause-effect link needs at least 6 months of history to be tested.",
        ),
    ]

    @api.constrains("okr_upload_max_mb")
    def _check_okr_upload_max_mb(self):
        for company in self:
            if company.okr_upload_max_mb <= 0:
                raise ValidationError(
                    self.env._(
                        "The largest portal upload must be at least 1 MB; "
                        "%(size)s MB is not a size.",
                        size=company.okr_upload_max_mb,
                    )
                )
            if company.okr_upload_max_mb > UPLOAD_MAX_MB:
                raise ValidationError(
                    self.env._(
                        "The largest portal upload can be at most %(max)s MB, "
                        "the largest request the server accepts; not %(size)s MB.",
                        max=UPLOAD_MAX_MB,
                        size=company.okr_upload_max_mb,
                    )
                )

    @api.constrains("okr_grading_reminder_days", "okr_grading_grace_days")
    def _check_okr_grading_days(self):
        for company in self:
            reminder = company.okr_grading_reminder_days
            grace = company.okr_grading_grace_days
            for days in (reminder, grace):
                if not 1 <= days <= GRADING_MAX_DAYS:
                    raise ValidationError(
                        self.env._(
                            "The grading reminder and grace period count from "
                            "1 to %(max)s days; %(days)s days is not possible.",
                            max=GRADING_MAX_DAYS,
                            days=days,
                        )
                    )
            if reminder >= grace:
                raise ValidationError(
                    self.env._(
                        "The grading reminder (%(reminder)s days) must come "
                        "before the end of the grace period (%(grace)s days), "
                        "or nobody would ever get it.",
                        reminder=reminder,
                        grace=grace,
                    )
                )

    @api.constrains("okr_reminder_quiet_days", "okr_confidence_drop_threshold")
    def _check_okr_rhythm(self):
        for company in self:
            if not 0 <= company.okr_reminder_quiet_days <= 6:
                raise ValidationError(
                    self.env._(
                        "Quiet days count from 0 to 6 (a weekly reminder cannot "
                        "wait longer than a week); %(days)s days is not possible.",
                        days=company.okr_reminder_quiet_days,
                    )
                )
            if not 1 <= company.okr_confidence_drop_threshold <= CONFIDENCE_MAX:
                raise ValidationError(
                    self.env._(
                        "Confidence is scored from 0 to %(max)s, so a drop alert "
                        "needs 1 to %(max)s points; %(points)s is not possible.",
                        max=CONFIDENCE_MAX,
                        points=company.okr_confidence_drop_threshold,
                    )
                )

    def _okr_upload_max_bytes(self):
        """The largest file the portal accepts for this company, in bytes."""
        self.ensure_one()
        return self.okr_upload_max_mb * 1024 * 1024
