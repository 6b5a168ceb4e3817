#!/usr/bin/env python3
"""Regenerate the pictures of the Excel scorecard in docs/img/.

    python3 tools/xlsx_snapshot.py --db bsc_okr_demo [--login ceo] [--out docs/img]

Renders the executive workbook (report ``bsc_okr.scorecard_xlsx``) of a demo
database as a demo user, converts it to PDF with LibreOffice headless, and
saves the Summary and the Objectives & measures pages as PNG
(``xlsx_summary.png``, ``xlsx_measures.png``) with pdftoppm.

The workbook shows a showcase strategy (the toy manufacturer of the method's
reference case, with bilingual names so that the Chinese font is visible),
built inside the transaction and rolled back afterwards: the database is
left exactly as it was. ``--scorecard NAME`` exports an existing active
scorecard instead. Needs ``soffice`` (apt-get install libreoffice-calc-nogui)
and ``pdftoppm``/``pdftotext`` (poppler-utils).
"""

import argparse
import datetime
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devctl  # noqa: E402

REPO = devctl.REPO
PAGES = {"xlsx_summary.png": "Summary", "xlsx_measures.png": "Objectives & measures"}

# (perspective kind, objective, execution approach, department xmlid, measures)
# measure: (name, unit, polarity, baseline, target, start, monthly drift)
SHOWCASE = [
    (
        "financial",
        "Grow own-brand revenue 自有品牌營收增長",
        "kpi",
        "hr_department_finance_demo",
        [
            ("Own-brand revenue (HKD k)", "currency", "higher", 0, 4200, 3400, 70),
            ("Gross margin", "percent", "higher", 18, 28, 22, 0.5),
        ],
    ),
    (
        "financial",
        "Reduce dependence on brand owners 降低對品牌商依賴",
        "both",
        "hr_department_finance_demo",
        [
            (
                "Share of revenue from top 2 brand owners",
                "percent",
                "lower",
                80,
                55,
                74,
                -1,
            )
        ],
    ),
    (
        "customer",
        "Win preschool families 贏得學前家庭",
        "okr",
        "hr_department_sales_demo",
        [
            ("Preschool series sell-through", "percent", "higher", 0, 85, 61, 2.5),
            ("App monthly active families", "number", "higher", 0, 20000, 6000, 1500),
        ],
    ),
    (
        "customer",
        "Delight brand partners 令品牌夥伴滿意",
        "kpi",
        "hr_department_sales_demo",
        [("On-time delivery to partners", "percent", "range", 0, 97, 93, 0.3)],
    ),
    (
        "process",
        "Lean, flexible production 精益彈性生產",
        "kpi",
        "hr_department_production_demo",
        [
            ("Changeover time", "hours", "lower", 6, 2, 4.8, -0.25),
            ("First-pass yield", "percent", "higher", 90, 98, 94, 0.35),
        ],
    ),
    (
        "process",
        "Faster product development 加快產品開發",
        "both",
        "hr_department_rd_demo",
        [("Concept-to-shelf lead time", "days", "lower", 240, 150, 210, -5)],
    ),
    (
        "learning",
        "Build an innovative management team 建立創新管理團隊",
        "okr",
        "hr_department_management_demo",
        [("Managers running a learning OKR", "percent", "higher", 0, 90, 40, 6)],
    ),
    (
        "learning",
        "Digital and smart-toy skills 數碼與智能玩具技能",
        "both",
        "hr_department_rd_demo",
        [("Staff trained in app and IoT design", "number", "higher", 0, 40, 8, 3)],
    ),
]
LINKS = [
    (
        6,
        5,
        "Managers who learn across industries bring product ideas to market faster.",
    ),
    (7, 5, "App and IoT skills let the team design smart toys in-house."),
    (5, 2, "New preschool series reach families before competitors' copies."),
    (4, 3, "Shorter changeovers make small, on-time batches affordable."),
    (2, 0, "Own products sold to families grow own-brand revenue."),
    (3, 1, "Reliable partners allow us to choose fewer, better brand contracts."),
]


def month_add(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def showcase_dates(today):
    """(horizon start, horizon end, first exported month, last complete month)."""
    last = month_add(today.replace(day=1), -1)
    start = datetime.date(last.year if last.month >= 4 else last.year - 1, 1, 1)
    first = max(start, month_add(last, -11))
    return start, datetime.date(start.year + 1, 12, 31), first, last


def build_showcase(env, today):
    """A scored showcase scorecard in the Harbour Toys demo company."""
    from odoo import Command

    ref = env.ref
    company = ref("bsc_okr.company_harbour_toys_demo")
    start, end, first, last = showcase_dates(today)
    employees = env["hr.employee"].search([("company_id", "=", company.id)])
    by_department = {}
    for employee in employees:
        by_department.setdefault(employee.department_id.id, employee)
    scorecard = env["bsc.scorecard"].create(
        {
            "name": f"Harbour Toys Strategy {start.year}-{end.year} 海港玩具策略",
            "company_id": company.id,
            "date_from": start,
            "date_to": end,
            "owner_id": ref("bsc_okr.hr_employee_grace_cheung_demo").id,
        }
    )
    perspectives = {p.kind: p for p in scorecard.perspective_ids}
    perspectives["financial"].weight = 1.5
    objectives, measures = [], []
    for kind, name, approach, dept_xmlid, measure_specs in SHOWCASE:
        department = ref(f"bsc_okr.{dept_xmlid}")
        objective = env["bsc.objective"].create(
            {
                "name": name,
                "scorecard_id": scorecard.id,
                "perspective_id": perspectives[kind].id,
                "execution_approach": approach,
                "department_id": department.id,
                "owner_id": by_department.get(department.id, employees[:1]).id,
            }
        )
        objectives.append(objective)
        for spec in measure_specs:
            mname, unit, polarity, baseline, target, value, drift = spec
            vals = {
                "name": mname,
                "objective_id": objective.id,
                "unit": unit,
                "polarity": polarity,
                "baseline": baseline,
                "target": target,
                "owner_id": by_department.get(department.id, employees[:1]).id,
                "accumulation": "last",
            }
            if polarity == "range":
                vals.update(range_min=target, range_max=100, baseline=80)
            measures.append((env["bsc.measure"].create(vals), value, drift))
    env["bsc.objective.link"].create(
        [
            {
                "cause_id": objectives[cause].id,
                "effect_id": objectives[effect].id,
                "hypothesis": hypothesis,
                "lag_periods": 3,
            }
            for cause, effect, hypothesis in LINKS
        ]
    )
    scorecard.action_activate()
    periods = scorecard.period_ids.filtered(lambda p: start <= p.date_start <= last)
    values = []
    for index, (measure, value, drift) in enumerate(measures):
        for step, period in enumerate(periods.sorted("date_start")):
            if index == 3 and step % 4 == 3:
                continue  # a measure reported irregularly: "No data" shows
            wobble = math.sin(step + index) * abs(drift) * 0.8
            values.append(
                {
                    "measure_id": measure.id,
                    "period_id": period.id,
                    "value": round(value + drift * step + wobble, 2),
                }
            )
    env["bsc.measure.value"].create(values)
    initiatives = env["bsc.initiative"].create(
        [
            {
                "name": "Preschool series: film, toys, app 學前系列",
                "objective_ids": [Command.set([objectives[2].id, objectives[5].id])],
                "company_id": company.id,
                "owner_id": by_department.get(objectives[2].department_id.id).id,
                "department_id": objectives[2].department_id.id,
                "date_start": start,
                "date_end": end,
                "budget": 1800000,
                "actual_cost": 950000,
                "state": "in_progress",
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Prototypes tested with families",
                            "metric": "families in tests",
                            "unit": "families",
                            "start_value": 0,
                            "target_value": 120,
                            "current_value": 95,
                            "date_due": month_add(first, 6),
                        }
                    ),
                    Command.create(
                        {
                            "name": "Retail partners signed",
                            "metric": "partners",
                            "unit": "partners",
                            "start_value": 0,
                            "target_value": 8,
                            "current_value": 3,
                            "date_due": month_add(first, 10),
                        }
                    ),
                ],
            },
            {
                "name": "Lean changeover programme 快速換模",
                "objective_ids": [Command.set([objectives[4].id])],
                "company_id": company.id,
                "owner_id": ref("bsc_okr.hr_employee_kenneth_wong_demo").id,
                "department_id": objectives[4].department_id.id,
                "date_start": start,
                "date_end": month_add(start, 14),
                "budget": 400000,
                "actual_cost": 430000,
                "state": "in_progress",
                "milestone_ids": [
                    Command.create(
                        {
                            "name": "Changeover time on line 3",
                            "metric": "hours per changeover",
                            "unit": "h",
                            "start_value": 6,
                            "target_value": 2,
                            "current_value": 3,
                            "date_due": month_add(first, 8),
                        }
                    )
                ],
            },
            {
                "name": "Black Technology Learning Plan 黑科技學習計劃",
                "objective_ids": [Command.set([objectives[6].id, objectives[7].id])],
                "company_id": company.id,
                "owner_id": ref("bsc_okr.hr_employee_grace_cheung_demo").id,
                "date_start": start,
                "budget": 150000,
                "actual_cost": 60000,
                "state": "approved",
            },
        ]
    )
    build_okrs(env, company, objectives, first, last, employees)
    scorecard._recompute_scores()
    return scorecard, initiatives, first, last


def build_okrs(env, company, objectives, first, last, employees):
    """A running cycle with a few OKRs serving the OKR-driven objectives."""
    from odoo import Command

    cycle = env["okr.cycle"].create(
        {
            "name": f"Showcase {first:%b %Y} - {last:%b %Y}",
            "company_id": company.id,
            "cycle_type": "custom",
            "date_start": first,
            "date_end": month_add(last, 1) - datetime.timedelta(days=1),
        }
    )
    cycle.action_start()
    # Individual OKRs only where the department's management mode allows them.
    owners = employees.filtered(lambda e: e.department_id.management_mode != "bsc")
    okrs = env["okr.objective"]
    for index, objective in enumerate(objectives):
        if objective.execution_approach == "kpi":
            continue
        for number in range(1 + index % 3):
            okrs |= env["okr.objective"].create(
                {
                    "name": f"{objective.name.split(' ')[0]} OKR {number + 1}",
                    "cycle_id": cycle.id,
                    "company_id": company.id,
                    "owner_id": owners[(index + number) % len(owners)].id,
                    "okr_type": "aspirational",
                    "bsc_objective_id": objective.id,
                    "key_result_ids": [
                        Command.create(
                            {
                                "name": "Result",
                                "start_value": 0,
                                "target_value": 100,
                            }
                        )
                    ],
                }
            )
    okrs.action_activate()
    for index, okr in enumerate(okrs):
        key_result = okr.key_result_ids[:1]
        env["okr.checkin"].with_user(
            key_result.owner_id.user_id or env.ref("base.user_root")
        ).sudo().create(
            {
                "key_result_id": key_result.id,
                "value": 30 + (index * 17) % 60,
                "confidence": 4 + index % 6,
            }
        )


def render(env, login, scorecard_name):
    """The workbook bytes, rendered as ``login`` (record rules apply)."""
    user = env["res.users"].search([("login", "=", login)], limit=1)
    if not user:
        raise devctl.Failure(f"No user with login {login!r} in this database.")
    today = datetime.date.today()
    if scorecard_name:
        scorecard = env["bsc.scorecard"].search(
            [("name", "=", scorecard_name), ("state", "=", "active")], limit=1
        )
        if not scorecard:
            raise devctl.Failure(f"No active scorecard named {scorecard_name!r}.")
        data = {}
    else:
        scorecard, _initiatives, first, last = build_showcase(env, today)
        periods = {p.date_start: p.id for p in scorecard.period_ids}
        data = {"period_from_id": periods[first], "period_to_id": periods[last]}
    user_env = env(user=user.id, context=dict(env.context, **user.context_get()))
    content, _kind = user_env["ir.actions.report"]._render_xlsx(
        "bsc_okr.scorecard_xlsx", [scorecard.id], data=data
    )
    return content


def pages_by_sheet(pdf):
    """{sheet name: first page number} from the page headers (sheet names)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for number, page in enumerate(text.split("\f"), start=1):
        head = "\n".join(page.strip().splitlines()[:2])
        for sheet in PAGES.values():
            if sheet in head and sheet not in found:
                found[sheet] = number
    return found


def snapshot(content, out_dir, resolution, keep_xlsx=None):
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            raise devctl.Failure(
                f"{tool} is missing: apt-get install -y libreoffice-calc-nogui "
                "poppler-utils"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bsc_xlsx_") as tmp:
        tmp = Path(tmp)
        xlsx = tmp / "scorecard.xlsx"
        xlsx.write_bytes(content)
        if keep_xlsx:
            shutil.copy(xlsx, keep_xlsx)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = tmp / "scorecard.pdf"
        pages = pages_by_sheet(pdf)
        for filename, sheet in PAGES.items():
            if sheet not in pages:
                raise devctl.Failure(f"No page of the sheet {sheet!r} in the PDF.")
            prefix = tmp / filename.removesuffix(".png")
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(resolution),
                    "-f",
                    str(pages[sheet]),
                    "-l",
                    str(pages[sheet]),
                    "-singlefile",
                    str(pdf),
                    str(prefix),
                ],
                check=True,
            )
            shutil.copy(f"{prefix}.png", out_dir / filename)
            devctl.say(f"{sheet}: page {pages[sheet]} -> {out_dir / filename}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--login", default="ceo")
    parser.add_argument("--scorecard", help="an existing active scorecard's name")
    parser.add_argument("--out", default=str(REPO / "docs" / "img"))
    parser.add_argument("--resolution", type=int, default=80)
    parser.add_argument("--xlsx", help="also keep the workbook at this path")
    opts = parser.parse_args()
    devctl.check_odoo()
    devctl.ensure_postgres()
    if not devctl.database_state(opts.db):
        raise devctl.Failure(
            f"Database {opts.db} does not have bsc_okr installed: run "
            f"'make run DB={opts.db}' once to create it."
        )
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        ["--addons-path", devctl.addons_path(), *devctl.db_args()]
    )
    registry = odoo.modules.registry.Registry(opts.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            content = render(env, opts.login, opts.scorecard)
        finally:
            cr.rollback()  # the showcase is never kept
    snapshot(content, Path(opts.out), opts.resolution, opts.xlsx)


if __name__ == "__main__":
    try:
        main()
    except devctl.Failure as failure:
        devctl.say(str(failure))
        sys.exit(failure.code)
