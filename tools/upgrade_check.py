#!/usr/bin/env python3
"""``make upgrade-check``: an upgrade from the last release loses nothing.

1. The commit named in ``.ci/upgrade-from`` (the last release) is checked out
   in a temporary git worktree.
2. A fresh database gets bsc_okr and its demo data from that tree, in the
   languages of the demo (as ``make run`` builds it).
3. Record counts of every bsc_okr model and many2many table, and the key
   figures (scores, grades, progress, check-ins, approval history, KPI
   scores), are read.
4. The database is upgraded with this checkout's code (``-u bsc_okr``).
5. The same figures are read again: a table, row or value that was there
   before and is missing or different after is a loss, and the command fails
   naming it. New rows are fine (new demo records, new models).

The database and the worktree are removed at the end, also on failure
(``--keep`` keeps both, to investigate). After each release, write the
release's commit into ``.ci/upgrade-from``.

Renamed models or columns must come with a migration script
(``bsc_okr/migrations/<version>/``) and an entry in :data:`RENAMED_TABLES` or
:data:`RENAMED_COLUMNS` here, so that the check follows them.
"""

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devctl  # noqa: E402  (sibling module, the developer entry point)
from devctl import ADDON, REPO, Failure, say  # noqa: E402

UPGRADE_FROM = REPO / ".ci" / "upgrade-from"

#: Key figures compared value by value: table -> columns (besides ``id``).
#: Columns that a release renames are followed through RENAMED_COLUMNS.
KEY_FIGURES = {
    # Scores: every stored score row and the current score of each level.
    "bsc_score": (
        "level",
        "scorecard_id",
        "period_id",
        "measure_id",
        "objective_id",
        "perspective_id",
        "actual",
        "target",
        "achievement",
        "score",
        "status",
        "coverage",
        "missing_count",
        "is_expected",
    ),
    "bsc_measure_value": ("measure_id", "period_id", "value", "is_current"),
    "bsc_measure_target": ("measure_id", "period_id", "target"),
    "bsc_measure": ("current_score", "current_status", "current_actual"),
    "bsc_objective": ("current_score", "current_status"),
    "bsc_perspective": ("current_score", "current_status"),
    "bsc_scorecard": ("current_score", "current_status", "state"),
    # Progress of initiatives and their milestones.
    "bsc_initiative": ("progress", "state"),
    "bsc_initiative_milestone": ("progress", "current_value", "weight"),
    # OKR grades, progress and check-ins.
    "okr_objective": ("state", "progress", "grade", "grade_band", "confidence"),
    "okr_key_result": ("progress", "grade", "current_value", "confidence"),
    "okr_checkin": ("key_result_id", "date", "value", "confidence", "progress"),
    # Approval history.
    "okr_stage_history": (
        "res_model",
        "res_id",
        "from_state",
        "to_state",
        "result_state",
        "decision",
        "user_id",
    ),
    "okr_approval_request": ("res_model", "res_id", "from_state", "to_state", "state"),
    "okr_learning_plan": ("state",),
    # KPI appraisal.
    "bsc_kpi_assignment": ("score", "status", "achievement", "actual", "weight"),
}

#: Tables renamed since the release (old name -> new name).
RENAMED_TABLES = {}
#: Columns renamed since the release: (table, old column) -> new column.
RENAMED_COLUMNS = {("okr_objective", "parent_id"): "public_parent_id"}

#: Floats are compared at this many decimals (they went through SQL twice).
DIGITS = 6


# --------------------------------------------------------------------------
# Reading a database
# --------------------------------------------------------------------------
def _tables(cr):
    """Tables (and SQL views) of bsc_okr's models and many2many relations,
    wizards left out (their rows are vacuumed)."""
    cr.execute(
        """
        SELECT m.model
          FROM ir_model m
          JOIN ir_model_data d
            ON d.model = 'ir.model' AND d.res_id = m.id AND d.module = %s
         WHERE NOT m.transient
        """,
        (ADDON,),
    )
    names = {model.replace(".", "_") for (model,) in cr.fetchall()}
    cr.execute(
        "SELECT DISTINCT r.name FROM ir_model_relation r "
        "JOIN ir_module_module mod ON mod.id = r.module "
        "JOIN ir_model m ON m.id = r.model "
        "WHERE mod.name = %s AND NOT m.transient",
        (ADDON,),
    )
    names |= {name for (name,) in cr.fetchall()}
    cr.execute(
        "SELECT relname FROM pg_class WHERE relkind IN ('r', 'v') "
        "AND relnamespace = 'public'::regnamespace AND relname = ANY(%s)",
        (sorted(names),),
    )
    return sorted(name for (name,) in cr.fetchall())


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    )
    return {name for (name,) in cr.fetchall()}


def _normalise(value):
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, dict):  # translated (jsonb) columns
        return tuple(sorted(value.items()))
    return value


def read_figures(cr):
    """Counts per table and key figures per table, read with cursor ``cr``."""
    from psycopg2 import sql

    counts, figures = {}, {}
    for table in _tables(cr):
        cr.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cr.fetchone()[0]
    for table, columns in KEY_FIGURES.items():
        present = _columns(cr, table)
        if not present:
            continue
        columns = [column for column in columns if column in present]
        cr.execute(
            sql.SQL("SELECT id, {} FROM {} ORDER BY id").format(
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.Identifier(table),
            )
        )
        figures[table] = {
            "columns": columns,
            "rows": {
                row[0]: tuple(_normalise(value) for value in row[1:])
                for row in cr.fetchall()
            },
        }
    return {"counts": counts, "figures": figures}


def snapshot(dbname):
    """:func:`read_figures` of the database ``dbname``."""
    with contextlib.closing(devctl.pg_connect(dbname)) as conn, conn.cursor() as cr:
        return read_figures(cr)


# --------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------
def compare(before, after):
    """Sentences describing what the upgrade lost or changed (empty: none)."""
    problems = []
    for table, count in sorted(before["counts"].items()):
        new_table = RENAMED_TABLES.get(table, table)
        if new_table not in after["counts"]:
            problems.append(f"table {table} ({count} rows) is gone after the upgrade")
        elif after["counts"][new_table] < count:
            problems.append(
                f"{table}: {count} rows before, {after['counts'][new_table]} after"
            )
    for table, old in sorted(before["figures"].items()):
        new_table = RENAMED_TABLES.get(table, table)
        new = after["figures"].get(new_table)
        if new is None:
            problems.append(f"{table}: the key figures' table is gone")
            continue
        positions = []
        for column in old["columns"]:
            new_column = RENAMED_COLUMNS.get((table, column), column)
            if new_column not in new["columns"]:
                problems.append(f"{table}.{column}: the column is gone")
                positions.append(None)
            else:
                positions.append(new["columns"].index(new_column))
        changed = []
        for record_id, values in old["rows"].items():
            new_values = new["rows"].get(record_id)
            if new_values is None:
                changed.append(f"id {record_id} is missing")
                continue
            for column, value, position in zip(
                old["columns"], values, positions, strict=True
            ):
                if position is not None and new_values[position] != value:
                    changed.append(
                        f"id {record_id} {column}: {value!r} -> "
                        f"{new_values[position]!r}"
                    )
        if changed:
            shown = "; ".join(changed[:5])
            more = f" (and {len(changed) - 5} more)" if len(changed) > 5 else ""
            problems.append(f"{table}: {shown}{more}")
    return problems


def summary(before, after):
    gained = {
        table: count - before["counts"].get(table, 0)
        for table, count in after["counts"].items()
        if count > before["counts"].get(table, 0)
    }
    rows = sum(before["counts"].values())
    figures = sum(len(table["rows"]) for table in before["figures"].values())
    text = (
        f"{len(before['counts'])} tables, {rows} rows and {figures} key-figure "
        "rows compared"
    )
    if gained:
        text += "; new rows after the upgrade: " + ", ".join(
            f"{table} +{count}" for table, count in sorted(gained.items())
        )
    return text


# --------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------
def release_commit():
    try:
        commit = UPGRADE_FROM.read_text().split()[0]
    except (OSError, IndexError):
        raise Failure(
            f"{UPGRADE_FROM.relative_to(REPO)} must name the release commit to "
            "upgrade from."
        ) from None
    proc = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", f"{commit}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        raise Failure(
            f"The release commit {commit} of {UPGRADE_FROM.relative_to(REPO)} is "
            "not in this repository (a shallow clone? fetch the history)."
        )
    return proc.stdout.strip()


def run_odoo(root, dbname, init, log_path, languages=()):
    """Run Odoo once on ``dbname`` with the addon of ``root``; fail on errors."""
    cmd = devctl.odoo_cmd(
        "-d",
        dbname,
        *init,
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        root=root,
    )
    if languages:
        cmd.append(f"--load-language={','.join(languages)}")
    with open(log_path, "a") as log:
        log.write(f"\n$ {' '.join(cmd)}\n")
        log.flush()
        proc = subprocess.run(
            cmd, stdout=log, stderr=subprocess.STDOUT, text=True, check=False
        )
    output = Path(log_path).read_text()
    if proc.returncode or " ERROR " in output or " CRITICAL " in output:
        raise Failure(
            f"Odoo {' '.join(init)} failed (exit code {proc.returncode}); see "
            f"{log_path}",
            code=1,
        )


def cmd_check(opts):
    devctl.check_odoo()
    devctl.ensure_requirements()
    devctl.ensure_postgres()
    commit = release_commit()
    dbname = f"bsc_okr_upgrade_{os.getpid()}"
    if devctl.database_state(dbname) is not None:
        raise Failure(f"Database {dbname} already exists; remove it first.")
    workdir = Path(tempfile.mkdtemp(prefix="bsc_okr_upgrade_"))
    tree = workdir / "release"
    log_path = workdir.with_suffix(".log")
    started = time.monotonic()
    say(f"upgrade check from {commit[:12]} (log: {log_path})")
    try:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet"]
            + [str(tree), commit],
            check=True,
        )
        say(f"installing the release with its demo data into {dbname}")
        run_odoo(tree, dbname, ["-i", ADDON], log_path, devctl.DEMO_LANGUAGES)
        before = snapshot(dbname)
        say(f"upgrading {dbname} with this checkout's code (-u {ADDON})")
        run_odoo(REPO, dbname, ["-u", ADDON], log_path)
        after = snapshot(dbname)
    finally:
        if opts.keep:
            say(f"kept database {dbname} and worktree {tree}")
        else:
            devctl.drop_database(dbname)
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)],
                capture_output=True,
                check=False,
            )
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.monotonic() - started) / 60
    problems = compare(before, after)
    if not before["counts"] or not before["figures"].get("bsc_score", {}).get("rows"):
        problems.insert(0, "the release database holds no bsc_okr data to compare")
    say(f"upgrade check took {minutes:.1f} min; {summary(before, after)}")
    if problems:
        for problem in problems:
            print(f"LOST: {problem}")
        raise Failure(
            f"the upgrade from {commit[:12]} loses data ({len(problems)} problems "
            "above)",
            code=1,
        )
    say("upgrade check passed: nothing lost")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the database and the worktree"
    )
    opts = parser.parse_args(argv)
    try:
        cmd_check(opts)
    except Failure as exc:
        say(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
