from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    okr_strict_appraisal_wall = fields.Boolean(
        related="company_id.okr_strict_appraisal_wall", readonly=False
    )
    okr_stale_days = fields.Integer(related="company_id.okr_stale_days", readonly=False)
    okr_approval_escalation_days = fields.Integer(
        related="company_id.okr_approval_escalation_days", readonly=False
    )
    bsc_evidence_min_periods = fields.Integer(
        related="company_id.bsc_evidence_min_periods", readonly=False
    )
    okr_upload_max_mb = fields.Integer(
        related="company_id.okr_upload_max_mb", readonly=False
    )
    okr_grading_reminder_days = fields.Integer(
        related="company_id.okr_grading_reminder_days", readonly=False
    )
    okr_grading_grace_days = fields.Integer(
        related="company_id.okr_grading_grace_days", readonly=False
    )
    okr_reminder_weekday = fields.Selection(
        related="company_id.okr_reminder_weekday", readonly=False
    )
    okr_reminder_quiet_days = fields.Integer(
        related="company_id.okr_reminder_quiet_days", readonly=False
    )
    okr_confidence_drop_threshold = fields.Integer(
        related="company_id.okr_confidence_drop_threshold", readonly=False
    )
    okr_digest_enabled = fields.Boolean(
        related="company_id.okr_digest_enabled", readonly=False
    )
