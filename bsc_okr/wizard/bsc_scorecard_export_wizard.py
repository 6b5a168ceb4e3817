from odoo import api, fields, models


class BscScorecardExportWizard(models.TransientModel):
    """Options of the executive Excel scorecard, then the download.

    The options are checked by the rule the report applies
    (``bsc.scorecard._export_options``) before the download starts, so a
    bad range is reported here, in the dialog.
    """

    _name = "bsc.scorecard.export.wizard"
    _description = "Export Scorecard (Excel)"

    scorecard_id = fields.Many2one(
        "bsc.scorecard",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_scorecard_id(),
    )
    company_id = fields.Many2one(related="scorecard_id.company_id")
    period_from_id = fields.Many2one(
        "bsc.period",
        string="From",
        compute="_compute_period_range",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="cascade",
        domain="[('scorecard_id', '=', scorecard_id)]",
        help="First month exported; empty: the start of the horizon.",
    )
    period_to_id = fields.Many2one(
        "bsc.period",
        string="To",
        compute="_compute_period_range",
        store=True,
        readonly=False,
        precompute=True,
        ondelete="cascade",
        domain="[('scorecard_id', '=', scorecard_id)]",
        help="Last month exported: its values fill the summary, the map and "
        "the measures sheet. Empty: the current month.",
    )
    department_ids = fields.Many2many(
        "hr.department",
        "bsc_scorecard_export_wizard_department_rel",
        "wizard_id",
        "department_id",
        string="Departments",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Only the objectives, measures and initiatives of these "
        "departments and their sub-departments. Empty: the whole scorecard.",
    )
    include_initiatives = fields.Boolean(
        default=True, help="Add the action plan: initiatives and their milestones."
    )
    include_okr = fields.Boolean(
        string="Include OKR Alignment",
        groups="!bsc_okr.group_kpi_appraisal",
        default=lambda self: self.env["bsc.scorecard"]._can_export_okr(),
        help="Add, per strategic objective, how many OKRs serve it and their "
        "average progress and confidence: aggregates of the OKRs you may "
        "see, never an individual OKR or grade.",
    )

    @api.model
    def _default_scorecard_id(self):
        context = self.env.context
        if context.get("active_model") == "bsc.scorecard" and context.get("active_id"):
            return context["active_id"]
        return self.env["bsc.scorecard"]._map_default_scorecard().id

    @api.depends("scorecard_id")
    def _compute_period_range(self):
        Scorecard = self.env["bsc.scorecard"]
        for wizard in self:
            first, last = Scorecard._default_period_range(
                wizard.scorecard_id.period_ids
            )
            wizard.period_from_id = first
            wizard.period_to_id = last

    def _export_data(self):
        self.ensure_one()
        return {
            "scorecard_id": self.scorecard_id.id,
            "period_from_id": self.period_from_id.id,
            "period_to_id": self.period_to_id.id,
            "department_ids": self.department_ids.ids,
            "include_initiatives": self.include_initiatives,
            "include_okr": self.include_okr,
        }

    def action_export(self):
        """Check the options, then download the workbook."""
        self.ensure_one()
        data = self._export_data()
        # Same checks as the report: errors show in this dialog, not as a
        # failed download.
        self.scorecard_id._export_options(data)
        # No close_on_report_download: report_xlsx 18.0's client handler then
        # reports the (successful) download as unhandled. The dialog stays.
        return self.env.ref("bsc_okr.bsc_scorecard_report_xlsx").report_action(
            self.scorecard_id, data=data
        )
