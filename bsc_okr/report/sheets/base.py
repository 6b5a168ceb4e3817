"""What every sheet of the Excel scorecard shares: safe text, the table
layout (title, subtitle, header, panes, printing) and small cell helpers.

Rendering only: the sheets write what the scorecard snapshot
(``bsc.scorecard._snapshot``) holds and read nothing themselves.
"""

import datetime
import re

from ..bsc_xlsx_styles import STATUSES

# Excel refuses longer cells; it counts UTF-16 code units, not characters.
EXCEL_TEXT_LIMIT = 32767
ELLIPSIS = "…"
# Characters XML 1.0 forbids: written as they are, they make the file
# unreadable (xlsxwriter escapes only &, < and > in streamed strings).
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Every table sheet: a title, a subtitle, then the header row.
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 0, 1, 2
FIRST_ROW = HEADER_ROW + 1
WIDE_SHEET = 200  # total column width (characters) printed on A3
# Day 0 of Excel's 1900 date system (serial numbers count days from it).
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# A measure's figures in a period without a stored score row.
NO_SCORE = (None, None, None, None, "no_data")


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


def node_score(node):
    """The score of a roll-up node of the snapshot (None: no score)."""
    return node["score"] if node else None


def node_status(node):
    """The status of a roll-up node of the snapshot (none: no data)."""
    return node["status"] if node else "no_data"


def sheet_name(label):
    """A valid sheet name from a (translated) label: Excel refuses
    ``[]:*?/\\``, a leading or trailing quote and more than 31 characters."""
    name = re.sub(r"[\[\]:*?/\\]", " ", excel_text(label)).strip("'").strip()
    return name[:31] or "Sheet"


class Sheet:
    """One sheet of the workbook, written by :meth:`render` from ``ctx``.

    ``ctx`` is the scorecard snapshot plus the export's labels (see
    ``report.bsc_okr.scorecard_xlsx._render_context``). Rows are written
    strictly top to bottom (xlsxwriter's ``constant_memory`` mode), and
    user-entered text always with ``write_string``.
    """

    #: The export option (key of ``ctx["options"]``) that includes this
    #: sheet; None: always included.
    option = None

    def __init__(self, env, workbook, styles, ctx):
        self.env = env
        self.workbook = workbook
        self.styles = styles
        self.ctx = ctx

    @classmethod
    def wanted(cls, ctx):
        """Whether the export options include this sheet."""
        return cls.option is None or bool(ctx["options"][cls.option])

    def render(self):
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Layout
    # ------------------------------------------------------------------
    def add_sheet(self, name, columns, freeze_cols=0, subtitle=None):
        """A table sheet: widths, title, subtitle, header, panes, printing.

        :param columns: list of (header label, width); a label None leaves
            the header cell empty (a spacer column).
        """
        styles, ctx = self.styles, self.ctx
        sheet = self.workbook.add_worksheet(sheet_name(name))
        for col, (_label, width) in enumerate(columns):
            sheet.set_column(col, col, width)
        sheet.write_string(
            TITLE_ROW,
            0,
            excel_text(f"{name} — {ctx['scorecard']['name']}"),
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
        self.print_setup(sheet, HEADER_ROW, sum(width for _label, width in columns))
        return sheet

    def print_setup(self, sheet, repeat_row, width=0):
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
        name = excel_text(self.ctx["scorecard"]["name"])[:80].replace("&", "&&")
        sheet.set_header(f"&L{name}&R&A", {"margins": None})
        sheet.set_footer("&L&D&R&P / &N")

    # ------------------------------------------------------------------
    # Cells
    # ------------------------------------------------------------------
    def shown_objectives(self):
        """The snapshot's objectives that the department filter keeps."""
        shown = self.ctx["shown_objective_ids"]
        return [o for o in self.ctx["objectives"] if o["id"] in shown]

    def labels(self, model, fname):
        """{value: translated label} of a selection field."""
        field = self.env[model]._fields[fname]
        return dict(field._description_selection(self.env))

    def no_data(self, sheet, row, col=0):
        sheet.write_string(row, col, self.env._("No data"), self.styles.get("no_data"))

    def write_score(self, sheet, row, col, node, fmt_name="text"):
        """A score cell, or "No data" when there is no score (the snapshot
        gives None for no data)."""
        if node_score(node) is not None:
            sheet.write_number(
                row, col, node["score"], self.styles.get(fmt_name, "score")
            )
        else:
            self.no_data(sheet, row, col)

    def status_conditional_formats(self, sheet, first, last, col):
        """Status colours as conditional formats over a status column."""
        for status in STATUSES:
            label = self.ctx["status_labels"][status].replace('"', '""')
            sheet.conditional_format(
                first,
                col,
                last,
                col,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{label}"',
                    "format": self.styles.status_conditional(status),
                },
            )

    def data_bar(self, sheet, first, last, col):
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

    def rollup(self, level, record_id, period_id=None):
        """A stored scorecard, perspective or objective score of the
        snapshot (default: of the last exported period), or None."""
        if period_id is None:
            period_id = self.ctx["period_to"]["id"]
        return self.ctx["scores"].get((level, record_id), {}).get(period_id)

    def measure_rows(self):
        """Per measure, the texts written on each of its rows.

        Computed once for the measures and the data sheets.
        """
        ctx = self.ctx
        if "measure_rows" in ctx:
            return ctx["measure_rows"]
        rows = []
        for measure in ctx["measures"]:
            rows.append(
                {
                    "id": measure["id"],
                    "perspective": excel_text(measure["perspective"]),
                    "objective": excel_text(measure["objective"]),
                    "measure": excel_text(measure["name"]),
                    "owner": excel_text(measure["owner"]),
                    "department": excel_text(measure["department"]),
                    "unit": measure["unit"],
                    "unit_label": excel_text(measure["unit_label"]),
                    "polarity": measure["polarity"],
                    "baseline": measure["baseline"],
                }
            )
        ctx["measure_rows"] = rows
        return rows
