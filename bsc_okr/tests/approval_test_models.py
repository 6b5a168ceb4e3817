"""A throwaway model that proves the approval mixin on its own.

Registered only while the approval tests run (odoo-test-helper's
FakeModelLoader); never imported by the module itself.
"""

from odoo import fields, models


class OkrApprovalTestDoc(models.Model):
    _name = "okr.approval.test.doc"
    _inherit = ["okr.approval.mixin"]
    _description = "Approval Test Document"

    _approval_transitions = [
        {
            "from": "draft",
            "to": "approved",
            "pending": "submitted",
            "approver": "manager",
            "reject_to": "draft",
        },
        {"from": "approved", "to": "active", "approver": "owner"},
        {"from": "active", "to": "review", "approver": "department_manager"},
        {
            "from": "review",
            "to": "decided",
            "approver": "executive",
            "reject_to": "parked",
        },
        {"from": "decided", "to": "done", "approver": "strategy_officer"},
        {
            "from": "active",
            "to": "sponsored",
            "approver": "named",
            "approver_field": "sponsor_user_id",
        },
        {
            "from": ("draft", "approved", "active"),
            "to": "cancelled",
            "approver": "owner",
        },
    ]

    name = fields.Char(required=True)
    company_id = fields.Many2one("res.company", required=True)
    owner_id = fields.Many2one("hr.employee")
    department_id = fields.Many2one("hr.department")
    sponsor_user_id = fields.Many2one("res.users")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("active", "Active"),
            ("review", "In Review"),
            ("decided", "Decided"),
            ("sponsored", "Sponsored"),
            ("done", "Done"),
            ("parked", "Parked"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        copy=False,
    )
