# Copyright 2026 bsc_okr developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Strategy & OKR (Balanced Scorecard x OKR)",
    "summary": "Strategy maps, scorecards and initiatives fused with OKRs, "
    "learning plans and a KPI appraisal that never sees OKRs",
    "version": "18.0.1.0.0",
    "category": "Productivity/Strategy",
    "license": "LGPL-3",
    "author": "bsc_okr developers",
    "website": "https://github.com/bsc-okr/bsc_okr",
    "maintainers": ["bsc-okr"],
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["hr", "portal", "mail", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "uninstall_hook": "uninstall_hook",
    "data": [
        "security/bsc_okr_groups.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/hr_department_views.xml",
        "views/bsc_okr_menus.xml",
        "security/okr_approval_security.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/okr_approval_request_views.xml",
        "views/okr_stage_history_views.xml",
        "wizard/okr_approval_reject_wizard_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/hr_department_demo.xml",
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
    ],
}
