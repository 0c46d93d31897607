"""Chart builders of the Partisipasi & Kesejahteraan page: a DataFrame in, a Plotly figure out (house style)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import format as fmt
from analytics import partisipasi as pt
from analytics.charts import count_axis
from analytics.partisipasi import KATEGORI_PROGRAM, KELOMPOK, PEKERJAAN, STATUS_HADIR, month_label, run_label
from analytics.privacy import HIDDEN_COL, HIDDEN_VALUE, SMALL, hidden_values

KELOMPOK_COLOURS = {
    "SEMUA": "#212121",
    "KEPRIBADIAN": fmt.CATEGORY_COLOURS["BIMBINGAN_KEPRIBADIAN"],
    "KEMANDIRIAN": fmt.CATEGORY_COLOURS["BIMBINGAN_KEMANDIRIAN"],
    "KEAGAMAAN": fmt.CATEGORY_COLOURS["BIMBINGAN_KEAGAMAAN"],
    "PENDIDIKAN_KESETARAAN": fmt.CATEGORY_COLOURS["PENDIDIKAN_KESETARAAN"],
    "SEMINAR_PENYULUHAN": fmt.CATEGORY_COLOURS["SEMINAR_PENYULUHAN"],
}
WELFARE_COLOURS = {"BEKERJA": "#2E7D32", "USAHA_MANDIRI": "#81C784", "BELUM_BEKERJA": "#E57373",
                   "TIDAK_TERCATAT": "#D7CCC8"}
HIDDEN_NAME = f"Disembunyikan ({SMALL})"
_HIDDEN_MARKER = dict(color=fmt.SUPPRESSED_COLOUR, pattern=dict(shape="/", fgcolor="#757575"))


def _hidden(frame: pd.DataFrame) -> pd.Series:
    return frame[HIDDEN_COL] if HIDDEN_COL in frame else pd.Series(False, index=frame.index)


def _title(text: str, note: str | None = None) -> dict:
    """A chart title with an optional second, smaller line (what is hidden, the n, a warning)."""
    return dict(text=f"{text}<br><sup>{note}</sup>" if note else text)


def participation_trend(frame: pd.DataFrame) -> go.Figure:
    """Monthly participation rate per activity group, one line each ('Semua kegiatan' bold)."""
    figure = go.Figure()
    for kelompok, label in KELOMPOK.items():
        part = frame[frame["kelompok"] == kelompok]
        if part.empty:
            continue
        bold = kelompok == "SEMUA"
        counts = [f"{fmt.number(p)} dari {fmt.number(a)} klien aktif" if not pd.isna(p) and not pd.isna(a)
                  else f"{SMALL} (disembunyikan)" for p, a in zip(part["peserta"], part["klien_aktif"])]
        figure.add_scatter(
            x=[month_label(b) for b in part["bulan"]], y=part["persen"].astype(float) * 100, name=label,
            mode="lines+markers", customdata=counts,
            line=dict(color=KELOMPOK_COLOURS[kelompok], width=4 if bold else 2, dash=None if bold else "solid"),
            marker=dict(size=8 if bold else 6),
            hovertemplate=f"{label}<br>%{{x}}: %{{y:.1f}}%<br>%{{customdata}}<extra></extra>")
    note = (f"Titik yang tidak tergambar: 1–9 orang ikut atau tidak ikut, disembunyikan ({SMALL})"
            if _hidden(frame).any() else None)
    figure.update_layout(template="bapas", title=_title("Partisipasi program per bulan, menurut jenis kegiatan", note),
                         height=440, yaxis=dict(title="% klien aktif yang ikut", ticksuffix="%", rangemode="tozero"),
                         xaxis=dict(title="Bulan", type="category"),
                         legend=dict(y=1.0, yanchor="bottom"), margin=dict(t=120, b=70))
    return figure


def compliance_bars(frame: pd.DataFrame, by: str) -> go.Figure:
    """Scheduled wajib lapor split into on time / late / excused / missed, as 100% stacked bars per group."""
    groups = list(dict.fromkeys(frame["grup"]))
    labels = frame.drop_duplicates("grup").set_index("grup")["label"]
    totals = frame.drop_duplicates("grup").set_index("grup")["wajib"]
    horizontal = by != "bulan"
    axis_labels = [labels[g] for g in groups]
    figure = go.Figure()
    shown_share = pd.Series(0.0, index=groups)
    for status, name in STATUS_HADIR.items():
        part = frame[frame["status_hadir"] == status].set_index("grup").reindex(groups)
        values = (part["persen"].astype(float) * 100).fillna(0)  # a NaN would break plotly's stacking
        shown_share = shown_share.add(values.to_numpy(), fill_value=0)
        text = [f"{fmt.number(n)} dari {fmt.number(t)}" if not pd.isna(n) else SMALL
                for n, t in zip(part["jumlah"], part["wajib"])]
        _bar(figure, horizontal, axis_labels, values, name, fmt.ATTENDANCE_COLOURS[status], text)
    rest = _remainder(frame, groups, shown_share, "wajib")
    if any(r > 0.05 for r in rest):
        _bar(figure, horizontal, axis_labels, rest, HIDDEN_NAME, None, [SMALL] * len(groups),
             marker=_HIDDEN_MARKER)
    title = {"bulan": "Kepatuhan wajib lapor per bulan", "pk": "Kepatuhan wajib lapor per Pembimbing "
             "Kemasyarakatan", "kecamatan": "Kepatuhan wajib lapor per kecamatan tempat tinggal klien"}[by]
    share_axis = dict(title="% dari wajib lapor terjadwal", range=[0, 100.5], ticksuffix="%", dtick=20)
    if horizontal:
        height = max(360, 26 * len(groups) + 160)
        figure.update_layout(xaxis=share_axis, yaxis=dict(title=None, autorange="reversed", type="category",
                                                          automargin=True), height=height)
    else:
        figure.update_layout(yaxis=share_axis, xaxis=dict(title="Bulan", type="category"), height=430)
    figure.update_layout(template="bapas", title=title, barmode="stack", bargap=0.25,
                         legend=dict(traceorder="normal"), margin=dict(t=100, r=40))
    return figure


def _remainder(frame: pd.DataFrame, groups: list, shown: pd.Series, total: str) -> list[float]:
    """Per group, the share (in %) taken by hidden parts: all of it when the group total itself is hidden."""
    if HIDDEN_COL not in frame:
        return [0.0] * len(groups)
    hidden_any = frame.groupby("grup", sort=False)[HIDDEN_COL].any()
    totals = frame.drop_duplicates("grup").set_index("grup")[total]
    return [100.0 if pd.isna(totals[g]) else (max(100 - shown[g], 0.0) if hidden_any[g] else 0.0) for g in groups]


def _bar(figure, horizontal, categories, values, name, colour, counts, marker=None) -> None:
    values = list(values)
    common = dict(name=name, customdata=counts, marker=marker or dict(color=colour))
    if horizontal:
        figure.add_bar(y=categories, x=values, orientation="h",
                       hovertemplate=f"%{{y}}<br>{name}: %{{x:.1f}}% (%{{customdata}})<extra></extra>", **common)
    else:
        figure.add_bar(x=categories, y=values,
                       hovertemplate=f"%{{x}}<br>{name}: %{{y:.1f}}% (%{{customdata}})<extra></extra>", **common)


def dose_histogram(frame: pd.DataFrame, summary: dict) -> go.Figure:
    """Participating clients by hours attended in the period (classes doubling in width)."""
    hidden = _hidden(frame)
    counts = frame["klien"].astype(float)
    figure = go.Figure()
    figure.add_bar(x=frame["rentang"], y=counts.where(~hidden.to_numpy()), name="Klien",
                   marker=dict(color=fmt.CATEGORY_COLOURS["BIMBINGAN_KEPRIBADIAN"]),
                   text=["" if h else fmt.number(n) for n, h in zip(counts, hidden)], textposition="outside",
                   hovertemplate="%{x}: %{y:,.0f} klien<extra></extra>", showlegend=False)
    if hidden.any():
        figure.add_bar(x=frame["rentang"][hidden.to_numpy()], y=[0] * int(hidden.sum()), name=HIDDEN_NAME,
                       marker=_HIDDEN_MARKER, text=[SMALL] * int(hidden.sum()), textposition="outside",
                       hoverinfo="skip", showlegend=False)
    median = summary.get("median_jam")
    subtitle = (f"{fmt.number(summary['klien'])} klien ikut kegiatan · median {fmt.number(median, 1)} jam"
                if median is not None else f"{fmt.number(summary['klien'])} klien ikut kegiatan")
    if hidden.any():
        subtitle += f" · kelas bertanda {SMALL}: 1–9 klien, disembunyikan"
    figure.update_layout(template="bapas", height=400, bargap=0.15,
                         title=_title("Jam kegiatan yang dihadiri per klien dalam periode", subtitle),
                         xaxis=dict(title="Jam kegiatan yang dihadiri (kelas)", type="category"),
                         yaxis=dict(title="Jumlah klien", rangemode="tozero"),
                         separators=",.", margin=dict(t=90, b=60))
    return figure


def completion_bars(frame: pd.DataFrame, threshold: float) -> go.Figure:
    """Completion rate per program run, horizontal bars coloured by category; hidden rates marked."""
    rows = frame.iloc[::-1]  # plotly draws the first category at the bottom
    names = run_label(rows)
    figure = go.Figure()
    for kategori in dict.fromkeys(rows["kategori"]):
        mask = (rows["kategori"] == kategori).to_numpy()
        part = rows[mask]
        rate = part["tingkat_penyelesaian"].astype(float) * 100
        text = [f"{fmt.percent(r / 100)} ({fmt.number(s)} dari {fmt.number(p)})" if not pd.isna(r) else
                ("disembunyikan (ada bagian 1–9 orang)" if h else "belum ada peserta")
                for r, s, p, h in zip(rate, part["selesai"], part["peserta"], _hidden(part))]
        figure.add_bar(y=[n for n, m in zip(names, mask) if m], x=rate.fillna(0), orientation="h",
                       name=KATEGORI_PROGRAM.get(kategori, fmt.code(kategori)),
                       marker=dict(color=fmt.CATEGORY_COLOURS.get(kategori, "#78909C")), text=text,
                       textposition=["outside" if pd.isna(r) else "auto" for r in rate],
                       insidetextanchor="end", cliponaxis=False,
                       hovertemplate="%{y}<br>%{text}<extra></extra>")
    figure.add_vline(x=threshold * 100, line=dict(color="#616161", dash="dot"), layer="below")
    note = (f"Tingkat disembunyikan bila peserta, yang selesai, atau yang belum selesai berjumlah 1–9 orang"
            if _hidden(frame).any() else None)
    figure.update_layout(template="bapas", title=_title("Tingkat penyelesaian per angkatan program", note),
                         barmode="overlay",
                         height=max(320, 48 * len(rows) + 170),
                         xaxis=dict(title="% peserta yang menyelesaikan", range=[0, 100],
                                    tickvals=[0, 25, 50, 75, 100], ticktext=["0%", "25%", "50%", "75%", "100%"]),
                         yaxis=dict(title=None, type="category", categoryorder="array", categoryarray=names,
                                    automargin=True),
                         margin=dict(t=100, r=40))
    return figure


def welfare_bars(frame: pd.DataFrame, by: str) -> go.Figure:
    """Work status of the ended cases per group, 100% stacked horizontal bars."""
    groups = list(dict.fromkeys(frame["grup"]))
    first = frame.drop_duplicates("grup").set_index("grup")
    sizes = [SMALL if pd.isna(first.loc[g, "klien"]) else fmt.number(first.loc[g, "klien"]) for g in groups]
    names = [f"{first.loc[g, 'label']} (n = {n})" for g, n in zip(groups, sizes)]
    figure = go.Figure()
    shown = pd.Series(0.0, index=groups)
    present = frame.groupby("pekerjaan")["jumlah"].apply(lambda s: s.fillna(1).sum() > 0)
    for status, label in PEKERJAAN.items():
        if not present.get(status, False):
            continue
        part = frame[frame["pekerjaan"] == status].set_index("grup").reindex(groups)
        values = (part["persen"].astype(float) * 100).fillna(0)  # a NaN would break plotly's stacking
        shown = shown.add(values.to_numpy(), fill_value=0)
        text = [f"{fmt.number(n)} klien" if not pd.isna(n) else SMALL for n in part["jumlah"]]
        figure.add_bar(y=names, x=values, orientation="h", name=label, customdata=text,
                       marker=dict(color=WELFARE_COLOURS[status]),
                       hovertemplate=f"%{{y}}<br>{label}: %{{x:.1f}}% (%{{customdata}})<extra></extra>")
    rest = _remainder(frame, groups, shown, "klien")
    if any(r > 0.05 for r in rest):
        figure.add_bar(y=names, x=rest, orientation="h", name=HIDDEN_NAME, marker=_HIDDEN_MARKER,
                       hovertemplate=f"%{{y}}<br>bagian berisi 1–9 klien, disembunyikan<extra></extra>")
    title = {"kategori": "Status pekerjaan klien yang mengakhiri bimbingan, menurut kategori program yang diikuti",
             "mitra": "Status pekerjaan klien yang mengakhiri bimbingan, menurut mitra program yang diikuti"}[by]
    figure.update_layout(template="bapas", title=dict(text=title, font=dict(size=17)), barmode="stack",
                         legend=dict(traceorder="normal"),
                         height=max(340, 34 * len(groups) + 170),
                         xaxis=dict(title="% klien yang berakhir dalam periode", range=[0, 100.5], ticksuffix="%",
                                    dtick=20),
                         yaxis=dict(title=None, autorange="reversed", type="category", automargin=True),
                         margin=dict(t=100, r=40))
    return figure


def placement_bars(frame: pd.DataFrame) -> go.Figure:
    """Ended cases placed by each partner (kode_mitra_penyalur), horizontal bars; hidden counts marked."""
    rows = frame.iloc[::-1]
    hidden = _hidden(rows).to_numpy()
    counts = rows["penempatan"].astype(float)
    figure = go.Figure()
    figure.add_bar(y=rows["nama_mitra"], x=counts.where(~hidden), orientation="h", showlegend=False,
                   marker=dict(color=fmt.CATEGORY_COLOURS["PELATIHAN_KERJA"]),
                   text=[fmt.number(n) for n in counts.where(~hidden)], textposition="outside", cliponaxis=False,
                   hovertemplate="%{y}: %{x} klien<extra></extra>")
    if hidden.any():
        figure.add_bar(y=rows["nama_mitra"][hidden], x=[0] * int(hidden.sum()), orientation="h", showlegend=False,
                       marker=_HIDDEN_MARKER, text=[SMALL] * int(hidden.sum()), textposition="outside",
                       cliponaxis=False, hoverinfo="skip")
    top = counts.max(skipna=True)
    note = f"Mitra bertanda {SMALL}: 1–9 penempatan, disembunyikan" if hidden.any() else None
    figure.update_layout(template="bapas", title=_title("Penempatan kerja per mitra penyalur", note),
                         barmode="overlay",
                         height=max(300, 32 * len(rows) + 150),
                         # whole-number ticks sized to the counts (largest 2: 0, 1, 2, not 0–10 by twos); no scale
                         # when every count is hidden
                         xaxis=dict(title="Jumlah klien yang ditempatkan",
                                    **count_axis(0.0 if pd.isna(top) else float(top)),
                                    showticklabels=not pd.isna(top)),
                         yaxis=dict(title=None, type="category", automargin=True), margin=dict(t=90))
    return figure


def cohort_bars(frame: pd.DataFrame, months: int) -> go.Figure:
    """Share working (latest status) for participants vs non-participants, two bars."""
    hidden = _hidden(frame).to_numpy()
    share = frame["persen"].astype(float) * 100
    colours = ["#00897B", "#90A4AE"]
    names = [f"{label}<br>(n = {SMALL if pd.isna(n) else fmt.number(n)})"
             for label, n in zip(frame["label"], frame["klien"])]
    text = [f"{HIDDEN_VALUE} (ada bagian 1–9 klien)" if h else f"{fmt.percent(s / 100)} ({fmt.number(b)} klien)"
            for s, b, h in zip(share, frame["bekerja"], hidden)]  # a share, so not «<10» (read as «under 10%»)
    figure = go.Figure()
    figure.add_bar(x=names, y=share.fillna(0), text=text, textposition="outside", cliponaxis=False,
                   marker=dict(color=[fmt.SUPPRESSED_COLOUR if h else c for h, c in zip(hidden, colours)]),
                   hovertemplate="%{x}<br>bekerja/usaha mandiri: %{text}<extra></extra>", showlegend=False)
    figure.update_layout(template="bapas", height=400, bargap=0.45,
                         title=dict(text=f"Bekerja atau usaha mandiri: peserta vs bukan peserta (kasus teramati "
                                         f"≥ {months} bulan)<br><sup>Perbandingan, bukan estimasi sebab-akibat"
                                         f"</sup>", font=dict(size=17)),
                         yaxis=dict(title="% bekerja atau usaha mandiri", range=[0, 100], ticksuffix="%"),
                         xaxis=dict(title=None, type="category"), margin=dict(t=100))
    return figure


def completion_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The completion per run as the page shows it: a hidden count «<10», a hidden rate «disembunyikan»."""
    return hidden_values(pt.completion_table(frame), ("Tingkat penyelesaian",))


def income_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The income per work status as the page shows it: a hidden median reads «disembunyikan», not «<10»."""
    return hidden_values(pt.income_table(frame), ("Median penghasilan per bulan",))
