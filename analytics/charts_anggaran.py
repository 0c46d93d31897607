"""Chart builders of the Anggaran page: a DataFrame in (analytics.anggaran), a Plotly figure out."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import format as fmt
from analytics.anggaran import ACCOUNT_GROUPS, DEVIATION_THRESHOLD, GENERAL, number, rupiah
from analytics.charts import text_px
from analytics.charts_hambatan import axis_labels

PAGU_COLOUR = "#CFD8DC"
REALISASI_COLOUR = "#1565C0"
RENCANA_COLOUR = "#EF6C00"
OVER_COLOUR = "#C62828"
NEUTRAL_COLOUR = "#78909C"
GENERAL_COLOUR = "#90A4AE"
GROUP_COLOURS = {"porsi_transport_honor": "#5E35B1", "porsi_konsumsi_bahan": "#00897B", "porsi_lainnya": "#B0BEC5"}
_CONFIG_HEIGHT = dict(base=150, per_row=38)
_TITLE_PX, _LEGEND_ROW_PX = 50, 22  # px: the title line at the top; one row of legend entries under it


def money_scale(largest) -> tuple[float, str, str]:
    """Divisor, tick suffix and unit words for a money axis: (1e6, ' jt', 'juta rupiah')."""
    largest = 0 if largest is None or (isinstance(largest, float) and math.isnan(largest)) else abs(largest)
    if largest >= 1e9:
        return 1e9, " M", "miliar rupiah"
    if largest >= 1e6:
        return 1e6, " jt", "juta rupiah"
    if largest >= 1e3:
        return 1e3, " rb", "ribu rupiah"
    return 1, "", "rupiah"


def nice_top(value: float, most: int = 8) -> tuple[float, float]:
    """The axis end at a tick just past value, and the tick step (1, 2, 2.5 or 5 × 10^k).

    Of the steps that give 3 to `most` intervals (fewer on a narrow axis, whose labels would slant), the one whose
    end is nearest the value (then the one nearest 5 intervals): 328 ends at 350, not 400, so the bars stay wide.
    """
    if not value or value <= 0 or math.isnan(value):
        return 1.0, 0.2
    power = 10 ** math.floor(math.log10(value))
    steps = [m * p for p in (power / 100, power / 10, power) for m in (1, 2, 2.5, 5)]
    ends = [(math.ceil(value / step - 1e-9) * step, step) for step in steps]
    fitting = [(float(f"{top:.12g}"), step) for top, step in ends if 3 <= round(top / step) <= most]
    return min(fitting, key=lambda e: (e[0], abs(round(e[0] / e[1]) - 5)))


def money_ticks(suffix: str) -> dict:
    """Tick labels of a money axis in units of `suffix`: «Rp20 jt», and «Rp0» at zero (nothing has no unit)."""
    # Plotly matches an alias against the label with its prefix and suffix
    return dict(tickprefix="Rp", ticksuffix=suffix, tickformat=",~f",
                labelalias={f"Rp0{suffix}": "Rp0"} if suffix else {})


def _money_axis(largest, title: str, room: float = 1.0, most: int = 8) -> tuple[dict, float]:
    """A money axis from 0 to a labelled tick past the longest bar (× room, for text beside the bars)."""
    divisor, suffix, words = money_scale(largest)
    top, step = nice_top(_number(largest) / divisor * room, most)
    return dict(title=f"{title} ({words})", **money_ticks(suffix),
                range=[0, top], dtick=step, tick0=0, ticklabeloverflow="allow"), divisor


END_LABEL_MARGIN = 48  # px right of a horizontal money axis, so the label of its end tick is not cut off
LABEL_SIZE = 13  # px, the amounts written beside bars


def end_margin(texts) -> int:
    """Px right of the plot for the longest text beside a bar: bars end at most at the axis end, whatever the width,
    so a label never runs off the chart however narrow the screen (and the end tick's label fits too)."""
    longest = max((text_px(t, LABEL_SIZE) for t in texts), default=0)
    return max(END_LABEL_MARGIN, math.ceil(longest) + 12)


def _number(value) -> float:
    return 0.0 if value is None or pd.isna(value) else abs(float(value))


def _height(rows: int) -> int:
    return _CONFIG_HEIGHT["base"] + _CONFIG_HEIGHT["per_row"] * max(rows, 1)


def _values(series: pd.Series, divisor: float = 1) -> list:
    return [None if pd.isna(v) else float(v) / divisor for v in series]


def _max(*series: pd.Series) -> float:
    values = [float(v) for s in series for v in s if not pd.isna(v)]
    return max(values) if values else 0


def pagu_vs_realisasi(frame: pd.DataFrame, tahun: int, sampai: int) -> go.Figure:
    """Per account: the pagu as a wide light bar, the realisation over it, absorption % at its end."""
    # room for the % beside a bar
    axis, divisor = _money_axis(_max(frame["pagu"], frame["realisasi"]), "Rupiah", room=1.08)
    labels = [f"{a} (melebihi pagu)" if over else a for a, over in zip(frame["akun"], frame["melebihi_pagu"])]
    figure = go.Figure()
    figure.add_bar(y=labels, x=_values(frame["pagu"], divisor), orientation="h", name="Pagu",
                   marker_color=PAGU_COLOUR, width=0.8, customdata=frame["pagu"].map(rupiah),
                   hovertemplate="%{y}<br>Pagu: %{customdata}<extra></extra>")
    colours = [OVER_COLOUR if over else REALISASI_COLOUR for over in frame["melebihi_pagu"]]
    figure.add_bar(y=labels, x=_values(frame["realisasi"].fillna(0), divisor), orientation="h",
                   name=f"Realisasi s.d. {fmt.BULAN_SINGKAT[sampai]}", marker_color=colours, width=0.45,
                   text=frame["serapan"].map(fmt.percent), textposition="outside", cliponaxis=False,
                   customdata=list(zip(frame["realisasi"].map(rupiah), frame["serapan"].map(fmt.percent))),
                   hovertemplate="%{y}<br>Realisasi: %{customdata[0]}<br>Serapan: %{customdata[1]}<extra></extra>")
    if frame["melebihi_pagu"].any():
        figure.add_bar(y=[None], x=[None], orientation="h", name="Realisasi melebihi pagu", marker_color=OVER_COLOUR)
    figure.update_layout(template="bapas", title=f"Pagu dan realisasi per akun belanja, TA {tahun}",
                         barmode="overlay", height=_height(len(frame)), xaxis=axis, margin_r=END_LABEL_MARGIN,
                         yaxis=dict(title="Akun belanja", autorange="reversed", automargin=True))
    return figure


def absorption_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Absorption % per budget year (columns) and account (rows); a star marks an account with lines over pagu."""
    years = sorted(frame["tahun_anggaran"].unique())
    accounts = list(dict.fromkeys(frame["akun"]))
    table = frame.pivot(index="akun", columns="tahun_anggaran", values="serapan").reindex(index=accounts,
                                                                                          columns=years)
    over = frame.pivot(index="akun", columns="tahun_anggaran", values="melebihi_pagu").reindex(
        index=accounts, columns=years).fillna(False).astype(bool)
    text = [[("–" if pd.isna(v) else fmt.percent(v)) + (" *" if o else "") for v, o in zip(row, flags)]
            for row, flags in zip(table.to_numpy(), over.to_numpy())]
    z = [[None if pd.isna(v) else round(float(v) * 100, 1) for v in row] for row in table.to_numpy()]
    figure = go.Figure(go.Heatmap(
        x=[f"TA {y}" for y in years], y=accounts, z=z, text=text, texttemplate="%{text}",
        # low absorption pale orange, on plan blue, above the ceiling red (values outside 40–110% take the ends)
        zmin=40, zmax=110, colorscale=[[0, "#FFCC80"], [4 / 7, "#BBDEFB"], [6 / 7, "#1565C0"], [1, "#C62828"]],
        colorbar=dict(title=dict(text="Serapan"), tickvals=[40, 60, 80, 100, 110],
                      ticktext=["≤40%", "60%", "80%", "100%", "≥110%"]), xgap=2, ygap=2,
        hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    figure.update_layout(template="bapas", title="Serapan anggaran per tahun anggaran dan akun",
                         height=_height(len(accounts)),
                         xaxis=dict(title="Tahun anggaran", side="bottom", type="category"),
                         yaxis=dict(title="Akun belanja", autorange="reversed", automargin=True))
    return figure


def label_positions(values: list, lines: list, label_height: float, gap: float) -> list:
    """Bottom of each bar's value label: just above the bar, moved above any reference line its text would cross."""
    positions = []
    for value in values:
        if value is None:
            positions.append(None)
            continue
        bottom = max(value, 0) + gap
        for line in sorted(lines):
            if bottom - gap <= line <= bottom + label_height + gap:
                bottom = line + gap
        positions.append(bottom)
    return positions


_MONTHLY_HEIGHT, _MONTHLY_ROWS, _MONTHLY_SPACING = 560, (0.62, 0.38), 0.08
_MONTHLY_MARGIN = dict(l=60, r=20, t=110, b=50)
_LABEL_PX = 20  # a 13 px label with its background box


def monthly_plan_vs_realisation(frame: pd.DataFrame, tahun: int, mean_deviation: float | None) -> go.Figure:
    """Monthly realisation bars against the plan (RPD) line; below, the deviation with the 10% line and the mean."""
    axis, divisor = _money_axis(_max(frame["rencana"], frame["realisasi"]), "Rupiah", room=1.05)
    months = list(frame["nama_bulan"])
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=list(_MONTHLY_ROWS),
                           vertical_spacing=_MONTHLY_SPACING)
    figure.add_bar(x=months, y=_values(frame["realisasi"], divisor), name="Realisasi", marker_color=REALISASI_COLOUR,
                   customdata=frame["realisasi"].map(rupiah),
                   hovertemplate="%{x}: realisasi %{customdata}<extra></extra>", row=1, col=1)
    figure.add_scatter(x=months, y=_values(frame["rencana"], divisor), name="Rencana (RPD)", mode="lines+markers",
                       line=dict(color=RENCANA_COLOUR, width=3), customdata=frame["rencana"].map(rupiah),
                       hovertemplate="%{x}: rencana %{customdata}<extra></extra>", row=1, col=1)
    above = frame["di_atas_ambang"].fillna(False).astype(bool)
    deviations = _values(frame["deviasi"], 0.01)
    texts = [("" if pd.isna(v) else fmt.percent(v)) for v in frame["deviasi"]]
    figure.add_bar(x=months, y=deviations, name=f"Deviasi > {fmt.percent(DEVIATION_THRESHOLD, 0)}",
                   marker_color=[OVER_COLOUR if a else NEUTRAL_COLOUR for a in above], customdata=texts,
                   showlegend=False, hovertemplate="%{x}: deviasi %{customdata}<extra></extra>", row=2, col=1)
    figure.add_bar(x=[None], y=[None], name=f"Deviasi di atas {fmt.percent(DEVIATION_THRESHOLD, 0)}",
                   marker_color=OVER_COLOUR, row=2, col=1)
    figure.add_bar(x=[None], y=[None], name=f"Deviasi s.d. {fmt.percent(DEVIATION_THRESHOLD, 0)}",
                   marker_color=NEUTRAL_COLOUR, row=2, col=1)
    # the reference lines are named in the legend, not beside the lines, and the value labels are placed clear of
    # them (with a white box as well), so no line runs through a number whatever the values are
    lines = [DEVIATION_THRESHOLD * 100] + ([mean_deviation * 100] if mean_deviation is not None else [])
    styles = [dict(color=OVER_COLOUR, dash="dash", width=1.5), dict(color="#212121", dash="dot", width=1.5)]
    names = [f"Batas deviasi {fmt.percent(DEVIATION_THRESHOLD, 0)}",
             f"Rata-rata deviasi {fmt.percent(mean_deviation)}" if mean_deviation is not None else ""]
    for y, style, name in zip(lines, styles, names):
        figure.add_hline(y=y, line=style, row=2, col=1)
        figure.add_scatter(x=[None], y=[None], mode="lines", line=style, name=name, hoverinfo="skip", row=2, col=1)
    known = [v for v in deviations if v is not None]
    plot_px = (_MONTHLY_HEIGHT - _MONTHLY_MARGIN["t"] - _MONTHLY_MARGIN["b"]) * (1 - _MONTHLY_SPACING) * _MONTHLY_ROWS[1]
    top = max([*lines, *known, 1]) * 1.15
    for _ in range(3):  # the axis grows to fit the labels, which makes a label shorter in axis units
        height, gap = _LABEL_PX / plot_px * top, 3 / plot_px * top
        positions = label_positions(deviations, lines, height, gap)
        needed = max([p + height + gap for p in positions if p is not None] + [top])
        if needed <= top:
            break
        top = needed
    for month, text, y in zip(months, texts, positions):
        if y is not None and text:
            figure.add_annotation(x=month, y=y, text=text, showarrow=False, yanchor="bottom", font=dict(size=13),
                                  bgcolor="rgba(255,255,255,0.85)", borderpad=1, row=2, col=1)
    figure.update_layout(template="bapas", title=f"Realisasi bulanan dibanding rencana penarikan (RPD), TA {tahun}",
                         height=_MONTHLY_HEIGHT, barmode="overlay", bargap=0.3, margin=_MONTHLY_MARGIN)
    figure.update_yaxes(axis, row=1, col=1)
    figure.update_yaxes(title="Deviasi (%)", ticksuffix="%", range=[0, top], row=2, col=1)
    figure.update_xaxes(title="Bulan", row=2, col=1)
    return figure


def cumulative_absorption(frame: pd.DataFrame, tahun: int) -> go.Figure:
    """Cumulative realisation ÷ pagu against the cumulative plan and the straight line k/12, in percent."""
    months = list(frame["nama_bulan"])
    figure = go.Figure()
    figure.add_scatter(x=months, y=[v * 100 for v in frame["garis_lurus"]], name="Garis lurus (bulan ke-k ÷ 12)",
                       mode="lines", line=dict(color=NEUTRAL_COLOUR, dash="dot", width=2),
                       hovertemplate="%{x}: %{y:.1f}%<extra>garis lurus</extra>")
    figure.add_scatter(x=months, y=_values(frame["rencana_kumulatif_persen"], 0.01), name="Rencana kumulatif (RPD)",
                       mode="lines+markers", line=dict(color=RENCANA_COLOUR, dash="dash", width=2),
                       customdata=frame["rencana_kumulatif"].map(rupiah),
                       hovertemplate="%{x}: %{y:.1f}% (%{customdata})<extra>rencana</extra>")
    figure.add_scatter(x=months, y=_values(frame["serapan_kumulatif"], 0.01), name="Realisasi kumulatif",
                       mode="lines+markers", line=dict(color=REALISASI_COLOUR, width=4),
                       customdata=frame["realisasi_kumulatif"].map(rupiah),
                       hovertemplate="%{x}: %{y:.1f}% (%{customdata})<extra>realisasi</extra>")
    top = max(100, *[v * 100 for v in frame["serapan_kumulatif"] if not pd.isna(v)],
              *[v * 100 for v in frame["rencana_kumulatif_persen"] if not pd.isna(v)])
    figure.update_layout(template="bapas", title=f"Serapan kumulatif terhadap pagu, TA {tahun}", height=420,
                         yaxis=dict(title="% dari pagu tahunan", ticksuffix="%", range=[0, top * 1.05]),
                         xaxis=dict(title="Bulan"))
    return figure


def spending_by_program(frame: pd.DataFrame, tahun: int, sampai: int) -> go.Figure:
    """Per program run (and the general lines): pagu as a light bar, realisation over it with its share."""
    # few ticks: with the amounts in the margin the plot of a narrow chart is ~200 px, where six labels slanted
    axis, divisor = _money_axis(_max(frame["pagu"], frame["realisasi"]), "Rupiah", most=4)
    names = axis_labels(frame["program"])  # long run names on two lines: the bars keep their width
    general = [str(p).endswith(GENERAL) for p in frame["program"]]
    # «(68,9%)»: a share of all realisation, as the caption says; «dari realisasi» beside it ran off a narrow chart
    texts = [f"{rupiah(r)} ({fmt.percent(p)})" for r, p in zip(frame["realisasi"].fillna(0), frame["porsi"])]
    figure = go.Figure()
    figure.add_bar(y=names, x=_values(frame["pagu"], divisor), orientation="h", name="Pagu",
                   marker_color=PAGU_COLOUR, width=0.8,
                   customdata=list(zip(frame["program"], frame["pagu"].map(rupiah))),
                   hovertemplate="%{customdata[0]}<br>Pagu: %{customdata[1]}<extra></extra>")
    figure.add_bar(y=names, x=_values(frame["realisasi"].fillna(0), divisor), orientation="h",
                   name=f"Realisasi s.d. {fmt.BULAN_SINGKAT[sampai]}", width=0.45,
                   marker_color=[GENERAL_COLOUR if g else REALISASI_COLOUR for g in general],
                   text=texts, textposition="outside", textfont=dict(size=LABEL_SIZE), cliponaxis=False,
                   customdata=list(zip(frame["program"], frame["realisasi"].map(rupiah),
                                       frame["serapan"].map(fmt.percent), frame["porsi"].map(fmt.percent))),
                   hovertemplate="%{customdata[0]}<br>Realisasi: %{customdata[1]} (%{customdata[3]} dari seluruh "
                                 "realisasi)<br>Serapan: %{customdata[2]}<extra></extra>")
    figure.update_layout(template="bapas", title=f"Belanja per program, TA {tahun}", barmode="overlay",
                         height=_height(len(frame)), xaxis=axis, margin_r=end_margin(texts),
                         yaxis=dict(title="Program", autorange="reversed", automargin=True))
    return figure


_PANEL_GAP, _PANEL_MARGIN = 110, dict(t=100, b=60)  # px: the upper panel's axis title and the lower panel's title


def cost_per_participant(frame: pd.DataFrame) -> go.Figure:
    """Per program run, in the frame's order: realisation per participant, below it per attended hour; hidden counts
    say '<10'. One panel above the other, each the full width: side by side their titles and labels collided."""
    per_person, person_div = _money_axis(_max(frame["biaya_per_peserta"]), "Rupiah per peserta", most=5)
    per_hour, hour_div = _money_axis(_max(frame["biaya_per_jam"]), "Rupiah per jam hadir", most=5)
    names = axis_labels(frame["program"])
    panel = _CONFIG_HEIGHT["per_row"] * max(len(frame), 1) + 20
    height = _PANEL_MARGIN["t"] + _PANEL_MARGIN["b"] + 2 * panel + _PANEL_GAP
    figure = make_subplots(rows=2, cols=1, vertical_spacing=_PANEL_GAP / (2 * panel + _PANEL_GAP),
                           subplot_titles=("Biaya per peserta", "Biaya per jam hadir"))
    people = [fmt.SMALL if hidden else number(n) for n, hidden in zip(frame["peserta"], frame["disembunyikan"])]
    person_texts = [("" if pd.isna(v) else rupiah(v)) for v in frame["biaya_per_peserta"]]
    hour_texts = [("" if pd.isna(v) else rupiah(v)) for v in frame["biaya_per_jam"]]
    figure.add_bar(y=names, x=_values(frame["biaya_per_peserta"], person_div), orientation="h",
                   marker_color=REALISASI_COLOUR, name="Biaya per peserta", showlegend=False, text=person_texts,
                   textposition="outside", textfont=dict(size=LABEL_SIZE), cliponaxis=False,
                   customdata=list(zip(frame["program"], frame["realisasi"].map(rupiah), people)),
                   hovertemplate="%{customdata[0]}<br>Realisasi %{customdata[1]} ÷ %{customdata[2]} peserta"
                                 "<extra></extra>", row=1, col=1)
    hidden = frame["disembunyikan"].astype(bool) | frame["biaya_per_peserta"].isna()
    if hidden.any():
        notes = [f"{fmt.SMALL} peserta, disembunyikan" if h else "tanpa peserta"
                 for h in frame.loc[hidden, "disembunyikan"].astype(bool)]
        figure.add_scatter(y=[n for n, h in zip(names, hidden) if h], x=[0] * int(hidden.sum()), mode="text",
                           text=notes, textposition="middle right", textfont=dict(color="#616161"), showlegend=False,
                           hoverinfo="skip", row=1, col=1)
    figure.add_bar(y=names, x=_values(frame["biaya_per_jam"], hour_div), orientation="h",
                   marker_color="#00897B", name="Biaya per jam hadir", showlegend=False, text=hour_texts,
                   textposition="outside", textfont=dict(size=LABEL_SIZE), cliponaxis=False,
                   customdata=list(zip(frame["program"], frame["realisasi"].map(rupiah),
                                       frame["jam_hadir"].map(number))),
                   hovertemplate="%{customdata[0]}<br>Realisasi %{customdata[1]} ÷ %{customdata[2]} jam hadir"
                                 "<extra></extra>", row=2, col=1)
    figure.update_layout(template="bapas", title="Biaya per peserta dan per jam hadir tiap program", height=height,
                         margin=dict(_PANEL_MARGIN, r=end_margin(person_texts + hour_texts)))
    figure.update_xaxes(per_person, row=1, col=1)
    figure.update_xaxes(per_hour, row=2, col=1)
    figure.update_yaxes(title="Program", autorange="reversed", automargin=True)
    return figure


def program_cost_composition(frame: pd.DataFrame) -> go.Figure:
    """Per program run: shares of its realisation by account group, as 100% stacked bars."""
    figure = go.Figure()
    names = axis_labels(frame["program"])
    for column, label in ACCOUNT_GROUPS.items():
        shares = frame[column]
        if not shares.fillna(0).gt(0).any():  # a group no program spent on: no empty entry in the legend
            continue
        figure.add_bar(y=names, x=_values(shares, 0.01), orientation="h", name=label,
                       marker_color=GROUP_COLOURS[column],
                       text=[("" if pd.isna(v) or v < 0.05 else fmt.percent(v, 0)) for v in shares],
                       textposition="inside", insidetextanchor="middle", customdata=frame["program"],
                       hovertemplate="%{customdata}<br>" + label + ": %{x:.1f}%<extra></extra>")
    # the legend hangs under the title with room for one entry per row, the most it wraps to on a narrow chart:
    # above the plot (the template's y=1.02) its rows grew up into the title at 1000 px
    legend_px = _LEGEND_ROW_PX * max(len(figure.data), 1)
    height = _height(len(frame)) + legend_px
    figure.update_layout(template="bapas", barmode="stack", height=height,
                         title=dict(text="Komposisi belanja tiap program menurut kelompok akun", yref="container",
                                    y=1, yanchor="top", pad_t=14),
                         legend=dict(traceorder="normal", xref="container", x=0, yref="container",
                                     y=1 - _TITLE_PX / height, yanchor="top"),
                         margin=dict(t=_TITLE_PX + legend_px + 10, r=END_LABEL_MARGIN),
                         xaxis=dict(title="% dari realisasi program", ticksuffix="%", range=[0, 100.5], dtick=20,
                                    ticklabeloverflow="allow"),
                         yaxis=dict(title="Program", autorange="reversed", automargin=True))
    return figure
