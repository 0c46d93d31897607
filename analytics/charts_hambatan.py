"""Chart builders of the Hambatan page: a frame from analytics.hambatan in, a Plotly figure out."""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from analytics import format as fmt
from analytics.hambatan import OTHER_KEY, TOTAL_KEY
from analytics.privacy import HIDDEN_COL, SMALL

# FACTOR_COLOURS has no colour for "no factor" (category Lainnya); a blue-grey that is not the suppressed grey
FACTOR_COLOURS = {**fmt.FACTOR_COLOURS, "TIDAK_DITENTUKAN": "#78909C"}
STATUS_COLOURS = {"TERBUKA": "#C62828", "DITANGANI": "#F9A825", "SELESAI": "#2E7D32", "TIDAK_DICATAT": "#90A4AE"}
KATEGORI_COLOURS = {
    "ANGGARAN_TERBATAS": "#6A1B9A", "PROGRAM_TIDAK_SESUAI_MINAT": "#AB47BC", "BEBAN_KERJA_PK": "#3949AB",
    "JANGKAUAN_WILAYAH": "#7986CB", "KLIEN_KURANG_SERIUS": "#C62828", "KLIEN_TIDAK_TEPAT_WAKTU": "#F9A825",
    "KLIEN_BEKERJA_LUAR_KOTA": "#1E88E5", "KELUARGA_TIDAK_MENDUKUNG": "#8D6E63", "JARAK_BIAYA_TRANSPORT": "#EF6C00",
    "MITRA_BELUM_BERSERTIFIKAT": "#00897B", "MITRA_TERBATAS": "#4DB6AC", "STIGMA_MASYARAKAT": "#5D4037",
    "SAKIT": "#2E7D32", "LAINNYA": "#78909C", OTHER_KEY: "#B0BEC5",
}
RISE, FALL, SAME = "#C62828", "#2E7D32", "#9E9E9E"  # more obstacles is worse
HIDDEN_NAME = "Disembunyikan"
HIDDEN_PATTERN = dict(shape="/", fgcolor="#757575", bgcolor=fmt.SUPPRESSED_COLOUR)


def _wrap(text: str, width: int = 16) -> str:
    return "<br>".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _value(n) -> float | None:
    return None if pd.isna(n) else float(n)


def _layout(figure: go.Figure, title: str, height: int, legend_title: str | None = None, **layout) -> go.Figure:
    legend = dict(orientation="h", yanchor="bottom", y=1.02, x=0, traceorder="normal")  # stacks keep their order
    if legend_title:
        legend["title"] = dict(text=legend_title + ":", side="left")
    figure.update_layout(template="bapas", title=title, height=height, legend=legend, **layout)
    return figure


def pareto(frame: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Bars per category (largest first, coloured by factor) and the cumulative share as a line on a 0–100% axis."""
    rows = frame[frame["kategori"] != TOTAL_KEY]
    x = [_wrap(label, 11 if len(rows) > 9 else 14) for label in rows["label_singkat"]]
    figure = go.Figure()
    any_hidden = bool(rows[HIDDEN_COL].any())
    for factor, colour in FACTOR_COLOURS.items():
        part = rows["faktor"] == factor
        if not (part & ~rows[HIDDEN_COL]).any():
            continue
        shown = rows[part & ~rows[HIDDEN_COL]]
        name = shown["label_faktor"].iloc[0]
        if not any_hidden:
            total = int(rows["jumlah"].sum())
            count = int(shown["jumlah"].sum())
            name += f" ({fmt.number(count)} · {fmt.percent(count / total)})"
        figure.add_bar(x=[x[i] for i in range(len(rows)) if part.iloc[i] and not rows[HIDDEN_COL].iloc[i]],
                       y=shown["jumlah"].astype(float), name=name, marker_color=colour,
                       text=[fmt.number(int(n)) for n in shown["jumlah"]], textposition="outside", cliponaxis=False,
                       customdata=shown["label"],
                       hovertemplate="%{customdata}: %{y:,.0f} " + unit + "<extra></extra>")
    if any_hidden:
        hidden = rows[HIDDEN_COL].to_numpy()
        figure.add_scatter(x=[x[i] for i in range(len(rows)) if hidden[i]], y=[0] * int(hidden.sum()),
                           mode="text", text=[SMALL] * int(hidden.sum()), textposition="top center",
                           name=HIDDEN_NAME, showlegend=False, hoverinfo="skip",
                           textfont=dict(color="#616161"))
    cumulative = rows["persen_kumulatif"].astype(float) * 100
    known = cumulative.notna()
    figure.add_scatter(x=[x[i] for i in range(len(rows)) if known.iloc[i]], y=cumulative[known], yaxis="y2",
                       name="% kumulatif", mode="lines+markers", line=dict(color="#37474F", width=2),
                       marker=dict(size=7), hovertemplate="%{y:.1f}% kumulatif<extra></extra>")
    if known.any():
        figure.add_hline(y=80, yref="y2", line=dict(color="#9E9E9E", dash="dot", width=1),
                         annotation_text="80%", annotation_position="top right", annotation_font_color="#757575")
    top = max([_value(n) or 0 for n in rows["jumlah"]] + [1])
    return _layout(figure, title, 460, barmode="stack", bargap=0.35,
                   xaxis=dict(title="Kategori hambatan (diurutkan dari yang terbanyak)", categoryorder="array",
                              categoryarray=x, tickfont=dict(size=11 if len(rows) > 9 else 12), tickangle=0),
                   yaxis=dict(title=f"Jumlah {unit}", range=[0, top * 1.18], separatethousands=True,
                              dtick=_tick(top)),
                   yaxis2=dict(title="% kumulatif", overlaying="y", side="right", range=[0, 105], ticksuffix="%",
                               showgrid=False, tickmode="linear", tick0=0, dtick=20),
                   margin=dict(l=70, r=70, t=90, b=110))


def _stack_traces(figure: go.Figure, frame: pd.DataFrame, axis: str, key: str, label: str, colours: dict,
                  unit: str, horizontal: bool = False, full: str | None = None) -> None:
    """Stacked bars per group; the hidden part of a visible total as a grey hatched bar, hidden totals as <10.

    `full`: the column with the whole name of a shortened axis label, shown in the hover.
    """
    parts = frame[frame[key] != TOTAL_KEY]
    totals = frame[frame[key] == TOTAL_KEY].set_index(axis)
    positions = list(dict.fromkeys(frame[axis]))
    for group, rows in parts.groupby(key, sort=False):
        values = [_value(n) for n in rows["jumlah"]]
        if not any(values):
            continue
        name = rows[label].iloc[0]
        prefix = "%{customdata}<br>" if full else ""
        bar = dict(name=name, marker_color=colours.get(group, "#90A4AE"),
                   customdata=list(rows[full]) if full else None,
                   hovertemplate=prefix + f"{name}: " + ("%{x:,.0f}" if horizontal else "%{y:,.0f}")
                   + f" {unit}<extra></extra>")
        if horizontal:
            figure.add_bar(y=list(rows[axis]), x=values, orientation="h", **bar)
        else:
            figure.add_bar(x=list(rows[axis]), y=values, **bar)
    remainder, text_at, text = [], [], []
    for position in positions:
        total = totals.loc[position, "jumlah"]
        shown = parts[(parts[axis] == position)]["jumlah"]
        if pd.isna(total):
            text_at.append((position, float(shown.fillna(0).sum())))
            text.append(SMALL)
            remainder.append(None)
        else:
            rest = float(total) - float(shown.fillna(0).sum())
            remainder.append(rest if shown.isna().any() and rest > 0 else None)
            text_at.append((position, float(total)))
            text.append(fmt.number(int(total)) if total else "")
    if any(r is not None for r in remainder):
        bar = dict(name=HIDDEN_NAME, marker=dict(color=fmt.SUPPRESSED_COLOUR, pattern=HIDDEN_PATTERN),
                   hovertemplate="bagian yang disembunyikan (aturan bilangan kecil)<extra></extra>")
        if horizontal:
            figure.add_bar(y=positions, x=remainder, orientation="h", **bar)
        else:
            figure.add_bar(x=positions, y=remainder, **bar)
    where = [p for p, _ in text_at]
    height = [h for _, h in text_at]
    if horizontal:
        figure.add_scatter(y=where, x=height, mode="text", text=text, textposition="middle right",
                           showlegend=False, hoverinfo="skip", cliponaxis=False)
    else:
        figure.add_scatter(x=where, y=height, mode="text", text=text, textposition="top center",
                           showlegend=False, hoverinfo="skip", cliponaxis=False)


def quarterly(frame: pd.DataFrame, title: str, unit: str, colours: dict, legend_title: str) -> go.Figure:
    """Stacked bars per quarter (one colour per group), the quarter's total above each bar."""
    figure = go.Figure()
    _stack_traces(figure, frame, "label_triwulan", "kelompok", "label", colours, unit)
    tops = frame.loc[frame["kelompok"] == TOTAL_KEY, "jumlah"]
    top = max([_value(n) or 0 for n in tops] + [1])
    return _layout(figure, title, 440, legend_title, barmode="stack", bargap=0.3,
                   xaxis=dict(title="Triwulan (* = belum lengkap, terpotong akhir periode atau tanggal data)"),
                   yaxis=dict(title=f"Jumlah {unit}", range=[0, top * 1.15], separatethousands=True,
                              dtick=_tick(top)),
                   margin=dict(l=60, r=20, t=100, b=60))


def ranking(frame: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Horizontal stacked bars per program run or partner (largest on top), split by factor."""
    figure = go.Figure()
    frame = frame.assign(nama_pendek=axis_labels(frame["nama"]))
    _stack_traces(figure, frame, "nama_pendek", "faktor", "label_faktor", FACTOR_COLOURS, unit, horizontal=True,
                  full="nama")
    names = list(dict.fromkeys(frame["nama_pendek"]))
    tops = frame.loc[frame["faktor"] == TOTAL_KEY, "jumlah"]
    top = max([_value(n) or 0 for n in tops] + [1])
    per_row = 40 if any("<br>" in n for n in names) else 30
    return _layout(figure, title, max(300, 120 + per_row * len(names)), "Faktor", barmode="stack", bargap=0.3,
                   yaxis=dict(title="", categoryorder="array", categoryarray=names, autorange="reversed",
                              tickfont=dict(size=12), automargin=True),
                   xaxis=dict(title=f"Jumlah {unit}", range=[0, top * 1.15], dtick=_tick(top), showgrid=True,
                              gridcolor="#E0E0E0"),
                   margin=dict(l=20, r=30, t=90, b=60))


def axis_label(name: str, width: int = 32, single: int = 40) -> str:
    """A long name on at most two lines: wrapped, or its start and its distinguishing end (batch, year) kept."""
    name = str(name)
    if len(name) <= single:
        return name
    lines = textwrap.wrap(name, width)
    if len(lines) <= 2:
        return "<br>".join(lines)
    end = name[-(width - 1):]
    end = end[end.index(" ") + 1:] if " " in end[:-1] else end  # start the end at a word
    return lines[0] + "<br>…" + end


def axis_labels(names) -> list[str]:
    """Axis labels, one per distinct name: two different names never get the same label."""
    distinct = list(dict.fromkeys(names))
    short = {n: axis_label(n) for n in distinct}
    clashes = {s for s in short.values() if list(short.values()).count(s) > 1}
    taken = {}
    for n in distinct:
        if short[n] in clashes:  # two names that differ only in the part left out: wrap the whole name
            short[n] = "<br>".join(textwrap.wrap(str(n), 32)) or str(n)
        label, k = short[n], 2
        while label in taken.values():  # names that differ only in spacing
            label, k = f"{short[n]} ({k})", k + 1
        taken[n] = label
    return [taken[n] for n in names]


def _tick(top: float) -> float | None:
    """Whole-number ticks for small counts (no «0,5 catatan»)."""
    return 1 if top <= 8 else (2 if top <= 16 else None)


def compliance_groups(frame: pd.DataFrame) -> go.Figure:
    """Wajib lapor compliance (attended, and on time) per absence group, n clients under each group."""
    x = [_wrap(label, 34) + "<br>" + _n(n, "klien") for label, n in zip(frame["label"], frame["klien"])]
    figure = go.Figure()
    for column, name, colour in (("kepatuhan", "Hadir atau terlambat", fmt.ATTENDANCE_COLOURS["HADIR"]),
                                 ("tepat_waktu_persen", "Tepat waktu", fmt.ATTENDANCE_COLOURS["TERLAMBAT"])):
        values = frame[column].astype(float) * 100
        figure.add_bar(x=x, y=values, name=name, marker_color=colour,
                       text=[SMALL if pd.isna(v) else fmt.percent(v / 100) for v in values], textposition="outside",
                       cliponaxis=False, hovertemplate=name + ": %{y:.1f}%<extra></extra>")
    return _layout(figure, "Kepatuhan wajib lapor menurut alasan ketidakhadiran klien", 430, barmode="group",
                   xaxis=dict(title="Kelompok klien (menurut ketidakhadirannya dalam periode)", tickfont=dict(size=12)),
                   yaxis=dict(title="% dari wajib lapor terjadwal", range=[0, 112], ticksuffix="%"),
                   margin=dict(l=60, r=20, t=90, b=120))


def completion_groups(frame: pd.DataFrame) -> go.Figure:
    """Completion rate of program runs with and without a «program tidak sesuai minat» obstacle logged."""
    x = [_wrap(label, 40) + "<br>" + f"{fmt.number(p)} program, " + _n(n, "peserta")
         for label, p, n in zip(frame["label"], frame["program"], frame["peserta"])]
    values = frame["tingkat_penyelesaian"].astype(float) * 100
    colours = [fmt.FACTOR_COLOURS["INTERNAL"] if k == "ADA_CATATAN" else "#90A4AE" for k in frame["kelompok"]]
    figure = go.Figure()
    figure.add_bar(x=x, y=values, marker_color=colours, showlegend=False,
                   text=[SMALL if pd.isna(v) else fmt.percent(v / 100) for v in values], textposition="outside",
                   cliponaxis=False, hovertemplate="%{y:.1f}% peserta menyelesaikan program<extra></extra>")
    return _layout(figure, "Tingkat penyelesaian program, dengan dan tanpa catatan «tidak sesuai minat»", 430,
                   bargap=0.45,
                   xaxis=dict(title="Program yang berakhir dalam 8 triwulan terakhir", tickfont=dict(size=12)),
                   yaxis=dict(title="% peserta yang menyelesaikan", range=[0, 112], ticksuffix="%"),
                   margin=dict(l=60, r=20, t=90, b=120))


def _n(n, what: str) -> str:
    return f"n {SMALL} {what}" if pd.isna(n) else f"n = {fmt.number(int(n))} {what}"


def change(frame: pd.DataFrame, title: str, unit: str) -> go.Figure:
    """Change per category against the previous period: bars right for a rise (red), left for a fall (green)."""
    rows = frame[frame["kategori"] != TOTAL_KEY]
    y = list(rows["label_singkat"])
    differences = [_value(d) for d in rows["selisih"]]
    colours = [SAME if d in (None, 0) else (RISE if d > 0 else FALL) for d in differences]
    text = [f"{SMALL} (disembunyikan)" if d is None else
            f"{fmt.number(int(b))} → {fmt.number(int(n))} ({fmt.change(int(d), minus=fmt.MINUS)})"
            for b, n, d in zip(rows["sebelumnya"], rows["sekarang"], differences)]
    figure = go.Figure()
    figure.add_bar(y=y, x=[d or 0 for d in differences], orientation="h", marker_color=colours, text=text,
                   textposition="outside", cliponaxis=False, showlegend=False, customdata=rows["label"],
                   hovertemplate="%{customdata}<br>%{text}<extra></extra>")
    extent = max([abs(d) for d in differences if d is not None] + [1])
    return _layout(figure, title, max(300, 110 + 34 * len(y)), bargap=0.3,
                   xaxis=dict(title=f"Selisih jumlah {unit} (periode ini − periode sebelumnya)",
                              range=[-extent * 1.9, extent * 1.9], zeroline=True, zerolinecolor="#616161",
                              zerolinewidth=1, showgrid=True, gridcolor="#EEEEEE", dtick=_tick(extent)),
                   yaxis=dict(title="", categoryorder="array", categoryarray=y, autorange="reversed",
                              tickfont=dict(size=12)),
                   margin=dict(l=20, r=30, t=70, b=60))
