from odoo import fields, models
from odoo.exceptions import UserError

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

        :param data: options of the export wizard (validated by
            ``bsc.scorecard._export_options``); empty from the Print menu.
        :param objects: the scorecard the report was called on.
        """
        scorecard = self._export_scorecard(data, objects)
        options = scorecard._export_options(data)
        ctx = self._render_context(scorecard, options)
        styles = XlsxStyles(workbook, ctx["currency"], ctx["unit_suffixes"])
        self._set_properties(workbook, ctx)
        for sheet_class in SHEETS:
            if sheet_class.wanted(ctx):
                sheet_class(self.env, workbook, styles, ctx).render()

    # ------------------------------------------------------------------
    # Input
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
                "user_name": env.user.name,
                "options": {
                    "include_initiatives": options["include_initiatives"],
                    "include_okr": options["include_okr"],
                },
                "period_to": {"id": period_to.id, "name": period_to.name},
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
