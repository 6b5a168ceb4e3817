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
    "depends": ["hr", "portal", "mail", "report_xlsx", "web_hierarchy"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "uninstall_hook": "uninstall_hook",
    "data": [
        "security/bsc_okr_groups.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/hr_department_views.xml",
        "views/bsc_okr_menus.xml",
        "security/okr_security.xml",
        "data/okr_data.xml",
        "views/okr_cycle_views.xml",
        "views/okr_objective_views.xml",
        "views/okr_objective_public_views.xml",
        "views/okr_key_result_views.xml",
        "views/okr_checkin_views.xml",
        "wizard/okr_checkin_wizard_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/hr_department_demo.xml",
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
        "demo/okr_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "bsc_okr/static/src/okr/**/*",
        ],
    },
}
