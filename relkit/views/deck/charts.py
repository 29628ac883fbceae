"""Native PowerPoint charts from a ChartSpec: the data is embedded in the chart
(an Excel workbook inside the .pptx), so the consultant edits it with "Edit data"."""
from __future__ import annotations

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.util import Pt

from relkit.views.deck.model import ChartSpec

TYPES = {
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "bridge": XL_CHART_TYPE.COLUMN_STACKED,
}
# Series colours in order: the theme's accents, so a brand's theme recolours them.
SERIES_COLOURS = (MSO_THEME_COLOR.ACCENT_1, MSO_THEME_COLOR.ACCENT_2, MSO_THEME_COLOR.ACCENT_6,
                  MSO_THEME_COLOR.ACCENT_3, MSO_THEME_COLOR.ACCENT_4, MSO_THEME_COLOR.ACCENT_5)
SMALL_BAR = 0.08  # a stacked bar under this share of the tallest stack gets its label in dark text
BRIDGE_COLOURS = {"total": MSO_THEME_COLOR.ACCENT_1, "increase": MSO_THEME_COLOR.ACCENT_3,
                  "decrease": MSO_THEME_COLOR.ACCENT_5, "gap": MSO_THEME_COLOR.ACCENT_5}
FONT_PT = 12
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def chart_data(spec: ChartSpec) -> CategoryChartData:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = list(spec.categories)
    for name, values in spec.series:
        data.add_series(name, list(values), number_format=spec.number_format)
    return data


def _tallest(spec: ChartSpec) -> float:
    """The highest stack of a stacked chart (the bridge's invisible base included)."""
    tops = [sum(abs(values[i] or 0.0) for _, values in spec.series) for i in range(len(spec.categories))]
    return max(tops, default=0.0)


def _fill(fmt, theme_colour) -> None:
    fmt.fill.solid()
    fmt.fill.fore_color.theme_color = theme_colour


def _language(chart, lang: str | None) -> None:
    """The chart's language (c:lang and its text's a:defRPr/@lang): an application that
    honours it groups thousands and writes decimals the report's way."""
    if not lang:
        return
    space = chart._chartSpace
    tag = f"{{{C}}}lang"
    for old in space.findall(tag):
        space.remove(old)
    element = etree.SubElement(space, tag, val=lang)
    space.remove(element)
    date1904 = space.find(f"{{{C}}}date1904")
    (date1904.addnext(element) if date1904 is not None else space.insert(0, element))
    for rpr in space.iter(f"{{{A}}}defRPr"):
        rpr.set("lang", lang)


def add_chart(slide, spec: ChartSpec, x, y, cx, cy, font: str | None = None, lang: str | None = None):
    """The chart's graphic frame on ``slide`` at (x, y), size (cx, cy) in EMU."""
    frame = slide.shapes.add_chart(TYPES[spec.kind], x, y, cx, cy, chart_data(spec))
    chart = frame.chart
    chart.font.size = Pt(FONT_PT)
    if font:
        chart.font.name = font
    chart.has_title = bool(spec.title)
    if spec.title:
        chart.chart_title.text_frame.text = spec.title
        para = chart.chart_title.text_frame.paragraphs[0]
        para.runs[0].font.size = Pt(FONT_PT + 1)
        para.runs[0].font.bold = True
    visible = len(spec.series) - (1 if spec.kind == "bridge" else 0)
    legend = spec.legend if spec.legend is not None else visible > 1
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(FONT_PT - 1)
    plot = chart.plots[0]
    if spec.kind in ("column", "bar", "stacked", "bridge"):
        plot.gap_width = 60 if spec.kind != "bridge" else 40
        if spec.kind in ("stacked", "bridge"):
            plot.overlap = 100
        elif len(spec.series) > 1:
            plot.overlap = -5  # side by side, a little apart: each label above its own bar
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
    value_axis.tick_labels.number_format = spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.tick_labels.font.size = Pt(FONT_PT - 2)
    value_axis.format.line.fill.background()
    chart.category_axis.tick_labels.font.size = Pt(FONT_PT - 1)
    if spec.kind == "bar":
        chart.category_axis.reverse_order = True  # first category on top, as read
    for index, series in enumerate(plot.series):
        if spec.kind == "bridge" and index == 0:  # the invisible base of the waterfall
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        colour = SERIES_COLOURS[(index - (spec.kind == "bridge")) % len(SERIES_COLOURS)]
        if spec.kind == "line":
            series.format.line.color.theme_color = colour
            series.format.line.width = Pt(2.5)
            series.smooth = False
        else:
            _fill(series.format, colour)
        labels = series.data_labels
        labels.show_value = True
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(FONT_PT - 2 - (len(spec.series) > 1 and spec.kind == "column"))
        if spec.kind in ("column", "bar"):
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        elif spec.kind in ("stacked", "bridge"):  # inside the bar: white, or dark when the bar is too thin
            labels.position = XL_LABEL_POSITION.CENTER
            labels.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            tallest = _tallest(spec)
            for point, value in enumerate(spec.series[index][1]):
                if value is not None and tallest and abs(value) < SMALL_BAR * tallest:
                    label = series.points[point].data_label
                    label.font.size = Pt(FONT_PT - 2)
                    label.font.color.theme_color = MSO_THEME_COLOR.TEXT_1
                    label.position = XL_LABEL_POSITION.INSIDE_BASE
        elif spec.kind == "line":
            labels.position = XL_LABEL_POSITION.ABOVE
        if spec.kind == "bridge":
            for point, kind in zip(range(len(spec.categories)), spec.point_kinds):
                _fill(series.points[point].format, BRIDGE_COLOURS.get(kind, MSO_THEME_COLOR.ACCENT_1))
    _language(chart, lang)
    return frame
