"""The one style definition of the Excel scorecard, shared by every sheet.

Status colours are those of the strategy map on screen
(``static/src/strategy_map/strategy_map.scss``: ``$bsc-green``, ``$bsc-amber``,
``$bsc-red``, ``$bsc-no-data``), so a red objective is the same red in the
browser and in the boardroom; keep both in step. A cell gets a light tint of
its status colour (as the map's cards do) with a dark text of the same hue,
which stays legible when printed in black and white.

Plain Python on purpose (no ``odoo`` import): the sheets ask
:class:`XlsxStyles` for a format by name and never build one themselves.
"""

import re

SCREEN_STATUS_COLORS = {
    "green": "#2E9E5B",
    "amber": "#E0A030",
    "red": "#D3455B",
    "no_data": "#9AA0A6",
}


def mix(color, other, weight):
    """``weight`` of ``color`` mixed into ``other`` (like Sass ``mix()``)."""
    channels = [
        round(
            int(color[i : i + 2], 16) * weight
            + int(other[i : i + 2], 16) * (1 - weight)
        )
        for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02X}" for channel in channels)


STATUS_COLORS = {
    status: {
        "color": color,
        "fill": mix(color, "#FFFFFF", 0.2),
        "font": mix(color, "#000000", 0.55),
    }
    for status, color in SCREEN_STATUS_COLORS.items()
}
STATUSES = ("green", "amber", "red", "no_data")
# Verdicts of the links' evidence, coloured as the strategy map draws them
# (strategy_map.scss, ``.o_bsc_evidence_*``): supported green, contradicted
# red, reverse amber, no evidence dark grey, insufficient data light grey.
EVIDENCE_STATUS = {
    "supported": "green",
    "contradicted": "red",
    "reverse": "amber",
    "no_evidence": "no_evidence",
    "insufficient": "no_data",
}
EVIDENCE_COLORS = dict(STATUS_COLORS)
EVIDENCE_COLORS["no_evidence"] = {
    "color": "#5B6573",
    "fill": mix("#5B6573", "#FFFFFF", 0.2),
    "font": mix("#5B6573", "#000000", 0.55),
}

# A font with Traditional Chinese glyphs that Excel users in Hong Kong and
# Taiwan have (Windows and Office for Mac ship it). Where it is missing,
# Excel and LibreOffice substitute another CJK font (e.g. PingFang TC or
# Noto Sans CJK TC) by the text's language, so Chinese never shows as boxes.
FONT_NAME = "Microsoft JhengHei"
FONT_SIZE = 10
HEADER_BG = "#3C4A5C"
BAND_DEFAULT = "#F1F3F5"
COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

# Named formats; the sheets combine a name with a number format at most.
BASE_FORMATS = {
    "plain": {},
    "title": {"bold": True, "font_size": 16, "font_color": "#1F2D3D"},
    "subtitle": {"italic": True, "font_color": "#6C757D"},
    "label": {"bold": True, "font_color": "#495057"},
    "text": {"valign": "vcenter"},
    "text_wrap": {"valign": "vcenter", "text_wrap": True},
    "text_muted": {"valign": "vcenter", "font_color": "#868E96"},
    "note": {"italic": True, "font_color": "#6C757D", "text_wrap": True},
    "no_data": {"italic": True, "font_color": "#868E96"},
    "header": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": HEADER_BG,
        "border": 1,
        "border_color": "#D0D5DB",
        "text_wrap": True,
        "valign": "vcenter",
    },
    "section": {"bold": True, "font_size": 12, "font_color": "#1F2D3D"},
}

NUMBER_FORMATS = {
    "score": "0.00",
    "score_short": "0.0",
    "weight": "0.00",
    "ratio": "0.0%",
    "ratio_short": "0%",
    "number": "#,##0.00",
    "integer": "#,##0",
    "percent": '0.0"%"',
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "confidence": "0.0",
}


def quoted(text):
    """``text`` as a literal inside an Excel number format."""
    return '"{}"'.format((text or "").replace('"', "").replace("\\", ""))


class XlsxStyles:
    """Formats of one workbook, created once and cached by name.

    :param workbook: the xlsxwriter workbook.
    :param currency: dict with ``symbol``, ``position`` (before/after) and
        ``decimal_places`` of the company currency.
    :param unit_labels: dict with the translated suffixes of the ``days``
        and ``hours`` units.
    """

    def __init__(self, workbook, currency, unit_labels):
        self.workbook = workbook
        self.cache = {}
        decimals = currency.get("decimal_places", 2)
        number = "#,##0" + ("." + "0" * decimals if decimals else "")
        symbol = quoted(currency.get("symbol") or "")
        if currency.get("position") == "after":
            self.currency_format = f"{number} {symbol}"
        else:
            self.currency_format = f"{symbol}{number}"
        self.unit_formats = {
            "number": NUMBER_FORMATS["number"],
            "percent": NUMBER_FORMATS["percent"],
            "currency": self.currency_format,
            "days": "#,##0.0 " + quoted(unit_labels.get("days", "")),
            "hours": "#,##0.0 " + quoted(unit_labels.get("hours", "")),
            "other": NUMBER_FORMATS["number"],
        }

    def get(self, name, num=None, **extra):
        """The format ``name`` (see BASE_FORMATS), with a number format.

        ``num`` is a key of NUMBER_FORMATS, ``"currency"`` or a raw Excel
        number format; ``extra`` adds properties (e.g. ``bg_color``).
        """
        key = (name, num, tuple(sorted(extra.items())))
        fmt = self.cache.get(key)
        if fmt is None:
            props = dict(BASE_FORMATS.get(name, {}))
            if num == "currency":
                props["num_format"] = self.currency_format
            elif num:
                props["num_format"] = NUMBER_FORMATS.get(num, num)
            props.update(extra)
            fmt = self.cache[key] = self.workbook.add_format(props)
        return fmt

    def unit(self, unit, name="text"):
        """Number format of a measure's values by its unit."""
        return self.get(name, self.unit_formats.get(unit, NUMBER_FORMATS["number"]))

    def status(self, status, num=None, **extra):
        """A cell filled with a status colour (strategy map, summary)."""
        return self.filled(
            STATUS_COLORS.get(status, STATUS_COLORS["no_data"]), num, **extra
        )

    def evidence(self, verdict, num=None, **extra):
        """A cell filled with the colour of a link's evidence verdict."""
        return self.filled(
            EVIDENCE_COLORS[EVIDENCE_STATUS.get(verdict, "no_data")], num, **extra
        )

    def filled(self, colors, num=None, **extra):
        """A wrapped cell filled, written and bordered in ``colors`` (a
        dict with ``fill``, ``font`` and ``color``)."""
        return self.get(
            "text_wrap",
            num,
            bg_color=colors["fill"],
            font_color=colors["font"],
            border=1,
            border_color=colors["color"],
            **extra,
        )

    def status_conditional(self, status):
        """Format of a status conditional format (fill and font only)."""
        colors = STATUS_COLORS[status]
        return self.get(
            "conditional_" + status,
            bg_color=colors["fill"],
            font_color=colors["font"],
        )

    def band(self, color, **extra):
        """Background of a perspective band on the strategy map."""
        color = color if color and COLOR_RE.match(color) else BAND_DEFAULT
        return self.get("text_wrap", None, bg_color=color, **extra)
