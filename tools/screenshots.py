#!/usr/bin/env python3
"""Regenerate the pictures of the user guide (docs/img/) from a demo database.

    make screenshots [DB=bsc_okr_demo] [PORT=8069]
    python3 tools/screenshots.py --db bsc_okr_demo --port 8069 [--only NAME ...]

It uses the Odoo serving the database on http://127.0.0.1:PORT (``make run``);
when nothing answers there, it starts one itself on that port and stops it at
the end. Each picture is taken as the demo user who would look at that screen:
it logs in over JSON-RPC, hands the session cookie to a headless Chromium
driven through the DevTools protocol (``websocket-client``), opens the screen,
waits until it has rendered and saves a PNG of the whole screen.

Pictures (``--only`` takes these names):

- ``strategy_map``: the strategy map (ceo);
- ``scorecard``: the scorecard's measures with targets, scores and status (ceo);
- ``alignment``: the OKR alignment tree (ceo);
- ``learning_pipeline``: the learning plans by stage (ceo);
- ``portal_my_okrs``: the portal page /my/okrs on a 375 px phone (portal);
- ``strategy_map_zh_TW``, ``learning_pipeline_zh_TW``: the strategy map and
  the learning plans with the admin's language set to Traditional Chinese
  (installs zh_TW in the database when it is missing, which also loads the
  demo's Chinese texts, and gives the admin back their language afterwards);
- ``workbook``: the Excel scorecard exported as ceo, converted with LibreOffice
  headless to PDF and with pdftoppm to PNG (``xlsx_summary.png``,
  ``xlsx_measures.png``).

The demo database must exist (``make run`` creates it). A picture that cannot be
taken is reported by name with the reason, the others are still taken, and the
exit code is non-zero.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devctl  # noqa: E402
import xlsx_snapshot  # noqa: E402

REPO = devctl.REPO
SCORECARD_XMLID = ("bsc_okr", "bsc_scorecard_harbour_toys_demo")

# Height of the page a screen needs: the web client scrolls inside its
# content area, so the page is made as tall as that content before the capture.
CONTENT_HEIGHT_JS = """(() => {
    let extra = 0;
    for (const el of document.querySelectorAll('.o_action_manager *, #wrapwrap')) {
        const style = getComputedStyle(el);
        if (!['auto', 'scroll'].includes(style.overflowY)) { continue; }
        extra = Math.max(extra, el.scrollHeight - el.clientHeight);
    }
    return Math.ceil(Math.max(
        window.innerHeight + extra, document.documentElement.scrollHeight
    ));
})()"""

MAP_READY_JS = """(() => {
    const svg = document.querySelector('svg.o_bsc_map_links');
    return Boolean(svg && Number(svg.dataset.arrowCount || 0) > 0);
})()"""


class Failure(Exception):
    """A picture that could not be taken; the message says why."""


class Shot:
    """One picture: who looks at which page, and when it is ready."""

    def __init__(
        self, name, login, path, ready_js, *, width=1440, min_height=800, steps=()
    ):
        self.name = name
        self.login = login
        self.path = path
        self.ready_js = ready_js
        self.width = width
        self.min_height = min_height
        # (javascript run once the page is ready, javascript true once done)
        self.steps = steps

    @property
    def filename(self):
        return f"{self.name}.png"


def selector_js(selector, count=1):
    return (
        f"document.querySelectorAll({json.dumps(selector)}).length >= {count}"
        " && !document.querySelector('.o_loading_indicator, .o_blockUI')"
    )


def unfold_js(title):
    """Click *Unfold* on the alignment card whose title starts with ``title``."""
    return (
        "(() => { const node = [...document.querySelectorAll('.o_hierarchy_node')]"
        f".find((n) => n.textContent.includes({json.dumps(title)}));"
        " const button = node && node.querySelector('.o_hierarchy_node_button');"
        " if (button && button.textContent.includes('Unfold')) { button.click(); }"
        " })()"
    )


def unfolded_js(title):
    return (
        "[...document.querySelectorAll('.o_hierarchy_node')]"
        f".some((n) => n.textContent.includes({json.dumps(title)})"
        " && n.querySelector('.o_hierarchy_node_button')"
        " && n.querySelector('.o_hierarchy_node_button').textContent.includes('Fold')"
        " && !n.querySelector('.o_hierarchy_node_button').textContent"
        ".includes('Unfold'))"
    )


ALIGNMENT_PATH = [
    "Become a trusted name in preschool",
    "Prototype a voice-controlled doll",
    "One companion app for the whole",
]

SHOTS = {
    "strategy_map": Shot(
        "strategy_map",
        "ceo",
        "/odoo/action-bsc_okr.bsc_strategy_map_action",
        MAP_READY_JS,
        width=1600,
    ),
    "scorecard": Shot(
        "scorecard",
        "ceo",
        "/odoo/action-bsc_okr.bsc_scorecard_action/{scorecard}",
        selector_js(".o_form_view .o_field_one2many .o_data_row", 10),
        width=1600,
    ),
    "alignment": Shot(
        "alignment",
        "ceo",
        "/odoo/action-bsc_okr.okr_objective_public_action_alignment",
        selector_js(".o_hierarchy_node", 3),
        width=1600,
        steps=[(unfold_js(title), unfolded_js(title)) for title in ALIGNMENT_PATH],
    ),
    "learning_pipeline": Shot(
        "learning_pipeline",
        "ceo",
        "/odoo/action-bsc_okr.okr_learning_plan_action",
        selector_js(".o_kanban_record:not(.o_kanban_ghost)", 4),
        width=2400,
        min_height=520,
    ),
    "portal_my_okrs": Shot(
        "portal_my_okrs",
        "portal",
        "/my/okrs",
        selector_js("main, #wrap", 1),
        width=375,
        min_height=700,
    ),
    "strategy_map_zh_TW": Shot(
        "strategy_map_zh_TW",
        "admin",
        "/odoo/action-bsc_okr.bsc_strategy_map_action",
        MAP_READY_JS,
        width=1600,
    ),
    "learning_pipeline_zh_TW": Shot(
        "learning_pipeline_zh_TW",
        "admin",
        "/odoo/action-bsc_okr.okr_learning_plan_action",
        selector_js(".o_kanban_record:not(.o_kanban_ghost)", 4),
        width=2400,
        min_height=520,
    ),
}
ORDER = [*SHOTS, "workbook"]


# --------------------------------------------------------------------------
# Odoo over HTTP
# --------------------------------------------------------------------------
class OdooSession:
    """A logged-in HTTP session of one demo user."""

    def __init__(self, url, db, login, password=None):
        self.url = url
        self.http = requests.Session()
        result = self.rpc(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password or login},
        )
        self.uid = result["uid"]
        self.session_id = self.http.cookies["session_id"]

    def rpc(self, route, params):
        response = self.http.post(
            self.url + route,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise Failure(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def answering(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_server(db, port, log_path):
    """An Odoo serving ``db`` on 127.0.0.1:port, for the time of the run."""
    if not devctl.database_state(db):
        raise devctl.Failure(
            f"Database {db} does not have bsc_okr with its demo data: run "
            f"'make run DB={db}' once to create it."
        )
    devctl.say(f"starting Odoo on 127.0.0.1:{port} for {db} (log: {log_path})")
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            devctl.odoo_cmd(
                "-d",
                db,
                "--db-filter",
                f"^{db}$",
                "--http-port",
                str(port),
                "--max-cron-threads",
                "0",
                "--log-level",
                "warn",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    for _attempt in range(240):
        if server.poll() is not None:
            raise devctl.Failure(f"Odoo stopped at start-up; see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/health", timeout=2).ok:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.5)
    server.terminate()
    raise devctl.Failure(f"Odoo did not answer on port {port}; see {log_path}")


# --------------------------------------------------------------------------
# Chromium over the DevTools protocol
# --------------------------------------------------------------------------
class Browser:
    """A headless Chromium with one page, driven over the DevTools protocol."""

    def __init__(self, chromium):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.profile = tempfile.mkdtemp(prefix="bsc_okr_shots_")
        self.process = subprocess.Popen(
            [
                chromium,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--lang=en-US",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2)
                pages = [t for t in targets.json() if t["type"] == "page"]
                if pages:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            self.close()
            raise devctl.Failure("Chromium did not start (is /usr/bin/chromium there?)")
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=120
        )
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression)
        return result.get("result", {}).get("value")

    def resize(self, width, height, mobile=False):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=int(height),
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def take(browser, url, session, shot, out_dir, **shot_args):
    """Open the shot's page as its user and save the PNG."""
    browser.call("Network.clearBrowserCookies")
    browser.call(
        "Network.setCookie", name="session_id", value=session.session_id, url=url
    )
    mobile = shot.width < 600
    browser.resize(shot.width, shot.min_height, mobile=mobile)
    browser.call("Page.navigate", url=url + shot.path.format(**shot_args))
    for _attempt in range(240):
        if browser.evaluate(shot.ready_js):
            break
        time.sleep(0.5)
    else:
        raise Failure(f"{shot.path} did not render within 120 s")
    for action_js, done_js in shot.steps:
        browser.evaluate(action_js)
        for _attempt in range(60):
            if browser.evaluate(done_js):
                break
            time.sleep(0.5)
        else:
            raise Failure(f"{shot.path}: a step did not complete: {action_js}")
    time.sleep(1.5)  # fonts, images and the last redraw
    height = max(shot.min_height, browser.evaluate(CONTENT_HEIGHT_JS) or 0)
    browser.resize(shot.width, min(height, 6000), mobile=mobile)
    time.sleep(1.5)  # the map redraws its arrows for the new size
    png = browser.call("Page.captureScreenshot", format="png")
    path = out_dir / shot.filename
    path.write_bytes(base64.b64decode(png["data"]))
    devctl.say(f"{shot.name}: {path} ({shot.width}x{int(height)})")


# --------------------------------------------------------------------------
# The pictures that need more than opening a page
# --------------------------------------------------------------------------
def check_portal_route(url, session):
    response = session.http.get(url + "/my/okrs", timeout=120, allow_redirects=False)
    if response.status_code == 404:
        raise Failure(
            "the portal page /my/okrs does not exist in this build: it comes with "
            "the portal feature. Take this picture on a build that has it."
        )
    if response.status_code != 200:
        raise Failure(
            f"/my/okrs answered HTTP {response.status_code} to the portal user"
        )


def ensure_zh_tw(admin):
    """Install Traditional Chinese in the database when it is missing."""
    if admin.call("res.lang", "search", [("code", "=", "zh_TW")]):
        return
    devctl.say("installing Traditional Chinese (zh_TW) in the database")
    lang_ids = admin.call(
        "res.lang",
        "search",
        [("code", "=", "zh_TW"), ("active", "=", False)],
        context={"active_test": False},
    )
    if not lang_ids:
        raise Failure("this Odoo does not know the language zh_TW")
    wizard = admin.call(
        "base.language.install", "create", [{"lang_ids": [(6, 0, lang_ids)]}]
    )
    admin.call("base.language.install", "lang_install", wizard)


def demo_scorecard_id(url, db):
    """Id of the demo scorecard (only administrators read external ids)."""
    admin = OdooSession(url, db, "admin")
    xmlid = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", SCORECARD_XMLID[0]), ("name", "=", SCORECARD_XMLID[1])],
        fields=["res_id"],
    )
    if not xmlid:
        raise Failure("the demo scorecard is missing: is this a demo database?")
    return xmlid[0]["res_id"]


def workbook(url, db, out_dir, resolution):
    """The Excel scorecard exported by the ceo, as PNG pages."""
    ceo = OdooSession(url, db, "ceo")
    scorecard = demo_scorecard_id(url, db)
    response = ceo.http.get(
        f"{url}/report/xlsx/bsc_okr.scorecard_xlsx/{scorecard}", timeout=600
    )
    if response.status_code != 200 or not response.content.startswith(b"PK"):
        raise Failure(
            f"the export answered HTTP {response.status_code}, not a workbook"
        )
    xlsx_snapshot.snapshot(response.content, out_dir, resolution)


# --------------------------------------------------------------------------
def run(opts):
    url = f"http://127.0.0.1:{opts.port}"
    out_dir = Path(opts.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = opts.only or ORDER
    unknown = sorted(set(names) - set(ORDER))
    if unknown:
        raise devctl.Failure(
            f"unknown picture(s) {', '.join(unknown)}; choose from {', '.join(ORDER)}"
        )
    server = None
    if not answering(opts.port):
        devctl.check_odoo()
        devctl.ensure_postgres()
        log_fd, log_path = tempfile.mkstemp(prefix="bsc_okr_shots_", suffix=".log")
        os.close(log_fd)
        server = start_server(opts.db, opts.port, log_path)
    failed = {}
    browser = None
    try:
        browser = Browser(opts.chromium)
        for name in names:
            try:
                if name == "workbook":
                    workbook(url, opts.db, out_dir, opts.resolution)
                    continue
                shot = SHOTS[name]
                session = OdooSession(url, opts.db, shot.login)
                if name == "portal_my_okrs":
                    check_portal_route(url, session)
                if name.endswith("_zh_TW"):
                    ensure_zh_tw(session)
                    user = session.call("res.users", "read", [session.uid], ["lang"])
                    previous = user[0]["lang"]
                    session.call("res.users", "write", [session.uid], {"lang": "zh_TW"})
                    try:
                        take(browser, url, session, shot, out_dir)
                    finally:
                        session.call(
                            "res.users", "write", [session.uid], {"lang": previous}
                        )
                elif "{scorecard}" in shot.path:
                    scorecard = demo_scorecard_id(url, opts.db)
                    take(browser, url, session, shot, out_dir, scorecard=scorecard)
                else:
                    take(browser, url, session, shot, out_dir)
            except (
                Failure,
                devctl.Failure,
                requests.RequestException,
                RuntimeError,  # a DevTools command refused
                subprocess.SubprocessError,  # LibreOffice or pdftoppm
                websocket.WebSocketException,
            ) as error:
                failed[name] = str(error)
                devctl.say(f"{name}: FAILED: {error}")
    finally:
        if browser:
            browser.close()
        if server:
            server.terminate()
            server.wait(timeout=60)
    if failed:
        raise devctl.Failure(
            "not taken: "
            + "; ".join(f"{name} ({reason})" for name, reason in failed.items()),
            code=1,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--out", default=str(REPO / "docs" / "img"))
    parser.add_argument("--only", nargs="+", metavar="NAME", help=", ".join(ORDER))
    parser.add_argument("--resolution", type=int, default=80, help="of the workbook")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    opts = parser.parse_args()
    try:
        run(opts)
    except devctl.Failure as failure:
        devctl.say(str(failure))
        return failure.code
    return 0


if __name__ == "__main__":
    sys.exit(main())
