#!/usr/bin/env python3
"""``make bench``: build a benchmark database, run the measures, write RESULTS.md.

    python3 bench/run.py [--scale small|company] [--runs 5] [--keep-db]
                         [--reuse] [--only 1,2,3,4,5]

Each scale's figures are kept in ``bench/results_<scale>.json``;
``bench/RESULTS.md`` is rewritten from every scale measured so far (measure 6
compares `small` with `company`). See bench/README.md.
"""

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402

BENCH = benchlib.BENCH


def say(message):
    print(f"[bench] {message}", flush=True)


def psql(sql, dbname="postgres"):
    host = os.environ.get("PGHOST", "127.0.0.1")
    proc = subprocess.run(
        ["psql", "-h", host, "-d", dbname, "-Atc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, proc.stdout.strip()


def db_exists(dbname):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{dbname}'")[1] == "1"


def db_scale(dbname):
    code, out = psql(
        "SELECT value FROM ir_config_parameter WHERE key = 'bsc_okr.bench_scale'",
        dbname,
    )
    return out if code == 0 else ""


def drop_db(dbname):
    subprocess.run(
        [
            "dropdb",
            "-h",
            os.environ.get("PGHOST", "127.0.0.1"),
            "--if-exists",
            "--force",
            dbname,
        ],
        check=False,
    )


def build(dbname, scale_name, reuse):
    """Install bsc_okr (no demo) into a new database and generate the data."""
    if db_exists(dbname):
        if reuse and db_scale(dbname) == scale_name:
            say(
                f"reusing {dbname} (already generated at scale {scale_name}); "
                "updating bsc_okr to this checkout"
            )
            subprocess.run(
                benchlib.odoo_cmd(
                    "-d",
                    dbname,
                    "-u",
                    "bsc_okr",
                    "--stop-after-init",
                    "--max-cron-threads",
                    "0",
                    "--log-level",
                    "warn",
                ),
                check=True,
            )
            return 0.0
        say(f"dropping the old {dbname}")
        drop_db(dbname)
    started = time.monotonic()
    say(f"installing bsc_okr into {dbname} (no demo data)")
    subprocess.run(
        benchlib.odoo_cmd(
            "-d",
            dbname,
            "-i",
            "bsc_okr",
            "--without-demo",
            "all",
            "--stop-after-init",
            "--max-cron-threads",
            "0",
            "--log-level",
            "warn",
        ),
        check=True,
    )
    say(f"generating scale {scale_name}")
    subprocess.run(
        [sys.executable, __file__, "--generate-only", "--scale", scale_name]
        + ["--db", dbname],
        check=True,
    )
    return time.monotonic() - started


def generate_only(dbname, scale_name):
    import generate

    started = time.monotonic()
    with benchlib.odoo_env(dbname) as env:
        generate.generate(
            env,
            scale_name,
            benchlib.SCALES[scale_name],
            log=lambda m: say(f"{time.monotonic() - started:7.1f}s {m}"),
        )
        env.cr.commit()


@contextlib.contextmanager
def odoo_server(dbname, workers=2, cron_threads=0):
    """Odoo serving ``dbname`` on 127.0.0.1:8073 with ``workers`` workers
    (and ``cron_threads`` cron workers: the deferred roll-up needs one)."""
    log = open(f"/tmp/bench_server_{dbname}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        benchlib.odoo_cmd(
            "-d",
            dbname,
            "--db-filter",
            f"^{dbname}$",
            "--http-port",
            str(benchlib.BENCH_PORT),
            "--workers",
            str(workers),
            # The websocket (gevent) process of prefork mode gets its own port.
            "--gevent-port",
            str(benchlib.BENCH_PORT + 10),
            "--max-cron-threads",
            str(cron_threads),
            "--limit-time-real",
            "1200",
            "--limit-time-cpu",
            "1200",
            "--limit-memory-soft",
            str(2 * 1024**3),
            "--limit-memory-hard",
            str(3 * 1024**3),
            "--log-level",
            "warn",
            # Access lines carry each request's query count; the service
            # logs each serialization retry ("... try again in ...").
            "--log-handler",
            "werkzeug:INFO",
            "--log-handler",
            "odoo.service.model:INFO",
        ),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    import requests

    url = f"http://127.0.0.1:{benchlib.BENCH_PORT}/web/login"
    try:
        for _attempt in range(120):
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"Odoo did not start; see {log.name}")
            time.sleep(1)
        else:
            raise RuntimeError(f"Odoo did not answer on {url}; see {log.name}")
        yield f"http://127.0.0.1:{benchlib.BENCH_PORT}", log.name
    finally:
        # Only the server started above (its own process group).
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def run_measures(dbname, scale_name, runs, only, deferred=False):
    import measures
    import portal_load

    scale = benchlib.SCALES[scale_name]
    results = {"deferred_rollup": deferred}
    with benchlib.odoo_env(dbname) as env:
        # the system parameter of okr.checkin's deferred roll-up
        env["ir.config_parameter"].set_param(
            "bsc_okr.checkin_deferred_rollup", "1" if deferred else False
        )
        env.cr.commit()
    if {"1", "4", "7", "8"} & set(only):
        with benchlib.odoo_env(dbname) as env:
            if "1" in only:
                say("measure 1: roll-up")
                results["rollup"] = measures.measure_rollup(env, scale, runs, say)
            if "4" in only:
                say("measure 4: strategy map")
                results["map"] = measures.measure_strategy_map(env, scale, runs, say)
            if "7" in only:
                say("measure 7: evidence of the strategy map's links")
                results["evidence"] = measures.measure_evidence(env, runs, say)
            if "8" in only:
                say("measure 8: import of 2,000 key results from a spreadsheet")
                results["import"] = measures.measure_import(env, runs, say)
    if "2" in only:
        say("measure 2: Excel export (fresh process per run)")
        results["export"] = measures.export_in_process(dbname, runs, say)
    if {"2", "3", "5"} & set(only):
        with odoo_server(dbname, cron_threads=1 if deferred else 0) as (
            base_url,
            log_path,
        ):
            if "2" in only:
                say("measure 2: peer /web/export/xlsx vs our report over HTTP")
                results["export"]["http"] = portal_load.export_over_http(
                    base_url, dbname, runs, say
                )
            if "3" in only or "5" in only:
                say("measures 3 and 5: portal under load")
                try:
                    results["portal"] = portal_load.measure_portal(
                        base_url, dbname, scale, runs, say, log_path
                    )
                except Exception as error:  # noqa: BLE001 - reported, not hidden
                    say(f"measures 3 and 5 failed: {error!r}")
                    results["portal_error"] = repr(error)[:500]
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(benchlib.SCALES), default="small")
    parser.add_argument("--db", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="1,2,3,4,5,7,8")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument(
        "--deferred-rollup",
        action="store_true",
        help="turn okr.checkin's deferred roll-up on (and run one cron worker)",
    )
    opts = parser.parse_args(argv)
    dbname = opts.db or f"bench_{opts.scale}"
    if opts.generate_only:
        generate_only(dbname, opts.scale)
        return 0
    if opts.runs < 5:
        say("note: fewer than 5 runs; RESULTS.md will say so")
    only = opts.only.split(",")
    build_seconds = build(dbname, opts.scale, opts.reuse)
    try:
        results = run_measures(
            dbname, opts.scale, opts.runs, only, deferred=opts.deferred_rollup
        )
    finally:
        if not opts.keep_db:
            say(f"dropping {dbname}")
            drop_db(dbname)
    import report

    record = {
        "scale": opts.scale,
        "sizes": benchlib.SCALES[opts.scale],
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": benchlib.machine(),
        "build_seconds": build_seconds,
        "runs": opts.runs,
        "results": results,
    }
    path = BENCH / f"results_{opts.scale}.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    # Keep figures of measures not run this time (``--only``).
    merged = dict(previous.get("results", {}), **results)
    if "portal" in results:
        merged.pop("portal_error", None)
    record["results"] = merged
    path.write_text(json.dumps(record, indent=1, default=str) + "\n")
    report.write_results(BENCH)
    say(f"wrote {path.name} and RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
