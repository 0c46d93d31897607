"""Chart builders of the Risiko Residivisme page: a DataFrame in, a Plotly figure out (house style)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import format as fmt
from analytics.partisipasi import month_label
from analytics.privacy import HIDDEN_COL, SMALL, hidden_values
from analytics.risk import BANDS, NO_MODEL, NOT_SCORED, NOT_YET, UNKNOWN, Survival

CATEGORY_COLOURS = {**fmt.RISK_COLOURS, UNKNOWN: "#9E9E9E", NOT_YET: "#CFD8DC", NOT_SCORED: "#90A4AE",
                    NO_MODEL: "#B0BEC5"}
GROUP_COLOURS = ["#1565C0", "#EF6C00", "#6A1B9A", "#00897B", "#8D6E63", "#546E7A", "#AD1457", "#9E9D24"]
HIDDEN_NAME = f"Disembunyikan ({SMALL})"
_HIDDEN_MARKER = dict(color=fmt.SUPPRESSED_COLOUR, pattern=dict(shape="/", fgcolor="#757575"))


GROUP_RATES = ("Tingkat dasar", "Rata-rata prediksi", "AUC", "Positif palsu (FPR)", "Negatif palsu (FNR)")


def group_table(table: pd.DataFrame) -> pd.DataFrame:
    """The validation per group as shown: hidden counts «<10», hidden rates and AUCs «disembunyikan»."""
    return hidden_values(table, GROUP_RATES)


def _title(text: str, note: str | None = None) -> dict:
    return dict(text=f"{text}<br><sup>{note}</sup>" if note else text)


def _hidden(frame: pd.DataFrame) -> pd.Series:
    return frame[HIDDEN_COL].astype(bool) if HIDDEN_COL in frame else pd.Series(False, index=frame.index)


def distribution_bars(frame: pd.DataFrame, basis: str) -> go.Figure:
    """Active clients per month split by risk category, as 100% stacked bars (hidden parts hatched)."""
    part = frame[frame["dasar"] == basis]
    months = sorted(part["bulan"].unique())
    labels = [month_label(m) for m in months]
    figure = go.Figure()
    shown = pd.Series(0.0, index=months)
    for category in dict.fromkeys(part["kategori"]):
        rows = part[part["kategori"] == category].set_index("bulan").reindex(months)
        share = (rows["persen"].astype(float) * 100).fillna(0)
        shown = shown.add(share, fill_value=0)
        hidden = rows[HIDDEN_COL].fillna(False).astype(bool) if HIDDEN_COL in rows else pd.Series(False, index=months)
        text = [SMALL if h else f"{fmt.number(n)} klien" for n, h in zip(rows["klien"], hidden)]
        figure.add_bar(x=labels, y=share.to_numpy(), name=category, customdata=text,
                       marker=dict(color=CATEGORY_COLOURS.get(category, "#78909C")),
                       hovertemplate=f"%{{x}}<br>{category}: %{{y:.1f}}% (%{{customdata}})<extra></extra>")
    rest = (100 - shown).clip(lower=0)
    if _hidden(part).any() and (rest > 0.05).any():
        figure.add_bar(x=labels, y=rest.to_numpy(), name=HIDDEN_NAME, marker=_HIDDEN_MARKER,
                       hovertemplate="%{x}<br>bagian berisi 1–9 klien, disembunyikan<extra></extra>")
    title = {"rri": "Klien aktif per bulan menurut kategori RRI yang tercatat",
             "model": "Klien aktif per bulan menurut kategori risiko model"}[basis]
    figure.update_layout(template="bapas", title=title, barmode="stack", bargap=0.2, height=420,
                         yaxis=dict(title="% klien aktif", range=[0, 100.5], ticksuffix="%", dtick=20),
                         xaxis=dict(title="Bulan", type="category"), legend=dict(traceorder="normal"),
                         margin=dict(t=100))
    return figure


def calibration_plot(table: pd.DataFrame, title_note: str | None = None) -> go.Figure:
    """Observed outcome rate against predicted risk per bin (Wilson 95% interval), with the diagonal."""
    figure = go.Figure()
    top = max(0.1, float(pd.concat([table["prediksi"], table["teramati_atas"].fillna(0)]).max()) * 1.1) * 100
    top = min(top, 100)
    figure.add_scatter(x=[0, top], y=[0, top], mode="lines", name="Kalibrasi sempurna",
                       line=dict(color="#9E9E9E", dash="dash"), hoverinfo="skip")
    shown = table[table["n"].notna()] if "n" in table else table
    figure.add_scatter(
        x=shown["prediksi"] * 100, y=shown["teramati"] * 100, mode="markers+lines", name="Model (validasi silang)",
        marker=dict(size=10, color=fmt.RISK_COLOURS["Tinggi"]), line=dict(color=fmt.RISK_COLOURS["Tinggi"], width=1),
        error_y=dict(type="data", symmetric=False, array=(shown["teramati_atas"] - shown["teramati"]) * 100,
                     arrayminus=(shown["teramati"] - shown["teramati_bawah"]) * 100, color="#E57373"),
        customdata=[f"{fmt.number(n)} kasus" if not pd.isna(n) else SMALL for n in shown["n"]],
        hovertemplate="prediksi %{x:.1f}% · teramati %{y:.1f}%<br>%{customdata}<extra></extra>")
    figure.update_layout(template="bapas", title=_title("Kalibrasi: risiko prediksi vs kegagalan teramati", title_note),
                         height=420, xaxis=dict(title="Risiko prediksi rata-rata dalam bin (%)", range=[0, top],
                                                ticksuffix="%"),
                         yaxis=dict(title="Kegagalan teramati (%)", range=[0, top], ticksuffix="%"),
                         margin=dict(t=100))
    return figure


def points_risk_line(frame: pd.DataFrame) -> go.Figure:
    """Risk of each scorecard total (the scorecard's calibration)."""
    figure = go.Figure()
    figure.add_scatter(x=frame["poin"], y=frame["risiko"] * 100, mode="lines+markers", name="Risiko",
                       line=dict(color="#37474F", width=2), hovertemplate="%{x} poin: %{y:.1f}%<extra></extra>")
    top = int(frame["poin"].max()) if len(frame) else 10
    figure.update_layout(template="bapas", title="Kartu skor: risiko menurut jumlah poin", height=340,
                         xaxis=dict(title="Jumlah poin", range=[-0.5, top + 0.5], dtick=5 if top > 20 else 2,
                                    tickangle=0),
                         yaxis=dict(title="Risiko kegagalan (%)",
                                                                              ticksuffix="%", rangemode="tozero"),
                         showlegend=False)
    return figure


def dose_bars(frame: pd.DataFrame) -> go.Figure:
    """Outcome rate by hours attended before the prediction point, one bar group per dose, one colour per category."""
    figure = go.Figure()
    hidden_any = False
    for band in BANDS:
        part = frame[frame["kategori"] == band]
        hidden = _hidden(part).to_numpy()
        hidden_any |= bool(hidden.any())
        rate = part["persen"].astype(float) * 100
        text = [SMALL if h else ("–" if pd.isna(r) else f"{fmt.percent(r / 100)} (n = {fmt.number(n)})")
                for r, n, h in zip(rate, part["n"], hidden)]
        figure.add_bar(x=part["dosis"], y=rate.fillna(0), name=f"Risiko {band.lower()}", text=text,
                       textposition="outside", cliponaxis=False, marker=dict(color=fmt.RISK_COLOURS[band]),
                       hovertemplate=f"Risiko {band.lower()} · %{{x}}<br>kegagalan %{{text}}<extra></extra>")
    note = ("Perbandingan, bukan sebab-akibat" + (f" · {SMALL}: bagian 1–9 kasus, disembunyikan" if hidden_any
                                                    else ""))
    figure.update_layout(template="bapas", barmode="group", height=430,
                         title=_title("Tingkat kegagalan menurut jam kegiatan awal, dalam tiap kategori risiko", note),
                         xaxis=dict(title="Jam kegiatan dihadiri sebelum titik prediksi", type="category"),
                         yaxis=dict(title="Kegagalan dalam jendela (%)", ticksuffix="%", rangemode="tozero"),
                         margin=dict(t=110))
    return figure


KM_CURVES_PX = 330   # height of the curves' plot
KM_GAP_PX = 40       # between the curves and the number-at-risk rows (the shared x axis' ticks)
KM_ROW_PX = 26       # one number-at-risk row: 13 px digits with room above and below, however many groups
KM_MARGIN = dict(t=110, l=150, b=60)


def km_plot(survival: Survival, title: str) -> go.Figure:
    """Kaplan–Meier curves (95% band) with the number at risk under the plot, one row per group."""
    groups = list(dict.fromkeys(survival.at_risk["kelompok"])) if not survival.at_risk.empty else []
    drawn = list(dict.fromkeys(survival.curves["kelompok"])) if not survival.curves.empty else []
    colours = {g: CATEGORY_COLOURS.get(g) or GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
    # the rows get their height in pixels (not a share of the figure), so 3 or 8 groups never squeeze the digits
    table_px = KM_ROW_PX * max(len(groups), 1)
    plot_px = KM_CURVES_PX + KM_GAP_PX + table_px
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[KM_CURVES_PX, table_px],
                           vertical_spacing=KM_GAP_PX / plot_px)
    for group in drawn:
        part = survival.curves[survival.curves["kelompok"] == group]
        colour = colours[group]
        figure.add_scatter(x=part["bulan"], y=part["atas"] * 100, mode="lines", line=dict(width=0, shape="hv"),
                           showlegend=False, hoverinfo="skip", row=1, col=1)
        figure.add_scatter(x=part["bulan"], y=part["bawah"] * 100, mode="lines", line=dict(width=0, shape="hv"),
                           fill="tonexty", fillcolor=_transparent(colour), showlegend=False, hoverinfo="skip",
                           row=1, col=1)
        figure.add_scatter(x=part["bulan"], y=part["bertahan"] * 100, mode="lines", name=group,
                           line=dict(color=colour, width=2.5, shape="hv"),
                           hovertemplate=f"{group}<br>bulan %{{x:.1f}}: %{{y:.1f}}% belum gagal<extra></extra>",
                           row=1, col=1)
    for group in groups:
        part = survival.at_risk[survival.at_risk["kelompok"] == group]
        figure.add_scatter(x=part["bulan"], y=[group] * len(part), mode="text",
                           text=[n if isinstance(n, str) else fmt.number(n) for n in part["berisiko"]],
                           textfont=dict(color=colours[group], size=13), showlegend=False, hoverinfo="skip",
                           cliponaxis=False, row=2, col=1)
    note = None
    if survival.p_value is not None:
        note = f"Uji log-rank: χ² = {fmt.number(survival.chi2, 1)}, df = {survival.df}, {p_text(survival.p_value)}"
    ticks = sorted(set(survival.at_risk["bulan"])) if not survival.at_risk.empty else None
    # legend in the groups' order, as the rows below (a filled band would otherwise reverse it)
    figure.update_layout(template="bapas", title=_title(title, note), height=plot_px + KM_MARGIN["t"] + KM_MARGIN["b"],
                         margin=KM_MARGIN, legend=dict(y=1.02, traceorder="normal"))
    low = float(survival.curves["bawah"].min()) * 100 if not survival.curves.empty else 0.0
    bottom = max(0.0, 5 * ((low - 1) // 5))  # the curves' own range, ≥ 1 point below the lowest band
    figure.update_yaxes(title_text="Belum gagal (%)", ticksuffix="%", range=[bottom, 101], row=1, col=1)
    # half a row above the first group and below the last: an autoranged category axis puts the first and last
    # rows on its edges, where the digits are cut in half
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=groups,
                        range=[len(groups) - 0.5, -0.5], showgrid=False, zeroline=False, row=2, col=1)
    # the rows' heading sits above the group names (an axis title beside them collides with long names)
    figure.add_annotation(text="Klien berisiko", xref="paper", x=0, xanchor="right", yref="y2 domain", y=1,
                          yanchor="bottom", showarrow=False, font=dict(size=13, color="#616161"))
    figure.update_xaxes(tickvals=ticks, zeroline=False, row=1, col=1)
    figure.update_xaxes(title_text="Bulan sejak mulai bimbingan", tickvals=ticks, zeroline=False, row=2, col=1)
    return figure


def km_hidden_text(survival: Survival) -> str:
    """What the curves leave out for an aggregate-only role, and why (one Indonesian sentence or two)."""
    text = ("Aturan bilangan kecil: setiap kurva berhenti ketika klien yang masih berisiko tinggal kurang dari 10, "
            "karena langkah kurva di situ membuka jumlah yang disembunyikan.")
    if survival.hidden:
        names = ", ".join(f"«{g}»" for g in survival.hidden)
        text = (f"Tidak digambar: {names} — kelompok dengan 1–9 kasus atau 1–9 kegagalan tidak digambar, karena "
                f"langkah kurvanya akan membuka jumlah yang di tabel tertulis «{SMALL}»; kelompok itu juga tidak "
                "ikut uji log-rank. " + text)
    return text


def _transparent(colour: str, alpha: float = 0.15) -> str:
    colour = colour.lstrip("#")
    r, g, b = (int(colour[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def p_text(p: float | None) -> str:
    """'p < 0,001', 'p = 0,042', or 'p: –' when there is no test."""
    if p is None:
        return "p: –"
    return "p < 0,001" if p < 0.001 else f"p = {fmt.number(p, 3)}"
