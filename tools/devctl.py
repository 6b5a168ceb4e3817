#!/usr/bin/env python3
"""Developer entry point behind ``make run``, ``make test`` and ``make lint``.

It wraps ``python3 -m odoo`` so that the two README commands fail with a clear
sentence instead of a traceback when something around Odoo is missing: Odoo 18
itself, PostgreSQL, a free port, or the Python packages of requirements.txt.

Nothing here installs Odoo: Odoo 18.0 is a prerequisite, installed the official
way (https://www.odoo.com/documentation/18.0/administration/on_premise.html).
"""

import argparse
import contextlib
import importlib.metadata
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADDON = "bsc_okr"
# Languages the demo database is created with; its texts exist in all three.
DEMO_LANGUAGES = ("en_US", "zh_TW", "zh_CN")

DEMO_LOGINS = [
    ("admin", "administrator: everything"),
    ("ceo", "Executive + Strategy Officer: strategy map, decisions, Excel"),
    ("manager", "OKR manager, head of Production: approvals, team OKRs"),
    ("employee", "OKR user in Production, reports to manager"),
    ("hr", "HR officer + KPI appraisal: KPI sheets, never OKRs"),
    ("portal", "factory employee with portal access only: /my/okrs"),
]
RESULT_RE = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests"
)


class Failure(Exception):
    """A problem the user can fix; printed as a sentence, never a traceback."""

    def __init__(self, message, code=2):
        super().__init__(message)
        self.code = code


def say(message):
    print(f"[bsc_okr] {message}", flush=True)


# --------------------------------------------------------------------------
# Prerequisites
# --------------------------------------------------------------------------
def check_odoo():
    """Odoo 18.0 must be importable by this python3."""
    try:
        import odoo.release as release
    except Exception as exc:  # pylint: disable=broad-except
        raise Failure(
            f"Odoo 18.0 is not importable by {sys.executable} ({exc}).\n"
            "Install Odoo 18.0 Community as a Python package first, following "
            "https://www.odoo.com/documentation/18.0/administration/on_premise/"
            "source.html (clone the 18.0 branch, pip install -r requirements.txt, "
            "pip install -e .), then run this command again."
        ) from None
    if release.version_info[0] != 18:
        raise Failure(
            f"bsc_okr needs Odoo 18.0, but {sys.executable} imports Odoo "
            f"{release.version}. Install Odoo 18.0 Community and try again."
        )
    return release


def addons_path(root=REPO):
    """``root`` (the repo, or a checkout of another commit of it), the Odoo
    source's addons/ and every odoo.addons folder."""
    import odoo

    import odoo.addons

    paths = [str(root)]
    source_addons = Path(odoo.__file__).resolve().parent.parent / "addons"
    if source_addons.is_dir():
        paths.append(str(source_addons))
    for path in odoo.addons.__path__:
        if Path(path).is_dir() and str(path) not in paths:
            paths.append(str(path))
    return ",".join(paths)


def missing_requirements():
    """Requirement lines of requirements.txt whose distribution is absent."""
    from packaging.requirements import Requirement

    missing = []
    for line in (REPO / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        try:
            version = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(line)
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            missing.append(line)
    return missing


def ensure_requirements():
    try:
        missing = missing_requirements()
    except ImportError:
        missing = ["-r", str(REPO / "requirements.txt")]
    if not missing:
        return
    say("installing from PyPI: " + " ".join(missing))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", *missing], check=False
    )
    if proc.returncode:
        raise Failure(
            "pip could not install " + " ".join(missing) + "; install them by "
            "hand (pip install -r requirements.txt) and try again."
        )


def db_args():
    """Connection options passed to Odoo, from the usual PG* variables."""
    args = []
    for env, opt in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(env):
            args += [opt, os.environ[env]]
    return args


def pg_connect(dbname="postgres"):
    import psycopg2

    kwargs = {"dbname": dbname, "connect_timeout": 5}
    for env, key in (
        ("PGHOST", "host"),
        ("PGPORT", "port"),
        ("PGUSER", "user"),
        ("PGPASSWORD", "password"),
    ):
        if os.environ.get(env):
            kwargs[key] = os.environ[env]
    return psycopg2.connect(**kwargs)


def describe_connection():
    host = os.environ.get("PGHOST") or "the local socket"
    port = os.environ.get("PGPORT") or "5432"
    user = os.environ.get("PGUSER") or os.environ.get("USER") or "the current user"
    return f"PostgreSQL at {host} port {port} as {user}"


def ensure_postgres():
    """Reach PostgreSQL; start a local cluster that exists but is down."""
    try:
        pg_connect().close()
        return
    except Exception as first_error:  # pylint: disable=broad-except
        error = first_error
    if shutil.which("pg_lsclusters") and shutil.which("pg_ctlcluster"):
        listing = subprocess.run(
            ["pg_lsclusters", "--no-header"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for row in listing.splitlines():
            cols = row.split()
            if len(cols) >= 4 and cols[3] != "online":
                say(f"starting the local PostgreSQL cluster {cols[0]}/{cols[1]}")
                subprocess.run(
                    [
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        cols[0],
                        cols[1],
                        "start",
                    ],
                    check=False,
                )
        for _attempt in range(10):
            try:
                pg_connect().close()
                return
            except Exception as retry_error:  # pylint: disable=broad-except
                error = retry_error
                time.sleep(1)
    raise Failure(
        f"Cannot reach {describe_connection()}: {str(error).strip()}\n"
        "Start PostgreSQL 12+ (or set PGHOST/PGPORT/PGUSER) and try again."
    )


def database_state(dbname):
    """None if absent, else whether bsc_okr is installed in it."""
    with contextlib.closing(pg_connect()) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
        if not cr.fetchone():
            return None
    with contextlib.closing(pg_connect(dbname)) as conn, conn.cursor() as cr:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        if not cr.fetchone()[0]:
            return False
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (ADDON,))
        row = cr.fetchone()
        return bool(row and row[0] == "installed")


@contextlib.contextmanager
def superuser_env(dbname):
    """An Odoo environment (superuser) on ``dbname``, which must hold bsc_okr,
    for the tools that read a demo database in process. The cursor commits
    when the block ends without an error, like any Odoo cursor."""
    check_odoo()
    ensure_postgres()
    if not database_state(dbname):
        raise Failure(
            f"Database {dbname} does not have bsc_okr installed: run "
            f"'make run DB={dbname}' once to create it."
        )
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["--addons-path", addons_path(), *db_args()])
    with Registry(dbname).cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})


def drop_database(dbname):
    with contextlib.closing(pg_connect()) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (dbname,),
            )
            cr.execute(f'DROP DATABASE IF EXISTS "{dbname}"')  # name is ours
    from odoo.tools import config

    shutil.rmtree(Path(config["data_dir"]) / "filestore" / dbname, ignore_errors=True)


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_cmd(*args, root=REPO):
    return [
        sys.executable,
        "-m",
        "odoo",
        "--addons-path",
        addons_path(root),
        "--http-interface",
        "127.0.0.1",
        *db_args(),
        *args,
    ]


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
def cmd_run(opts):
    check_odoo()
    ensure_requirements()
    ensure_postgres()
    if not port_is_free(opts.port):
        raise Failure(
            f"Port {opts.port} on 127.0.0.1 is busy (another Odoo?). Stop it or "
            f"choose another port: make run PORT=8070"
        )
    state = database_state(opts.db)
    if state is None:
        say(
            f"creating database {opts.db} with bsc_okr, its demo data and the "
            "languages the demo is written in (English, 繁體中文, 简体中文)"
        )
        # English first: Odoo makes the first loaded language the default one.
        init = ["-i", ADDON, f"--load-language={','.join(DEMO_LANGUAGES)}"]
    elif state:
        say(f"database {opts.db} exists: updating bsc_okr in place")
        init = ["-u", ADDON]
    elif opts.install:
        say(f"installing bsc_okr into the existing database {opts.db}")
        init = ["-i", ADDON]
    else:
        raise Failure(
            f"Database {opts.db} exists but does not have bsc_okr installed. "
            f"Run 'make run DB={opts.db} INSTALL=1' to install it there, or pick "
            "another name with DB=."
        )
    say(f"Odoo will serve http://127.0.0.1:{opts.port}/odoo (database {opts.db})")
    say("demo logins (password = login):")
    for login, role in DEMO_LOGINS:
        say(f"  {login:<9} {role}")
    say("to read the demo in Chinese: avatar menu > Preferences > Language")
    cmd = odoo_cmd(
        "-d",
        opts.db,
        "--db-filter",
        f"^{re.escape(opts.db)}$",
        "--http-port",
        str(opts.port),
        *init,
    )
    os.execv(sys.executable, cmd)


def lint_xml():
    from lxml import etree

    problems = []
    for path in sorted((REPO / ADDON).rglob("*.xml")):
        try:
            etree.parse(str(path))
        except etree.XMLSyntaxError as exc:
            problems.append(f"{path.relative_to(REPO)}: {exc}")
    return problems


def cmd_lint(_opts=None):
    say("lint: ruff check, ruff format --check, pylint-odoo, XML")
    failed = False
    targets = [ADDON, "tools", "bench"]
    for cmd in (
        [sys.executable, "-m", "ruff", "check", "--no-fix", *targets],
        [sys.executable, "-m", "ruff", "format", "--check", *targets],
        [
            sys.executable,
            "-m",
            "pylint",
            "--rcfile",
            str(REPO / ".pylintrc-mandatory"),
            ADDON,
        ],
    ):
        proc = subprocess.run(cmd, cwd=REPO, check=False)
        if proc.returncode:
            failed = True
            say("lint failed: " + " ".join(cmd[2:4]))
    for problem in lint_xml():
        failed = True
        print(problem)
    if failed:
        raise Failure("lint found problems (see above)", code=1)
    say("lint clean")


def cmd_test(opts):
    check_odoo()
    ensure_requirements()
    if not opts.skip_lint:
        cmd_lint()
    ensure_postgres()
    dbname = opts.db or f"bsc_okr_test_{os.getpid()}"
    if database_state(dbname) is not None:
        raise Failure(
            f"Database {dbname} already exists; the test run needs a new one."
        )
    port = free_port()
    log_fd, log_path = tempfile.mkstemp(prefix="bsc_okr_test_", suffix=".log")
    os.close(log_fd)
    cmd = odoo_cmd(
        "-d",
        dbname,
        "-i",
        ADDON,
        "--test-tags",
        opts.tags,
        "--http-port",
        str(port),
        "--stop-after-init",
        "--log-level",
        "info",
        "--max-cron-threads",
        "0",
    )
    say(f"testing in throwaway database {dbname} (log: {log_path})")
    result = None
    started = time.monotonic()
    try:
        with open(log_path, "w") as log:
            proc = subprocess.Popen(
                cmd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
            for line in proc.stdout:
                log.write(line)
                if opts.verbose or _interesting(line):
                    sys.stdout.write(line)
                match = RESULT_RE.search(line)
                if match:
                    result = tuple(int(x) for x in match.groups())
            returncode = proc.wait()
        uninstall_error = None
        if result and not opts.skip_uninstall:
            uninstall_error = check_uninstall(dbname, log_path)
    finally:
        if not opts.keep_db:
            drop_database(dbname)
    minutes = (time.monotonic() - started) / 60
    if result is None:
        print("0 passed, 1 failed")
        raise Failure(
            f"Odoo ended (exit code {returncode}) without a test result line; "
            f"see {log_path}",
            code=1,
        )
    failures, errors, total = result
    failed = failures + errors
    passed = total - failed
    say(f"test run took {minutes:.1f} min")
    print(f"{passed} passed, {failed} failed")
    if failed or total == 0 or returncode:
        raise Failure(
            "tests failed"
            if failed
            else "no tests ran"
            if not total
            else f"Odoo exited with code {returncode}",
            code=1,
        )
    if uninstall_error:
        raise Failure(f"bsc_okr does not uninstall cleanly: {uninstall_error}", code=1)


UNINSTALL_SCRIPT = """
module = env["ir.module.module"].search([("name", "=", "bsc_okr")])
module.button_immediate_uninstall()
env.cr.execute("SELECT state FROM ir_module_module WHERE name = 'bsc_okr'")
print("BSC_OKR_UNINSTALL_STATE=%s" % env.cr.fetchone()[0])
env.cr.execute(
    "SELECT count(*) FROM ir_model WHERE model LIKE 'bsc.%%' OR model LIKE 'okr.%%'"
)
print("BSC_OKR_LEFTOVER_MODELS=%s" % env.cr.fetchone()[0])
"""


def check_uninstall(dbname, log_path):
    """Uninstall bsc_okr from the tested database; return an error or None."""
    say("checking that bsc_okr uninstalls cleanly")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "shell",
            "--addons-path",
            addons_path(),
            *db_args(),
            "-d",
            dbname,
            "--no-http",
            "--log-level",
            "warn",
        ],
        input=UNINSTALL_SCRIPT,
        capture_output=True,
        text=True,
        check=False,
    )
    with open(log_path, "a") as log:
        log.write(proc.stdout)
        log.write(proc.stderr)
    if "BSC_OKR_UNINSTALL_STATE=uninstalled" not in proc.stdout:
        return f"module state after uninstall is not 'uninstalled' (see {log_path})"
    if "BSC_OKR_LEFTOVER_MODELS=0" not in proc.stdout:
        return f"bsc.* or okr.* models remain after uninstall (see {log_path})"
    if " ERROR " in proc.stderr or "Traceback" in proc.stderr:
        return f"errors were logged during uninstall (see {log_path})"
    say("bsc_okr uninstalled cleanly")
    return None


def cmd_pot(opts):
    """Regenerate i18n/bsc_okr.pot from the code and merge it into the .po files."""
    import polib

    check_odoo()
    ensure_postgres()
    dbname = f"bsc_okr_pot_{os.getpid()}"
    pot_path = REPO / ADDON / "i18n" / f"{ADDON}.pot"
    pot_path.parent.mkdir(exist_ok=True)
    try:
        proc = subprocess.run(
            odoo_cmd(
                "-d",
                dbname,
                "-i",
                ADDON,
                "--without-demo",
                "all",
                "--stop-after-init",
                "--no-http",
                "--log-level",
                "warn",
            ),
            check=False,
        )
        if proc.returncode:
            raise Failure("could not install bsc_okr to export its terms", code=1)
        proc = subprocess.run(
            odoo_cmd(
                "-d",
                dbname,
                "--modules",
                ADDON,
                "--i18n-export",
                str(pot_path),
                "--stop-after-init",
                "--no-http",
                "--log-level",
                "warn",
            ),
            check=False,
        )
        if proc.returncode:
            raise Failure("the export of the terms failed", code=1)
    finally:
        drop_database(dbname)
    pot = polib.pofile(str(pot_path))
    for po_path in sorted(pot_path.parent.glob("*.po")):
        po = polib.pofile(str(po_path))
        po.merge(pot)
        po.save(str(po_path))
        say(f"{po_path.name}: {po.percent_translated()}% translated")
    say(f"wrote {pot_path.relative_to(REPO)} ({len(pot)} terms)")


def _interesting(line):
    return (
        " ERROR " in line
        or " CRITICAL " in line
        or " WARNING " in line
        or "FAIL:" in line
        or "odoo.tests.result" in line
        or "odoo.tests.stats" in line
        or line.startswith(("Traceback", "  File", "    "))
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve Odoo with bsc_okr and demo data")
    run.add_argument("--db", default=os.environ.get("DB") or "bsc_okr_demo")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8069))
    run.add_argument(
        "--install",
        action="store_true",
        default=bool(os.environ.get("INSTALL")),
        help="install bsc_okr into an existing database that lacks it",
    )
    test = sub.add_parser("test", help="lint, then run the test suite")
    test.add_argument("--db", default=os.environ.get("TEST_DB"))
    test.add_argument("--tags", default=os.environ.get("TAGS") or f"/{ADDON}")
    test.add_argument("--keep-db", action="store_true")
    test.add_argument("--skip-lint", action="store_true")
    test.add_argument("--skip-uninstall", action="store_true")
    test.add_argument("-v", "--verbose", action="store_true")
    sub.add_parser("lint", help="ruff, pylint-odoo and XML checks")
    sub.add_parser("pot", help="regenerate i18n/bsc_okr.pot and merge the .po files")
    opts = parser.parse_args(argv)
    try:
        {"run": cmd_run, "test": cmd_test, "lint": cmd_lint, "pot": cmd_pot}[
            opts.command
        ](opts)
    except Failure as exc:
        say(str(exc))
        return exc.code
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
