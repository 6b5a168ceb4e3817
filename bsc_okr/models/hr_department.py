from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HrDepartment(models.Model):
    _inherit = "hr.department"

    management_mode = fields.Selection(
        selection=[
            ("bsc", "Balanced Scorecard only"),
            ("okr", "OKR only"),
            ("both", "Balanced Scorecard and OKR"),
        ],
        default="both",
        required=True,
        help="Fusion mode 1: scale businesses often run on the Balanced Scorecard "
        "alone, innovation teams on OKRs alone. A 'BSC only' department cannot "
        "hold team or individual OKRs; an 'OKR only' department cannot hold a "
        "department scorecard.",
    )

    @api.constrains("management_mode")
    def _check_management_mode_scorecards(self):
        """The mirror of bsc.scorecard's check: an 'OKR only' department holds
        no department scorecard."""
        okr_only = self.filtered(lambda d: d.management_mode == "okr")
        if not okr_only:
            return
        # An integrity check, not a read: HR officers who manage departments
        # may not read scorecards, and only names of the departments (which
        # they can read) are reported back.
        scorecards = (
            self.env["bsc.scorecard"]
            .sudo()
            .search(
                [
                    ("department_id", "in", okr_only.ids),
                    ("state", "!=", "archived"),
                ]
            )
        )
        if scorecards:
            raise ValidationError(
                self.env._(
                    "The department %(department)s holds the scorecard "
                    "%(scorecard)s, so it cannot be managed by OKRs only. "
                    "Archive the scorecard or move it to another department "
                    "first, or choose 'Balanced Scorecard and OKR'.",
                    department=scorecards[:1].department_id.display_name,
                    scorecard=scorecards[:1].display_name,
                )
            )
