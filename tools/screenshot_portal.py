#!/usr/bin/env python3
"""Phone-width screenshot of an OKR portal page, for docs/img/.

Start Odoo with the demo data first (``make run``), then::

    python3 tools/screenshot_portal.py --url http://127.0.0.1:8069 \\
        --db bsc_okr_demo --login portal --password portal \\
        --path /my/okrs --out docs/img/portal_my_okrs.png

It emulates a 375 px wide phone, saves the whole page, and fails when the
page is wider than the screen (horizontal scrolling), so that it doubles as a
check of the mobile layout.
"""

import argparse
import base64
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from screenshot_strategy_map import DevTools, free_port, login

MEASURE_JS = (
    "document.readyState === 'complete'"
    " ? [document.documentElement.scrollWidth, document.body.scrollHeight]"
    " : null"
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--login", default="portal")
    parser.add_argument("--password", default="portal")
    parser.add_argument("--path", default="/my/okrs")
    parser.add_argument("--out", default="docs/img/portal_my_okrs.png")
    parser.add_argument("--width", type=int, default=375)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    opts = parser.parse_args()

    session_id = login(opts.url, opts.db, opts.login, opts.password)
    port = free_port()
    profile = tempfile.mkdtemp(prefix="bsc_okr_portal_shot_")
    browser = subprocess.Popen(
        [
            opts.chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={profile}",
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
        metrics = {"width": opts.width, "deviceScaleFactor": 2, "mobile": True}
        tools.call("Emulation.setDeviceMetricsOverride", height=812, **metrics)
        tools.call("Page.enable")
        tools.call("Page.navigate", url=opts.url + opts.path)
        size = None
        for _attempt in range(60):
            time.sleep(0.5)
            size = tools.call(
                "Runtime.evaluate", expression=MEASURE_JS, returnByValue=True
            )
            size = size.get("result", {}).get("value")
            if size:
                break
        if not size:
            sys.exit(f"{opts.path} did not load")
        width, height = size
        if width > opts.width:
            sys.exit(
                f"{opts.path} is {width}px wide on a {opts.width}px screen: "
                "it scrolls sideways"
            )
        tools.call("Emulation.setDeviceMetricsOverride", height=int(height), **metrics)
        time.sleep(1)
        shot = tools.call("Page.captureScreenshot", format="png")
        out = Path(opts.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
        print(f"saved {out} ({opts.width}x{int(height)} CSS px, no sideways scroll)")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
