from odoo import fields, models


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
