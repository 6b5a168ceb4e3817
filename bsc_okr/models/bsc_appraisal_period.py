from odoo import api, fields, models
from odoo.exceptions import UserError


class BscAppraisalPeriod(models.Model):
    """A KPI appraisal period (e.g. "H1 2026") of one company.

    HR opens one, creates a KPI sheet per appraised employee in it, and
    closes it when the appraisal is over: a closed period freezes its sheets.
    """

    _name = "bsc.appraisal.period"
    _description = "Appraisal Period"
    _inherit = ["bsc.authored.text.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_start = fields.Date(required=True)
    date_end = fields.Date(required=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        readonly=True,
        help="A closed period freezes its KPI sheets.",
    )
    sheet_ids = fields.One2many("bsc.kpi.sheet", "period_id", string="KPI Sheets")
    sheet_count = fields.Integer(compute="_compute_sheet_count", string="Sheets")

    _sql_constraints = [
        (
            "date_order",
            "CHECK(date_end >= date_start)",
            "An appraisal period cannot end before it starts.",
        ),
    ]

    @api.depends("sheet_ids")
    def _compute_sheet_count(self):
        counts = dict(
            self.env["bsc.kpi.sheet"]._read_group(
                [("period_id", "in", self.ids)], ["period_id"], ["__count"]
            )
        )
        for period in self:
            period.sheet_count = counts.get(period, 0)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._("Use the Close and Reopen buttons to change the state.")
            )
        return super().write(vals)

    def action_close(self):
        """Close the period: its sheets can no longer change."""
        self.check_access("write")
        # sudo: the state is written only here, after the write check above.
        self.sudo().write({"state": "closed"})

    def action_reopen(self):
        self.check_access("write")
        # sudo: see action_close.
        self.sudo().write({"state": "open"})

    def action_view_sheets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bsc_okr.bsc_kpi_sheet_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"default_period_id": self.id}
        return action
