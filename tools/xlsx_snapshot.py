#!/usr/bin/env python3
"""Regenerate the pictures of the Excel scorecard in docs/img/.

    python3 tools/xlsx_snapshot.py --db bsc_okr_demo [--login ceo] [--out docs/img]

Renders the executive workbook (report ``bsc_okr.scorecard_xlsx``) of a demo
database as a demo user, converts it to PDF with LibreOffice headless, and
saves the Summary and the Objectives & measures pages as PNG
(``xlsx_summary.png``, ``xlsx_measures.png``) with pdftoppm.

The workbook is the demo scorecard (Harbour Toys, the method's reference case)
exported from the Print menu, i.e. with the default options: the horizon start
to the current month, initiatives and OKR alignment included. ``--scorecard
NAME`` exports another scorecard. Nothing is written to the database. Needs
``soffice`` (apt-get install libreoffice-calc-nogui) and ``pdftoppm`` /
``pdftotext`` (poppler-utils).
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import devctl  # noqa: E402

REPO = devctl.REPO
PAGES = {"xlsx_summary.png": "Summary", "xlsx_measures.png": "Objectives & measures"}

DEMO_SCORECARD = "bsc_okr.bsc_scorecard_harbour_toys_demo"


def render(env, login, scorecard_name):
    """The workbook bytes, rendered as ``login`` from the Print menu (defaults)."""
    user = env["res.users"].search([("login", "=", login)], limit=1)
    if not user:
        raise devctl.Failure(f"No user with login {login!r} in this database.")
    if scorecard_name:
        scorecard = env["bsc.scorecard"].search(
            [("name", "=", scorecard_name)], limit=1
        )
    else:
        scorecard = env.ref(DEMO_SCORECARD, raise_if_not_found=False)
    if not scorecard:
        raise devctl.Failure(
            "No scorecard to export: load the demo data (make run) or name one "
            "with --scorecard."
        )
    user_env = env(user=user.id, context=dict(env.context, **user.context_get()))
    content, _kind = user_env["ir.actions.report"]._render_xlsx(
        "bsc_okr.scorecard_xlsx", [scorecard.id], data={}
    )
    return content


def pages_by_sheet(pdf):
    """{sheet name: first page number} from the page headers (sheet names)."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for number, page in enumerate(text.split("\f"), start=1):
        head = "\n".join(page.strip().splitlines()[:2])
        for sheet in PAGES.values():
            if sheet in head and sheet not in found:
                found[sheet] = number
    return found


def snapshot(content, out_dir, resolution, keep_xlsx=None):
    for tool in ("soffice", "pdftoppm", "pdftotext"):
        if not shutil.which(tool):
            raise devctl.Failure(
                f"{tool} is missing: apt-get install -y libreoffice-calc-nogui "
                "poppler-utils"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bsc_xlsx_") as tmp:
        tmp = Path(tmp)
        xlsx = tmp / "scorecard.xlsx"
        xlsx.write_bytes(content)
        if keep_xlsx:
            shutil.copy(xlsx, keep_xlsx)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp),
                str(xlsx),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = tmp / "scorecard.pdf"
        pages = pages_by_sheet(pdf)
        for filename, sheet in PAGES.items():
            if sheet not in pages:
                raise devctl.Failure(f"No page of the sheet {sheet!r} in the PDF.")
            prefix = tmp / filename.removesuffix(".png")
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(resolution),
                    "-f",
                    str(pages[sheet]),
                    "-l",
                    str(pages[sheet]),
                    "-singlefile",
                    str(pdf),
                    str(prefix),
                ],
                check=True,
            )
            shutil.copy(f"{prefix}.png", out_dir / filename)
            devctl.say(f"{sheet}: page {pages[sheet]} -> {out_dir / filename}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="bsc_okr_demo")
    parser.add_argument("--login", default="ceo")
    parser.add_argument("--scorecard", help="name of the scorecard to export")
    parser.add_argument("--out", default=str(REPO / "docs" / "img"))
    parser.add_argument("--resolution", type=int, default=80)
    parser.add_argument("--xlsx", help="also keep the workbook at this path")
    opts = parser.parse_args()
    with devctl.superuser_env(opts.db) as env:
        try:
            content = render(env, opts.login, opts.scorecard)
        finally:
            env.cr.rollback()  # an export writes nothing; make sure of it
    snapshot(content, Path(opts.out), opts.resolution, opts.xlsx)


if __name__ == "__main__":
    try:
        main()
    except devctl.Failure as failure:
        devctl.say(str(failure))
        sys.exit(failure.code)
