"""Fast data generator of the benchmark database.

Structure (departments, employees, users, scorecards, strategic objectives,
links, measures, initiatives, cycles) goes through batched ORM ``create`` so
that every default, constraint and computed field is the product's own.
The bulk rows (OKR objectives, key results, check-ins, measure values) are
written with SQL ``COPY``, with their stored computed columns computed by the
product's engine (``bsc_okr.engine.grading``), because 500,000 ORM creates
would take hours here. Nothing outside this generator uses ``COPY``.

Deterministic: a fixed random seed, dates relative to today.
"""

import io
import json
import random
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta

BATCH = 500
NOW = datetime.now().replace(microsecond=0).isoformat(sep=" ")
PASSWORD_SUFFIX = ""  # portal passwords are the logins (a throwaway database)
PORTAL_LIGHT = "bench_light"
PORTAL_HEAVY = "bench_heavy"
SESSION_LOGIN = "bench_s%02d"
MAP_SCORECARD = "Group Strategy"


def _batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _copy(cr, table, columns, rows):
    """COPY ``rows`` (tuples) into ``table``; None is NULL."""
    buf = io.StringIO()
    for row in rows:
        buf.write(
            "\t".join(
                "\\N"
                if value is None
                else ("t" if value else "f")
                if isinstance(value, bool)
                else str(value).replace("\t", " ").replace("\n", " ")
                for value in row
            )
        )
        buf.write("\n")
    buf.seek(0)
    cr._obj.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf
    )  # table and columns are constants of this file


def _en(text):
    """A value of a translated column (jsonb, one key per language)."""
    return json.dumps({"en_US": text})


def _reserve_ids(cr, table, count):
    cr.execute(
        "SELECT nextval(%s) FROM generate_series(1, %s)", [f"{table}_id_seq", count]
    )
    return [row[0] for row in cr.fetchall()]


def quarter_start(day):
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class Generator:
    """Builds one scale into an empty database with bsc_okr installed."""

    def __init__(self, env, scale_name, scale, log=print):
        self.env = env(
            context=dict(
                env.context,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                no_reset_password=True,
                bsc_skip_recompute=True,
            )
        )
        self.cr = env.cr
        self.scale_name = scale_name
        self.s = scale
        self.log = log
        self.rnd = random.Random(20261128)
        self.today = date.today()
        self.company = self.env.ref("base.main_company")
        self.admin = self.env.ref("base.user_admin")

    # ------------------------------------------------------------------
    def run(self):
        from odoo.addons.bsc_okr.engine import grading

        self.grading = grading
        steps = [
            self.people,
            self.portal_users,
            self.cycles,
            self.strategy,
            self.measure_values,
            self.okrs,
            self.team_kr,
            self.finish,
        ]
        for step in steps:
            self.log(f"generate {self.scale_name}: {step.__name__}")
            step()
            self.env.flush_all()

    # ------------------------------------------------------------------
    def people(self):
        s, rnd = self.s, self.rnd
        Department = self.env["hr.department"]
        top = Department.create({"name": "Bench Group", "company_id": self.company.id})
        departments = Department.create(
            [
                {
                    "name": f"Bench Dept {index:03d}",
                    "parent_id": top.id,
                    "company_id": self.company.id,
                }
                for index in range(s["departments"] - 1)
            ]
        )
        self.departments = top | departments
        Employee = self.env["hr.employee"]
        ceo = Employee.create(
            {"name": "Bench CEO", "department_id": top.id, "company_id": 1}
        )
        managers = Employee.create(
            [
                {
                    "name": f"Bench Head {dept.name[-3:]}",
                    "department_id": dept.id,
                    "parent_id": ceo.id,
                    "company_id": self.company.id,
                }
                for dept in departments
            ]
        )
        for dept, manager in zip(departments, managers, strict=True):
            dept.manager_id = manager
        top.manager_id = ceo
        vals = []
        rest = s["employees"] - 1 - len(managers)
        for index in range(rest):
            manager = managers[index % len(managers)]
            vals.append(
                {
                    "name": f"Bench Employee {index:05d}",
                    "department_id": manager.department_id.id,
                    "parent_id": manager.id,
                    "company_id": self.company.id,
                }
            )
        employees = Employee.browse()
        for chunk in _batches(vals):
            employees |= Employee.create(chunk)
        self.ceo = ceo
        self.managers = managers
        self.employees = ceo | managers | employees
        self.plain_employees = employees
        # Columns copied onto the bulk OKR rows.
        self.emp_dept = {e.id: e.department_id.id for e in self.employees}
        self.dept_head = {d.id: d.manager_id.id for d in self.departments}
        rnd.shuffle(vals)

    def portal_users(self):
        """Portal employees for measures 3 and 5 (password = login)."""
        portal = self.env.ref("base.group_portal")
        okr_user = self.env.ref("bsc_okr.group_okr_user")
        logins = [PORTAL_LIGHT, PORTAL_HEAVY] + [
            SESSION_LOGIN % index for index in range(1, self.s["portal_sessions"] + 1)
        ]
        users = self.env["res.users"].create(
            [
                {
                    "name": f"Bench Portal {login}",
                    "login": login,
                    "password": login + PASSWORD_SUFFIX,
                    "groups_id": [(6, 0, [portal.id, okr_user.id])],
                }
                for login in logins
            ]
        )
        employees = self.plain_employees[: len(users)]
        for employee, user in zip(employees, users, strict=True):
            employee.user_id = user
        self.portal_by_login = {
            user.login: (user, employee)
            for user, employee in zip(users, employees, strict=True)
        }
        self.employee_user = {
            employee.id: user.id
            for user, employee in zip(users, employees, strict=True)
        }

    def cycles(self):
        """Four quarters: the current one running, the three before closed."""
        Cycle = self.env["okr.cycle"]
        current = quarter_start(self.today)
        cycles = []
        for back in (3, 2, 1, 0):
            start = current - relativedelta(months=3 * back)
            end = start + relativedelta(months=3) - timedelta(days=1)
            cycles.append(
                {
                    "name": f"Bench {start.year} Q{(start.month - 1) // 3 + 1}",
                    "date_start": start,
                    "date_end": end,
                    "cycle_type": "quarter",
                    "company_id": self.company.id,
                }
            )
        self.cycle_recs = Cycle.create(cycles)
        # The states are the product's workflow (action_* methods).
        for cycle in self.cycle_recs:
            cycle.action_start()
        for cycle in self.cycle_recs[:-1]:
            cycle.action_start_grading()
            cycle.action_close()
        self.current_cycle = self.cycle_recs[-1]

    # ------------------------------------------------------------------
    def strategy(self):
        s, rnd = self.s, self.rnd
        Scorecard = self.env["bsc.scorecard"].with_context(
            bsc_no_template_perspectives=False
        )
        this_month = self.today.replace(day=1)
        horizon = {
            "date_from": this_month - relativedelta(months=s["periods"] - 1),
            "date_to": this_month + relativedelta(months=1) - timedelta(days=1),
            "company_id": self.company.id,
            "owner_id": self.ceo.id,
        }
        group = Scorecard.create({"name": MAP_SCORECARD, **horizon})
        divisions = Scorecard.create(
            [
                {"name": f"Bench Division {index}", "parent_id": group.id, **horizon}
                for index in (1, 2, 3)
            ]
        )
        self.scorecards = group | divisions
        self.group = group
        division_objectives = s["bsc_objectives"] - s["map_objectives"]
        plan = [(group, s["map_objectives"])] + [
            (division, division_objectives // 3 + (index < division_objectives % 3))
            for index, division in enumerate(divisions)
        ]
        Objective = self.env["bsc.objective"]
        self.bsc_objectives = Objective.browse()
        by_card = {}
        for scorecard, count in plan:
            perspectives = scorecard.perspective_ids.sorted("sequence")
            vals = [
                {
                    "name": f"{scorecard.name} objective {index:03d}",
                    "scorecard_id": scorecard.id,
                    "perspective_id": perspectives[
                        index * len(perspectives) // count
                    ].id,
                    "owner_id": self.managers[index % len(self.managers)].id,
                    "execution_approach": ("kpi", "okr", "both")[index % 3],
                }
                for index in range(count)
            ]
            by_card[scorecard] = Objective.create(vals)
            self.bsc_objectives |= by_card[scorecard]
        # Links: cause before effect in creation order (bottom-up
        # perspectives), hence a DAG; the group map gets `map_links`.
        Link = self.env["bsc.objective.link"]
        for scorecard, objectives in by_card.items():
            wanted = s["map_links"] if scorecard == group else 2 * len(objectives)
            pairs = set()
            count = len(objectives)
            while len(pairs) < min(wanted, count * (count - 1) // 2):
                cause = rnd.randrange(count - 1)
                effect = rnd.randrange(cause + 1, min(count, cause + 12))
                pairs.add((cause, effect))
            Link.create(
                [
                    {
                        "cause_id": objectives[cause].id,
                        "effect_id": objectives[effect].id,
                        "strength": ("weak", "medium", "strong")[cause % 3],
                    }
                    for cause, effect in sorted(pairs)
                ]
            )
        # Measures: 70 % on the group scorecard (the exported one).
        group_measures = s["measures"] * 7 // 10
        measure_vals = []
        for scorecard, objectives in by_card.items():
            total = (
                group_measures
                if scorecard == group
                else (s["measures"] - group_measures) // 3
            )
            for index in range(total):
                objective = objectives[index % len(objectives)]
                measure_vals.append(
                    {
                        "name": f"Measure {scorecard.id}-{index:04d}",
                        "objective_id": objective.id,
                        "unit": ("number", "percent", "currency", "days")[index % 4],
                        "polarity": "lower" if index % 5 == 0 else "higher",
                        "target": 100.0,
                        "baseline": 50.0,
                        "owner_id": objective.owner_id.id,
                    }
                )
        missing = s["measures"] - len(measure_vals)
        for index in range(missing):
            objective = by_card[group][index]
            measure_vals.append(
                {
                    "name": f"Measure extra-{index:04d}",
                    "objective_id": objective.id,
                    "target": 100.0,
                    "owner_id": objective.owner_id.id,
                }
            )
        Measure = self.env["bsc.measure"]
        self.measures = Measure.browse()
        for chunk in _batches(measure_vals):
            self.measures |= Measure.create(chunk)
        Initiative = self.env["bsc.initiative"]
        Initiative.create(
            [
                {
                    "name": f"Bench initiative {index:03d}",
                    "objective_ids": [
                        (
                            6,
                            0,
                            [self.bsc_objectives[index % len(self.bsc_objectives)].id],
                        )
                    ],
                    "owner_id": self.managers[index % len(self.managers)].id,
                    "date_start": horizon["date_from"],
                    "date_end": horizon["date_to"],
                    "budget": 1000.0 * (index % 50 + 1),
                }
                for index in range(s["initiatives"])
            ]
        )
        self.scorecards.write({"state": "active"})

    def measure_values(self):
        """One value per measure and started month (COPY), then the scores."""
        rnd = self.rnd
        periods = {
            scorecard.id: scorecard.period_ids.filtered(
                lambda p: p.date_start <= self.today
            )
            for scorecard in self.scorecards
        }
        rows = []
        for measure in self.measures:
            objective = measure.objective_id
            for period in periods[objective.scorecard_id.id]:
                rows.append(
                    (
                        measure.id,
                        period.id,
                        objective.scorecard_id.id,
                        objective.id,
                        objective.perspective_id.id,
                        self.company.id,
                        self.admin.id,
                        "manual",
                        period.date_start,
                        True,
                        round(rnd.uniform(60, 125), 2),
                        self.admin.id,
                        self.admin.id,
                        NOW,
                        NOW,
                    )
                )
        _copy(
            self.cr,
            "bsc_measure_value",
            [
                "measure_id",
                "period_id",
                "scorecard_id",
                "objective_id",
                "perspective_id",
                "company_id",
                "user_id",
                "source",
                "period_date",
                "is_current",
                "value",
                "create_uid",
                "write_uid",
                "create_date",
                "write_date",
            ],
            rows,
        )
        self.env["bsc.measure.value"].invalidate_model()
        self.scorecards._recompute_scores()

    # ------------------------------------------------------------------
    def okrs(self):
        """OKR objectives, key results and check-ins, written with COPY."""
        s, rnd, grading = self.s, self.rnd, self.grading
        total = s["okr_objectives"]
        per_kr = s["key_results_per_objective"]
        light = self.portal_by_login[PORTAL_LIGHT][1].id
        heavy = self.portal_by_login[PORTAL_HEAVY][1].id
        # The running cycle holds a quarter of the OKRs, at least enough for
        # the heavy portal user's 1,000 and the roll-up batch.
        current_count = max(
            total // 4, s["heavy_user_okrs"] + s["light_user_okrs"] + 200
        )
        older = (total - current_count) // 3
        counts = [older, older, total - current_count - 2 * older, current_count]
        plain = self.plain_employees.ids[len(self.portal_by_login) :]
        bsc_targets = self.bsc_objectives.filtered(
            lambda o: o.execution_approach != "kpi"
        ).ids
        obj_ids = _reserve_ids(self.cr, "okr_objective", total)
        kr_ids = _reserve_ids(self.cr, "okr_key_result", total * per_kr)
        ci_ids = iter(
            _reserve_ids(self.cr, "okr_checkin", total * per_kr * s["checkins_per_kr"])
        )
        obj_rows, parent_rows, kr_rows, ci_rows = [], [], [], []
        next_obj = iter(obj_ids)
        next_kr = iter(kr_ids)
        uid = self.admin.id
        for cycle, count in zip(self.cycle_recs, counts, strict=True):
            closed = cycle.state == "closed"
            last_day = min(cycle.date_end, self.today)
            span = (last_day - cycle.date_start).days
            company_level = max(5, count // 100)
            dept_level = min(len(self.departments), count // 10)
            company_ids, dept_obj = [], {}
            for index in range(count):
                oid = next(next_obj)
                parent = None
                bsc_objective = None
                if index < company_level:
                    level, owner, department = "company", self.ceo.id, None
                    bsc_objective = bsc_targets[index % len(bsc_targets)]
                    company_ids.append(oid)
                elif index < company_level + dept_level:
                    dept = self.departments[index - company_level]
                    level, owner, department = "department", dept.manager_id.id, dept.id
                    parent = company_ids[index % len(company_ids)]
                    bsc_objective = bsc_targets[(index * 7) % len(bsc_targets)]
                    dept_obj[dept.id] = oid
                else:
                    level = "individual"
                    slot = index - company_level - dept_level
                    if cycle == self.current_cycle and slot < s["light_user_okrs"]:
                        owner = light
                    elif cycle == self.current_cycle and slot < (
                        s["light_user_okrs"] + s["heavy_user_okrs"]
                    ):
                        owner = heavy
                    else:
                        owner = plain[rnd.randrange(len(plain))]
                    department = self.emp_dept[owner]
                    parent = dept_obj.get(department) or company_ids[0]
                if parent:
                    parent_rows.append((oid, parent))
                okr_type = "aspirational" if index % 4 == 0 else "committed"
                progresses, confidences = [], []
                for kr_index in range(per_kr):
                    kid = next(next_kr)
                    weight = 1.0 + (kr_index == 0)
                    target = float(10 * (kr_index + 1) * (1 + index % 5))
                    value, confidence, day = 0.0, 5, None
                    for step in range(s["checkins_per_kr"]):
                        day = cycle.date_start + timedelta(
                            days=span * (step + 1) // s["checkins_per_kr"]
                        )
                        value = round(
                            target
                            * (step + 1)
                            / s["checkins_per_kr"]
                            * rnd.uniform(0.4, 1.2),
                            2,
                        )
                        confidence = rnd.randint(3, 9)
                        ci_rows.append(
                            (
                                next(ci_ids),
                                kid,
                                confidence,
                                self.employee_user.get(owner, uid),
                                oid,
                                owner,
                                department,
                                cycle.id,
                                self.company.id,
                                day,
                                value,
                                grading.kr_progress(0.0, target, value),
                                uid,
                                uid,
                                NOW,
                                NOW,
                            )
                        )
                    progress = grading.kr_progress(0.0, target, value)
                    kr_grade = grading.kr_grade(progress) if closed else 0.0
                    progresses.append((progress, weight, kr_grade))
                    confidences.append((confidence, weight))
                    kr_rows.append(
                        (
                            kid,
                            oid,
                            kr_index,
                            self.company.id,
                            cycle.id,
                            owner,
                            self.employee_user.get(owner),
                            confidence,
                            _en(f"KR {kr_index + 1} of objective {oid}"),
                            "graded" if closed else "active",
                            "number",
                            "increase",
                            "manual",
                            day,
                            False,
                            0.0,
                            target,
                            value,
                            weight,
                            progress,
                            kr_grade,
                            uid,
                            uid,
                            NOW,
                            NOW,
                        )
                    )
                progress = grading.objective_progress(
                    [(p, w) for p, w, _g in progresses]
                )
                grade = (
                    grading.objective_grade([(g, w) for _p, w, g in progresses])
                    if closed
                    else None
                )
                weights = sum(w for _c, w in confidences)
                obj_rows.append(
                    (
                        oid,
                        index,
                        cycle.id,
                        self.company.id,
                        owner,
                        self.employee_user.get(owner),
                        department,
                        parent,
                        bsc_objective,
                        _en(f"Bench OKR {oid} ({level})"),
                        level,
                        okr_type,
                        "public",
                        grading.grade_band(grade) if closed else None,
                        grading.grade_callout(grade, okr_type) if closed else None,
                        "graded" if closed else "active",
                        round(sum(c * w for c, w in confidences) / weights, 2),
                        closed,
                        False,
                        progress or 0.0,
                        grade or 0.0,
                        uid,
                        uid,
                        NOW,
                        NOW,
                    )
                )
        cr = self.cr
        _copy(
            cr,
            "okr_objective",
            [
                "id", "sequence", "cycle_id", "company_id", "owner_id",
                "owner_user_id", "department_id", "public_parent_id",
                "bsc_objective_id",
                "name", "level", "okr_type", "visibility", "grade_band",
                "grade_callout", "state", "confidence", "is_graded", "is_learning",
                "progress", "grade", "create_uid", "write_uid", "create_date",
                "write_date",
            ],
            obj_rows,
        )  # fmt: skip
        _copy(
            cr, "okr_objective_parent_rel", ["objective_id", "parent_id"], parent_rows
        )
        _copy(
            cr,
            "okr_key_result",
            [
                "id", "objective_id", "sequence", "company_id", "cycle_id",
                "owner_id", "owner_user_id", "confidence", "name",
                "objective_state", "metric_type", "direction", "source_type",
                "last_checkin_date", "is_grade_overridden", "start_value",
                "target_value", "current_value", "weight", "progress", "grade",
                "create_uid", "write_uid", "create_date", "write_date",
            ],
            kr_rows,
        )  # fmt: skip
        _copy(
            cr,
            "okr_checkin",
            [
                "id", "key_result_id", "confidence", "author_id", "objective_id",
                "owner_id", "department_id", "cycle_id", "company_id", "date",
                "value", "progress", "create_uid", "write_uid", "create_date",
                "write_date",
            ],
            ci_rows,
        )  # fmt: skip
        self.env.invalidate_all()
        self.log(
            f"  {len(obj_rows)} objectives, {len(kr_rows)} key results, "
            f"{len(ci_rows)} check-ins"
        )

    def team_kr(self):
        """A team objective whose key result the 20 portal sessions share."""
        sessions = [
            self.portal_by_login[SESSION_LOGIN % index][1]
            for index in range(1, self.s["portal_sessions"] + 1)
        ]
        owner = sessions[0]
        Objective = self.env["okr.objective"]
        objective = Objective.create(
            {
                "name": "Bench shared team objective",
                "cycle_id": self.current_cycle.id,
                "level": "team",
                "owner_id": owner.id,
                "department_id": owner.department_id.id,
                "key_result_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Bench shared team KR",
                            "owner_id": owner.id,
                            "target_value": 1000.0,
                            "contributor_ids": [(6, 0, [e.id for e in sessions])],
                        },
                    )
                ],
            }
        )
        objective._approval_force_state("active")

    def finish(self):
        cr = self.cr
        cr.execute("ANALYZE")
        self.env["ir.config_parameter"].set_param(
            "bsc_okr.bench_scale", self.scale_name
        )
        self.env["ir.config_parameter"].set_param(
            "bsc_okr.bench_date", self.today.isoformat()
        )


def generate(env, scale_name, scale, log=print):
    Generator(env, scale_name, scale, log=log).run()
