"""The measures of issue 10, each returning plain figures (seconds, counts).

In-process measures (1 and 4) run in an Odoo environment opened by
``run.py``; every run is rolled back, so the database is the same for each
run. The export (2) runs each sample in a fresh child process
(``python3 bench/measures.py child-export ...``) so that its peak RSS is its
own; the peer and the portal (2, 3, 5) go over HTTP to an Odoo server with
2 workers started by ``run.py``.
"""

import json
import os
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

RUNS = 5


# ----------------------------------------------------------------------
# Measure 1: roll-up after a batch of check-ins
# ----------------------------------------------------------------------
FLOOR_ROLLUP_SQL = """
WITH input AS (
    SELECT d.kr_id, d.value, d.confidence, d.n
      FROM unnest(%(kr_ids)s::int[], %(values)s::float8[], %(confidences)s::int[])
           WITH ORDINALITY AS d(kr_id, value, confidence, n)
), ins AS (
    INSERT INTO okr_checkin (key_result_id, date, value, confidence, author_id,
                             objective_id, owner_id, department_id, cycle_id,
                             company_id, progress, create_uid, write_uid,
                             create_date, write_date)
    SELECT k.id, %(day)s, i.value, i.confidence, %(uid)s, k.objective_id,
           k.owner_id, o.department_id, k.cycle_id, k.company_id,
           CASE WHEN k.target_value <> k.start_value
                THEN (i.value - k.start_value) / (k.target_value - k.start_value)
                ELSE 0 END,
           %(uid)s, %(uid)s, now() at time zone 'UTC', now() at time zone 'UTC'
      FROM input i
      JOIN okr_key_result k ON k.id = i.kr_id
      JOIN okr_objective o ON o.id = k.objective_id
     ORDER BY i.n
 RETURNING id, key_result_id, date, value, confidence, progress
), latest AS (
    SELECT DISTINCT ON (key_result_id) *
      FROM ins
     ORDER BY key_result_id, date DESC, id DESC
), kr_upd AS (
    UPDATE okr_key_result k
       SET current_value = l.value, confidence = l.confidence,
           last_checkin_date = l.date, progress = l.progress,
           write_date = now() at time zone 'UTC'
      FROM latest l
     WHERE k.id = l.key_result_id
 RETURNING k.objective_id
), obj_new AS (
    SELECT k.objective_id,
           sum(greatest(least(coalesce(l.progress, k.progress), 1), 0) * k.weight)
             / nullif(sum(k.weight), 0) AS progress,
           sum(coalesce(l.confidence, k.confidence) * k.weight)
             / nullif(sum(k.weight), 0) AS confidence
      FROM okr_key_result k
      LEFT JOIN latest l ON l.key_result_id = k.id
     WHERE k.weight > 0
       AND k.objective_id IN (SELECT objective_id FROM kr_upd)
     GROUP BY k.objective_id
), obj_upd AS (
    UPDATE okr_objective o
       SET progress = n.progress, confidence = n.confidence,
           write_date = now() at time zone 'UTC'
      FROM obj_new n
     WHERE o.id = n.objective_id
 RETURNING o.bsc_objective_id
), measure_score AS (
    SELECT m.id, m.objective_id, m.weight,
           10 * greatest(least(CASE
               WHEN m.polarity = 'lower' THEN m.target / nullif(v.value, 0)
               ELSE v.value / nullif(m.target, 0) END, 1), 0) AS score
      FROM bsc_measure m
      JOIN bsc_measure_value v ON v.measure_id = m.id AND v.is_current
     WHERE v.period_id = ANY(%(period_ids)s)
), objective_score AS (
    SELECT o.id, o.perspective_id, o.scorecard_id, o.weight,
           sum(ms.score * ms.weight) / nullif(sum(ms.weight), 0) AS score
      FROM bsc_objective o
      JOIN measure_score ms ON ms.objective_id = o.id
     GROUP BY o.id
), perspective_score AS (
    SELECT os.perspective_id, os.scorecard_id,
           sum(os.score * os.weight) / nullif(sum(os.weight), 0) AS score
      FROM objective_score os
     GROUP BY os.perspective_id, os.scorecard_id
)
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM kr_upd),
       (SELECT count(*) FROM obj_upd),
       (SELECT count(*) FROM objective_score),
       (SELECT array_agg(scorecard_id ORDER BY scorecard_id)
          FROM (SELECT scorecard_id, avg(score) FROM perspective_score
                 GROUP BY scorecard_id) s)
"""


def _rollup_input(env, batch):
    """``batch`` check-ins on batch/2 key results of running objectives."""
    env.cr.execute(
        """
        SELECT k.id, k.target_value
          FROM okr_key_result k
          JOIN okr_objective o ON o.id = k.objective_id
          JOIN okr_cycle c ON c.id = o.cycle_id
         WHERE o.state = 'active' AND c.state = 'running'
           AND o.name->>'en_US' LIKE 'Bench OKR %%'
         ORDER BY k.id
         LIMIT %s
        """,
        [batch // 2],
    )
    key_results = env.cr.fetchall()
    rnd = random.Random(10)
    rows = []
    for kr_id, target in key_results:
        for _step in (1, 2):
            rows.append((kr_id, round(rnd.uniform(0, target), 2), rnd.randint(0, 10)))
    return rows


def _current_periods(env, scorecards):
    today = date.today()
    return env["bsc.period"].search(
        [
            ("scorecard_id", "in", scorecards.ids),
            ("date_start", "<=", today),
            ("date_end", ">=", today),
        ]
    )


def measure_rollup(env, scale, runs=RUNS, log=print):
    """Measure 1: ORM roll-up of a batch of check-ins vs one SQL statement."""
    batch = scale["rollup_batch"]
    rows = _rollup_input(env, batch)
    kr_ids = sorted({row[0] for row in rows})
    key_results = env["okr.key.result"].browse(kr_ids)
    objectives = key_results.objective_id
    scorecards = objectives.bsc_objective_id.scorecard_id or env[
        "bsc.scorecard"
    ].search([("state", "=", "active")])
    periods = _current_periods(env, scorecards)
    today = date.today()
    orm, floor, queries = [], [], []
    for run in range(runs + 1):  # the first run warms the caches, not kept
        env.invalidate_all()
        env.cr.execute("SAVEPOINT bench_rollup")
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        env["okr.checkin"].create(
            [
                {
                    "key_result_id": kr_id,
                    "value": value,
                    "confidence": confidence,
                    "date": today,
                }
                for kr_id, value, confidence in rows
            ]
        )
        scorecards._recompute_scores(period_ids=periods.ids)
        env.flush_all()
        # What a commit would run too (the chatter's tracking templates).
        env.cr.precommit.run()
        env.flush_all()
        elapsed = time.perf_counter() - start
        count = env.cr.sql_log_count - start_queries
        # Sanity: the KRs now carry their latest check-in.
        env.cr.execute(
            "SELECT count(*) FROM okr_key_result WHERE id = ANY(%s) "
            "AND last_checkin_date = %s",
            [kr_ids, today],
        )
        assert env.cr.fetchone()[0] == len(kr_ids), "roll-up did not update KRs"
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_rollup")
        env.invalidate_all()
        env.cr.execute("SAVEPOINT bench_rollup")
        start = time.perf_counter()
        env.cr.execute(
            FLOOR_ROLLUP_SQL,
            {
                "kr_ids": [r[0] for r in rows],
                "values": [r[1] for r in rows],
                "confidences": [r[2] for r in rows],
                "day": today,
                "uid": env.uid,
                "period_ids": periods.ids,
            },
        )
        result = env.cr.fetchone()
        floor_elapsed = time.perf_counter() - start
        assert result[0] == len(rows) and result[1] == len(kr_ids), result
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_rollup")
        if run:
            orm.append(elapsed)
            floor.append(floor_elapsed)
            queries.append(count)
        log(f"  roll-up run {run}: orm {elapsed:.3f}s floor {floor_elapsed:.3f}s")
    return {
        "items": len(rows),
        "key_results": len(kr_ids),
        "objectives": len(objectives),
        "scorecards": len(scorecards),
        "queries": max(queries),
        "orm": benchlib.median_min_max(orm),
        "floor": benchlib.median_min_max(floor),
    }


# ----------------------------------------------------------------------
# Measure 4: strategy map data
# ----------------------------------------------------------------------
def measure_strategy_map(env, scale, runs=RUNS, log=print):
    """Measure 4: get_strategy_map_data vs plain search_read of the records."""
    admin = env.ref("base.user_admin")
    Scorecard = env["bsc.scorecard"].with_user(admin)
    scorecard = Scorecard.search([("name", "=", "Group Strategy")], limit=1)
    ours, plain, queries = [], [], []
    size = {}
    for run in range(runs + 1):
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        data = scorecard.get_strategy_map_data()
        elapsed = time.perf_counter() - start
        count = env.cr.sql_log_count - start_queries
        size = {"objectives": len(data["objectives"]), "links": len(data["links"])}
        env.invalidate_all()
        start = time.perf_counter()
        env["bsc.objective"].with_user(admin).search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["name", "perspective_id", "owner_id", "execution_approach", "weight"],
        )
        env["bsc.objective.link"].with_user(admin).search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["cause_id", "effect_id", "strength", "hypothesis", "lag_periods"],
            load=None,
        )
        plain_elapsed = time.perf_counter() - start
        if run:
            ours.append(elapsed)
            plain.append(plain_elapsed)
            queries.append(count)
        log(f"  map run {run}: {elapsed:.4f}s plain {plain_elapsed:.4f}s {count} q")
    return {
        **size,
        "items": size["objectives"] + size["links"],
        "queries": max(queries),
        "ours": benchlib.median_min_max(ours),
        "plain": benchlib.median_min_max(plain),
    }


# ----------------------------------------------------------------------
# Measure 7: evidence of a company-sized strategy map (issue 15)
# ----------------------------------------------------------------------
EVIDENCE_LAYERS = 4  # perspectives, bottom-up
EVIDENCE_PER_LAYER = 50  # objectives per perspective: 200 objectives
EVIDENCE_LINKS_PER_STEP = 200  # links from each perspective to the next: 600
EVIDENCE_MONTHS = 36


def _evidence_fixture(env):
    """A scorecard of 200 objectives (one monthly measure each), 600 links
    (half on the objectives' scores, half on their measures) and 36 months
    of values and scores. Built in the measure's transaction, rolled back."""
    from dateutil.relativedelta import relativedelta

    today = date.today()
    first = today.replace(day=1) - relativedelta(months=EVIDENCE_MONTHS - 1)
    company = env.ref("base.main_company")
    card = env["bsc.scorecard"].create(
        {
            "name": "Bench evidence",
            "company_id": company.id,
            "date_from": first,
            "date_to": today.replace(day=1) + relativedelta(months=1, days=-1),
        }
    )
    perspectives = card.perspective_ids.sorted("sequence")[:EVIDENCE_LAYERS]
    objectives = env["bsc.objective"].create(
        [
            {
                "name": f"Evidence objective {layer}.{index}",
                "scorecard_id": card.id,
                "perspective_id": perspectives[layer].id,
            }
            for layer in range(EVIDENCE_LAYERS)
            for index in range(EVIDENCE_PER_LAYER)
        ]
    )
    measures = env["bsc.measure"].create(
        [
            {
                "name": f"Evidence measure {objective.id}",
                "objective_id": objective.id,
                "target": 100,
                "baseline": 0,
                "accumulation": "last",
            }
            for objective in objectives
        ]
    )
    card.state = "active"
    rng = random.Random(15)
    series = {}
    for measure in measures:
        level, values = 50.0, []
        for _month in range(EVIDENCE_MONTHS):
            level = min(100.0, max(0.0, level + rng.gauss(0.3, 4)))
            values.append(round(level, 2))
        series[measure.id] = values
    card._record_value_series(series)
    card.action_recompute()
    by_objective = {m.objective_id.id: m for m in measures}
    layers = [
        objectives[i * EVIDENCE_PER_LAYER : (i + 1) * EVIDENCE_PER_LAYER]
        for i in range(EVIDENCE_LAYERS)
    ]
    vals_list = []
    for step in range(EVIDENCE_LAYERS - 1):
        pairs = [(c, e) for c in layers[step] for e in layers[step + 1]]
        for number, (cause, effect) in enumerate(
            rng.sample(pairs, EVIDENCE_LINKS_PER_STEP)
        ):
            vals = {"cause_id": cause.id, "effect_id": effect.id, "lag_periods": 3}
            if number % 2:
                vals["cause_measure_id"] = by_objective[cause.id].id
                vals["effect_measure_id"] = by_objective[effect.id].id
            vals_list.append(vals)
    env["bsc.objective.link"].create(vals_list)
    env.flush_all()
    return card


def measure_evidence(env, runs=RUNS, log=print):
    """Measure 7: "Test the map's links" on 600 links x 36 months vs the
    floor, the same engine calls (numpy, scipy) on the same series already
    in memory."""
    from odoo.addons.bsc_okr.engine import evidence

    admin = env.ref("base.user_admin")
    card = _evidence_fixture(env).with_user(admin)
    links = env["bsc.objective.link"].search([("scorecard_id", "=", card.id)])
    ours, floor, queries = [], [], []
    verdicts = {}
    for run in range(runs + 1):
        env.invalidate_all()
        start_queries = env.cr.sql_log_count
        start = time.perf_counter()
        card.action_test_links()
        env.flush_all()
        elapsed = time.perf_counter() - start
        count = env.cr.sql_log_count - start_queries
        series = links._evidence_series()
        inputs = links._evidence_inputs(
            series, card.company_id.bsc_evidence_min_periods
        )
        start = time.perf_counter()
        evidence.assess_links(inputs)
        floor_elapsed = time.perf_counter() - start
        if run:
            ours.append(elapsed)
            floor.append(floor_elapsed)
            queries.append(count)
        log(
            f"  evidence run {run}: {elapsed:.3f}s floor {floor_elapsed:.3f}s {count} q"
        )
    for link in links:
        verdicts[link.evidence_verdict] = verdicts.get(link.evidence_verdict, 0) + 1
    return {
        "links": len(links),
        "months": EVIDENCE_MONTHS,
        "queries": max(queries),
        "verdicts": verdicts,
        "ours": benchlib.median_min_max(ours),
        "floor": benchlib.median_min_max(floor),
    }


# ----------------------------------------------------------------------
# Measure 8: import of OKRs from a spreadsheet
# ----------------------------------------------------------------------
IMPORT_ROWS = 2000
IMPORT_KRS_PER_OBJECTIVE = 4
IMPORT_OWNERS = 50


def _import_fixture(env):
    """A running cycle, 50 owners with a work e-mail and the xlsx file of
    2,000 key results (500 objectives) for them. Built in the measure's
    transaction, rolled back."""
    import io

    import openpyxl

    company = env.ref("base.main_company")
    cycle = env["okr.cycle"].create(
        {
            "name": "Bench import cycle",
            "company_id": company.id,
            "cycle_type": "custom",
            "date_start": date(2090, 1, 1),
            "date_end": date(2090, 3, 31),
        }
    )
    cycle.action_start()
    department = env["hr.department"].create(
        {"name": "Bench import", "company_id": company.id}
    )
    env["hr.employee"].create(
        [
            {
                "name": f"Bench importee {i:02d}",
                "work_email": f"bench.importee{i:02d}@example.com",
                "company_id": company.id,
                "department_id": department.id,
            }
            for i in range(IMPORT_OWNERS)
        ]
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Objective",
            "Owner",
            "Level",
            "Cycle",
            "Type",
            "Key result",
            "Start",
            "Target",
            "Unit",
            "Weight",
        ]
    )
    for n in range(IMPORT_ROWS):
        objective = n // IMPORT_KRS_PER_OBJECTIVE
        sheet.append(
            [
                f"Bench objective {objective:04d}",
                f"bench.importee{objective % IMPORT_OWNERS:02d}@example.com",
                "Individual",
                cycle.name,
                "Committed" if objective % 2 else "Aspirational",
                f"Bench key result {n}",
                0,
                10 + n % 90,
                "units",
                1 + n % 3,
            ]
        )
    output = io.BytesIO()
    workbook.save(output)
    env.flush_all()
    return output.getvalue()


def measure_import(env, runs=RUNS, log=print):
    """Measure 8: the Import OKRs wizard on 2,000 rows, as the administrator
    (an OKR administrator), with tracking on, everything flushed; each run
    rolled back. Floor: the same two batched creates as superuser, values
    already in memory (no file read, no check)."""
    import base64

    admin = env.ref("base.user_admin")
    data = base64.b64encode(_import_fixture(env))
    Wizard = env["okr.import.wizard"].with_user(admin)
    ours, floor, queries = [], [], []
    created = None
    for run in range(runs + 1):
        env.invalidate_all()
        with env.cr.savepoint() as savepoint:
            start_queries = env.cr.sql_log_count
            start = time.perf_counter()
            wizard = Wizard.create({"file": data, "filename": "bench.xlsx"})
            wizard.action_import()
            env.flush_all()
            elapsed = time.perf_counter() - start
            count = env.cr.sql_log_count - start_queries
            if wizard.state != "done":
                raise RuntimeError(f"bench import refused: {wizard.error_text}")
            objectives = wizard.objective_ids
            created = (len(objectives), len(objectives.key_result_ids))
            obj_vals = objectives.read(
                ["name", "owner_id", "cycle_id", "company_id", "level", "okr_type"],
                load=None,
            )
            kr_vals = objectives.key_result_ids.read(
                [
                    "name",
                    "owner_id",
                    "start_value",
                    "target_value",
                    "unit",
                    "weight",
                    "sequence",
                    "direction",
                    "objective_id",
                ],
                load=None,
            )
            savepoint.close(rollback=True)
        env.invalidate_all()
        old_ids = [vals.pop("id") for vals in obj_vals]
        for vals in kr_vals:
            vals.pop("id")
        with env.cr.savepoint() as savepoint:
            start = time.perf_counter()
            done = env["okr.objective"].create(obj_vals)
            new_ids = dict(zip(old_ids, done.ids, strict=True))
            for vals in kr_vals:
                vals["objective_id"] = new_ids[vals["objective_id"]]
            env["okr.key.result"].create(kr_vals)
            env.flush_all()
            floor_elapsed = time.perf_counter() - start
            savepoint.close(rollback=True)
        env.invalidate_all()
        if run:
            ours.append(elapsed)
            floor.append(floor_elapsed)
            queries.append(count)
        log(f"  import run {run}: {elapsed:.3f}s floor {floor_elapsed:.3f}s {count} q")
    return {
        "rows": IMPORT_ROWS,
        "objectives": created[0],
        "key_results": created[1],
        "queries": max(queries),
        "ours": benchlib.median_min_max(ours),
        "floor": benchlib.median_min_max(floor),
    }


# ----------------------------------------------------------------------
# Measure 2: Excel export (child processes)
# ----------------------------------------------------------------------
def _rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb():
    """Peak RSS of this process (VmHWM: unlike ``ru_maxrss``, not inherited
    from the parent across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_export_ours(dbname):
    """One export of the group scorecard, in this fresh process."""
    with benchlib.odoo_env(dbname) as env:
        admin = env.ref("base.user_admin")
        scorecard = env["bsc.scorecard"].search([("name", "=", "Group Strategy")])
        Report = env["ir.actions.report"].with_user(admin)
        # Load everything the first render needs (templates, formats) on a
        # tiny scorecard would change the data; instead the baseline RSS is
        # taken after the registry is loaded and reported next to the peak.
        baseline = _rss_mb()
        start = time.perf_counter()
        content, kind = Report._render_xlsx(
            "bsc_okr.scorecard_xlsx", [scorecard.id], {"include_okr": True}
        )
        elapsed = time.perf_counter() - start
        assert kind == "xlsx"
        return {
            "seconds": elapsed,
            "peak_mb": _peak_mb(),
            "baseline_mb": baseline,
            "bytes": len(content),
        }


def _floor_cells(dbname):
    """The cells of the export's sheets, read with plain SQL (not timed)."""
    import psycopg2

    conn = psycopg2.connect(dbname=dbname, host=os.environ.get("PGHOST", "127.0.0.1"))
    cur = conn.cursor()
    cur.execute("SELECT id FROM bsc_scorecard WHERE name->>'en_US' = 'Group Strategy'")
    scorecard_id = cur.fetchone()[0]
    cur.execute(
        """
        SELECT p.id, p.name->>'en_US', p.date_start FROM bsc_period p
         WHERE p.scorecard_id = %s AND p.date_start <= current_date
         ORDER BY p.date_start
        """,
        [scorecard_id],
    )
    periods = cur.fetchall()
    cur.execute(
        """
        SELECT m.id, ps.name->>'en_US', o.name->>'en_US', m.name->>'en_US',
               e.name, d.name->>'en_US', m.unit, m.polarity, m.baseline,
               m.current_target, m.current_actual, m.current_achievement,
               m.current_score, m.current_status, m.current_trend
          FROM bsc_measure m
          JOIN bsc_objective o ON o.id = m.objective_id
          JOIN bsc_perspective ps ON ps.id = o.perspective_id
          LEFT JOIN hr_employee e ON e.id = m.owner_id
          LEFT JOIN hr_department d ON d.id = m.department_id
         WHERE o.scorecard_id = %s
         ORDER BY ps.sequence, o.id, m.sequence, m.id
        """,
        [scorecard_id],
    )
    measures = cur.fetchall()
    cur.execute(
        """
        SELECT measure_id, period_id, actual, target, achievement, score, status
          FROM bsc_score WHERE scorecard_id = %s AND level = 'measure'
        """,
        [scorecard_id],
    )
    scores = {(r[0], r[1]): r[2:] for r in cur.fetchall()}
    cur.execute(
        """
        SELECT ps.name->>'en_US', o.name->>'en_US', o.execution_approach,
               count(k.id), avg(k.progress), count(k.id), avg(k.confidence)
          FROM bsc_objective o
          JOIN bsc_perspective ps ON ps.id = o.perspective_id
          LEFT JOIN okr_objective k ON k.bsc_objective_id = o.id
                                   AND k.state != 'cancelled'
         WHERE o.scorecard_id = %s
         GROUP BY ps.name, o.name, o.execution_approach, o.id
         ORDER BY o.id
        """,
        [scorecard_id],
    )
    alignment = cur.fetchall()
    conn.close()
    return periods, measures, scores, alignment


def child_export_floor(dbname):
    """Bare xlsxwriter writing the same cells from Python lists."""
    import xlsxwriter

    periods, measures, scores, alignment = _floor_cells(dbname)
    baseline = _rss_mb()
    start = time.perf_counter()
    path = f"/tmp/bench_floor_{os.getpid()}.xlsx"
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    number = workbook.add_format({"num_format": "0.00"})
    # Summary + strategy map: one row per objective.
    for name in ("Summary", "Strategy map", "OKR alignment"):
        sheet = workbook.add_worksheet(name)
        for row, cells in enumerate(alignment, start=1):
            for col, value in enumerate(cells):
                if isinstance(value, str):
                    sheet.write_string(row, col, value)
                elif value is not None:
                    sheet.write_number(row, col, float(value), number)
    # Objectives & measures: one row per measure, one column per period.
    sheet = workbook.add_worksheet("Objectives & measures")
    for row, measure in enumerate(measures, start=1):
        for col, value in enumerate(measure[1:]):
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            elif value is not None:
                sheet.write_number(row, col, float(value), number)
        for col, (period_id, _name, _day) in enumerate(periods, start=14):
            score = scores.get((measure[0], period_id))
            if score and score[3] is not None:
                sheet.write_number(row, col, score[3], number)
    # Data: one row per measure and period.
    sheet = workbook.add_worksheet("Data")
    row = 1
    for measure in measures:
        for period_id, name, day in periods:
            actual, target, achievement, score, status = scores.get(
                (measure[0], period_id), (None,) * 5
            )
            sheet.write_string(row, 0, measure[1])
            sheet.write_string(row, 1, measure[2])
            sheet.write_string(row, 2, measure[3])
            sheet.write_string(row, 3, measure[6])
            sheet.write_string(row, 4, name)
            sheet.write_number(row, 5, (day - date(1899, 12, 30)).days)
            for col, value in enumerate((actual, target, achievement, score), 6):
                if value is not None:
                    sheet.write_number(row, col, value, number)
            sheet.write_string(row, 10, status or "")
            row += 1
    workbook.close()
    elapsed = time.perf_counter() - start
    size = os.path.getsize(path)
    os.unlink(path)
    return {
        "seconds": elapsed,
        "peak_mb": _peak_mb(),
        "baseline_mb": baseline,
        "bytes": size,
        "data_rows": row - 1,
    }


def _export_child(dbname, kind):
    import subprocess

    proc = subprocess.run(
        [sys.executable, __file__, "child-export", kind, dbname],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"export child {kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(samples):
    return {
        "seconds": benchlib.median_min_max([s["seconds"] for s in samples]),
        "peak_mb": benchlib.median_min_max([s["peak_mb"] for s in samples]),
        "baseline_mb": benchlib.median_min_max([s["baseline_mb"] for s in samples]),
        "bytes": samples[-1]["bytes"],
        **{k: v for k, v in samples[-1].items() if k == "data_rows"},
    }


def export_in_process(dbname, runs=RUNS, log=print):
    """Measure 2 in fresh processes, ours and the floor alternately (so
    that a change of load on the shared machine hits both alike)."""
    ours, floor = [], []
    for run in range(runs):
        ours.append(_export_child(dbname, "ours"))
        floor.append(_export_child(dbname, "floor"))
        log(
            f"  export run {run}: ours {ours[-1]['seconds']:.3f}s peak "
            f"{ours[-1]['peak_mb']:.0f} MB; floor {floor[-1]['seconds']:.3f}s "
            f"peak {floor[-1]['peak_mb']:.0f} MB"
        )
    return {"ours": _summary(ours), "floor": _summary(floor)}


if __name__ == "__main__":
    if sys.argv[1] == "child-export":
        kind, dbname = sys.argv[2], sys.argv[3]
        func = child_export_ours if kind == "ours" else child_export_floor
        print(json.dumps(func(dbname), default=str))
