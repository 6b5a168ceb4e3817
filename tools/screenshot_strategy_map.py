#!/usr/bin/env python3
"""Screenshot of the strategy map of a running Odoo, for docs/img/.

Start Odoo with the demo data first (``make run``), then::

    python3 tools/screenshot_strategy_map.py --url http://127.0.0.1:8069 \\
        --db bsc_okr_demo --login ceo --password ceo \\
        --out docs/img/strategy_map.png

It logs in over JSON-RPC, hands the session cookie to a headless Chromium
driven through the DevTools protocol (``websocket-client``), opens the
Strategy Map client action, waits until the arrows are drawn and saves a PNG
of the whole map.
"""

import argparse
import base64
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

ACTION_PATH = "/odoo/action-bsc_okr.bsc_strategy_map_action"
SELECT_JS = (
    "(() => { const select = document.querySelector('.o_bsc_map_scorecard');"
    " const option = [...select.options].find((o) => o.text === %s);"
    " select.value = option.value;"
    " select.dispatchEvent(new Event('change')); })()"
)
READY_JS = (
    "(() => { const svg = document.querySelector('svg.o_bsc_map_links');"
    " return svg && Number(svg.dataset.arrowCount || 0) > 0"
    " ? document.querySelector('.o_bsc_map').scrollHeight + 160 : 0; })()"
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def login(url, db, user, password):
    response = requests.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": db, "login": user, "password": password},
        },
        timeout=30,
    )
    response.raise_for_status()
    if response.json().get("error"):
        sys.exit(f"login failed: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


class DevTools:
    """Minimal synchronous Chrome DevTools protocol client."""

    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30)
        self.next_id = 0

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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--login", default="ceo")
    parser.add_argument("--password", default="ceo")
    parser.add_argument("--out", default="docs/img/strategy_map.png")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument(
        "--scorecard", help="name of the scorecard to show (default: the first)"
    )
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    opts = parser.parse_args()

    session_id = login(opts.url, opts.db, opts.login, opts.password)
    port = free_port()
    profile = tempfile.mkdtemp(prefix="bsc_okr_shot_")
    browser = subprocess.Popen(
        [
            opts.chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
            f"--window-size={opts.width},1000",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(50):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json/list", timeout=2)
                pages = [t for t in targets.json() if t["type"] == "page"]
                if pages:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        tools.call("Network.enable")
        tools.call(
            "Network.setCookie", name="session_id", value=session_id, url=opts.url
        )
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=opts.width,
            height=1000,
            deviceScaleFactor=1,
            mobile=False,
        )
        tools.call("Page.enable")
        tools.call("Page.navigate", url=opts.url + ACTION_PATH)
        height = wait_ready(tools)
        if opts.scorecard:
            tools.call(
                "Runtime.evaluate",
                expression=SELECT_JS % json.dumps(opts.scorecard),
            )
            time.sleep(1)
            height = wait_ready(tools)
        tools.call(
            "Emulation.setDeviceMetricsOverride",
            width=opts.width,
            height=int(height),
            deviceScaleFactor=1,
            mobile=False,
        )
        time.sleep(1.5)  # let the arrows be redrawn for the new size
        shot = tools.call("Page.captureScreenshot", format="png")
        out = Path(opts.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        print(f"saved {out} ({opts.width}x{int(height)})")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def wait_ready(tools):
    """Height of the rendered map, once its arrows are drawn."""
    for _attempt in range(120):
        result = tools.call("Runtime.evaluate", expression=READY_JS)
        height = result.get("result", {}).get("value") or 0
        if height:
            return height
        time.sleep(0.5)
    sys.exit("the strategy map did not render (no arrows after 60 s)")


if __name__ == "__main__":
    main()
