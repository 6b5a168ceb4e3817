from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .bsc_xlsx_styles import FONT_NAME, FONT_SIZE, XlsxStyles
from .sheets import SHEETS
from .sheets.base import EXCEL_TEXT_LIMIT, excel_text, sheet_name

__all__ = ["EXCEL_TEXT_LIMIT", "BscScorecardXlsx", "excel_text"]


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
        ctx = self._render_context(scorecard, options)
        styles = XlsxStyles(workbook, ctx["currency"], ctx["unit_suffixes"])
        self._set_properties(workbook, ctx)
        for sheet_class in SHEETS:
            if sheet_class.wanted(ctx):
                sheet_class(self.env, workbook, styles, ctx).render()

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
        default_from, default_to = self.env["bsc.scorecard"]._default_period_range(
            periods
        )
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
        may_export_okr = self.env["bsc.scorecard"]._can_export_okr()
        if include_okr is None:
            include_okr = may_export_okr
        elif include_okr and not may_export_okr:
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
    # Rendering context: the snapshot and the export's labels
    # ------------------------------------------------------------------
    def _render_context(self, scorecard, options):
        """What the sheets write: the scorecard snapshot, read once as the
        user (``bsc.scorecard._snapshot``), plus the labels of this export."""
        env = self.env
        company = scorecard.company_id
        currency = company.currency_id
        ctx = scorecard._snapshot(
            options["periods"],
            departments=options["departments"],
            initiatives=options["include_initiatives"],
            okr=options["include_okr"],
            themes=False,
            owners=False,
        )
        period_from, period_to = options["period_from"], options["period_to"]
        range_label = (
            period_from.name
            if period_from == period_to
            else env._(
                "%(start)s to %(end)s", start=period_from.name, end=period_to.name
            )
        )
        departments_label = ", ".join(options["departments"].mapped("display_name"))
        ctx.update(
            {
                "scorecard": {
                    "id": scorecard.id,
                    "name": scorecard.name,
                    "date_from": scorecard.date_from,
                    "date_to": scorecard.date_to,
                },
                "company_name": company.name,
                "currency": {
                    "symbol": currency.symbol,
                    "position": currency.position,
                    "decimal_places": currency.decimal_places,
                },
                "currency_name": currency.name,
                "unit_suffixes": {"days": env._("days"), "hours": env._("hours")},
                "user_name": env.user.name,
                "options": {
                    "include_initiatives": options["include_initiatives"],
                    "include_okr": options["include_okr"],
                },
                "period_to": {"id": period_to.id, "name": period_to.name},
                "perspective_names": {p["id"]: p["name"] for p in ctx["perspectives"]},
                "objective_names": {o["id"]: o["name"] for o in ctx["objectives"]},
                "status_labels": dict(
                    env["bsc.score"]._fields["status"]._description_selection(env)
                ),
                "subtitle": env._(
                    "%(scorecard)s · %(periods)s · %(departments)s",
                    scorecard=scorecard.name,
                    periods=range_label,
                    departments=departments_label or env._("all departments"),
                ),
                "range_label": range_label,
                "departments_label": departments_label,
            }
        )
        return ctx

    def _set_properties(self, workbook, ctx):
        workbook.set_properties(
            {
                "title": excel_text(
                    self.env._(
                        "Balanced Scorecard: %(name)s", name=ctx["scorecard"]["name"]
                    )
                ),
                "subject": excel_text(ctx["range_label"]),
                "author": excel_text(ctx["user_name"]),
                "company": excel_text(ctx["company_name"]),
                "category": self.env._("Balanced Scorecard"),
                "keywords": "BSC, OKR",
                "comments": self.env._(
                    "Generated by Odoo Strategy & OKR from the stored scores."
                ),
                "created": fields.Datetime.now(),
            }
        )

    def _sheet_name(self, label):
        """A valid sheet name from a (translated) label (see
        :func:`.sheets.base.sheet_name`)."""
        return sheet_name(label)
