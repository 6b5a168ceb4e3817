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
        "security/bsc_security.xml",
        "data/bsc_threshold_profile_data.xml",
        "data/bsc_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/hr_department_views.xml",
        "views/bsc_okr_menus.xml",
        "views/bsc_scorecard_views.xml",
        "views/bsc_objective_views.xml",
        "views/bsc_measure_views.xml",
        "views/bsc_measure_value_views.xml",
        "views/bsc_score_views.xml",
        "views/bsc_initiative_views.xml",
        "views/bsc_config_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "bsc_okr/static/src/strategy_map/**/*",
        ],
        "web.assets_tests": [
            "bsc_okr/static/tests/tours/**/*",
        ],
    },
    "demo": [
        "demo/res_company_demo.xml",
        "demo/hr_department_demo.xml",
        "demo/res_users_demo.xml",
        "demo/hr_employee_demo.xml",
        "demo/bsc_demo.xml",
    ],
}
