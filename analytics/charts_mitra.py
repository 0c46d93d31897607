"""Chart and table builders of the Mitra page: a DataFrame in, a Plotly figure (or styled table) out."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import format as fmt
from analytics.charts import count_axis
from analytics.charts_hambatan import axis_labels
from analytics.mitra import SCORECARD_LABELS
from analytics.privacy import HIDDEN_COL, HIDDEN_VALUE, SMALL

PARTICIPANT_COLOUR = fmt.CATEGORY_COLOURS["PELATIHAN_KERJA"]
COMPLETION_COLOUR = fmt.ATTENDANCE_COLOURS["HADIR"]
OFFERED_COLOURS = ("#00897B", "#1565C0")
ASKED_COLOUR = "#EF6C00"
CERTIFIED_COLOURS = {"Bersertifikat": "#2E7D32", "Belum bersertifikat": "#B0BEC5"}
HIDDEN_TEXT = HIDDEN_VALUE


def _partner_names(rows: pd.DataFrame) -> list[str]:
    """Each row's partner in full: its name, with its code (and office) after it where two rows share the name."""
    plain = [str(n) for n in rows["nama_mitra"]]
    coded = [f"{n} ({k})" for n, k in zip(plain, rows["kode_mitra"])]
    placed = [f"{n} ({k}, {b})" for n, k, b in zip(plain, rows["kode_mitra"], rows["kode_bapas"])]
    names, taken = [], set()
    for n, c, p in zip(plain, coded, placed):
        name = n if plain.count(n) == 1 else c if coded.count(c) == 1 else p
        label, k = name, 2
        while label in taken:  # a name that happens to read like another's «name (code)»
            label, k = f"{name} ({k})", k + 1
        names.append(label)
        taken.add(label)
    return names


def _hidden_bar_length(values: pd.Series) -> float:
    """Length of a bar standing for a hidden count: visible, and never longer than a count of 9."""
    top = values.max(skipna=True)
    return 9.0 if pd.isna(top) else min(9.0, max(float(top) * 0.15, 1.0))


def partner_delivery(frame: pd.DataFrame) -> go.Figure:
    """Participants (people) and completion rate per partner with participants, side by side."""
    rows = frame[frame["peserta"].isna() | frame["peserta"].gt(0)]
    full = _partner_names(rows)
    names = axis_labels(full)  # wrapped at words, never two partners on one label (plotly would merge their bars)
    hidden = rows["peserta"].isna().to_numpy()
    stub = _hidden_bar_length(rows["peserta"].astype(float))
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.55, 0.45], horizontal_spacing=0.04,
                           subplot_titles=("Peserta (orang)", "Tingkat penyelesaian"))
    figure.add_bar(
        y=names, x=[stub if h else float(v) for v, h in zip(rows["peserta"], hidden)], orientation="h",
        name="Peserta", showlegend=False, textposition="outside", cliponaxis=False,
        text=[SMALL if h else fmt.number(int(v)) for v, h in zip(rows["peserta"], hidden)],
        marker=dict(color=[fmt.SUPPRESSED_COLOUR if h else PARTICIPANT_COLOUR for h in hidden],
                    pattern=dict(shape=["/" if h else "" for h in hidden])),
        customdata=full, hovertemplate="%{customdata}: %{text} peserta<extra></extra>", row=1, col=1)
    rate_hidden = rows[["peserta", "terdaftar", "selesai"]].isna().any(axis=1).to_numpy()
    rates = rows["tingkat_penyelesaian"].astype(float)
    figure.add_bar(
        y=names, x=[0 if h or pd.isna(r) else r * 100 for r, h in zip(rates, rate_hidden)], orientation="h",
        name="Tingkat penyelesaian", showlegend=False, textposition="outside", cliponaxis=False,
        text=[HIDDEN_TEXT if h else fmt.percent(r) for r, h in zip(rates, rate_hidden)],
        textfont=dict(color=["#757575" if h else "#212121" for h in rate_hidden]),
        marker=dict(color=COMPLETION_COLOUR),
        customdata=full, hovertemplate="%{customdata}: %{text} keikutsertaan selesai<extra></extra>", row=1, col=2)
    top = rows["peserta"].astype(float).max(skipna=True)
    per_row = 44 if any("<br>" in n for n in names) else 34  # room for a name wrapped over two lines
    figure.update_layout(template="bapas", title="Peserta dan tingkat penyelesaian program per mitra",
                         height=max(260, 110 + per_row * len(rows)), margin=dict(l=10, r=40, t=90, b=50),
                         bargap=0.35)
    figure.update_yaxes(autorange="reversed", automargin=True, row=1, col=1)
    reach = max(0.0 if pd.isna(top) else float(top), stub if hidden.any() else 0.0)
    figure.update_xaxes(title="Peserta (orang)", range=[0, reach * 1.2 + 2],
                        showticklabels=not pd.isna(top), row=1, col=1)  # no scale for stand-in bars alone
    figure.update_xaxes(title="% keikutsertaan yang selesai", range=[0, 125], ticksuffix="%",
                        tickvals=[0, 25, 50, 75, 100], row=1, col=2)
    return figure


def field_coverage(frame: pd.DataFrame) -> go.Figure:
    """Training fields: active partners and runs offering each, next to obstacle-log rows asking for it."""
    fields = list(frame["bidang_pelatihan"])
    figure = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.03,
                           subplot_titles=("Ditawarkan: mitra aktif", "Ditawarkan: angkatan program",
                                           "Diminta klien (log hambatan)"))
    for col, (column, colour, unit) in enumerate(
            (("mitra_aktif", OFFERED_COLOURS[0], "mitra"), ("program_periode", OFFERED_COLOURS[1], "angkatan")), 1):
        figure.add_bar(y=fields, x=frame[column], orientation="h", showlegend=False, marker_color=colour,
                       text=[fmt.number(v) if v else "" for v in frame[column]], textposition="outside",
                       cliponaxis=False, hovertemplate=f"%{{y}}: %{{x}} {unit}<extra></extra>", row=1, col=col)
    hidden = frame["diminta"].isna().to_numpy()
    stub = _hidden_bar_length(frame["diminta"].astype(float))
    figure.add_bar(
        y=fields, x=[stub if h else float(v) for v, h in zip(frame["diminta"], hidden)], orientation="h",
        showlegend=False, textposition="outside", cliponaxis=False,
        text=[SMALL if h else (fmt.number(int(v)) if v else "") for v, h in zip(frame["diminta"], hidden)],
        marker=dict(color=[fmt.SUPPRESSED_COLOUR if h else ASKED_COLOUR for h in hidden],
                    pattern=dict(shape=["/" if h else "" for h in hidden])),
        hovertemplate="%{y}: %{text} catatan<extra></extra>", row=1, col=3)
    figure.update_layout(template="bapas", title="Bidang pelatihan: yang ditawarkan dan yang diminta klien",
                         height=max(360, 120 + 30 * len(fields)), margin=dict(l=10, r=30, t=90, b=50),
                         bargap=0.3)
    figure.update_yaxes(autorange="reversed", automargin=True, row=1, col=1)
    for col, title in enumerate(("Jumlah mitra", "Jumlah angkatan", "Jumlah catatan"), 1):
        values = frame[("mitra_aktif", "program_periode", "diminta")[col - 1]].astype(float)
        top = 0.0 if values.isna().all() else float(values.max())
        figure.update_xaxes(title=title, **count_axis(max(top, stub if hidden.any() and col == 3 else 0)),
                            showticklabels=bool(top > 0), row=1, col=col)  # no scale for stand-in bars alone
    if not hidden.any() and not frame["diminta"].fillna(0).gt(0).any():
        figure.add_annotation(text="Tidak ada catatan<br>«program tidak sesuai<br>minat» pada rentang ini",
                              xref="x3 domain", yref="y3 domain", x=0.5, y=0.5, showarrow=False,
                              font=dict(color="#757575", size=13))
    return figure


def certified_share(frame: pd.DataFrame) -> go.Figure:
    """Active partners per quarter, certified and not, stacked, with the certified share above each bar."""
    figure = go.Figure()
    quarters = [str(q).replace(" (", "<br>(") for q in frame["triwulan"]]  # a part quarter's date on a line below
    for label, column in (("Bersertifikat", "bersertifikat"), ("Belum bersertifikat", "belum_bersertifikat")):
        figure.add_bar(x=quarters, y=frame[column], name=label, marker_color=CERTIFIED_COLOURS[label],
                       hovertemplate=f"%{{x}}: %{{y}} mitra {label.lower()}<extra></extra>")
    figure.add_scatter(x=quarters, y=frame["aktif"], mode="text", showlegend=False, textposition="top center",
                       text=[fmt.percent(v, 0) for v in frame["persen_bersertifikat"]], hoverinfo="skip",
                       cliponaxis=False)
    top = frame["aktif"].max() if len(frame) else 1
    figure.update_layout(template="bapas", barmode="stack", title="Mitra aktif yang bersertifikat per triwulan",
                         height=400, margin=dict(t=100),
                         yaxis=dict(title="Mitra aktif (lembaga)", **count_axis(float(top) * 1.05)),
                         xaxis=dict(title="Triwulan (keadaan pada akhir triwulan)", type="category", tickangle=0),
                         legend=dict(traceorder="normal"))
    return figure


# what the partner delivered first (visible without scrolling), then who it is and its agreement
_TABLE_COLUMNS = ("kode_bapas", "kode_mitra", "nama_mitra", "program_periode", "peserta", "terdaftar", "selesai",
                  "tingkat_penyelesaian", "penempatan_periode", "penempatan_total", "bidang_pelatihan",
                  "bersertifikat", "jenis_mitra", "status_aktif", "berlaku_sampai", "sisa_hari", "nomor_pks",
                  "kapasitas_per_angkatan", "bidang")
_COUNT_COLUMNS = ("peserta", "terdaftar", "selesai", "penempatan_periode", "penempatan_total")


# The grid draws an empty cell as "None" whatever the styler says (or, with `placeholder`, one text for every empty
# cell of the table), so empty and hidden cells hold a stand-in that sorts below every real value and is shown as
# "–", "<10" or "disembunyikan"; the columns stay numeric, so clicking a heading sorts 9 before 10.
# Why the stand-in is safe: the hidden counts were removed in analytics.mitra.scorecard (<NA>) before this table is
# built, so the browser never receives them, only this one constant for every hidden cell. The grid's own CSV
# download and cell copying are off (client.disableDataExport, .streamlit/config.toml), and its search matches the
# shown text, not the stand-in. A column heading's «Statistics» and «Format» read the stand-in itself: minus
# infinity, which no one takes for a count (a large negative number such as -1.000.000.000 could pass for data).
STAND_IN = float("-inf")
STAND_IN_DATE = dt.date(1900, 1, 1)


def _or(text: str, shown):
    return lambda v: text if v == STAND_IN or v == STAND_IN_DATE else shown(v)


def scorecard_table(frame: pd.DataFrame):
    """The scorecard as a sortable table: numbers stay numbers (sorting), shown in Indonesian format."""
    columns = [c for c in _TABLE_COLUMNS if c != "kode_bapas" or frame["kode_bapas"].nunique() > 1]
    data = frame[columns].copy().reset_index(drop=True)
    data["bersertifikat"] = data["bersertifikat"].map({True: "Ya", False: "Tidak"})
    data["status_aktif"] = data["status_aktif"].map({True: "Aktif", False: "Tidak aktif"})
    data["tingkat_penyelesaian"] = data["tingkat_penyelesaian"] * 100
    for column in ("sisa_hari", "kapasitas_per_angkatan", "program_periode", "tingkat_penyelesaian",
                   *_COUNT_COLUMNS):
        data[column] = data[column].astype(float).fillna(STAND_IN)
    data["berlaku_sampai"] = [STAND_IN_DATE if v is None or pd.isna(v) else v for v in data["berlaku_sampai"]]
    for column in ("nomor_pks", "bidang_pelatihan", "jenis_mitra", "bidang"):
        data[column] = data[column].fillna("–").replace("", "–")
    hidden_rate = frame[["peserta", "terdaftar", "selesai"]].isna().any(axis=1).to_numpy()
    labels = {c: SCORECARD_LABELS[c] for c in columns}
    data = data.rename(columns=labels)
    rate = labels["tingkat_penyelesaian"]
    whole = fmt.number
    percent = lambda v: fmt.number(v, 1) + "%"  # noqa: E731
    styler = data.style.format(_or("–", whole), subset=[labels[c] for c in ("sisa_hari", "kapasitas_per_angkatan",
                                                                             "program_periode")])
    styler = styler.format(_or(SMALL, whole), subset=[labels[c] for c in _COUNT_COLUMNS])
    styler = styler.format(_or("–", fmt.date), subset=[labels["berlaku_sampai"]])
    styler = styler.format(_or("–", percent), subset=pd.IndexSlice[data.index[~hidden_rate], [rate]])
    styler = styler.format(_or(HIDDEN_TEXT, percent), subset=pd.IndexSlice[data.index[hidden_rate], [rate]])
    return styler.hide(axis="index")


def alerts_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Agreements ending or ended, as shown and downloaded."""
    columns = {"kode_bapas": "Kode Bapas", "nama_mitra": "Mitra", "keadaan": "Keadaan",
               "berlaku_sampai": "Berlaku sampai", "sisa_hari": "Sisa hari", "nomor_pks": "No. PKS",
               "jenis_mitra": "Jenis", "kode_mitra": "Kode mitra"}
    keep = [c for c in columns if c != "kode_bapas" or frame["kode_bapas"].nunique() > 1]
    out = frame[keep].copy()
    out["berlaku_sampai"] = out["berlaku_sampai"].map(fmt.date)
    return out.rename(columns=columns)


def coverage_for_download(frame: pd.DataFrame) -> pd.DataFrame:
    """The coverage frame with Indonesian headers, hidden counts «<10»."""
    out = frame.drop(columns=[HIDDEN_COL], errors="ignore").copy()
    if out["diminta"].isna().any():
        out["diminta"] = [SMALL if pd.isna(v) else int(v) for v in out["diminta"]]
    return out.rename(columns={"bidang_pelatihan": "Bidang pelatihan", "mitra_aktif": "Mitra aktif (akhir periode)",
                               "program_periode": "Angkatan program dalam periode",
                               "diminta": "Catatan permintaan klien (log hambatan)"})


def certified_for_download(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.drop(columns=["awal_triwulan"]).copy()
    out["persen_bersertifikat"] = out["persen_bersertifikat"].round(4)
    return out.rename(columns={"triwulan": "Triwulan", "hari": "Keadaan pada", "aktif": "Mitra aktif",
                               "bersertifikat": "Bersertifikat", "belum_bersertifikat": "Belum bersertifikat",
                               "persen_bersertifikat": "Bagian bersertifikat"})
