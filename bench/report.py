"""Write bench/RESULTS.md from the results_<scale>.json files."""

import json
from pathlib import Path

NOTES_FILE = "NOTES.md"  # hand-written analysis, appended verbatim when present


def _s(fig):
    """``median (min-max)`` of a median_min_max dict, in seconds."""
    if not fig:
        return "n/a"
    return f"{fig['median']:.3f} s ({fig['min']:.3f}-{fig['max']:.3f})"


def _mb(fig):
    if not fig:
        return "n/a"
    return f"{fig['median']:.0f} MB ({fig['min']:.0f}-{fig['max']:.0f})"


def _ratio(a, b):
    if not a or not b or not b["median"]:
        return None
    return a["median"] / b["median"]


def _met(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**missed**"


def _r(value):
    return "n/a" if value is None else f"{value:.2f}x"


def scale_section(record):
    res = record["results"]
    sizes = record["sizes"]
    key_results = sizes["okr_objectives"] * sizes["key_results_per_objective"]
    lines = [
        f"## Scale `{record['scale']}` — {record['date']}",
        "",
        f"Runs per figure: {record['runs']} (median, with min-max). Data: "
        f"{sizes['employees']} employees in {sizes['departments']} departments, "
        f"{sizes['okr_objectives']} OKR objectives, "
        f"{key_results} key results, "
        f"{key_results * sizes['checkins_per_kr']} check-ins, "
        f"{sizes['bsc_objectives']} strategic objectives, "
        f"{sizes['measures']} measures x {sizes['periods']} periods of values, "
        f"{sizes['initiatives']} initiatives. Build (install + generate): "
        f"{record['build_seconds']:.0f} s"
        + (" (database reused)" if not record["build_seconds"] else "")
        + ".",
        "",
        "| # | figure | bsc_okr | floor / peer | ratio | target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    rollup = res.get("rollup")
    if rollup:
        ratio = _ratio(rollup["orm"], rollup["floor"])
        lines.append(
            f"| 1 | roll-up of {rollup['items']} check-ins ({rollup['key_results']}"
            f" KRs, {rollup['objectives']} objectives, {rollup['scorecards']} "
            f"scorecards; {rollup['queries']} queries) | {_s(rollup['orm'])} | "
            f"floor {_s(rollup['floor'])} | {_r(ratio)} | <= 3x | "
            f"{_met(ratio is not None and ratio <= 3)} |"
        )
    export = res.get("export")
    if export:
        ours, floor = export.get("ours"), export.get("floor")
        ratio = _ratio(ours["seconds"], floor["seconds"]) if ours and floor else None
        lines.append(
            f"| 2 | Excel export, group scorecard ({floor.get('data_rows', '?')} "
            f"measure x period rows), in process | {_s(ours['seconds'])} | floor "
            f"(bare xlsxwriter) {_s(floor['seconds'])} | {_r(ratio)} | <= 1.5x | "
            f"{_met(ratio is not None and ratio <= 1.5)} |"
        )
        peak = ours["peak_mb"]["max"]
        lines.append(
            f"| 2 | peak RSS of that export process (RSS before the render: "
            f"{_mb(ours['baseline_mb'])}) | {_mb(ours['peak_mb'])} | floor "
            f"{_mb(floor['peak_mb'])} | - | <= 300 MB | {_met(peak <= 300)} |"
        )
        http = export.get("http")
        if http:
            ratio = _ratio(http["ours"], http["peer"])
            lines.append(
                f"| 2 | over HTTP: our report vs `/web/export/xlsx` of the same "
                f"{http['peer_rows']} measure rows | {_s(http['ours'])} | peer "
                f"{_s(http['peer'])} | {_r(ratio)} | faster than the peer | "
                f"{_met(ratio is not None and ratio < 1)} |"
            )
    portal = res.get("portal")
    if portal:
        counts = portal["query_counts"]
        light, heavy = counts["light"]["queries"], counts["heavy"]["queries"]
        ok = light is not None and light == heavy and heavy <= 25
        lines.append(
            f"| 3 | `/my/okrs` queries, user with 10 / 1,000 OKRs | {light} / "
            f"{heavy} | - | - | equal, <= 25 | {_met(ok)} |"
        )
        lat = portal["latency"]
        for key in ("p50", "p95"):
            ratio = _ratio(lat[f"ours_{key}"], lat[f"peer_{key}"])
            lines.append(
                f"| 3 | `/my/okrs` latency {key}, {portal['sessions']} sessions, "
                f"2 workers | {_s(lat[f'ours_{key}'])} | `/my/home` "
                f"{_s(lat[f'peer_{key}'])} | {_r(ratio)} | <= 1.5x | "
                f"{_met(ratio is not None and ratio <= 1.5)} |"
            )
        integ = portal["integrity"]
        ok = (
            integ["recorded"] == integ["posted"]
            and integ["current_is_latest"]
            and not integ["server_errors"]
        )
        lines.append(
            f"| 5 | {integ['posted']} portal check-ins on a shared team KR "
            f"({integ['seconds']:.1f} s) | {integ['recorded']} recorded, current "
            f"value = latest: {integ['current_is_latest']}, 5xx: "
            f"{integ['server_errors']}, serialization retries logged: "
            f"{integ['retries_logged']} | - | - | all recorded, no 500 | "
            f"{_met(ok)} |"
        )
    if res.get("portal_error"):
        lines.append(
            f"| 3, 5 | portal measures did not complete: `{res['portal_error']}` "
            "| - | - | - | - | **not measured** |"
        )
    smap = res.get("map")
    if smap:
        ratio = _ratio(smap["ours"], smap["plain"])
        lines.append(
            f"| 4 | strategy map data, {smap['objectives']} objectives / "
            f"{smap['links']} links | {_s(smap['ours'])}, {smap['queries']} "
            f"queries | plain `search_read` {_s(smap['plain'])} | {_r(ratio)} | "
            f"<= 2x, <= 10 queries | "
            f"{_met(ratio is not None and ratio <= 2 and smap['queries'] <= 10)} |"
        )
    evid = res.get("evidence")
    if evid:
        ratio = _ratio(evid["ours"], evid["floor"])
        met = ratio is not None and ratio <= 2 and evid["ours"]["median"] <= 2
        lines.append(
            f"| 7 | test the map's links, {evid['links']} links x {evid['months']} "
            f"months ({evid['queries']} queries) | {_s(evid['ours'])} | floor "
            f"(same numpy/scipy calls, series in memory) {_s(evid['floor'])} | "
            f"{_r(ratio)} | <= 2 s, <= 2x | "
            f"{_met(met)} |"
        )
    imp = res.get("import")
    if imp:
        ratio = _ratio(imp["ours"], imp["floor"])
        met = imp["ours"]["max"] < 30
        lines.append(
            f"| 8 | Import OKRs wizard, {imp['rows']} rows ({imp['objectives']} "
            f"objectives, {imp['key_results']} key results, as drafts; "
            f"{imp['queries']} queries) | {_s(imp['ours'])} | floor (the same two "
            f"batched creates as superuser, no file, no checks) {_s(imp['floor'])} "
            f"| {_r(ratio)} | < 30 s | {_met(met)} |"
        )
    return lines


def per_item(record, key):
    res = record["results"]
    if key == "rollup" and res.get("rollup"):
        return res["rollup"]["orm"]["median"] / res["rollup"]["items"]
    if key == "export" and res.get("export"):
        rows = res["export"]["floor"].get("data_rows")
        return res["export"]["ours"]["seconds"]["median"] / rows if rows else None
    if key == "map" and res.get("map"):
        return res["map"]["ours"]["median"] / res["map"]["items"]
    return None


def growth_section(small, company):
    lines = [
        "## Measure 6: growth from `small` to `company` (time per item)",
        "",
        "| measure | item | per item, small | per item, company | growth | "
        "target | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, label, item in (
        ("rollup", "1 roll-up", "check-in"),
        ("export", "2 Excel export", "measure x period row"),
        ("map", "4 strategy map", "objective or link"),
    ):
        a, b = per_item(small, key), per_item(company, key)
        growth = b / a if a and b else None
        lines.append(
            f"| {label} | {item} | "
            + (f"{a * 1000:.3f} ms" if a else "n/a")
            + " | "
            + (f"{b * 1000:.3f} ms" if b else "n/a")
            + f" | {_r(growth)} | <= 1.5x | "
            f"{_met(None if growth is None else growth <= 1.5)} |"
        )
    return lines


def write_results(bench_dir):
    bench_dir = Path(bench_dir)
    records = {}
    for scale in ("small", "company"):
        path = bench_dir / f"results_{scale}.json"
        if path.exists():
            records[scale] = json.loads(path.read_text())
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (bench/run.py; see bench/README.md for what each "
        "figure measures). Ratios are measured side by side in one run on the "
        "same machine; absolute times vary between machines.",
        "",
    ]
    if records:
        machine = next(iter(records.values()))["machine"]
        lines += [
            "## Machine",
            "",
            f"- cores: {machine['cores']} ({machine['cpu']}), shared with other "
            "work while measuring",
            f"- memory: {machine['memory_gb']} GB",
            f"- Python {machine['python']}, PostgreSQL {machine['postgresql']}, "
            "Odoo 18.0",
            "",
        ]
    for scale in ("small", "company"):
        if scale in records:
            lines += scale_section(records[scale]) + [""]
    if "small" in records and "company" in records:
        lines += growth_section(records["small"], records["company"]) + [""]
    notes = bench_dir / NOTES_FILE
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    (bench_dir / "RESULTS.md").write_text("\n".join(lines))
