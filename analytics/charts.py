"""Chart builders: a DataFrame in, a Plotly figure out, in the one house style (analytics/format.py)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import format as fmt


def compliance_trend(frame: pd.DataFrame) -> go.Figure:
    """Monthly wajib lapor compliance (attended, and on time) as two lines in percent."""
    months = [fmt.BULAN_SINGKAT[d.month] + f" {d.year % 100:02d}" for d in pd.to_datetime(frame["bulan"])]
    figure = go.Figure()
    figure.add_scatter(x=months, y=frame["kepatuhan"] * 100, name="Hadir atau terlambat", mode="lines+markers",
                       line=dict(color=fmt.ATTENDANCE_COLOURS["HADIR"], width=3),
                       hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.add_scatter(x=months, y=frame["tepat_waktu_persen"] * 100, name="Tepat waktu", mode="lines+markers",
                       line=dict(color=fmt.ATTENDANCE_COLOURS["TERLAMBAT"], width=2, dash="dot"),
                       hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    figure.update_layout(template="bapas", title="Kepatuhan wajib lapor per bulan", height=360,
                         yaxis=dict(title="% dari wajib lapor terjadwal", range=[0, 100], ticksuffix="%"),
                         xaxis=dict(title="Bulan"))
    return figure


def count_axis(top: float) -> dict:
    """A whole-number axis from 0 with a few round ticks (1, 2, 5, 10, 20, 50 … apart), for counts of people."""
    step = 1
    while top / step > 6:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2  # 1, 2, 5, 10, 20, 50, …
    return dict(range=[0, max(top, 1) * 1.25], dtick=step, tick0=0)


def text_px(text: str, size: float = 13) -> float:
    """About how wide a line of text is drawn, in pixels (digits and letters about 0.55 em): for margins."""
    return max((len(line) for line in str(text).split("<br>")), default=0) * size * 0.55


# Plotly's own texts (modebar tooltips, notices) in Indonesian: plotly.js takes a locale's dictionary inline in the
# config (`locales`), so no locale script has to be fetched. The keys are plotly.js 3.x's English texts (modebar
# buttons of 2D charts, the notices after a zoom or a click on the legend, the image-download notices).
PLOTLY_TEXTS = {
    "Download plot as a PNG": "Unduh grafik sebagai PNG",
    "Download plot": "Unduh grafik",
    "Zoom": "Perbesar bagian",
    "Pan": "Geser",
    "Box Select": "Pilih dengan kotak",
    "Lasso Select": "Pilih dengan laso",
    "Zoom in": "Perbesar",
    "Zoom out": "Perkecil",
    "Autoscale": "Skala otomatis",
    "Reset axes": "Kembalikan sumbu",
    "Reset": "Kembalikan",
    "Reset view": "Kembalikan tampilan",
    "Reset views": "Kembalikan tampilan",
    "Toggle Spike Lines": "Garis bantu",
    "Show closest data on hover": "Tampilkan data terdekat",
    "Compare data on hover": "Bandingkan data",
    "Toggle show closest data on hover": "Tampilkan data terdekat",
    "Double-click to zoom back out": "Klik dua kali untuk kembali ke tampilan semula",
    "Double-click on legend to isolate one trace": "Klik dua kali pada legenda untuk menampilkan satu seri saja",
    "Preparing image - this may take a few seconds": "Menyiapkan gambar, mungkin perlu beberapa detik",
    "Image download succeeded": "Gambar sudah diunduh",
    "Sorry, there was a problem downloading your image!": "Maaf, gambar gagal diunduh.",
}
# The modebar buttons a chart keeps. The image download is left out: it would be an export outside the audit
# log (DESIGN: every export is audited); a chart's data go out through its «Unduh CSV/XLSX» buttons.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["toImage"],
    "locale": "id",
    "locales": {"id": {
        "dictionary": PLOTLY_TEXTS,
        "format": {"months": list(fmt.BULAN[1:]), "shortMonths": list(fmt.BULAN_SINGKAT[1:]),
                   "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
                   "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"]},
    }},
}
