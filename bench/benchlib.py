"""Shared pieces of the benchmark: scales, the Odoo environment, statistics.

Imported by ``run.py`` (which never imports Odoo itself), ``generate.py`` and
``measures.py`` (which run inside an Odoo environment opened here).
"""

import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

# What each scale builds. `company` is the size named in issue 10; `small`
# is about a tenth of it. The roll-up batch and the strategy map scale with
# it too, so that measure 6 compares time per item.
SCALES = {
    "small": {
        "departments": 20,
        "employees": 500,
        "okr_objectives": 2000,
        "key_results_per_objective": 4,
        "checkins_per_kr": 5,
        "bsc_objectives": 50,
        "map_objectives": 20,
        "map_links": 60,
        "measures": 200,
        "periods": 24,
        "initiatives": 30,
        "rollup_batch": 1000,
        "heavy_user_okrs": 1000,
        "light_user_okrs": 10,
        "portal_sessions": 20,
    },
    "company": {
        "departments": 200,
        "employees": 5000,
        "okr_objectives": 20000,
        "key_results_per_objective": 4,
        "checkins_per_kr": 5,
        "bsc_objectives": 500,
        "map_objectives": 200,
        "map_links": 600,
        "measures": 2000,
        "periods": 24,
        "initiatives": 300,
        "rollup_batch": 10000,
        "heavy_user_okrs": 1000,
        "light_user_okrs": 10,
        "portal_sessions": 20,
    },
}
BENCH_PORT = 8073


_ADDONS_PATH = []


def addons_path():
    """The addons path of ``make run``/``make test``, computed once.

    Computed before Odoo's configuration is parsed in this process (which
    appends the data directory's addons folder, absent here).
    """
    if not _ADDONS_PATH:
        sys.path.insert(0, str(REPO / "tools"))
        import devctl  # noqa: PLC0415  (tools/ is not a package)

        _ADDONS_PATH.append(
            ",".join(p for p in devctl.addons_path().split(",") if Path(p).is_dir())
        )
    return _ADDONS_PATH[0]


def odoo_cmd(*args):
    """``python3 -m odoo`` with this repository's addons path."""
    # The prefork server starts its websocket process as
    # ``python3 <argv[0]> gevent``: argv[0] must be a script, not ``-m odoo``.
    import odoo

    launcher = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
    start = [str(launcher)] if launcher.exists() else ["-m", "odoo"]
    return [
        sys.executable,
        *start,
        "--addons-path",
        addons_path(),
        "--http-interface",
        "127.0.0.1",
        *args,
    ]


#: Set once :func:`odoo_env` parsed Odoo's configuration in this process.
_CONFIG_PARSED = []


@contextlib.contextmanager
def odoo_env(dbname, uid=None):
    """An Odoo environment on ``dbname`` (superuser unless ``uid``).

    The cursor is rolled back on exit: callers commit what they mean to keep.
    """
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    # Once per process: Odoo 18's second parse_config() fails on options it
    # dropped the first time (KeyError: 'load_language'). The database is
    # named to the registry below, so one parse serves every database.
    if not _CONFIG_PARSED:
        config.parse_config(
            ["--addons-path", addons_path(), "-d", dbname, "--log-level", "warn"],
            setup_logging=True,
        )
        _CONFIG_PARSED.append(dbname)
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, {})
        try:
            yield env
        finally:
            cr.rollback()
    # Release the pooled connections, or the database cannot be dropped.
    odoo.sql_db.close_db(dbname)


def median_min_max(samples):
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "runs": len(samples),
    }


@contextlib.contextmanager
def timer(samples):
    start = time.perf_counter()
    yield
    samples.append(time.perf_counter() - start)


def machine():
    """Cores, memory, Python and PostgreSQL of this machine."""
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pg = subprocess.run(
        ["psql", "-h", os.environ.get("PGHOST", "127.0.0.1"), "-d", "postgres"]
        + ["-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "postgresql": pg or "unknown",
    }
