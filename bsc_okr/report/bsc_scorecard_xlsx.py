import datetime
import re
from collections import defaultdict

from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .bsc_xlsx_styles import FONT_NAME, FONT_SIZE, STATUSES, XlsxStyles

# Excel refuses longer cells; it counts UTF-16 code units, not characters.
EXCEL_TEXT_LIMIT = 32767
ELLIPSIS = "…"
# Characters XML 1.0 forbids: written as they are, they make the file
# unreadable (xlsxwriter escapes only &, < and > in streamed strings).
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Every table sheet: a title, a subtitle, then the header row.
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2
FIRST_ROW = HEADER_ROW + 1
MAP_SLOTS = 4  # objectives per row of a strategy-map band
WIDE_SHEET = 200  # total column width (characters) printed on A3
CHART_PALETTE = ["#1F77B4", "#2CA02C", "#FF7F0E", "#9467BD", "#8C564B", "#17BECF"]
SCORE_FIELDS = ("actual", "target", "achievement", "score", "status")
# Day 0 of Excel's 1900 date system (serial numbers count days from it).
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def excel_text(value):
    """``value`` as text Excel accepts: XML-safe and within the cell limit.

    Beyond 32,767 UTF-16 code units the text is cut and ends with an
    ellipsis, so that the reader knows something is missing.
    """
    if value is None or value is False:
        return ""
    text = ILLEGAL_XML_RE.sub("", str(value))
    if len(text) * 2 <= EXCEL_TEXT_LIMIT:  # fast path: cannot be too long
        return text
    if len(text.encode("utf-16-le")) // 2 <= EXCEL_TEXT_LIMIT:
        return text
    budget = EXCEL_TEXT_LIMIT - len(ELLIPSIS)
    kept = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if size > budget:
            break
        budget -= size
        kept += 1
    return text[:kept] + ELLIPSIS


class BscScorecardXlsx(models.AbstractModel):
    """The executive Excel scorecard of one ``bsc.scorecard``.

    Rendered through OCA ``report_xlsx`` as the requesting user (never
    sudo), so record rules decide what the workbook contains. Every figure
    comes from the stored ``bsc.score`` rows: nothing is recomputed. Each
    sheet is fed by one read per model, then written strictly top to
    bottom, so that xlsxwriter's ``constant_memory`` mode flushes every
    row once it is complete. User-entered text is always written with
    ``write_string``: a name like ``=HYPERLINK(...)`` stays text.
    """

    _name = "report.bsc_okr.scorecard_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Executive Excel Scorecard"

    # ------------------------------------------------------------------
    # report_xlsx hooks
    # ------------------------------------------------------------------
    def get_workbook_options(self):
        """Stream rows to disk; never turn text into formulas, links or numbers."""
        options = super().get_workbook_options()
        options.update(
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "default_format_properties": {
                    "font_name": FONT_NAME,
                    "font_size": FONT_SIZE,
                },
            }
        )
        return options

    def generate_xlsx_report(self, workbook, data, objects):
        """Write the sheets of one scorecard into ``workbook``.

        :param data: options of the export wizard (see
            :meth:`_export_options`); empty from the Print menu.
        :param objects: the scorecard the report was called on.
        """
        scorecard = self._export_scorecard(data, objects)
        options = self._export_options(scorecard, data)
        ctx = self._collect(scorecard, options)
        styles = XlsxStyles(workbook, ctx["currency"], ctx["unit_suffixes"])
        self._set_properties(workbook, ctx)
        self._write_summary(workbook, styles, ctx)
        self._write_strategy_map(workbook, styles, ctx)
        self._write_measures(workbook, styles, ctx)
        if options["include_initiatives"]:
            self._write_initiatives(workbook, styles, ctx)
        if options["include_okr"]:
            self._write_okr_alignment(workbook, styles, ctx)
        self._write_data(workbook, styles, ctx)
        self._write_evidence(workbook, styles, ctx)

    # ------------------------------------------------------------------
    # Options
    # ------------------------------------------------------------------
    def _export_scorecard(self, data, objects):
        scorecard_id = (data or {}).get("scorecard_id")
        if scorecard_id:
            if not isinstance(scorecard_id, int) or isinstance(scorecard_id, bool):
                raise UserError(self.env._("The scorecard to export is not valid."))
            objects = self.env["bsc.scorecard"].browse(scorecard_id).exists()
        if len(objects) != 1:
            raise UserError(
                self.env._(
                    "Select one scorecard to export (%(count)s selected).",
                    count=len(objects),
                )
            )
        objects.check_access("read")
        return objects

    def _can_export_okr(self):
        """Whether the user may put OKR aggregates into a workbook.

        KPI appraisal staff never may (the appraisal wall), whatever other
        group they hold; everybody else must be an OKR user.
        """
        user = self.env.user
        return user.has_group("bsc_okr.group_okr_user") and not user.has_group(
            "bsc_okr.group_kpi_appraisal"
        )

    def _export_options(self, scorecard, data):
        """Validated export options; a clear UserError for bad input.

        Keys of ``data``, all optional: ``period_from_id`` and
        ``period_to_id`` (periods of the scorecard; by default from the
        horizon start to the current period), ``department_ids`` (the
        objectives, measures and initiatives of these departments and their
        sub-departments), ``include_initiatives`` (default True) and
        ``include_okr`` (default: when the user may export OKR data).
        """
        data = data or {}
        periods = self.env["bsc.period"].search(
            [("scorecard_id", "=", scorecard.id)], order="date_start, id"
        )
        period_from = self._option_period(scorecard, periods, data, "period_from_id")
        period_to = self._option_period(scorecard, periods, data, "period_to_id")
        default_from, default_to = self._default_period_range(periods)
        period_from = period_from or default_from
        period_to = period_to or default_to
        if period_from.date_start > period_to.date_start:
            raise UserError(
                self.env._(
                    "The period range is reversed: %(start)s comes after %(end)s. "
                    "Choose a start period before the end period.",
                    start=period_from.name,
                    end=period_to.name,
                )
            )
        department_ids = data.get("department_ids") or []
        if not isinstance(department_ids, list | tuple) or not all(
            isinstance(dep, int) and not isinstance(dep, bool) for dep in department_ids
        ):
            raise UserError(self.env._("The departments to export are not valid."))
        include_okr = data.get("include_okr")
        if include_okr is None:
            include_okr = self._can_export_okr()
        elif include_okr and not self._can_export_okr():
            raise UserError(
                self.env._(
                    "OKRs are kept out of appraisal: KPI appraisal staff cannot "
                    "export the OKR alignment summary. Export the scorecard "
                    "without it."
                )
            )
        return {
            "periods": periods.filtered(
                lambda p: period_from.date_start <= p.date_start <= period_to.date_start
            ),
            "period_from": period_from,
            "period_to": period_to,
            "departments": self.env["hr.department"].browse(department_ids).exists(),
            "include_initiatives": bool(data.get("include_initiatives", True)),
            "include_okr": bool(include_okr),
        }

    def _default_period_range(self, periods):
        """(first, last) period exported by default: the horizon start to
        the current period (the latest one started), or the first period
        when none has started yet.
        """
        periods = periods.sorted("date_start")
        today = fields.Date.context_today(self)
        started = periods.filtered(lambda p: p.date_start <= today)
        return periods[:1], started[-1:] or periods[:1]

    def _option_period(self, scorecard, periods, data, key):
        period_id = data.get(key)
        if not period_id:
            return self.env["bsc.period"]
        if not isinstance(period_id, int) or isinstance(period_id, bool):
            raise UserError(self.env._("The period to export is not valid."))
        period = self.env["bsc.period"].browse(period_id)
        if period not in periods:
            period = period.exists()
            # Name only a period the user may read; otherwise its id.
            label = (
                period.display_name
                if period and period.has_access("read")
                else "#%s" % period_id
            )
            raise UserError(
                self.env._(
                    "The period %(period)s is outside the horizon of %(scorecard)s "
                    "(%(start)s to %(end)s). Choose a period of this scorecard.",
                    period=label,
                    scorecard=scorecard.name,
                    start=format_date(self.env, scorecard.date_from),
                    end=format_date(self.env, scorecard.date_to),
                )
            )
        return period

    # ------------------------------------------------------------------
    # Reading: a fixed number of queries, with the user's rights
    # ------------------------------------------------------------------
    def _labels(self, model, fname):
        field = self.env[model]._fields[fname]
        return dict(field._description_selection(self.env))

    def _names(self, model, ids):
        """{id: name} of the records the user may read, in one query."""
        ids = {record_id for record_id in ids if record_id}
        if not ids:
            return {}
        return {
            record["id"]: record["name"]
            for record in self.env[model].search_read(
                [("id", "in", list(ids))], ["name"]
            )
        }

    def _collect(self, scorecard, options):
        """Everything the sheets write, read once as the user."""
        env = self.env
        periods = options["periods"]
        company = scorecard.company_id
        currency = company.currency_id
        dept_ids = None
        if options["departments"]:
            dept_ids = set(
                env["hr.department"]
                .search([("id", "child_of", options["departments"].ids)])
                .ids
            )
        perspectives = env["bsc.perspective"].search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["name", "weight", "color"],
            order="sequence desc, id",
        )
        objectives = env["bsc.objective"].search_read(
            [("scorecard_id", "=", scorecard.id)],
            ["name", "perspective_id", "department_id", "execution_approach"],
            order="perspective_sequence desc, sequence, id",
            load=None,
        )
        measures = env["bsc.measure"].search_read(
            [("scorecard_id", "=", scorecard.id)],
            [
                "name",
                "objective_id",
                "owner_id",
                "department_id",
                "unit",
                "unit_label",
                "polarity",
                "baseline",
            ],
            load=None,
        )
        if dept_ids is not None:
            measures = [m for m in measures if m["department_id"] in dept_ids]
            shown = {m["objective_id"] for m in measures} | {
                o["id"] for o in objectives if o["department_id"] in dept_ids
            }
        else:
            shown = {o["id"] for o in objectives}
        # Measures in the order of the map: perspectives top-down, then the
        # objectives' order, then the measures' own order.
        objective_rank = {o["id"]: rank for rank, o in enumerate(objectives)}
        measures = sorted(
            (m for m in measures if m["objective_id"] in objective_rank),
            key=lambda m: objective_rank[m["objective_id"]],
        )
        range_label = (
            options["period_from"].name
            if options["period_from"] == options["period_to"]
            else env._(
                "%(start)s to %(end)s",
                start=options["period_from"].name,
                end=options["period_to"].name,
            )
        )
        departments_label = ", ".join(options["departments"].mapped("display_name"))
        return {
            "scorecard": scorecard,
            "company": company,
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "decimal_places": currency.decimal_places,
            },
            "unit_suffixes": {"days": env._("days"), "hours": env._("hours")},
            "options": options,
            "periods": periods,
            "period_to": options["period_to"],
            "perspectives": perspectives,
            "perspective_names": {p["id"]: p["name"] for p in perspectives},
            "objectives": objectives,
            "objective_names": {o["id"]: o["name"] for o in objectives},
            "shown_objective_ids": shown,
            "measures": measures,
            "dept_ids": dept_ids,
            "rollups": self._read_rollup_scores(scorecard, periods),
            "status_labels": self._labels("bsc.score", "status"),
            "subtitle": env._(
                "%(scorecard)s · %(periods)s · %(departments)s",
                scorecard=scorecard.name,
                periods=range_label,
                departments=departments_label or env._("all departments"),
            ),
            "range_label": range_label,
            "departments_label": departments_label,
        }

    def _read_rollup_scores(self, scorecard, periods):
        """Stored scorecard, perspective and objective scores, one query.

        :return: {(level, record id): {period id: row dict}}, the record id
            of the scorecard level being the scorecard's.
        """
        groups = self.env["bsc.score"]._read_group(
            [
                ("scorecard_id", "=", scorecard.id),
                ("level", "in", ("scorecard", "perspective", "objective")),
                ("period_id", "in", periods.ids),
            ],
            ["level", "perspective_id", "objective_id"],
            [
                "period_id:array_agg",
                "score:array_agg",
                "status:array_agg",
                "coverage:array_agg",
                "missing_count:array_agg",
            ],
        )
        rollups = {}
        for level, perspective, objective, *arrays in groups:
            record_id = (objective or perspective or scorecard).id
            rollups[(level, record_id)] = {
                period_id: {
                    "score": score,
                    "status": status,
                    "coverage": coverage,
                    "missing_count": missing,
                }
                for period_id, score, status, coverage, missing in zip(
                    *arrays, strict=True
                )
            }
        return rollups

    def _read_measure_scores(self, ctx):
        """Stored measure scores of the period range, one query.

        Grouped by measure with ``array_agg`` (ordered by row id, so the
        arrays line up): a few thousand groups instead of one ORM record
        per score row.

        :return: {measure id: {period id: (actual, target, achievement,
            score, status)}}
        """
        groups = self.env["bsc.score"]._read_group(
            [
                ("scorecard_id", "=", ctx["scorecard"].id),
                ("level", "=", "measure"),
                ("period_id", "in", ctx["periods"].ids),
            ],
            ["measure_id"],
            ["period_id:array_agg"] + [f"{fname}:array_agg" for fname in SCORE_FIELDS],
            # Any order: rows follow the measures' order; this one avoids
            # joining the tables of bsc.measure's _order.
            order="__count",
        )
        return {
            measure.id: dict(zip(period_ids, zip(*values, strict=True), strict=True))
            for measure, period_ids, *values in groups
        }

    # ------------------------------------------------------------------
    # Workbook and sheet set-up
    # ------------------------------------------------------------------
    def _set_properties(self, workbook, ctx):
        scorecard = ctx["scorecard"]
        workbook.set_properties(
            {
                "title": excel_text(
                    self.env._("Balanced Scorecard: %(name)s", name=scorecard.name)
                ),
                "subject": excel_text(ctx["range_label"]),
                "author": excel_text(self.env.user.name),
                "company": excel_text(ctx["company"].name),
                "category": self.env._("Balanced Scorecard"),
                "keywords": "BSC, OKR",
                "comments": self.env._(
                    "Generated by Odoo Strategy & OKR from the stored scores."
                ),
                "created": fields.Datetime.now(),
            }
        )

    def _add_sheet(
        self, workbook, styles, ctx, name, columns, freeze_cols=0, subtitle=None
    ):
        """A table sheet: widths, title, subtitle, header, panes, printing.

        :param columns: list of (header label, width); a label None leaves
            the header cell empty (a spacer column).
        """
        sheet = workbook.add_worksheet(self._sheet_name(name))
        for col, (_label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        sheet.write_string(
            TITLE_ROW,
            0,
            excel_text(f"{name} — {ctx['scorecard'].name}"),
            styles.get("title"),
        )
        sheet.write_string(
            SUBTITLE_ROW,
            0,
            excel_text(subtitle or ctx["subtitle"]),
            styles.get("subtitle"),
        )
        sheet.set_row(HEADER_ROW, 30)
        header = styles.get("header")
        for col, (label, _width) in enumerate(columns):
            if label is not None:
                sheet.write_string(HEADER_ROW, col, label, header)
        sheet.freeze_panes(FIRST_ROW, freeze_cols)
        self._print_setup(
            sheet, ctx, HEADER_ROW, sum(width for _label, width in columns)
        )
        return sheet

    def _sheet_name(self, label):
        """A valid sheet name from a (translated) label: Excel refuses
        ``[]:*?/\\``, a leading or trailing quote and more than 31 characters."""
        name = re.sub(r"[\[\]:*?/\\]", " ", excel_text(label)).strip("'").strip()
        return name[:31] or "Sheet"

    def _print_setup(self, sheet, ctx, repeat_row, width=0):
        """Landscape, one page wide, the header row repeated on every page.

        A4, or A3 for the wide tables (more than WIDE_SHEET characters of
        columns), which would be too small to read on A4.
        """
        sheet.set_landscape()
        sheet.set_paper(8 if width > WIDE_SHEET else 9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(repeat_row)
        sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
        # "&" starts a header code: doubled, user text stays text.
        name = excel_text(ctx["scorecard"].name)[:80].replace("&", "&&")
        sheet.set_header(f"&L{name}&R&A", {"margins": None})
        sheet.set_footer("&L&D&R&P / &N")

    def _no_data(self, sheet, styles, row, col=0):
        sheet.write_string(row, col, self.env._("No data"), styles.get("no_data"))

    def _status_conditional_formats(self, sheet, styles, ctx, first, last, col):
        """Status colours as conditional formats over a status column."""
        for status in STATUSES:
            label = ctx["status_labels"][status].replace('"', '""')
            sheet.conditional_format(
                first,
                col,
                last,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{label}"',
                    "format": styles.status_conditional(status),
                },
            )

    def _data_bar(self, sheet, first, last, col):
        sheet.conditional_format(
            first,
            col,
            last,
            col,
            {
                "type": "data_bar",
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 1,
                "bar_color": "#63BE7B",
                "bar_solid": True,
            },
        )

    def _write_score(self, sheet, styles, row, col, node, fmt_name="text"):
        """A score cell, or "No data" when the score is missing."""
        if node and node["status"] != "no_data" and node["score"] is not None:
            sheet.write_number(row, col, node["score"], styles.get(fmt_name, "score"))
        else:
            self._no_data(sheet, styles, row, col)

    # ------------------------------------------------------------------
    # 1. Summary
    # ------------------------------------------------------------------
    def _write_summary(self, workbook, styles, ctx):
        env = self.env
        scorecard = ctx["scorecard"]
        period_to = ctx["period_to"]
        rollups = ctx["rollups"]
        perspectives = ctx["perspectives"]
        labels = ctx["status_labels"]
        sheet = workbook.add_worksheet(self._sheet_name(env._("Summary")))
        for col, width in enumerate((28, 16, 16, 14, 14, 16)):
            sheet.set_column(col, col, width)
        sheet.set_row(TITLE_ROW, 24)
        sheet.write_string(
            TITLE_ROW,
            0,
            excel_text(env._("Balanced Scorecard: %(name)s", name=scorecard.name)),
            styles.get("title"),
        )
        sheet.write_string(
            SUBTITLE_ROW, 0, excel_text(ctx["subtitle"]), styles.get("subtitle")
        )
        sheet.freeze_panes(HEADER_ROW, 0)
        self._print_setup(sheet, ctx, TITLE_ROW)
        label_fmt = styles.get("label")
        text_fmt = styles.get("text")
        now = fields.Datetime.now()
        info = [
            (env._("Scorecard"), scorecard.name),
            (
                env._("Horizon"),
                env._(
                    "%(start)s to %(end)s",
                    start=format_date(env, scorecard.date_from),
                    end=format_date(env, scorecard.date_to),
                ),
            ),
            (env._("Periods"), ctx["range_label"]),
            (env._("Company"), ctx["company"].name),
            (env._("Departments"), ctx["departments_label"] or env._("All")),
            (env._("Generated on"), None),
            (env._("Generated by"), env.user.name),
        ]
        row = HEADER_ROW + 1
        for label, value in info:
            sheet.write_string(row, 0, label, label_fmt)
            if value is None:
                sheet.write_datetime(
                    row,
                    1,
                    fields.Datetime.context_timestamp(self, now).replace(tzinfo=None),
                    styles.get("text", "datetime", align="left"),
                )
            else:
                sheet.write_string(row, 1, excel_text(value), text_fmt)
            row += 1
        overall = rollups.get(("scorecard", scorecard.id), {}).get(period_to.id)
        sheet.write_string(row, 0, env._("Overall score"), label_fmt)
        self._write_score(sheet, styles, row, 1, overall, "section")
        status = overall["status"] if overall else "no_data"
        sheet.write_string(
            row, 2, labels[status], styles.status(status, align="center")
        )
        row += 1
        sheet.write_string(row, 0, env._("Data coverage"), label_fmt)
        if overall:
            sheet.write_number(
                row, 1, overall["coverage"] or 0.0, styles.get("text", "ratio_short")
            )
            sheet.write_string(
                row,
                2,
                env._("Missing values: %(count)s", count=overall["missing_count"] or 0),
                styles.get("text_muted"),
            )
        else:
            self._no_data(sheet, styles, row, 1)
        row += 2

        # Perspectives, top-down as on the map.
        table_header = row
        header = styles.get("header")
        for col, label in enumerate(
            (
                env._("Perspective"),
                env._("Weight"),
                env._("Score"),
                env._("Status"),
                env._("Coverage"),
                env._("Missing values"),
            )
        ):
            sheet.write_string(row, col, label, header)
        row += 1
        if not perspectives:
            self._no_data(sheet, styles, row)
            row += 1
        for perspective in perspectives:
            node = rollups.get(("perspective", perspective["id"]), {}).get(period_to.id)
            status = node["status"] if node else "no_data"
            sheet.write_string(
                row, 0, excel_text(perspective["name"]), styles.get("label")
            )
            sheet.write_number(
                row, 1, perspective["weight"], styles.get("text", "weight")
            )
            self._write_score(sheet, styles, row, 2, node)
            sheet.write_string(
                row, 3, labels[status], styles.status(status, align="center")
            )
            if node:
                sheet.write_number(
                    row, 4, node["coverage"] or 0.0, styles.get("text", "ratio_short")
                )
                sheet.write_number(
                    row, 5, node["missing_count"] or 0, styles.get("text", "integer")
                )
            row += 1
        sheet.autofilter(table_header, 0, row - 1, 5)
        if ctx["dept_ids"] is not None:
            sheet.write_string(
                row,
                0,
                env._(
                    "Perspective and overall scores are those of the whole "
                    "scorecard; the department filter applies to objectives, "
                    "measures and initiatives."
                ),
                styles.get("note"),
            )
            row += 1
        row += 1

        # Score by period: the chart's data (blank = no data).
        sheet.write_string(
            row, 0, env._("Score by period (blank: no data)"), styles.get("section")
        )
        row += 1
        series_header = row
        sheet.set_row(row, 30)
        sheet.write_string(row, 0, env._("Period"), header)
        series = [("perspective", p["id"], p["name"]) for p in perspectives]
        series.append(("scorecard", scorecard.id, env._("Overall")))
        for col, (_level, _rid, label) in enumerate(series, start=1):
            sheet.write_string(row, col, excel_text(label), header)
        row += 1
        first_period_row = row
        score_fmt = styles.get("text", "score")
        for period in ctx["periods"]:
            sheet.write_string(row, 0, excel_text(period.name), text_fmt)
            for col, (level, record_id, _label) in enumerate(series, start=1):
                node = rollups.get((level, record_id), {}).get(period.id)
                if node and node["status"] != "no_data" and node["score"] is not None:
                    sheet.write_number(row, col, node["score"], score_fmt)
            row += 1
        if ctx["periods"]:
            self._insert_summary_chart(
                workbook,
                sheet,
                series,
                series_header,
                first_period_row,
                row - 1,
            )
        else:
            self._no_data(sheet, styles, row)

    def _insert_summary_chart(self, workbook, sheet, series, header, first, last):
        """A native chart of each perspective's score over the periods."""
        name = sheet.name
        chart = workbook.add_chart({"type": "line" if last > first else "column"})
        for col, (level, _rid, _label) in enumerate(series, start=1):
            color = (
                "#3C4A5C"
                if level == "scorecard"
                else CHART_PALETTE[(col - 1) % len(CHART_PALETTE)]
            )
            line = {"color": color, "width": 2.25}
            if level == "scorecard":
                line["dash_type"] = "dash"
            chart.add_series(
                {
                    "name": [name, header, col],
                    "categories": [name, first, 0, last, 0],
                    "values": [name, first, col, last, col],
                    "line": line,
                    "fill": {"color": color},
                    "marker": {
                        "type": "circle",
                        "size": 5,
                        "fill": {"color": color},
                        "border": {"color": color},
                    },
                }
            )
        chart.set_title(
            {
                "name": self.env._("Score by perspective (0-10)"),
                "name_font": {"size": 12, "name": FONT_NAME},
            }
        )
        chart.set_y_axis(
            {
                "min": 0,
                "max": 10,
                "major_unit": 2,
                "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}},
                "num_font": {"name": FONT_NAME},
            }
        )
        chart.set_x_axis({"num_font": {"name": FONT_NAME}})
        chart.set_legend({"position": "bottom", "font": {"name": FONT_NAME}})
        chart.show_blanks_as("gap")
        chart.set_size({"width": 620, "height": 340})
        sheet.insert_chart(HEADER_ROW + 1, max(7, len(series) + 2), chart)

    # ------------------------------------------------------------------
    # 2. Strategy map
    # ------------------------------------------------------------------
    def _write_strategy_map(self, workbook, styles, ctx):
        env = self.env
        period_to = ctx["period_to"]
        rollups = ctx["rollups"]
        labels = ctx["status_labels"]
        columns = [(env._("Perspective"), 20)]
        for _slot in range(MAP_SLOTS):
            columns += [(env._("Objective"), 26), (env._("Score"), 8)]
        columns.append((None, 2))
        link_col = len(columns)
        columns += [
            (env._("Cause (from)"), 26),
            (env._("Effect (to)"), 26),
            (env._("Hypothesis"), 50),
            (env._("Lag (months)"), 10),
            (env._("Strength"), 10),
        ]
        sheet = self._add_sheet(
            workbook, styles, ctx, env._("Strategy map"), columns, freeze_cols=1
        )
        # Bands top-down (Financial first): read bottom-up, the map's logic.
        by_perspective = defaultdict(list)
        for objective in ctx["objectives"]:
            if objective["id"] in ctx["shown_objective_ids"]:
                by_perspective[objective["perspective_id"]].append(objective)
        map_rows = []
        for perspective in ctx["perspectives"]:
            objectives = by_perspective[perspective["id"]]
            chunks = [
                objectives[i : i + MAP_SLOTS]
                for i in range(0, len(objectives), MAP_SLOTS)
            ] or [[]]
            for index, chunk in enumerate(chunks):
                map_rows.append((perspective, index == 0, chunk))
        links = self._read_links(ctx)
        strengths = self._labels("bsc.objective.link", "strength")
        names = ctx["objective_names"]
        text_wrap = styles.get("text_wrap", valign="vcenter")
        plain = styles.get("text", valign="vcenter")
        for offset in range(max(len(map_rows), len(links), 1)):
            row = FIRST_ROW + offset
            sheet.set_row(row, 36)
            if offset < len(map_rows):
                perspective, first, chunk = map_rows[offset]
                band = styles.band(perspective["color"])
                sheet.write_string(
                    row,
                    0,
                    excel_text(perspective["name"]) if first else "",
                    styles.band(perspective["color"], bold=True, valign="vcenter"),
                )
                for slot in range(MAP_SLOTS):
                    col = 1 + slot * 2
                    if slot >= len(chunk):
                        text = "" if chunk or slot else env._("No objective")
                        sheet.write_string(row, col, text, band)
                        sheet.write_blank(row, col + 1, None, band)
                        continue
                    objective = chunk[slot]
                    node = rollups.get(("objective", objective["id"]), {}).get(
                        period_to.id
                    )
                    status = node["status"] if node else "no_data"
                    sheet.write_string(
                        row,
                        col,
                        excel_text(objective["name"]),
                        styles.status(status, valign="vcenter"),
                    )
                    if status != "no_data" and node["score"] is not None:
                        sheet.write_number(
                            row,
                            col + 1,
                            node["score"],
                            styles.status(
                                status, "score_short", align="center", valign="vcenter"
                            ),
                        )
                    else:
                        sheet.write_string(
                            row,
                            col + 1,
                            labels["no_data"],
                            styles.status(status, align="center", valign="vcenter"),
                        )
            if offset < len(links):
                link = links[offset]
                sheet.write_string(
                    row, link_col, excel_text(names.get(link["cause_id"])), text_wrap
                )
                sheet.write_string(
                    row,
                    link_col + 1,
                    excel_text(names.get(link["effect_id"])),
                    text_wrap,
                )
                sheet.write_string(
                    row, link_col + 2, excel_text(link["hypothesis"]), text_wrap
                )
                sheet.write_number(row, link_col + 3, link["lag_periods"] or 0, plain)
                sheet.write_string(
                    row, link_col + 4, strengths.get(link["strength"], ""), plain
                )
            elif offset == 0:
                sheet.write_string(
                    row,
                    link_col,
                    env._("No cause-effect link"),
                    styles.get("no_data"),
                )
        last = FIRST_ROW + max(len(links), 1) - 1
        sheet.autofilter(HEADER_ROW, link_col, last, link_col + 4)

    def _read_links(self, ctx):
        shown = ctx["shown_objective_ids"]
        links = self.env["bsc.objective.link"].search_read(
            [("scorecard_id", "=", ctx["scorecard"].id)],
            ["cause_id", "effect_id", "hypothesis", "lag_periods", "strength"],
            load=None,
        )
        rank = {o["id"]: rank for rank, o in enumerate(ctx["objectives"])}
        return sorted(
            (
                link
                for link in links
                if (link["cause_id"] in shown or link["effect_id"] in shown)
                and link["cause_id"] in rank
                and link["effect_id"] in rank
            ),
            key=lambda link: (rank[link["cause_id"]], rank[link["effect_id"]]),
        )

    # ------------------------------------------------------------------
    # 3. Objectives & measures
    # ------------------------------------------------------------------
    def _measure_scores(self, ctx):
        """Measure scores of the range, read once for sheets 3 and 6."""
        if "measure_scores" not in ctx:
            ctx["measure_scores"] = self._read_measure_scores(ctx)
        return ctx["measure_scores"]

    def _measure_rows(self, ctx):
        """Per measure, the texts written on each of its rows.

        Computed once for sheets 3 and 6; owners and departments by their
        short names (one query each).
        """
        if "measure_rows" in ctx:
            return ctx["measure_rows"]
        units = self._labels("bsc.measure", "unit")
        objectives = {o["id"]: o for o in ctx["objectives"]}
        measures = ctx["measures"]
        owners = self._names("hr.employee", (m["owner_id"] for m in measures))
        departments = self._names(
            "hr.department", (m["department_id"] for m in measures)
        )
        currency_name = ctx["company"].currency_id.name
        rows = []
        for measure in measures:
            objective = objectives[measure["objective_id"]]
            unit = measure["unit"]
            if unit == "other":
                unit_label = measure["unit_label"] or units["other"]
            elif unit == "currency":
                unit_label = currency_name
            else:
                unit_label = units.get(unit, "")
            rows.append(
                {
                    "id": measure["id"],
                    "perspective": excel_text(
                        ctx["perspective_names"].get(objective["perspective_id"])
                    ),
                    "objective": excel_text(objective["name"]),
                    "measure": excel_text(measure["name"]),
                    "owner": excel_text(owners.get(measure["owner_id"])),
                    "department": excel_text(departments.get(measure["department_id"])),
                    "unit": unit,
                    "unit_label": excel_text(unit_label),
                    "polarity": measure["polarity"],
                    "baseline": measure["baseline"],
                }
            )
        ctx["measure_rows"] = rows
        return rows

    def _write_measures(self, workbook, styles, ctx):
        env = self.env
        periods = ctx["periods"]
        period_to = ctx["period_to"]
        labels = ctx["status_labels"]
        polarities = self._labels("bsc.measure", "polarity")
        columns = [
            (env._("Perspective"), 15),
            (env._("Objective"), 26),
            (env._("Measure"), 28),
            (env._("Owner"), 15),
            (env._("Department"), 14),
            (env._("Unit"), 8),
            (env._("Polarity"), 14),
            (env._("Baseline"), 10),
            (env._("Target"), 11),
            (env._("Actual"), 11),
            (env._("Achievement"), 12),
            (env._("Score"), 7),
            (env._("Status"), 9),
            (env._("Trend"), 14),
        ]
        trend_col = len(columns) - 1
        first_period_col = len(columns)
        name = env._("Objectives & measures")
        sheet = self._add_sheet(
            workbook,
            styles,
            ctx,
            name,
            columns,
            freeze_cols=3,
            subtitle=env._(
                "%(subtitle)s · values of %(period)s · trend: score (0-10) per "
                "period, in the columns grouped on the right (+)",
                subtitle=ctx["subtitle"],
                period=period_to.name,
            ),
        )
        # The per-period scores feed the sparklines; grouped and collapsed,
        # they keep the printed table narrow and are one click away.
        header = styles.get("header")
        for col, period in enumerate(periods, start=first_period_col):
            sheet.write_string(HEADER_ROW, col, excel_text(period.name), header)
        if periods:
            sheet.set_column(
                first_period_col,
                first_period_col + len(periods) - 1,
                8,
                None,
                {"level": 1, "hidden": True},
            )
            sheet.set_column(
                first_period_col + len(periods),
                first_period_col + len(periods),
                None,
                None,
                {"collapsed": True},
            )
        scores = self._measure_scores(ctx)
        text = styles.get("text")
        ratio = styles.get("text", "ratio")
        score_fmt = styles.get("text", "score")
        trend_fmt = styles.get("text", "score_short")
        write_string = sheet.write_string
        write_number = sheet.write_number
        period_ids = periods.ids
        last_period_col = first_period_col + len(period_ids) - 1
        spark_cells, spark_ranges = [], []
        row = FIRST_ROW
        for measure in self._measure_rows(ctx):
            unit_fmt = styles.unit(measure["unit"])
            by_period = scores.get(measure["id"], {})
            write_string(row, 0, measure["perspective"], text)
            write_string(row, 1, measure["objective"], text)
            write_string(row, 2, measure["measure"], text)
            write_string(row, 3, measure["owner"], text)
            write_string(row, 4, measure["department"], text)
            write_string(row, 5, measure["unit_label"], text)
            write_string(row, 6, polarities.get(measure["polarity"], ""), text)
            write_number(row, 7, measure["baseline"] or 0.0, unit_fmt)
            actual, target, achievement, score, status = by_period.get(
                period_to.id, (None, None, None, None, "no_data")
            )
            if target is not None:
                write_number(row, 8, target, unit_fmt)
            if actual is not None:
                write_number(row, 9, actual, unit_fmt)
            else:
                self._no_data(sheet, styles, row, 9)
            if achievement is not None:
                write_number(row, 10, achievement, ratio)
            if score is not None and status != "no_data":
                write_number(row, 11, score, score_fmt)
            write_string(row, 12, labels.get(status, ""), text)
            for col, period_id in enumerate(period_ids, start=first_period_col):
                values = by_period.get(period_id)
                if values and values[3] is not None and values[4] != "no_data":
                    write_number(row, col, values[3], trend_fmt)
            if len(period_ids) > 1:
                spark_cells.append(xl_rowcol_to_cell(row, trend_col))
                spark_ranges.append(
                    xl_range(row, first_period_col, row, last_period_col)
                )
            row += 1
        if row == FIRST_ROW:
            self._no_data(sheet, styles, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, max(last_period_col, trend_col))
        if spark_cells:
            # One sparkline group for all rows: a small, fast XML part.
            sheet.add_sparkline(
                FIRST_ROW,
                trend_col,
                {
                    "location": spark_cells,
                    "range": spark_ranges,
                    "type": "column",
                    "series_color": "#6C8EBF",
                    "last_point": True,
                    "last_color": "#3C4A5C",
                    "empty_cells": "gaps",
                    "show_hidden": True,
                    "min": 0,
                    "max": 10,
                },
            )
        self._status_conditional_formats(sheet, styles, ctx, FIRST_ROW, last_row, 12)

    # ------------------------------------------------------------------
    # 4. Initiatives
    # ------------------------------------------------------------------
    def _read_initiatives(self, ctx):
        initiatives = self.env["bsc.initiative"].search_read(
            [("scorecard_id", "=", ctx["scorecard"].id)],
            [
                "name",
                "objective_ids",
                "owner_id",
                "department_id",
                "date_start",
                "date_end",
                "budget",
                "actual_cost",
                "state",
                "progress",
            ],
            load=None,
        )
        if ctx["dept_ids"] is not None:
            shown = ctx["shown_objective_ids"]
            initiatives = [
                initiative
                for initiative in initiatives
                if initiative["department_id"] in ctx["dept_ids"]
                or shown.intersection(initiative["objective_ids"])
            ]
        milestones = defaultdict(list)
        if initiatives:
            for milestone in self.env["bsc.initiative.milestone"].search_read(
                [("initiative_id", "in", [i["id"] for i in initiatives])],
                [
                    "initiative_id",
                    "name",
                    "metric",
                    "unit",
                    "start_value",
                    "target_value",
                    "current_value",
                    "date_due",
                    "progress",
                ],
                load=None,
            ):
                milestones[milestone["initiative_id"]].append(milestone)
        names = {
            "bsc.objective": dict(ctx["objective_names"]),
            "hr.employee": self._names(
                "hr.employee", (i["owner_id"] for i in initiatives)
            ),
            "hr.department": self._names(
                "hr.department", (i["department_id"] for i in initiatives)
            ),
        }
        # Objectives of other scorecards an initiative also serves.
        names["bsc.objective"].update(
            self._names(
                "bsc.objective",
                (
                    objective_id
                    for initiative in initiatives
                    for objective_id in initiative["objective_ids"]
                    if objective_id not in names["bsc.objective"]
                ),
            )
        )
        return initiatives, milestones, names

    def _write_initiatives(self, workbook, styles, ctx):
        env = self.env
        columns = [
            (env._("Initiative"), 30),
            (env._("Objectives"), 30),
            (env._("Owner"), 18),
            (env._("Department"), 16),
            (env._("Start"), 11),
            (env._("End"), 11),
            (env._("Budget"), 15),
            (env._("Actual cost"), 15),
            (env._("Cost / budget"), 10),
            (env._("State"), 12),
            (env._("Progress"), 12),
            (env._("Milestone"), 26),
            (env._("Metric"), 22),
            (env._("Unit"), 8),
            (env._("Start value"), 11),
            (env._("Target value"), 11),
            (env._("Current value"), 11),
            (env._("Due date"), 11),
            (env._("Milestone progress"), 12),
        ]
        sheet = self._add_sheet(
            workbook,
            styles,
            ctx,
            env._("Initiatives"),
            columns,
            freeze_cols=1,
            subtitle=env._(
                "%(subtitle)s · amounts in %(currency)s",
                subtitle=ctx["subtitle"],
                currency=ctx["company"].currency_id.name,
            ),
        )
        initiatives, milestones, names = self._read_initiatives(ctx)
        states = self._labels("bsc.initiative", "state")
        text = styles.get("text")
        muted = styles.get("text_muted")
        date_fmt = styles.get("text", "date")
        money = styles.get("text", "currency")
        ratio = styles.get("text", "ratio_short")
        number = styles.get("text", "number")
        row = FIRST_ROW
        for initiative in initiatives:
            name = excel_text(initiative["name"])
            for index, milestone in enumerate(milestones[initiative["id"]] or [None]):
                if index:
                    # Further milestones: the name again (for filters), the
                    # amounts once only (so that sums stay right).
                    sheet.write_string(row, 0, name, muted)
                else:
                    sheet.write_string(row, 0, name, styles.get("label"))
                    sheet.write_string(
                        row,
                        1,
                        excel_text(
                            "; ".join(
                                names["bsc.objective"][oid]
                                for oid in initiative["objective_ids"]
                                if oid in names["bsc.objective"]
                            )
                        ),
                        text,
                    )
                    sheet.write_string(
                        row,
                        2,
                        excel_text(names["hr.employee"].get(initiative["owner_id"])),
                        text,
                    )
                    sheet.write_string(
                        row,
                        3,
                        excel_text(
                            names["hr.department"].get(initiative["department_id"])
                        ),
                        text,
                    )
                    if initiative["date_start"]:
                        sheet.write_datetime(row, 4, initiative["date_start"], date_fmt)
                    if initiative["date_end"]:
                        sheet.write_datetime(row, 5, initiative["date_end"], date_fmt)
                    sheet.write_number(row, 6, initiative["budget"], money)
                    sheet.write_number(row, 7, initiative["actual_cost"], money)
                    if initiative["budget"]:
                        sheet.write_number(
                            row,
                            8,
                            initiative["actual_cost"] / initiative["budget"],
                            ratio,
                        )
                    sheet.write_string(
                        row, 9, states.get(initiative["state"], ""), text
                    )
                    sheet.write_number(row, 10, initiative["progress"], ratio)
                if milestone:
                    sheet.write_string(row, 11, excel_text(milestone["name"]), text)
                    sheet.write_string(row, 12, excel_text(milestone["metric"]), text)
                    sheet.write_string(row, 13, excel_text(milestone["unit"]), text)
                    sheet.write_number(row, 14, milestone["start_value"], number)
                    sheet.write_number(row, 15, milestone["target_value"], number)
                    sheet.write_number(row, 16, milestone["current_value"], number)
                    if milestone["date_due"]:
                        sheet.write_datetime(row, 17, milestone["date_due"], date_fmt)
                    sheet.write_number(row, 18, milestone["progress"], ratio)
                elif not index:
                    sheet.write_string(row, 11, env._("No milestone"), muted)
                row += 1
        if row == FIRST_ROW:
            self._no_data(sheet, styles, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self._data_bar(sheet, FIRST_ROW, last_row, 10)
        self._data_bar(sheet, FIRST_ROW, last_row, 18)
        sheet.conditional_format(
            FIRST_ROW,
            8,
            last_row,
            8,
            {
                "type": "cell",
                "criteria": ">",
                "value": 1,
                "format": styles.status_conditional("red"),
            },
        )

    # ------------------------------------------------------------------
    # 5. OKR alignment
    # ------------------------------------------------------------------
    def _read_okr_aggregates(self, ctx):
        """Aligned OKRs per strategic objective, aggregated with the user's rights.

        Count and progress over ``okr.objective.public`` (what the user may
        see of OKRs, the transparency projection); confidence over
        ``okr.objective`` (only the OKRs the user may read in full, e.g.
        their own and their team's). Never a name or an individual figure.
        """
        if not self._can_export_okr():  # defence in depth: see _export_options
            raise UserError(self.env._("You may not export the OKR alignment summary."))
        options = ctx["options"]
        domain = [
            ("bsc_objective_id", "in", list(ctx["shown_objective_ids"])),
            ("state", "!=", "cancelled"),
            ("cycle_id.date_start", "<=", options["period_to"].date_end),
            ("cycle_id.date_end", ">=", options["period_from"].date_start),
        ]
        visible = {
            objective.id: (count, progress)
            for objective, count, progress in self.env[
                "okr.objective.public"
            ]._read_group(domain, ["bsc_objective_id"], ["__count", "progress:avg"])
        }
        readable = {
            objective.id: (count, confidence)
            for objective, count, confidence in self.env["okr.objective"]._read_group(
                domain, ["bsc_objective_id"], ["__count", "confidence:avg"]
            )
        }
        return visible, readable

    def _write_okr_alignment(self, workbook, styles, ctx):
        env = self.env
        columns = [
            (env._("Perspective"), 18),
            (env._("Strategic objective"), 34),
            (env._("Execution approach"), 16),
            (env._("Aligned OKRs"), 12),
            (env._("Average progress"), 16),
            (env._("OKRs you may read in full"), 16),
            (env._("Average confidence (0-10)"), 16),
        ]
        sheet = self._add_sheet(
            workbook,
            styles,
            ctx,
            env._("OKR alignment"),
            columns,
            freeze_cols=2,
            subtitle=env._(
                "Aggregates of the OKRs you may see, in cycles overlapping "
                "%(periods)s: progress over the OKRs visible to you, confidence "
                "over those you may read in full. No individual OKR, grade or "
                "name is exported.",
                periods=ctx["range_label"],
            ),
        )
        visible, readable = self._read_okr_aggregates(ctx)
        approaches = self._labels("bsc.objective", "execution_approach")
        text = styles.get("text")
        integer = styles.get("text", "integer")
        row = FIRST_ROW
        for objective in ctx["objectives"]:
            if objective["id"] not in ctx["shown_objective_ids"]:
                continue
            count, progress = visible.get(objective["id"], (0, None))
            full_count, confidence = readable.get(objective["id"], (0, None))
            sheet.write_string(
                row,
                0,
                excel_text(ctx["perspective_names"].get(objective["perspective_id"])),
                text,
            )
            sheet.write_string(row, 1, excel_text(objective["name"]), text)
            sheet.write_string(
                row, 2, approaches.get(objective["execution_approach"], ""), text
            )
            sheet.write_number(row, 3, count, integer)
            if count and progress is not None:
                sheet.write_number(row, 4, progress, styles.get("text", "ratio_short"))
            else:
                self._no_data(sheet, styles, row, 4)
            sheet.write_number(row, 5, full_count, integer)
            if full_count and confidence is not None:
                sheet.write_number(row, 6, confidence, styles.get("text", "confidence"))
            else:
                self._no_data(sheet, styles, row, 6)
            row += 1
        if row == FIRST_ROW:
            self._no_data(sheet, styles, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self._data_bar(sheet, FIRST_ROW, last_row, 4)

    # ------------------------------------------------------------------
    # 6. Data (long format for pivot tables)
    # ------------------------------------------------------------------
    def _write_data(self, workbook, styles, ctx):
        env = self.env
        columns = [
            (env._("Perspective"), 18),
            (env._("Objective"), 28),
            (env._("Measure"), 30),
            (env._("Unit"), 10),
            (env._("Period"), 10),
            (env._("Month"), 11),
            (env._("Actual"), 13),
            (env._("Target"), 13),
            (env._("Achievement"), 12),
            (env._("Score"), 8),
            (env._("Status"), 10),
        ]
        sheet = self._add_sheet(
            workbook, styles, ctx, env._("Data"), columns, freeze_cols=3
        )
        scores = self._measure_scores(ctx)
        labels = ctx["status_labels"]
        no_data = labels["no_data"]
        # The biggest sheet (measures x periods rows): its text cells keep the
        # default format and its numbers a bare number format, which makes
        # the streamed XML smaller and faster to write.
        text = None
        date_fmt = styles.get("plain", "date")
        ratio = styles.get("plain", "ratio")
        score_fmt = styles.get("plain", "score")
        periods = [
            # The month as an Excel serial number, computed once, not per row.
            (
                period.id,
                excel_text(period.name),
                (period.date_start - EXCEL_EPOCH).days,
            )
            for period in ctx["periods"]
        ]
        write_string = sheet.write_string
        write_number = sheet.write_number
        missing = (None, None, None, None, "no_data")
        row = FIRST_ROW
        for measure in self._measure_rows(ctx):
            unit_fmt = styles.unit(measure["unit"], "plain")
            by_period = scores.get(measure["id"], {})
            for period_id, period_name, month in periods:
                actual, target, achievement, score, status = by_period.get(
                    period_id, missing
                )
                write_string(row, 0, measure["perspective"], text)
                write_string(row, 1, measure["objective"], text)
                write_string(row, 2, measure["measure"], text)
                write_string(row, 3, measure["unit_label"], text)
                write_string(row, 4, period_name, text)
                write_number(row, 5, month, date_fmt)
                if actual is not None:
                    write_number(row, 6, actual, unit_fmt)
                if target is not None:
                    write_number(row, 7, target, unit_fmt)
                if achievement is not None:
                    write_number(row, 8, achievement, ratio)
                if score is not None and status != "no_data":
                    write_number(row, 9, score, score_fmt)
                write_string(row, 10, labels.get(status, no_data), text)
                row += 1
        if row == FIRST_ROW:
            self._no_data(sheet, styles, row)
            row += 1
        last_row = row - 1
        sheet.autofilter(HEADER_ROW, 0, last_row, len(columns) - 1)
        self._status_conditional_formats(sheet, styles, ctx, FIRST_ROW, last_row, 10)
