"""HTTP measures against a running Odoo (2 workers): 2 (peer), 3 and 5.

A bounded load client: one thread and one ``requests.Session`` per portal
session, on 127.0.0.1, each sending its requests one after the other (no
more than 20 requests in flight). Query counts come from Odoo's own access
log line (``... 200 - <queries> <sql time> <other time>``), serialization
retries from its "try again" log lines.
"""

import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import benchlib
import generate
import requests

ACCESS_RE = re.compile(r'"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) - (\d+) ')
RETRY_RE = re.compile(r"try again in|Serialization failure|could not serialize", re.I)
CSRF_RE = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
CSRF_JS_RE = re.compile(r'csrf_token["\']?\s*:\s*"([^"]+)"')
REQUESTS_PER_SESSION = 10


RECONNECTS = []  # connections the server dropped between requests


def send(session, method, url, **kwargs):
    """One request; sent again (at most 3 times) when the server dropped the
    kept-alive connection before answering. A check-in sent again carries
    the same form key, which the portal applies once."""
    kwargs.setdefault("timeout", 120)
    for attempt in range(4):
        try:
            return session.request(method, url, **kwargs)
        except requests.ConnectionError:
            if attempt == 3:
                raise
            RECONNECTS.append(url)
            time.sleep(0.2)
    return None


def login(base_url, dbname, login_name, password):
    session = requests.Session()
    response = send(
        session,
        "POST",
        f"{base_url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": dbname, "login": login_name, "password": password},
        },
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"login {login_name} failed: {response.text[:300]}")
    return session


def percentile(samples, pct):
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def _queries_of(log_path, path, after):
    """Query count of the last request to ``path`` in the access log."""
    with open(log_path) as log:
        log.seek(after)
        counts = [
            int(m.group(4))
            for m in ACCESS_RE.finditer(log.read())
            if m.group(2).split("?")[0] == path
        ]
    return counts[-1] if counts else None


def _log_size(log_path):
    with open(log_path) as log:
        log.seek(0, 2)
        return log.tell()


# ----------------------------------------------------------------------
# Measure 2 over HTTP: our report vs Odoo's /web/export/xlsx
# ----------------------------------------------------------------------
def _call(session, base_url, model, method, args, kwargs=None):
    response = send(
        session,
        "POST",
        f"{base_url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        },
        timeout=600,
    )
    body = response.json()
    if body.get("error"):
        raise RuntimeError(str(body["error"])[:500])
    return body["result"]


def export_over_http(base_url, dbname, runs, log):
    session = login(base_url, dbname, "admin", "admin")
    [scorecard] = _call(
        session,
        base_url,
        "bsc.scorecard",
        "search",
        [[("name", "=", generate.MAP_SCORECARD)]],
    )
    page = session.get(f"{base_url}/odoo", timeout=60).text
    csrf = CSRF_JS_RE.search(page).group(1)
    # What the web client's export dialog sends for these columns.
    fields = [
        ("measure_id/perspective_id", "Perspective", "many2one"),
        ("measure_id/objective_id", "Objective", "many2one"),
        ("measure_id", "Measure", "many2one"),
        ("measure_id/unit", "Unit", "selection"),
        ("period_id", "Period", "many2one"),
        ("period_date", "Month", "date"),
        ("actual", "Actual", "float"),
        ("target", "Target", "float"),
        ("achievement", "Achievement", "float"),
        ("score", "Score", "float"),
        ("status", "Status", "selection"),
    ]
    export_params = {
        "model": "bsc.score",
        "fields": [
            {"name": name, "label": label, "type": ftype}
            for name, label, ftype in fields
        ],
        "ids": False,
        "domain": [["scorecard_id", "=", scorecard], ["level", "=", "measure"]],
        "groupby": [],
        "context": {},
        "import_compat": False,
    }
    import json

    ours, peer = [], []
    peer_rows = _call(
        session, base_url, "bsc.score", "search_count", [export_params["domain"]]
    )
    for run in range(runs + 1):  # run 0 warms both workers' caches
        start = time.perf_counter()
        response = send(
            session,
            "GET",
            f"{base_url}/report/xlsx/bsc_okr.scorecard_xlsx/{scorecard}",
            timeout=1200,
        )
        elapsed = time.perf_counter() - start
        response.raise_for_status()
        ours_bytes = len(response.content)
        start = time.perf_counter()
        response = send(
            session,
            "POST",
            f"{base_url}/web/export/xlsx",
            data={"data": json.dumps(export_params), "csrf_token": csrf},
            timeout=1200,
        )
        peer_elapsed = time.perf_counter() - start
        response.raise_for_status()
        if run:
            ours.append(elapsed)
            peer.append(peer_elapsed)
        log(f"  http export run {run}: ours {elapsed:.3f}s peer {peer_elapsed:.3f}s")
    return {
        "ours": benchlib.median_min_max(ours),
        "peer": benchlib.median_min_max(peer),
        "peer_rows": peer_rows,
        "ours_bytes": ours_bytes,
        "peer_bytes": len(response.content),
    }


# ----------------------------------------------------------------------
# Measures 3 and 5: the portal under 20 concurrent sessions
# ----------------------------------------------------------------------
def _team_kr(session, base_url):
    """The shared team KR and its objective (read as a session user)."""
    rows = _call(
        session,
        base_url,
        "okr.key.result",
        "search_read",
        [[("name", "=", "Bench shared team KR")], ["objective_id"]],
    )
    return rows[0]["id"], rows[0]["objective_id"][0]


def _load(sessions, base_url, path_of, log):
    """Each session GETs its page REQUESTS_PER_SESSION times; latencies."""
    latencies, statuses = [], []
    lock = threading.Lock()

    def worker(session):
        local, codes = [], []
        for _index in range(REQUESTS_PER_SESSION):
            start = time.perf_counter()
            try:
                code = send(session, "GET", base_url + path_of).status_code
            except requests.RequestException:
                code = 599  # no answer: counted as an error
            local.append(time.perf_counter() - start)
            codes.append(code)
        with lock:
            latencies.extend(local)
            statuses.extend(codes)

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        list(pool.map(worker, sessions))
    errors = sum(1 for code in statuses if code >= 400)
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "requests": len(latencies),
        "errors": errors,
    }


def _checkins(sessions, base_url, kr_id, objective_id, log):
    """Each session posts REQUESTS_PER_SESSION check-ins on the team KR."""
    statuses = []
    lock = threading.Lock()

    def worker(args):
        index, session = args
        # Contributors may not open the objective's page (only the owner's
        # side may): the session's CSRF token comes from the portal layout.
        page = send(session, "GET", f"{base_url}/my/okrs").text
        match = CSRF_RE.search(page) or CSRF_JS_RE.search(page)
        if not match:
            raise RuntimeError(f"no CSRF token on /my/okrs: {page[:300]}")
        csrf = match.group(1)
        codes = []
        for step in range(REQUESTS_PER_SESSION):
            try:
                response = send(
                    session,
                    "POST",
                    f"{base_url}/my/key-results/{kr_id}/checkin",
                    data={
                        "csrf_token": csrf,
                        "form_key": uuid.uuid4().hex,
                        "value": str(index * 100 + step),
                        "confidence": "7",
                        "comment": f"bench session {index} step {step}",
                    },
                    allow_redirects=False,
                )
            except requests.RequestException:
                codes.append(599)  # no answer: counted as an error
                continue
            codes.append(response.status_code)
        with lock:
            statuses.extend(codes)

    with ThreadPoolExecutor(max_workers=len(sessions)) as pool:
        list(pool.map(worker, enumerate(sessions)))
    return statuses


def measure_portal(base_url, dbname, scale, runs, log, log_path):
    n_sessions = scale["portal_sessions"]
    logins = [generate.SESSION_LOGIN % i for i in range(1, n_sessions + 1)]
    sessions = [login(base_url, dbname, name, name) for name in logins]
    result = {"sessions": n_sessions}
    # Query counts of /my/okrs for 10 and for 1,000 OKRs (one request each,
    # nothing else running, after a warm-up request).
    counts = {}
    for name, key in (
        (generate.PORTAL_LIGHT, "light"),
        (generate.PORTAL_HEAVY, "heavy"),
    ):
        user_session = login(base_url, dbname, name, name)
        for _warm in range(4):  # both workers: registry and rule caches
            send(user_session, "GET", f"{base_url}/my/okrs")
        samples = []
        for _sample in range(3):
            mark = _log_size(log_path)
            response = send(user_session, "GET", f"{base_url}/my/okrs")
            time.sleep(0.5)
            samples.append(_queries_of(log_path, "/my/okrs", mark))
        counts[key] = {
            "status": response.status_code,
            # Steady state: the lowest of three warm requests (a worker may
            # still fill a cache on one of them); all three are kept.
            "queries": min(q for q in samples if q is not None),
            "samples": samples,
        }
    result["query_counts"] = counts
    # Measure 3: latency of /my/okrs vs /my/home under the same load.
    for session in sessions:  # warm every worker's caches
        send(session, "GET", f"{base_url}/my/okrs")
        send(session, "GET", f"{base_url}/my/home")
    ours, peer = [], []
    for run in range(runs):
        ours.append(_load(sessions, base_url, "/my/okrs", log))
        peer.append(_load(sessions, base_url, "/my/home", log))
        log(
            f"  portal run {run}: /my/okrs p50 {ours[-1]['p50']:.3f}s "
            f"p95 {ours[-1]['p95']:.3f}s; /my/home p50 {peer[-1]['p50']:.3f}s "
            f"p95 {peer[-1]['p95']:.3f}s"
        )
    result["latency"] = {
        "ours_p50": benchlib.median_min_max([r["p50"] for r in ours]),
        "ours_p95": benchlib.median_min_max([r["p95"] for r in ours]),
        "peer_p50": benchlib.median_min_max([r["p50"] for r in peer]),
        "peer_p95": benchlib.median_min_max([r["p95"] for r in peer]),
        "errors": sum(r["errors"] for r in ours + peer),
        "requests": sum(r["requests"] for r in ours + peer),
    }
    # Measure 5: 20 sessions x 10 check-ins on the shared team KR, while
    # the same sessions keep loading /my/okrs.
    kr_id, objective_id = _team_kr(sessions[0], base_url)
    before = verify_team_kr(dbname, kr_id)["recorded"]  # a reused database
    mark = _log_size(log_path)
    background = threading.Thread(
        target=_load, args=(sessions, base_url, "/my/okrs", log), daemon=True
    )
    background.start()
    started = time.perf_counter()
    statuses = _checkins(sessions, base_url, kr_id, objective_id, log)
    elapsed = time.perf_counter() - started
    background.join()
    with open(log_path) as server_log:
        server_log.seek(mark)
        tail = server_log.read()
    retries = len(RETRY_RE.findall(tail))
    result["integrity"] = {
        "posted": len(statuses),
        "redirects": sum(1 for code in statuses if code in (302, 303)),
        "server_errors": sum(1 for code in statuses if code >= 500),
        "other": sorted({code for code in statuses if code not in (302, 303)}),
        "seconds": elapsed,
        "retries_logged": retries,
        "reconnects": len(RECONNECTS),
        "kr_id": kr_id,
    }
    after = verify_team_kr(dbname, kr_id)
    after["recorded"] -= before
    result["integrity"].update(after, recorded_before=before)
    return result


def verify_team_kr(dbname, kr_id):
    """Check-ins recorded on the team KR and its current value vs the latest."""
    import psycopg2

    conn = psycopg2.connect(dbname=dbname, host="127.0.0.1")
    conn.autocommit = True  # each poll below sees the roll-up's commits
    cur = conn.cursor()
    # With the deferred roll-up on, wait (at most 60 s) for the roll-up job:
    # the lag from here to no pending check-in on the KR is recorded.
    waited = time.perf_counter()
    pending = 0
    while time.perf_counter() - waited < 60:
        cur.execute(
            "SELECT count(*) FROM okr_checkin "
            "WHERE key_result_id = %s AND rollup_pending",
            [kr_id],
        )
        pending = cur.fetchone()[0]
        if not pending:
            break
        time.sleep(0.1)
    rollup_lag = time.perf_counter() - waited
    cur.execute("SELECT count(*) FROM okr_checkin WHERE key_result_id = %s", [kr_id])
    recorded = cur.fetchone()[0]
    cur.execute(
        "SELECT value FROM okr_checkin WHERE key_result_id = %s "
        "ORDER BY date DESC, id DESC LIMIT 1",
        [kr_id],
    )
    latest = cur.fetchone()
    cur.execute("SELECT current_value FROM okr_key_result WHERE id = %s", [kr_id])
    current = cur.fetchone()[0]
    conn.close()
    return {
        "recorded": recorded,
        "latest_value": latest[0] if latest else None,
        "current_value": current,
        "current_is_latest": bool(latest) and latest[0] == current,
        "still_pending": pending,
        "rollup_lag_seconds": rollup_lag,
    }
